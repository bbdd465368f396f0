//! Re-simulating a recorded battle: from its `Started` event and the recorded inputs (chosen
//! actions, surrenders), every `TurnResolved` and the `Ended` event must come out exactly the
//! same. A mismatch names the first turn where the histories part.
//!
//! Beyond the simulator, a finished battle's end is checked against what the command that
//! ended it recorded on other streams (its [`Settlement`]): rewards, experience, loot, wear,
//! stakes paid out of escrow, rating changes and tournament progress. Those values were decided
//! under the tuning of the day and are recorded, so they are never recomputed from today's
//! tuning: the check is that they are consistent with each other and with the simulated end
//! (who won, who survived, what was at stake, what was held in escrow).
//!
//! This is what `allspark-replay verify` runs, what CI runs over fixtures, and what the replay
//! property test runs over thousands of random battles.

use std::collections::BTreeMap;

use crate::battle::event::{BattleEvent, EnemySnapshot};
use crate::battle::sim::{Action, Fighter, Hit, Sim, SimOutcome};
use crate::battle::{BattleId, BattleMode};
use crate::dice::Seed;
use crate::energon::{EnergonEvent, LedgerRule};
use crate::envelope::RecordedEvent;
use crate::ids::{PlayerId, StreamId};
use crate::pets::PetEvent;
use crate::world::Event;
use serde::{Deserialize, Serialize};

/// How a recorded battle and its re-simulation differ.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Divergence {
    #[error("the history has no Started event")]
    NotStarted,
    #[error("turn {turn}: recorded {field} differs from the re-simulation (recorded {recorded}, re-simulated {resimulated})")]
    Turn {
        turn: u32,
        field: &'static str,
        recorded: String,
        resimulated: String,
    },
    #[error("the battle ended as {recorded} but re-simulates to {resimulated}")]
    Outcome {
        recorded: String,
        resimulated: String,
    },
    #[error("event for turn {turn} arrived while the battle was on turn {current}")]
    OutOfOrder { turn: u32, current: u32 },
    #[error("turn {turn}: fighter #{fighter} named in {event} does not exist (the battle has {fighters})")]
    FighterOutOfRange {
        turn: u32,
        fighter: u8,
        fighters: usize,
        event: &'static str,
    },
    #[error("the battle re-simulates to an end ({resimulated}) but its history records none")]
    NoEnd { resimulated: String },
    #[error("the recorded end is inconsistent: {what}")]
    End { what: String },
    #[error("what the end recorded is inconsistent: {what}")]
    Settlement { what: String },
}

impl Divergence {
    /// The turn a divergence is first visible at (0 when it is not tied to a turn).
    pub fn turn(&self) -> u32 {
        match self {
            Divergence::Turn { turn, .. }
            | Divergence::OutOfOrder { turn, .. }
            | Divergence::FighterOutOfRange { turn, .. } => *turn,
            Divergence::NotStarted
            | Divergence::Outcome { .. }
            | Divergence::NoEnd { .. }
            | Divergence::End { .. }
            | Divergence::Settlement { .. } => 0,
        }
    }
}

/// What a successful verification saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    pub battle: BattleId,
    pub n_turns: u32,
    pub outcome: Option<SimOutcome>,
    /// Whether the end's settlement (rewards, loot, stakes, ratings) was checked too: only for a
    /// finished battle whose file carries it.
    pub settled: bool,
}

/// What the command that ended a battle recorded beyond the battle's own stream, and what its
/// players had in its escrow when it started: the inputs of [`verify_file`]'s end checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// Every event the ending command appended after `Ended`, in order, whatever the stream.
    pub events: Vec<Event>,
    /// Each player's net amount in the battle's escrow just before `Started` (held minus
    /// refunded, from their own streams); empty for a battle without a stake.
    pub escrow: Vec<(PlayerId, u64)>,
}

/// The facts of a battle's start the end checks need.
struct Start {
    battle: BattleId,
    mode: BattleMode,
    seed: Seed,
    fighters: Vec<Fighter>,
    enemy: Option<EnemySnapshot>,
    rated: bool,
    stake: u64,
}

/// A battle re-simulated from its history.
struct Resimulated {
    start: Start,
    sim: Sim,
    n_turns: u32,
    ended: bool,
}

/// The simulator state of a battle after replaying `events` (its stream, in order), checking
/// every recorded turn on the way, and the end: a battle that re-simulates to an outcome must
/// record exactly one `Ended`, consistent with it (outcome, number of turns, seed), and nothing
/// after it. An action or surrender naming a fighter the battle doesn't have is an error.
pub fn verify<'a>(
    events: impl IntoIterator<Item = &'a BattleEvent>,
) -> Result<(Verified, Sim), Divergence> {
    let replayed = resimulate(events, true)?;
    Ok((
        Verified {
            battle: replayed.start.battle,
            n_turns: replayed.n_turns,
            outcome: replayed.sim.outcome,
            settled: false,
        },
        replayed.sim,
    ))
}

/// [`verify`], and for a finished battle whose file carries its [`Settlement`], every check of
/// what the end recorded (see [`check_settlement`]).
pub fn verify_file(file: &BattleFile) -> Result<Verified, Divergence> {
    let replayed = resimulate(&file.events, true)?;
    let settled = match (&file.settlement, replayed.ended) {
        (Some(settlement), true) => {
            check_settlement(&replayed, settlement)?;
            true
        }
        _ => false,
    };
    Ok(Verified {
        battle: replayed.start.battle,
        n_turns: replayed.n_turns,
        outcome: replayed.sim.outcome,
        settled,
    })
}

fn check_fighter(
    turn: u32,
    fighter: u8,
    fighters: usize,
    event: &'static str,
) -> Result<usize, Divergence> {
    let index = usize::from(fighter);
    if index < fighters {
        Ok(index)
    } else {
        Err(Divergence::FighterOutOfRange {
            turn,
            fighter,
            fighters,
            event,
        })
    }
}

fn resimulate<'a>(
    events: impl IntoIterator<Item = &'a BattleEvent>,
    require_end: bool,
) -> Result<Resimulated, Divergence> {
    let mut replayed: Option<Resimulated> = None;
    let mut pending: Vec<Option<Action>> = Vec::new();
    let mut log: Vec<Hit> = Vec::new();
    for event in events {
        if let (Some(state), false) = (&replayed, matches!(event, BattleEvent::Started { .. })) {
            if state.ended {
                return Err(Divergence::End {
                    what: format!("{} recorded after Ended", event_name(event)),
                });
            }
        }
        match event {
            BattleEvent::Started {
                battle,
                mode,
                seed,
                fighters,
                enemy,
                rated,
                stake,
                ..
            } => {
                if replayed.is_some() {
                    return Err(Divergence::End {
                        what: "a second Started".into(),
                    });
                }
                pending = vec![None; fighters.len()];
                replayed = Some(Resimulated {
                    start: Start {
                        battle: *battle,
                        mode: *mode,
                        seed: *seed,
                        fighters: fighters.clone(),
                        enemy: enemy.clone(),
                        rated: *rated,
                        stake: *stake,
                    },
                    sim: Sim {
                        fighters: fighters.clone(),
                        turn: 1,
                        seed: *seed,
                        kit: enemy.as_ref().map(|enemy| enemy.kit.clone()),
                        outcome: None,
                        // Until the battle's `Setup` says otherwise.
                        rules: 1,
                    },
                    n_turns: 0,
                    ended: false,
                });
            }
            BattleEvent::Setup { rules, .. } => {
                if let Some(state) = replayed.as_mut() {
                    state.sim.rules = *rules;
                }
            }
            BattleEvent::ActionChosen {
                turn,
                fighter,
                action,
                ..
            } => {
                let state = &mut replayed.as_mut().ok_or(Divergence::NotStarted)?.sim;
                if *turn != state.turn {
                    return Err(Divergence::OutOfOrder {
                        turn: *turn,
                        current: state.turn,
                    });
                }
                let n = state.fighters.len();
                let index = check_fighter(*turn, *fighter, n, "ActionChosen")?;
                match action {
                    Action::Attack { target } | Action::Special { target } => {
                        check_fighter(*turn, *target, n, "an action's target")?;
                    }
                    Action::Defend { guard } => {
                        check_fighter(*turn, *guard, n, "an action's guard")?;
                    }
                    Action::Charge => {}
                }
                if let Some(slot) = pending.get_mut(index) {
                    *slot = Some(*action);
                }
            }
            BattleEvent::Surrendered { fighter, .. } => {
                let state = &mut replayed.as_mut().ok_or(Divergence::NotStarted)?.sim;
                let index =
                    check_fighter(state.turn, *fighter, state.fighters.len(), "Surrendered")?;
                state.fighters[index].surrendered = true;
                state.judge();
            }
            BattleEvent::TurnResolved {
                turn,
                log: recorded,
                state_hash,
                ..
            } => {
                let replay = replayed.as_mut().ok_or(Divergence::NotStarted)?;
                let state = &mut replay.sim;
                if *turn != state.turn {
                    return Err(Divergence::OutOfOrder {
                        turn: *turn,
                        current: state.turn,
                    });
                }
                log.clear();
                state.resolve_turn(&pending, &mut log);
                pending.iter_mut().for_each(|choice| *choice = None);
                if log != *recorded {
                    let first = log
                        .iter()
                        .zip(recorded.iter())
                        .position(|(a, b)| a != b)
                        .unwrap_or(log.len().min(recorded.len()));
                    return Err(Divergence::Turn {
                        turn: *turn,
                        field: "log",
                        recorded: format!("{:?}", recorded.get(first)),
                        resimulated: format!("{:?}", log.get(first)),
                    });
                }
                let hash = state.state_hash();
                if hash != *state_hash {
                    return Err(Divergence::Turn {
                        turn: *turn,
                        field: "state hash",
                        recorded: format!("{state_hash:016x}"),
                        resimulated: format!("{hash:016x}"),
                    });
                }
                replay.n_turns = *turn;
            }
            BattleEvent::Ended {
                outcome,
                turns,
                seed,
                ..
            } => {
                let replay = replayed.as_mut().ok_or(Divergence::NotStarted)?;
                let state = &replay.sim;
                if state.outcome != Some(*outcome) {
                    return Err(Divergence::Outcome {
                        recorded: format!("{outcome:?}"),
                        resimulated: format!("{:?}", state.outcome),
                    });
                }
                if *turns != state.turn - 1 {
                    return Err(Divergence::End {
                        what: format!(
                            "Ended says {turns} turns, the battle re-simulates to {}",
                            state.turn - 1
                        ),
                    });
                }
                if *seed != replay.start.seed {
                    return Err(Divergence::End {
                        what: "Ended's seed is not the seed the battle started with".into(),
                    });
                }
                replay.ended = true;
            }
            _ => {}
        }
    }
    let replayed = replayed.ok_or(Divergence::NotStarted)?;
    if require_end && !replayed.ended {
        if let Some(outcome) = replayed.sim.outcome {
            return Err(Divergence::NoEnd {
                resimulated: format!("{outcome:?}"),
            });
        }
    }
    Ok(replayed)
}

fn event_name(event: &BattleEvent) -> String {
    let debug = format!("{event:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The most items `rules::loot` gives a survivor who kept `health_permille` of their starting
/// health: none at 10 % or less, two from 90 %, otherwise one (the rule counts items; which
/// items drop is the dice's and the content's business).
fn loot_items_max(health_permille: u64) -> usize {
    match health_permille {
        0..=100 => 0,
        900.. => 2,
        _ => 1,
    }
}

/// A mega-fight's end pays the teams' members, not the two fighters: every credit is the
/// mega-fight's rule at the winners' or the others' amount, its record names the winner the
/// battle had, and nothing of a pet battle's settlement (battle rewards, loot, wear, stakes,
/// ratings) is there.
fn check_mega_settlement(
    winner_side: Option<u8>,
    settlement: &Settlement,
) -> Result<(), Divergence> {
    use crate::fun::mega::{MEGA_LOSS_ENERGON, MEGA_WIN_ENERGON};
    use crate::fun::FunEvent;
    let fail = |what: String| Err(Divergence::Settlement { what });
    let mut recorded = None;
    for event in &settlement.events {
        match event {
            Event::Energon(EnergonEvent::Credited {
                player,
                amount,
                rule: LedgerRule::MegaFightReward,
            }) => {
                if *amount != MEGA_WIN_ENERGON && *amount != MEGA_LOSS_ENERGON {
                    return fail(format!("player {player} is paid {amount} for a mega-fight"));
                }
                if winner_side.is_none() && *amount == MEGA_WIN_ENERGON {
                    return fail(format!(
                        "player {player} is paid a win in a drawn mega-fight"
                    ));
                }
            }
            Event::Energon(EnergonEvent::Credited { player, .. })
            | Event::Energon(EnergonEvent::EscrowReleased { player, .. })
            | Event::Pet(PetEvent::ItemFound { player, .. })
            | Event::Pet(PetEvent::Damaged { player, .. })
            | Event::Battle(BattleEvent::RatingChanged { player, .. }) => {
                return fail(format!(
                    "a mega-fight's end settles for player {player} as a pet battle would"
                ));
            }
            Event::Fun(FunEvent::MegaFightEnded { winner, .. }) => recorded = Some(*winner),
            _ => {}
        }
    }
    match recorded {
        Some(winner) if winner == winner_side => Ok(()),
        Some(winner) => fail(format!(
            "the mega-fight's record names side {winner:?}, the battle {winner_side:?}"
        )),
        None => fail("a mega-fight ended without its record".into()),
    }
}

/// What a finished battle's end recorded, against its re-simulation:
/// - every reward, experience, level-up, loot, wear, payout and rating names a player of the
///   battle, and a player gets at most one reward, one experience award and one wear;
/// - PvE: only survivors of the winning side are paid, all the same amount (or none is), and
///   only they find loot, no more items than their remaining health allows; the other players'
///   experience is one amount, the survivors' another; PvP: no loot, and the winners'
///   experience is one amount, at least the losers' (one amount too);
/// - stakes: the pot (stake × players) equals what the players held in the battle's escrow at
///   its start, and it is paid out in full: to every winner and nobody else, or refunded
///   (each player's stake) on a draw; no stake, no payout;
/// - ratings: a rated battle with a winner changes exactly the two players' ratings (the
///   winner's up or level, the loser's down or level, never below the floor), any other none;
/// - tournaments: one match result naming a winner of the battle, for its tournament and round.
fn check_settlement(replayed: &Resimulated, settlement: &Settlement) -> Result<(), Divergence> {
    let start = &replayed.start;
    let sim = &replayed.sim;
    let Some(outcome) = sim.outcome else {
        return Ok(());
    };
    let fail = |what: String| Err(Divergence::Settlement { what });
    let winner_side = match outcome {
        SimOutcome::Won { side } => Some(side),
        SimOutcome::Draw => None,
    };
    if let BattleMode::MegaFight { .. } = start.mode {
        return check_mega_settlement(winner_side, settlement);
    }
    let seats: BTreeMap<PlayerId, usize> = sim
        .fighters
        .iter()
        .enumerate()
        .filter_map(|(index, fighter)| Some((fighter.player()?, index)))
        .collect();
    let won = |seat: usize| winner_side == Some(sim.fighters[seat].side);
    let survivor = |seat: usize| won(seat) && sim.fighters[seat].is_alive();
    let seat_of = |player: PlayerId, what: &str| {
        seats
            .get(&player)
            .copied()
            .ok_or_else(|| Divergence::Settlement {
                what: format!("{what} for player {player}, who is not in the battle"),
            })
    };

    let mut energon: BTreeMap<usize, u64> = BTreeMap::new();
    let mut xp: BTreeMap<usize, u64> = BTreeMap::new();
    let mut items: BTreeMap<usize, usize> = BTreeMap::new();
    let mut worn: BTreeMap<usize, u32> = BTreeMap::new();
    let mut released: Vec<(usize, u64, bool)> = Vec::new();
    let mut ratings: Vec<(usize, PlayerId, u32, u32)> = Vec::new();
    let mut matches: Vec<(crate::battle::LobbyId, u8, PlayerId)> = Vec::new();
    for event in &settlement.events {
        match event {
            Event::Energon(EnergonEvent::Credited {
                player,
                amount,
                rule: LedgerRule::BattleReward,
            }) => {
                let seat = seat_of(*player, "a battle reward")?;
                if energon.insert(seat, *amount).is_some() {
                    return fail(format!("player {player} is rewarded twice"));
                }
            }
            Event::Energon(EnergonEvent::EscrowReleased {
                player,
                escrow,
                amount,
                refund,
            }) => {
                if *escrow != start.battle.0 {
                    return fail(format!(
                        "the end releases escrow {escrow:032x}, not the battle's"
                    ));
                }
                released.push((seat_of(*player, "a stake released")?, *amount, *refund));
            }
            Event::Energon(EnergonEvent::EscrowHeld { player, .. }) => {
                return fail(format!("the end holds a stake of player {player}"));
            }
            Event::Pet(PetEvent::ExperienceGained { player, xp: gained }) => {
                let seat = seat_of(*player, "experience")?;
                if xp.insert(seat, *gained).is_some() {
                    return fail(format!("player {player} gains experience twice"));
                }
            }
            Event::Pet(PetEvent::LeveledUp { player, .. }) => {
                let seat = seat_of(*player, "a level-up")?;
                if !xp.contains_key(&seat) {
                    return fail(format!(
                        "player {player} levels up without gaining experience first"
                    ));
                }
            }
            Event::Pet(PetEvent::ItemFound { player, .. }) => {
                *items.entry(seat_of(*player, "loot")?).or_default() += 1;
            }
            Event::Pet(PetEvent::Damaged {
                player,
                energy_lost,
                happiness_lost,
                maintenance_lost,
            }) => {
                let seat = seat_of(*player, "wear")?;
                let most = (*energy_lost).max(*happiness_lost).max(*maintenance_lost);
                if worn.insert(seat, most).is_some() {
                    return fail(format!("player {player}'s pet is worn twice"));
                }
                if u64::from(most) > sim.fighters[seat].damage_taken {
                    return fail(format!(
                        "player {player}'s pet loses {most} to wear but took {} damage",
                        sim.fighters[seat].damage_taken
                    ));
                }
            }
            Event::Battle(BattleEvent::RatingChanged {
                player,
                opponent,
                battle,
                before,
                after,
            }) if *battle == start.battle => {
                ratings.push((
                    seat_of(*player, "a rating change")?,
                    *opponent,
                    *before,
                    *after,
                ));
            }
            Event::Battle(BattleEvent::TournamentMatchWon {
                tournament,
                round,
                winner,
                battle,
            }) if *battle == start.battle => matches.push((*tournament, *round, *winner)),
            _ => {}
        }
    }

    // Rewards, experience and loot.
    let same = |values: &mut dyn Iterator<Item = u64>| {
        let values: Vec<u64> = values.collect();
        values.windows(2).all(|pair| pair[0] == pair[1])
    };
    // Seats in seat order (`seats` is in player order).
    let mut players: Vec<usize> = seats.values().copied().collect();
    players.sort_unstable();
    if start.enemy.is_some() {
        let survivors: Vec<usize> = players.iter().copied().filter(|s| survivor(*s)).collect();
        if let Some(seat) = energon.keys().find(|seat| !survivor(**seat)) {
            return fail(format!(
                "fighter #{seat} is rewarded without surviving on the winning side"
            ));
        }
        if !energon.is_empty() && energon.keys().copied().collect::<Vec<_>>() != survivors {
            return fail("some survivors of the winning side are not rewarded".into());
        }
        if !same(&mut energon.values().copied()) {
            return fail("survivors are rewarded different amounts for one enemy".into());
        }
        if !same(&mut xp.iter().filter(|(s, _)| survivor(**s)).map(|(_, v)| *v))
            || !same(&mut xp.iter().filter(|(s, _)| !survivor(**s)).map(|(_, v)| *v))
        {
            return fail("players in the same place gain different experience".into());
        }
        for (seat, found) in &items {
            if !survivor(*seat) {
                return fail(format!(
                    "fighter #{seat} finds loot without surviving on the winning side"
                ));
            }
            let hp_start = start.fighters[*seat].hp.max(1);
            let permille = u64::from(sim.fighters[*seat].hp) * 1_000 / u64::from(hp_start);
            if *found > loot_items_max(permille) {
                return fail(format!(
                    "fighter #{seat} finds {found} items with {permille}‰ of its health left"
                ));
            }
        }
    } else {
        if !items.is_empty() {
            return fail("a battle without an enemy drops loot".into());
        }
        // PvP pay depends on what each fighter did and on how often the pair has met
        // (`rules::pvp_reward_percent`), so two winners may gain different experience: only who is paid
        // is checked above.
    }

    // Stakes.
    if start.stake == 0 {
        if !released.is_empty() {
            return fail("a battle without a stake pays out of escrow".into());
        }
    } else {
        let pot = start.stake * players.len() as u64;
        let held: BTreeMap<PlayerId, u64> = settlement.escrow.iter().copied().collect();
        let held_total: u64 = held.values().sum();
        if held_total != pot || seats.keys().any(|p| held.get(p) != Some(&start.stake)) {
            return fail(format!(
                "the pot is {pot} ({} × {}) but the players held {held_total} in escrow",
                start.stake,
                players.len()
            ));
        }
        let paid: u64 = released.iter().map(|(_, amount, _)| amount).sum();
        if paid != pot {
            return fail(format!("the pot is {pot} but {paid} is released"));
        }
        let mut recipients: Vec<usize> = released.iter().map(|(seat, _, _)| *seat).collect();
        recipients.sort_unstable();
        let winners: Vec<usize> = players.iter().copied().filter(|s| won(*s)).collect();
        if winners.is_empty() {
            if recipients != players
                || released
                    .iter()
                    .any(|(_, amount, refund)| !refund || *amount != start.stake)
            {
                return fail("a drawn battle must refund every stake as it was".into());
            }
        } else if recipients != winners || released.iter().any(|(_, _, refund)| *refund) {
            return fail("the pot must be paid to every winner and nobody else".into());
        }
    }

    // Ratings.
    let rated_result = start.rated && winner_side.is_some() && players.len() == 2;
    if !rated_result {
        if !ratings.is_empty() {
            return fail("ratings change after a battle that is not rated or has no winner".into());
        }
    } else {
        let mut seen: Vec<usize> = ratings.iter().map(|(seat, ..)| *seat).collect();
        seen.sort_unstable();
        if seen != players {
            return fail("a rated result changes both players' ratings, once each".into());
        }
        for (seat, opponent, before, after) in &ratings {
            let opponent_seat = seat_of(*opponent, "a rating opponent")?;
            // The lowest floor any rules version used (ratings once stopped at the start).
            let floor = crate::battle::elo::RATING_FLOOR;
            let moved_right = if won(*seat) {
                after >= before
            } else {
                after <= before
            };
            if opponent_seat == *seat || !moved_right || *after < floor {
                return fail(format!(
                    "fighter #{seat}'s rating moves from {before} to {after} the wrong way"
                ));
            }
        }
    }

    // Tournaments.
    match start.mode {
        BattleMode::Tournament { tournament, round } => {
            let [(recorded_tournament, recorded_round, winner)] = matches[..] else {
                return fail(format!(
                    "a tournament match records {} results",
                    matches.len()
                ));
            };
            let winner_seat = seat_of(winner, "a tournament match won")?;
            if recorded_tournament != tournament
                || recorded_round != round
                || winner_side.is_some_and(|_| !won(winner_seat))
            {
                return fail("the tournament result does not match the battle".into());
            }
        }
        _ => {
            if !matches.is_empty() {
                return fail("a battle outside a tournament records a tournament result".into());
            }
        }
    }
    Ok(())
}

/// One resolved turn, as `show` and `step` display it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnView {
    pub turn: u32,
    /// What each fighter chose (fighters who defaulted are absent).
    pub chosen: Vec<(u8, Action)>,
    pub log: Vec<Hit>,
    /// Every fighter after the turn.
    pub fighters: Vec<crate::battle::sim::Fighter>,
}

/// The battle's turns, re-simulated and checked like [`verify`], with the state after each.
/// The first entry (turn 0) is the battle as it started.
pub fn timeline<'a>(
    events: impl IntoIterator<Item = &'a BattleEvent>,
) -> Result<Vec<TurnView>, Divergence> {
    timeline_checked(events, true)
}

/// [`timeline`] of a battle that may still be running: the history so far must re-simulate,
/// but need not end (how the web pages show a running battle).
pub fn timeline_so_far<'a>(
    events: impl IntoIterator<Item = &'a BattleEvent>,
) -> Result<Vec<TurnView>, Divergence> {
    timeline_checked(events, false)
}

fn timeline_checked<'a>(
    events: impl IntoIterator<Item = &'a BattleEvent>,
    require_end: bool,
) -> Result<Vec<TurnView>, Divergence> {
    let events: Vec<&BattleEvent> = events.into_iter().collect();
    let mut views = Vec::new();
    let mut chosen = Vec::new();
    let mut prefix: Vec<&BattleEvent> = Vec::new();
    for event in events.iter().copied() {
        prefix.push(event);
        match event {
            BattleEvent::Started { fighters, .. } => {
                views.push(TurnView {
                    turn: 0,
                    chosen: Vec::new(),
                    log: Vec::new(),
                    fighters: fighters.clone(),
                });
            }
            BattleEvent::ActionChosen {
                fighter, action, ..
            } => chosen.push((*fighter, *action)),
            BattleEvent::TurnResolved { turn, log, .. } => {
                // A prefix may stop between the last turn and its `Ended`.
                let replayed = resimulate(prefix.iter().copied(), false)?;
                views.push(TurnView {
                    turn: *turn,
                    chosen: std::mem::take(&mut chosen),
                    log: log.clone(),
                    fighters: replayed.sim.fighters,
                });
            }
            _ => {}
        }
    }
    if views.is_empty() {
        // Every caller may index the first view: a history without a start has none.
        return Err(Divergence::NotStarted);
    }
    // The whole history, end included when one is required.
    resimulate(events, require_end)?;
    Ok(views)
}

/// The format tag of battle files. Version 2 writes ids and seeds as strings (see
/// `ids::json_ids`); version 1 wrote them as numbers and is still read.
pub const EXPORT_FORMAT: &str = "allspark-battle/2";

/// The format tags [`BattleFile::from_json`] reads.
pub const EXPORT_FORMATS_READ: [&str; 2] = ["allspark-battle/1", EXPORT_FORMAT];

/// A self-contained battle history (JSON): what `allspark-replay` shows, steps through and
/// verifies, written by `allspark-replay export` and served by the bot's replay feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleFile {
    pub format: String,
    pub battle: BattleId,
    pub events: Vec<BattleEvent>,
    /// What the end recorded on other streams, for a finished battle (absent from files
    /// written before it existed, and while the battle runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
}

impl BattleFile {
    /// Reads a battle file's JSON, of any format in [`EXPORT_FORMATS_READ`]; the error is a
    /// sentence (not JSON, or a format this build doesn't read).
    pub fn from_json(text: &str) -> Result<BattleFile, String> {
        // Version 1 wrote 128-bit numbers, which a JSON reader rounds: quote them first.
        let text = crate::ids::json_ids::quote_big_integers(text);
        let file: BattleFile = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        if !EXPORT_FORMATS_READ.contains(&file.format.as_str()) {
            return Err(format!(
                "it has format {}, this build reads {}",
                file.format,
                EXPORT_FORMATS_READ.join(" and ")
            ));
        }
        Ok(file)
    }
}

/// Every battle the log started up to `until_seq`, in start order, with its `Started` record.
pub fn started_battles(
    log: &dyn crate::log::EventLog,
    until_seq: u64,
) -> Result<Vec<(BattleId, RecordedEvent)>, crate::log::LogError> {
    let mut found = Vec::new();
    log.scan(1, &mut |recorded| {
        if recorded.seq <= until_seq {
            if let Event::Battle(BattleEvent::Started { battle, .. }) = &recorded.event {
                found.push((*battle, recorded));
            }
        }
    })?;
    Ok(found)
}

/// Why a typed battle id names no one battle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// No battle's id starts with it; `near` holds up to three that share its first two
    /// characters.
    NotFound { typed: String, near: Vec<BattleId> },
    /// Several battles' ids start with it.
    Ambiguous { typed: String, matches: usize },
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unresolved::NotFound { typed, near } if near.is_empty() => {
                write!(f, "no battle `{typed}`")
            }
            Unresolved::NotFound { typed, near } => {
                let near: Vec<String> = near.iter().map(BattleId::to_string).collect();
                write!(f, "no battle `{typed}`; did you mean {}?", near.join(", "))
            }
            Unresolved::Ambiguous { typed, matches } => {
                write!(
                    f,
                    "`{typed}` matches {matches} battles; type more of the id"
                )
            }
        }
    }
}

/// The one battle of `ids` that `typed` names: a whole id or a unique prefix of one, in the
/// hex that ids print in, whatever its case. The same rule for the replay tool's store
/// commands and the bot's replay feed.
pub fn resolve_battle(ids: &[BattleId], typed: &str) -> Result<BattleId, Unresolved> {
    let wanted = typed.trim().to_lowercase();
    let matches: Vec<BattleId> = ids
        .iter()
        .copied()
        .filter(|id| !wanted.is_empty() && id.to_string().starts_with(&wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            // The first two characters (not bytes: the argument is whatever was typed).
            let head: String = wanted.chars().take(2).collect();
            let near = ids
                .iter()
                .copied()
                .filter(|id| !head.is_empty() && id.to_string().starts_with(&head))
                .take(3)
                .collect();
            Err(Unresolved::NotFound {
                typed: typed.to_string(),
                near,
            })
        }
        many => Err(Unresolved::Ambiguous {
            typed: typed.to_string(),
            matches: many.len(),
        }),
    }
}

/// The kind of a battle that started in `mode`: a duel is a challenge's when the challenge
/// with the battle's id was accepted into it, and the ranked queue's otherwise.
pub fn battle_kind(
    log: &dyn crate::log::EventLog,
    battle: BattleId,
    mode: BattleMode,
) -> Result<crate::battle::BattleKind, crate::log::LogError> {
    let from_challenge =
        mode == BattleMode::Duel && {
            let challenge = crate::battle::ChallengeId(battle.0);
            let stream = crate::ids::StreamId::trusted(format!("challenge/{challenge}"));
            log.read_stream(&stream, 1, usize::MAX)?.iter().any(|recorded| {
            matches!(
                &recorded.event,
                crate::world::Event::Battle(BattleEvent::ChallengeAccepted { battle: into, .. })
                    if *into == battle
            )
        })
        };
    Ok(crate::battle::BattleKind::of(mode, from_challenge))
}

/// A battle's history as a file, up to and including `until_seq` (what is durable, when the
/// reader runs beside the writer); `None` if the log has no such battle.
pub fn battle_file(
    log: &dyn crate::log::EventLog,
    battle: BattleId,
    until_seq: u64,
) -> Result<Option<BattleFile>, crate::log::LogError> {
    let records: Vec<RecordedEvent> = log
        .read_stream(&battle.stream(), 1, usize::MAX)?
        .into_iter()
        .take_while(|recorded| recorded.seq <= until_seq)
        .collect();
    let settlement = match ended_record(&records) {
        None => None,
        Some(ended) => {
            let mut events = Vec::new();
            let mut next = ended.seq + 1;
            'pages: loop {
                let page = log.read_all(next, 64)?;
                if page.is_empty() {
                    break;
                }
                for recorded in page {
                    if recorded.seq > until_seq || recorded.command_id != ended.command_id {
                        break 'pages;
                    }
                    next = recorded.seq + 1;
                    events.push(recorded.event);
                }
            }
            let mut escrow = Vec::new();
            if let Some((started_seq, stake, players)) = stake_of(&records) {
                if stake > 0 {
                    for player in players {
                        let stream = log.read_stream(&StreamId::user(player), 1, usize::MAX)?;
                        escrow.push((player, net_escrow(&stream, battle, started_seq)));
                    }
                }
            }
            Some(Settlement { events, escrow })
        }
    };
    Ok(file_of(battle, records, settlement))
}

/// [`battle_file`] over recorded events in seq order (a whole history in memory, such as
/// `testing::Driver`'s).
pub fn battle_file_in(records: &[RecordedEvent], battle: BattleId) -> Option<BattleFile> {
    let stream = battle.stream();
    let own: Vec<RecordedEvent> = records
        .iter()
        .filter(|recorded| recorded.stream == stream)
        .cloned()
        .collect();
    let settlement = ended_record(&own).map(|ended| {
        let events = records
            .iter()
            .skip_while(|recorded| recorded.seq <= ended.seq)
            .take_while(|recorded| recorded.command_id == ended.command_id)
            .map(|recorded| recorded.event.clone())
            .collect();
        let escrow = match stake_of(&own) {
            Some((started_seq, stake, players)) if stake > 0 => players
                .into_iter()
                .map(|player| {
                    let stream = StreamId::user(player);
                    let theirs: Vec<RecordedEvent> = records
                        .iter()
                        .filter(|recorded| recorded.stream == stream)
                        .cloned()
                        .collect();
                    (player, net_escrow(&theirs, battle, started_seq))
                })
                .collect(),
            _ => Vec::new(),
        };
        Settlement { events, escrow }
    });
    file_of(battle, own, settlement)
}

fn file_of(
    battle: BattleId,
    records: Vec<RecordedEvent>,
    settlement: Option<Settlement>,
) -> Option<BattleFile> {
    let events: Vec<BattleEvent> = records
        .into_iter()
        .filter_map(|recorded| match recorded.event {
            Event::Battle(event) => Some(event),
            _ => None,
        })
        .collect();
    (!events.is_empty()).then(|| BattleFile {
        format: EXPORT_FORMAT.to_string(),
        battle,
        events,
        settlement,
    })
}

fn ended_record(records: &[RecordedEvent]) -> Option<&RecordedEvent> {
    records
        .iter()
        .find(|recorded| matches!(recorded.event, Event::Battle(BattleEvent::Ended { .. })))
}

/// The seq of the battle's `Started`, its stake, and its players.
fn stake_of(records: &[RecordedEvent]) -> Option<(u64, u64, Vec<PlayerId>)> {
    records.iter().find_map(|recorded| match &recorded.event {
        Event::Battle(BattleEvent::Started {
            stake, fighters, ..
        }) => Some((
            recorded.seq,
            *stake,
            fighters.iter().filter_map(Fighter::player).collect(),
        )),
        _ => None,
    })
}

/// What a player's stream put into the battle's escrow before `before_seq`, net of refunds.
fn net_escrow(stream: &[RecordedEvent], battle: BattleId, before_seq: u64) -> u64 {
    let mut net: u64 = 0;
    for recorded in stream.iter().take_while(|r| r.seq < before_seq) {
        match recorded.event {
            Event::Energon(EnergonEvent::EscrowHeld { escrow, amount, .. })
                if escrow == battle.0 =>
            {
                net = net.saturating_add(amount)
            }
            Event::Energon(EnergonEvent::EscrowReleased { escrow, amount, .. })
                if escrow == battle.0 =>
            {
                net = net.saturating_sub(amount)
            }
            _ => {}
        }
    }
    net
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::battle::command::BattleCommand;
    use crate::battle::ChallengeId;
    use crate::energon::EnergonCommand;
    use crate::ids::Actor;
    use crate::pets::{Faction, PetCommand};
    use crate::testing::Driver;
    use crate::world::Command;

    fn adopt(driver: &mut Driver, player: u64) {
        driver.must(
            Actor::Player(PlayerId(player)),
            Command::Pet(PetCommand::Adopt {
                faction: Faction::Autobot,
            }),
        );
        driver.must(
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player: PlayerId(player),
                amount: 1_000,
            }),
        );
    }

    /// Every seat that must act attacks the first opponent still standing, until the end.
    fn play_out(driver: &mut Driver, battle: BattleId) {
        while let Some(state) = driver.world.battles.open.get(&battle).cloned() {
            for seat in state.waiting_for() {
                let me = state.sim.fighters[usize::from(seat)];
                let Some(player) = me.player() else { continue };
                let target = state
                    .sim
                    .fighters
                    .iter()
                    .position(|f| f.side != me.side && f.is_alive())
                    .unwrap_or(0) as u8;
                driver.must(
                    Actor::Player(player),
                    Command::Battle(BattleCommand::Act {
                        battle,
                        turn: state.sim.turn,
                        action: Action::Attack { target },
                    }),
                );
            }
        }
    }

    fn started(events: &[Event]) -> BattleId {
        events
            .iter()
            .find_map(|event| match event {
                Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no battle started"))
    }

    /// A rated duel with a stake of 50, played to its end.
    fn staked_duel() -> BattleFile {
        let mut driver = Driver::new(b"staked duel");
        adopt(&mut driver, 1);
        adopt(&mut driver, 2);
        let issued = driver.must(
            Actor::Player(PlayerId(1)),
            Command::Battle(BattleCommand::Challenge {
                opponent: PlayerId(2),
                stake: 50,
            }),
        );
        let challenge = issued
            .iter()
            .find_map(|event| match event {
                Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) => Some(*challenge),
                _ => None,
            })
            .unwrap_or(ChallengeId(0));
        let battle = started(&driver.must(
            Actor::Player(PlayerId(2)),
            Command::Battle(BattleCommand::AcceptChallenge { challenge }),
        ));
        play_out(&mut driver, battle);
        battle_file_in(&driver.events, battle).unwrap_or_else(|| panic!("no file"))
    }

    /// Solo battles against the weakest and the strongest enemy, until one is won by a pet
    /// that keeps most of its health (`want_win`) or lost.
    fn solo(want_win: bool) -> BattleFile {
        let mut enemies: Vec<_> = crate::content::get().enemies.values().collect();
        enemies.sort_by_key(|def| (def.hp, def.id.clone()));
        let enemy = if want_win {
            enemies[0].id.clone()
        } else {
            enemies[enemies.len() - 1].id.clone()
        };
        for attempt in 0..50u32 {
            let mut driver = Driver::new(&attempt.to_le_bytes());
            adopt(&mut driver, 1);
            let battle = started(&driver.must(
                Actor::Player(PlayerId(1)),
                Command::Battle(BattleCommand::StartSolo {
                    enemy: enemy.clone(),
                }),
            ));
            play_out(&mut driver, battle);
            let file = battle_file_in(&driver.events, battle).unwrap_or_else(|| panic!("no file"));
            let won = driver
                .world
                .battles
                .stats
                .get(&PlayerId(1))
                .is_some_and(|stats| stats.wins > 0);
            if won == want_win {
                return file;
            }
        }
        panic!("no solo battle came out as wanted");
    }

    fn expect(file: &BattleFile, what: &str, check: impl Fn(&Divergence) -> bool) {
        match verify_file(file) {
            Err(divergence) if check(&divergence) => {}
            other => panic!("{what}: expected a divergence, got {other:?}"),
        }
    }

    fn settlement_error(divergence: &Divergence) -> bool {
        matches!(divergence, Divergence::Settlement { .. })
    }

    fn settlement(file: &mut BattleFile) -> &mut Settlement {
        file.settlement
            .as_mut()
            .unwrap_or_else(|| panic!("a finished battle's file carries its settlement"))
    }

    #[test]
    fn a_staked_rated_duel_verifies_with_its_settlement() {
        let file = staked_duel();
        let verified = verify_file(&file).unwrap_or_else(|d| panic!("{d}"));
        assert!(verified.settled && verified.outcome.is_some());
        let settlement = file.settlement.clone().unwrap_or_default();
        assert_eq!(
            settlement.escrow,
            vec![(PlayerId(1), 50), (PlayerId(2), 50)]
        );
        assert!(settlement
            .events
            .iter()
            .any(|e| matches!(e, Event::Battle(BattleEvent::RatingChanged { .. }))));
        // The file's JSON keeps the settlement.
        let text = serde_json::to_string(&file).unwrap_or_default();
        let back: BattleFile = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, file);
        // A file without one (written before it existed) still reads and verifies its turns.
        let mut old = file.clone();
        old.settlement = None;
        let old_text = serde_json::to_string(&old).unwrap_or_default();
        assert!(!old_text.contains("settlement"));
        let verified = verify_file(&old).unwrap_or_else(|d| panic!("{d}"));
        assert!(!verified.settled);
    }

    /// JavaScript reads JSON numbers as doubles: a battle file carries every 128-bit id, seed
    /// and escrow as a hex string, and player ids and state hashes as decimal strings (no
    /// number a double can't hold is left), and a version 1 file, which wrote them all as
    /// numbers, still reads without losing a digit.
    #[test]
    fn a_battle_files_ids_are_strings_and_version_1_files_still_read() {
        let file = staked_duel();
        let text = serde_json::to_string_pretty(&file).unwrap_or_default();
        assert!(
            text.contains(&format!("\"battle\": \"{}\"", file.battle)),
            "{text}"
        );
        let seed = file
            .events
            .iter()
            .find_map(|event| match event {
                BattleEvent::Started { seed, .. } => Some(seed.value),
                _ => None,
            })
            .unwrap_or_default();
        assert!(
            text.contains(&format!("\"value\": \"{seed:032x}\"")),
            "{text}"
        );
        assert!(
            text.contains(&format!("\"escrow\": \"{:032x}\"", file.battle.0)),
            "{text}"
        );
        assert!(text.contains("\"player\": \"1\""), "{text}");
        // No bare number a double cannot hold exactly is left (2^53 is 16 digits).
        let longest = text
            .split(|c: char| !c.is_ascii_digit() && c != '"')
            .filter(|word| !word.starts_with('"'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest < 16, "a {longest}-digit number in {text}");
        assert_eq!(BattleFile::from_json(&text), Ok(file.clone()));

        // The same file as version 1 wrote it: every one of those as a bare number.
        let mut old = text.replace(EXPORT_FORMAT, "allspark-battle/1");
        for value in [file.battle.0, seed] {
            old = old.replace(&format!("\"{value:032x}\""), &value.to_string());
        }
        old = old.replace("\"player\": \"1\"", "\"player\": 1");
        let key = "\"state_hash\": \"";
        while let Some(at) = old.find(key) {
            let digits = at + key.len();
            let end = digits + old[digits..].find('"').unwrap_or(0);
            let number = old[digits..end].to_string();
            old.replace_range(at + key.len() - 1..=end, &number);
        }
        assert!(!old.contains(key));
        assert!(old.contains(&file.battle.0.to_string()) && old.contains("\"player\": 1"));
        let mut expected = file.clone();
        expected.format = "allspark-battle/1".into();
        assert_eq!(BattleFile::from_json(&old), Ok(expected));
        // A format this build doesn't know is a sentence.
        let newer = text.replace(EXPORT_FORMAT, "allspark-battle/99");
        let refused = BattleFile::from_json(&newer).err().unwrap_or_default();
        assert!(refused.contains("allspark-battle/99"), "{refused}");
    }

    /// Every mode has a kind, duels told apart by how they began; every kind's label reads back.
    #[test]
    fn every_battle_mode_has_a_kind_and_every_kind_a_label() {
        use crate::battle::{BattleKind, LobbyId};
        let modes = [
            BattleMode::Solo,
            BattleMode::Group,
            BattleMode::Duel,
            BattleMode::Team,
            BattleMode::FreeForAll,
            BattleMode::Tournament {
                tournament: LobbyId(1),
                round: 0,
            },
            BattleMode::Adventure {
                adventure: 1,
                segment: 0,
            },
            BattleMode::MegaFight {
                challenger: 1,
                defender: 2,
            },
        ];
        let mut kinds: Vec<BattleKind> = modes
            .iter()
            .flat_map(|mode| [BattleKind::of(*mode, false), BattleKind::of(*mode, true)])
            .collect();
        kinds.sort();
        kinds.dedup();
        let mut all = BattleKind::ALL.to_vec();
        all.sort();
        assert_eq!(
            kinds, all,
            "every kind comes from a mode, and every mode has a kind"
        );
        assert_eq!(
            BattleKind::of(BattleMode::Duel, true),
            BattleKind::Challenge
        );
        assert_eq!(BattleKind::of(BattleMode::Duel, false), BattleKind::Ranked);
        for kind in BattleKind::ALL {
            assert_eq!(BattleKind::parse(kind.label()), Some(*kind));
        }
        assert_eq!(BattleKind::parse("duel"), None);
    }

    #[test]
    fn a_typed_battle_id_resolves_by_unique_prefix() {
        let ids = [
            BattleId(0xab << 120),
            BattleId(0xac << 120),
            BattleId(0xad01 << 112),
        ];
        assert_eq!(resolve_battle(&ids, "ab"), Ok(ids[0]));
        assert_eq!(resolve_battle(&ids, "AD"), Ok(ids[2]));
        assert_eq!(resolve_battle(&ids, &ids[1].to_string()), Ok(ids[1]));
        let ambiguous = resolve_battle(&ids, "a").err().map(|e| e.to_string());
        assert_eq!(
            ambiguous.as_deref(),
            Some("`a` matches 3 battles; type more of the id")
        );
        let near = resolve_battle(&ids, "ae").err().map(|e| e.to_string());
        assert_eq!(near.as_deref(), Some("no battle `ae`"));
        let near = resolve_battle(&ids, "ab9").err().map(|e| e.to_string());
        assert!(
            near.as_deref().is_some_and(
                |near| near.contains("did you mean") && near.contains(&ids[0].to_string())
            ),
            "{near:?}"
        );
        assert!(resolve_battle(&ids, "").is_err());
        assert!(resolve_battle(&ids, "é").is_err());
    }

    #[test]
    fn a_finished_battle_without_its_end_or_with_a_wrong_one_is_refused() {
        let file = staked_duel();
        let mut headless = file.clone();
        headless
            .events
            .retain(|event| !matches!(event, BattleEvent::Ended { .. }));
        expect(&headless, "no Ended", |d| {
            matches!(d, Divergence::NoEnd { .. })
        });
        assert!(matches!(
            verify(headless.events.iter()),
            Err(Divergence::NoEnd { .. })
        ));
        // While the battle runs (a prefix up to a turn before the last) there is no end to want.
        let running: Vec<BattleEvent> = file
            .events
            .iter()
            .take_while(|event| !matches!(event, BattleEvent::TurnResolved { turn: 2, .. }))
            .cloned()
            .collect();
        assert!(verify(running.iter()).is_ok_and(|(v, _)| v.outcome.is_none()));

        let mut wrong_turns = file.clone();
        for event in &mut wrong_turns.events {
            if let BattleEvent::Ended { turns, .. } = event {
                *turns += 1;
            }
        }
        expect(&wrong_turns, "Ended's turns", |d| {
            matches!(d, Divergence::End { .. })
        });
        let mut wrong_seed = file.clone();
        for event in &mut wrong_seed.events {
            if let BattleEvent::Ended { seed, .. } = event {
                seed.value ^= 1;
            }
        }
        expect(&wrong_seed, "Ended's seed", |d| {
            matches!(d, Divergence::End { .. })
        });
        let mut after_end = file.clone();
        let last_action = after_end
            .events
            .iter()
            .rev()
            .find(|event| matches!(event, BattleEvent::ActionChosen { .. }))
            .cloned();
        after_end.events.extend(last_action);
        expect(&after_end, "an action after Ended", |d| {
            matches!(d, Divergence::End { .. })
        });
    }

    #[test]
    fn an_action_naming_a_fighter_the_battle_lacks_is_refused() {
        let file = staked_duel();
        let tamper = |change: &dyn Fn(&mut u8, &mut Action)| {
            let mut tampered = file.clone();
            if let Some(BattleEvent::ActionChosen {
                fighter, action, ..
            }) = tampered
                .events
                .iter_mut()
                .find(|event| matches!(event, BattleEvent::ActionChosen { .. }))
            {
                change(fighter, action);
            }
            tampered
        };
        let out_of_range = |d: &Divergence| {
            matches!(
                d,
                Divergence::FighterOutOfRange {
                    turn: 1,
                    fighters: 2,
                    ..
                }
            )
        };
        expect(&tamper(&|fighter, _| *fighter = 2), "fighter", out_of_range);
        expect(
            &tamper(&|_, action| *action = Action::Attack { target: 200 }),
            "target",
            out_of_range,
        );
        expect(
            &tamper(&|_, action| *action = Action::Defend { guard: 5 }),
            "guard",
            out_of_range,
        );
        let mut surrender = file.clone();
        surrender.events.insert(
            2,
            BattleEvent::Surrendered {
                battle: file.battle,
                fighter: 9,
            },
        );
        expect(&surrender, "surrender", out_of_range);
    }

    #[test]
    fn a_duel_settlement_that_does_not_add_up_is_refused() {
        let file = staked_duel();
        type Tamper = Box<dyn Fn(&mut Settlement)>;
        let cases: Vec<(&str, Tamper)> = vec![
            (
                "a payout short of the pot",
                Box::new(|s| {
                    for event in &mut s.events {
                        if let Event::Energon(EnergonEvent::EscrowReleased { amount, .. }) = event {
                            *amount -= 1;
                        }
                    }
                }),
            ),
            (
                "a payout called a refund",
                Box::new(|s| {
                    for event in &mut s.events {
                        if let Event::Energon(EnergonEvent::EscrowReleased { refund, .. }) = event {
                            *refund = true;
                        }
                    }
                }),
            ),
            ("less held than the pot", Box::new(|s| s.escrow[0].1 = 49)),
            ("nothing held", Box::new(|s| s.escrow.clear())),
            (
                "a reward for a stranger",
                Box::new(|s| {
                    for event in &mut s.events {
                        if let Event::Energon(EnergonEvent::Credited { player, .. }) = event {
                            *player = PlayerId(99);
                        }
                    }
                }),
            ),
            (
                "experience twice",
                Box::new(|s| {
                    let xp = s
                        .events
                        .iter()
                        .find(|e| matches!(e, Event::Pet(PetEvent::ExperienceGained { .. })))
                        .cloned();
                    s.events.extend(xp);
                }),
            ),
            (
                "loot without an enemy",
                Box::new(|s| {
                    s.events.push(Event::Pet(PetEvent::ItemFound {
                        player: PlayerId(1),
                        item: crate::pets::content::ItemId("x".into()),
                    }))
                }),
            ),
            (
                "a rating moving the wrong way",
                Box::new(|s| {
                    for event in &mut s.events {
                        if let Event::Battle(BattleEvent::RatingChanged { before, after, .. }) =
                            event
                        {
                            std::mem::swap(before, after);
                            *before += 1;
                        }
                    }
                }),
            ),
            (
                "one rating change missing",
                Box::new(|s| {
                    let at = s.events.iter().position(|e| {
                        matches!(e, Event::Battle(BattleEvent::RatingChanged { .. }))
                    });
                    if let Some(at) = at {
                        s.events.remove(at);
                    }
                }),
            ),
            (
                "a tournament result outside a tournament",
                Box::new(|s| {
                    s.events
                        .push(Event::Battle(BattleEvent::TournamentMatchWon {
                            tournament: crate::battle::LobbyId(1),
                            round: 1,
                            winner: PlayerId(1),
                            battle: BattleId(0),
                        }))
                }),
            ),
        ];
        for (what, tamper) in cases {
            let mut tampered = file.clone();
            let battle = tampered.battle;
            tamper(settlement(&mut tampered));
            // Events naming the battle name this one.
            for event in &mut settlement(&mut tampered).events {
                if let Event::Battle(BattleEvent::TournamentMatchWon { battle: b, .. }) = event {
                    *b = battle;
                }
            }
            expect(&tampered, what, settlement_error);
        }
        // Stakes on a battle that had none.
        let mut unstaked = file.clone();
        for event in &mut unstaked.events {
            if let BattleEvent::Started { stake, .. } = event {
                *stake = 0;
            }
        }
        expect(&unstaked, "a payout without a stake", settlement_error);
    }

    #[test]
    fn a_pve_settlement_that_does_not_add_up_is_refused() {
        let won = solo(true);
        assert!(verify_file(&won).is_ok_and(|v| v.settled));
        let mut greedy = won.clone();
        for _ in 0..3 {
            settlement(&mut greedy)
                .events
                .push(Event::Pet(PetEvent::ItemFound {
                    player: PlayerId(1),
                    item: crate::pets::content::ItemId("x".into()),
                }));
        }
        expect(&greedy, "three items", settlement_error);

        let lost = solo(false);
        assert!(verify_file(&lost).is_ok_and(|v| v.settled));
        let mut paid = lost.clone();
        settlement(&mut paid)
            .events
            .push(Event::Energon(EnergonEvent::Credited {
                player: PlayerId(1),
                amount: 10,
                rule: LedgerRule::BattleReward,
            }));
        expect(&paid, "a reward for losing", settlement_error);
        let mut looted = lost.clone();
        settlement(&mut looted)
            .events
            .push(Event::Pet(PetEvent::ItemFound {
                player: PlayerId(1),
                item: crate::pets::content::ItemId("x".into()),
            }));
        expect(&looted, "loot for losing", settlement_error);
    }
}
