//! The replay property: for thousands of random battles of every mode, re-simulating each one
//! from its `Started` event and its recorded inputs reproduces every turn's log and state hash
//! and the outcome exactly. Alongside, a dual run: after every command the World is encoded,
//! decoded and compared, so state that doesn't survive a snapshot is caught too.
//!
//! Random players choose random legal and illegal actions (attacks, guards, charges, specials,
//! surrenders), and sometimes idle until the timer resolves the turn.

use allspark_engine::battle::replay;
use allspark_engine::battle::sim::{Action, Who};
use allspark_engine::battle::tuning::TURN_DEADLINE_SECS;
use allspark_engine::battle::{BattleCommand, BattleEvent, BattleId, LobbyKind};
use allspark_engine::codec;
use allspark_engine::content;
use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::testing::Driver;
use allspark_engine::{Actor, Command, Dice, Event, PlayerId, Seed, World};

const N_BATTLES: u64 = 2_000;

fn p(n: u64) -> Actor {
    Actor::Player(PlayerId(n))
}

fn battle(command: BattleCommand) -> Command {
    Command::Battle(command)
}

fn started(events: &[Event]) -> Option<BattleId> {
    events.iter().find_map(|event| match event {
        Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
        _ => None,
    })
}

fn check_dual(driver: &Driver) {
    let bytes = codec::encode_value(&driver.world).unwrap_or_default();
    let restored: World =
        codec::decode_value(&bytes).unwrap_or_else(|e| panic!("world does not decode: {e}"));
    assert_eq!(
        restored, driver.world,
        "the world did not survive encode/decode"
    );
}

/// Starts one battle of the mode picked by `mode` between the driver's players 1..=4.
fn start(driver: &mut Driver, mode: u64, dice: &mut Dice) -> Option<BattleId> {
    let enemies: Vec<String> = content::get().enemies.keys().cloned().collect();
    let enemy = enemies[dice.below(enemies.len() as u64) as usize].clone();
    let lobby_battle = |driver: &mut Driver, kind: LobbyKind, n: u64| {
        let opened = driver
            .run(
                p(1),
                battle(BattleCommand::OpenLobby {
                    kind,
                    stake: 10 * (mode % 2) as i64,
                }),
            )
            .or_else(|_| {
                driver.run(
                    p(1),
                    battle(BattleCommand::OpenLobby {
                        kind: LobbyKind::FreeForAll,
                        stake: 0,
                    }),
                )
            })
            .ok()?;
        let Event::Battle(BattleEvent::LobbyOpened { lobby, .. }) = opened[0] else {
            return None;
        };
        for player in 2..=n {
            driver
                .run(
                    p(player),
                    battle(BattleCommand::JoinLobby { lobby, side: None }),
                )
                .ok()?;
            driver
                .run(
                    p(player),
                    battle(BattleCommand::SetReady { lobby, ready: true }),
                )
                .ok()?;
        }
        started(
            &driver
                .run(p(1), battle(BattleCommand::StartLobby { lobby }))
                .ok()?,
        )
    };
    match mode % 6 {
        0 => started(
            &driver
                .run(p(1), battle(BattleCommand::StartSolo { enemy }))
                .ok()?,
        ),
        1 => lobby_battle(driver, LobbyKind::GroupPve { enemy }, 1 + dice.below(4)),
        2 => {
            let issued = driver
                .run(
                    p(1),
                    battle(BattleCommand::Challenge {
                        opponent: PlayerId(2),
                        stake: dice.below(50) as i64,
                    }),
                )
                .ok()?;
            let Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) = issued[0] else {
                return None;
            };
            started(
                &driver
                    .run(p(2), battle(BattleCommand::AcceptChallenge { challenge }))
                    .ok()?,
            )
        }
        3 => lobby_battle(driver, LobbyKind::Team { per_side: 2 }, 4),
        4 => lobby_battle(driver, LobbyKind::FreeForAll, 2 + dice.below(3)),
        _ => lobby_battle(driver, LobbyKind::Tournament { size: 4 }, 4),
    }
}

fn random_action(dice: &mut Dice, n_fighters: u64) -> Action {
    let target = dice.below(n_fighters) as u8;
    match dice.below(10) {
        0..=4 => Action::Attack { target },
        5 | 6 => Action::Defend { guard: target },
        7 | 8 => Action::Charge,
        _ => Action::Special { target },
    }
}

/// Plays every open battle to its end with random choices.
fn play_out(driver: &mut Driver, dice: &mut Dice) {
    for _ in 0..2_000 {
        let Some(id) = driver.world.battles().open.keys().next().copied() else {
            return;
        };
        let state = driver.world.battles().open[&id].clone();
        let waiting = state.waiting_for();
        if dice.below(20) == 0 {
            driver.advance_secs(TURN_DEADLINE_SECS);
            let _ = driver.run(
                Actor::System,
                battle(BattleCommand::Timeout {
                    battle: id,
                    turn: state.sim.turn,
                }),
            );
            check_dual(driver);
            continue;
        }
        for seat in waiting {
            let Who::Pet { player, .. } = state.sim.fighters[usize::from(seat)].who else {
                continue;
            };
            let command = if dice.below(150) == 0 {
                BattleCommand::Surrender { battle: id }
            } else {
                BattleCommand::Act {
                    battle: id,
                    turn: state.sim.turn,
                    action: random_action(dice, state.sim.fighters.len() as u64),
                }
            };
            // Illegal picks are refused and retried as a plain attack on the first opponent.
            if driver.run(Actor::Player(player), battle(command)).is_err() {
                let me = state.sim.fighters[usize::from(seat)];
                let target = state
                    .sim
                    .fighters
                    .iter()
                    .position(|f| f.side != me.side && f.is_alive())
                    .unwrap_or(0) as u8;
                let _ = driver.run(
                    Actor::Player(player),
                    battle(BattleCommand::Act {
                        battle: id,
                        turn: state.sim.turn,
                        action: Action::Attack { target },
                    }),
                );
            }
            check_dual(driver);
        }
    }
    panic!("battles did not finish");
}

#[test]
fn every_recorded_battle_of_every_mode_resimulates_exactly() {
    let mut verified_by_mode = [0u64; 6];
    for round in 0..N_BATTLES / 4 {
        let mut dice = Dice::from_seed(Seed::pcg(u128::from(round) * 7_919 + 1));
        let mut driver = Driver::new(&round.to_le_bytes());
        for n in 1..=4 {
            let faction = if dice.chance(1, 2) {
                Faction::Autobot
            } else {
                Faction::Decepticon
            };
            driver.must(p(n), Command::Pet(PetCommand::Adopt { faction }));
            driver.must(
                Actor::System,
                Command::Energon(EnergonCommand::Credit {
                    player: PlayerId(n),
                    amount: 5_000,
                }),
            );
        }
        // Four battles per world, one after another, so pets carry wear and levels forward.
        for k in 0..4 {
            let mode = (round * 4 + k) % 6;
            if start(&mut driver, mode, &mut dice).is_none() {
                continue;
            }
            play_out(&mut driver, &mut dice);
            verified_by_mode[mode as usize] += 1;
            for n in 1..=4 {
                for action in [
                    allspark_engine::pets::CareAction::Charge,
                    allspark_engine::pets::CareAction::Repair,
                    allspark_engine::pets::CareAction::Play,
                ] {
                    let _ = driver.run(
                        p(n),
                        Command::Pet(PetCommand::Care {
                            action,
                            level: allspark_engine::pets::CareLevel::Full,
                        }),
                    );
                }
            }
            driver.advance_secs(2 * 3_600);
        }
        let battle_ids: Vec<BattleId> = driver
            .events
            .iter()
            .filter_map(|e| match &e.event {
                Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
                _ => None,
            })
            .collect();
        for id in battle_ids {
            let events = driver.battle_events(id);
            match replay::verify(events.iter()) {
                Ok((verified, _)) => assert!(verified.outcome.is_some(), "battle {id} never ended"),
                Err(divergence) => panic!("round {round}, battle {id}: {divergence}"),
            }
        }
        assert!(driver.world.energon().is_conserved(), "round {round}");
    }
    assert!(
        verified_by_mode.iter().all(|n| *n > 0),
        "every mode must be exercised: {verified_by_mode:?}"
    );
    assert!(
        verified_by_mode.iter().sum::<u64>() >= N_BATTLES * 9 / 10,
        "{verified_by_mode:?}"
    );
}

#[test]
fn a_tampered_turn_is_reported_at_the_turn_it_happens() {
    let mut driver = Driver::new(b"tamper");
    driver.must(
        p(1),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Decepticon,
        }),
    );
    let enemy = content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    let id = started(&driver.must(p(1), battle(BattleCommand::StartSolo { enemy })))
        .unwrap_or_else(|| panic!("no battle"));
    let mut dice = Dice::from_seed(Seed::pcg(5));
    play_out(&mut driver, &mut dice);
    let mut events = driver.battle_events(id);
    assert!(replay::verify(events.iter()).is_ok());
    let tampered_turn = events.iter_mut().find_map(|event| match event {
        BattleEvent::TurnResolved {
            turn: 2,
            state_hash,
            ..
        } => {
            *state_hash ^= 1;
            Some(2)
        }
        _ => None,
    });
    assert_eq!(
        tampered_turn,
        Some(2),
        "the battle should last at least two turns"
    );
    match replay::verify(events.iter()) {
        Err(replay::Divergence::Turn {
            turn: 2,
            field: "state hash",
            ..
        }) => {}
        other => panic!("expected a divergence at turn 2, got {other:?}"),
    }
}
