//! A load benchmark of the HTTP interactions endpoint, as Discord would drive it: the real
//! endpoint (`allspark serve`'s router) on loopback over a durable sled store in a temporary
//! directory, fed pre-signed interactions (a fixed Ed25519 key; each request its own
//! interaction id) for a write (an operator grant: one durable command) and a read (`/pet`),
//! saturating with N connections and paced at a target rate, printing p50 / p90 / p99 / max
//! latency and throughput. Nothing here is a test: figures go to BENCHMARKS.md.
//!
//! ```sh
//! cargo run --release -p allspark-discord --example http_load -- --seconds 10
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_discord::app::App;
use allspark_discord::http::{self, Endpoint};
use allspark_engine::runtime::EngineConfig;
use allspark_engine::Engine;
use clap::Parser;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

#[derive(Parser, Debug)]
struct Args {
    /// Seconds each run lasts.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Connections (callers) of the saturating runs.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Target rate of the paced run, requests per second (over `--paced-connections`).
    #[arg(long, default_value_t = 1_000)]
    rate: u64,
    #[arg(long, default_value_t = 10)]
    paced_connections: usize,
    /// Players with pets, made before the runs.
    #[arg(long, default_value_t = 100)]
    players: u64,
}

const OPERATOR: u64 = 999;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

/// A slash command interaction as Discord sends it (the fields the endpoint reads).
fn slash(id: u64, user: u64, name: &str, options: &[(&str, u64, Value)]) -> Value {
    let options: Vec<Value> = options
        .iter()
        .map(|(name, kind, value)| json!({ "name": name, "type": kind, "value": value }))
        .collect();
    json!({
        "id": id.to_string(),
        "application_id": "1100000000000000001",
        "type": 2,
        "data": { "id": "1400000000000000001", "name": name, "type": 1, "options": options },
        "guild_id": "1200000000000000001",
        "channel_id": "1300000000000000001",
        "member": {
            "user": { "id": user.to_string(), "username": format!("player{user}"), "discriminator": "0", "global_name": null, "avatar": null },
            "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0,
            "permissions": "2248473465835073"
        },
        "token": format!("token-{id}"),
        "version": 1,
        "locale": "en-US",
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "context": 0
    })
}

/// A signed request body and its headers (timestamp, signature).
fn signed(payload: &Value) -> (Vec<u8>, String, String) {
    let body = serde_json::to_vec(payload).unwrap_or_default();
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let mut message = timestamp.as_bytes().to_vec();
    message.extend_from_slice(&body);
    let signature = hex::encode(key().sign(&message).to_bytes());
    (body, timestamp, signature)
}

async fn post(client: &reqwest::Client, url: &str, payload: &Value) -> bool {
    let (body, timestamp, signature) = signed(payload);
    match client
        .post(url)
        .header("content-type", "application/json")
        .header("x-signature-timestamp", timestamp)
        .header("x-signature-ed25519", signature)
        .body(body)
        .send()
        .await
    {
        Ok(answer) => answer.status().is_success() && answer.bytes().await.is_ok(),
        Err(_) => false,
    }
}

#[derive(Clone, Copy)]
enum Work {
    /// An operator grant of 1 energon to a player: one durable command.
    Write,
    /// `/pet`: a read of the World.
    Read,
}

fn payload(work: Work, id: u64, players: u64) -> Value {
    let player = 1 + id % players;
    match work {
        Work::Write => slash(
            id,
            OPERATOR,
            "grant",
            &[
                ("user", 6, json!(player.to_string())),
                ("amount", 4, json!(1)),
            ],
        ),
        Work::Read => slash(id, player, "pet", &[]),
    }
}

/// Latencies of one run, and how many requests failed.
struct Run {
    latencies: Vec<Duration>,
    failed: u64,
    elapsed: Duration,
}

fn report(label: &str, run: &mut Run) {
    run.latencies.sort();
    let n = run.latencies.len();
    let at = |q: f64| {
        if n == 0 {
            Duration::ZERO
        } else {
            run.latencies[((n as f64 * q) as usize).min(n - 1)]
        }
    };
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "{label:<44} {:>8.0}/s  p50 {:>6.2} ms  p90 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  ({} ok, {} failed)",
        n as f64 / run.elapsed.as_secs_f64(),
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(run.latencies.last().copied().unwrap_or_default()),
        n,
        run.failed
    );
}

/// `connections` callers, each sending its next request when the last one answered
/// (`interval` None), or at its own fixed schedule (`interval` Some: latency counts from the
/// scheduled instant, so a slow answer delays the measurement, not the schedule).
async fn run(
    url: &str,
    work: Work,
    connections: usize,
    interval: Option<Duration>,
    seconds: u64,
    ids: &Arc<AtomicU64>,
    players: u64,
) -> Run {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for caller in 0..connections {
        let (url, ids) = (url.to_string(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut latencies = Vec::new();
            let mut failed = 0;
            let offset =
                interval.map_or(Duration::ZERO, |i| i * caller as u32 / connections as u32);
            let mut next = started + offset;
            loop {
                if interval.is_some() {
                    tokio::time::sleep_until(next.into()).await;
                }
                let sent = if interval.is_some() {
                    next
                } else {
                    Instant::now()
                };
                if sent >= deadline {
                    break;
                }
                let id = ids.fetch_add(1, Ordering::SeqCst);
                if post(&client, &url, &payload(work, id, players)).await {
                    latencies.push(sent.elapsed());
                } else {
                    failed += 1;
                }
                if let Some(interval) = interval {
                    next += interval;
                }
            }
            (latencies, failed)
        }));
    }
    let mut all = Run {
        latencies: Vec::new(),
        failed: 0,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        if let Ok((latencies, failed)) = task.await {
            all.latencies.extend(latencies);
            all.failed += failed;
        }
    }
    all.elapsed = started
        .elapsed()
        .min(Duration::from_secs(seconds))
        .max(Duration::from_millis(1));
    all
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let engine = Engine::open_dir(
        dir.path(),
        EngineConfig {
            server_secret: b"http-load".to_vec(),
            ..EngineConfig::default()
        },
    )?;
    let endpoint = Endpoint {
        app: App::new(engine.clone()),
        public_key: key().verifying_key(),
        operator: Some(OPERATOR),
        api_base: "http://127.0.0.1:9".into(),
        defer_after: http::DEFER_AFTER,
        http: reqwest::Client::new(),
        live: None,
        tasks: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/interactions", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, http::router(endpoint)).await;
    });
    let ids = Arc::new(AtomicU64::new(1_000_000));
    let client = reqwest::Client::new();
    for player in 1..=args.players {
        let id = ids.fetch_add(1, Ordering::SeqCst);
        post(
            &client,
            &url,
            &slash(id, player, "get_pet", &[("faction", 3, json!("autobot"))]),
        )
        .await;
    }
    println!(
        "HTTP endpoint on loopback, sled store, {} players with pets, {} s a run",
        args.players, args.seconds
    );
    let mut writes = 0u64;
    for (label, work, connections, interval) in [
        ("one caller, write (operator grant)", Work::Write, 1, None),
        ("one caller, read (/pet)", Work::Read, 1, None),
        (
            "paced writes",
            Work::Write,
            args.paced_connections,
            Some(Duration::from_secs_f64(
                args.paced_connections as f64 / args.rate.max(1) as f64,
            )),
        ),
        ("saturating writes", Work::Write, args.connections, None),
        ("saturating reads", Work::Read, args.connections, None),
    ] {
        let mut result = run(
            &url,
            work,
            connections,
            interval,
            args.seconds,
            &ids,
            args.players,
        )
        .await;
        if matches!(work, Work::Write) {
            writes += result.latencies.len() as u64;
        }
        let label = match interval {
            Some(_) => format!("{label}, {}/s over {connections} conns", args.rate),
            None => format!("{label}, {connections} conns"),
        };
        report(&label, &mut result);
    }
    // Every answered write was a real, durable grant: the wallets hold one energon each.
    let players = args.players;
    let held: u64 = engine
        .query(move |w| {
            (1..=players)
                .map(|p| {
                    allspark_engine::energon::view::balances(w, allspark_engine::PlayerId(p)).wallet
                })
                .sum()
        })
        .await?;
    println!("grants answered: {writes}; energon the players hold: {held}");
    engine.shutdown_async().await;
    anyhow::ensure!(held == writes, "answered writes and recorded grants differ");
    Ok(())
}
