//! Where "now" comes from. The shell reads a [`Clock`] once per command and puts the instant in
//! the command envelope; rules only ever see that recorded instant, never a clock.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::ids::Timestamp;

/// A source of the current instant, read only by the shell (the engine facade, workers).
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_chrono(chrono::Utc::now())
    }
}

/// A clock that moves only when told to: for tests, fixtures and deterministic simulation.
/// Clones share the same instant.
#[derive(Clone, Debug)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> ManualClock {
        ManualClock {
            millis: Arc::new(AtomicI64::new(start.0)),
        }
    }

    pub fn set(&self, at: Timestamp) {
        self.millis.store(at.0, Ordering::SeqCst);
    }

    pub fn advance_secs(&self, secs: i64) {
        self.millis.fetch_add(
            secs.saturating_mul(Timestamp::MILLIS_PER_SEC),
            Ordering::SeqCst,
        );
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.millis.load(Ordering::SeqCst))
    }
}
