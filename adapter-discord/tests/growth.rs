//! Cost and growth in the adapter: whole-stream reads stay off the runtime's threads, live
//! followers end, and live edits respect Discord's rate limits.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use allspark_discord::app::App;
use allspark_discord::invocation::{Invocation, Kind};
use allspark_discord::live::{EditLimiter, Live};
use allspark_engine::battle::{BattleCommand, BattleEvent, BattleId};
use allspark_engine::codec::CommandOutcome;
use allspark_engine::log::{AppendBatch, LogError};
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::testing::TestEngine;
use allspark_engine::{
    Actor, Command, CommandId, EngineConfig, Event, EventLog, MemoryLog, PlayerId, RecordedEvent,
    StreamId, Timestamp,
};
use serde_json::{json, Value};
use support::serve_fake;
use tokio::sync::watch;

const ALICE: PlayerId = PlayerId(1);

/// A memory log that notes which threads read whole streams.
#[derive(Default)]
struct Watched {
    inner: MemoryLog,
    readers: Mutex<Vec<(String, std::thread::ThreadId)>>,
}

impl EventLog for Watched {
    fn append(&self, batch: &AppendBatch) -> Result<(), LogError> {
        self.inner.append(batch)
    }
    fn flush(&self) -> Result<(), LogError> {
        self.inner.flush()
    }
    fn last_seq(&self) -> u64 {
        self.inner.last_seq()
    }
    fn stream_version(&self, stream: &StreamId) -> Result<u64, LogError> {
        self.inner.stream_version(stream)
    }
    fn read_all(&self, from_seq: u64, limit: usize) -> Result<Vec<RecordedEvent>, LogError> {
        self.inner.read_all(from_seq, limit)
    }
    fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, LogError> {
        self.readers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((stream.as_str().to_string(), std::thread::current().id()));
        self.inner.read_stream(stream, from_version, limit)
    }
    fn scan(&self, from_seq: u64, visit: &mut dyn FnMut(RecordedEvent)) -> Result<u64, LogError> {
        self.inner.scan(from_seq, visit)
    }
    fn command_outcome(&self, id: CommandId) -> Result<Option<CommandOutcome>, LogError> {
        self.inner.command_outcome(id)
    }
    fn compact_outcomes(&self, before: Timestamp, keep_newest: usize) -> Result<u64, LogError> {
        self.inner.compact_outcomes(before, keep_newest)
    }
    fn save_snapshot(&self, seq: u64, bytes: &[u8]) -> Result<(), LogError> {
        self.inner.save_snapshot(seq, bytes)
    }
    fn latest_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, LogError> {
        self.inner.latest_snapshot()
    }
    fn watch_durable(&self) -> watch::Receiver<u64> {
        self.inner.watch_durable()
    }
}

async fn run(test: &mut TestEngine, actor: Actor, command: Command) -> Vec<RecordedEvent> {
    let envelope = test.envelope(actor, command);
    match test.engine.execute(envelope).await {
        Ok(reply) => reply.outcome.events().to_vec(),
        Err(error) => panic!("engine: {error}"),
    }
}

/// Alice adopts a pet and starts a solo battle; its id.
async fn solo_battle(test: &mut TestEngine) -> BattleId {
    run(
        test,
        Actor::Player(ALICE),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    )
    .await;
    let enemy = allspark_engine::content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    let started = run(
        test,
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::StartSolo { enemy }),
    )
    .await;
    started
        .iter()
        .find_map(|e| match &e.event {
            Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no battle started"))
}

async fn surrender(test: &mut TestEngine, battle: BattleId) {
    run(
        test,
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::Surrender { battle }),
    )
    .await;
}

// A current-thread runtime: every task runs on the test's thread, so a read that happens on
// another thread happened on the blocking pool.
#[tokio::test]
async fn battle_views_and_ledger_pages_read_the_log_off_the_runtime_thread() {
    let log = Arc::new(Watched::default());
    let mut test = TestEngine::on_log(log.clone(), EngineConfig::default());
    let app = App::new(test.engine.clone());
    let battle = solo_battle(&mut test).await;
    let runtime_thread = std::thread::current().id();

    let view = app.battle_view(battle).await;
    assert!(view.is_ok());
    let history = app
        .handle(Invocation {
            id: CommandId(5_000),
            user: ALICE.0,
            operator: false,
            roles: Vec::new(),
            place: Default::default(),
            kind: Kind::Slash {
                name: "energon_history".into(),
                options: Default::default(),
            },
        })
        .await;
    support::check_callback(&history.to_discord());

    let readers = log
        .readers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let battle_stream = battle.stream();
    for stream in [battle_stream.as_str(), "user/1"] {
        let reads: Vec<_> = readers.iter().filter(|(s, _)| s == stream).collect();
        assert!(!reads.is_empty(), "{stream} was never read: {readers:?}");
        assert!(
            reads.iter().all(|(_, thread)| *thread != runtime_thread),
            "{stream} was read on the runtime's thread"
        );
    }
}

/// A fake Discord that records every message edit: (token, body, when).
type Edits = Arc<Mutex<Vec<(String, Value, Instant)>>>;

/// Serves edits; the first `n_limited` are answered 429 with `retry_after` seconds.
async fn fake_discord(n_limited: usize, retry_after: f64) -> (String, Edits) {
    let edits: Edits = Arc::default();
    let refused = Arc::new(Mutex::new(0usize));
    let store = edits.clone();
    let handler =
        move |axum::extract::Path((_application, token)): axum::extract::Path<(String, String)>,
              body: axum::body::Bytes| {
            let store = store.clone();
            let refused = refused.clone();
            async move {
                let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                store
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((token, body, Instant::now()));
                let mut n = refused.lock().unwrap_or_else(|p| p.into_inner());
                if *n < n_limited {
                    *n += 1;
                    return (
                        axum::http::StatusCode::TOO_MANY_REQUESTS,
                        axum::Json(json!({
                            "message": "You are being rate limited.",
                            "retry_after": retry_after,
                            "global": false
                        })),
                    );
                }
                (axum::http::StatusCode::OK, axum::Json(json!({ "id": "1" })))
            }
        };
    let router = axum::Router::new().route(
        "/webhooks/{application}/{token}/messages/@original",
        axum::routing::patch(handler),
    );
    (serve_fake(router).await, edits)
}

fn edit_url(base: &str, token: &str) -> String {
    format!("{base}/webhooks/app/{token}/messages/@original")
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn a_429_pauses_live_edits_for_its_retry_after_and_quick_edits_of_one_message_coalesce() {
    let (base, edits) = fake_discord(1, 0.4).await;
    let limiter = EditLimiter::new(reqwest::Client::new());
    limiter.edit(edit_url(&base, "a"), json!({ "frame": 0 }));
    until("the first edit", || {
        !edits.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
    })
    .await;
    // While the limiter waits out the 429, the same message is edited five times more and
    // another message once.
    for frame in 1..=5 {
        limiter.edit(edit_url(&base, "a"), json!({ "frame": frame }));
    }
    limiter.edit(edit_url(&base, "b"), json!({ "frame": 1 }));
    until("the edits after the pause", || limiter.n_sent() >= 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let edits = edits.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let sent: Vec<(String, Value)> = edits
        .iter()
        .map(|(t, b, _)| (t.clone(), b.clone()))
        .collect();
    assert_eq!(
        sent,
        vec![
            ("a".to_string(), json!({ "frame": 0 })),
            ("a".to_string(), json!({ "frame": 5 })),
            ("b".to_string(), json!({ "frame": 1 })),
        ],
        "the refused frame is replaced by the latest, and nothing in between is sent"
    );
    let paused = edits[1].2.duration_since(edits[0].2);
    assert!(
        paused >= Duration::from_millis(400),
        "resent after {paused:?}"
    );
    assert_eq!(limiter.n_waiting(), 0);
}

#[tokio::test]
async fn a_refused_edit_is_sent_again_after_the_retry_after_of_its_header() {
    let edits: Edits = Arc::default();
    let store = edits.clone();
    let handler = move |body: axum::body::Bytes| {
        let store = store.clone();
        async move {
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
            store.push(("a".into(), body, Instant::now()));
            if store.len() == 1 {
                return (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    [(axum::http::header::RETRY_AFTER, "1")],
                    String::new(),
                );
            }
            (
                axum::http::StatusCode::OK,
                [(axum::http::header::RETRY_AFTER, "0")],
                "{}".to_string(),
            )
        }
    };
    let router = axum::Router::new().route(
        "/webhooks/{application}/{token}/messages/@original",
        axum::routing::patch(handler),
    );
    let base = serve_fake(router).await;
    let limiter = EditLimiter::new(reqwest::Client::new());
    limiter.edit(edit_url(&base, "a"), json!({ "frame": 0 }));
    until("the resent edit", || limiter.n_sent() >= 1).await;
    let edits = edits.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert_eq!(edits.len(), 2);
    assert_eq!(edits[1].1, json!({ "frame": 0 }));
    assert!(edits[1].2.duration_since(edits[0].2) >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_live_follower_ends_with_its_battle_even_one_over_before_it_was_watched() {
    let (base, edits) = fake_discord(0, 0.0).await;
    let mut test = TestEngine::new();
    let live = Live::new(App::new(test.engine.clone()), reqwest::Client::new(), base);

    // Followed while open, then it ends: one follower, gone after the last refresh.
    let battle = solo_battle(&mut test).await;
    live.watch(battle, "app".into(), "open".into());
    assert_eq!(live.n_followers(), 1);
    tokio::time::sleep(Duration::from_millis(50)).await;
    surrender(&mut test, battle).await;
    until("the follower of the ended battle to stop", || {
        live.n_followers() == 0
    })
    .await;
    until("the final view", || {
        edits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|(token, _, _)| token == "open")
    })
    .await;

    // A view of a battle that is already over: nothing will ever happen on its stream.
    live.watch(battle, "app".into(), "late".into());
    until("the follower of a finished battle to stop", || {
        live.n_followers() == 0
    })
    .await;
}
