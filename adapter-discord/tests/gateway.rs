//! The gateway path with the real serenity client, pointed at a local fake of Discord: a REST
//! fake (gateway discovery, interaction callbacks) and a websocket fake that says Hello, takes
//! the Identify, sends Ready and then one INTERACTION_CREATE. The test passes when the callback
//! the client posts back is the game's answer, valid against Discord's schema.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use allspark_discord::app::App;
use allspark_engine::testing::TestEngine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

type Calls = Arc<Mutex<Vec<(String, Value)>>>;

async fn fake_rest(ws_url: String, calls: Calls) -> String {
    let record = calls.clone();
    let plain_url = ws_url.clone();
    let app = axum::Router::new()
        .route(
            "/api/v10/gateway",
            axum::routing::get(move || {
                let url = plain_url.clone();
                async move { axum::Json(json!({ "url": url })) }
            }),
        )
        .fallback(|uri: axum::http::Uri| async move {
            eprintln!("fake Discord: unexpected request {uri}");
            axum::http::StatusCode::NOT_FOUND
        })
        .route(
            "/api/v10/gateway/bot",
            axum::routing::get(move || {
                let url = ws_url.clone();
                async move {
                    axum::Json(json!({
                        "url": url, "shards": 1,
                        "session_start_limit": { "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1 }
                    }))
                }
            }),
        )
        .route(
            "/api/v10/webhooks/{application}/{token}/messages/@original",
            axum::routing::patch({
                let record = calls.clone();
                move |axum::extract::Path((application, token)): axum::extract::Path<(String, String)>, body: axum::body::Bytes| {
                    let record = record.clone();
                    async move {
                        // A multipart upload is kept as its raw text, and in hex byte for byte.
                        let value: Value = serde_json::from_slice(&body).unwrap_or_else(|_| {
                            json!({ "raw": String::from_utf8_lossy(&body), "hex": hex::encode(&body) })
                        });
                        record.lock().unwrap_or_else(|p| p.into_inner()).push((format!("PATCH {application}/{token}"), value));
                        axum::Json(posted_message())
                    }
                }
            }),
        )
        .route(
            "/api/v10/channels/{channel}/messages/{message}",
            axum::routing::patch({
                let record = calls.clone();
                move |axum::extract::Path((channel, message)): axum::extract::Path<(String, String)>, headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let record = record.clone();
                    async move {
                        let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                        let value = json!({ "auth": auth, "hex": hex::encode(&body) });
                        record.lock().unwrap_or_else(|p| p.into_inner()).push((format!("PATCH channel {channel}/{message}"), value));
                        axum::Json(posted_message())
                    }
                }
            }),
        )
        .route(
            "/api/v10/interactions/{id}/{token}/callback",
            axum::routing::post(move |axum::extract::Path((id, token)): axum::extract::Path<(String, String)>, body: axum::body::Bytes| {
                let record = record.clone();
                async move {
                    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    record.lock().unwrap_or_else(|p| p.into_inner()).push((format!("{id}/{token}"), value));
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        );
    support::serve_fake(app).await
}

/// The message Discord answers an edit with (the fields serenity needs to read it).
fn posted_message() -> Value {
    json!({
        "id": "1500000000000000042",
        "channel_id": "1300000000000000001",
        "author": { "id": "1100000000000000001", "username": "AllSpark", "discriminator": "0000", "avatar": null, "bot": true, "global_name": null },
        "content": "",
        "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": 0
    })
}

async fn fake_gateway(
    listener: tokio::net::TcpListener,
    interaction: Value,
    identified: Arc<Mutex<Option<Value>>>,
) {
    let Ok((stream, _)) = listener.accept().await else {
        return;
    };
    let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let send = |value: Value| Message::Text(value.to_string());
    let _ = socket
        .send(send(
            json!({ "op": 10, "d": { "heartbeat_interval": 45000 } }),
        ))
        .await;
    while let Some(message) = socket.next().await {
        let Ok(message) = message else { break };
        let Message::Text(text) = message else {
            continue;
        };
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if value["op"] == json!(2) {
            *identified.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
            break;
        }
    }
    let ready = json!({
        "op": 0, "s": 1, "t": "READY",
        "d": {
            "v": 10,
            "user": { "id": "1100000000000000001", "username": "allspark", "discriminator": "0", "global_name": null, "avatar": null, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0 },
            "guilds": [],
            "session_id": "session-1",
            "resume_gateway_url": "ws://127.0.0.1:1",
            "shard": [0, 1],
            "application": { "id": "1100000000000000001", "flags": 0 }
        }
    });
    let _ = socket.send(send(ready)).await;
    let _ = socket
        .send(send(
            json!({ "op": 0, "s": 2, "t": "INTERACTION_CREATE", "d": interaction }),
        ))
        .await;
    // Keep the connection open (answering heartbeats) until the test ends.
    while let Some(Ok(message)) = socket.next().await {
        if let Message::Text(text) = message {
            if text.contains("\"op\":1") {
                let _ = socket.send(send(json!({ "op": 11 }))).await;
            }
        }
    }
}

/// Plays one interaction through the real client against the fakes; returns the Identify the
/// client sent and the REST calls it made (at least `n_calls`, or whatever came in time).
async fn through_the_gateway(
    interaction: Value,
    defer_after: Duration,
    n_calls: usize,
) -> (Value, Vec<(String, Value)>) {
    let enough = move |calls: &[(String, Value)]| calls.len() >= n_calls;
    through_the_gateway_until(
        interaction,
        defer_after,
        None,
        Duration::from_secs(15),
        enough,
    )
    .await
}

/// Live edits as the bot: once the answer has been edited in, the market ticks an hour on.
struct TickAfterEdit;

/// [`through_the_gateway`] with `operator` as the operator and live edits on, until `done`
/// says the calls are what the test waits for (or `wait` has passed).
async fn through_the_gateway_until(
    interaction: Value,
    defer_after: Duration,
    operator: Option<u64>,
    wait: Duration,
    done: impl Fn(&[(String, Value)]) -> bool,
) -> (Value, Vec<(String, Value)>) {
    through_the_gateway_with(interaction, defer_after, operator, None, wait, done).await
}

/// [`through_the_gateway_until`], with `tick` making the live edits the bot's and the market
/// tick once the answer is in.
async fn through_the_gateway_with(
    interaction: Value,
    defer_after: Duration,
    operator: Option<u64>,
    tick: Option<TickAfterEdit>,
    wait: Duration,
    done: impl Fn(&[(String, Value)]) -> bool,
) -> (Value, Vec<(String, Value)>) {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let ws_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let ws_url = format!(
        "ws://{}",
        ws_listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let calls: Calls = Arc::default();
    let rest = fake_rest(ws_url, calls.clone()).await;
    let identified = Arc::new(Mutex::new(None));
    tokio::spawn(fake_gateway(ws_listener, interaction, identified.clone()));

    let engine = TestEngine::new();
    // The market opens at the timer's first tick, as it does when the bot starts.
    allspark_discord::worker::market_ticks(&engine.engine, Duration::from_secs(3_600)).await;
    let app = App::new(engine.engine.clone());
    let live = (operator.is_some() || tick.is_some()).then(|| {
        allspark_discord::live::Live::with_bot_token(
            app.clone(),
            reqwest::Client::new(),
            format!("{rest}/api/v10"),
            tick.as_ref().map(|_| "fake-token".to_string()),
        )
    });
    if let (Some(_), Some(live)) = (&tick, live.clone()) {
        let (engine, clock) = (engine.engine.clone(), engine.clock.clone());
        tokio::spawn(async move {
            // Once the dashboard is posted and kept (after the edit that delivered it).
            while live.n_markets() == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            clock.advance_secs(3_600);
            allspark_discord::worker::market_ticks(&engine, Duration::from_secs(3_600)).await;
        });
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let client = tokio::spawn(async move {
        allspark_discord::gateway::run(
            app,
            "fake-token",
            operator,
            Some(rest),
            live,
            defer_after,
            async {
                let _ = stopped.await;
            },
        )
        .await
    });
    let since = std::time::Instant::now();
    while since.elapsed() < wait {
        if done(&calls.lock().unwrap_or_else(|p| p.into_inner())) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    let ended = tokio::time::timeout(Duration::from_secs(5), client).await;
    assert!(
        matches!(ended, Ok(Ok(Ok(())))),
        "the client should stop cleanly: {ended:?}"
    );
    let identify = identified
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or(Value::Null);
    let calls = calls.lock().unwrap_or_else(|p| p.into_inner()).clone();
    (identify, calls)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interaction_through_the_real_serenity_client_gets_the_games_answer() {
    let interaction = support::slash(4242, 77, "get_pet", &[("faction", json!("autobot"))]);
    let (identify, calls) =
        through_the_gateway(interaction, allspark_discord::http::DEFER_AFTER, 1).await;
    assert_eq!(identify["d"]["token"], json!("Bot fake-token"));
    assert_eq!(
        identify["d"]["intents"],
        json!(0),
        "interactions need no intents"
    );
    let Some((path, body)) = calls.first().cloned() else {
        panic!("the client never answered the interaction")
    };
    assert_eq!(path, "4242/token-4242");
    support::check_callback(&body);
    assert_eq!(body["type"], json!(4));
    assert!(body.to_string().contains("your Autobot"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_answer_through_the_gateway_is_deferred_then_edited_in() {
    let interaction = support::slash(4243, 78, "get_pet", &[("faction", json!("decepticon"))]);
    let (_, calls) = through_the_gateway(interaction, Duration::ZERO, 2).await;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        calls[0],
        ("4243/token-4243".to_string(), json!({ "type": 5 }))
    );
    let (path, body) = &calls[1];
    assert_eq!(path, "PATCH 1100000000000000001/token-4243");
    support::check_callback(&json!({ "type": 4, "data": body.clone() }));
    assert!(body.to_string().contains("your Decepticon"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_odd_interaction_token_reaches_discord_as_one_path_segment() {
    const ODD: &str = "to/ken?x=1#frag%2Fmore";
    let mut interaction = support::slash(4244, 79, "get_pet", &[("faction", json!("autobot"))]);
    interaction["token"] = json!(ODD);
    let (_, calls) = through_the_gateway(interaction, Duration::ZERO, 2).await;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].0, format!("4244/{ODD}"));
    assert_eq!(calls[1].0, format!("PATCH 1100000000000000001/{ODD}"));
}

#[tokio::test(flavor = "multi_thread")]
async fn my_data_through_the_gateway_is_deferred_privately_then_uploaded_as_multipart() {
    let interaction = support::slash(4245, 80, "my_data", &[]);
    let (_, calls) = through_the_gateway(interaction, allspark_discord::http::DEFER_AFTER, 2).await;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        calls[0],
        (
            "4245/token-4245".to_string(),
            json!({ "type": 5, "data": { "flags": 64 } })
        )
    );
    let (path, body) = &calls[1];
    assert_eq!(path, "PATCH 1100000000000000001/token-4245");
    let raw = body["raw"]
        .as_str()
        .unwrap_or_else(|| panic!("not multipart: {body}"));
    for part in [
        "name=\"payload_json\"",
        "name=\"files[0]\"",
        "filename=\"allspark-data-80.json\"",
        "\"player\": \"80\"",
    ] {
        assert!(raw.contains(part), "missing {part} in {raw}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trade_through_the_gateway_reads_the_user_option_and_answers_in_discords_form() {
    // A fresh store: the partner has never played, which the engine says by their id, so the
    // user option made it through serenity's model into the command.
    let interaction = support::slash(4245, 80, "trade", &[("user", json!("81"))]);
    let (_, calls) = through_the_gateway(interaction, allspark_discord::http::DEFER_AFTER, 1).await;
    let Some((path, body)) = calls.first().cloned() else {
        panic!("the client never answered the interaction")
    };
    assert_eq!(path, "4245/token-4245");
    support::check_callback(&body);
    assert_eq!(
        body["data"]["flags"],
        json!(64),
        "a refusal is private: {body}"
    );
    assert!(
        body.to_string().contains("<@81> hasn't played here yet"),
        "{body}"
    );
}

/// The operator's stress test through the real client: the press that starts it is answered
/// with the progress view, and the same message is then edited live until it shows the
/// summary (every planned command with an outcome).
#[tokio::test(flavor = "multi_thread")]
async fn a_stress_run_started_through_the_gateway_is_kept_live_to_its_summary() {
    let start = allspark_discord::admin::ids::Press::StressStart {
        size: allspark_discord::stress::Size::Small,
    };
    let custom_id = allspark_discord::custom_id::Encode::encode(&start);
    let mut interaction = support::press(4250, 77, &custom_id, &[]);
    // Serenity reads the pressed message in full.
    interaction["message"] = json!({
        "id": "1500000000000000001", "channel_id": "1300000000000000001",
        "author": { "id": "1100000000000000001", "username": "allspark", "discriminator": "0", "global_name": null, "avatar": null, "bot": true, "public_flags": 0 },
        "content": "", "timestamp": "2026-01-01T00:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 64, "components": []
    });
    let summary = |calls: &[(String, Value)]| {
        calls
            .iter()
            .any(|(path, body)| path.starts_with("PATCH") && body.to_string().contains("finished"))
    };
    let (_, calls) = through_the_gateway_until(
        interaction,
        allspark_discord::http::DEFER_AFTER,
        Some(77),
        Duration::from_secs(120),
        summary,
    )
    .await;
    let Some((path, answer)) = calls.first().cloned() else {
        panic!("the client never answered the interaction")
    };
    assert_eq!(path, "4250/token-4250");
    support::check_callback(&answer);
    assert_eq!(answer["type"], json!(7), "{answer}");
    assert!(
        answer.to_string().contains("Stress test (small"),
        "{answer}"
    );
    let edits: Vec<&Value> = calls
        .iter()
        .filter(|(path, _)| path.starts_with("PATCH"))
        .map(|(path, body)| {
            assert_eq!(path, "PATCH 1100000000000000001/token-4250");
            body
        })
        .collect();
    let last = edits.last().copied().cloned().unwrap_or_default();
    support::check_callback(&json!({ "type": 7, "data": last.clone() }));
    assert!(last.to_string().contains("finished"), "{calls:?}");
    assert!(last.to_string().contains("2,000 of 2,000"), "{last}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_market_chart_through_the_gateway_is_deferred_then_uploaded_as_a_png() {
    let interaction = support::slash(4246, 81, "cybercoin_market", &[]);
    let (_, calls) = through_the_gateway(interaction, allspark_discord::http::DEFER_AFTER, 2).await;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        calls[0],
        ("4246/token-4246".to_string(), json!({ "type": 5 }))
    );
    let (path, body) = &calls[1];
    assert_eq!(path, "PATCH 1100000000000000001/token-4246");
    let bytes = hex::decode(
        body["hex"]
            .as_str()
            .unwrap_or_else(|| panic!("not multipart: {body}")),
    )
    .expect("hex");
    let boundary = String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("--"))
        .map(str::to_string)
        .expect("a boundary line");
    let parts = support::multipart_parts(&boundary, &bytes);
    let file = parts
        .iter()
        .find(|(name, _, _)| name == "files[0]")
        .unwrap_or_else(|| panic!("no files[0]"));
    assert_eq!(file.1.as_deref(), Some("cybercoin-24h.png"));
    let png = png::Decoder::new(std::io::Cursor::new(&file.2))
        .read_info()
        .expect("the upload decodes as a PNG");
    assert_eq!(png.info().width, allspark_discord::market::chart::WIDTH);
}

/// Through the gateway too, a posted dashboard is redrawn after the next tick as a channel
/// message edited with the bot token (the ids read from the edit that delivered it).
#[tokio::test(flavor = "multi_thread")]
async fn the_market_dashboard_through_the_gateway_is_redrawn_after_a_tick() {
    let interaction = support::slash(4247, 82, "cybercoin_market", &[]);
    let redrawn = |calls: &[(String, Value)]| {
        calls
            .iter()
            .any(|(path, _)| path.starts_with("PATCH channel"))
    };
    let (_, calls) = through_the_gateway_with(
        interaction,
        allspark_discord::http::DEFER_AFTER,
        None,
        Some(TickAfterEdit),
        Duration::from_secs(15),
        redrawn,
    )
    .await;
    let (path, body) = calls
        .iter()
        .find(|(path, _)| path.starts_with("PATCH channel"))
        .unwrap_or_else(|| panic!("no channel edit: {calls:?}"));
    assert_eq!(
        path,
        "PATCH channel 1300000000000000001/1500000000000000042"
    );
    assert_eq!(body["auth"], "Bot fake-token");
    let bytes = hex::decode(body["hex"].as_str().unwrap_or_default()).expect("hex");
    let boundary = String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("--"))
        .map(str::to_string)
        .expect("a boundary line");
    let parts = support::multipart_parts(&boundary, &bytes);
    let payload = parts
        .iter()
        .find(|(name, _, _)| name == "payload_json")
        .unwrap_or_else(|| panic!("no payload_json"));
    assert!(String::from_utf8_lossy(&payload.2).contains("#1"));
    let file = parts
        .iter()
        .find(|(name, _, _)| name == "files[0]")
        .unwrap_or_else(|| panic!("no files[0]"));
    png::Decoder::new(std::io::Cursor::new(&file.2))
        .read_info()
        .expect("the redrawn chart decodes as a PNG");
}
