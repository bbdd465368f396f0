//! Throughput of the engine's spine. Figures and the machine go into BENCHMARKS.md.
//!
//! - `durable_commands/callers/N`: accepted commands per second through the core, each one
//!   durable (appended and flushed) before its caller hears back, with N concurrent callers.
//! - `append/batch_256_flush`: raw events per second appended to sled in batches of 256 with one
//!   flush per batch, no core involved; `append/one_event_flush` is the cost of one flush.
//! - `rebuild/events_1m`: events per second replayed from a 1,000,000-event sled log into a World.
//! - `snapshot/load_100k_players`: time to open a World of 100,000 players from its snapshot.

use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_engine::codec::CommandOutcome;
use allspark_engine::codec::SCHEMA_VERSION;
use allspark_engine::energon::{EnergonCommand, EnergonEvent, LedgerRule};
use allspark_engine::envelope::event_id_for;
use allspark_engine::log::{AppendBatch, CommandRecord};
use allspark_engine::player::{PlayerCommand, PlayerEvent};
use allspark_engine::runtime::{self, encode_snapshot};
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, Event, EventLog, ManualClock, PlayerId,
    RecordedEvent, SledLog, StreamId, Timestamp,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const COMMANDS_PER_CALLER: u64 = 2_000;

fn open_engine(dir: &std::path::Path) -> Engine {
    let log: Arc<dyn EventLog> = Arc::new(SledLog::open(dir).expect("open sled"));
    let config = EngineConfig {
        snapshot_every_events: 0,
        ..EngineConfig::default()
    };
    Engine::open(log, config, Arc::new(ManualClock::new(Timestamp(0))))
        .expect("open engine")
        .0
}

fn durable_commands(c: &mut Criterion) {
    let mut group = c.benchmark_group("durable_commands");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for n_callers in [1u64, 8, 64] {
        let dir = tempfile::tempdir().expect("tempdir");
        let engine = open_engine(dir.path());
        for player in 1..=n_callers {
            let id = CommandId(u128::from(player));
            engine
                .execute_blocking(engine.envelope(
                    id,
                    Actor::Player(PlayerId(player)),
                    Command::Player(PlayerCommand::Join),
                ))
                .expect("join");
        }
        let mut next_id: u128 = 1_000_000;
        group.throughput(Throughput::Elements(n_callers * COMMANDS_PER_CALLER));
        group.bench_with_input(
            BenchmarkId::new("callers", n_callers),
            &n_callers,
            |b, &n_callers| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let base = next_id;
                        next_id += u128::from(n_callers * COMMANDS_PER_CALLER);
                        let engine = engine.clone();
                        let start = Instant::now();
                        runtime.block_on(async move {
                            let tasks: Vec<_> = (0..n_callers)
                                .map(|caller| {
                                    let engine = engine.clone();
                                    tokio::spawn(async move {
                                        let player = PlayerId(caller + 1);
                                        for n in 0..COMMANDS_PER_CALLER {
                                            let id = CommandId(
                                                base + u128::from(caller * COMMANDS_PER_CALLER + n),
                                            );
                                            let command =
                                                Command::Energon(EnergonCommand::Credit {
                                                    player,
                                                    amount: 1,
                                                });
                                            let reply = engine
                                                .execute(engine.envelope(
                                                    id,
                                                    Actor::System,
                                                    command,
                                                ))
                                                .await
                                                .expect("execute");
                                            assert!(reply.outcome.is_accepted());
                                        }
                                    })
                                })
                                .collect();
                            for task in tasks {
                                task.await.expect("caller");
                            }
                        });
                        total += start.elapsed();
                    }
                    total
                });
            },
        );
        engine.shutdown();
    }
    group.finish();
}

fn credit_event(seq: u64, player: u64, version: u64) -> RecordedEvent {
    let event = if version == 1 {
        Event::Player(PlayerEvent::Joined {
            player: PlayerId(player),
        })
    } else {
        Event::Energon(EnergonEvent::Credited {
            player: PlayerId(player),
            amount: 5,
            rule: LedgerRule::OperatorGrant,
        })
    };
    RecordedEvent {
        seq,
        event_id: event_id_for(CommandId(u128::from(seq)), 0),
        recorded_at: Timestamp(1_767_225_600_000 + seq as i64),
        command_id: CommandId(u128::from(seq)),
        actor: Actor::System,
        stream: StreamId::user(PlayerId(player)),
        stream_version: version,
        schema_version: SCHEMA_VERSION,
        event,
    }
}

/// Appends `n_events` synthetic events over `n_players` streams, in batches of `batch_len`,
/// one flush per batch.
fn fill(log: &SledLog, n_events: u64, n_players: u64, batch_len: u64) {
    let mut versions = vec![0u64; n_players as usize];
    let mut seq = log.last_seq();
    for player in 0..n_players {
        versions[player as usize] = log
            .stream_version(&StreamId::user(PlayerId(player)))
            .expect("version");
    }
    let mut remaining = n_events;
    while remaining > 0 {
        let len = remaining.min(batch_len);
        let mut batch = AppendBatch::default();
        for _ in 0..len {
            seq += 1;
            let player = seq % n_players;
            versions[player as usize] += 1;
            batch
                .events
                .push(credit_event(seq, player, versions[player as usize]));
            batch.commands.push(CommandRecord {
                id: CommandId(u128::from(seq)),
                outcome: CommandOutcome::Accepted {
                    first_seq: seq,
                    n_events: 1,
                },
                decided_at: Timestamp(0),
            });
        }
        log.append(&batch).expect("append");
        log.flush().expect("flush");
        remaining -= len;
    }
}

fn append(c: &mut Criterion) {
    let mut group = c.benchmark_group("append");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let dir = tempfile::tempdir().expect("tempdir");
    let log = SledLog::open(dir.path()).expect("open");
    group.throughput(Throughput::Elements(256 * 20));
    group.bench_function("batch_256_flush", |b| {
        b.iter(|| fill(&log, 256 * 20, 1_000, 256))
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_event_flush", |b| b.iter(|| fill(&log, 1, 1, 1)));
    group.finish();
}

fn rebuild(c: &mut Criterion) {
    const N_EVENTS: u64 = 1_000_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let log = SledLog::open(dir.path()).expect("open");
    fill(&log, N_EVENTS, 10_000, 10_000);
    let mut group = c.benchmark_group("rebuild");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(N_EVENTS));
    group.bench_function("events_1m", |b| {
        b.iter(|| {
            let (world, _) = runtime::rebuild(&log, false).expect("rebuild");
            assert_eq!(world.last_seq, N_EVENTS);
        })
    });
    group.finish();
}

fn snapshot(c: &mut Criterion) {
    const N_PLAYERS: u64 = 100_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let log = SledLog::open(dir.path()).expect("open");
    fill(&log, N_PLAYERS * 2, N_PLAYERS, 10_000);
    let (world, _) = runtime::rebuild(&log, false).expect("rebuild");
    let bytes = encode_snapshot(&world).expect("encode");
    log.save_snapshot(world.last_seq, &bytes).expect("save");
    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10);
    group.bench_function("load_100k_players", |b| {
        b.iter(|| {
            let (loaded, report) = runtime::rebuild(&log, true).expect("rebuild");
            assert_eq!(report.n_events_replayed, 0);
            assert_eq!(loaded.players().len(), N_PLAYERS as usize);
        })
    });
    group.finish();
    eprintln!("snapshot of {N_PLAYERS} players: {} bytes", bytes.len());
}

criterion_group!(benches, durable_commands, append, rebuild, snapshot);
criterion_main!(benches);
