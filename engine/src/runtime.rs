//! The core: one thread owns the World and is the only writer of the log.
//!
//! Requests arrive on a bounded channel. The core takes whatever is waiting (up to
//! [`EngineConfig::batch_max_commands`]), decides each command in order against the World (so a
//! later command sees an earlier one's effects), appends the whole batch in one atomic write,
//! flushes once (group commit), and only then answers the callers. Queries run after the batch
//! is durable, so nobody ever reads state that could still be lost.
//!
//! Fail-stop: if an append or flush fails, the batch's outcome is unknown (sled may hold its
//! events, and a later recovery would apply them), so the core stops deciding: every caller of
//! that batch gets [`EngineError::OutcomeUnknown`], every later request gets
//! [`EngineError::Halted`], and [`Engine::stopped`] resolves so that the process can exit and be
//! restarted, which recovers from the log. A panic in `decide` or `evolve` is a bug and stops the
//! core the same way. A panic in a read ([`Engine::query`]) only fails that read.
//!
//! Personal text a batch writes goes to the erasable store unflushed while deciding; the store is
//! flushed once, just before the batch's append, and a batch that fails puts the previous texts
//! back, so a failed batch leaves none of its text readable.
//!
//! Time: [`Engine::envelope`] never stamps an instant before the latest one the store recorded
//! (or the facade handed out), whatever the clock does; and a system command rejected only
//! because it came too early (a timer ahead of its deadline) is not recorded as final under its
//! id, so the same timer can succeed once the deadline has passed.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot, watch};
use tracing::{debug, error, info, info_span, warn};

use crate::clock::{Clock, SystemClock};
use crate::codec::{self, CodecError, CommandOutcome, SCHEMA_VERSION};
use crate::content;
use crate::dice::Seed;
use crate::envelope::{event_id_for, CommandEnvelope, RecordedEvent};
use crate::ids::{Actor, CommandId, PlayerId, StreamId, Timestamp};
use crate::log::{
    AppendBatch, CommandRecord, EventLog, LogError, SledLog, StreamSubscription, Subscription,
};
use crate::personal::{MemoryPersonal, PersonalStore, PersonalWrite, SledPersonal};
use crate::stats::Stats;
use crate::world::{Command, Rejection, World};

/// Tunables of the core. Every limit is named with its unit.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Take a snapshot after this many events since the last one (0: never).
    pub snapshot_every_events: u64,
    /// Most commands decided in one group commit.
    pub batch_max_commands: usize,
    /// Requests that may wait for the core before callers are made to wait.
    pub channel_capacity_requests: usize,
    /// The server secret seeds are derived from. Keep it private: whoever knows it and a command
    /// id can foresee that command's dice. The default is a fixed development value for tests;
    /// the `allspark` binary always supplies a real one (`ALLSPARK_SECRET` or a generated file).
    pub server_secret: Vec<u8>,
    /// Stream versions the core keeps in memory (the most recently used ones); a miss reads the
    /// version from the log. The cache may briefly hold up to twice this many.
    pub stream_versions_cached: usize,
    /// How long a command's outcome is kept for retries, in seconds of recorded time (envelope
    /// instants). Discord redelivers within minutes and the transports refuse requests older
    /// than 5 minutes, so a day is plenty; after it a command id is unknown again and a retry is
    /// decided anew against the current World.
    pub outcome_retention_secs: i64,
    /// The most recently decided outcomes kept whatever their age, so that recorded time jumping
    /// ahead (a clock stepping forward) can't forget the outcomes of the last minutes.
    pub outcomes_kept_min: usize,
    /// Recorded time between two compactions of outcomes older than the retention, in seconds
    /// (0: after every batch).
    pub outcome_compaction_every_secs: i64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            snapshot_every_events: 10_000,
            batch_max_commands: 1_024,
            channel_capacity_requests: 4_096,
            server_secret: b"allspark-development-secret".to_vec(),
            stream_versions_cached: 100_000,
            outcome_retention_secs: 24 * 60 * 60,
            outcomes_kept_min: 100_000,
            outcome_compaction_every_secs: 60 * 60,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("snapshot is unreadable: {0}")]
    Codec(#[from] CodecError),
    #[error("the engine has stopped")]
    Stopped,
    /// The storage failed while this command's batch was being made durable: it may or may not
    /// have been recorded. The engine has stopped; a restart recovers from the log, and
    /// retrying the same command id then gets its recorded outcome, if any.
    #[error("the outcome is unknown: storage failed while making the command durable ({0}); the engine stopped, and a restart recovers from the log")]
    OutcomeUnknown(String),
    /// The core stopped by itself (a storage fault or a bug): nothing more is decided.
    #[error("the engine stopped after a fault ({0}); a restart recovers from the log")]
    Halted(String),
    /// The read panicked (a bug in the read); the engine goes on.
    #[error("the read failed: {0}")]
    ReadPanicked(String),
    #[error("the log and the rebuilt world disagree: {0}")]
    Inconsistent(String),
    #[error("the embedded game content is invalid:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Content(Vec<content::ContentProblem>),
}

/// The answer to one command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub outcome: Outcome,
    /// True when the command id had already been decided and this is the recorded outcome.
    pub duplicate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The events the command appended (possibly none).
    Accepted(Vec<RecordedEvent>),
    Rejected(Rejection),
    /// Rejected long ago by a build whose rejection this one can't read.
    RejectedEarlier,
}

impl Outcome {
    pub fn is_accepted(&self) -> bool {
        matches!(self, Outcome::Accepted(_))
    }

    pub fn events(&self) -> &[RecordedEvent] {
        match self {
            Outcome::Accepted(events) => events,
            Outcome::Rejected(_) | Outcome::RejectedEarlier => &[],
        }
    }
}

type Query = Box<dyn FnOnce(&World) + Send>;

/// Whether the core is deciding, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreState {
    Running,
    /// Stopped as asked ([`Engine::shutdown`]).
    Stopped,
    /// Stopped by itself: a storage fault (the last batch's outcome is unknown) or a panic.
    /// Nothing more is decided; the process should exit so that a restart recovers from the log.
    Failed(String),
}

impl std::fmt::Display for CoreState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CoreState::Running => f.write_str("running"),
            CoreState::Stopped => f.write_str("stopped"),
            CoreState::Failed(reason) => write!(f, "failed: {reason}"),
        }
    }
}

/// The core's state, shared by the core and every clone of the facade. Set once, when the core
/// ends, before its request channel closes (a caller that sees the channel gone may still have
/// to wait a moment while the core unwinds).
struct Status {
    state: watch::Sender<CoreState>,
    lock: Mutex<()>,
    changed: Condvar,
}

/// How long a blocking caller waits for the core to say why it ended before calling it stopped.
const SETTLE_WAIT: Duration = Duration::from_secs(5);

impl Status {
    fn new() -> Status {
        Status {
            state: watch::Sender::new(CoreState::Running),
            lock: Mutex::new(()),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn set(&self, state: CoreState) {
        let _guard = self.lock();
        self.state.send_replace(state);
        self.changed.notify_all();
    }

    fn get(&self) -> CoreState {
        self.state.borrow().clone()
    }

    /// The state once the core has ended (the caller knows it has: its request was dropped).
    fn settled_blocking(&self) -> CoreState {
        let mut guard = self.lock();
        let deadline = std::time::Instant::now() + SETTLE_WAIT;
        loop {
            let state = self.get();
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if state != CoreState::Running || left.is_zero() {
                return state;
            }
            guard = match self.changed.wait_timeout(guard, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    async fn settled(&self) -> CoreState {
        let mut receiver = self.state.subscribe();
        let state = match receiver
            .wait_for(|state| *state != CoreState::Running)
            .await
        {
            Ok(state) => state.clone(),
            Err(_) => self.get(),
        };
        state
    }
}

/// The error for a request the core will never answer, given how it ended.
fn ended(state: CoreState) -> EngineError {
    match state {
        CoreState::Failed(reason) => EngineError::Halted(reason),
        CoreState::Running | CoreState::Stopped => EngineError::Stopped,
    }
}

/// Runs a read, turning a panic into an error for its caller alone. The World is only borrowed
/// (a read can't leave it half-changed), so going on after the panic is sound.
fn read_safely<R>(read: impl FnOnce(&World) -> R, world: &World) -> Result<R, EngineError> {
    std::panic::catch_unwind(AssertUnwindSafe(|| read(world))).map_err(|payload| {
        let message = panic_message(payload.as_ref());
        error!(%message, "a read panicked; the core goes on");
        EngineError::ReadPanicked(message)
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

enum Request {
    Execute {
        envelope: CommandEnvelope,
        reply: oneshot::Sender<Result<Reply, EngineError>>,
    },
    Query(Query),
    Snapshot(oneshot::Sender<Result<u64, EngineError>>),
    /// The log's end and every personal text, read together between two batches.
    BackupPoint(oneshot::Sender<Result<crate::backup::BackupPoint, EngineError>>),
    /// Word counts to add for a player who has counting on (see [`Engine::count_words`]).
    CountWords {
        player: PlayerId,
        words: Vec<(String, u32)>,
        reply: oneshot::Sender<Result<bool, EngineError>>,
    },
    /// Finish what was queued before this request, then stop.
    Stop,
}

/// The engine facade: cheap to clone, safe to share across tasks and threads.
#[derive(Clone)]
pub struct Engine {
    requests: mpsc::Sender<Request>,
    log: Arc<dyn EventLog>,
    personal: Arc<dyn PersonalStore>,
    clock: Arc<dyn Clock>,
    secret: Arc<[u8]>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
    status: Arc<Status>,
    /// The latest instant recorded in the store or handed out by [`Engine::envelope`] (ms).
    latest: Arc<AtomicI64>,
    stats: Arc<crate::stats::Stats>,
}

/// How the World was brought back at open, for logs and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenReport {
    /// The seq of the snapshot used, if one was valid.
    pub snapshot_seq: Option<u64>,
    /// Events replayed after the snapshot.
    pub n_events_replayed: u64,
}

impl Engine {
    /// Opens the stores in `dir` (the log in `dir/log`, personal text in `dir/personal`) with
    /// the system clock.
    pub fn open_dir(dir: &Path, config: EngineConfig) -> Result<Engine, EngineError> {
        let log: Arc<dyn EventLog> = Arc::new(SledLog::open(&log_dir(dir))?);
        let personal: Arc<dyn PersonalStore> = Arc::new(SledPersonal::open(&dir.join("personal"))?);
        Ok(Engine::open_with(log, personal, config, Arc::new(SystemClock))?.0)
    }

    /// [`Engine::open_with`] and personal text kept in memory (tests, tools).
    pub fn open(
        log: Arc<dyn EventLog>,
        config: EngineConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<(Engine, OpenReport), EngineError> {
        Engine::open_with(log, Arc::new(MemoryPersonal::default()), config, clock)
    }

    /// Checks the content, rebuilds the World from the newest valid snapshot plus the log's
    /// tail, then starts the core thread.
    pub fn open_with(
        log: Arc<dyn EventLog>,
        personal: Arc<dyn PersonalStore>,
        config: EngineConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<(Engine, OpenReport), EngineError> {
        content::load().map_err(EngineError::Content)?;
        let (world, report) = rebuild(log.as_ref(), true)?;
        info!(
            last_seq = world.last_seq,
            snapshot_seq = ?report.snapshot_seq,
            replayed = report.n_events_replayed,
            "world rebuilt"
        );
        let last_recorded = last_recorded_at(log.as_ref())?;
        let latest = Arc::new(AtomicI64::new(last_recorded.0));
        let status = Arc::new(Status::new());
        let (sender, receiver) = mpsc::channel(config.channel_capacity_requests.max(1));
        let secret: Arc<[u8]> = config.server_secret.clone().into();
        let stats = Arc::new(crate::stats::Stats::default());
        let mut core = Core {
            stats: stats.clone(),
            log: log.clone(),
            personal: personal.clone(),
            world,
            stream_versions: StreamVersions::new(config.stream_versions_cached),
            newest_decided: last_recorded,
            compacted_at: None,
            events_since_snapshot: 0,
            config,
            staged: Vec::new(),
            status: status.clone(),
            latest: latest.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("allspark-core".into())
            .spawn(move || core.run(receiver))
            .map_err(|error| LogError::Corrupt(format!("could not start the core: {error}")))?;
        let engine = Engine {
            requests: sender,
            log,
            personal,
            clock,
            secret,
            thread: Arc::new(Mutex::new(Some(thread))),
            status,
            latest,
            stats,
        };
        Ok((engine, report))
    }

    /// Builds a complete envelope: stamps the instant ([`Engine::now`]) and derives the seed.
    pub fn envelope(&self, id: CommandId, actor: Actor, command: Command) -> CommandEnvelope {
        CommandEnvelope {
            id,
            actor,
            now: self.now(),
            seed: derive_seed(&self.secret, id),
            command,
        }
    }

    /// The instant it is now for the game (for the shell: view expiry, timers): the clock's
    /// reading, but never before the latest instant the store recorded or this facade handed
    /// out, so a clock stepping backwards can't move the game's time back.
    pub fn now(&self) -> Timestamp {
        let read = self.clock.now().0;
        let before = self.latest.fetch_max(read, Ordering::SeqCst);
        Timestamp(before.max(read))
    }

    /// Whether the core is deciding, and if not, why.
    pub fn state(&self) -> CoreState {
        self.status.get()
    }

    /// Resolves once the core has ended, with how it ended. A core that ends by itself
    /// ([`CoreState::Failed`]) answers nothing more; the process should exit (non-zero) so that
    /// a supervisor restarts it and the restart recovers from the log.
    pub async fn stopped(&self) -> CoreState {
        self.status.settled().await
    }

    async fn ended(&self) -> EngineError {
        ended(self.status.settled().await)
    }

    fn ended_blocking(&self) -> EngineError {
        ended(self.status.settled_blocking())
    }

    /// Decides, appends and makes durable one command; answers after the flush.
    pub async fn execute(&self, envelope: CommandEnvelope) -> Result<Reply, EngineError> {
        let (reply, answer) = oneshot::channel();
        if self
            .requests
            .send(Request::Execute { envelope, reply })
            .await
            .is_err()
        {
            return Err(self.ended().await);
        }
        match answer.await {
            Ok(result) => result,
            Err(_) => Err(self.ended().await),
        }
    }

    /// [`Engine::execute`] for callers outside an async runtime (console, tests, tools).
    pub fn execute_blocking(&self, envelope: CommandEnvelope) -> Result<Reply, EngineError> {
        let (reply, answer) = oneshot::channel();
        if self
            .requests
            .blocking_send(Request::Execute { envelope, reply })
            .is_err()
        {
            return Err(self.ended_blocking());
        }
        answer
            .blocking_recv()
            .unwrap_or_else(|_| Err(self.ended_blocking()))
    }

    /// Runs `read` against the World between batches and returns its result. A panic in `read`
    /// fails this read only ([`EngineError::ReadPanicked`]); the core goes on.
    pub async fn query<R: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> R + Send + 'static,
    ) -> Result<R, EngineError> {
        let (reply, answer) = oneshot::channel();
        let query: Query = Box::new(move |world| {
            let _ = reply.send(read_safely(read, world));
        });
        if self.requests.send(Request::Query(query)).await.is_err() {
            return Err(self.ended().await);
        }
        match answer.await {
            Ok(result) => result,
            Err(_) => Err(self.ended().await),
        }
    }

    /// [`Engine::query`] for callers outside an async runtime.
    pub fn query_blocking<R: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> R + Send + 'static,
    ) -> Result<R, EngineError> {
        let (reply, answer) = oneshot::channel();
        let query: Query = Box::new(move |world| {
            let _ = reply.send(read_safely(read, world));
        });
        if self.requests.blocking_send(Request::Query(query)).is_err() {
            return Err(self.ended_blocking());
        }
        answer
            .blocking_recv()
            .unwrap_or_else(|_| Err(self.ended_blocking()))
    }

    /// Takes a snapshot now; returns the seq it was taken at.
    pub fn snapshot_blocking(&self) -> Result<u64, EngineError> {
        let (reply, answer) = oneshot::channel();
        if self
            .requests
            .blocking_send(Request::Snapshot(reply))
            .is_err()
        {
            return Err(self.ended_blocking());
        }
        answer
            .blocking_recv()
            .unwrap_or_else(|_| Err(self.ended_blocking()))
    }

    /// A consistent point to back up from, taken between two batches: the seq the log ends at
    /// (every event up to it is durable, and none after it is) and every personal text as it
    /// stood then. The events themselves are read afterwards (`backup::write`): they never
    /// change, so the copy is consistent while the core goes on.
    pub async fn backup_point(&self) -> Result<crate::backup::BackupPoint, EngineError> {
        let (reply, answer) = oneshot::channel();
        if self
            .requests
            .send(Request::BackupPoint(reply))
            .await
            .is_err()
        {
            return Err(self.ended().await);
        }
        match answer.await {
            Ok(result) => result,
            Err(_) => Err(self.ended().await),
        }
    }

    /// A keyed digest of `text` for `purpose` within `scope` (a lore title in a guild): the
    /// same words give the same key, so a rule can tell two titles apart without the words
    /// in the log, and without the server secret nobody can test a guess against it.
    pub fn text_key(&self, purpose: &str, scope: u64, text: &str) -> u128 {
        let mut hasher = Sha256::new();
        hasher.update(b"allspark/text-key/v1");
        hasher.update((self.secret.len() as u64).to_be_bytes());
        hasher.update(&self.secret[..]);
        hasher.update((purpose.len() as u64).to_be_bytes());
        hasher.update(purpose.as_bytes());
        hasher.update(scope.to_be_bytes());
        hasher.update(text.as_bytes());
        let digest = hasher.finalize();
        let mut value = [0u8; 16];
        value.copy_from_slice(&digest[..16]);
        u128::from_be_bytes(value)
    }

    /// Adds `words` (each with how often it was said) to `player`'s word counts for
    /// `/user_says`, if they have counting on; keeps the [`crate::social::WORDS_KEPT`] most
    /// said. Only counts are kept, in the erasable store, never the messages; it goes through
    /// the core so that it is ordered with erasure and opting out. Returns whether they were
    /// counted.
    pub async fn count_words(
        &self,
        player: PlayerId,
        words: Vec<(String, u32)>,
    ) -> Result<bool, EngineError> {
        let (reply, answer) = oneshot::channel();
        if self
            .requests
            .send(Request::CountWords {
                player,
                words,
                reply,
            })
            .await
            .is_err()
        {
            return Err(self.ended().await);
        }
        match answer.await {
            Ok(result) => result,
            Err(_) => Err(self.ended().await),
        }
    }

    /// Everything a player wrote that the erasable store holds, by key.
    pub fn personal_texts(
        &self,
        player: PlayerId,
    ) -> Result<Vec<crate::personal::PersonalText>, EngineError> {
        Ok(self.personal.texts(Some(player))?)
    }

    /// What the core has measured so far (batches, flushes, commands), for metrics.
    pub fn stats(&self) -> crate::stats::StatsSnapshot {
        self.stats.snapshot()
    }

    /// Follows the log from `from_seq`: history first, then live events.
    pub fn subscribe(&self, from_seq: u64) -> Subscription {
        Subscription::new(self.log.clone(), from_seq)
    }

    /// Follows one stream from `from_version` (1: its whole history), then live: how
    /// spectators and live battle messages watch a battle.
    pub fn follow(&self, stream: StreamId, from_version: u64) -> StreamSubscription {
        StreamSubscription::new(self.log.clone(), stream, from_version)
    }

    pub fn log(&self) -> &Arc<dyn EventLog> {
        &self.log
    }

    /// Text a player wrote, from the erasable store (e.g. `personal::KEY_PET_NAME`).
    pub fn personal_text(
        &self,
        player: PlayerId,
        key: &str,
    ) -> Result<Option<String>, EngineError> {
        Ok(self.personal.get(player, key)?)
    }

    /// Stops the core after the requests queued before this call, and waits for it. Every clone
    /// of this engine gets [`EngineError::Stopped`] afterwards.
    pub fn shutdown(&self) {
        let _ = self.requests.blocking_send(Request::Stop);
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }

    /// [`Engine::shutdown`] from async code: waits for the core without blocking the runtime.
    pub async fn shutdown_async(&self) {
        let _ = self.requests.send(Request::Stop).await;
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Where the log lives inside a data directory.
pub fn log_dir(data: &Path) -> std::path::PathBuf {
    data.join("log")
}

/// The seed of a command: SHA-256 over the server secret and the command id.
pub fn derive_seed(secret: &[u8], id: CommandId) -> Seed {
    let mut hasher = Sha256::new();
    hasher.update(b"allspark/seed/v1");
    hasher.update((secret.len() as u64).to_be_bytes());
    hasher.update(secret);
    hasher.update(id.to_be_bytes());
    let digest = hasher.finalize();
    let mut value = [0u8; 16];
    value.copy_from_slice(&digest[..16]);
    Seed::pcg(u128::from_be_bytes(value))
}

// Kept here, not in world.rs, while the areas are being reorganised; it belongs next to
// `BattleRejection` once that settles. It is the core that decides what a rejection means for
// the record, so the method's one caller is below.
impl Rejection {
    /// True when the same command may be accepted later only because time has passed (a timer
    /// sent before its deadline): such a rejection is not final for a system command.
    pub fn is_time_dependent(&self) -> bool {
        matches!(
            self,
            Rejection::Battle(crate::battle::BattleRejection::TooEarly { .. })
                | Rejection::Market(crate::market::MarketRejection::TickAhead { .. })
                | Rejection::Trade(crate::trade::TradeRejection::TooEarly { .. })
        )
    }
}

/// The instant of the log's last event (the earliest instant the next command may carry), or
/// the earliest instant there is for an empty log.
fn last_recorded_at(log: &dyn EventLog) -> Result<Timestamp, LogError> {
    let last_seq = log.last_seq();
    if last_seq == 0 {
        return Ok(Timestamp(i64::MIN));
    }
    Ok(log
        .read_all(last_seq, 1)?
        .first()
        .map_or(Timestamp(i64::MIN), |event| event.recorded_at))
}

/// A snapshot as stored: the World and the versions it is valid for.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct StoredSnapshot {
    schema_version: u16,
    content_version: [u8; 32],
    /// Each area's name and tuning version (`world::TUNING_VERSIONS`) when it was taken.
    tuning_versions: Vec<(String, u32)>,
    world: World,
}

/// The areas' tuning versions, as a snapshot records them.
fn tuning_versions() -> Vec<(String, u32)> {
    crate::world::TUNING_VERSIONS
        .iter()
        .map(|(area, version)| (area.to_string(), *version))
        .collect()
}

pub fn encode_snapshot(world: &World) -> Result<Vec<u8>, CodecError> {
    codec::encode_value(&StoredSnapshot {
        schema_version: SCHEMA_VERSION,
        content_version: content::version(),
        tuning_versions: tuning_versions(),
        world: world.clone(),
    })
}

/// A stored snapshot read back: the World it holds, and whether this build would use it (same
/// schema, content and tuning versions).
pub struct DecodedSnapshot {
    pub world: World,
    pub current: bool,
}

/// Decodes a snapshot as [`rebuild`] reads it.
pub fn decode_snapshot(bytes: &[u8]) -> Result<DecodedSnapshot, CodecError> {
    let stored = codec::decode_value::<StoredSnapshot>(bytes)?;
    let current = stored.schema_version == SCHEMA_VERSION
        && stored.content_version == content::version()
        && stored.tuning_versions == tuning_versions();
    Ok(DecodedSnapshot {
        world: stored.world,
        current,
    })
}

/// Rebuilds the World from the log, starting from the newest snapshot when `use_snapshot` and
/// the snapshot is valid for this build (same schema, content and tuning versions, same seq).
pub fn rebuild(log: &dyn EventLog, use_snapshot: bool) -> Result<(World, OpenReport), EngineError> {
    let mut world = World::default();
    let mut snapshot_seq = None;
    if use_snapshot {
        if let Some((seq, bytes)) = log.latest_snapshot()? {
            match codec::decode_value::<StoredSnapshot>(&bytes) {
                Ok(stored)
                    if stored.schema_version == SCHEMA_VERSION
                        && stored.content_version == content::version()
                        && stored.tuning_versions == tuning_versions()
                        && stored.world.last_seq == seq
                        && seq <= log.last_seq() =>
                {
                    world = stored.world;
                    snapshot_seq = Some(seq);
                }
                Ok(_) => warn!(
                    seq,
                    "snapshot written by another schema, content or tuning version; ignored"
                ),
                Err(error) => warn!(seq, %error, "snapshot unreadable; ignored"),
            }
        }
    }
    let n_events_replayed = log.scan(world.last_seq + 1, &mut |event| world.evolve(&event))?;
    if world.last_seq != log.last_seq() {
        return Err(EngineError::Inconsistent(format!(
            "rebuilt world ends at seq {}, the log at {}",
            world.last_seq,
            log.last_seq()
        )));
    }
    Ok((
        world,
        OpenReport {
            snapshot_seq,
            n_events_replayed,
        },
    ))
}

/// The single writer's state. Lives on the core thread only.
struct Core {
    log: Arc<dyn EventLog>,
    personal: Arc<dyn PersonalStore>,
    world: World,
    /// Versions of recently touched streams, read lazily from the log (bounded).
    stream_versions: StreamVersions,
    /// The latest instant a command was decided at (or the log's last recorded instant).
    newest_decided: Timestamp,
    /// The `newest_decided` of the last outcome compaction (none yet since start).
    compacted_at: Option<Timestamp>,
    events_since_snapshot: u64,
    config: EngineConfig,
    /// Personal text written (not yet flushed) for the batch being decided, with what it
    /// replaced, so that a failed batch can put it back.
    staged: Vec<StagedText>,
    status: Arc<Status>,
    latest: Arc<AtomicI64>,
    stats: Arc<crate::stats::Stats>,
}

/// The stream versions the core remembers: two generations of at most `capacity` each. A hit
/// in the old generation moves the entry to the new one; [`StreamVersions::trim`], called only
/// once a batch is in the log (so no version it assigned can be forgotten before it is stored),
/// drops the old generation when the new one is full. What was dropped is read back from the
/// log's `v` keys on its next use. Memory is bounded by twice the capacity (plus one batch).
struct StreamVersions {
    capacity: usize,
    young: BTreeMap<StreamId, u64>,
    old: BTreeMap<StreamId, u64>,
}

impl StreamVersions {
    fn new(capacity: usize) -> StreamVersions {
        StreamVersions {
            capacity: capacity.max(1),
            young: BTreeMap::new(),
            old: BTreeMap::new(),
        }
    }

    fn get(&mut self, stream: &StreamId) -> Option<u64> {
        if let Some(version) = self.young.get(stream) {
            return Some(*version);
        }
        let (stream, version) = self.old.remove_entry(stream)?;
        self.young.insert(stream, version);
        Some(version)
    }

    fn set(&mut self, stream: StreamId, version: u64) {
        self.old.remove(&stream);
        self.young.insert(stream, version);
    }

    fn trim(&mut self) {
        if self.young.len() >= self.capacity {
            self.old = std::mem::take(&mut self.young);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }
}

/// One personal text a batch wrote, and the text it replaced.
struct StagedText {
    player: PlayerId,
    key: String,
    previous: Option<String>,
}

/// A caller waiting for the batch to become durable.
struct Waiting {
    reply: oneshot::Sender<Result<Reply, EngineError>>,
    outcome: Outcome,
    duplicate: bool,
}

/// Why the core must stop deciding.
struct Fault(String);

impl Core {
    /// Serves until asked to stop or until a fault; then records how it ended, before the
    /// request channel closes, so that every caller left hears why. (A fault is recorded as
    /// soon as it happens, before the failed batch's callers are answered.)
    fn run(&mut self, mut requests: mpsc::Receiver<Request>) {
        let served = std::panic::catch_unwind(AssertUnwindSafe(|| self.serve(&mut requests)));
        let state = match served {
            Ok(None) => {
                if let Err(error) = self.log.flush() {
                    warn!(%error, "final flush failed");
                }
                debug!("core stopped");
                CoreState::Stopped
            }
            Ok(Some(Fault(reason))) => {
                error!(%reason, "the core stopped after a storage fault; restart to recover from the log");
                CoreState::Failed(reason)
            }
            Err(payload) => {
                let reason = format!("the core panicked: {}", panic_message(payload.as_ref()));
                error!(%reason, "the core stopped; restart to recover from the log");
                CoreState::Failed(reason)
            }
        };
        self.status.set(state);
        requests.close();
    }

    /// The batch loop. Returns the fault that stopped it, if one did.
    fn serve(&mut self, requests: &mut mpsc::Receiver<Request>) -> Option<Fault> {
        let batch_max = self.config.batch_max_commands.max(1);
        let mut batch = Vec::with_capacity(batch_max);
        while let Some(first) = requests.blocking_recv() {
            batch.push(first);
            while batch.len() < batch_max {
                match requests.try_recv() {
                    Ok(request) => batch.push(request),
                    Err(_) => break,
                }
            }
            let mut stopping = false;
            if let Some(stop_idx) = batch.iter().position(|r| matches!(r, Request::Stop)) {
                // Requests queued after the stop are dropped: their callers hear `Stopped`.
                batch.truncate(stop_idx);
                stopping = true;
            }
            if let Err(fault) = self.process(&mut batch) {
                return Some(fault);
            }
            if stopping {
                return None;
            }
        }
        None
    }

    fn process(&mut self, requests: &mut Vec<Request>) -> Result<(), Fault> {
        let mut append = AppendBatch::default();
        let mut waiting: Vec<Waiting> = Vec::new();
        let mut queries: Vec<Query> = Vec::new();
        let mut snapshots = Vec::new();
        let mut backup_points = Vec::new();
        // Commands decided in this batch, for duplicates within the batch.
        let mut decided: BTreeMap<CommandId, usize> = BTreeMap::new();
        self.staged.clear();

        for request in requests.drain(..) {
            match request {
                Request::Execute { envelope, reply } => {
                    let span = info_span!("command", id = %envelope.id, actor = %envelope.actor);
                    let _entered = span.enter();
                    if let Some(first) = decided.get(&envelope.id) {
                        let outcome = waiting[*first].outcome.clone();
                        info!(outcome = "duplicate", "command");
                        Stats::count(&self.stats.duplicate);
                        waiting.push(Waiting {
                            reply,
                            outcome,
                            duplicate: true,
                        });
                        continue;
                    }
                    match self.recorded_outcome(envelope.id) {
                        Ok(Some(outcome)) => {
                            info!(outcome = "duplicate", "command");
                            Stats::count(&self.stats.duplicate);
                            let _ = reply.send(Ok(Reply {
                                outcome,
                                duplicate: true,
                            }));
                            continue;
                        }
                        Ok(None) => {}
                        Err(error) => {
                            let _ = reply.send(Err(error));
                            continue;
                        }
                    }
                    self.newest_decided = self.newest_decided.max(envelope.now);
                    let outcome = match self.decide(&envelope, &mut append) {
                        Ok(outcome) => outcome,
                        Err(error) => {
                            // A storage read failed mid-batch: nothing of this batch may be
                            // appended, and the World already holds some of it, so the core
                            // decides nothing more. Requests after this one are dropped.
                            let reason = format!("storage failed while deciding: {error}");
                            let fault = self.fail_unappended(waiting, reason.clone());
                            let _ = reply.send(Err(EngineError::Halted(reason)));
                            return Err(fault);
                        }
                    };
                    match &outcome {
                        Outcome::Accepted(events) => {
                            Stats::count(&self.stats.accepted);
                            info!(outcome = "accepted", n_events = events.len(), "command")
                        }
                        Outcome::Rejected(rejection) => {
                            Stats::count(&self.stats.rejected);
                            info!(outcome = "rejected", %rejection, "command")
                        }
                        Outcome::RejectedEarlier => {}
                    }
                    decided.insert(envelope.id, waiting.len());
                    waiting.push(Waiting {
                        reply,
                        outcome,
                        duplicate: false,
                    });
                }
                Request::Query(query) => queries.push(query),
                Request::Snapshot(reply) => snapshots.push(reply),
                Request::BackupPoint(reply) => backup_points.push(reply),
                Request::CountWords {
                    player,
                    words,
                    reply,
                } => {
                    let _ = reply.send(self.count_words(player, &words));
                }
                Request::Stop => {}
            }
        }

        if !append.commands.is_empty() {
            // The batch's personal text becomes durable first (one flush for all of it), so an
            // event never refers to text that isn't there.
            if !self.staged.is_empty() {
                if let Err(error) = self.personal.flush() {
                    let reason = format!("the personal store failed to flush: {error}");
                    return Err(self.fail_unappended(waiting, reason));
                }
            }
            let n_events = append.events.len() as u64;
            // Operational timing for the metrics only; no rule ever sees it.
            let started = std::time::Instant::now();
            if let Err(error) = self.log.append(&append).and_then(|()| self.log.flush()) {
                // After a failed write or fsync nobody knows what the store holds: the events
                // may be there and take effect at the next recovery. Stop (fail-stop).
                let reason = format!("append failed: {error}");
                self.status.set(CoreState::Failed(reason.clone()));
                self.undo_personal();
                for waiter in waiting {
                    let _ = waiter
                        .reply
                        .send(Err(EngineError::OutcomeUnknown(reason.clone())));
                }
                return Err(Fault(reason));
            }
            self.staged.clear();
            let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.stats.flush_micros.observe(micros);
            self.stats
                .batch_commands
                .observe(append.commands.len() as u64);
            // Every version this batch assigned is in the log now: the cache may forget some.
            self.stream_versions.trim();
            if let Some(latest) = append.events.iter().map(|e| e.recorded_at.0).max() {
                self.latest.fetch_max(latest, Ordering::SeqCst);
            }
            self.events_since_snapshot += n_events;
        }
        for waiter in waiting {
            let _ = waiter.reply.send(Ok(Reply {
                outcome: waiter.outcome,
                duplicate: waiter.duplicate,
            }));
        }
        let every = self.config.snapshot_every_events;
        if every > 0 && self.events_since_snapshot >= every {
            if let Err(error) = self.snapshot() {
                warn!(%error, "snapshot failed; the log is unaffected");
            }
        }

        if !append.commands.is_empty() {
            self.compact_outcomes();
        }

        for reply in snapshots {
            let _ = reply.send(self.snapshot());
        }
        for reply in backup_points {
            // Between batches: the log ends at the World's seq, all of it durable, and the
            // personal store holds exactly the text those events refer to.
            let point = self
                .personal
                .texts(None)
                .map(|texts| crate::backup::BackupPoint {
                    seq: self.world.last_seq,
                    texts,
                })
                .map_err(EngineError::from);
            let _ = reply.send(point);
        }
        for query in queries {
            // Each query catches its own panic (`read_safely`) and answers its caller.
            query(&self.world);
        }
        Ok(())
    }

    /// A batch that failed before anything was appended: its personal text is put back and its
    /// callers hear that the engine stopped (nothing of theirs was recorded).
    fn fail_unappended(&mut self, waiting: Vec<Waiting>, reason: String) -> Fault {
        self.status.set(CoreState::Failed(reason.clone()));
        self.undo_personal();
        for waiter in waiting {
            let _ = waiter.reply.send(Err(EngineError::Halted(reason.clone())));
        }
        Fault(reason)
    }

    /// Puts back the personal text the failed batch replaced, newest first, and flushes, so
    /// that nothing the batch wrote stays readable.
    fn undo_personal(&mut self) {
        if self.staged.is_empty() {
            return;
        }
        for staged in self.staged.drain(..).rev() {
            let undone = match &staged.previous {
                Some(text) => self.personal.put(staged.player, &staged.key, text),
                None => self.personal.remove(staged.player, &staged.key),
            };
            if let Err(error) = undone {
                error!(%error, player = staged.player.0, "could not take back personal text of a failed batch");
            }
        }
        if let Err(error) = self.personal.flush() {
            error!(%error, "could not flush personal text taken back after a failed batch");
        }
    }

    /// Merges word counts into the player's, if they count their words (ordered with the
    /// batch: a player erased or opted out earlier in it is not counted). Durable at once.
    fn count_words(
        &mut self,
        player: PlayerId,
        words: &[(String, u32)],
    ) -> Result<bool, EngineError> {
        if !crate::social::view::counts_words(&self.world, player) {
            return Ok(false);
        }
        let key = crate::social::KEY_WORD_COUNTS;
        let old = self.personal.get(player, key)?.unwrap_or_default();
        let merged = crate::social::merge_word_counts(&old, words);
        self.personal.put(player, key, &merged)?;
        self.personal.flush()?;
        Ok(true)
    }

    /// Decides one command, and if accepted, evolves the World and stages its events.
    fn decide(
        &mut self,
        envelope: &CommandEnvelope,
        append: &mut AppendBatch,
    ) -> Result<Outcome, LogError> {
        let events = match self.world.decide(envelope) {
            Ok(events) => {
                // Text people wrote goes to the erasable store before its event is appended, so
                // an event never refers to text that isn't there.
                // It is flushed with the rest of the batch's text, just before the append.
                for write in self
                    .world
                    .personal_writes(envelope.actor, &envelope.command, &events)
                {
                    let (player, key) = match &write {
                        PersonalWrite::Put { player, key, .. }
                        | PersonalWrite::Remove { player, key } => (*player, key.clone()),
                    };
                    let previous = self.personal.get(player, &key)?;
                    match &write {
                        PersonalWrite::Put { text, .. } => self.personal.put(player, &key, text)?,
                        PersonalWrite::Remove { .. } => self.personal.remove(player, &key)?,
                    }
                    self.staged.push(StagedText {
                        player,
                        key,
                        previous,
                    });
                }
                // An erasure removes (and scrubs) the person's text before the fact is logged,
                // so an acknowledged erasure has always happened.
                if let Some(player) = envelope.command.erases() {
                    // Others' words kept only for the erased person's records go with them.
                    for (owner, key) in self.world.texts_left_by_erasure(player) {
                        let previous = self.personal.get(owner, &key)?;
                        self.personal.remove(owner, &key)?;
                        self.staged.push(StagedText {
                            player: owner,
                            key,
                            previous,
                        });
                    }
                    let n_removed = self.personal.erase(player)?;
                    // Never put an erased person's text back, whatever happens to the batch.
                    self.staged.retain(|staged| staged.player != player);
                    tracing::info!(player = player.0, n_removed, "erased personal text");
                }
                events
            }
            Err(rejection) => {
                // A timer that came too early (its deadline not reached at the instant it
                // carries) may be right later under the same derived id: recording the
                // rejection would make that deadline never fire.
                let time_dependent =
                    matches!(envelope.actor, Actor::System) && rejection.is_time_dependent();
                if !time_dependent {
                    append.commands.push(CommandRecord {
                        id: envelope.id,
                        outcome: CommandOutcome::Rejected(rejection.clone()),
                        decided_at: envelope.now,
                    });
                }
                return Ok(Outcome::Rejected(rejection));
            }
        };
        let first_seq = self.world.last_seq + 1;
        let mut recorded_events = Vec::with_capacity(events.len());
        for (index, event) in events.into_iter().enumerate() {
            let stream = event.stream();
            let version = self.stream_version(&stream)? + 1;
            self.stream_versions.set(stream.clone(), version);
            let recorded = RecordedEvent {
                seq: self.world.last_seq + 1,
                event_id: event_id_for(envelope.id, index as u32),
                recorded_at: envelope.now,
                command_id: envelope.id,
                actor: envelope.actor,
                stream,
                stream_version: version,
                schema_version: SCHEMA_VERSION,
                event,
            };
            self.world.evolve(&recorded);
            recorded_events.push(recorded);
        }
        append.commands.push(CommandRecord {
            id: envelope.id,
            outcome: CommandOutcome::Accepted {
                first_seq,
                n_events: recorded_events.len() as u32,
            },
            decided_at: envelope.now,
        });
        append.events.extend(recorded_events.iter().cloned());
        Ok(Outcome::Accepted(recorded_events))
    }

    fn stream_version(&mut self, stream: &StreamId) -> Result<u64, LogError> {
        if let Some(version) = self.stream_versions.get(stream) {
            return Ok(version);
        }
        let version = self.log.stream_version(stream)?;
        self.stream_versions.set(stream.clone(), version);
        Ok(version)
    }

    /// Forgets the outcomes of commands decided more than the retention before the newest
    /// decided instant (but never the newest `outcomes_kept_min`), at most once per `outcome_compaction_every_secs` of recorded time. A
    /// failure only keeps outcomes longer, so it is logged and the core goes on.
    fn compact_outcomes(&mut self) {
        let now = self.newest_decided;
        let every_ms = self
            .config
            .outcome_compaction_every_secs
            .saturating_mul(Timestamp::MILLIS_PER_SEC);
        if let Some(last) = self.compacted_at {
            if now.0.saturating_sub(last.0) < every_ms {
                return;
            }
        }
        self.compacted_at = Some(now);
        let before = now.plus_secs(-self.config.outcome_retention_secs.max(0));
        match self
            .log
            .compact_outcomes(before, self.config.outcomes_kept_min)
        {
            Ok(0) => {}
            Ok(n_forgotten) => info!(n_forgotten, before = before.0, "outcomes compacted"),
            Err(error) => warn!(%error, "outcome compaction failed; outcomes are kept longer"),
        }
    }

    fn recorded_outcome(&self, id: CommandId) -> Result<Option<Outcome>, EngineError> {
        let Some(outcome) = self.log.command_outcome(id)? else {
            return Ok(None);
        };
        Ok(Some(match outcome {
            CommandOutcome::Accepted {
                first_seq,
                n_events,
            } => {
                let events = if n_events == 0 {
                    Vec::new()
                } else {
                    self.log.read_all(first_seq, n_events as usize)?
                };
                Outcome::Accepted(events)
            }
            CommandOutcome::Rejected(rejection) => Outcome::Rejected(rejection),
            CommandOutcome::RejectedEarlier => Outcome::RejectedEarlier,
        }))
    }

    fn snapshot(&mut self) -> Result<u64, EngineError> {
        let bytes = encode_snapshot(&self.world)?;
        self.log.save_snapshot(self.world.last_seq, &bytes)?;
        self.events_since_snapshot = 0;
        info!(
            seq = self.world.last_seq,
            bytes = bytes.len(),
            "snapshot saved"
        );
        Ok(self.world.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(n: u64) -> StreamId {
        StreamId::new(format!("user/{n}")).unwrap_or_else(|| panic!("stream {n}"))
    }

    #[test]
    fn the_stream_version_cache_stays_bounded_and_keeps_what_is_used() {
        let mut cache = StreamVersions::new(100);
        for n in 0..10_000 {
            cache.set(stream(n), n + 1);
            // A hot stream, used between every two others, is never forgotten.
            assert_eq!(cache.get(&stream(0)), Some(1));
            cache.trim();
            assert!(cache.len() <= 200, "{} entries", cache.len());
        }
        assert_eq!(cache.get(&stream(0)), Some(1));
        assert_eq!(cache.get(&stream(9_999)), Some(10_000));
        assert_eq!(cache.get(&stream(5)), None);
    }
}
