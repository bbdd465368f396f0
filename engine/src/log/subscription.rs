//! Catch-up subscriptions: read history from the log, then follow it live.
//!
//! A subscription never holds events in a channel of its own: it keeps a position and reads the
//! log from there, waking when the log reports a new durable seq. So it cannot miss an event or
//! see a gap, and a subscriber that falls behind simply reads further back; its only cost is
//! the read. Only durable events are delivered.

use std::collections::VecDeque;
use std::sync::Arc;

use tokio::sync::watch;

use crate::envelope::RecordedEvent;
use crate::log::{EventLog, LogError};

/// Events read from the log per refill.
const READ_BATCH_EVENTS: usize = 256;

pub struct Subscription {
    log: Arc<dyn EventLog>,
    /// The seq the next delivered event will have.
    next_seq: u64,
    durable: watch::Receiver<u64>,
    buffer: VecDeque<RecordedEvent>,
}

impl Subscription {
    /// Follows `log` from `from_seq` (1 for the whole history).
    pub fn new(log: Arc<dyn EventLog>, from_seq: u64) -> Subscription {
        let durable = log.watch_durable();
        Subscription {
            log,
            next_seq: from_seq.max(1),
            durable,
            buffer: VecDeque::new(),
        }
    }

    /// The seq of the next event this subscription will deliver.
    pub fn position(&self) -> u64 {
        self.next_seq
    }

    /// The next durable event, if one is already there; never waits.
    pub fn try_next(&mut self) -> Result<Option<RecordedEvent>, LogError> {
        if self.buffer.is_empty() {
            self.refill()?;
        }
        let event = self.buffer.pop_front();
        if let Some(event) = &event {
            self.next_seq = event.seq + 1;
        }
        Ok(event)
    }

    /// The next durable event, waiting for it if needed. `Ok(None)` once the log is dropped.
    pub async fn next(&mut self) -> Result<Option<RecordedEvent>, LogError> {
        loop {
            if let Some(event) = self.try_next()? {
                return Ok(Some(event));
            }
            if self.durable.changed().await.is_err() {
                return self.try_next();
            }
        }
    }

    fn refill(&mut self) -> Result<(), LogError> {
        let durable_seq = *self.durable.borrow_and_update();
        if durable_seq < self.next_seq {
            return Ok(());
        }
        let limit = READ_BATCH_EVENTS.min((durable_seq - self.next_seq + 1) as usize);
        for event in self.log.read_all(self.next_seq, limit)? {
            if event.seq > durable_seq {
                break;
            }
            if event.seq != self.next_seq + self.buffer.len() as u64 {
                return Err(LogError::Corrupt(format!(
                    "gap in the log: expected seq {}, found {}",
                    self.next_seq + self.buffer.len() as u64,
                    event.seq
                )));
            }
            self.buffer.push_back(event);
        }
        Ok(())
    }
}

/// Follows one stream (a battle, for spectators and live message updates): its history from
/// `from_version`, then its new events as they become durable. Same guarantees as
/// [`Subscription`]: no gaps, no buffering of its own beyond one read.
pub struct StreamSubscription {
    log: Arc<dyn EventLog>,
    stream: crate::ids::StreamId,
    next_version: u64,
    durable: watch::Receiver<u64>,
    buffer: VecDeque<RecordedEvent>,
}

impl StreamSubscription {
    pub fn new(
        log: Arc<dyn EventLog>,
        stream: crate::ids::StreamId,
        from_version: u64,
    ) -> StreamSubscription {
        let durable = log.watch_durable();
        StreamSubscription {
            log,
            stream,
            next_version: from_version.max(1),
            durable,
            buffer: VecDeque::new(),
        }
    }

    /// The stream version the next delivered event will have.
    pub fn position(&self) -> u64 {
        self.next_version
    }

    /// The next durable event of the stream, if one is already there; never waits.
    pub fn try_next(&mut self) -> Result<Option<RecordedEvent>, LogError> {
        if self.buffer.is_empty() {
            let durable_seq = *self.durable.borrow_and_update();
            for event in self
                .log
                .read_stream(&self.stream, self.next_version, READ_BATCH_EVENTS)?
            {
                if event.seq > durable_seq {
                    break;
                }
                self.buffer.push_back(event);
            }
        }
        let event = self.buffer.pop_front();
        if let Some(event) = &event {
            self.next_version = event.stream_version + 1;
        }
        Ok(event)
    }

    /// The next durable event of the stream, waiting for it if needed.
    pub async fn next(&mut self) -> Result<Option<RecordedEvent>, LogError> {
        loop {
            if let Some(event) = self.try_next()? {
                return Ok(Some(event));
            }
            if self.durable.changed().await.is_err() {
                return self.try_next();
            }
        }
    }
}
