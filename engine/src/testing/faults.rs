//! Fault injection: an [`EventLog`] and a [`PersonalStore`] that fail (or panic) when told to,
//! wrapped around real implementations, for the fail-stop tests of the core.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::ids::PlayerId;
use crate::log::{AppendBatch, EventLog, LogError};
use crate::personal::{MemoryPersonal, PersonalStore};

/// What the next write does instead of succeeding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The append fails and writes nothing.
    FailAppend,
    /// The append goes through, then the flush fails (an fsync error): the events are in the
    /// store, and nobody knows whether they are durable.
    FailFlush,
    /// The append panics before writing anything (a bug on the writer's path).
    PanicInAppend,
}

/// A log that passes everything to `inner` except the faults it is armed with, and counts the
/// flushes it was asked for.
pub struct FaultyLog {
    inner: Arc<dyn EventLog>,
    armed: Mutex<Option<Fault>>,
    flushing_fails: AtomicBool,
    n_flushes: AtomicU64,
}

impl FaultyLog {
    pub fn new(inner: Arc<dyn EventLog>) -> FaultyLog {
        FaultyLog {
            inner,
            armed: Mutex::new(None),
            flushing_fails: AtomicBool::new(false),
            n_flushes: AtomicU64::new(0),
        }
    }

    /// The log underneath, as a restart would find it.
    pub fn inner(&self) -> &Arc<dyn EventLog> {
        &self.inner
    }

    /// The next append meets `fault` (once).
    pub fn arm(&self, fault: Fault) {
        *self.lock() = Some(fault);
    }

    /// Flushes asked for so far (successful or not).
    pub fn n_flushes(&self) -> u64 {
        self.n_flushes.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Fault>> {
        self.armed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn injected(what: &str) -> LogError {
    LogError::Io(std::io::Error::other(format!("injected fault: {what}")))
}

impl EventLog for FaultyLog {
    fn append(&self, batch: &AppendBatch) -> Result<(), LogError> {
        let fault = self.lock().take();
        match fault {
            Some(Fault::FailAppend) => Err(injected("append")),
            Some(Fault::PanicInAppend) => panic!("injected panic in append"),
            Some(Fault::FailFlush) => {
                self.flushing_fails.store(true, Ordering::SeqCst);
                self.inner.append(batch)
            }
            None => self.inner.append(batch),
        }
    }

    fn flush(&self) -> Result<(), LogError> {
        self.n_flushes.fetch_add(1, Ordering::SeqCst);
        if self.flushing_fails.swap(false, Ordering::SeqCst) {
            return Err(injected("flush"));
        }
        self.inner.flush()
    }

    crate::testing::delegate_to_inner_log!();
}

/// Personal text in memory that counts flushes and can be told to fail the next one.
#[derive(Default)]
pub struct FaultyPersonal {
    inner: MemoryPersonal,
    fail_next_flush: AtomicBool,
    n_flushes: AtomicU64,
}

impl FaultyPersonal {
    pub fn fail_next_flush(&self) {
        self.fail_next_flush.store(true, Ordering::SeqCst);
    }

    /// Flushes asked for so far (successful or not; erasures not counted).
    pub fn n_flushes(&self) -> u64 {
        self.n_flushes.load(Ordering::SeqCst)
    }
}

impl PersonalStore for FaultyPersonal {
    fn put(&self, player: PlayerId, key: &str, text: &str) -> Result<(), LogError> {
        self.inner.put(player, key, text)
    }

    fn get(&self, player: PlayerId, key: &str) -> Result<Option<String>, LogError> {
        self.inner.get(player, key)
    }

    fn remove(&self, player: PlayerId, key: &str) -> Result<(), LogError> {
        self.inner.remove(player, key)
    }

    fn flush(&self) -> Result<(), LogError> {
        self.n_flushes.fetch_add(1, Ordering::SeqCst);
        if self.fail_next_flush.swap(false, Ordering::SeqCst) {
            return Err(injected("personal flush"));
        }
        self.inner.flush()
    }

    fn erase(&self, player: PlayerId) -> Result<usize, LogError> {
        self.inner.erase(player)
    }

    fn texts(
        &self,
        player: Option<PlayerId>,
    ) -> Result<Vec<crate::personal::PersonalText>, LogError> {
        self.inner.texts(player)
    }
}
