//! A log that can hold the core still: [`GatedLog`] blocks every append while its gate is
//! closed, so a test can fill the core's channel and know that the next batch holds everything
//! sent meanwhile (up to `batch_max_commands`). It records each batch's command ids.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::ids::CommandId;
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

    crate::testing::delegate_to_inner_log!();
}
