//! 1,000 spectators on one running battle: each connected over loopback to the battle's live
//! feed (`/battles/<id>/live`, Server-Sent Events), and one turn played through the engine;
//! the time measured is from the turn's command until every one of the thousand has read the
//! turn's frame. Figures go into BENCHMARKS.md.
//!
//! The crowd outlives criterion's calls: it watches one battle until that battle ends, then
//! leaves (its connections closed) and a fresh player's new battle gets a new crowd, so a turn
//! is always read by exactly the thousand. A command that resolves more than one turn (the
//! turn after it nobody could act in, say the pet stunned) is timed until every one of its
//! frames is read.
//!
//! Run: `cargo bench -p allspark-discord --bench spectators`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_discord::app::App;
use allspark_discord::web::Limits;
use allspark_engine::battle::sim::Action;
use allspark_engine::battle::{view, BattleCommand, BattleEvent, BattleId};
use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::testing::TestEngine;
use allspark_engine::world::{Command, Event};
use allspark_engine::{content, Actor, CommandId, Outcome, PlayerId, RecordedEvent};
use criterion::{criterion_group, criterion_main, Criterion};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Notify;

const SPECTATORS: u64 = 1_000;

struct Arena {
    engine: TestEngine,
    address: std::net::SocketAddr,
    next_id: u128,
    /// The player of the battle being watched; each battle gets a fresh player (and pet), so
    /// the pet's wear from earlier battles never refuses a start.
    player: PlayerId,
    watching: Option<(BattleId, Crowd)>,
}

impl Arena {
    async fn run(&mut self, actor: Actor, command: Command) -> Outcome {
        self.next_id += 1;
        let envelope = self
            .engine
            .engine
            .envelope(CommandId(self.next_id), actor, command);
        self.engine
            .engine
            .execute(envelope)
            .await
            .expect("engine")
            .outcome
    }

    /// Runs a command that must be accepted: a refusal would measure nothing.
    async fn must(&mut self, actor: Actor, command: Command) -> Vec<RecordedEvent> {
        match self.run(actor, command.clone()).await {
            Outcome::Accepted(events) => events,
            refused => panic!("{command:?} was refused: {refused:?}"),
        }
    }

    /// A new solo battle of a new player's pet against the toughest monster, so it lasts many
    /// turns.
    async fn battle(&mut self) -> BattleId {
        self.player = PlayerId(self.player.0 + 1);
        let player = self.player;
        self.must(
            Actor::Player(player),
            Command::Pet(PetCommand::Adopt {
                faction: Faction::Autobot,
            }),
        )
        .await;
        self.must(
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player,
                amount: 1_000,
            }),
        )
        .await;
        let enemy = content::get()
            .enemies
            .values()
            .filter(|e| e.kind == allspark_engine::battle::content::EnemyKind::Monster)
            .max_by_key(|e| (e.hp, e.id.clone()))
            .map(|e| e.id.clone())
            .expect("a monster");
        self.must(
            Actor::Player(player),
            Command::Battle(BattleCommand::StartSolo { enemy }),
        )
        .await;
        self.engine
            .engine
            .query(move |w| view::battle_of(w, player))
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

    /// The battle being watched and its current turn: the one watched so far while it runs,
    /// else a new battle with a new crowd (the old crowd leaves first).
    async fn watched_turn(&mut self) -> (BattleId, u32) {
        if let Some((battle, _)) = &self.watching {
            let battle = *battle;
            if let Some(turn) = self.turn(battle).await {
                return (battle, turn);
            }
        }
        self.watching = None;
        let battle = self.battle().await;
        let after = self
            .engine
            .engine
            .log()
            .stream_version(&battle.stream())
            .expect("log");
        let crowd = crowd(self.address, battle, after).await;
        self.watching = Some((battle, crowd));
        let turn = self.turn(battle).await.expect("a battle just started");
        (battle, turn)
    }

    /// Plays the watched battle's current turn (the player defends); how long until every
    /// spectator has read the frames of the turns it resolved.
    async fn timed_turn(&mut self) -> Duration {
        let (battle, turn) = self.watched_turn().await;
        let started = Instant::now();
        let events = self
            .must(
                Actor::Player(self.player),
                Command::Battle(BattleCommand::Act {
                    battle,
                    turn,
                    action: Action::Defend { guard: 0 },
                }),
            )
            .await;
        let resolved = events
            .iter()
            .filter(|r| matches!(r.event, Event::Battle(BattleEvent::TurnResolved { .. })))
            .count() as u64;
        assert!(resolved > 0, "turn {turn}'s command resolved no turn");
        let (_, crowd) = self.watching.as_mut().expect("a crowd");
        crowd.seen += resolved * SPECTATORS;
        crowd.until(crowd.seen).await;
        started.elapsed()
    }
}

/// A thousand spectators of one battle: how many turn frames they have read in all. Dropping
/// it closes their connections.
struct Crowd {
    frames: Arc<AtomicU64>,
    read: Arc<Notify>,
    /// Frames the crowd is to have read by now, in all.
    seen: u64,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Crowd {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn crowd(address: std::net::SocketAddr, battle: BattleId, after: u64) -> Crowd {
    let frames = Arc::new(AtomicU64::new(0));
    let connected = Arc::new(AtomicU64::new(0));
    let read = Arc::new(Notify::new());
    let debug = std::env::var_os("SPECTATORS_DEBUG").is_some();
    let mut tasks = Vec::new();
    for _ in 0..SPECTATORS {
        let (frames, connected, read) = (frames.clone(), connected.clone(), read.clone());
        tasks.push(tokio::spawn(async move {
            let mut stream = match tokio::net::TcpStream::connect(address).await {
                Ok(stream) => stream,
                Err(error) => {
                    eprintln!("spectator: connect: {error}");
                    return;
                }
            };
            let request =
                format!("GET /battles/{battle}/live?after={after} HTTP/1.1\r\nHost: bench\r\n\r\n");
            stream.write_all(request.as_bytes()).await.expect("write");
            let mut lines = BufReader::new(stream).lines();
            let mut counted = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if !counted && line.starts_with("HTTP/1.1") && !line.contains(" 200") {
                    eprintln!("spectator: {line}");
                }
                if !counted && line.is_empty() {
                    // The headers are out: the spectator has joined the battle's channel.
                    counted = true;
                    connected.fetch_add(1, Ordering::SeqCst);
                    read.notify_waiters();
                }
                if debug {
                    eprintln!("spectator read: {line}");
                }
                // axum writes `event:turn`; a space after the colon is allowed too.
                if line.strip_prefix("event:").map(str::trim) == Some("turn") {
                    frames.fetch_add(1, Ordering::SeqCst);
                    read.notify_waiters();
                }
            }
        }));
    }
    let waiting = Instant::now();
    while connected.load(Ordering::SeqCst) < SPECTATORS {
        tokio::time::sleep(Duration::from_millis(5)).await;
        if waiting.elapsed() > Duration::from_secs(60) {
            panic!(
                "only {} of {SPECTATORS} spectators joined within a minute",
                connected.load(Ordering::SeqCst)
            );
        }
    }
    Crowd {
        frames,
        read,
        seen: 0,
        tasks,
    }
}

impl Crowd {
    async fn until(&self, frames: u64) {
        let waiting = Instant::now();
        loop {
            assert!(
                waiting.elapsed() < Duration::from_secs(60),
                "only {} of {frames} frames read within a minute",
                self.frames.load(Ordering::SeqCst)
            );
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
        Arena {
            engine,
            address,
            next_id: 0,
            player: PlayerId(0),
            watching: None,
        }
    });
    let mut group = c.benchmark_group("spectators");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("turn_to_1000_sse_clients", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += arena.timed_turn().await;
                }
                total
            })
        })
    });
    group.finish();
    // The crowd leaves inside the runtime (its tasks are aborted there).
    runtime.block_on(async { arena.watching = None });
}

criterion_group!(benches, spectators);
criterion_main!(benches);
