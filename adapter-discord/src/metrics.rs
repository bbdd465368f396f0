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
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry {
        commands: Mutex::new(BTreeMap::new()),
        latency: Histogram::new(LATENCY_MICROS_BUCKETS),
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
