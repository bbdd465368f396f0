//! The event log: the ground truth everything else is derived from.
//!
//! [`EventLog`] is the storage contract. Two implementations pass one conformance suite
//! (`crate::testing::log_conformance`): [`SledLog`], the embedded durable default, and
//! [`MemoryLog`] for tests. A log is written by exactly one writer (the core) but may be read by
//! any number of threads; appends are atomic batches that become durable at [`EventLog::flush`].
//!
//! The writer assigns `seq` and `stream_version`; the log checks them. That check is the
//! optimistic-concurrency contract: an event's `stream_version - 1` is the version the writer
//! expected the stream to have, and a mismatch is a [`LogError::StreamConflict`] that appends
//! nothing.

mod memory;
pub(crate) mod sled_log;
mod subscription;

pub use memory::MemoryLog;
pub use sled_log::SledLog;
pub use subscription::{StreamSubscription, Subscription};

use tokio::sync::watch;

use crate::codec::{CodecError, CommandOutcome};
use crate::envelope::RecordedEvent;
use crate::ids::{CommandId, StreamId, Timestamp};

/// How many snapshots a log keeps; older ones are deleted when a new one is saved.
pub const SNAPSHOTS_KEPT: usize = 2;

/// The decided outcome of one command, stored with its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRecord {
    pub id: CommandId,
    pub outcome: CommandOutcome,
    /// The instant the command was decided at (its envelope's `now`): what
    /// [`EventLog::compact_outcomes`] ages outcomes by. Not part of the stored outcome's bytes.
    pub decided_at: Timestamp,
}

/// One atomic append: all of it is stored, or none of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppendBatch {
    /// In seq order, continuing the log without a gap.
    pub events: Vec<RecordedEvent>,
    /// Each command decided in this batch, accepted or rejected. Ids must be new.
    pub commands: Vec<CommandRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("conflict on stream {stream}: expected it at version {expected}, it is at {actual}")]
    StreamConflict {
        stream: StreamId,
        expected: u64,
        actual: u64,
    },
    #[error("seq conflict: the log ends at {last_seq}, the batch starts at {first_seq}")]
    SeqConflict { last_seq: u64, first_seq: u64 },
    #[error("command {id} is already recorded")]
    CommandAlreadyRecorded { id: CommandId },
    /// Another process holds the store's lock (sled lets one process open a store at a time):
    /// usually a running bot. Each program says what to do instead.
    #[error("the store at {} is open in another process (sled lets one process open a store at a time)", .dir.display())]
    Locked { dir: std::path::PathBuf },
    #[error("storage: {0}")]
    Storage(#[from] sled::Error),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored record is unreadable: {0}")]
    Codec(#[from] CodecError),
    #[error("the store is corrupt: {0}")]
    Corrupt(String),
}

/// The storage contract. See the module docs for the concurrency model.
pub trait EventLog: Send + Sync + 'static {
    /// Appends a batch atomically after checking seq continuity, stream versions and command id
    /// uniqueness. Not durable until [`EventLog::flush`].
    fn append(&self, batch: &AppendBatch) -> Result<(), LogError>;

    /// Makes every appended batch durable, then tells subscribers.
    fn flush(&self) -> Result<(), LogError>;

    /// The seq of the last appended event (0 when empty).
    fn last_seq(&self) -> u64;

    /// The current version of a stream (0 when it has no events).
    fn stream_version(&self, stream: &StreamId) -> Result<u64, LogError>;

    /// Up to `limit` events with `seq >= from_seq`, in order.
    fn read_all(&self, from_seq: u64, limit: usize) -> Result<Vec<RecordedEvent>, LogError>;

    /// Up to `limit` events of one stream with `stream_version >= from_version`, in order.
    fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, LogError>;

    /// Visits every event with `seq >= from_seq` in order; returns how many were visited.
    /// The fast path for rebuilding the World.
    fn scan(&self, from_seq: u64, visit: &mut dyn FnMut(RecordedEvent)) -> Result<u64, LogError>;

    /// The recorded outcome of a command, if it was ever decided and not compacted since.
    fn command_outcome(&self, id: CommandId) -> Result<Option<CommandOutcome>, LogError>;

    /// Forgets the outcomes of commands decided before `before`, except the `keep_newest` most
    /// recently decided ones (events are never touched), so that the outcomes kept for retries
    /// don't grow forever; returns how many were forgotten. A command whose outcome was
    /// forgotten is unknown again. Becomes durable with the next [`EventLog::flush`]; losing a
    /// compaction in a crash only keeps outcomes longer.
    fn compact_outcomes(&self, before: Timestamp, keep_newest: usize) -> Result<u64, LogError>;

    /// Stores a snapshot taken at `seq` (a cache: it may be lost or ignored at any time).
    fn save_snapshot(&self, seq: u64, bytes: &[u8]) -> Result<(), LogError>;

    /// The newest snapshot, if any.
    fn latest_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, LogError>;

    /// The last durable seq, updated after every flush.
    fn watch_durable(&self) -> watch::Receiver<u64>;
}

/// Checks a batch against the log's current end and stream versions, as every implementation
/// must. `current_version` reads a stream's version before the batch.
fn check_batch(
    last_seq: u64,
    batch: &AppendBatch,
    mut current_version: impl FnMut(&StreamId) -> Result<u64, LogError>,
) -> Result<(), LogError> {
    let mut seen: std::collections::BTreeMap<&StreamId, u64> = std::collections::BTreeMap::new();
    for (next_seq, event) in (last_seq + 1..).zip(&batch.events) {
        if event.seq != next_seq {
            return Err(LogError::SeqConflict {
                last_seq: next_seq - 1,
                first_seq: event.seq,
            });
        }
        let actual = match seen.get(&event.stream) {
            Some(version) => *version,
            None => current_version(&event.stream)?,
        };
        let expected = event.stream_version - 1;
        if expected != actual {
            return Err(LogError::StreamConflict {
                stream: event.stream.clone(),
                expected,
                actual,
            });
        }
        seen.insert(&event.stream, event.stream_version);
    }
    let mut ids = std::collections::BTreeSet::new();
    for record in &batch.commands {
        if !ids.insert(record.id) {
            return Err(LogError::CommandAlreadyRecorded { id: record.id });
        }
    }
    Ok(())
}
