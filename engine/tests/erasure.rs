//! Erasing a person: the rule (the operator, or the player themselves; never mid-game), what every projection forgets,
//! the energon burned under the erasure rule, and the text they wrote gone from every file on
//! disk afterwards (sled keeps replaced values in old segments, so removing keys is not enough).

use std::path::Path;

use allspark_engine::battle::{BattleCommand, BattleEvent};
use allspark_engine::energon::{EnergonCommand, Period};
use allspark_engine::ids::CommandId;
use allspark_engine::personal::KEY_PET_NAME;
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::player::{Engagement, PlayerCommand, PlayerEvent, PlayerRejection};
use allspark_engine::runtime::{Engine, EngineConfig};
use allspark_engine::slots::{Difficulty, SlotsCommand};
use allspark_engine::testing::Driver;
use allspark_engine::{codec, Actor, Command, Event, PlayerId, Rejection};

const ALICE: PlayerId = PlayerId(7);
const BOB: PlayerId = PlayerId(8);

fn erase(player: PlayerId) -> Command {
    Command::Player(PlayerCommand::Erase { player })
}

fn adopt() -> Command {
    Command::Pet(PetCommand::Adopt {
        faction: Faction::Autobot,
    })
}

fn credit(player: PlayerId, amount: i64) -> Command {
    Command::Energon(EnergonCommand::Credit { player, amount })
}

/// Alice and Bob with pets and energon; Alice banked some, spun the slots and won a rush find.
fn two_players() -> Driver {
    let mut driver = Driver::new(b"erasure-tests");
    for player in [ALICE, BOB] {
        driver.must(Actor::Player(player), adopt());
        driver.must(Actor::System, credit(player, 1_000));
    }
    driver.must(
        Actor::Player(ALICE),
        Command::Energon(EnergonCommand::Deposit { amount: 300 }),
    );
    driver.must(
        Actor::Player(ALICE),
        Command::Slots(SlotsCommand::Spin {
            difficulty: Difficulty::Easy,
            bet: Some(10),
        }),
    );
    driver.must(
        Actor::Player(ALICE),
        Command::Energon(EnergonCommand::Scout),
    );
    driver
}

#[test]
fn an_erased_player_is_forgotten_by_every_projection_and_their_energon_is_burned() {
    let mut driver = two_players();
    let wallet = driver.world.energon().balance(ALICE);
    let bank = driver.world.energon().bank(ALICE);
    let rush = driver.world.energon().rush.balance(ALICE);
    let bob_before = codec::encode_value(&(
        driver.world.energon().balance(BOB),
        driver.world.pets().get(BOB).cloned(),
    ))
    .expect("encode");
    let burned_before = driver.world.energon().burned_total();
    assert_eq!(bank, 300);
    assert!(driver.world.slots().stats(ALICE).is_some());

    let events = driver.must(Actor::System, erase(ALICE));

    assert_eq!(
        events,
        vec![Event::Player(PlayerEvent::Erased {
            player: ALICE,
            wallet,
            bank,
            rush,
        })]
    );
    let world = &driver.world;
    assert!(!world.players().contains(ALICE));
    assert!(world.pets().get(ALICE).is_none());
    assert_eq!(world.energon().balance(ALICE), 0);
    assert_eq!(world.energon().bank(ALICE), 0);
    assert_eq!(world.energon().rush.balance(ALICE), 0);
    assert!(!world.energon().rush.stats.contains_key(&ALICE));
    assert!(world.slots().stats(ALICE).is_none());
    for period in [Period::Daily, Period::Weekly, Period::AllTime] {
        let board = world
            .energon()
            .leaderboards
            .top_earners(period, driver.now, 100);
        assert!(
            board.iter().all(|(player, _)| *player != ALICE),
            "{period:?}"
        );
    }
    assert!(world
        .energon()
        .richest(100)
        .iter()
        .all(|(p, _)| *p != ALICE));
    assert_eq!(
        world.energon().burned_total(),
        burned_before + u128::from(wallet + bank + rush),
        "the erasure rule burns exactly what they held"
    );
    assert!(world.energon().is_conserved());
    let bob_after =
        codec::encode_value(&(world.energon().balance(BOB), world.pets().get(BOB).cloned()))
            .expect("encode");
    assert_eq!(bob_before, bob_after, "nobody else is touched");

    // Coming back is joining as a new player.
    let events = driver.must(Actor::Player(ALICE), adopt());
    assert_eq!(
        events.first(),
        Some(&Event::Player(PlayerEvent::Joined { player: ALICE }))
    );
    assert_eq!(driver.world.energon().balance(ALICE), 0);
}

#[test]
fn erasure_is_for_the_operator_only_and_never_mid_game() {
    let mut driver = two_players();
    let refused = |driver: &mut Driver, actor: Actor, player: PlayerId| {
        let before = codec::encode_value(&driver.world).expect("encode");
        let rejection = driver
            .run(actor, erase(player))
            .expect_err("the erasure should be refused");
        assert_eq!(codec::encode_value(&driver.world).expect("encode"), before);
        rejection
    };
    assert_eq!(
        refused(&mut driver, Actor::Player(BOB), ALICE),
        Rejection::Player(PlayerRejection::OperatorOnly)
    );
    assert_eq!(
        refused(&mut driver, Actor::System, PlayerId(99)),
        Rejection::Player(PlayerRejection::UnknownPlayer {
            player: PlayerId(99)
        })
    );

    // Being challenged binds nobody: only the challenger is engaged by an open challenge (and
    // an erasure withdraws either of them from it; see the next test).
    driver.must(
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::Challenge {
            opponent: BOB,
            stake: 50,
        }),
    );
    assert_eq!(driver.world.engagement(BOB), None);
    assert_eq!(driver.world.engagement(ALICE), Some(Engagement::Challenge));
    let challenge = *driver
        .world
        .battles()
        .challenges
        .keys()
        .next()
        .expect("a challenge");
    let events = driver.must(
        Actor::Player(BOB),
        Command::Battle(BattleCommand::AcceptChallenge { challenge }),
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Battle(BattleEvent::Started { .. }))));
    assert_eq!(
        refused(&mut driver, Actor::System, BOB),
        Rejection::Player(PlayerRejection::Busy {
            player: BOB,
            activity: Engagement::Battle
        })
    );
    let message = Rejection::Player(PlayerRejection::Busy {
        player: BOB,
        activity: Engagement::Battle,
    })
    .to_string();
    assert!(message.contains("fighting a battle"), "{message}");

    // Once it is over (Alice surrenders), both can go.
    let battle = *driver.world.battles().open.keys().next().expect("a battle");
    driver.must(
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::Surrender { battle }),
    );
    assert!(driver.world.battles().stats.contains_key(&ALICE));
    assert!(driver.world.battles().stats.contains_key(&BOB));
    driver.must(Actor::System, erase(BOB));
    driver.must(Actor::System, erase(ALICE));
    for player in [ALICE, BOB] {
        assert!(!driver.world.battles().stats.contains_key(&player));
        assert!(!driver.world.battles().ratings.contains_key(&player));
    }
    assert!(driver
        .world
        .battles()
        .last_rated
        .keys()
        .all(|(a, b)| ![ALICE, BOB].contains(a) && ![ALICE, BOB].contains(b)));
    assert!(driver.world.energon().is_conserved());
    assert_eq!(
        refused(&mut driver, Actor::System, ALICE),
        Rejection::Player(PlayerRejection::UnknownPlayer { player: ALICE }),
        "erasing twice is refused, not repeated"
    );
}

/// Nobody can keep a player from being erased by holding them in something: the erasure
/// withdraws them from their lobby (stake refunded, then burned with the rest), the ranked
/// queue and every open challenge, issued or received, in the same batch.
#[test]
fn an_erasure_withdraws_the_player_from_lobbies_queues_and_challenges() {
    let mut driver = two_players();
    let carol = PlayerId(9);
    driver.must(Actor::Player(carol), adopt());
    driver.must(Actor::System, credit(carol, 1_000));
    // Alice challenges Bob, Bob challenges Carol; then Bob opens a staked team lobby and Carol
    // joins it.
    for (from, to) in [(ALICE, BOB), (BOB, carol)] {
        driver.must(
            Actor::Player(from),
            Command::Battle(BattleCommand::Challenge {
                opponent: to,
                stake: 0,
            }),
        );
    }
    driver.must(
        Actor::Player(BOB),
        Command::Battle(BattleCommand::OpenLobby {
            kind: allspark_engine::battle::LobbyKind::Team { per_side: 2 },
            stake: 100,
        }),
    );
    let lobby = *driver
        .world
        .battles()
        .lobbies
        .keys()
        .next()
        .expect("a lobby");
    driver.must(
        Actor::Player(carol),
        Command::Battle(BattleCommand::JoinLobby { lobby, side: None }),
    );
    let carol_before = driver.world.energon().balance(carol);
    let bob_wallet = driver.world.energon().balance(BOB);
    // The preview both erasure commands show agrees with the rule: a lobby and challenges don't
    // block an erasure, and the stake coming back is counted in what burns.
    let preview = allspark_engine::player::view::erasure_preview(&driver.world, BOB);
    assert_eq!(preview.blocked, None, "{preview:?}");
    assert_eq!(preview.wallet, bob_wallet + 100);
    let events = driver.must(Actor::System, erase(BOB));
    // Bob opened the lobby: it closes, and every stake goes back before he is erased.
    assert!(!driver.world.battles().lobbies.contains_key(&lobby));
    assert_eq!(driver.world.energon().balance(carol), carol_before + 100);
    assert!(driver.world.battles().challenges.is_empty());
    let erased = events.iter().find_map(|e| match e {
        Event::Player(PlayerEvent::Erased { wallet, .. }) => Some(*wallet),
        _ => None,
    });
    assert_eq!(
        erased,
        Some(bob_wallet + 100),
        "his refunded stake is burned too"
    );
    assert!(driver.world.energon().is_conserved());

    // Queued: the erasure takes Carol out of the queue too.
    driver.must(
        Actor::Player(carol),
        Command::Battle(BattleCommand::QueueRanked),
    );
    driver.must(Actor::System, erase(carol));
    assert!(driver.world.battles().queue.is_empty());
    assert!(driver.world.energon().is_conserved());
}

/// Every file under `dir` that contains `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read dir").flatten() {
                stack.push(entry.path());
            }
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|window| window == needle) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

fn run(engine: &Engine, id: u128, actor: Actor, command: Command) {
    let reply = engine
        .execute_blocking(engine.envelope(CommandId(id), actor, command))
        .expect("the engine answers");
    assert!(reply.outcome.is_accepted(), "{:?}", reply.outcome);
}

#[test]
fn an_erased_persons_text_is_gone_from_every_file_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (first_name, second_name, bobs_name) =
        ("Quillotron Ash", "Quillotron Brim", "Zephyrax Dune");
    let rename = |name: &str| {
        Command::Pet(PetCommand::Rename {
            name: name.to_string(),
        })
    };
    {
        let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("open");
        run(&engine, 1, Actor::Player(ALICE), adopt());
        run(&engine, 2, Actor::Player(ALICE), rename(first_name));
        run(&engine, 3, Actor::Player(ALICE), rename(second_name));
        run(&engine, 4, Actor::Player(BOB), adopt());
        run(&engine, 5, Actor::Player(BOB), rename(bobs_name));
        engine.shutdown();
    }
    // The scan can see the text while it is there (so its silence below means something), and
    // the log itself never held it.
    assert!(!files_containing(dir.path(), second_name.as_bytes()).is_empty());
    assert!(files_containing(&dir.path().join("log"), second_name.as_bytes()).is_empty());
    {
        let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("reopen");
        run(&engine, 6, Actor::System, erase(ALICE));
        assert_eq!(
            engine.personal_text(ALICE, KEY_PET_NAME).expect("read"),
            None
        );
        assert_eq!(
            engine.personal_text(BOB, KEY_PET_NAME).expect("read"),
            Some(bobs_name.to_string())
        );
        engine.shutdown();
    }
    for gone in [first_name, second_name] {
        assert_eq!(
            files_containing(dir.path(), gone.as_bytes()),
            Vec::<String>::new(),
            "`{gone}` must not survive the erasure anywhere on disk"
        );
    }
    let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("reopen");
    assert_eq!(
        engine.personal_text(BOB, KEY_PET_NAME).expect("read"),
        Some(bobs_name.to_string()),
        "other people's text survives the rewrite"
    );
    assert!(engine
        .query_blocking(|world| !world.players().contains(ALICE) && world.players().contains(BOB))
        .expect("query"));
}

#[test]
fn a_returning_players_ledger_starts_after_their_erasure() {
    use allspark_engine::history::ledger_page;
    use allspark_engine::testing::TestEngine;

    let mut test = TestEngine::new();
    test.run(Actor::Player(ALICE), adopt());
    test.run(Actor::System, credit(ALICE, 500));
    assert_eq!(
        ledger_page(test.engine.log().as_ref(), ALICE, 0)
            .expect("ledger")
            .lines
            .len(),
        1
    );
    assert!(test.run(Actor::System, erase(ALICE)).is_accepted());
    assert!(ledger_page(test.engine.log().as_ref(), ALICE, 0)
        .expect("ledger")
        .lines
        .is_empty());
    test.run(Actor::Player(ALICE), adopt());
    test.run(Actor::System, credit(ALICE, 25));
    let page = ledger_page(test.engine.log().as_ref(), ALICE, 0).expect("ledger");
    assert_eq!(page.lines.len(), 1);
    assert_eq!(page.lines[0].delta, 25);
}

#[test]
fn a_cancelled_erasure_confirmation_erases_nobody() {
    let mut driver = two_players();
    let operator = Actor::Operator(PlayerId(999));
    driver.must(
        operator,
        Command::Player(PlayerCommand::CancelErasure {
            players: vec![ALICE, PlayerId(555)],
            confirmation: 42,
        }),
    );
    let confirmed = |confirmation| {
        Command::Player(PlayerCommand::EraseConfirmed {
            player: ALICE,
            confirmation,
        })
    };
    assert_eq!(
        driver.run(operator, confirmed(42)).err(),
        Some(Rejection::Player(PlayerRejection::ErasureCancelled))
    );
    assert!(driver.world.players().contains(ALICE));
    // Another confirmation is not affected, and players may not cancel.
    assert!(driver
        .run(
            Actor::Player(BOB),
            Command::Player(PlayerCommand::CancelErasure {
                players: vec![ALICE],
                confirmation: 43,
            }),
        )
        .is_err());
    driver.must(operator, confirmed(43));
    assert!(!driver.world.players().contains(ALICE));
}

#[test]
fn a_player_may_erase_themselves_and_cancel_only_their_own_confirmation() {
    let mut driver = two_players();
    let confirmed = |player, confirmation| {
        Command::Player(PlayerCommand::EraseConfirmed {
            player,
            confirmation,
        })
    };
    // Nobody but the operator erases someone else, by either command.
    assert_eq!(
        driver.run(Actor::Player(BOB), confirmed(ALICE, 1)).err(),
        Some(Rejection::Player(PlayerRejection::OperatorOnly))
    );
    assert_eq!(
        driver
            .run(
                Actor::Player(ALICE),
                Command::Player(PlayerCommand::CancelErasure {
                    players: vec![ALICE, BOB],
                    confirmation: 1,
                }),
            )
            .err(),
        Some(Rejection::Player(PlayerRejection::OperatorOnly))
    );
    // Alice cancels her confirmation 5: it is spent, even when she presses Erase afterwards.
    driver.must(
        Actor::Player(ALICE),
        Command::Player(PlayerCommand::CancelErasure {
            players: vec![ALICE],
            confirmation: 5,
        }),
    );
    assert_eq!(
        driver.run(Actor::Player(ALICE), confirmed(ALICE, 5)).err(),
        Some(Rejection::Player(PlayerRejection::ErasureCancelled))
    );
    assert!(driver.world.players().contains(ALICE));

    // While she is in a battle, she is refused as the operator would be.
    let enemy = allspark_engine::content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .expect("an enemy");
    driver.must(
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::StartSolo { enemy }),
    );
    assert!(matches!(
        driver.run(Actor::Player(ALICE), confirmed(ALICE, 6)).err(),
        Some(Rejection::Player(PlayerRejection::Busy {
            player: ALICE,
            activity: Engagement::Battle
        }))
    ));
    let battle = *driver.world.battles().busy.get(&ALICE).expect("a battle");
    driver.must(
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::Surrender { battle }),
    );

    let wallet = driver.world.energon().balance(ALICE);
    let events = driver.must(Actor::Player(ALICE), confirmed(ALICE, 6));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Player(PlayerEvent::Erased { player: ALICE, wallet: w, .. }) if *w == wallet
    )));
    assert!(!driver.world.players().contains(ALICE));
    assert!(driver.world.players().contains(BOB));
    assert!(driver.world.energon().is_conserved());
    // Single use: the same confirmation pressed again erases nobody (she is gone).
    assert_eq!(
        driver.run(Actor::Player(ALICE), confirmed(ALICE, 6)).err(),
        Some(Rejection::Player(PlayerRejection::UnknownPlayer {
            player: ALICE
        }))
    );
}

#[test]
fn a_self_erasure_is_recorded_as_the_players_own_and_leaves_no_file_with_their_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "Vorpalina Crest";
    {
        let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("open");
        run(&engine, 1, Actor::Player(ALICE), adopt());
        run(
            &engine,
            2,
            Actor::Player(ALICE),
            Command::Pet(PetCommand::Rename {
                name: name.to_string(),
            }),
        );
        engine.shutdown();
    }
    assert!(!files_containing(dir.path(), name.as_bytes()).is_empty());
    let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("reopen");
    run(
        &engine,
        3,
        Actor::Player(ALICE),
        Command::Player(PlayerCommand::EraseConfirmed {
            player: ALICE,
            confirmation: 77,
        }),
    );
    let erased = engine
        .log()
        .read_all(1, 100)
        .expect("read")
        .into_iter()
        .find(|e| matches!(e.event, Event::Player(PlayerEvent::Erased { .. })))
        .expect("an Erased event");
    assert_eq!(erased.actor, Actor::Player(ALICE), "who asked is recorded");
    engine.shutdown();
    assert_eq!(
        files_containing(dir.path(), name.as_bytes()),
        Vec::<String>::new(),
        "`{name}` must not survive a self-erasure anywhere on disk"
    );
}

/// An RPG character's name lives in the erasable store only: an erasure removes it from every
/// file on disk, forgets the characters, and takes the player out of the party they formed.
#[test]
fn an_erased_players_characters_and_their_names_are_gone() {
    use allspark_engine::rpg::{AdventureKind, RpgCommand};
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "Vortigrax Hale";
    let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("open");
    run(
        &engine,
        1,
        Actor::Player(ALICE),
        Command::Rpg(RpgCommand::CreateCharacter {
            name: name.into(),
            faction: Faction::Decepticon,
            class: "seeker".into(),
        }),
    );
    run(
        &engine,
        2,
        Actor::Player(ALICE),
        Command::Rpg(RpgCommand::OpenParty {
            kind: AdventureKind::Story,
            character: 1,
            channel: allspark_engine::Snowflake(5),
        }),
    );
    assert_eq!(
        engine
            .personal_text(ALICE, &allspark_engine::rpg::name_key(1))
            .expect("read"),
        Some(name.to_string())
    );
    engine.shutdown();
    drop(engine);
    assert!(!files_containing(dir.path(), name.as_bytes()).is_empty());
    assert!(files_containing(&dir.path().join("log"), name.as_bytes()).is_empty());
    let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("reopen");
    run(&engine, 3, Actor::System, erase(ALICE));
    let (characters, party) = engine
        .query_blocking(|w| {
            (
                allspark_engine::rpg::view::characters(w, ALICE).len(),
                allspark_engine::rpg::view::adventure(w, 1).is_some(),
            )
        })
        .expect("query");
    assert_eq!((characters, party), (0, false));
    engine.shutdown();
    drop(engine);
    assert_eq!(
        files_containing(dir.path(), name.as_bytes()),
        Vec::<String>::new()
    );
}
