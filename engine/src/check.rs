//! The integrity check of a stopped store (`allspark check`): every projection rebuilt from the
//! log alone and compared with the snapshot (at its seq) and with what opening the store would
//! give (snapshot plus tail); the energon ledger audited event by event (every balance moves by
//! exactly what its ledger lines say, so none went below zero and was clamped) and for
//! conservation (minted minus burned equals what is held) at the end.
//!
//! Reads only; the caller must hold the store alone (sled allows one process at a time).

use crate::energon::EnergonEvent;
use crate::history::{ledger_lines, Account};
use crate::ids::PlayerId;
use crate::log::EventLog;
use crate::runtime::{decode_snapshot, rebuild, EngineError};
use crate::world::{Event, World};

/// Problems reported at most, so a badly broken store still gives a readable report.
pub const PROBLEMS_MAX: usize = 100;

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub n_events: u64,
    /// The snapshot compared, if the store has one this build can read.
    pub snapshot_seq: Option<u64>,
    /// Players known at the end.
    pub n_players: usize,
    /// Every difference, in the order found (at most [`PROBLEMS_MAX`]); empty when all is well.
    pub problems: Vec<String>,
    /// What is worth knowing but is no difference (a snapshot of another version, ignored).
    pub notes: Vec<String>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, text: String) {
        if self.problems.len() < PROBLEMS_MAX {
            self.problems.push(text);
        }
    }
}

/// Runs every check over `log`.
pub fn check(log: &dyn EventLog) -> Result<CheckReport, EngineError> {
    let mut report = CheckReport::default();
    let snapshot = match log.latest_snapshot()? {
        None => None,
        Some((seq, bytes)) => match decode_snapshot(&bytes) {
            Ok(decoded) if decoded.current => {
                report.snapshot_seq = Some(seq);
                if decoded.world.last_seq != seq {
                    report.problem(format!(
                        "the snapshot stored at seq {seq} holds a World at seq {}",
                        decoded.world.last_seq
                    ));
                }
                if seq > log.last_seq() {
                    report.problem(format!(
                        "the snapshot is at seq {seq}, past the log's end at {}",
                        log.last_seq()
                    ));
                }
                Some((seq, decoded.world))
            }
            Ok(_) => {
                report.notes.push(format!(
                    "the snapshot at seq {seq} was written by another schema, content or tuning \
                     version: opening ignores it and rebuilds from the log"
                ));
                None
            }
            Err(error) => {
                report.problem(format!("the snapshot at seq {seq} is unreadable: {error}"));
                None
            }
        },
    };

    let mut world = World::default();
    let mut audit = Vec::new();
    let mut compared = false;
    let compare_snapshot = |world: &World, report: &mut CheckReport| {
        if let Some((seq, stored)) = &snapshot {
            for area in world.differences(stored) {
                report.problem(format!(
                    "the snapshot at seq {seq} differs from the log in `{area}`"
                ));
            }
        }
    };
    if snapshot.as_ref().is_some_and(|(seq, _)| *seq == 0) {
        compare_snapshot(&world, &mut report);
        compared = true;
    }
    report.n_events = log.scan(1, &mut |event| {
        let before = energon_player(&event.event).map(|player| (player, balances(&world, player)));
        world.evolve(&event);
        if let Some((player, before)) = before {
            let mut expected = before;
            for line in ledger_lines(event.seq, event.recorded_at, &event.event) {
                let idx = match line.account {
                    Account::Wallet => 0,
                    Account::Bank => 1,
                    Account::Rush => 2,
                };
                expected[idx] += line.delta;
            }
            let after = balances(&world, player);
            for (idx, account) in ["wallet", "bank", "rush balance"].iter().enumerate() {
                if expected[idx] < 0 {
                    audit.push(format!(
                        "seq {}: player {player}'s {account} would be {} (below zero)",
                        event.seq, expected[idx]
                    ));
                } else if expected[idx] != after[idx] {
                    audit.push(format!(
                        "seq {}: player {player}'s {account} is {} but its ledger says {}",
                        event.seq, after[idx], expected[idx]
                    ));
                }
            }
        }
        if !compared
            && snapshot
                .as_ref()
                .is_some_and(|(seq, _)| *seq == world.last_seq)
        {
            compare_snapshot(&world, &mut report);
            compared = true;
        }
    })?;
    for line in audit {
        report.problem(line);
    }
    if world.last_seq != log.last_seq() {
        report.problem(format!(
            "the log claims to end at seq {} but its events end at {}",
            log.last_seq(),
            world.last_seq
        ));
    }
    if !world.energon.is_conserved() {
        report.problem(format!(
            "energon is not conserved: minted {} minus burned {} is not the {} held",
            world.energon.minted_total(),
            world.energon.burned_total(),
            world.energon.supply()
        ));
    }
    if !world.market.is_conserved() {
        report.problem(format!(
            "CyberCoin is not conserved: minted {} minus burned {} is not the {} in circulation, \
             or the holdings don't add up to it",
            world.market.minted, world.market.burned, world.market.circulation
        ));
    }
    // What opening the store would give: the snapshot (when valid) plus the log's tail.
    match rebuild(log, true) {
        Ok((opened, _)) => {
            for area in world.differences(&opened) {
                report.problem(format!(
                    "opening the store (snapshot plus tail) gives a different `{area}` than \
                     the log alone"
                ));
            }
        }
        Err(error) => report.problem(format!("the store does not open: {error}")),
    }
    report.n_players = world.players.len();
    Ok(report)
}

/// The player whose balances an energon event moves (a round's end moves nobody's by itself).
fn energon_player(event: &Event) -> Option<PlayerId> {
    let Event::Energon(event) = event else {
        return None;
    };
    match event {
        EnergonEvent::Credited { player, .. }
        | EnergonEvent::Debited { player, .. }
        | EnergonEvent::Deposited { player, .. }
        | EnergonEvent::Withdrew { player, .. }
        | EnergonEvent::RushFound { player, .. }
        | EnergonEvent::RushLost { player, .. }
        | EnergonEvent::EscrowHeld { player, .. }
        | EnergonEvent::EscrowReleased { player, .. } => Some(*player),
        EnergonEvent::RushNothing { .. }
        | EnergonEvent::RushRoundWon { .. }
        | EnergonEvent::RushCooldownSet { .. } => None,
    }
}

/// Wallet, bank and rush balance.
fn balances(world: &World, player: PlayerId) -> [i128; 3] {
    [
        i128::from(world.energon.balance(player)),
        i128::from(world.energon.bank(player)),
        i128::from(world.energon.rush.balance(player)),
    ]
}
