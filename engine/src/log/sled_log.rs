//! The embedded durable [`EventLog`] on sled 0.34.
//!
//! Everything a batch writes lives in ONE sled tree, `log`, under prefixed keys, so that one
//! `apply_batch` makes it atomic (cheaper than a transaction across several trees, and just as
//! all-or-nothing):
//!
//! | key                                   | value                          |
//! |---------------------------------------|--------------------------------|
//! | `e` ++ seq (u64 BE)                   | encoded event record           |
//! | `s` ++ stream ++ `\0` ++ version (BE) | seq (u64 BE)                   |
//! | `v` ++ stream                         | the stream's version (u64 BE)  |
//! | `c` ++ command id (u128 BE)           | encoded command outcome        |
//! | `o` ++ decided at ++ command id       | empty: outcomes by age         |
//! | `m` ++ name                           | metadata (`m` `schema`: u16 BE)|
//!
//! `o` keys order the kept outcomes by the instant their command was decided at (i64 with the
//! sign bit flipped, BE, so that byte order is time order), for [`EventLog::compact_outcomes`].
//! A store written before they existed gets them at its first writable open (`m` `outcomes-by-age`
//! marks that done), dated at the store's last recorded instant, so they are kept one retention
//! period from then.
//!
//! Snapshots live in their own tree, `snapshots` (seq BE -> bytes): they are a cache.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::sync::watch;

use crate::codec::{self, CommandOutcome, SCHEMA_VERSION};
use crate::envelope::RecordedEvent;
use crate::ids::{CommandId, StreamId, Timestamp};
use crate::log::{check_batch, AppendBatch, EventLog, LogError, SNAPSHOTS_KEPT};

/// Opens `config` (a sled database at `dir`), trying a busy lock again for up to two seconds:
/// sled releases its file lock only when the last handle's background threads have ended,
/// which can be a moment after the previous `Db` at that path in this process was dropped.
/// Every sled database of the project (the log, the personal store) opens through it.
pub(crate) fn open_retrying(config: &sled::Config, dir: &Path) -> Result<sled::Db, LogError> {
    const LOCK_RETRIES: u32 = 40;
    const LOCK_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);
    let mut attempt = 0;
    loop {
        match config.open() {
            // sled reports a busy lock as an `Other` I/O error naming the lock.
            Err(sled::Error::Io(error)) if is_lock_error(&error) => {
                if attempt == LOCK_RETRIES {
                    return Err(LogError::Locked {
                        dir: dir.to_path_buf(),
                    });
                }
                attempt += 1;
                std::thread::sleep(LOCK_RETRY_PAUSE);
            }
            result => return Ok(result?),
        }
    }
}

/// Whether an I/O error from opening sled is its busy lock: sled 0.34 reports it as an `Other`
/// error whose text names the lock (a `WouldBlock` from the lock call, on some platforms).
fn is_lock_error(error: &std::io::Error) -> bool {
    error.to_string().contains("could not acquire lock")
        || error.kind() == std::io::ErrorKind::WouldBlock
}

const PREFIX_EVENT: u8 = b'e';
const PREFIX_STREAM_EVENT: u8 = b's';
const PREFIX_STREAM_VERSION: u8 = b'v';
const PREFIX_COMMAND: u8 = b'c';
const PREFIX_OUTCOME_AGE: u8 = b'o';
const KEY_SCHEMA: &[u8] = b"mschema";
const KEY_OUTCOMES_BY_AGE: &[u8] = b"moutcomes-by-age";
/// Keys written per sled batch while indexing an older store's outcomes.
const INDEX_BATCH_KEYS: usize = 10_000;

pub struct SledLog {
    db: sled::Db,
    log: sled::Tree,
    snapshots: sled::Tree,
    /// Serializes appends: the core is the only writer, but the contract must hold even if it
    /// were not, since the version checks read before they write.
    append_lock: Mutex<()>,
    last_seq: AtomicU64,
    durable: watch::Sender<u64>,
}

/// What opening does to the store's schema marker.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// A writer marks the store with its schema version.
    Raise,
    /// A reader leaves it alone.
    Keep,
}

impl std::fmt::Debug for SledLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SledLog")
            .field("last_seq", &self.last_seq.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

impl SledLog {
    /// Opens (or creates) the store in `dir`. Fails if another process has it open, or if it
    /// was written by a newer schema than this build reads.
    pub fn open(dir: &Path) -> Result<SledLog, LogError> {
        SledLog::with_db(SledLog::open_db(dir)?, Marker::Raise)
    }

    /// Opens an existing store to read it (`allspark-replay`): the same checks as
    /// [`SledLog::open`], but the store's schema marker is left as it was, so reading an older
    /// bot's store with a newer tool doesn't lock that bot out of its own store. Appending
    /// through a log opened this way is a bug the caller must not commit.
    pub fn open_for_reading(dir: &Path) -> Result<SledLog, LogError> {
        SledLog::with_db(SledLog::open_db(dir)?, Marker::Keep)
    }

    /// Opens the sled database, a busy lock tried again for a moment ([`open_retrying`]; a lock
    /// still busy then is another process holding the store).
    fn open_db(dir: &Path) -> Result<sled::Db, LogError> {
        open_retrying(
            &sled::Config::new()
                .path(dir)
                .mode(sled::Mode::HighThroughput),
            dir,
        )
    }

    /// Whether opening failed only because the store's directory or files may not be written
    /// (sled opens its files for writing even to read them): see `allspark-replay`, which then
    /// reads a private copy.
    pub fn is_permission_error(error: &LogError) -> bool {
        match error {
            LogError::Storage(sled::Error::Io(io)) | LogError::Io(io) => {
                io.kind() == std::io::ErrorKind::PermissionDenied
                    || io.kind() == std::io::ErrorKind::ReadOnlyFilesystem
            }
            _ => false,
        }
    }

    /// A throwaway store that lives in memory and a temporary file (for tests and benchmarks).
    pub fn temporary() -> Result<SledLog, LogError> {
        SledLog::with_db(sled::Config::new().temporary(true).open()?, Marker::Raise)
    }

    /// The schema version the store is marked with: the newest that has written to it.
    pub fn schema_marker(&self) -> Result<Option<u16>, LogError> {
        match self.log.get(KEY_SCHEMA)? {
            Some(bytes) => Ok(Some(u16::from_be_bytes(read_array(&bytes)?))),
            None => Ok(None),
        }
    }

    fn with_db(db: sled::Db, marker: Marker) -> Result<SledLog, LogError> {
        let log = db.open_tree("log")?;
        let snapshots = db.open_tree("snapshots")?;
        let found = match log.get(KEY_SCHEMA)? {
            Some(bytes) => Some(u16::from_be_bytes(read_array(&bytes)?)),
            None => None,
        };
        if let Some(found) = found.filter(|found| *found > SCHEMA_VERSION) {
            return Err(LogError::Codec(codec::CodecError::UnknownSchema {
                found,
                oldest: codec::SCHEMA_VERSION_OLDEST,
                newest: SCHEMA_VERSION,
            }));
        }
        if marker == Marker::Raise && found.is_none_or(|found| found < SCHEMA_VERSION) {
            log.insert(KEY_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
        }
        let last_seq = match log.range(event_key(0)..=event_key(u64::MAX)).next_back() {
            Some(entry) => u64::from_be_bytes(read_array(&entry?.0[1..])?),
            None => 0,
        };
        let opened = SledLog {
            db,
            log,
            snapshots,
            append_lock: Mutex::new(()),
            last_seq: AtomicU64::new(last_seq),
            durable: watch::Sender::new(last_seq),
        };
        if marker == Marker::Raise && opened.log.get(KEY_OUTCOMES_BY_AGE)?.is_none() {
            opened.index_outcomes_by_age()?;
        }
        Ok(opened)
    }

    /// Gives every outcome of a store written before outcomes were kept by age an `o` key,
    /// dated at the store's last recorded instant; then marks the store as indexed.
    fn index_outcomes_by_age(&self) -> Result<(), LogError> {
        let last_seq = self.last_seq.load(Ordering::SeqCst);
        let at = match self.log.get(event_key(last_seq))? {
            Some(record) if last_seq > 0 => codec::decode_event(&record)?.recorded_at,
            _ => Timestamp(i64::MIN),
        };
        let mut writes = sled::Batch::default();
        let mut n_keys = 0;
        for entry in self.log.scan_prefix([PREFIX_COMMAND]) {
            let (key, _) = entry?;
            let id = CommandId(u128::from_be_bytes(read_array(&key[1..])?));
            writes.insert(&outcome_age_key(at, id)[..], &[][..]);
            n_keys += 1;
            if n_keys % INDEX_BATCH_KEYS == 0 {
                self.log.apply_batch(std::mem::take(&mut writes))?;
            }
        }
        writes.insert(KEY_OUTCOMES_BY_AGE, &[1u8][..]);
        self.log.apply_batch(writes)?;
        self.log.flush()?;
        Ok(())
    }

    /// Bytes the store occupies on disk.
    pub fn size_on_disk(&self) -> Result<u64, LogError> {
        Ok(self.db.size_on_disk()?)
    }

    fn current_version(&self, stream: &StreamId) -> Result<u64, LogError> {
        match self.log.get(stream_version_key(stream))? {
            Some(bytes) => Ok(u64::from_be_bytes(read_array(&bytes)?)),
            None => Ok(0),
        }
    }

    fn decode_entry(
        entry: sled::Result<(sled::IVec, sled::IVec)>,
    ) -> Result<RecordedEvent, LogError> {
        let (_, value) = entry?;
        Ok(codec::decode_event(&value)?)
    }
}

impl EventLog for SledLog {
    fn append(&self, batch: &AppendBatch) -> Result<(), LogError> {
        let _guard = self
            .append_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let last_seq = self.last_seq.load(Ordering::SeqCst);
        check_batch(last_seq, batch, |stream| self.current_version(stream))?;
        let mut writes = sled::Batch::default();
        for record in &batch.commands {
            let key = command_key(record.id);
            if self.log.contains_key(key)? {
                return Err(LogError::CommandAlreadyRecorded { id: record.id });
            }
            writes.insert(&key[..], codec::encode_outcome(&record.outcome)?);
            writes.insert(&outcome_age_key(record.decided_at, record.id)[..], &[][..]);
        }
        for event in &batch.events {
            writes.insert(&event_key(event.seq)[..], codec::encode_event(event)?);
            writes.insert(
                stream_event_key(&event.stream, event.stream_version),
                &event.seq.to_be_bytes()[..],
            );
            writes.insert(
                stream_version_key(&event.stream),
                &event.stream_version.to_be_bytes()[..],
            );
        }
        self.log.apply_batch(writes)?;
        if let Some(last) = batch.events.last() {
            self.last_seq.store(last.seq, Ordering::SeqCst);
        }
        Ok(())
    }

    fn flush(&self) -> Result<(), LogError> {
        let last_seq = self.last_seq.load(Ordering::SeqCst);
        self.db.flush()?;
        self.durable.send_replace(last_seq);
        Ok(())
    }

    fn last_seq(&self) -> u64 {
        self.last_seq.load(Ordering::SeqCst)
    }

    fn stream_version(&self, stream: &StreamId) -> Result<u64, LogError> {
        self.current_version(stream)
    }

    fn read_all(&self, from_seq: u64, limit: usize) -> Result<Vec<RecordedEvent>, LogError> {
        self.log
            .range(event_key(from_seq)..=event_key(u64::MAX))
            .take(limit)
            .map(SledLog::decode_entry)
            .collect()
    }

    fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, LogError> {
        let range = stream_event_key(stream, from_version)..=stream_event_key(stream, u64::MAX);
        let mut events = Vec::new();
        for entry in self.log.range(range).take(limit) {
            let (_, seq) = entry?;
            let record = self
                .log
                .get(event_key(u64::from_be_bytes(read_array(&seq)?)))?
                .ok_or_else(|| {
                    LogError::Corrupt(format!("stream {stream} points at a missing event"))
                })?;
            events.push(codec::decode_event(&record)?);
        }
        Ok(events)
    }

    fn scan(&self, from_seq: u64, visit: &mut dyn FnMut(RecordedEvent)) -> Result<u64, LogError> {
        let mut n_visited = 0;
        for entry in self.log.range(event_key(from_seq)..=event_key(u64::MAX)) {
            visit(SledLog::decode_entry(entry)?);
            n_visited += 1;
        }
        Ok(n_visited)
    }

    fn command_outcome(&self, id: CommandId) -> Result<Option<CommandOutcome>, LogError> {
        match self.log.get(command_key(id))? {
            Some(bytes) => Ok(Some(codec::decode_outcome(&bytes)?)),
            None => Ok(None),
        }
    }

    fn compact_outcomes(&self, before: Timestamp, keep_newest: usize) -> Result<u64, LogError> {
        let _guard = self
            .append_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let start = outcome_age_key(Timestamp(i64::MIN), CommandId(0));
        let mut end = outcome_age_key(before, CommandId(0)).to_vec();
        // The newest `keep_newest` stay whatever their age: stop at the oldest of them.
        let all_ages = start..=outcome_age_key(Timestamp(i64::MAX), CommandId(u128::MAX));
        match self
            .log
            .range(all_ages)
            .rev()
            .nth(keep_newest.saturating_sub(1))
        {
            Some(entry) if keep_newest > 0 => {
                let (oldest_kept, _) = entry?;
                if oldest_kept[..] < end[..] {
                    end = oldest_kept.to_vec();
                }
            }
            Some(_) => {}
            None => return Ok(0),
        }
        let mut n_forgotten = 0;
        let mut writes = sled::Batch::default();
        for entry in self.log.range(&start[..]..&end[..]) {
            let (key, _) = entry?;
            let id = CommandId(u128::from_be_bytes(read_array(&key[9..])?));
            writes.remove(&key[..]);
            writes.remove(&command_key(id)[..]);
            n_forgotten += 1;
            if n_forgotten % INDEX_BATCH_KEYS as u64 == 0 {
                self.log.apply_batch(std::mem::take(&mut writes))?;
            }
        }
        self.log.apply_batch(writes)?;
        Ok(n_forgotten)
    }

    fn save_snapshot(&self, seq: u64, bytes: &[u8]) -> Result<(), LogError> {
        self.snapshots.insert(seq.to_be_bytes(), bytes)?;
        while self.snapshots.len() > SNAPSHOTS_KEPT {
            if self.snapshots.pop_min()?.is_none() {
                break;
            }
        }
        self.snapshots.flush()?;
        Ok(())
    }

    fn latest_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, LogError> {
        match self.snapshots.last()? {
            Some((key, value)) => Ok(Some((
                u64::from_be_bytes(read_array(&key)?),
                value.to_vec(),
            ))),
            None => Ok(None),
        }
    }

    fn watch_durable(&self) -> watch::Receiver<u64> {
        self.durable.subscribe()
    }
}

fn event_key(seq: u64) -> [u8; 9] {
    let mut key = [0u8; 9];
    key[0] = PREFIX_EVENT;
    key[1..].copy_from_slice(&seq.to_be_bytes());
    key
}

fn command_key(id: CommandId) -> [u8; 17] {
    let mut key = [0u8; 17];
    key[0] = PREFIX_COMMAND;
    key[1..].copy_from_slice(&id.to_be_bytes());
    key
}

/// `o` ++ instant (sign bit flipped, BE) ++ command id (BE): byte order is time order.
fn outcome_age_key(at: Timestamp, id: CommandId) -> [u8; 25] {
    let mut key = [0u8; 25];
    key[0] = PREFIX_OUTCOME_AGE;
    key[1..9].copy_from_slice(&((at.0 as u64) ^ (1 << 63)).to_be_bytes());
    key[9..].copy_from_slice(&id.to_be_bytes());
    key
}

fn stream_event_key(stream: &StreamId, version: u64) -> Vec<u8> {
    let name = stream.as_str().as_bytes();
    let mut key = Vec::with_capacity(name.len() + 10);
    key.push(PREFIX_STREAM_EVENT);
    key.extend_from_slice(name);
    key.push(0);
    key.extend_from_slice(&version.to_be_bytes());
    key
}

fn stream_version_key(stream: &StreamId) -> Vec<u8> {
    let name = stream.as_str().as_bytes();
    let mut key = Vec::with_capacity(name.len() + 1);
    key.push(PREFIX_STREAM_VERSION);
    key.extend_from_slice(name);
    key
}

fn read_array<const N: usize>(bytes: &[u8]) -> Result<[u8; N], LogError> {
    bytes
        .try_into()
        .map_err(|_| LogError::Corrupt(format!("expected {N} bytes, found {}", bytes.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_leaves_an_older_stores_marker_alone_and_writing_raises_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        {
            let log = SledLog::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
            let older = SCHEMA_VERSION - 1;
            log.log
                .insert(KEY_SCHEMA, &older.to_be_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
            log.log.flush().unwrap_or_else(|e| panic!("{e}"));
        }
        {
            let read = SledLog::open_for_reading(dir.path()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                read.schema_marker().ok().flatten(),
                Some(SCHEMA_VERSION - 1)
            );
        }
        let written = SledLog::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written.schema_marker().ok().flatten(), Some(SCHEMA_VERSION));
    }

    #[test]
    fn outcomes_of_a_store_written_before_they_were_kept_by_age_are_dated_at_its_last_event() {
        use crate::log::CommandRecord;
        use crate::testing::log_conformance::sample_event;
        let must = |r: Result<u64, LogError>| r.unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let event = sample_event(1, 1, 1, 5);
        let last_at = event.recorded_at;
        {
            let log = SledLog::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
            log.append(&AppendBatch {
                events: vec![event],
                commands: vec![CommandRecord {
                    id: CommandId(5),
                    outcome: CommandOutcome::Accepted {
                        first_seq: 1,
                        n_events: 1,
                    },
                    decided_at: Timestamp(i64::MIN),
                }],
            })
            .unwrap_or_else(|e| panic!("{e}"));
            // As an older build left it: no `o` keys, no marker.
            for entry in log.log.scan_prefix([PREFIX_OUTCOME_AGE]) {
                let (key, _) = entry.unwrap_or_else(|e| panic!("{e}"));
                log.log.remove(key).unwrap_or_else(|e| panic!("{e}"));
            }
            log.log
                .remove(KEY_OUTCOMES_BY_AGE)
                .unwrap_or_else(|e| panic!("{e}"));
            log.flush().unwrap_or_else(|e| panic!("{e}"));
        }
        let log = SledLog::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(must(log.compact_outcomes(last_at, 0)), 0);
        assert!(log.command_outcome(CommandId(5)).ok().flatten().is_some());
        assert_eq!(must(log.compact_outcomes(Timestamp(last_at.0 + 1), 0)), 1);
        assert_eq!(log.command_outcome(CommandId(5)).ok().flatten(), None);
    }
}
