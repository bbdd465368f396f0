//! Re-simulating a recorded battle: from its `Started` event and the recorded inputs (chosen
//! actions, surrenders), every `TurnResolved` and the `Ended` event must come out exactly the
//! same. A mismatch names the first turn where the histories part.
//!
//! This is what `allspark-replay verify` runs, what CI runs over fixtures, and what the replay
//! property test runs over thousands of random battles.

use crate::battle::event::BattleEvent;
use crate::battle::sim::{Action, Hit, Sim, SimOutcome};
use crate::battle::BattleId;
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
}

/// What a successful verification saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    pub battle: BattleId,
    pub n_turns: u32,
    pub outcome: Option<SimOutcome>,
}

/// The simulator state of a battle after replaying `events` (its stream, in order), checking
/// every recorded turn on the way.
pub fn verify<'a>(
    events: impl IntoIterator<Item = &'a BattleEvent>,
) -> Result<(Verified, Sim), Divergence> {
    let mut sim: Option<(BattleId, Sim)> = None;
    let mut pending: Vec<Option<Action>> = Vec::new();
    let mut n_turns = 0;
    let mut log: Vec<Hit> = Vec::new();
    for event in events {
        match event {
            BattleEvent::Started {
                battle,
                seed,
                fighters,
                enemy,
                ..
            } => {
                pending = vec![None; fighters.len()];
                sim = Some((
                    *battle,
                    Sim {
                        fighters: fighters.clone(),
                        turn: 1,
                        seed: *seed,
                        kit: enemy.as_ref().map(|enemy| enemy.kit.clone()),
                        outcome: None,
                        // Until the battle's `Setup` says otherwise.
                        rules: 1,
                    },
                ));
            }
            BattleEvent::Setup { rules, .. } => {
                if let Some((_, sim)) = sim.as_mut() {
                    sim.rules = *rules;
                }
            }
            BattleEvent::ActionChosen {
                turn,
                fighter,
                action,
                ..
            } => {
                let (_, state) = sim.as_mut().ok_or(Divergence::NotStarted)?;
                if *turn != state.turn {
                    return Err(Divergence::OutOfOrder {
                        turn: *turn,
                        current: state.turn,
                    });
                }
                if let Some(slot) = pending.get_mut(usize::from(*fighter)) {
                    *slot = Some(*action);
                }
            }
            BattleEvent::Surrendered { fighter, .. } => {
                let (_, state) = sim.as_mut().ok_or(Divergence::NotStarted)?;
                if let Some(f) = state.fighters.get_mut(usize::from(*fighter)) {
                    f.surrendered = true;
                }
                state.judge();
            }
            BattleEvent::TurnResolved {
                turn,
                log: recorded,
                state_hash,
                ..
            } => {
                let (_, state) = sim.as_mut().ok_or(Divergence::NotStarted)?;
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
                n_turns = *turn;
            }
            BattleEvent::Ended { outcome, .. } => {
                let (_, state) = sim.as_mut().ok_or(Divergence::NotStarted)?;
                if state.outcome != Some(*outcome) {
                    return Err(Divergence::Outcome {
                        recorded: format!("{outcome:?}"),
                        resimulated: format!("{:?}", state.outcome),
                    });
                }
            }
            _ => {}
        }
    }
    let (battle, state) = sim.ok_or(Divergence::NotStarted)?;
    Ok((
        Verified {
            battle,
            n_turns,
            outcome: state.outcome,
        },
        state,
    ))
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
    let events: Vec<&BattleEvent> = events.into_iter().collect();
    let mut views = Vec::new();
    let mut chosen = Vec::new();
    let mut prefix: Vec<&BattleEvent> = Vec::new();
    for event in events {
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
                let (_, sim) = verify(prefix.iter().copied())?;
                views.push(TurnView {
                    turn: *turn,
                    chosen: std::mem::take(&mut chosen),
                    log: log.clone(),
                    fighters: sim.fighters,
                });
            }
            _ => {}
        }
    }
    if views.is_empty() {
        // Every caller may index the first view: a history without a start has none.
        return Err(Divergence::NotStarted);
    }
    Ok(views)
}

/// The format tag of battle files.
pub const EXPORT_FORMAT: &str = "allspark-battle/1";

/// A self-contained battle history (JSON): what `allspark-replay` shows, steps through and
/// verifies, written by `allspark-replay export` and served by the bot's replay feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleFile {
    pub format: String,
    pub battle: BattleId,
    pub events: Vec<BattleEvent>,
}

/// A battle's history as a file, up to and including `until_seq` (what is durable, when the
/// reader runs beside the writer); `None` if the log has no such battle.
pub fn battle_file(
    log: &dyn crate::log::EventLog,
    battle: BattleId,
    until_seq: u64,
) -> Result<Option<BattleFile>, crate::log::LogError> {
    let events: Vec<BattleEvent> = log
        .read_stream(&battle.stream(), 1, usize::MAX)?
        .into_iter()
        .take_while(|recorded| recorded.seq <= until_seq)
        .filter_map(|recorded| match recorded.event {
            crate::world::Event::Battle(event) => Some(event),
            _ => None,
        })
        .collect();
    Ok((!events.is_empty()).then(|| BattleFile {
        format: EXPORT_FORMAT.to_string(),
        battle,
        events,
    }))
}
