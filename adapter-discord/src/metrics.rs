//! Prometheus metrics (`allspark run|serve --metrics-listen ADDR`, `GET /metrics`), in the text
//! exposition format written by hand (a few counters and histograms need no crate):
//!
//! - `allspark_commands_total{command,outcome}`: every invocation `App::handle` answered, by
//!   slash command name (`press:<verb>`, `form:<verb>`, `autocomplete:<name>` for the others;
//!   names outside the registry count as `unknown`, so labels stay bounded) and outcome (`ok`,
//!   or `refused` for a refusal);
//! - `allspark_command_seconds`: how long `App::handle` took, end to end (a histogram);
//! - from the engine's core (`allspark_engine::stats`): `allspark_engine_commands_total{outcome}`
//!   (accepted, rejected, duplicate), `allspark_batch_commands` (commands per group commit) and
//!   `allspark_flush_seconds` (append plus flush of one batch), both histograms;
//! - `allspark_log_events`: the log's length (its last seq).
//!
//! The adapter's counters are process-wide (one bot per process), so every `App` feeds them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};

use allspark_engine::stats::{Histogram, HistogramSnapshot};
use allspark_engine::Engine;
use axum::extract::State;
use axum::routing::get;
use axum::Router;

/// Upper bounds of the command latency buckets, in microseconds.
pub const LATENCY_MICROS_BUCKETS: &[u64] = &[
    500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
    2_500_000, 5_000_000,
];

struct Registry {
    commands: Mutex<BTreeMap<(String, &'static str), u64>>,
    latency: Histogram,
    started: std::time::Instant,
    /// When each invocation of the last minute was answered (for `/monitor`).
    recent: Mutex<std::collections::VecDeque<std::time::Instant>>,
    users: Mutex<std::collections::BTreeSet<u64>>,
    guilds: Mutex<std::collections::BTreeSet<u64>>,
}

/// Invocations remembered for the per-minute rate at most (the rate saturates beyond).
const RECENT_MAX: usize = 100_000;

/// What `/monitor` reads from the adapter's counters.
#[derive(Clone, Debug)]
pub struct Counters {
    pub uptime: std::time::Duration,
    pub per_minute: u64,
    pub answered: u64,
    pub refused: u64,
    pub latency: HistogramSnapshot,
    pub users_seen: u64,
    pub guilds_seen: u64,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the uptime clock (the first use of the counters starts it otherwise).
pub fn start() {
    registry();
}

/// Notes who invoked, and from which guild (none in DMs and the console).
pub fn saw(user: u64, guild: Option<u64>) {
    let registry = registry();
    lock(&registry.users).insert(user);
    if let Some(guild) = guild {
        lock(&registry.guilds).insert(guild);
    }
}

/// The adapter's counters now.
pub fn counters() -> Counters {
    let registry = registry();
    let now = std::time::Instant::now();
    let per_minute = {
        let mut recent = lock(&registry.recent);
        trim(&mut recent, now);
        recent.len() as u64
    };
    let (mut answered, mut refused) = (0, 0);
    for ((_, outcome), n) in lock(&registry.commands).iter() {
        answered += n;
        if *outcome == "refused" {
            refused += n;
        }
    }
    Counters {
        uptime: now.duration_since(registry.started),
        per_minute,
        answered,
        refused,
        latency: registry.latency.snapshot(),
        users_seen: lock(&registry.users).len() as u64,
        guilds_seen: lock(&registry.guilds).len() as u64,
    }
}

/// Forgets the instants older than a minute.
fn trim(recent: &mut std::collections::VecDeque<std::time::Instant>, now: std::time::Instant) {
    while recent
        .front()
        .is_some_and(|at| now.duration_since(*at) > std::time::Duration::from_secs(60))
    {
        recent.pop_front();
    }
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry {
        commands: Mutex::new(BTreeMap::new()),
        latency: Histogram::new(LATENCY_MICROS_BUCKETS),
        started: std::time::Instant::now(),
        recent: Mutex::new(std::collections::VecDeque::new()),
        users: Mutex::new(std::collections::BTreeSet::new()),
        guilds: Mutex::new(std::collections::BTreeSet::new()),
    })
}

/// Counts one answered invocation.
pub fn observe(command: String, refused: bool, elapsed: std::time::Duration) {
    let registry = registry();
    let outcome = if refused { "refused" } else { "ok" };
    *registry
        .commands
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry((command, outcome))
        .or_insert(0) += 1;
    registry
        .latency
        .observe(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
    let now = std::time::Instant::now();
    let mut recent = lock(&registry.recent);
    trim(&mut recent, now);
    if recent.len() >= RECENT_MAX {
        recent.pop_front();
    }
    recent.push_back(now);
}

/// Everything, in Prometheus's text format.
pub fn render(engine: &Engine) -> String {
    let mut out = String::new();
    let registry = registry();
    out.push_str("# HELP allspark_commands_total Invocations answered, by command and outcome.\n");
    out.push_str("# TYPE allspark_commands_total counter\n");
    let commands = registry
        .commands
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    for ((command, outcome), n) in &commands {
        let _ = writeln!(
            out,
            "allspark_commands_total{{command=\"{}\",outcome=\"{outcome}\"}} {n}",
            escape(command)
        );
    }
    histogram(
        &mut out,
        "allspark_command_seconds",
        "Time to answer one invocation.",
        &registry.latency.snapshot(),
        1_000_000,
    );
    let stats = engine.stats();
    out.push_str(
        "# HELP allspark_engine_commands_total Commands the core decided or answered again.\n",
    );
    out.push_str("# TYPE allspark_engine_commands_total counter\n");
    for (outcome, n) in [
        ("accepted", stats.accepted),
        ("rejected", stats.rejected),
        ("duplicate", stats.duplicate),
    ] {
        let _ = writeln!(
            out,
            "allspark_engine_commands_total{{outcome=\"{outcome}\"}} {n}"
        );
    }
    histogram(
        &mut out,
        "allspark_batch_commands",
        "Commands per group commit.",
        &stats.batch_commands,
        1,
    );
    histogram(
        &mut out,
        "allspark_flush_seconds",
        "Time to append and flush one batch.",
        &stats.flush_micros,
        1_000_000,
    );
    out.push_str("# HELP allspark_log_events Events in the log (its last seq).\n");
    out.push_str("# TYPE allspark_log_events gauge\n");
    let _ = writeln!(out, "allspark_log_events {}", engine.log().last_seq());
    out
}

/// One histogram; `scale` divides the recorded integers into the unit of the name.
fn histogram(out: &mut String, name: &str, help: &str, snapshot: &HistogramSnapshot, scale: u64) {
    let unit = |value: u64| {
        if scale == 1 {
            value.to_string()
        } else {
            format!(
                "{}.{:06}",
                value / scale,
                (value % scale) * 1_000_000 / scale
            )
        }
    };
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} histogram");
    for (bound, n) in &snapshot.buckets {
        let _ = writeln!(out, "{name}_bucket{{le=\"{}\"}} {n}", unit(*bound));
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", snapshot.count);
    let _ = writeln!(out, "{name}_sum {}", unit(snapshot.sum));
    let _ = writeln!(out, "{name}_count {}", snapshot.count);
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub fn router(engine: Engine) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(engine)
}

async fn metrics(State(engine): State<Engine>) -> impl axum::response::IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4")],
        render(&engine),
    )
}

/// Serves `/metrics` on `listen` until `shutdown` resolves.
pub async fn serve(
    engine: Engine,
    listen: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "metrics listening");
    axum::serve(listener, router(engine))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_per_minute_window_forgets_older_instants() {
        let now = std::time::Instant::now();
        let mut recent = std::collections::VecDeque::new();
        if let Some(old) = now.checked_sub(std::time::Duration::from_secs(61)) {
            recent.push_back(old);
        }
        if let Some(fresh) = now.checked_sub(std::time::Duration::from_secs(59)) {
            recent.push_back(fresh);
        }
        recent.push_back(now);
        let kept = recent.len().min(2);
        trim(&mut recent, now);
        assert_eq!(recent.len(), kept);
    }

    #[test]
    fn counters_count_answers_users_and_guilds() {
        let before = counters();
        observe("help".into(), false, std::time::Duration::from_millis(1));
        observe("help".into(), true, std::time::Duration::from_millis(1));
        saw(u64::MAX - 7, Some(u64::MAX - 8));
        let after = counters();
        assert!(after.answered >= before.answered + 2);
        assert!(after.refused > before.refused);
        assert!(after.per_minute >= 2);
        assert!(after.latency.count >= before.latency.count + 2);
        // Only this test uses these ids, and the sets only grow.
        assert!(after.users_seen > before.users_seen);
        assert!(after.guilds_seen > before.guilds_seen);
    }

    #[test]
    fn a_histogram_is_written_cumulatively_in_seconds() {
        let histogram = Histogram::new(&[1_000, 2_000_000]);
        histogram.observe(500);
        histogram.observe(1_500_000);
        histogram.observe(9_000_000);
        let mut out = String::new();
        super::histogram(
            &mut out,
            "x_seconds",
            "X.",
            &histogram.snapshot(),
            1_000_000,
        );
        assert!(
            out.contains("x_seconds_bucket{le=\"0.001000\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("x_seconds_bucket{le=\"2.000000\"} 2\n"),
            "{out}"
        );
        assert!(out.contains("x_seconds_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("x_seconds_sum 10.500500\n"), "{out}");
        assert!(out.contains("x_seconds_count 3\n"), "{out}");
    }
}
