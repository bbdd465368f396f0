//! The CyberCoin market's costs. Figures and the machine go into BENCHMARKS.md.
//!
//! - `market/tick_10000_holders`: one tick decided and applied with 10,000 players holding
//!   coins (a tick never touches positions, so it should not grow with them).
//! - `market/trade_decide_and_apply`: one buy or sell decided and applied, no log.
//! - `market/trades_through_core/callers_64`: durable trades per second through the core on
//!   sled (each appended and flushed before its caller hears back), 64 concurrent traders.
//!
//! Run: `cargo bench -p allspark-engine --bench market`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_engine::energon::EnergonCommand;
use allspark_engine::market::{Amount, MarketCommand};
use allspark_engine::player::PlayerCommand;
use allspark_engine::testing::{Driver, EPOCH};
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, EventLog, ManualClock, PlayerId, SledLog,
    Timestamp,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const HOLDERS: u64 = 10_000;
/// 2026-01-02: no holiday.
const QUIET: Timestamp = Timestamp(EPOCH.0 + 86_400_000);

fn market(command: MarketCommand) -> Command {
    Command::Market(command)
}

fn funded(driver: &mut Driver, player: PlayerId, amount: i64) {
    driver.must(Actor::Player(player), Command::Player(PlayerCommand::Join));
    driver.must(
        Actor::Operator(PlayerId(1)),
        Command::Energon(EnergonCommand::Credit { player, amount }),
    );
}

fn open_market() -> Driver {
    let mut driver = Driver::new(b"market bench");
    driver.now = QUIET;
    driver.must(
        Actor::System,
        market(MarketCommand::Tick {
            number: 0,
            at: QUIET,
        }),
    );
    driver
}

fn ticks(c: &mut Criterion) {
    let mut driver = open_market();
    for n in 1..=HOLDERS {
        let player = PlayerId(n);
        funded(&mut driver, player, 10_000);
        driver.must(
            Actor::Player(player),
            market(MarketCommand::Buy {
                amount: Amount::Energon(10 + n % 5_000),
            }),
        );
    }
    driver.events.clear();
    let mut group = c.benchmark_group("market");
    group.bench_function("tick_10000_holders", |b| {
        b.iter(|| {
            let number = allspark_engine::market::view::clock(&driver.world).next_tick;
            driver.advance_secs(3_600);
            let at = driver.now;
            let events = driver.must(Actor::System, market(MarketCommand::Tick { number, at }));
            // Keep the recorded events from growing without bound across iterations.
            driver.events.clear();
            events
        })
    });
    let mut trader = open_market();
    funded(&mut trader, PlayerId(7), 1_000_000_000_000);
    let mut buy = true;
    group.throughput(Throughput::Elements(1));
    group.bench_function("trade_decide_and_apply", |b| {
        b.iter(|| {
            let command = if buy {
                MarketCommand::Buy {
                    amount: Amount::Energon(1_000),
                }
            } else {
                MarketCommand::Sell {
                    amount: Amount::Energon(500),
                }
            };
            buy = !buy;
            let events = trader.must(Actor::Player(PlayerId(7)), market(command));
            trader.events.clear();
            events
        })
    });
    group.finish();
}

const TRADES_PER_CALLER: u64 = 500;

fn trades_through_core(c: &mut Criterion) {
    let mut group = c.benchmark_group("market/trades_through_core");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let n_callers = 64u64;
    let dir = tempfile::tempdir().expect("tempdir");
    let log: Arc<dyn EventLog> = Arc::new(SledLog::open(dir.path()).expect("open sled"));
    let config = EngineConfig {
        snapshot_every_events: 0,
        ..EngineConfig::default()
    };
    let engine = Engine::open(log, config, Arc::new(ManualClock::new(QUIET)))
        .expect("open engine")
        .0;
    let run = |id: u128, actor: Actor, command: Command| {
        engine
            .execute_blocking(engine.envelope(CommandId(id), actor, command))
            .expect("setup")
    };
    run(
        1,
        Actor::System,
        market(MarketCommand::Tick {
            number: 0,
            at: QUIET,
        }),
    );
    for player in 1..=n_callers {
        let id = u128::from(player) * 2 + 10;
        run(
            id,
            Actor::Player(PlayerId(player)),
            Command::Player(PlayerCommand::Join),
        );
        run(
            id + 1,
            Actor::Operator(PlayerId(1)),
            Command::Energon(EnergonCommand::Credit {
                player: PlayerId(player),
                amount: 1_000_000_000_000,
            }),
        );
    }
    let mut next_id: u128 = 1_000_000;
    group.throughput(Throughput::Elements(n_callers * TRADES_PER_CALLER));
    group.bench_with_input(
        BenchmarkId::new("callers", n_callers),
        &n_callers,
        |b, &n| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let base = next_id;
                    next_id += u128::from(n * TRADES_PER_CALLER);
                    let engine = engine.clone();
                    let start = Instant::now();
                    runtime.block_on(async move {
                        let tasks: Vec<_> = (0..n)
                            .map(|caller| {
                                let engine = engine.clone();
                                tokio::spawn(async move {
                                    let player = PlayerId(caller + 1);
                                    for k in 0..TRADES_PER_CALLER {
                                        let id = base + u128::from(caller * TRADES_PER_CALLER + k);
                                        let command = if k % 2 == 0 {
                                            MarketCommand::Buy {
                                                amount: Amount::Energon(1_000),
                                            }
                                        } else {
                                            MarketCommand::Sell {
                                                amount: Amount::All,
                                            }
                                        };
                                        let reply = engine
                                            .execute(engine.envelope(
                                                CommandId(id),
                                                Actor::Player(player),
                                                market(command),
                                            ))
                                            .await
                                            .expect("trade");
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
            })
        },
    );
    group.finish();
}

criterion_group!(benches, ticks, trades_through_core);
criterion_main!(benches);
