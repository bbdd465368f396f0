//! Property: whatever commands arrive, the live World equals the World rebuilt from the log
//! (compared as encoded bytes), with or without a snapshot; energon is conserved; and every
//! reply matches an independent oracle of the ledger rules.
//!
//! Method: proptest generates command sequences over five players, with invalid amounts,
//! unknown players, clock jumps, snapshots and retried command ids mixed in.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use allspark_engine::codec;
use allspark_engine::energon::{EnergonCommand, AMOUNT_MAX};
use allspark_engine::player::PlayerCommand;
use allspark_engine::runtime;
use allspark_engine::testing::TestEngine;
use allspark_engine::{Actor, Command, EngineConfig, EventLog, MemoryLog, PlayerId, SledLog};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Join(u64),
    Credit(u64, i64),
    Debit(u64, i64),
    Transfer(u64, u64, i64),
    AdvanceSecs(i64),
    Snapshot,
    /// Re-send the n-th earlier command envelope (modulo the number sent so far).
    Retry(usize),
}

fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        8 => 1i64..500,
        1 => -3i64..=0,
        1 => Just(AMOUNT_MAX as i64 + 1),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let player = 1u64..=5;
    prop_oneof![
        2 => player.clone().prop_map(Op::Join),
        3 => (player.clone(), amount()).prop_map(|(p, a)| Op::Credit(p, a)),
        1 => (player.clone(), amount()).prop_map(|(p, a)| Op::Debit(p, a)),
        5 => (player.clone(), player, amount()).prop_map(|(f, t, a)| Op::Transfer(f, t, a)),
        1 => (0i64..100_000).prop_map(Op::AdvanceSecs),
        1 => Just(Op::Snapshot),
        1 => any::<usize>().prop_map(Op::Retry),
    ]
}

/// The ledger as the rules describe it, written independently of the engine.
#[derive(Default)]
struct Oracle {
    joined: BTreeSet<u64>,
    balances: BTreeMap<u64, u64>,
}

impl Oracle {
    fn valid_amount(amount: i64) -> bool {
        amount > 0 && amount as u64 <= AMOUNT_MAX
    }

    /// Applies the op if the rules accept it; returns whether they do.
    fn apply(&mut self, op: &Op) -> bool {
        match *op {
            Op::Join(p) => {
                self.joined.insert(p);
                true
            }
            Op::Credit(p, a) => {
                let ok = Self::valid_amount(a) && self.joined.contains(&p);
                if ok {
                    *self.balances.entry(p).or_default() += a as u64;
                }
                ok
            }
            Op::Debit(p, a) => {
                let ok = Self::valid_amount(a)
                    && self.joined.contains(&p)
                    && self.balances.get(&p).copied().unwrap_or(0) >= a as u64;
                if ok {
                    *self.balances.entry(p).or_default() -= a as u64;
                }
                ok
            }
            Op::Transfer(from, to, a) => {
                let ok = Self::valid_amount(a)
                    && from != to
                    && self.joined.contains(&to)
                    && self.balances.get(&from).copied().unwrap_or(0) >= a as u64;
                if ok {
                    self.joined.insert(from);
                    *self.balances.entry(from).or_default() -= a as u64;
                    *self.balances.entry(to).or_default() += a as u64;
                }
                ok
            }
            Op::AdvanceSecs(_) | Op::Snapshot | Op::Retry(_) => true,
        }
    }
}

fn command(op: &Op) -> Option<(Actor, Command)> {
    let energon = |command| Command::Energon(command);
    Some(match *op {
        Op::Join(p) => (
            Actor::Player(PlayerId(p)),
            Command::Player(PlayerCommand::Join),
        ),
        Op::Credit(p, amount) => (
            Actor::System,
            energon(EnergonCommand::Credit {
                player: PlayerId(p),
                amount,
            }),
        ),
        Op::Debit(p, amount) => (
            Actor::System,
            energon(EnergonCommand::Debit {
                player: PlayerId(p),
                amount,
            }),
        ),
        Op::Transfer(from, to, amount) => (
            Actor::Player(PlayerId(from)),
            energon(EnergonCommand::Transfer {
                to: PlayerId(to),
                amount,
            }),
        ),
        Op::AdvanceSecs(_) | Op::Snapshot | Op::Retry(_) => return None,
    })
}

fn check_run(log: Arc<dyn EventLog>, ops: &[Op]) -> Result<(), TestCaseError> {
    let config = EngineConfig {
        snapshot_every_events: 0,
        ..EngineConfig::default()
    };
    let mut test = TestEngine::on_log(log.clone(), config);
    let mut oracle = Oracle::default();
    let mut sent: Vec<(allspark_engine::CommandEnvelope, allspark_engine::Reply)> = Vec::new();
    for op in ops {
        match op {
            Op::AdvanceSecs(secs) => test.clock.advance_secs(*secs),
            Op::Snapshot => {
                test.engine
                    .snapshot_blocking()
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            Op::Retry(n) if !sent.is_empty() => {
                let (envelope, first_reply) = &sent[n % sent.len()];
                let seq_before = log.last_seq();
                let reply = test
                    .engine
                    .execute_blocking(envelope.clone())
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(reply.duplicate);
                prop_assert_eq!(&reply.outcome, &first_reply.outcome);
                prop_assert_eq!(log.last_seq(), seq_before);
            }
            Op::Retry(_) => {}
            _ => {
                let Some((actor, command)) = command(op) else {
                    continue;
                };
                let envelope = test.envelope(actor, command);
                let reply = test
                    .engine
                    .execute_blocking(envelope.clone())
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let expected = oracle.apply(op);
                prop_assert_eq!(
                    reply.outcome.is_accepted(),
                    expected,
                    "op {:?}: {:?}",
                    op,
                    reply.outcome
                );
                sent.push((envelope, reply));
            }
        }
    }
    let live = test
        .engine
        .query_blocking(|world| {
            (
                codec::encode_value(world).ok(),
                world.energon().is_conserved(),
                world.clone(),
            )
        })
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (live_bytes, conserved, live_world) = live;
    prop_assert!(conserved, "energon not conserved");
    for (player, balance) in &oracle.balances {
        prop_assert_eq!(live_world.energon().balance(PlayerId(*player)), *balance);
    }
    test.engine.shutdown();

    let (full, _) =
        runtime::rebuild(log.as_ref(), false).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (from_snapshot, _) =
        runtime::rebuild(log.as_ref(), true).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(codec::encode_value(&full).ok(), live_bytes.clone());
    prop_assert_eq!(codec::encode_value(&from_snapshot).ok(), live_bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn live_world_equals_rebuilt_world_on_the_memory_log(ops in prop::collection::vec(op(), 1..120)) {
        check_run(Arc::new(MemoryLog::new()), &ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn live_world_equals_rebuilt_world_on_sled(ops in prop::collection::vec(op(), 1..80)) {
        let log = SledLog::temporary().map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_run(Arc::new(log), &ops)?;
    }
}
