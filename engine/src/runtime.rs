//! The core: one thread owns the World and is the only writer of the log.
//!
//! Requests arrive on a bounded channel. The core takes whatever is waiting (up to
//! [`EngineConfig::batch_max_commands`]), decides each command in order against the World (so a
//! later command sees an earlier one's effects), appends the whole batch in one atomic write,
//! flushes once (group commit), and only then answers the callers. Queries run after the batch
//! is durable, so nobody ever reads state that could still be lost.
//!
//! If an append or flush fails, every caller of that batch gets the error and the World is
//! rebuilt from the log, which is the truth. A panic in `decide` or `evolve` is a bug: it stops
//! the core thread, and every later request gets [`EngineError::Stopped`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, info, info_span, warn};

use crate::clock::{Clock, SystemClock};
use crate::codec::{self, CodecError, CommandOutcome, SCHEMA_VERSION};
use crate::content;
use crate::dice::Seed;
use crate::envelope::{event_id_for, CommandEnvelope, RecordedEvent};
use crate::ids::{Actor, CommandId, StreamId};
use crate::log::{
    AppendBatch, CommandRecord, EventLog, LogError, SledLog, StreamSubscription, Subscription,
};
use crate::personal::{MemoryPersonal, PersonalStore, SledPersonal};
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
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            snapshot_every_events: 10_000,
            batch_max_commands: 1_024,
            channel_capacity_requests: 4_096,
            server_secret: b"allspark-development-secret".to_vec(),
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

enum Request {
    Execute {
        envelope: CommandEnvelope,
        reply: oneshot::Sender<Result<Reply, EngineError>>,
    },
    Query(Query),
    Snapshot(oneshot::Sender<Result<u64, EngineError>>),
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
        let (sender, receiver) = mpsc::channel(config.channel_capacity_requests.max(1));
        let secret: Arc<[u8]> = config.server_secret.clone().into();
        let mut core = Core {
            log: log.clone(),
            personal: personal.clone(),
            world,
            stream_versions: BTreeMap::new(),
            events_since_snapshot: 0,
            config,
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
        };
        Ok((engine, report))
    }

    /// Builds a complete envelope: stamps the clock's instant and derives the seed.
    pub fn envelope(&self, id: CommandId, actor: Actor, command: Command) -> CommandEnvelope {
        CommandEnvelope {
            id,
            actor,
            now: self.clock.now(),
            seed: derive_seed(&self.secret, id),
            command,
        }
    }

    /// The instant the engine's clock reads now (for the shell: view expiry, timers).
    pub fn now(&self) -> crate::ids::Timestamp {
        self.clock.now()
    }

    /// Decides, appends and makes durable one command; answers after the flush.
    pub async fn execute(&self, envelope: CommandEnvelope) -> Result<Reply, EngineError> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request::Execute { envelope, reply })
            .await
            .map_err(|_| EngineError::Stopped)?;
        answer.await.map_err(|_| EngineError::Stopped)?
    }

    /// [`Engine::execute`] for callers outside an async runtime (console, tests, tools).
    pub fn execute_blocking(&self, envelope: CommandEnvelope) -> Result<Reply, EngineError> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .blocking_send(Request::Execute { envelope, reply })
            .map_err(|_| EngineError::Stopped)?;
        answer.blocking_recv().map_err(|_| EngineError::Stopped)?
    }

    /// Runs `read` against the World between batches and returns its result.
    pub async fn query<R: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> R + Send + 'static,
    ) -> Result<R, EngineError> {
        let (reply, answer) = oneshot::channel();
        let query: Query = Box::new(move |world| {
            let _ = reply.send(read(world));
        });
        self.requests
            .send(Request::Query(query))
            .await
            .map_err(|_| EngineError::Stopped)?;
        answer.await.map_err(|_| EngineError::Stopped)
    }

    /// [`Engine::query`] for callers outside an async runtime.
    pub fn query_blocking<R: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> R + Send + 'static,
    ) -> Result<R, EngineError> {
        let (reply, answer) = oneshot::channel();
        let query: Query = Box::new(move |world| {
            let _ = reply.send(read(world));
        });
        self.requests
            .blocking_send(Request::Query(query))
            .map_err(|_| EngineError::Stopped)?;
        answer.blocking_recv().map_err(|_| EngineError::Stopped)
    }

    /// Takes a snapshot now; returns the seq it was taken at.
    pub fn snapshot_blocking(&self) -> Result<u64, EngineError> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .blocking_send(Request::Snapshot(reply))
            .map_err(|_| EngineError::Stopped)?;
        answer.blocking_recv().map_err(|_| EngineError::Stopped)?
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
        player: crate::ids::PlayerId,
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

/// A snapshot as stored: the World and the versions it is valid for.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct StoredSnapshot {
    schema_version: u16,
    content_version: [u8; 32],
    world: World,
}

pub fn encode_snapshot(world: &World) -> Result<Vec<u8>, CodecError> {
    codec::encode_value(&StoredSnapshot {
        schema_version: SCHEMA_VERSION,
        content_version: content::version(),
        world: world.clone(),
    })
}

/// Rebuilds the World from the log, starting from the newest snapshot when `use_snapshot` and
/// the snapshot is valid for this build (same schema and content versions, same seq).
pub fn rebuild(log: &dyn EventLog, use_snapshot: bool) -> Result<(World, OpenReport), EngineError> {
    let mut world = World::default();
    let mut snapshot_seq = None;
    if use_snapshot {
        if let Some((seq, bytes)) = log.latest_snapshot()? {
            match codec::decode_value::<StoredSnapshot>(&bytes) {
                Ok(stored)
                    if stored.schema_version == SCHEMA_VERSION
                        && stored.content_version == content::version()
                        && stored.world.last_seq == seq
                        && seq <= log.last_seq() =>
                {
                    world = stored.world;
                    snapshot_seq = Some(seq);
                }
                Ok(_) => warn!(
                    seq,
                    "snapshot written by another schema or content version; ignored"
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
    /// Versions of streams touched since start, read lazily from the log.
    stream_versions: BTreeMap<StreamId, u64>,
    events_since_snapshot: u64,
    config: EngineConfig,
}

/// A caller waiting for the batch to become durable.
struct Waiting {
    reply: oneshot::Sender<Result<Reply, EngineError>>,
    outcome: Outcome,
    duplicate: bool,
}

impl Core {
    fn run(&mut self, mut requests: mpsc::Receiver<Request>) {
        let batch_max = self.config.batch_max_commands.max(1);
        let mut batch = Vec::with_capacity(batch_max);
        let mut stopping = false;
        while let Some(first) = requests.blocking_recv() {
            batch.push(first);
            while batch.len() < batch_max {
                match requests.try_recv() {
                    Ok(request) => batch.push(request),
                    Err(_) => break,
                }
            }
            if let Some(stop_idx) = batch.iter().position(|r| matches!(r, Request::Stop)) {
                // Requests queued after the stop are dropped: their callers hear `Stopped`.
                batch.truncate(stop_idx);
                stopping = true;
            }
            self.process(&mut batch);
            if stopping {
                break;
            }
        }
        requests.close();
        if let Err(error) = self.log.flush() {
            warn!(%error, "final flush failed");
        }
        debug!("core stopped");
    }

    fn process(&mut self, requests: &mut Vec<Request>) {
        let mut append = AppendBatch::default();
        let mut waiting: Vec<Waiting> = Vec::new();
        let mut queries: Vec<Query> = Vec::new();
        let mut snapshots = Vec::new();
        // Commands decided in this batch, for duplicates within the batch.
        let mut decided: BTreeMap<CommandId, usize> = BTreeMap::new();
        let mut failure: Option<String> = None;

        for request in requests.drain(..) {
            match request {
                Request::Execute { envelope, reply } => {
                    let span = info_span!("command", id = %envelope.id, actor = %envelope.actor);
                    let _entered = span.enter();
                    if let Some(first) = decided.get(&envelope.id) {
                        let outcome = waiting[*first].outcome.clone();
                        info!(outcome = "duplicate", "command");
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
                    let outcome = match self.decide(&envelope, &mut append) {
                        Ok(outcome) => outcome,
                        Err(error) => {
                            // A storage read failed mid-batch: nothing of this batch may be
                            // appended, and the World already holds some of it.
                            warn!(%error, "storage failed while deciding; the batch is dropped");
                            failure = Some(error.to_string());
                            let _ = reply.send(Err(error.into()));
                            continue;
                        }
                    };
                    match &outcome {
                        Outcome::Accepted(events) => {
                            info!(outcome = "accepted", n_events = events.len(), "command")
                        }
                        Outcome::Rejected(rejection) => {
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
                Request::Stop => {}
            }
        }

        if !append.commands.is_empty() || failure.is_some() {
            let n_events = append.events.len() as u64;
            let written = match failure {
                Some(message) => Err(LogError::Corrupt(message)),
                None => self.log.append(&append).and_then(|()| self.log.flush()),
            };
            match written {
                Ok(()) => {
                    for waiter in waiting {
                        let _ = waiter.reply.send(Ok(Reply {
                            outcome: waiter.outcome,
                            duplicate: waiter.duplicate,
                        }));
                    }
                    self.events_since_snapshot += n_events;
                    let every = self.config.snapshot_every_events;
                    if every > 0 && self.events_since_snapshot >= every {
                        if let Err(error) = self.snapshot() {
                            warn!(%error, "snapshot failed; the log is unaffected");
                        }
                    }
                }
                Err(error) => {
                    warn!(%error, "append failed; rebuilding the world from the log");
                    let message = error.to_string();
                    for waiter in waiting {
                        let _ = waiter
                            .reply
                            .send(Err(
                                LogError::Corrupt(format!("append failed: {message}")).into()
                            ));
                    }
                    self.recover();
                }
            }
        } else {
            for waiter in waiting {
                let _ = waiter.reply.send(Ok(Reply {
                    outcome: waiter.outcome,
                    duplicate: waiter.duplicate,
                }));
            }
        }

        for reply in snapshots {
            let _ = reply.send(self.snapshot());
        }
        for query in queries {
            query(&self.world);
        }
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
                if let (Some((key, text)), Actor::Player(player)) =
                    (envelope.command.personal_text(), envelope.actor)
                {
                    self.personal.put(player, key, text)?;
                }
                // An erasure removes (and scrubs) the person's text before the fact is logged,
                // so an acknowledged erasure has always happened.
                if let Some(player) = envelope.command.erases() {
                    let n_removed = self.personal.erase(player)?;
                    tracing::info!(player = player.0, n_removed, "erased personal text");
                }
                events
            }
            Err(rejection) => {
                append.commands.push(CommandRecord {
                    id: envelope.id,
                    outcome: CommandOutcome::Rejected(rejection.clone()),
                });
                return Ok(Outcome::Rejected(rejection));
            }
        };
        let first_seq = self.world.last_seq + 1;
        let mut recorded_events = Vec::with_capacity(events.len());
        for (index, event) in events.into_iter().enumerate() {
            let stream = event.stream();
            let version = self.stream_version(&stream)? + 1;
            self.stream_versions.insert(stream.clone(), version);
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
        });
        append.events.extend(recorded_events.iter().cloned());
        Ok(Outcome::Accepted(recorded_events))
    }

    fn stream_version(&mut self, stream: &StreamId) -> Result<u64, LogError> {
        if let Some(version) = self.stream_versions.get(stream) {
            return Ok(*version);
        }
        let version = self.log.stream_version(stream)?;
        self.stream_versions.insert(stream.clone(), version);
        Ok(version)
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

    /// Throws away derived state and rebuilds it from the log after a failed write.
    fn recover(&mut self) {
        self.stream_versions.clear();
        match rebuild(self.log.as_ref(), true) {
            Ok((world, _)) => self.world = world,
            Err(error) => {
                // Without a consistent World the core must not decide anything more.
                panic!("cannot rebuild the world after a failed append: {error}");
            }
        }
    }
}
