//! The RPG rules: a character starts at its class template plus the creation bonus, at most
//! three a player, its name never in an event; gear is worn within its kind's limit; deletion
//! takes two steps; a party forms, sets out and plays segments: the first approach is the
//! party's and a strict majority of rolls wins, a vote closes when all have voted (ties to the
//! dice), a battle segment is a battle of the characters; the timer takes what nobody chose.
//! Property tests: any play of adventures conserves energon (only the adventure's named rules
//! move it), keeps levels where experience puts them, rolls once per member, and finds only
//! real gear; ten segments in a row never repeat a sentence of the offline storyteller.

use std::collections::BTreeSet;

use allspark_engine::battle::sim::Action;
use allspark_engine::battle::{BattleCommand, BattleMode};
use allspark_engine::energon::{EnergonEvent, LedgerRule};
use allspark_engine::ids::Snowflake;
use allspark_engine::pets::Faction;
use allspark_engine::rpg::{
    self, AdventureKind, AdventureOutcome, RpgCommand, RpgEvent, RpgRejection, SegmentPlan, Stat,
    Stats,
};
use allspark_engine::testing::{Driver, Scenario};
use allspark_engine::{Actor, Command, Event, PlayerId};
use proptest::prelude::*;

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const CAROL: PlayerId = PlayerId(303);

fn rpg(command: RpgCommand) -> Command {
    Command::Rpg(command)
}

fn create(name: &str, class: &str) -> Command {
    rpg(RpgCommand::CreateCharacter {
        name: name.into(),
        faction: Faction::Autobot,
        class: class.into(),
    })
}

fn created(player: PlayerId, character: u32, class: &str) -> Event {
    let template = rpg::view::class(class)
        .expect("a class")
        .template(Faction::Autobot);
    Event::Rpg(RpgEvent::CharacterCreated {
        player,
        character,
        faction: Faction::Autobot,
        class: class.into(),
        stats: Stats {
            attack: template.attack + 5,
            defense: template.defense + 5,
            dexterity: template.dexterity + 5,
            intelligence: template.intelligence + 5,
            charisma: template.charisma + 5,
            hp: template.hp + 50,
        },
    })
}

#[test]
fn a_character_starts_at_its_template_plus_the_bonus_and_three_is_the_most() {
    Scenario::given([])
        .when(Actor::Player(ALICE), create("Ironclad", "warrior"))
        .then([joined(ALICE), created(ALICE, 1, "warrior")]);
    let three = [
        joined(ALICE),
        joined(BOB),
        created(ALICE, 1, "warrior"),
        created(ALICE, 2, "scout"),
        created(ALICE, 3, "medic"),
    ];
    Scenario::given(three.clone())
        .when(Actor::Player(ALICE), create("Four", "seeker"))
        .then_rejected(RpgRejection::TooManyCharacters { max: 3 });
    // Another player's count is their own; numbers go on from the last made.
    Scenario::given(three)
        .when(Actor::Player(BOB), create("Sable", "medic"))
        .then([created(BOB, 4, "medic")]);
    Scenario::given([])
        .when(Actor::Player(ALICE), create("Hi <@1>", "warrior"))
        .then_rejected(RpgRejection::NameInvalid { max: 32 });
    Scenario::given([])
        .when(Actor::Player(ALICE), create("Ironclad", "bard"))
        .then_rejected(RpgRejection::UnknownClass {
            class: "bard".into(),
        });
}

fn joined(player: PlayerId) -> Event {
    Event::Player(allspark_engine::player::PlayerEvent::Joined { player })
}

fn found(player: PlayerId, character: u32, item: &str) -> Event {
    Event::Rpg(RpgEvent::GearFound {
        player,
        character,
        item: item.into(),
    })
}

fn gear_of(kind: rpg::GearKind, n: usize) -> Vec<String> {
    let content = &allspark_engine::content::get().rpg;
    content
        .gear
        .values()
        .filter(|g| g.kind == kind)
        .take(n)
        .map(|g| g.id.clone())
        .collect()
}

#[test]
fn gear_is_worn_within_its_kinds_limit_and_only_when_owned() {
    let weapons = gear_of(rpg::GearKind::Weapon, 3);
    let armor = gear_of(rpg::GearKind::Armor, 2);
    let mut given = vec![joined(ALICE), joined(BOB), created(ALICE, 1, "warrior")];
    given.extend(weapons.iter().map(|w| found(ALICE, 1, w)));
    given.extend(armor.iter().map(|a| found(ALICE, 1, a)));
    let equip = |item: &str| {
        rpg(RpgCommand::Equip {
            character: 1,
            item: item.into(),
        })
    };
    let equipped = |item: &str| {
        Event::Rpg(RpgEvent::Equipped {
            player: ALICE,
            character: 1,
            item: item.into(),
        })
    };
    Scenario::given(given.clone())
        .when(Actor::Player(ALICE), equip(&weapons[0]))
        .then([equipped(&weapons[0])]);
    let mut two = given.clone();
    two.push(equipped(&weapons[0]));
    two.push(equipped(&weapons[1]));
    two.push(equipped(&armor[0]));
    Scenario::given(two.clone())
        .when(Actor::Player(ALICE), equip(&weapons[2]))
        .then_rejected(RpgRejection::KindFull {
            character: 1,
            max: 2,
        });
    Scenario::given(two.clone())
        .when(Actor::Player(ALICE), equip(&armor[1]))
        .then_rejected(RpgRejection::KindFull {
            character: 1,
            max: 1,
        });
    // One copy owned is one copy worn.
    Scenario::given(two.clone())
        .when(Actor::Player(ALICE), equip(&weapons[0]))
        .then_rejected(RpgRejection::AlreadyWorn {
            character: 1,
            item: rpg::view::gear(&weapons[0]).expect("gear").name.clone(),
        });
    Scenario::given(two)
        .when(Actor::Player(BOB), equip(&weapons[2]))
        .then_rejected(RpgRejection::NoSuchCharacter { character: 1 });
    Scenario::given([joined(ALICE), created(ALICE, 1, "warrior")])
        .when(Actor::Player(ALICE), equip(&weapons[0]))
        .then_rejected(RpgRejection::NotOwned {
            character: 1,
            item: weapons[0].clone(),
        });
    // Worn gear adds to the character's stats.
    let scenario = Scenario::given(given.iter().cloned().chain([equipped(&weapons[0])]));
    let character = rpg::view::character(scenario.world(), ALICE, 1).expect("the character");
    let bonus = rpg::view::gear(&weapons[0]).expect("gear").bonus;
    assert_eq!(rpg::view::with_gear(character), character.stats.plus(bonus));
}

#[test]
fn deleting_a_character_takes_two_steps_within_a_minute() {
    let given = [joined(ALICE), joined(BOB), created(ALICE, 1, "warrior")];
    let requested = Event::Rpg(RpgEvent::KillRequested {
        player: ALICE,
        character: 1,
        expires_at: allspark_engine::testing::EPOCH.plus_secs(60),
    });
    Scenario::given(given.clone())
        .when(
            Actor::Player(ALICE),
            rpg(RpgCommand::ConfirmKill { character: 1 }),
        )
        .then_rejected(RpgRejection::NoKillRequest { character: 1 });
    Scenario::given(given.clone())
        .when(
            Actor::Player(ALICE),
            rpg(RpgCommand::RequestKill { character: 1 }),
        )
        .then([requested.clone()]);
    let mut asked = given.to_vec();
    asked.push(requested);
    Scenario::given(asked.clone())
        .when(
            Actor::Player(ALICE),
            rpg(RpgCommand::ConfirmKill { character: 1 }),
        )
        .then([Event::Rpg(RpgEvent::CharacterKilled {
            player: ALICE,
            character: 1,
        })]);
    Scenario::given(asked.clone())
        .at(allspark_engine::testing::EPOCH.plus_secs(61))
        .when(
            Actor::Player(ALICE),
            rpg(RpgCommand::ConfirmKill { character: 1 }),
        )
        .then_rejected(RpgRejection::NoKillRequest { character: 1 });
    Scenario::given(asked)
        .when(
            Actor::Player(BOB),
            rpg(RpgCommand::ConfirmKill { character: 1 }),
        )
        .then_rejected(RpgRejection::NoSuchCharacter { character: 1 });
}

/// A driver with characters for alice (1), bob (2) and carol (3).
fn party_of_three() -> Driver {
    let mut driver = Driver::new(b"rpg rules");
    for (player, name, class) in [
        (ALICE, "Ironclad", "warrior"),
        (BOB, "Sable", "medic"),
        (CAROL, "Quickwire", "scout"),
    ] {
        driver.must(Actor::Player(player), create(name, class));
    }
    driver
}

fn open(driver: &mut Driver, kind: AdventureKind, members: &[(PlayerId, u32)]) -> u32 {
    let events = driver.must(
        Actor::Player(members[0].0),
        rpg(RpgCommand::OpenParty {
            kind,
            character: members[0].1,
            channel: Snowflake(9),
        }),
    );
    let adventure = events
        .iter()
        .find_map(|e| match e {
            Event::Rpg(RpgEvent::PartyOpened { adventure, .. }) => Some(*adventure),
            _ => None,
        })
        .expect("a party");
    for (player, character) in &members[1..] {
        driver.must(
            Actor::Player(*player),
            rpg(RpgCommand::JoinParty {
                adventure,
                character: *character,
            }),
        );
    }
    if kind != AdventureKind::Chronicle {
        driver.must(
            Actor::Player(members[0].0),
            rpg(RpgCommand::StartParty { adventure }),
        );
    }
    adventure
}

fn current(driver: &Driver, adventure: u32) -> Option<rpg::Segment> {
    rpg::view::adventure(&driver.world, adventure).and_then(|a| a.current().cloned())
}

#[test]
fn the_first_approach_is_the_partys_and_a_strict_majority_wins() {
    let mut driver = party_of_three();
    let members = [(ALICE, 1), (BOB, 2), (CAROL, 3)];
    let adventure = open(&mut driver, AdventureKind::Event, &members);
    // Set out: the party is busy, and the storyteller was asked.
    assert!(!rpg::view::pending_narrations(&driver.world).is_empty());
    assert_eq!(
        driver.world.activity(ALICE),
        Some(allspark_engine::area::Engagement::Adventure)
    );
    let segment = current(&driver, adventure).expect("a segment");
    let SegmentPlan::Event { class, .. } = segment.plan else {
        panic!("an event adventure plays challenges")
    };
    let events = driver.must(
        Actor::Player(BOB),
        rpg(RpgCommand::ChooseApproach {
            adventure,
            segment: 0,
            stat: Stat::Intelligence,
        }),
    );
    let rolls: Vec<(PlayerId, u8, u32, bool)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Rpg(RpgEvent::Rolled {
                player,
                roll,
                bonus,
                class: c,
                success,
                ..
            }) => {
                assert_eq!(*c, class);
                Some((*player, *roll, *bonus, *success))
            }
            _ => None,
        })
        .collect();
    assert_eq!(rolls.len(), 3, "every member rolls once");
    for (player, roll, bonus, success) in &rolls {
        let character = rpg::view::characters(&driver.world, *player)[0].clone();
        assert_eq!(*bonus, rpg::view::with_gear(&character).intelligence);
        let expected = match roll {
            1 => false,
            20 => true,
            _ => u32::from(*roll) + bonus >= class,
        };
        assert_eq!(*success, expected);
    }
    let passed = rolls.iter().filter(|r| r.3).count();
    let resolved = events.iter().find_map(|e| match e {
        Event::Rpg(RpgEvent::ChallengeResolved { success, .. }) => Some(*success),
        _ => None,
    });
    assert_eq!(resolved, Some(passed >= 2));
    // The approach is taken: a second press, even on the next segment's number, is refused
    // or stale.
    assert_eq!(
        driver.run(
            Actor::Player(ALICE),
            rpg(RpgCommand::ChooseApproach {
                adventure,
                segment: 0,
                stat: Stat::Attack,
            }),
        ),
        Err(RpgRejection::StaleSegment.into())
    );
    // Nobody outside the party may choose.
    driver.must(Actor::Player(PlayerId(404)), create("Stranger", "seeker"));
    assert_eq!(
        driver.run(
            Actor::Player(PlayerId(404)),
            rpg(RpgCommand::ChooseApproach {
                adventure,
                segment: 1,
                stat: Stat::Attack,
            }),
        ),
        Err(RpgRejection::NotInParty { adventure }.into())
    );
    // The timer takes the last segments when nobody chooses, only after their deadline.
    for segment in 1..3u8 {
        let timeout = rpg(RpgCommand::Timeout { adventure, segment });
        assert!(matches!(
            driver.run(Actor::System, timeout.clone()),
            Err(allspark_engine::Rejection::Rpg(
                RpgRejection::TooEarly { .. }
            ))
        ));
        driver.advance_secs(rpg::tuning::EVENT_SECS);
        let events = driver.must(Actor::System, timeout);
        assert!(events
            .iter()
            .any(|e| matches!(e, Event::Rpg(RpgEvent::ApproachChosen { by: None, .. }))));
    }
    let ended = rpg::view::adventure(&driver.world, adventure).expect("kept");
    assert_eq!(ended.ended, Some(AdventureOutcome::Completed));
    assert_eq!(driver.world.activity(ALICE), None);
    for member in [ALICE, BOB, CAROL] {
        let character = &rpg::view::characters(&driver.world, member)[0];
        assert_eq!(character.record.adventures, 1);
        assert_eq!(
            character.record.checks_passed + character.record.checks_failed,
            3
        );
    }
}

#[test]
fn a_vote_closes_when_everyone_voted_and_the_dice_break_a_tie() {
    let mut driver = party_of_three();
    let adventure = open(
        &mut driver,
        AdventureKind::Story,
        &[(ALICE, 1), (BOB, 2), (CAROL, 3)],
    );
    let vote = |choice| {
        rpg(RpgCommand::Vote {
            adventure,
            segment: 0,
            choice,
        })
    };
    let first = driver.must(Actor::Player(ALICE), vote(2));
    assert!(!first
        .iter()
        .any(|e| matches!(e, Event::Rpg(RpgEvent::VoteClosed { .. }))));
    // A new vote replaces one's earlier one.
    driver.must(Actor::Player(ALICE), vote(0));
    driver.must(Actor::Player(BOB), vote(1));
    let last = driver.must(Actor::Player(CAROL), vote(0));
    let closed = last.iter().find_map(|e| match e {
        Event::Rpg(RpgEvent::VoteClosed {
            choice,
            counts,
            tie_broken,
            ..
        }) => Some((*choice, *counts, *tie_broken)),
        _ => None,
    });
    assert_eq!(closed, Some((0, [2, 1, 0], false)));
    assert_eq!(
        driver.run(Actor::Player(ALICE), vote(5)),
        Err(RpgRejection::StaleSegment.into())
    );
    // Segment 1: a tie between two choices goes to one of them by the dice.
    let tie = |choice| {
        rpg(RpgCommand::Vote {
            adventure,
            segment: 1,
            choice,
        })
    };
    driver.must(Actor::Player(ALICE), tie(1));
    driver.must(Actor::Player(BOB), tie(2));
    driver.advance_secs(rpg::tuning::VOTE_SECS);
    let events = driver.must(
        Actor::System,
        rpg(RpgCommand::Timeout {
            adventure,
            segment: 1,
        }),
    );
    let closed = events.iter().find_map(|e| match e {
        Event::Rpg(RpgEvent::VoteClosed {
            choice,
            counts,
            tie_broken,
            ..
        }) => Some((*choice, *counts, *tie_broken)),
        _ => None,
    });
    let (choice, counts, tie_broken) = closed.expect("closed at the deadline");
    assert!(tie_broken && [1, 2].contains(&choice) && counts == [0, 1, 1]);
    assert_eq!(
        driver.run(Actor::Player(ALICE), tie(3)),
        Err(RpgRejection::StaleSegment.into())
    );
}

#[test]
fn a_battle_segment_is_a_battle_of_the_characters() {
    let mut driver = party_of_three();
    let adventure = open(&mut driver, AdventureKind::Battle, &[(ALICE, 1), (BOB, 2)]);
    let segment = current(&driver, adventure).expect("a segment");
    let SegmentPlan::Battle { battle, .. } = segment.plan else {
        panic!("a battle adventure fights")
    };
    let started = driver.battle_events(battle);
    let Some(allspark_engine::battle::BattleEvent::Started { mode, fighters, .. }) =
        started.first()
    else {
        panic!("the battle started")
    };
    assert_eq!(
        *mode,
        BattleMode::Adventure {
            adventure,
            segment: 0
        }
    );
    // The characters fight with their stats: health from health, attack from attack and
    // half the dexterity.
    let alice = rpg::view::characters(&driver.world, ALICE)[0].clone();
    let stats = rpg::view::with_gear(&alice);
    assert_eq!(fighters[0].hp_max, stats.hp);
    assert_eq!(fighters[0].attack, stats.attack + stats.dexterity / 2);
    // The party fights it out; no pet is needed and none is touched.
    for _ in 0..300 {
        let Some(open) = allspark_engine::battle::view::open_battle(&driver.world, battle) else {
            break;
        };
        let turn = open.sim.turn;
        let enemy = (open.sim.fighters.len() - 1) as u8;
        for player in [ALICE, BOB] {
            let _ = driver.run(
                Actor::Player(player),
                Command::Battle(BattleCommand::Act {
                    battle,
                    turn,
                    action: Action::Attack { target: enemy },
                }),
            );
        }
    }
    let adventure_now = rpg::view::adventure(&driver.world, adventure).expect("kept");
    let first = adventure_now.segments.first().expect("a segment");
    assert!(matches!(
        first.result,
        Some(rpg::SegmentResult::Battle { .. })
    ));
    let file = allspark_engine::battle::replay::battle_file_in(&driver.events, battle)
        .expect("the battle's file");
    allspark_engine::battle::replay::verify_file(&file).unwrap_or_else(|d| panic!("{d}"));
}

/// One random step of play on a driver with adventures going.
#[derive(Clone, Debug)]
enum Move {
    Approach(u8, u8),
    Vote(u8, u8),
    Wait,
    Fight,
    Open(u8),
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    prop::collection::vec(
        prop_oneof![
            (0u8..3, 0u8..5).prop_map(|(p, s)| Move::Approach(p, s)),
            (0u8..3, 0u8..3).prop_map(|(p, c)| Move::Vote(p, c)),
            Just(Move::Wait),
            Just(Move::Fight),
            (0u8..4).prop_map(Move::Open),
        ],
        1..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever is played, energon only moves by the adventure's named rules (what the
    /// wallets hold is what those rules minted less what they burned), every level is the one
    /// its experience reaches, each challenge rolls once per member and gear found is real.
    #[test]
    fn any_play_conserves_energon_and_keeps_levels_where_experience_puts_them(plays in moves(), seed in 0u64..1_000) {
        let mut driver = Driver::new(format!("rpg property {seed}").as_bytes());
        let players = [ALICE, BOB, CAROL];
        for (player, class) in players.iter().zip(["warrior", "medic", "scout"]) {
            driver.must(Actor::Player(*player), create("Hero", class));
        }
        let kinds = [AdventureKind::Random, AdventureKind::Event, AdventureKind::Story, AdventureKind::Battle];
        let mut adventure: Option<u32> = None;
        for play in plays {
            let live = adventure.and_then(|a| current(&driver, a).map(|s| (a, s)));
            match (play, live) {
                (Move::Open(kind), None) => {
                    let opened = driver.run(Actor::Player(ALICE), rpg(RpgCommand::OpenParty {
                        kind: kinds[usize::from(kind)], character: 1, channel: Snowflake(1),
                    }));
                    if let Ok(events) = opened {
                        let number = events.iter().find_map(|e| match e {
                            Event::Rpg(RpgEvent::PartyOpened { adventure, .. }) => Some(*adventure),
                            _ => None,
                        });
                        if let Some(number) = number {
                            let _ = driver.run(Actor::Player(BOB), rpg(RpgCommand::JoinParty { adventure: number, character: 2 }));
                            let _ = driver.run(Actor::Player(ALICE), rpg(RpgCommand::StartParty { adventure: number }));
                            adventure = Some(number);
                        }
                    }
                }
                (Move::Approach(p, s), Some((a, segment))) => {
                    let _ = driver.run(Actor::Player(players[usize::from(p)]), rpg(RpgCommand::ChooseApproach {
                        adventure: a, segment: segment.index, stat: Stat::ALL[usize::from(s)],
                    }));
                }
                (Move::Vote(p, c), Some((a, segment))) => {
                    let _ = driver.run(Actor::Player(players[usize::from(p)]), rpg(RpgCommand::Vote {
                        adventure: a, segment: segment.index, choice: c,
                    }));
                }
                (Move::Wait, Some((a, segment))) => {
                    driver.advance_secs(rpg::tuning::EVENT_SECS);
                    let _ = driver.run(Actor::System, rpg(RpgCommand::Timeout { adventure: a, segment: segment.index }));
                }
                (Move::Fight, Some((_, segment))) => {
                    if let SegmentPlan::Battle { battle, .. } = segment.plan {
                        for _ in 0..200 {
                            let Some(open) = allspark_engine::battle::view::open_battle(&driver.world, battle) else { break };
                            let enemy = (open.sim.fighters.len() - 1) as u8;
                            for player in [ALICE, BOB] {
                                let _ = driver.run(Actor::Player(player), Command::Battle(BattleCommand::Act {
                                    battle, turn: open.sim.turn, action: Action::Attack { target: enemy },
                                }));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // Energon: the wallets hold exactly what the adventure rules minted less what they
        // burned, and nothing else moved any.
        let (mut minted, mut burned) = (0u64, 0u64);
        for recorded in &driver.events {
            match &recorded.event {
                Event::Energon(EnergonEvent::Credited { amount, rule, .. }) => {
                    prop_assert_eq!(*rule, LedgerRule::AdventureReward);
                    minted += amount;
                }
                Event::Energon(EnergonEvent::Debited { amount, rule, .. }) => {
                    prop_assert_eq!(*rule, LedgerRule::AdventureCost);
                    burned += amount;
                }
                _ => {}
            }
        }
        let held: u64 = players.iter().map(|p| driver.world.energon().balance(*p)).sum();
        prop_assert_eq!(held, minted - burned);
        // Levels follow experience; gear found is real gear.
        for player in players {
            for character in rpg::view::characters(&driver.world, player) {
                prop_assert_eq!(character.level, rpg::tuning::level_for_xp(character.xp));
                for item in character.owned.keys() {
                    prop_assert!(rpg::view::gear(item).is_some(), "{}", item);
                }
            }
        }
        // Each challenge rolled once per member present.
        for (_, a) in (1..=8u32).filter_map(|n| rpg::view::adventure(&driver.world, n).map(|a| (n, a))) {
            for segment in &a.segments {
                if segment.result.is_some() && matches!(segment.plan, SegmentPlan::Event { .. }) {
                    let rolled: BTreeSet<PlayerId> = segment.rolls.iter().map(|r| r.player).collect();
                    prop_assert_eq!(rolled.len(), segment.rolls.len());
                }
            }
        }
    }
}

/// The offline storyteller never repeats a sentence within ten segments of one adventure.
#[test]
fn ten_segments_of_a_chronicle_repeat_no_sentence() {
    let mut driver = party_of_three();
    let adventure = open(&mut driver, AdventureKind::Chronicle, &[(ALICE, 1)]);
    let mut sentences: Vec<String> = Vec::new();
    for _ in 0..10 {
        let segment = current(&driver, adventure).expect("a chapter going");
        let brief = segment.brief.clone().expect("a brief");
        let text = rpg::story::offline(&brief);
        for sentence in text.split_inclusive(['.', '!', '?']) {
            let sentence = sentence.trim().to_string();
            if sentence.len() > 3 {
                sentences.push(sentence);
            }
        }
        let command = match segment.plan {
            SegmentPlan::Event { .. } => RpgCommand::ChooseApproach {
                adventure,
                segment: segment.index,
                stat: Stat::Charisma,
            },
            SegmentPlan::Story { .. } => RpgCommand::Vote {
                adventure,
                segment: segment.index,
                choice: 1,
            },
            SegmentPlan::Battle { .. } => panic!("a chronicle has no battles"),
        };
        driver.must(Actor::Player(ALICE), rpg(command));
    }
    let unique: BTreeSet<&String> = sentences.iter().collect();
    assert_eq!(unique.len(), sentences.len(), "{sentences:#?}");
}
