//! What `/monitor` and `/uptime` show the operator: one [`Sample`] of the process (memory and
//! CPU through `sysinfo`; threads and open files from `/proc` on Linux, absent elsewhere), the
//! store's size on disk, the adapter's counters (`metrics.rs`: commands per minute, latency
//! percentiles from the same histogram `/metrics` serves, users and guilds seen since start),
//! and the engine's (players, the log's length, the last snapshot, the core's state). The
//! health colours are a pure function of a sample ([`health`]).

use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use allspark_engine::runtime::CoreState;
use allspark_engine::stats::HistogramSnapshot;

use crate::app::App;

/// One reading, taken when the operator asks.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub uptime: Duration,
    /// Resident memory of the process, in bytes.
    pub memory: u64,
    /// Memory of the machine, in bytes (0 when unknown).
    pub total_memory: u64,
    /// CPU used by the process since the previous sample, in percent of one core.
    pub cpu_percent: f32,
    pub cores: usize,
    pub threads: Option<u64>,
    pub open_files: Option<u64>,
    /// Bytes of every file under the data directory (`None` without one, as in tests).
    pub store_bytes: Option<u64>,
    pub guilds_seen: u64,
    pub users_seen: u64,
    pub players: u64,
    /// Invocations answered in the last minute.
    pub per_minute: u64,
    pub answered: u64,
    pub refused: u64,
    /// Answer latency percentiles, as the upper bound of their histogram bucket.
    pub p50: Option<Duration>,
    pub p99: Option<Duration>,
    pub log_events: u64,
    pub snapshot_seq: Option<u64>,
    pub core: CoreState,
}

/// A health light.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Light {
    Green,
    Yellow,
    Red,
}

impl Light {
    pub fn emoji(self) -> &'static str {
        match self {
            Light::Green => "🟢",
            Light::Yellow => "🟡",
            Light::Red => "🔴",
        }
    }

    fn of(value: f64, yellow_from: f64, red_from: f64) -> Light {
        if value >= red_from {
            Light::Red
        } else if value >= yellow_from {
            Light::Yellow
        } else {
            Light::Green
        }
    }
}

/// The health lights of a sample: memory (share of the machine), CPU (share of all cores),
/// p99 latency, the share of refused answers, and the core. Yellow from 70 % (1 s, 5 %), red
/// from 90 % (2.5 s, 20 %); a stopped core is red.
pub fn health(sample: &Sample) -> Vec<(&'static str, Light)> {
    let memory = if sample.total_memory == 0 {
        Light::Green
    } else {
        Light::of(
            sample.memory as f64 * 100.0 / sample.total_memory as f64,
            70.0,
            90.0,
        )
    };
    let cpu = Light::of(
        f64::from(sample.cpu_percent) / sample.cores.max(1) as f64,
        70.0,
        90.0,
    );
    let latency = match sample.p99 {
        Some(p99) => Light::of(p99.as_secs_f64(), 1.0, 2.5),
        None => Light::Green,
    };
    let refused = if sample.answered == 0 {
        Light::Green
    } else {
        Light::of(
            sample.refused as f64 * 100.0 / sample.answered as f64,
            5.0,
            20.0,
        )
    };
    let core = match sample.core {
        CoreState::Running => Light::Green,
        _ => Light::Red,
    };
    vec![
        ("Memory", memory),
        ("CPU", cpu),
        ("Latency", latency),
        ("Refusals", refused),
        ("Core", core),
    ]
}

/// The value under which a share `q` (per mille) of the observations fall: the upper bound of
/// the first bucket whose running count reaches it; `None` with no observations, and the last
/// bound when the quantile lies beyond every bucket.
pub fn quantile_micros(snapshot: &HistogramSnapshot, per_mille: u64) -> Option<u64> {
    if snapshot.count == 0 {
        return None;
    }
    let wanted = (snapshot.count * per_mille).div_ceil(1000).max(1);
    snapshot
        .buckets
        .iter()
        .find(|(_, running)| *running >= wanted)
        .or(snapshot.buckets.last())
        .map(|(bound, _)| *bound)
}

/// Bytes of every file below `dir` (links not followed; unreadable entries count nothing).
pub fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => stack.push(entry.path()),
                Ok(meta) => total += meta.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// Threads of this process, from `/proc/self/status` (Linux only).
fn threads() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Open file descriptors of this process, from `/proc/self/fd` (Linux only).
fn open_files() -> Option<u64> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    Some(entries.count() as u64)
}

/// The process's memory and CPU. One `System` is kept, so the CPU share is measured since the
/// previous sample (the first reads 0).
fn process() -> (u64, u64, f32, usize) {
    use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};
    static SYSTEM: OnceLock<Mutex<System>> = OnceLock::new();
    let Ok(pid) = sysinfo::get_current_pid() else {
        return (0, 0, 0.0, 1);
    };
    let mut system = SYSTEM
        .get_or_init(|| Mutex::new(System::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    system.refresh_memory();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing().with_memory().with_cpu(),
    );
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    match system.process(pid) {
        Some(process) => (
            process.memory(),
            system.total_memory(),
            process.cpu_usage(),
            cores,
        ),
        None => (0, system.total_memory(), 0.0, cores),
    }
}

/// Takes a sample (on the blocking pool: it reads files and walks the store).
pub async fn sample(app: &App) -> Sample {
    let engine = app.engine.clone();
    let data = app.data.clone();
    let players = app
        .read(allspark_engine::player::view::count)
        .await
        .unwrap_or(0);
    let counters = crate::metrics::counters();
    let core = engine.state();
    tokio::task::spawn_blocking(move || {
        let (memory, total_memory, cpu_percent, cores) = process();
        let snapshot_seq = engine
            .log()
            .latest_snapshot()
            .ok()
            .flatten()
            .map(|(seq, _)| seq);
        Sample {
            uptime: counters.uptime,
            memory,
            total_memory,
            cpu_percent,
            cores,
            threads: threads(),
            open_files: open_files(),
            store_bytes: data.as_deref().map(|dir| dir_bytes(dir)),
            guilds_seen: counters.guilds_seen,
            users_seen: counters.users_seen,
            players: players as u64,
            per_minute: counters.per_minute,
            answered: counters.answered,
            refused: counters.refused,
            p50: quantile_micros(&counters.latency, 500).map(Duration::from_micros),
            p99: quantile_micros(&counters.latency, 990).map(Duration::from_micros),
            log_events: engine.log().last_seq(),
            snapshot_seq,
            core,
        }
    })
    .await
    .unwrap_or_else(|_| unreachable_sample())
}

/// What a sample says when taking it panicked (never expected): nothing measured.
fn unreachable_sample() -> Sample {
    Sample {
        uptime: Duration::ZERO,
        memory: 0,
        total_memory: 0,
        cpu_percent: 0.0,
        cores: 1,
        threads: None,
        open_files: None,
        store_bytes: None,
        guilds_seen: 0,
        users_seen: 0,
        players: 0,
        per_minute: 0,
        answered: 0,
        refused: 0,
        p50: None,
        p99: None,
        log_events: 0,
        snapshot_seq: None,
        core: CoreState::Running,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use allspark_engine::stats::Histogram;

    #[test]
    fn quantiles_are_the_bound_of_the_bucket_that_reaches_them() {
        let histogram = Histogram::new(&[1_000, 10_000, 100_000]);
        assert_eq!(quantile_micros(&histogram.snapshot(), 500), None);
        for _ in 0..98 {
            histogram.observe(500);
        }
        histogram.observe(5_000);
        histogram.observe(50_000);
        let snapshot = histogram.snapshot();
        assert_eq!(quantile_micros(&snapshot, 500), Some(1_000));
        assert_eq!(quantile_micros(&snapshot, 990), Some(10_000));
        assert_eq!(quantile_micros(&snapshot, 1000), Some(100_000));
        histogram.observe(1_000_000);
        assert_eq!(quantile_micros(&histogram.snapshot(), 1000), Some(100_000));
    }

    fn calm() -> Sample {
        Sample {
            total_memory: 1000,
            memory: 100,
            answered: 100,
            ..unreachable_sample()
        }
    }

    #[test]
    fn health_turns_yellow_then_red_at_its_thresholds() {
        let light = |sample: &Sample, name: &str| {
            health(sample)
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, l)| l)
        };
        assert!(health(&calm()).iter().all(|(_, l)| *l == Light::Green));
        let memory = |m| Sample {
            memory: m,
            ..calm()
        };
        assert_eq!(light(&memory(699), "Memory"), Some(Light::Green));
        assert_eq!(light(&memory(700), "Memory"), Some(Light::Yellow));
        assert_eq!(light(&memory(900), "Memory"), Some(Light::Red));
        let cpu = |c, cores| Sample {
            cpu_percent: c,
            cores,
            ..calm()
        };
        assert_eq!(light(&cpu(150.0, 2), "CPU"), Some(Light::Yellow));
        assert_eq!(light(&cpu(150.0, 4), "CPU"), Some(Light::Green));
        assert_eq!(light(&cpu(95.0, 1), "CPU"), Some(Light::Red));
        let p99 = |ms| Sample {
            p99: Some(Duration::from_millis(ms)),
            ..calm()
        };
        assert_eq!(light(&p99(999), "Latency"), Some(Light::Green));
        assert_eq!(light(&p99(1000), "Latency"), Some(Light::Yellow));
        assert_eq!(light(&p99(2500), "Latency"), Some(Light::Red));
        let refused = |r| Sample {
            refused: r,
            ..calm()
        };
        assert_eq!(light(&refused(5), "Refusals"), Some(Light::Yellow));
        assert_eq!(light(&refused(20), "Refusals"), Some(Light::Red));
        let stopped = Sample {
            core: CoreState::Failed("disk".into()),
            ..calm()
        };
        assert_eq!(light(&stopped, "Core"), Some(Light::Red));
    }

    #[test]
    fn the_store_size_counts_files_in_subfolders() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |path: &Path, n: usize| {
            std::fs::write(path, vec![0u8; n]).unwrap_or_else(|e| panic!("{e}"))
        };
        write(&dir.path().join("a"), 10);
        std::fs::create_dir(dir.path().join("log")).unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("log").join("b"), 32);
        assert_eq!(dir_bytes(dir.path()), 42);
        assert_eq!(dir_bytes(&dir.path().join("missing")), 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn threads_and_open_files_are_read_on_linux() {
        assert!(threads().is_some_and(|n| n >= 1));
        // Other tests open and close files meanwhile, so only a floor is certain.
        let held: Vec<std::fs::File> = (0..64)
            .map(|_| std::fs::File::open("/proc/self/status").unwrap_or_else(|e| panic!("{e}")))
            .collect();
        assert!(open_files().is_some_and(|n| n >= 64), "{:?}", open_files());
        drop(held);
    }
}
