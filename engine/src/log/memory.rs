//! An in-memory [`EventLog`] for tests. It stores encoded records, exactly as sled does, so the
//! codec is exercised on every path.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use crate::codec::{self, CommandOutcome};
use crate::envelope::RecordedEvent;
use crate::ids::{CommandId, StreamId, Timestamp};
use crate::log::{check_batch, AppendBatch, EventLog, LogError};

#[derive(Debug)]
pub struct MemoryLog {
    inner: Mutex<Inner>,
    durable: watch::Sender<u64>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Encoded records; index `seq - 1`.
    events: Vec<Vec<u8>>,
    /// For each stream, the seqs of its events; index `version - 1`.
    streams: BTreeMap<StreamId, Vec<u64>>,
    commands: BTreeMap<CommandId, Vec<u8>>,
    /// Every kept outcome by the instant its command was decided at, oldest first.
    decided: BTreeSet<(Timestamp, CommandId)>,
    snapshots: BTreeMap<u64, Vec<u8>>,
}

impl Default for MemoryLog {
    fn default() -> Self {
        MemoryLog::new()
    }
}

impl MemoryLog {
    pub fn new() -> MemoryLog {
        MemoryLog {
            inner: Mutex::new(Inner::default()),
            durable: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock can only come from a bug in this file; the data is
        // still consistent because every mutation below happens after all checks.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl EventLog for MemoryLog {
    fn append(&self, batch: &AppendBatch) -> Result<(), LogError> {
        let mut inner = self.lock();
        let last_seq = inner.events.len() as u64;
        check_batch(last_seq, batch, |stream| {
            Ok(inner
                .streams
                .get(stream)
                .map_or(0, |seqs| seqs.len() as u64))
        })?;
        for record in &batch.commands {
            if inner.commands.contains_key(&record.id) {
                return Err(LogError::CommandAlreadyRecorded { id: record.id });
            }
        }
        let mut encoded = Vec::with_capacity(batch.events.len());
        for event in &batch.events {
            encoded.push(codec::encode_event(event)?);
        }
        let mut outcomes = Vec::with_capacity(batch.commands.len());
        for record in &batch.commands {
            outcomes.push((record.id, codec::encode_outcome(&record.outcome)?));
        }
        for (event, bytes) in batch.events.iter().zip(encoded) {
            inner.events.push(bytes);
            inner
                .streams
                .entry(event.stream.clone())
                .or_default()
                .push(event.seq);
        }
        inner.commands.extend(outcomes);
        for record in &batch.commands {
            inner.decided.insert((record.decided_at, record.id));
        }
        Ok(())
    }

    fn flush(&self) -> Result<(), LogError> {
        let last_seq = self.last_seq();
        self.durable.send_replace(last_seq);
        Ok(())
    }

    fn last_seq(&self) -> u64 {
        self.lock().events.len() as u64
    }

    fn stream_version(&self, stream: &StreamId) -> Result<u64, LogError> {
        Ok(self
            .lock()
            .streams
            .get(stream)
            .map_or(0, |seqs| seqs.len() as u64))
    }

    fn read_all(&self, from_seq: u64, limit: usize) -> Result<Vec<RecordedEvent>, LogError> {
        let inner = self.lock();
        let start = from_seq.max(1) as usize - 1;
        inner
            .events
            .iter()
            .skip(start)
            .take(limit)
            .map(|bytes| Ok(codec::decode_event(bytes)?))
            .collect()
    }

    fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, LogError> {
        let inner = self.lock();
        let Some(seqs) = inner.streams.get(stream) else {
            return Ok(Vec::new());
        };
        let start = from_version.max(1) as usize - 1;
        seqs.iter()
            .skip(start)
            .take(limit)
            .map(|seq| Ok(codec::decode_event(&inner.events[*seq as usize - 1])?))
            .collect()
    }

    fn scan(&self, from_seq: u64, visit: &mut dyn FnMut(RecordedEvent)) -> Result<u64, LogError> {
        let inner = self.lock();
        let start = from_seq.max(1) as usize - 1;
        let mut n_visited = 0;
        for bytes in inner.events.iter().skip(start) {
            visit(codec::decode_event(bytes)?);
            n_visited += 1;
        }
        Ok(n_visited)
    }

    fn command_outcome(&self, id: CommandId) -> Result<Option<CommandOutcome>, LogError> {
        let inner = self.lock();
        match inner.commands.get(&id) {
            Some(bytes) => Ok(Some(codec::decode_outcome(bytes)?)),
            None => Ok(None),
        }
    }

    fn compact_outcomes(&self, before: Timestamp, keep_newest: usize) -> Result<u64, LogError> {
        let mut inner = self.lock();
        let mut n_forgotten = 0;
        while let Some(&(at, id)) = inner.decided.first() {
            if at >= before || inner.decided.len() <= keep_newest {
                break;
            }
            inner.decided.pop_first();
            inner.commands.remove(&id);
            n_forgotten += 1;
        }
        Ok(n_forgotten)
    }

    fn save_snapshot(&self, seq: u64, bytes: &[u8]) -> Result<(), LogError> {
        let mut inner = self.lock();
        inner.snapshots.insert(seq, bytes.to_vec());
        while inner.snapshots.len() > super::SNAPSHOTS_KEPT {
            inner.snapshots.pop_first();
        }
        Ok(())
    }

    fn latest_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, LogError> {
        Ok(self
            .lock()
            .snapshots
            .last_key_value()
            .map(|(seq, bytes)| (*seq, bytes.clone())))
    }

    fn watch_durable(&self) -> watch::Receiver<u64> {
        self.durable.subscribe()
    }
}
