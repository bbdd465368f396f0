//! Operational measurements of the core, for the operator's metrics (`allspark --metrics-listen`):
//! batches and their sizes, how long each append-and-flush took, commands by outcome. Plain
//! atomics, written by the core thread and read by anyone; nothing here is game state or ever
//! reaches `decide` (the flush timing is the one wall-clock reading in the engine, and it only
//! goes here).

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the batch-size buckets, in commands.
pub const BATCH_COMMANDS_BUCKETS: &[u64] = &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024];
/// Upper bounds of the flush-time buckets, in microseconds.
pub const FLUSH_MICROS_BUCKETS: &[u64] = &[
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
    1_000_000, 2_500_000,
];

/// A histogram with fixed upper bounds (and one more bucket for everything above them).
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [u64],
    /// One count per bound, plus the overflow bucket; not cumulative.
    counts: Vec<AtomicU64>,
    sum: AtomicU64,
}

/// A histogram read at one moment: cumulative counts per bound, as Prometheus wants them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistogramSnapshot {
    /// (upper bound, observations at or below it).
    pub buckets: Vec<(u64, u64)>,
    pub count: u64,
    pub sum: u64,
}

impl Histogram {
    pub fn new(bounds: &'static [u64]) -> Histogram {
        Histogram {
            bounds,
            counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, value: u64) {
        let idx = self.bounds.partition_point(|bound| *bound < value);
        self.counts[idx].fetch_add(1, Ordering::Relaxed);
        self.sum.fetch_add(value, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> HistogramSnapshot {
        let mut running = 0;
        let mut buckets = Vec::with_capacity(self.bounds.len());
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            running += count.load(Ordering::Relaxed);
            buckets.push((*bound, running));
        }
        let overflow = self.counts[self.bounds.len()].load(Ordering::Relaxed);
        HistogramSnapshot {
            buckets,
            count: running + overflow,
            sum: self.sum.load(Ordering::Relaxed),
        }
    }
}

/// What the core counts.
#[derive(Debug)]
pub struct Stats {
    pub batch_commands: Histogram,
    pub flush_micros: Histogram,
    pub accepted: AtomicU64,
    pub rejected: AtomicU64,
    pub duplicate: AtomicU64,
}

/// [`Stats`] read at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Commands decided per appended batch.
    pub batch_commands: HistogramSnapshot,
    /// Time to append and flush one batch, in microseconds.
    pub flush_micros: HistogramSnapshot,
    pub accepted: u64,
    pub rejected: u64,
    /// Retries answered from a recorded outcome.
    pub duplicate: u64,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            batch_commands: Histogram::new(BATCH_COMMANDS_BUCKETS),
            flush_micros: Histogram::new(FLUSH_MICROS_BUCKETS),
            accepted: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            duplicate: AtomicU64::new(0),
        }
    }
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            batch_commands: self.batch_commands.snapshot(),
            flush_micros: self.flush_micros.snapshot(),
            accepted: self.accepted.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            duplicate: self.duplicate.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_cumulatively_with_an_overflow_bucket() {
        let histogram = Histogram::new(&[1, 10]);
        for value in [0, 1, 5, 10, 11, 1_000] {
            histogram.observe(value);
        }
        let snapshot = histogram.snapshot();
        assert_eq!(snapshot.buckets, vec![(1, 2), (10, 4)]);
        assert_eq!(snapshot.count, 6);
        assert_eq!(snapshot.sum, 1_027);
    }
}
