//! Mega-fights: the head of a formed combiner team challenges another; only the other team's
//! head answers; the two teams fight as two giants through the battle simulator, driven by
//! their heads; the end pays every member of both teams under `MegaFightReward`, keeps their
//! records, and the battle re-simulates from its events like any other.

use allspark_engine::battle::sim::{SimOutcome, Who};
use allspark_engine::battle::{replay, BattleEvent, BattleId, BattleMode};
use allspark_engine::energon::{EnergonEvent, LedgerRule};
use allspark_engine::fun::combiner::Part;
use allspark_engine::fun::mega::{self, MEGA_LOSS_ENERGON, MEGA_WIN_ENERGON};
use allspark_engine::fun::{FunCommand, FunEvent, FunRejection};
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::testing::Driver;
use allspark_engine::{Actor, Command, Event, PlayerId, Rejection};

fn fun(command: FunCommand) -> Command {
    Command::Fun(command)
}

fn as_player(player: u64) -> Actor {
    Actor::Player(PlayerId(player))
}

fn refused(result: Result<Vec<Event>, Rejection>) -> Rejection {
    match result {
        Err(rejection) => rejection,
        Ok(events) => panic!("expected a refusal, got {events:?}"),
    }
}

/// Players 1 to 12 with pets; team 1 is players 1 to 6 (1 the head), team 2 players 7 to 12
/// (7 the head); with `form_second` false, team 2 is left one part short.
fn two_teams(form_second: bool) -> Driver {
    let mut driver = Driver::new(b"mega-fight");
    for player in 1..=12u64 {
        driver.must(
            as_player(player),
            Command::Pet(PetCommand::Adopt {
                faction: if player <= 6 {
                    Faction::Autobot
                } else {
                    Faction::Decepticon
                },
            }),
        );
    }
    for (team, first) in [(1u32, 1u64), (2, 7)] {
        driver.must(as_player(first), fun(FunCommand::CombinerOpen));
        for (i, part) in Part::ALL.iter().enumerate() {
            if team == 2 && !form_second && i == 5 {
                break;
            }
            driver.must(
                as_player(first + i as u64),
                fun(FunCommand::CombinerTake { team, part: *part }),
            );
        }
    }
    driver
}

#[test]
fn only_heads_of_formed_teams_challenge_and_answer() {
    let mut driver = two_teams(false);
    let challenge = |team| fun(FunCommand::MegaChallenge { team });
    // Team 2 is not formed: it can't be challenged, and its members can't challenge.
    assert_eq!(
        refused(driver.run(as_player(1), challenge(2))),
        Rejection::Fun(FunRejection::NotFormed { team: 2 })
    );
    assert_eq!(
        refused(driver.run(as_player(7), challenge(1))),
        Rejection::Fun(FunRejection::NotFormed { team: 2 })
    );
    driver.must(
        as_player(12),
        fun(FunCommand::CombinerTake {
            team: 2,
            part: Part::ALL[5],
        }),
    );
    // Only the head speaks for a team; a team can't fight itself; nobody outside a team.
    assert_eq!(
        refused(driver.run(as_player(2), challenge(2))),
        Rejection::Fun(FunRejection::NotHead { team: 1 })
    );
    assert_eq!(
        refused(driver.run(as_player(1), challenge(1))),
        Rejection::Fun(FunRejection::SameTeam)
    );
    assert_eq!(
        refused(driver.run(as_player(99), challenge(2))),
        Rejection::Fun(FunRejection::NotInTeam)
    );
    assert_eq!(
        refused(driver.run(as_player(1), challenge(9))),
        Rejection::Fun(FunRejection::NoTeam { team: 9 })
    );
    let events = driver.must(as_player(1), challenge(2));
    assert_eq!(
        events,
        vec![Event::Fun(FunEvent::MegaChallenged {
            challenger: 1,
            defender: 2,
            by: PlayerId(1),
        })]
    );
    // Only the challenged head answers, and only a challenge that was made.
    assert_eq!(
        refused(driver.run(as_player(8), fun(FunCommand::MegaAccept { team: 1 }))),
        Rejection::Fun(FunRejection::NotHead { team: 2 })
    );
    assert_eq!(
        refused(driver.run(as_player(1), fun(FunCommand::MegaAccept { team: 2 }))),
        Rejection::Fun(FunRejection::NoMegaChallenge { team: 2 })
    );
    driver.must(as_player(7), fun(FunCommand::MegaDecline { team: 1 }));
    assert_eq!(
        refused(driver.run(as_player(7), fun(FunCommand::MegaAccept { team: 1 }))),
        Rejection::Fun(FunRejection::NoMegaChallenge { team: 1 })
    );
    // A team disbanding takes its challenge with it.
    driver.must(as_player(1), challenge(2));
    driver.must(as_player(3), fun(FunCommand::CombinerLeave));
    assert_eq!(
        refused(driver.run(as_player(7), fun(FunCommand::MegaAccept { team: 1 }))),
        Rejection::Fun(FunRejection::NoMegaChallenge { team: 1 })
    );
    assert!(mega::challenges_to(&driver.world, 2).is_empty());
}

#[test]
fn two_giants_fight_to_the_end_and_every_member_is_paid() {
    let mut driver = two_teams(true);
    driver.must(as_player(1), fun(FunCommand::MegaChallenge { team: 2 }));
    let events = driver.must(as_player(7), fun(FunCommand::MegaAccept { team: 1 }));
    let battle = events
        .iter()
        .find_map(|e| match e {
            Event::Fun(FunEvent::MegaFightStarted {
                battle,
                teams,
                members,
            }) => {
                assert_eq!(*teams, [1, 2]);
                assert_eq!(members[0].len(), 6);
                assert_eq!(members[1].len(), 6);
                Some(*battle)
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fight started: {events:?}"));
    // Two fighters, each a whole team: its head drives it, its six pets add up.
    let (mode, fighters) = events
        .iter()
        .find_map(|e| match e {
            Event::Battle(BattleEvent::Started {
                mode,
                fighters,
                enemy,
                ..
            }) => {
                assert!(enemy.is_none());
                Some((*mode, fighters.clone()))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no battle: {events:?}"));
    assert_eq!(
        mode,
        BattleMode::MegaFight {
            challenger: 1,
            defender: 2
        }
    );
    assert_eq!(fighters.len(), 2);
    let one_pet = allspark_engine::pets::view::pet(&driver.world, PlayerId(1))
        .map(|p| p.battle_profile())
        .expect("a pet");
    assert!(matches!(fighters[0].who, Who::Pet { player, .. } if player == PlayerId(1)));
    assert!(matches!(fighters[1].who, Who::Pet { player, .. } if player == PlayerId(7)));
    assert!(fighters[0].hp_max >= 6 * one_pet.hp_max.min(one_pet.hp).max(1) / 2);
    assert!(fighters[0].attack > one_pet.attack);
    // A team in a fight takes no second one.
    assert_eq!(
        refused(driver.run(as_player(1), fun(FunCommand::MegaChallenge { team: 2 }))),
        Rejection::Fun(FunRejection::MegaFighting { team: 1 })
    );
    let before: Vec<u64> = (1..=12)
        .map(|p| driver.world.energon().balance(PlayerId(p)))
        .collect();

    let outcome = driver.fight_to_the_end(battle);
    let SimOutcome::Won { side } = outcome else {
        panic!("a draw: {outcome:?}");
    };
    let ended: Vec<&Event> = driver
        .events
        .iter()
        .map(|r| &r.event)
        .skip_while(|e| !matches!(e, Event::Battle(BattleEvent::Ended { .. })))
        .collect();
    let paid: Vec<(PlayerId, u64)> = ended
        .iter()
        .filter_map(|e| match e {
            Event::Energon(EnergonEvent::Credited {
                player,
                amount,
                rule: LedgerRule::MegaFightReward,
            }) => Some((*player, *amount)),
            _ => None,
        })
        .collect();
    assert_eq!(paid.len(), 12, "{paid:?}");
    for (player, amount) in &paid {
        let winner = (player.0 <= 6) == (side == 0);
        let expected = if winner {
            MEGA_WIN_ENERGON
        } else {
            MEGA_LOSS_ENERGON
        };
        assert_eq!(*amount, expected, "{player:?}");
        assert_eq!(
            driver.world.energon().balance(*player),
            before[(player.0 - 1) as usize] + expected
        );
        let record = mega::record(&driver.world, *player);
        assert_eq!(
            (record.won, record.lost),
            if winner { (1, 0) } else { (0, 1) }
        );
    }
    assert!(ended.iter().any(|e| matches!(
        e,
        Event::Fun(FunEvent::MegaFightEnded { teams: [1, 2], winner: Some(w), .. }) if *w == side
    )));
    // The fight is over: the teams may fight again.
    assert!(mega::fight(&driver.world, battle).is_none());
    driver.must(as_player(7), fun(FunCommand::MegaChallenge { team: 1 }));

    // The battle re-simulates from its recorded events to the same end, and its settlement
    // (the members' pay, the record) checks out too.
    let battle_events = driver.battle_events(battle);
    let (verified, _) = replay::verify(battle_events.iter()).expect("it replays");
    assert_eq!(verified.outcome, Some(outcome));
    let file = replay::battle_file_in(&driver.events, battle).expect("its file");
    let checked = replay::verify_file(&file).expect("its settlement checks out");
    assert!(checked.settled, "{checked:?}");
    // The two heads' pets keep no battle record of a fight six pets fought as one.
    let record = allspark_engine::battle::view::record(&driver.world, PlayerId(1));
    assert_eq!((record.stats.battles, record.stats.pvp_wins), (0, 0));

    // Within the hour, a second fight pays nobody; after it, everyone again.
    driver.must(as_player(1), fun(FunCommand::MegaAccept { team: 2 }));
    let second = mega_battle(&driver);
    driver.fight_to_the_end(second);
    assert_eq!(paid_by(&driver, second), Vec::<PlayerId>::new());
    driver.advance_secs(mega::MEGA_PAY_COOLDOWN_SECS);
    driver.must(as_player(1), fun(FunCommand::MegaChallenge { team: 2 }));
    driver.must(as_player(7), fun(FunCommand::MegaAccept { team: 1 }));
    let third = mega_battle(&driver);
    driver.fight_to_the_end(third);
    assert_eq!(paid_by(&driver, third).len(), 12);
}

/// The mega-fight under way.
fn mega_battle(driver: &Driver) -> BattleId {
    driver
        .events
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            Event::Fun(FunEvent::MegaFightStarted { battle, .. }) => Some(*battle),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no mega-fight"))
}

/// Whom the end of `battle` paid, as its record says.
fn paid_by(driver: &Driver, battle: BattleId) -> Vec<PlayerId> {
    driver
        .events
        .iter()
        .find_map(|r| match &r.event {
            Event::Fun(FunEvent::MegaFightEnded {
                battle: ended,
                paid,
                ..
            }) if *ended == battle => Some(paid.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no end of {battle:?}"))
}

/// A member erased during a fight has no share of its end and no record; the rest are paid.
#[test]
fn an_erased_member_gets_nothing_from_the_fight() {
    let mut driver = two_teams(true);
    driver.must(as_player(1), fun(FunCommand::MegaChallenge { team: 2 }));
    driver.must(as_player(7), fun(FunCommand::MegaAccept { team: 1 }));
    let battle = mega_battle(&driver);
    driver.must(
        Actor::Operator(PlayerId(999)),
        Command::Player(allspark_engine::player::PlayerCommand::Erase {
            player: PlayerId(9),
        }),
    );
    assert!(mega::fight(&driver.world, battle)
        .is_some_and(|f| !f.members[1].contains(&PlayerId(9)) && f.members[1].len() == 5));
    driver.fight_to_the_end(battle);
    let paid: Vec<PlayerId> = driver
        .events
        .iter()
        .filter_map(|r| match &r.event {
            Event::Energon(EnergonEvent::Credited {
                player,
                rule: LedgerRule::MegaFightReward,
                ..
            }) => Some(*player),
            _ => None,
        })
        .collect();
    assert_eq!(paid.len(), 11, "{paid:?}");
    assert!(!paid.contains(&PlayerId(9)));
    assert_eq!(mega::record(&driver.world, PlayerId(9)), Default::default());
}
