//! One conformance suite for every [`EventLog`]: each check is a plain function taking a fresh
//! log, and [`log_conformance_suite!`](crate::log_conformance_suite) turns them into `#[test]`s
//! for one implementation. A new backend (PostgreSQL, say) passes when its instantiation of the
//! suite does.

use std::sync::Arc;

use crate::codec::CommandOutcome;
use crate::energon::{EnergonEvent, LedgerRule};
use crate::envelope::{event_id_for, RecordedEvent};
use crate::ids::{Actor, CommandId, PlayerId, StreamId, Timestamp};
use crate::log::{AppendBatch, CommandRecord, EventLog, LogError, Subscription};
use crate::player::PlayerEvent;
use crate::world::{Event, Rejection};

/// Instantiates every conformance check for one log implementation. `$make` is an expression
/// producing `(Arc<dyn EventLog>, guard)`, where the guard keeps temporary files alive.
#[macro_export]
macro_rules! log_conformance_suite {
    ($make:expr) => {
        $crate::log_conformance_suite!(@tests $make;
            empty_log_has_nothing,
            appended_events_read_back_in_order,
            stream_version_mismatch_is_a_conflict_that_appends_nothing,
            seq_gap_is_a_conflict_that_appends_nothing,
            multi_stream_batch_is_all_or_nothing,
            read_stream_starts_at_the_given_version,
            command_outcomes_are_recorded_and_ids_are_unique,
            outcomes_decided_before_an_instant_are_compacted_and_the_rest_kept,
            subscription_delivers_history_then_live_events_without_gaps,
            subscription_that_falls_behind_catches_up_from_the_log,
            subscription_delivers_only_flushed_events,
            newest_snapshot_wins_and_old_ones_are_pruned,
            scan_visits_every_event_from_a_seq
        );
    };
    (@tests $make:expr; $($name:ident),+) => {
        $(
            #[test]
            fn $name() {
                let (log, _guard) = $make;
                $crate::testing::log_conformance::$name(log);
            }
        )+
    };
}

fn stream(n: u64) -> StreamId {
    StreamId::user(PlayerId(n))
}

/// An event on `user/<player>` at `seq`, version `version`, from command `command`.
pub fn sample_event(seq: u64, player: u64, version: u64, command: u128) -> RecordedEvent {
    let event = if version == 1 {
        Event::Player(PlayerEvent::Joined {
            player: PlayerId(player),
        })
    } else {
        Event::Energon(EnergonEvent::Credited {
            player: PlayerId(player),
            amount: seq * 10,
            rule: LedgerRule::OperatorGrant,
        })
    };
    RecordedEvent {
        seq,
        event_id: event_id_for(CommandId(command), seq as u32),
        recorded_at: Timestamp(1_767_225_600_000 + seq as i64),
        command_id: CommandId(command),
        actor: Actor::Player(PlayerId(player)),
        stream: stream(player),
        stream_version: version,
        schema_version: crate::codec::SCHEMA_VERSION,
        event,
    }
}

fn accepted(command: u128, first_seq: u64, n_events: u32) -> CommandRecord {
    CommandRecord {
        id: CommandId(command),
        outcome: CommandOutcome::Accepted {
            first_seq,
            n_events,
        },
        decided_at: Timestamp(0),
    }
}

fn must<T>(result: Result<T, LogError>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("log operation failed: {error}"),
    }
}

/// Appends `n` events, one command each, alternating over three players, and flushes.
fn fill(log: &dyn EventLog, n: u64) -> Vec<RecordedEvent> {
    let mut versions = [0u64; 3];
    let start = log.last_seq();
    let mut events = Vec::new();
    for seq in start + 1..=start + n {
        let player = seq % 3;
        let idx = player as usize;
        versions[idx] = must(log.stream_version(&stream(player))) + 1;
        let event = sample_event(seq, player, versions[idx], u128::from(seq));
        must(log.append(&AppendBatch {
            events: vec![event.clone()],
            commands: vec![accepted(u128::from(seq), seq, 1)],
        }));
        events.push(event);
    }
    must(log.flush());
    events
}

pub fn empty_log_has_nothing(log: Arc<dyn EventLog>) {
    assert_eq!(log.last_seq(), 0);
    assert!(must(log.read_all(1, 10)).is_empty());
    assert_eq!(must(log.stream_version(&stream(1))), 0);
    assert!(must(log.read_stream(&stream(1), 1, 10)).is_empty());
    assert_eq!(must(log.command_outcome(CommandId(1))), None);
    assert_eq!(must(log.latest_snapshot()), None);
}

pub fn appended_events_read_back_in_order(log: Arc<dyn EventLog>) {
    let written = fill(log.as_ref(), 10);
    assert_eq!(log.last_seq(), 10);
    assert_eq!(must(log.read_all(1, 100)), written);
    assert_eq!(must(log.read_all(4, 3)), written[3..6].to_vec());
    assert!(must(log.read_all(11, 5)).is_empty());
    assert_eq!(must(log.read_all(0, 1)), written[..1].to_vec());
}

pub fn stream_version_mismatch_is_a_conflict_that_appends_nothing(log: Arc<dyn EventLog>) {
    fill(log.as_ref(), 3);
    // Player 1's stream holds seq 1 only: version 1. Claiming version 3 expects 2.
    let wrong = sample_event(4, 1, 3, 100);
    match log.append(&AppendBatch {
        events: vec![wrong],
        commands: vec![accepted(100, 4, 1)],
    }) {
        Err(LogError::StreamConflict {
            stream: conflicted,
            expected,
            actual,
        }) => {
            assert_eq!(conflicted, stream(1));
            assert_eq!((expected, actual), (2, 1));
        }
        other => panic!("expected a stream conflict, got {other:?}"),
    }
    assert_eq!(log.last_seq(), 3);
    assert_eq!(must(log.command_outcome(CommandId(100))), None);
    assert_eq!(must(log.stream_version(&stream(1))), 1);
}

pub fn seq_gap_is_a_conflict_that_appends_nothing(log: Arc<dyn EventLog>) {
    fill(log.as_ref(), 2);
    let gap = sample_event(4, 7, 1, 100);
    match log.append(&AppendBatch {
        events: vec![gap],
        commands: vec![accepted(100, 4, 1)],
    }) {
        Err(LogError::SeqConflict {
            last_seq,
            first_seq,
        }) => assert_eq!((last_seq, first_seq), (2, 4)),
        other => panic!("expected a seq conflict, got {other:?}"),
    }
    assert_eq!(log.last_seq(), 2);
    assert_eq!(must(log.stream_version(&stream(7))), 0);
}

pub fn multi_stream_batch_is_all_or_nothing(log: Arc<dyn EventLog>) {
    let good_a = sample_event(1, 10, 1, 1);
    let good_b = sample_event(2, 11, 1, 1);
    let bad_c = sample_event(3, 10, 5, 1);
    let failed = log.append(&AppendBatch {
        events: vec![good_a.clone(), good_b.clone(), bad_c],
        commands: vec![accepted(1, 1, 3)],
    });
    assert!(
        matches!(failed, Err(LogError::StreamConflict { .. })),
        "{failed:?}"
    );
    assert_eq!(log.last_seq(), 0);
    assert_eq!(must(log.stream_version(&stream(10))), 0);
    assert_eq!(must(log.stream_version(&stream(11))), 0);
    assert_eq!(must(log.command_outcome(CommandId(1))), None);

    must(log.append(&AppendBatch {
        events: vec![good_a.clone(), good_b.clone()],
        commands: vec![accepted(1, 1, 2)],
    }));
    must(log.flush());
    assert_eq!(must(log.read_stream(&stream(10), 1, 10)), vec![good_a]);
    assert_eq!(must(log.read_stream(&stream(11), 1, 10)), vec![good_b]);
}

pub fn read_stream_starts_at_the_given_version(log: Arc<dyn EventLog>) {
    let written = fill(log.as_ref(), 9);
    let of_player_2: Vec<RecordedEvent> = written
        .iter()
        .filter(|event| event.stream == stream(2))
        .cloned()
        .collect();
    assert_eq!(of_player_2.len(), 3);
    assert_eq!(must(log.read_stream(&stream(2), 1, 10)), of_player_2);
    assert_eq!(
        must(log.read_stream(&stream(2), 2, 10)),
        of_player_2[1..].to_vec()
    );
    assert_eq!(
        must(log.read_stream(&stream(2), 2, 1)),
        of_player_2[1..2].to_vec()
    );
    assert_eq!(must(log.stream_version(&stream(2))), 3);
}

pub fn command_outcomes_are_recorded_and_ids_are_unique(log: Arc<dyn EventLog>) {
    let rejection = Rejection::Energon(crate::energon::EnergonRejection::SelfTransfer);
    must(log.append(&AppendBatch {
        events: vec![sample_event(1, 1, 1, 5)],
        commands: vec![
            accepted(5, 1, 1),
            CommandRecord {
                id: CommandId(6),
                outcome: CommandOutcome::Rejected(rejection.clone()),
                decided_at: Timestamp(0),
            },
        ],
    }));
    must(log.flush());
    assert_eq!(
        must(log.command_outcome(CommandId(5))),
        Some(CommandOutcome::Accepted {
            first_seq: 1,
            n_events: 1
        })
    );
    assert_eq!(
        must(log.command_outcome(CommandId(6))),
        Some(CommandOutcome::Rejected(rejection))
    );

    let again = log.append(&AppendBatch {
        events: vec![sample_event(2, 2, 1, 5)],
        commands: vec![accepted(5, 2, 1)],
    });
    assert!(
        matches!(again, Err(LogError::CommandAlreadyRecorded { id }) if id == CommandId(5)),
        "{again:?}"
    );
    let twice_in_one = log.append(&AppendBatch {
        events: vec![],
        commands: vec![accepted(9, 2, 0), accepted(9, 2, 0)],
    });
    assert!(matches!(
        twice_in_one,
        Err(LogError::CommandAlreadyRecorded { .. })
    ));
    assert_eq!(log.last_seq(), 1);
    assert_eq!(must(log.command_outcome(CommandId(9))), None);
}

pub fn outcomes_decided_before_an_instant_are_compacted_and_the_rest_kept(log: Arc<dyn EventLog>) {
    let decided = |command: u128, at: i64| CommandRecord {
        id: CommandId(command),
        outcome: CommandOutcome::Accepted {
            first_seq: 1,
            n_events: 0,
        },
        decided_at: Timestamp(at),
    };
    must(log.append(&AppendBatch {
        events: vec![],
        commands: vec![
            decided(1, -5),
            decided(2, 100),
            decided(3, 199),
            decided(4, 200),
        ],
    }));
    must(log.append(&AppendBatch {
        events: vec![],
        commands: vec![decided(5, 300)],
    }));
    must(log.flush());
    // The newest four are kept whatever their age; then only age counts.
    assert_eq!(must(log.compact_outcomes(Timestamp(200), 4)), 1);
    assert_eq!(must(log.command_outcome(CommandId(1))), None);
    assert!(must(log.command_outcome(CommandId(2))).is_some());
    assert_eq!(must(log.compact_outcomes(Timestamp(200), 0)), 2);
    for forgotten in [1, 2, 3] {
        assert_eq!(must(log.command_outcome(CommandId(forgotten))), None);
    }
    for kept in [4, 5] {
        assert!(must(log.command_outcome(CommandId(kept))).is_some());
    }
    assert_eq!(must(log.compact_outcomes(Timestamp(200), 0)), 0);
    // A forgotten id is unknown again: it may be recorded anew.
    must(log.append(&AppendBatch {
        events: vec![],
        commands: vec![decided(2, 400)],
    }));
    assert!(must(log.command_outcome(CommandId(2))).is_some());
    assert_eq!(must(log.compact_outcomes(Timestamp(401), 0)), 3);
    assert_eq!(must(log.command_outcome(CommandId(2))), None);
}

fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => panic!("no tokio runtime: {error}"),
    }
}

pub fn subscription_delivers_history_then_live_events_without_gaps(log: Arc<dyn EventLog>) {
    let history = fill(log.as_ref(), 5);
    let mut subscription = Subscription::new(log.clone(), 1);
    let writer = log.clone();
    let live = std::thread::spawn(move || fill(writer.as_ref(), 20));
    let received = runtime().block_on(async {
        let mut received = Vec::new();
        while received.len() < 25 {
            match subscription.next().await {
                Ok(Some(event)) => received.push(event),
                other => panic!("subscription ended early: {other:?}"),
            }
        }
        received
    });
    let live = match live.join() {
        Ok(events) => events,
        Err(_) => panic!("writer thread panicked"),
    };
    let expected: Vec<RecordedEvent> = history.into_iter().chain(live).collect();
    assert_eq!(received, expected);
    assert_eq!(subscription.position(), 26);
}

pub fn subscription_that_falls_behind_catches_up_from_the_log(log: Arc<dyn EventLog>) {
    let mut subscription = Subscription::new(log.clone(), 1);
    let written = fill(log.as_ref(), 1_000);
    let mut seqs = Vec::new();
    while let Some(event) = must(subscription.try_next()) {
        seqs.push(event.seq);
    }
    assert_eq!(seqs, (1..=1_000).collect::<Vec<u64>>());
    let mut from_middle = Subscription::new(log.clone(), 990);
    assert_eq!(must(from_middle.try_next()), Some(written[989].clone()));
}

pub fn subscription_delivers_only_flushed_events(log: Arc<dyn EventLog>) {
    fill(log.as_ref(), 2);
    let mut subscription = Subscription::new(log.clone(), 1);
    must(log.append(&AppendBatch {
        events: vec![sample_event(3, 3, 1, 3)],
        commands: vec![accepted(3, 3, 1)],
    }));
    let mut seqs = Vec::new();
    while let Some(event) = must(subscription.try_next()) {
        seqs.push(event.seq);
    }
    assert_eq!(seqs, vec![1, 2]);
    must(log.flush());
    assert_eq!(
        must(subscription.try_next()).map(|event| event.seq),
        Some(3)
    );
}

pub fn newest_snapshot_wins_and_old_ones_are_pruned(log: Arc<dyn EventLog>) {
    for seq in [10u64, 20, 30, 40] {
        must(log.save_snapshot(seq, &seq.to_le_bytes()));
    }
    assert_eq!(
        must(log.latest_snapshot()),
        Some((40, 40u64.to_le_bytes().to_vec()))
    );
}

pub fn scan_visits_every_event_from_a_seq(log: Arc<dyn EventLog>) {
    let written = fill(log.as_ref(), 50);
    let mut seen = Vec::new();
    let n_visited = must(log.scan(21, &mut |event| seen.push(event)));
    assert_eq!(n_visited, 30);
    assert_eq!(seen, written[20..].to_vec());
}
