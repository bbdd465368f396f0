//! Battle rules end to end on the pure rules (the `Driver`): every mode from start to end, the
//! refusals that keep a battle honest, stakes, ratings and tournaments.

use allspark_engine::battle::sim::{Action, SimOutcome, Who};
use allspark_engine::battle::tuning::TURN_DEADLINE_SECS;
use allspark_engine::battle::{BattleCommand, BattleEvent, BattleId, BattleRejection, LobbyKind};
use allspark_engine::content;
use allspark_engine::energon::{EnergonCommand, EnergonEvent};
use allspark_engine::pets::{Faction, PetCommand, PetRejection};
use allspark_engine::testing::Driver;
use allspark_engine::{Actor, Command, Event, PlayerId, Rejection};

fn p(n: u64) -> Actor {
    Actor::Player(PlayerId(n))
}

fn battle(command: BattleCommand) -> Command {
    Command::Battle(command)
}

fn with_pets(n_players: u64) -> Driver {
    let mut driver = Driver::new(b"battle-tests");
    for n in 1..=n_players {
        let faction = if n % 2 == 0 {
            Faction::Decepticon
        } else {
            Faction::Autobot
        };
        driver.must(p(n), Command::Pet(PetCommand::Adopt { faction }));
        driver.must(
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player: PlayerId(n),
                amount: 1_000,
            }),
        );
    }
    driver
}

fn started(events: &[Event]) -> BattleId {
    events
        .iter()
        .find_map(|event| match event {
            Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no battle started in {events:?}"))
}

fn weakest_monster() -> String {
    content::get()
        .enemies
        .values()
        .filter(|e| e.kind == allspark_engine::battle::content::EnemyKind::Monster)
        .min_by_key(|e| (e.hp, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_default()
}

#[test]
fn a_solo_battle_runs_to_its_end_and_pays_the_survivor() {
    let mut driver = with_pets(1);
    let events = driver.must(
        p(1),
        battle(BattleCommand::StartSolo {
            enemy: weakest_monster(),
        }),
    );
    let id = started(&events);
    let outcome = driver.fight_to_the_end(id);
    let recorded = driver.battle_events(id);
    assert!(matches!(recorded.last(), Some(BattleEvent::Ended { .. })));
    let paid = driver.events.iter().any(|e| {
        matches!(
            &e.event,
            Event::Energon(EnergonEvent::Credited {
                rule: allspark_engine::energon::LedgerRule::BattleReward,
                ..
            })
        )
    });
    assert_eq!(paid, outcome == SimOutcome::Won { side: 0 });
    assert!(driver.world.battles().busy.is_empty());
    assert_eq!(
        driver
            .world
            .battles()
            .stats
            .get(&PlayerId(1))
            .map(|s| s.battles),
        Some(1)
    );
    assert!(driver.world.energon().is_conserved());
}

#[test]
fn only_participants_act_only_on_the_current_turn_and_only_once() {
    let mut driver = with_pets(3);
    let id = accepted_duel(&mut driver, 1, 2);
    let attack = |turn| {
        battle(BattleCommand::Act {
            battle: id,
            turn,
            action: Action::Attack { target: 1 },
        })
    };
    assert_eq!(
        driver.run(p(3), attack(1)),
        Err(BattleRejection::NotAParticipant.into())
    );
    assert_eq!(
        driver.run(p(1), attack(2)),
        Err(BattleRejection::StaleTurn {
            sent: 2,
            current: 1
        }
        .into())
    );
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::Act {
                battle: id,
                turn: 1,
                action: Action::Attack { target: 0 }
            })
        ),
        Err(BattleRejection::InvalidTarget.into())
    );
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::Act {
                battle: id,
                turn: 1,
                action: Action::Special { target: 1 }
            })
        ),
        Err(BattleRejection::SpecialNeedsCharge.into())
    );
    driver.must(p(1), attack(1));
    assert_eq!(
        driver.run(p(1), attack(1)),
        Err(BattleRejection::AlreadyActed.into())
    );
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::StartSolo {
                enemy: weakest_monster()
            })
        ),
        Err(BattleRejection::AlreadyInBattle.into())
    );
}

#[test]
fn a_timeout_before_the_deadline_is_refused_and_after_it_defends_for_the_idle() {
    let mut driver = with_pets(2);
    let issued = driver.must(
        p(1),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(2),
            stake: 0,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
        panic!()
    };
    let id = started(&driver.must(p(2), battle(BattleCommand::AcceptChallenge { challenge })));
    driver.must(
        p(1),
        battle(BattleCommand::Act {
            battle: id,
            turn: 1,
            action: Action::Charge,
        }),
    );
    let deadline = driver.world.battles().open[&id].deadline;
    driver.advance_secs(TURN_DEADLINE_SECS - 1);
    assert_eq!(
        driver.run(
            Actor::System,
            battle(BattleCommand::Timeout {
                battle: id,
                turn: 1
            })
        ),
        Err(BattleRejection::TooEarly { deadline }.into())
    );
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::Timeout {
                battle: id,
                turn: 1
            })
        ),
        Err(BattleRejection::OperatorOnly.into())
    );
    driver.advance_secs(1);
    let events = driver.must(
        Actor::System,
        battle(BattleCommand::Timeout {
            battle: id,
            turn: 1,
        }),
    );
    assert!(
        matches!(&events[0], Event::Battle(BattleEvent::TurnResolved { turn: 1, timed_out, .. }) if timed_out == &vec![1])
    );
    assert_eq!(driver.world.battles().open[&id].sim.turn, 2);
}

#[test]
fn a_staked_duel_escrows_at_accept_and_pays_the_winner_the_whole_pot() {
    let mut driver = with_pets(2);
    let issued = driver.must(
        p(1),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(2),
            stake: 300,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
        panic!()
    };
    assert_eq!(
        driver.world.energon().balance(PlayerId(1)),
        1_000,
        "nothing is held before accept"
    );
    let id = started(&driver.must(p(2), battle(BattleCommand::AcceptChallenge { challenge })));
    assert_eq!(driver.world.energon().escrowed(id.0), 600);
    let outcome = driver.fight_to_the_end(id);
    assert_eq!(driver.world.energon().escrowed(id.0), 0);
    let winnings: Vec<(PlayerId, u64)> = driver
        .events
        .iter()
        .filter_map(|e| match e.event {
            Event::Energon(EnergonEvent::EscrowReleased {
                player,
                amount,
                refund: false,
                ..
            }) => Some((player, amount)),
            _ => None,
        })
        .collect();
    match outcome {
        SimOutcome::Won { side } => {
            assert_eq!(winnings, vec![(PlayerId(u64::from(side) + 1), 600)])
        }
        SimOutcome::Draw => assert!(winnings.is_empty()),
    }
    assert!(driver.world.energon().is_conserved());
}

#[test]
fn a_stake_nobody_can_cover_is_refused_at_accept_and_nothing_is_held() {
    let mut driver = with_pets(2);
    let issued = driver.must(
        p(1),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(2),
            stake: 900,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
        panic!()
    };
    driver.must(
        p(1),
        Command::Energon(EnergonCommand::Deposit { amount: 500 }),
    );
    assert_eq!(
        driver.run(p(2), battle(BattleCommand::AcceptChallenge { challenge })),
        Err(BattleRejection::CannotCoverStake {
            player: PlayerId(1),
            need: 900,
            have: 500
        }
        .into())
    );
    assert_eq!(driver.world.energon().escrowed(challenge.0), 0);
}

#[test]
fn challenges_can_be_declined_and_expire() {
    let mut driver = with_pets(3);
    let issued = driver.must(
        p(1),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(2),
            stake: 0,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued {
        challenge,
        expires_at,
        ..
    }) = issued[0]
    else {
        panic!()
    };
    assert_eq!(
        driver.run(p(3), battle(BattleCommand::AcceptChallenge { challenge })),
        Err(BattleRejection::ChallengeNotForYou.into())
    );
    driver.now = expires_at;
    assert_eq!(
        driver.run(
            Actor::System,
            battle(BattleCommand::ExpireChallenge { challenge })
        ),
        Err(BattleRejection::TooEarly {
            deadline: expires_at
        }
        .into())
    );
    driver.advance_secs(1);
    assert_eq!(
        driver.run(p(2), battle(BattleCommand::AcceptChallenge { challenge })),
        Err(BattleRejection::ChallengeExpired.into())
    );
    driver.must(
        Actor::System,
        battle(BattleCommand::ExpireChallenge { challenge }),
    );
    assert!(driver.world.battles().challenges.is_empty());
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::Challenge {
                opponent: PlayerId(1),
                stake: 0
            })
        ),
        Err(BattleRejection::CannotChallengeSelf.into())
    );
}

fn open_lobby(
    driver: &mut Driver,
    creator: u64,
    kind: LobbyKind,
    stake: i64,
) -> allspark_engine::battle::LobbyId {
    let events = driver.must(p(creator), battle(BattleCommand::OpenLobby { kind, stake }));
    match events[0] {
        Event::Battle(BattleEvent::LobbyOpened { lobby, .. }) => lobby,
        _ => panic!("{events:?}"),
    }
}

#[test]
fn a_team_lobby_balances_sides_by_level_and_needs_everyone_ready() {
    let mut driver = with_pets(4);
    let lobby = open_lobby(&mut driver, 1, LobbyKind::Team { per_side: 2 }, 50);
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
    }
    assert_eq!(driver.world.energon().escrowed(lobby.0), 200);
    assert_eq!(
        driver.run(p(1), battle(BattleCommand::StartLobby { lobby })),
        Err(BattleRejection::NotAllReady.into())
    );
    assert_eq!(
        driver.run(p(2), battle(BattleCommand::StartLobby { lobby })),
        Err(BattleRejection::NotLobbyCreator.into())
    );
    assert_eq!(
        driver.run(p(1), battle(BattleCommand::JoinLobby { lobby, side: None })),
        Err(BattleRejection::AlreadyInLobby.into())
    );
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    let id = started(&driver.must(p(1), battle(BattleCommand::StartLobby { lobby })));
    let sides: Vec<u8> = driver.world.battles().open[&id]
        .sim
        .fighters
        .iter()
        .map(|f| f.side)
        .collect();
    assert_eq!(sides.iter().filter(|s| **s == 0).count(), 2);
    driver.fight_to_the_end(id);
    assert_eq!(driver.world.energon().escrowed(lobby.0), 0);
    assert!(driver.world.energon().is_conserved());
}

#[test]
fn leaving_or_cancelling_a_lobby_refunds_stakes() {
    let mut driver = with_pets(3);
    let lobby = open_lobby(&mut driver, 1, LobbyKind::FreeForAll, 100);
    driver.must(p(2), battle(BattleCommand::JoinLobby { lobby, side: None }));
    driver.must(p(3), battle(BattleCommand::JoinLobby { lobby, side: None }));
    driver.must(p(3), battle(BattleCommand::LeaveLobby { lobby }));
    assert_eq!(driver.world.energon().balance(PlayerId(3)), 1_000);
    driver.must(p(1), battle(BattleCommand::CancelLobby { lobby }));
    assert_eq!(driver.world.energon().balance(PlayerId(1)), 1_000);
    assert_eq!(driver.world.energon().balance(PlayerId(2)), 1_000);
    assert!(
        driver.world.battles().lobbies.is_empty() && driver.world.battles().in_lobby.is_empty()
    );
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::OpenLobby {
                kind: LobbyKind::Tournament { size: 4 },
                stake: 10
            })
        ),
        Err(BattleRejection::StakeNotAllowed.into())
    );
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::OpenLobby {
                kind: LobbyKind::Team { per_side: 5 },
                stake: 0
            })
        ),
        Err(BattleRejection::InvalidLobby {
            reason: "team battles are 2v2, 3v3 or 4v4".into()
        }
        .into())
    );
}

#[test]
fn a_free_for_all_puts_everyone_on_their_own_side() {
    let mut driver = with_pets(4);
    let lobby = open_lobby(&mut driver, 1, LobbyKind::FreeForAll, 0);
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    let id = started(&driver.must(p(1), battle(BattleCommand::StartLobby { lobby })));
    let sides: Vec<u8> = driver.world.battles().open[&id]
        .sim
        .fighters
        .iter()
        .map(|f| f.side)
        .collect();
    assert_eq!(sides, vec![0, 1, 2, 3]);
    driver.fight_to_the_end(id);
}

#[test]
fn a_group_fights_one_enemy_scaled_to_the_party() {
    let mut driver = with_pets(3);
    let enemy = weakest_monster();
    let lobby = open_lobby(
        &mut driver,
        1,
        LobbyKind::GroupPve {
            enemy: enemy.clone(),
        },
        0,
    );
    for n in 2..=3 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    let id = started(&driver.must(p(1), battle(BattleCommand::StartLobby { lobby })));
    let base_hp = content::get().enemies[&enemy].hp;
    let boss = driver.world.battles().open[&id].sim.fighters[3];
    assert_eq!(boss.who, Who::Enemy);
    assert!(
        boss.hp_max > base_hp * 2,
        "three players face {} hp (base {base_hp})",
        boss.hp_max
    );
    driver.fight_to_the_end(id);
}

#[test]
fn a_four_player_tournament_crowns_one_winner() {
    let mut driver = with_pets(4);
    let lobby = open_lobby(&mut driver, 1, LobbyKind::Tournament { size: 4 }, 0);
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    driver.must(p(1), battle(BattleCommand::StartLobby { lobby }));
    for _ in 0..3 {
        let Some(id) = driver.world.battles().open.keys().next().copied() else {
            break;
        };
        driver.fight_to_the_end(id);
    }
    let won = driver
        .events
        .iter()
        .filter(|e| matches!(e.event, Event::Battle(BattleEvent::TournamentWon { .. })))
        .count();
    let matches = driver
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::Battle(BattleEvent::TournamentMatchWon { .. })
            )
        })
        .count();
    assert_eq!((won, matches), (1, 3));
    assert!(
        driver.world.battles().tournaments.is_empty() && driver.world.battles().open.is_empty()
    );
}

#[test]
fn a_rated_duel_moves_ratings_but_an_immediate_rematch_does_not() {
    let mut driver = with_pets(2);
    let duel = |driver: &mut Driver| {
        let issued = driver.must(
            p(1),
            battle(BattleCommand::Challenge {
                opponent: PlayerId(2),
                stake: 0,
            }),
        );
        let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
            panic!()
        };
        let id = started(&driver.must(p(2), battle(BattleCommand::AcceptChallenge { challenge })));
        let rated = driver.world.battles().open[&id].rated;
        (rated, driver.fight_to_the_end(id))
    };
    let (rated, outcome) = duel(&mut driver);
    assert!(rated);
    let ratings = (
        driver.world.battles().rating(PlayerId(1)).elo,
        driver.world.battles().rating(PlayerId(2)).elo,
    );
    match outcome {
        // Issue 13: the loser's rating falls too.
        SimOutcome::Won { side: 0 } => assert_eq!(ratings, (1_040, 990)),
        SimOutcome::Won { .. } => assert_eq!(ratings, (990, 1_040)),
        SimOutcome::Draw => assert_eq!(ratings, (1_000, 1_000)),
    }
    for n in 1..=2 {
        driver
            .must(
                p(n),
                Command::Pet(PetCommand::Care {
                    action: allspark_engine::pets::CareAction::Repair,
                    level: allspark_engine::pets::CareLevel::Full,
                }),
            )
            .len();
    }
    let (rated_again, _) = duel(&mut driver);
    assert!(!rated_again);
}

#[test]
fn the_ranked_queue_pairs_players_within_the_window() {
    let mut driver = with_pets(2);
    let first = driver.must(p(1), battle(BattleCommand::QueueRanked));
    assert!(matches!(
        first[..],
        [Event::Battle(BattleEvent::Queued { .. })]
    ));
    assert_eq!(
        driver.run(p(1), battle(BattleCommand::QueueRanked)),
        Err(BattleRejection::AlreadyQueued.into())
    );
    let second = driver.must(p(2), battle(BattleCommand::QueueRanked));
    let id = started(&second);
    assert!(driver.world.battles().open[&id].rated);
    assert!(driver.world.battles().queue.is_empty());
}

#[test]
fn surrendering_ends_a_duel_for_the_other_side() {
    let mut driver = with_pets(2);
    let issued = driver.must(
        p(1),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(2),
            stake: 0,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
        panic!()
    };
    let id = started(&driver.must(p(2), battle(BattleCommand::AcceptChallenge { challenge })));
    let events = driver.must(p(2), battle(BattleCommand::Surrender { battle: id }));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Battle(BattleEvent::Ended {
            outcome: SimOutcome::Won { side: 0 },
            ..
        })
    )));
    assert!(driver.world.battles().open.is_empty());
}

#[test]
fn a_battle_needs_a_pet_and_a_known_enemy() {
    let mut driver = Driver::new(b"x");
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::StartSolo {
                enemy: weakest_monster()
            })
        ),
        Err(Rejection::Pet(PetRejection::NoPet))
    );
    let mut driver = with_pets(1);
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::StartSolo {
                enemy: "monster.nobody".into()
            })
        ),
        Err(BattleRejection::UnknownEnemy {
            enemy: "monster.nobody".into()
        }
        .into())
    );
}

#[test]
fn a_player_takes_part_in_one_thing_at_a_time() {
    use allspark_engine::player::Engagement;
    let mut driver = with_pets(4);
    driver.must(p(1), battle(BattleCommand::QueueRanked));
    // Queued: no lobby, no accepting, no releasing the pet the queue is counting on.
    assert_eq!(
        driver.run(
            p(1),
            battle(BattleCommand::OpenLobby {
                kind: LobbyKind::FreeForAll,
                stake: 0
            })
        ),
        Err(BattleRejection::AlreadyQueued.into())
    );
    for command in [
        PetCommand::RequestRelease,
        PetCommand::ConfirmRelease { token: 1 },
    ] {
        assert_eq!(
            driver.run(p(1), Command::Pet(command)),
            Err(PetRejection::Engaged {
                activity: Engagement::RankedQueue
            }
            .into())
        );
    }
    let lobby = open_lobby(&mut driver, 2, LobbyKind::FreeForAll, 0);
    assert_eq!(
        driver.run(p(1), battle(BattleCommand::JoinLobby { lobby, side: None })),
        Err(BattleRejection::AlreadyQueued.into())
    );
    assert_eq!(
        driver.run(p(2), battle(BattleCommand::QueueRanked)),
        Err(BattleRejection::AlreadyInLobby.into())
    );
    // A challenge to a queued player can be issued, but not accepted while either is busy.
    let issued = driver.must(
        p(3),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(1),
            stake: 0,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
        panic!("{issued:?}")
    };
    assert_eq!(
        driver.run(p(1), battle(BattleCommand::AcceptChallenge { challenge })),
        Err(BattleRejection::AlreadyQueued.into())
    );
    driver.must(p(1), battle(BattleCommand::LeaveQueue));
    driver.must(p(3), battle(BattleCommand::QueueRanked));
    assert_eq!(
        driver.run(p(1), battle(BattleCommand::AcceptChallenge { challenge })),
        Err(BattleRejection::OpponentBusy {
            player: PlayerId(3)
        }
        .into())
    );
    driver.must(p(3), battle(BattleCommand::LeaveQueue));
    let id = started(&driver.must(p(1), battle(BattleCommand::AcceptChallenge { challenge })));
    assert_eq!(
        driver.run(p(1), Command::Pet(PetCommand::RequestRelease)),
        Err(PetRejection::Engaged {
            activity: Engagement::Battle
        }
        .into())
    );
    driver.fight_to_the_end(id);
    driver.must(p(1), Command::Pet(PetCommand::RequestRelease));
}

#[test]
fn a_tournament_player_waits_for_the_next_round_instead_of_wandering_off() {
    let mut driver = with_pets(5);
    let lobby = open_lobby(&mut driver, 1, LobbyKind::Tournament { size: 4 }, 0);
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    driver.must(p(1), battle(BattleCommand::StartLobby { lobby }));
    // Finish one first-round match; its winner waits for the other.
    let first = driver
        .world
        .battles()
        .open
        .keys()
        .next()
        .copied()
        .unwrap_or_else(|| panic!("no tournament match"));
    let SimOutcome::Won { side } = driver.fight_to_the_end(first) else {
        panic!("a tournament match has a winner")
    };
    let winner = driver
        .battle_events(first)
        .iter()
        .find_map(|e| match e {
            BattleEvent::Started { fighters, .. } => fighters
                .iter()
                .find(|f| f.side == side)
                .and_then(|f| match f.who {
                    Who::Pet { player, .. } => Some(player),
                    Who::Enemy => None,
                }),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no winner"));
    let actor = Actor::Player(winner);
    assert!(!driver.world.battles().busy.contains_key(&winner));
    assert_eq!(
        driver.run(actor, battle(BattleCommand::QueueRanked)),
        Err(BattleRejection::InTournament.into())
    );
    assert_eq!(
        driver.run(
            actor,
            battle(BattleCommand::StartSolo {
                enemy: weakest_monster()
            })
        ),
        Err(BattleRejection::InTournament.into())
    );
    assert_eq!(
        driver.run(
            actor,
            battle(BattleCommand::Challenge {
                opponent: PlayerId(5),
                stake: 0
            })
        ),
        Err(BattleRejection::InTournament.into())
    );
}

#[test]
fn a_petless_player_left_in_the_queue_is_passed_over() {
    use allspark_engine::testing::Scenario;
    // A log from before release was refused in the queue: player 1 queued, then let the pet go.
    let joined = |n| {
        Event::Player(allspark_engine::player::PlayerEvent::Joined {
            player: PlayerId(n),
        })
    };
    let given = [
        joined(1),
        Event::Pet(allspark_engine::pets::PetEvent::Adopted {
            player: PlayerId(1),
            faction: Faction::Autobot,
            name_index: 0,
        }),
        Event::Battle(BattleEvent::Queued {
            player: PlayerId(1),
        }),
        Event::Pet(allspark_engine::pets::PetEvent::Released {
            player: PlayerId(1),
        }),
        joined(2),
        Event::Pet(allspark_engine::pets::PetEvent::Adopted {
            player: PlayerId(2),
            faction: Faction::Decepticon,
            name_index: 0,
        }),
    ];
    Scenario::given(given)
        .when(p(2), battle(BattleCommand::QueueRanked))
        .then([Event::Battle(BattleEvent::Queued {
            player: PlayerId(2),
        })]);
}

/// The queue pairs by rating distance, then by waiting time; player ids only break exact
/// ties (it used to take the first compatible player in id order, favouring old accounts).
#[test]
fn the_ranked_queue_matches_the_closest_rating_then_the_longest_wait() {
    use allspark_engine::battle::BattleId;
    use allspark_engine::testing::Scenario;
    use allspark_engine::Timestamp;
    let t0 = Timestamp(1_767_225_600_000);
    let joined = |n| {
        Event::Player(allspark_engine::player::PlayerEvent::Joined {
            player: PlayerId(n),
        })
    };
    let adopted = |n| {
        Event::Pet(allspark_engine::pets::PetEvent::Adopted {
            player: PlayerId(n),
            faction: Faction::Autobot,
            name_index: 0,
        })
    };
    let rated = |n, after| {
        Event::Battle(BattleEvent::RatingChanged {
            player: PlayerId(n),
            opponent: PlayerId(99),
            battle: BattleId(u128::from(n)),
            before: 1_000,
            after,
        })
    };
    let queued = |n| {
        Event::Battle(BattleEvent::Queued {
            player: PlayerId(n),
        })
    };
    let opponent_of = |given: Vec<(Timestamp, Event)>, at: Timestamp| {
        let events = Scenario::given_at(given)
            .at(at)
            .when(p(4), battle(BattleCommand::QueueRanked))
            .events();
        events.iter().find_map(|e| match e {
            Event::Battle(BattleEvent::Unqueued { player }) => Some(*player),
            _ => None,
        })
    };
    let mut given: Vec<(Timestamp, Event)> = Vec::new();
    for n in 1..=4 {
        given.extend([(t0, joined(n)), (t0, adopted(n))]);
    }
    // Player 1 (oldest id, 1,000) and player 3 (1,008) wait; player 4 (1,010) joins.
    given.extend([
        (t0, rated(3, 1_008)),
        (t0, rated(4, 1_010)),
        (t0, queued(1)),
        (t0.plus_secs(5), queued(3)),
    ]);
    assert_eq!(
        opponent_of(given.clone(), t0.plus_secs(10)),
        Some(PlayerId(3)),
        "the closer rating, not the older id"
    );
    // Equal gaps: who waited longest. Player 2 (1,012) queued before player 3 (1,008).
    let mut tie = given.clone();
    tie.retain(
        |(_, e)| !matches!(e, Event::Battle(BattleEvent::Queued { player }) if player.0 == 1),
    );
    tie.insert(tie.len() - 1, (t0, rated(2, 1_012)));
    tie.insert(tie.len() - 1, (t0.plus_secs(1), queued(2)));
    assert_eq!(
        opponent_of(tie, t0.plus_secs(10)),
        Some(PlayerId(2)),
        "two players as close: the one who waited longer"
    );
}

#[test]
fn loot_comes_from_the_enemys_own_table() {
    use allspark_engine::battle::tuning::SIGNATURE_DROP_IN;
    use allspark_engine::battle::{enemy_fighter, loot};
    use allspark_engine::dice::{Dice, Seed};
    let content = content::get();
    let party = [allspark_engine::battle::sim::Fighter::new(
        Who::Pet {
            player: PlayerId(1),
            faction: Faction::Autobot,
        },
        0,
        5,
        100,
        100,
        10,
        10,
    )];
    for enemy in content.enemies.values().step_by(9) {
        let (_, snapshot) = enemy_fighter(enemy, &party);
        let table = &enemy.loot;
        let (mut drops, mut signatures) = (0u64, 0u64);
        let mut by_slot = std::collections::BTreeMap::new();
        for seed in 0..3_000u128 {
            // A winner who kept all their health gets two drops.
            let mut dice = Dice::from_seed(Seed::pcg(seed));
            for item in loot(&mut dice, &snapshot, 1_000) {
                drops += 1;
                if Some(&item) == table.signature.as_ref() {
                    signatures += 1;
                    continue;
                }
                let def = content
                    .items
                    .get(&item)
                    .unwrap_or_else(|| panic!("unknown drop {item:?}"));
                assert!(
                    table.slots.get(&def.slot).copied().unwrap_or(0) > 0,
                    "{}: dropped a {:?}, a slot its table leaves out",
                    enemy.id,
                    def.slot
                );
                *by_slot.entry(def.slot).or_insert(0u64) += 1;
            }
        }
        assert_eq!(drops, 6_000, "{}", enemy.id);
        if let Some(signature) = &table.signature {
            // One drop in SIGNATURE_DROP_IN is the signature; an ordinary drop can also be it
            // when it is of the same slot and rarity (one of that pool, picked uniformly).
            let def = &content.items[signature];
            let drop_rarity = (enemy.rarity.index() as i64
                + allspark_engine::battle::tuning::kind_loot_bonus(enemy.kind)
                + 1)
            .clamp(0, 5) as usize;
            let total: u64 = table.slots.values().map(|w| u64::from(*w)).sum();
            let pool = content
                .items_by_kind
                .get(&(def.slot, def.rarity))
                .map_or(1, |ids| ids.len() as u64);
            let ordinary_per_million = if def.rarity.index() == drop_rarity {
                u64::from(table.slots.get(&def.slot).copied().unwrap_or(0)) * 1_000_000
                    / total
                    / pool
            } else {
                0
            };
            let per_million = 1_000_000 / SIGNATURE_DROP_IN
                + (1_000_000 - 1_000_000 / SIGNATURE_DROP_IN) * ordinary_per_million / 1_000_000;
            let expected = drops * per_million / 1_000_000;
            // Within a generous margin for 6,000 draws.
            assert!(
                signatures.abs_diff(expected) < expected / 5,
                "{}: {signatures} signature drops of {drops}, expected about {expected}",
                enemy.id
            );
        }
        // The heaviest slot in the table drops most.
        let heaviest = table
            .slots
            .iter()
            .max_by_key(|(slot, weight)| (**weight, std::cmp::Reverse(**slot)))
            .map(|(slot, _)| *slot);
        let most = by_slot
            .iter()
            .max_by_key(|(slot, n)| (**n, std::cmp::Reverse(**slot)))
            .map(|(slot, _)| *slot);
        let weights: Vec<u32> = table.slots.values().copied().collect();
        let tied = weights
            .iter()
            .filter(|w| Some(**w) == weights.iter().max().copied())
            .count()
            > 1;
        if !tied {
            assert_eq!(most, heaviest, "{}: {by_slot:?}", enemy.id);
        }
    }
}

#[test]
fn a_battle_records_what_each_fighter_wears_right_after_its_start() {
    use allspark_engine::pets::content::Slot;
    let mut driver = with_pets(1);
    let core = content::get()
        .items
        .values()
        .find(|item| item.slot == Slot::EnergyCore)
        .map(|item| item.id.clone())
        .unwrap_or_else(|| panic!("no core in the content"));
    driver.must(
        Actor::System,
        Command::Pet(PetCommand::GiveItem {
            player: PlayerId(1),
            item: core.clone(),
        }),
    );
    driver.must(
        p(1),
        Command::Pet(PetCommand::Equip {
            slot: Slot::EnergyCore,
            item: core.clone(),
        }),
    );
    let events = driver.must(
        p(1),
        battle(BattleCommand::StartSolo {
            enemy: weakest_monster(),
        }),
    );
    let at = events
        .iter()
        .position(|e| matches!(e, Event::Battle(BattleEvent::Started { .. })))
        .unwrap_or_else(|| panic!("{events:?}"));
    match &events[at + 1] {
        Event::Battle(BattleEvent::Setup { worn, rules, .. }) => {
            assert_eq!(
                worn,
                &vec![vec![core], Vec::new()],
                "the pet, then the enemy"
            );
            assert_eq!(*rules, allspark_engine::battle::sim::RULES_VERSION);
        }
        other => panic!("expected the equipment after the start, got {other:?}"),
    }
}

/// Energon the battle rewards minted in these events, per player.
fn battle_rewards(events: &[Event], player: PlayerId) -> u64 {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Energon(EnergonEvent::Credited {
                player: p,
                amount,
                rule: allspark_engine::energon::LedgerRule::BattleReward,
            }) if *p == player => Some(*amount),
            _ => None,
        })
        .sum()
}

fn accepted_duel(driver: &mut Driver, a: u64, b: u64) -> BattleId {
    let issued = driver.must(
        p(a),
        battle(BattleCommand::Challenge {
            opponent: PlayerId(b),
            stake: 0,
        }),
    );
    let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
        panic!("no challenge in {issued:?}")
    };
    started(&driver.must(p(b), battle(BattleCommand::AcceptChallenge { challenge })))
}

/// Tops up every pet's health (a full pet refuses the repair: that's fine).
fn repair_all(driver: &mut Driver, n_players: u64) {
    for n in 1..=n_players {
        let _ = driver.run(
            p(n),
            Command::Pet(PetCommand::Care {
                action: allspark_engine::pets::CareAction::Repair,
                level: allspark_engine::pets::CareLevel::Full,
            }),
        );
    }
}

/// Issue 13: two players surrendering at turn 0 again and again were both paid every time.
#[test]
fn a_surrender_before_a_real_fight_pays_nobody_in_a_duel_or_a_free_for_all() {
    let mut driver = with_pets(4);
    let id = accepted_duel(&mut driver, 1, 2);
    let events = driver.must(p(2), battle(BattleCommand::Surrender { battle: id }));
    assert_eq!(battle_rewards(&events, PlayerId(1)), 0);
    assert_eq!(battle_rewards(&events, PlayerId(2)), 0);

    repair_all(&mut driver, 4);
    let lobby = open_lobby(&mut driver, 1, LobbyKind::FreeForAll, 0);
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    let id = started(&driver.must(p(1), battle(BattleCommand::StartLobby { lobby })));
    let mut all = Vec::new();
    for n in 2..=4 {
        all.extend(driver.must(p(n), battle(BattleCommand::Surrender { battle: id })));
    }
    assert!(driver.world.battles().open.is_empty());
    for n in 1..=4 {
        assert_eq!(battle_rewards(&all, PlayerId(n)), 0, "player {n}");
    }
}

/// Issue 13: no cheap loop pays. Two friends duel twenty times in a day: surrendering at once
/// pays nothing, and real fights pay less each time and nothing from the fourth on.
#[test]
fn no_cheap_duel_loop_between_the_same_two_players_keeps_paying() {
    let mut driver = with_pets(2);
    let mut paid = 0;
    for _ in 0..10 {
        let id = accepted_duel(&mut driver, 1, 2);
        let events = driver.must(p(2), battle(BattleCommand::Surrender { battle: id }));
        paid += battle_rewards(&events, PlayerId(1)) + battle_rewards(&events, PlayerId(2));
        driver.advance_secs(60);
    }
    assert_eq!(paid, 0, "surrender loops pay nothing");

    let mut per_fight = Vec::new();
    for _ in 0..10 {
        repair_all(&mut driver, 2);
        let id = accepted_duel(&mut driver, 1, 2);
        let before = driver.events.len();
        driver.fight_to_the_end(id);
        let events: Vec<Event> = driver.events[before..]
            .iter()
            .map(|e| e.event.clone())
            .collect();
        per_fight.push(battle_rewards(&events, PlayerId(1)) + battle_rewards(&events, PlayerId(2)));
        driver.advance_secs(60);
    }
    assert!(per_fight[0] > 0, "a first real fight pays: {per_fight:?}");
    assert!(
        per_fight[3..].iter().all(|paid| *paid == 0),
        "the fourth fight of a pair in a day pays nothing: {per_fight:?}"
    );
    let (winner_max, loser_max) = (
        allspark_engine::battle::tuning::PVP_WINNER_ENERGON.1 as u64,
        allspark_engine::battle::tuning::PVP_LOSER_ENERGON.1 as u64,
    );
    let cap: u64 = allspark_engine::battle::tuning::PVP_PAIR_REWARD_PERCENT
        .iter()
        .map(|percent| (winner_max + loser_max) * percent / 100)
        .sum();
    assert!(
        per_fight.iter().sum::<u64>() <= cap,
        "{per_fight:?} > {cap}"
    );

    // A day after their first real fight, the pair's window starts again.
    driver.advance_secs(allspark_engine::battle::tuning::PVP_PAIR_WINDOW_SECS);
    repair_all(&mut driver, 2);
    let id = accepted_duel(&mut driver, 1, 2);
    let before = driver.events.len();
    driver.fight_to_the_end(id);
    let events: Vec<Event> = driver.events[before..]
        .iter()
        .map(|e| e.event.clone())
        .collect();
    assert!(battle_rewards(&events, PlayerId(1)) + battle_rewards(&events, PlayerId(2)) > 0);
}

/// The pair counts behind the repeated-pairing rule don't grow forever: a pair whose reward
/// window has closed is dropped at the next battle event (it would count as no fights anyway).
#[test]
fn pair_counts_leave_the_state_once_their_window_has_closed() {
    let mut driver = with_pets(3);
    let id = accepted_duel(&mut driver, 1, 3);
    driver.fight_to_the_end(id);
    assert!(driver
        .world
        .battles()
        .pvp_pairs
        .contains_key(&(PlayerId(1), PlayerId(3))));
    driver.advance_secs(allspark_engine::battle::tuning::PVP_PAIR_WINDOW_SECS);
    repair_all(&mut driver, 3);
    let id = accepted_duel(&mut driver, 1, 2);
    driver.fight_to_the_end(id);
    let pairs: Vec<_> = driver.world.battles().pvp_pairs.keys().copied().collect();
    assert_eq!(pairs, vec![(PlayerId(1), PlayerId(2))]);
}

/// Issue 13: pressing "Join side 2" of a full side answered "side 0 is full".
#[test]
fn side_refusals_count_sides_from_one_like_the_lobby_buttons() {
    let mut driver = with_pets(4);
    // The creator takes the first side; two more fill the second.
    let lobby = open_lobby(&mut driver, 1, LobbyKind::Team { per_side: 2 }, 0);
    for n in 2..=3 {
        driver.must(
            p(n),
            battle(BattleCommand::JoinLobby {
                lobby,
                side: Some(1),
            }),
        );
    }
    let refused = driver.run(
        p(4),
        battle(BattleCommand::JoinLobby {
            lobby,
            side: Some(1),
        }),
    );
    let Err(rejection) = refused else {
        panic!("a full side was joined")
    };
    assert_eq!(rejection.to_string(), "side 2 is full; join the other side");
    assert_eq!(
        BattleRejection::InvalidSide { side: 2 }.to_string(),
        "side 3 doesn't exist here (sides are 1 and 2)"
    );
}

/// A four-player tournament, started; its lobby.
fn started_tournament(driver: &mut Driver) -> allspark_engine::battle::LobbyId {
    let lobby = open_lobby(driver, 1, LobbyKind::Tournament { size: 4 }, 0);
    for n in 2..=4 {
        driver.must(p(n), battle(BattleCommand::JoinLobby { lobby, side: None }));
        driver.must(p(n), battle(BattleCommand::SetReady { lobby, ready: true }));
    }
    driver.must(p(1), battle(BattleCommand::StartLobby { lobby }));
    lobby
}

#[test]
fn a_tournament_round_that_cannot_start_ends_the_tournament_and_frees_everyone() {
    let mut driver = with_pets(4);
    let lobby = started_tournament(&mut driver);
    // Every pet goes (what no rule allows today, release and erasure wait for the tournament,
    // but a round must never be dropped silently if it happens): the final can't be seated.
    for n in 1..=4u64 {
        let event = Event::Pet(allspark_engine::pets::PetEvent::Released {
            player: PlayerId(n),
        });
        let mut recorded = driver.events[driver.events.len() - 1].clone();
        recorded.seq = driver.world.last_seq + 1;
        recorded.stream = event.stream();
        recorded.event = event;
        driver.world.evolve(&recorded);
    }
    for _ in 0..2 {
        let Some(id) = driver.world.battles().open.keys().next().copied() else {
            break;
        };
        driver.fight_to_the_end(id);
    }
    assert!(
        driver.events.iter().any(|e| e.event
            == Event::Battle(BattleEvent::TournamentCancelled {
                tournament: lobby,
                round: 2
            })),
        "the unstartable final is recorded"
    );
    assert!(driver.world.battles().tournaments.is_empty());
    for n in 1..=4 {
        assert_eq!(
            driver.world.activity(PlayerId(n)),
            None,
            "player {n} is free"
        );
    }
}

#[test]
fn the_enemy_health_a_picker_shows_is_the_health_it_has_in_battle() {
    let mut checked = 0;
    for enemy in content::get().enemies.keys() {
        let mut driver = with_pets(1);
        let shown = allspark_engine::battle::view::enemy_as_faced(
            &driver.world,
            driver.now,
            PlayerId(1),
            enemy,
        )
        .unwrap_or_else(|| panic!("no preview for {enemy}"));
        let events = driver.must(
            p(1),
            battle(BattleCommand::StartSolo {
                enemy: enemy.clone(),
            }),
        );
        let in_battle = events
            .iter()
            .find_map(|e| match e {
                Event::Battle(BattleEvent::Started { fighters, .. }) => fighters
                    .iter()
                    .find(|f| matches!(f.who, Who::Enemy))
                    .map(|f| (f.hp, f.hp_max)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{enemy} did not start"));
        assert_eq!((shown.hp, shown.hp), in_battle, "{enemy}");
        checked += 1;
    }
    assert!(checked > 5);
}

#[test]
fn a_battle_end_says_what_it_led_to_for_each_player() {
    let mut driver = with_pets(1);
    let events = driver.must(
        p(1),
        battle(BattleCommand::StartSolo {
            enemy: weakest_monster(),
        }),
    );
    let id = started(&events);
    let outcome = driver.fight_to_the_end(id);
    let ended_by = driver
        .events
        .iter()
        .find(|e| matches!(e.event, Event::Battle(BattleEvent::Ended { .. })))
        .map(|e| e.command_id)
        .unwrap_or_else(|| panic!("no end"));
    let ending: Vec<Event> = driver
        .events
        .iter()
        .filter(|e| e.command_id == ended_by)
        .map(|e| e.event.clone())
        .collect();
    let results = allspark_engine::battle::view::battle_results(&ending, id, &[PlayerId(1)]);
    assert_eq!(results.len(), 1);
    let mine = &results[0];
    assert!(mine.xp > 0, "{mine:?}");
    assert_eq!(
        mine.energon > 0,
        outcome == SimOutcome::Won { side: 0 },
        "{mine:?}"
    );
}

/// Plays a battle to its end with every pet bracing every turn: nobody is ever hit, so the
/// turn limit ends it on equal health, a draw.
fn brace_to_the_end(driver: &mut Driver, id: BattleId) -> SimOutcome {
    for _ in 0..=allspark_engine::battle::sim::TURNS_MAX + 1 {
        let Some(state) = driver.world.battles().open.get(&id).cloned() else {
            break;
        };
        for seat in state.waiting_for() {
            let Who::Pet { player, .. } = state.sim.fighters[usize::from(seat)].who else {
                continue;
            };
            driver.must(
                Actor::Player(player),
                battle(BattleCommand::Act {
                    battle: id,
                    turn: state.sim.turn,
                    action: Action::Defend { guard: seat },
                }),
            );
        }
    }
    driver
        .battle_events(id)
        .iter()
        .find_map(|e| match e {
            BattleEvent::Ended { outcome, .. } => Some(*outcome),
            _ => None,
        })
        .unwrap_or_else(|| panic!("battle {id} did not end"))
}

#[test]
fn drawn_tournament_matches_and_a_drawn_final_still_crown_a_champion() {
    let mut driver = with_pets(4);
    let lobby = started_tournament(&mut driver);
    let mut finalists = Vec::new();
    for round in 1..=2u8 {
        let ids: Vec<BattleId> = driver.world.battles().open.keys().copied().collect();
        assert_eq!(ids.len(), if round == 1 { 2 } else { 1 }, "round {round}");
        for id in ids {
            let seated: Vec<PlayerId> = driver.world.battles().open[&id]
                .sim
                .fighters
                .iter()
                .filter_map(|f| f.player())
                .collect();
            assert_eq!(brace_to_the_end(&mut driver, id), SimOutcome::Draw);
            // The drawn match still sends exactly one of its two players on.
            let advanced: Vec<PlayerId> =
                driver
                    .events
                    .iter()
                    .filter_map(|e| match e.event {
                        Event::Battle(BattleEvent::TournamentMatchWon {
                            winner, battle, ..
                        }) if battle == id => Some(winner),
                        _ => None,
                    })
                    .collect();
            assert_eq!(advanced.len(), 1, "one winner of drawn match {id}");
            assert!(seated.contains(&advanced[0]), "the winner played in {id}");
            if round == 2 {
                finalists = seated;
            }
        }
    }
    let champions: Vec<PlayerId> = driver
        .events
        .iter()
        .filter_map(|e| match e.event {
            Event::Battle(BattleEvent::TournamentWon { tournament, winner })
                if tournament == lobby =>
            {
                Some(winner)
            }
            _ => None,
        })
        .collect();
    assert_eq!(champions.len(), 1, "a drawn final crowns one champion");
    assert!(
        finalists.contains(&champions[0]),
        "the champion played the final"
    );
    assert!(driver.world.battles().tournaments.is_empty());
}

/// Issue 13: one shared message offered every fighter's targets to everyone. Each seat's legal
/// moves come from the rules' own check, and a battle whose seats differ is marked so the
/// adapter gives each player a picker of their own.
#[test]
fn each_seat_is_offered_only_its_own_legal_moves() {
    let mut driver = with_pets(3);
    let card_of = |driver: &Driver, id: BattleId| {
        let open = driver.world.battles().open.get(&id).cloned();
        allspark_engine::battle::view::card(open, &driver.battle_events(id))
            .unwrap_or_else(|| panic!("no card for {id}"))
    };
    let duel = accepted_duel(&mut driver, 1, 2);
    let card = card_of(&driver, duel);
    let seat_1 = card.seat_of(PlayerId(1)).unwrap_or(u8::MAX);
    let seat_2 = card.seat_of(PlayerId(2)).unwrap_or(u8::MAX);
    assert_eq!(card.seat_of(PlayerId(3)), None, "a spectator has no seat");
    let one = card.moves_for(seat_1);
    assert_eq!(
        (one.targets.clone(), one.guards.clone()),
        (vec![seat_2], vec![seat_1])
    );
    assert!(!one.special, "a special needs charge first");
    assert!(!card.moves_are_shared());
    // What the picker offers the rules accept, and what it leaves out they refuse.
    let turn = card.sim.turn;
    let at_self = driver.run(
        p(1),
        battle(BattleCommand::Act {
            battle: duel,
            turn,
            action: Action::Attack { target: seat_1 },
        }),
    );
    assert_eq!(
        at_self,
        Err(Rejection::Battle(BattleRejection::InvalidTarget))
    );
    driver.must(
        p(1),
        battle(BattleCommand::Act {
            battle: duel,
            turn,
            action: Action::Attack {
                target: one.targets[0],
            },
        }),
    );
    assert!(card_of(&driver, duel).moves_for(seat_1).chosen);
    driver.fight_to_the_end(duel);
    assert_eq!(card_of(&driver, duel).moves_for(seat_1), Default::default());

    // Against an enemy every seat faces the same foes: one set of buttons serves all.
    let solo = started(&driver.must(
        p(3),
        battle(BattleCommand::StartSolo {
            enemy: weakest_monster(),
        }),
    ));
    let card = card_of(&driver, solo);
    assert!(card.moves_are_shared());
    let seat = card.seat_of(PlayerId(3)).unwrap_or(u8::MAX);
    assert_eq!(card.moves_for(seat).targets, card.targets());
}

/// The toughest monster that can stun: the bench's (`adapter-discord/benches/spectators.rs`).
fn toughest_stunning_monster() -> String {
    let content = content::get();
    content
        .enemies
        .values()
        .filter(|e| e.kind == allspark_engine::battle::content::EnemyKind::Monster)
        .filter(|e| {
            e.abilities.iter().any(|a| {
                content.abilities.get(a).map(|a| a.effect)
                    == Some(allspark_engine::battle::content::Effect::Stun)
            })
        })
        .max_by_key(|e| (e.hp, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_else(|| panic!("no monster stuns"))
}

/// A solo battle against a monster that stuns, the player defending every turn; whether the
/// pet was stunned. Every turn of an open battle waits for someone who can act: a turn in
/// which the only pet is stunned resolves in the command that resolved the turn before.
fn defend_against_a_stunning_monster(secret: &[u8]) -> bool {
    use allspark_engine::battle::sim::{Hit, StatusKind};
    let mut driver = Driver::new(secret);
    driver.must(
        p(1),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    let events = driver.must(
        p(1),
        battle(BattleCommand::StartSolo {
            enemy: toughest_stunning_monster(),
        }),
    );
    let id = started(&events);
    let mut stunned = false;
    while let Some(state) = driver.world.battles().open.get(&id).cloned() {
        assert_eq!(
            state.waiting_for(),
            vec![0],
            "turn {}: the pet owes its move",
            state.sim.turn
        );
        let events = driver.must(
            p(1),
            battle(BattleCommand::Act {
                battle: id,
                turn: state.sim.turn,
                action: Action::Defend { guard: 0 },
            }),
        );
        let resolved: Vec<(u32, &Vec<Hit>, &Vec<u8>)> = events
            .iter()
            .filter_map(|e| match e {
                Event::Battle(BattleEvent::TurnResolved {
                    turn,
                    log,
                    timed_out,
                    ..
                }) => Some((*turn, log, timed_out)),
                _ => None,
            })
            .collect();
        assert_eq!(resolved.first().map(|r| r.0), Some(state.sim.turn));
        for (n, (turn, log, timed_out)) in resolved.iter().enumerate() {
            assert_eq!(*turn, state.sim.turn + n as u32, "turns in order");
            assert!(timed_out.is_empty(), "nobody ran out of time");
            if n > 0 {
                assert!(
                    log.contains(&Hit::Stunned { fighter: 0 }),
                    "turn {turn} resolved at once only because the pet was stunned: {log:?}"
                );
            }
            if log.iter().any(|hit| {
                matches!(
                    hit,
                    Hit::StatusApplied {
                        fighter: 0,
                        kind: StatusKind::Stun,
                        ..
                    }
                )
            }) {
                stunned = true;
            }
        }
    }
    let history = driver.battle_events(id);
    let (verified, _) = allspark_engine::battle::replay::verify(history.iter())
        .unwrap_or_else(|e| panic!("the battle does not re-simulate: {e}"));
    assert!(verified.outcome.is_some());
    stunned
}

#[test]
fn a_turn_nobody_can_act_in_resolves_at_once() {
    let stunned = (0..20u8)
        .filter(|k| defend_against_a_stunning_monster(&[b's', b't', b'u', b'n', *k]))
        .count();
    assert!(
        stunned > 0,
        "the monster stunned the pet in none of 20 battles"
    );
}
