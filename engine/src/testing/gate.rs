//! A log that can hold the core still: [`GatedLog`] blocks every append while its gate is
//! closed, so a test can fill the core's channel and know that the next batch holds everything
//! sent meanwhile (up to `batch_max_commands`). It records each batch's command ids.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use tokio::sync::watch;

use crate::codec::CommandOutcome;
use crate::envelope::RecordedEvent;
use crate::ids::{CommandId, StreamId, Timestamp};
use crate::log::{AppendBatch, EventLog, LogError};

#[derive(Default)]
struct Gate {
    closed: bool,
    /// Appends waiting at the closed gate.
    held: usize,
    batches: Vec<Vec<CommandId>>,
}

/// An [`EventLog`] around another, whose appends wait while the gate is closed.
pub struct GatedLog {
    inner: Arc<dyn EventLog>,
    gate: Mutex<Gate>,
    changed: Condvar,
}

impl GatedLog {
    pub fn new(inner: Arc<dyn EventLog>) -> Arc<GatedLog> {
        Arc::new(GatedLog {
            inner,
            gate: Mutex::new(Gate::default()),
            changed: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Gate> {
        self.gate
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// From now on, appends wait until [`GatedLog::open`].
    pub fn close(&self) {
        self.lock().closed = true;
    }

    /// Lets every waiting and later append through.
    pub fn open(&self) {
        self.lock().closed = false;
        self.changed.notify_all();
    }

    /// Blocks until an append is waiting at the closed gate: the core is inside that batch's
    /// append, and whatever is sent from now on queues for the next batch.
    pub fn wait_until_held(&self) {
        let mut gate = self.lock();
        while gate.held == 0 {
            gate = self
                .changed
                .wait(gate)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// The command ids of every batch appended so far (each in decision order), oldest first.
    pub fn batches(&self) -> Vec<Vec<CommandId>> {
        self.lock().batches.clone()
    }
}

impl EventLog for GatedLog {
    fn append(&self, batch: &AppendBatch) -> Result<(), LogError> {
        let mut gate = self.lock();
        if gate.closed {
            gate.held += 1;
            self.changed.notify_all();
            while gate.closed {
                gate = self
                    .changed
                    .wait(gate)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            gate.held -= 1;
        }
        gate.batches
            .push(batch.commands.iter().map(|record| record.id).collect());
        drop(gate);
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
        self.inner.read_stream(stream, from_version, limit)
    }

    fn scan(&self, from_seq: u64, visit: &mut dyn FnMut(RecordedEvent)) -> Result<u64, LogError> {
        self.inner.scan(from_seq, visit)
    }

    fn command_outcome(&self, id: CommandId) -> Result<Option<CommandOutcome>, LogError> {
        self.inner.command_outcome(id)
    }

    fn save_snapshot(&self, seq: u64, bytes: &[u8]) -> Result<(), LogError> {
        self.inner.save_snapshot(seq, bytes)
    }

    fn latest_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, LogError> {
        self.inner.latest_snapshot()
    }

    fn compact_outcomes(&self, before: Timestamp, keep_newest: usize) -> Result<u64, LogError> {
        self.inner.compact_outcomes(before, keep_newest)
    }

    fn watch_durable(&self) -> watch::Receiver<u64> {
        self.inner.watch_durable()
    }
}
