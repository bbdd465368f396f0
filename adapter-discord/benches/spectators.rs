//! 1,000 spectators on one running battle: each connected over loopback to the battle's live
//! feed (`/battles/<id>/live`, Server-Sent Events), and one turn played through the engine;
//! the time measured is from the turn's command until every one of the thousand has read the
//! turn's frame. Figures go into BENCHMARKS.md.
//!
//! Run: `cargo bench -p allspark-discord --bench spectators`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_discord::app::App;
use allspark_discord::web::Limits;
use allspark_engine::battle::sim::Action;
use allspark_engine::battle::{view, BattleCommand, BattleId};
use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::testing::TestEngine;
use allspark_engine::world::Command;
use allspark_engine::{content, Actor, CommandId, PlayerId};
use criterion::{criterion_group, criterion_main, Criterion};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Notify;

const SPECTATORS: u64 = 1_000;
const PLAYER: PlayerId = PlayerId(1);

struct Arena {
    engine: TestEngine,
    address: std::net::SocketAddr,
    next_id: u128,
}

impl Arena {
    async fn run(&mut self, actor: Actor, command: Command) {
        self.next_id += 1;
        let envelope = self
            .engine
            .engine
            .envelope(CommandId(self.next_id), actor, command);
        self.engine.engine.execute(envelope).await.expect("engine");
    }

    /// A new solo battle against the toughest monster, so it lasts many turns.
    async fn battle(&mut self) -> BattleId {
        let enemy = content::get()
            .enemies
            .values()
            .filter(|e| e.kind == allspark_engine::battle::content::EnemyKind::Monster)
            .max_by_key(|e| (e.hp, e.id.clone()))
            .map(|e| e.id.clone())
            .expect("a monster");
        self.run(
            Actor::Player(PLAYER),
            Command::Battle(BattleCommand::StartSolo { enemy }),
        )
        .await;
        self.engine
            .engine
            .query(|w| view::battle_of(w, PLAYER))
            .await
            .expect("engine")
            .expect("a battle")
    }

    /// The current turn of `battle`, or `None` once it is over.
    async fn turn(&self, battle: BattleId) -> Option<u32> {
        self.engine
            .engine
            .query(move |w| view::open_battle(w, battle).map(|b| b.sim.turn))
            .await
            .expect("engine")
    }
}

/// A thousand spectators of one battle: how many turn frames they have read in all.
struct Crowd {
    frames: Arc<AtomicU64>,
    read: Arc<Notify>,
}

async fn crowd(address: std::net::SocketAddr, battle: BattleId, after: u64) -> Crowd {
    let frames = Arc::new(AtomicU64::new(0));
    let connected = Arc::new(AtomicU64::new(0));
    let read = Arc::new(Notify::new());
    for _ in 0..SPECTATORS {
        let (frames, connected, read) = (frames.clone(), connected.clone(), read.clone());
        tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(address)
                .await
                .expect("connect");
            let request =
                format!("GET /battles/{battle}/live?after={after} HTTP/1.1\r\nHost: bench\r\n\r\n");
            stream.write_all(request.as_bytes()).await.expect("write");
            let mut lines = BufReader::new(stream).lines();
            let mut counted = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if !counted && line.is_empty() {
                    // The headers are out: the spectator has joined the battle's channel.
                    counted = true;
                    connected.fetch_add(1, Ordering::SeqCst);
                    read.notify_waiters();
                }
                if line == "event: turn" {
                    frames.fetch_add(1, Ordering::SeqCst);
                    read.notify_waiters();
                }
            }
        });
    }
    while connected.load(Ordering::SeqCst) < SPECTATORS {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Crowd { frames, read }
}

impl Crowd {
    async fn until(&self, frames: u64) {
        loop {
            let notified = self.read.notified();
            if self.frames.load(Ordering::SeqCst) >= frames {
                return;
            }
            let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
        }
    }
}

fn spectators(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut arena = runtime.block_on(async {
        let engine = TestEngine::new();
        let app = App::new(engine.engine.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let limits = Limits {
            per_second: 1_000_000,
            burst: 1_000_000,
        };
        tokio::spawn(allspark_discord::web::serve_on(
            app,
            listener,
            limits,
            std::future::pending(),
        ));
        let mut arena = Arena {
            engine,
            address,
            next_id: 0,
        };
        arena
            .run(
                Actor::Player(PLAYER),
                Command::Pet(PetCommand::Adopt {
                    faction: Faction::Autobot,
                }),
            )
            .await;
        arena
            .run(
                Actor::System,
                Command::Energon(EnergonCommand::Credit {
                    player: PLAYER,
                    amount: 1_000,
                }),
            )
            .await;
        arena
    });
    let mut group = c.benchmark_group("spectators");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("turn_to_1000_sse_clients", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let battle = arena.battle().await;
                    let after = arena
                        .engine
                        .engine
                        .log()
                        .stream_version(&battle.stream())
                        .expect("log");
                    let watching = crowd(arena.address, battle, after).await;
                    let mut seen = 0;
                    while done < iters {
                        let Some(turn) = arena.turn(battle).await else {
                            break;
                        };
                        let started = Instant::now();
                        arena
                            .run(
                                Actor::Player(PLAYER),
                                Command::Battle(BattleCommand::Act {
                                    battle,
                                    turn,
                                    action: Action::Defend { guard: 0 },
                                }),
                            )
                            .await;
                        seen += SPECTATORS;
                        watching.until(seen).await;
                        total += started.elapsed();
                        done += 1;
                    }
                }
                total
            })
        })
    });
    group.finish();
}

criterion_group!(benches, spectators);
criterion_main!(benches);
