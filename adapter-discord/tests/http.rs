//! The HTTP interactions endpoint end to end over loopback: signed requests from a fake
//! Discord, every reply checked against Discord's OpenAPI description and limits.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use allspark_discord::app::App;
use allspark_discord::http::{self, Endpoint};
use allspark_engine::testing::TestEngine;
use serde_json::{json, Value};
use support::*;

struct Server {
    url: String,
    client: reqwest::Client,
    next_id: u64,
    engine: TestEngine,
    live: Option<Arc<allspark_discord::live::Live>>,
}

async fn start(defer_after: Duration, api_base: String) -> Server {
    start_with(defer_after, api_base, false).await
}

async fn start_with(defer_after: Duration, api_base: String, live: bool) -> Server {
    start_live(defer_after, api_base, live, None).await
}

/// The endpoint, with live views if `live` (editing posted messages as the bot with
/// `bot_token` when given).
async fn start_live(
    defer_after: Duration,
    api_base: String,
    live: bool,
    bot_token: Option<&str>,
) -> Server {
    let engine = TestEngine::new();
    let live = live.then(|| {
        allspark_discord::live::Live::with_bot_token(
            App::new(engine.engine.clone()),
            reqwest::Client::new(),
            api_base.clone(),
            bot_token.map(str::to_string),
        )
    });
    let endpoint = Endpoint {
        app: App::new(engine.engine.clone()),
        public_key: signing_key().verifying_key(),
        operator: Some(999),
        api_base,
        defer_after,
        http: reqwest::Client::new(),
        live: live.clone(),
        tasks: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("address: {e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, http::router(endpoint)).await;
    });
    Server {
        url: format!("http://{address}/interactions"),
        client: reqwest::Client::new(),
        next_id: 1_000_000,
        engine,
        live,
    }
}

impl Server {
    async fn post_raw(&self, body: Vec<u8>, signature: Option<String>) -> (u16, String) {
        self.post_at("1767225600", body, signature).await
    }

    async fn post_at(
        &self,
        timestamp: &str,
        body: Vec<u8>,
        signature: Option<String>,
    ) -> (u16, String) {
        let mut request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-signature-timestamp", timestamp);
        if let Some(signature) = signature {
            request = request.header("x-signature-ed25519", signature);
        }
        let answer = request
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("request: {e}"));
        let status = answer.status().as_u16();
        (status, answer.text().await.unwrap_or_default())
    }

    async fn post(&self, payload: &Value) -> Value {
        let body = serde_json::to_vec(payload).unwrap_or_default();
        let (status, text) = self
            .post_raw(body.clone(), Some(sign("1767225600", &body)))
            .await;
        assert_eq!(status, 200, "{text}");
        let reply: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON: {e}: {text}"));
        check_callback(&reply);
        reply
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    async fn slash(&mut self, user: u64, name: &str, options: &[(&str, Value)]) -> Value {
        let id = self.id();
        self.post(&slash(id, user, name, options)).await
    }

    async fn press(&mut self, user: u64, custom_id: &str, values: &[&str]) -> Value {
        let id = self.id();
        self.post(&press(id, user, custom_id, values)).await
    }
}

fn text_of(reply: &Value) -> String {
    serde_json::to_string(&reply["data"]).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn signatures_are_required_and_checked() {
    let server = start(http::DEFER_AFTER, "http://127.0.0.1:9".into()).await;
    let body = serde_json::to_vec(&json!({ "type": 1 })).unwrap_or_default();
    assert_eq!(server.post_raw(body.clone(), None).await.0, 401);
    assert_eq!(
        server.post_raw(body.clone(), Some("00".repeat(64))).await.0,
        401
    );
    assert_eq!(
        server
            .post_raw(body.clone(), Some("not hex".into()))
            .await
            .0,
        401
    );
    let mut tampered = body.clone();
    tampered.push(b' ');
    assert_eq!(
        server
            .post_raw(tampered, Some(sign("1767225600", &body)))
            .await
            .0,
        401
    );
    let (status, text) = server
        .post_raw(body.clone(), Some(sign("1767225600", &body)))
        .await;
    assert_eq!((status, text.as_str()), (200, r#"{"type":1}"#));
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_and_oversized_bodies_are_refused() {
    let server = start(http::DEFER_AFTER, "http://127.0.0.1:9".into()).await;
    for body in [
        b"not json".to_vec(),
        br#"{"hello": "world"}"#.to_vec(),
        br#"{"type": 99, "id": "1", "member": {"user": {"id": "5"}}, "token": "t", "data": {}}"#
            .to_vec(),
    ] {
        let signature = sign("1767225600", &body);
        assert_eq!(server.post_raw(body, Some(signature)).await.0, 400);
    }
    let huge = vec![b' '; http::BODY_LIMIT_BYTES + 1];
    let signature = sign("1767225600", &huge);
    assert_eq!(server.post_raw(huge, Some(signature)).await.0, 413);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_game_over_http_adopt_train_battle_duel_and_slots() {
    let mut server = start(http::DEFER_AFTER, "http://127.0.0.1:9".into()).await;
    let (alice, bob) = (101u64, 202u64);
    let adopted = server
        .slash(alice, "get_pet", &[("faction", json!("decepticon"))])
        .await;
    assert!(text_of(&adopted).contains("your Decepticon"), "{adopted}");
    let trained = server
        .slash(alice, "train", &[("intensity", json!("average"))])
        .await;
    assert!(text_of(&trained).contains("Training"), "{trained}");

    // A solo battle, chosen from the selection view, fought to the end with the buttons.
    let kinds = server.slash(alice, "battle", &[]).await;
    let (kinds_id, first_kind) = components(&kinds).into_iter().next().unwrap_or_default();
    let list = server
        .press(
            alice,
            &kinds_id,
            &[first_kind.trim_start_matches("option:")],
        )
        .await;
    let (enemy_id, first_enemy) = components(&list).into_iter().next().unwrap_or_default();
    let mut view = server
        .press(
            alice,
            &enemy_id,
            &[first_enemy.trim_start_matches("option:")],
        )
        .await;
    for _ in 0..200 {
        let attack = components(&view)
            .into_iter()
            .find(|(id, _)| id.contains(":act:") && id.ends_with(":a:1"));
        let Some((attack, _)) = attack else { break };
        view = server.press(alice, &attack, &[]).await;
    }
    assert!(
        text_of(&view).contains("over"),
        "the solo battle should end: {view}"
    );

    // Bob can't press Alice's dashboard.
    let dashboard = server.slash(alice, "pet", &[]).await;
    let (train_id, _) = components(&dashboard)
        .into_iter()
        .find(|(_, label)| label == "Train")
        .unwrap_or_default();
    let refused = server.press(bob, &train_id, &[]).await;
    assert_eq!(refused["data"]["flags"], json!(64));

    // A duel: challenge, accept, both fight until it ends.
    server
        .slash(bob, "get_pet", &[("faction", json!("autobot"))])
        .await;
    let challenge = server
        .slash(alice, "pvp", &[("opponent", json!(bob.to_string()))])
        .await;
    let (accept, _) = components(&challenge)
        .into_iter()
        .find(|(_, label)| label == "Accept")
        .unwrap_or_default();
    let mut view = server.press(bob, &accept, &[]).await;
    assert!(text_of(&view).contains("duel battle"), "{view}");
    // Each player picks in their own private move picker; the shared message is refreshed.
    let find = |view: &serde_json::Value, part: &str| {
        components(view)
            .into_iter()
            .find(|(id, _)| id.contains(part))
            .map(|(id, _)| id)
    };
    let choose = find(&view, ":moves:").unwrap_or_default();
    let watch = find(&view, ":watch:").unwrap_or_default();
    for _ in 0..200 {
        let mut pressed = 0;
        for player in [alice, bob] {
            let picker = server.press(player, &choose, &[]).await;
            if let Some(attack) = find(&picker, ":a:") {
                server.press(player, &attack, &[]).await;
                pressed += 1;
            }
        }
        view = server.press(alice, &watch, &[]).await;
        if pressed == 0 || text_of(&view).contains("over") {
            break;
        }
    }
    assert!(
        text_of(&view).contains("over"),
        "the duel should end: {view}"
    );
    let stats = server.slash(bob, "battle_stats", &[]).await;
    assert!(text_of(&stats).contains("Battles"), "{stats}");

    let spun = server
        .slash(alice, "slots", &[("difficulty", json!("easy"))])
        .await;
    assert!(text_of(&spun).contains("Free spins pay nothing"), "{spun}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_interaction_delivered_twice_has_one_effect_and_the_same_reply() {
    let mut server = start(http::DEFER_AFTER, "http://127.0.0.1:9".into()).await;
    server
        .slash(5, "get_pet", &[("faction", json!("autobot"))])
        .await;
    let payload = slash(777, 5, "scout", &[]);
    let first = server.post(&payload).await;
    let second = server.post(&payload).await;
    assert_eq!(first, second);
    let rush = server.slash(5, "rush_info", &[]).await;
    let found: Vec<u64> = text_of(&first)
        .split("turned up ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .into_iter()
        .collect();
    assert_eq!(found.len(), 1, "{first}");
    assert!(
        text_of(&rush).contains(&format!("{}/10000", found[0])),
        "one scout counted: {rush}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_erases_a_player_through_a_user_select_delivered_twice() {
    let mut server = start(http::DEFER_AFTER, "http://127.0.0.1:9".into()).await;
    let (operator, dana) = (999u64, 12u64);
    server
        .slash(dana, "get_pet", &[("faction", json!("decepticon"))])
        .await;
    server
        .slash(
            operator,
            "grant",
            &[("user", json!(dana.to_string())), ("amount", json!(75))],
        )
        .await;
    let refused = server.slash(dana, "admin_clear", &[]).await;
    assert!(text_of(&refused).contains("Only the operator"), "{refused}");
    let picker = server.slash(operator, "admin_clear", &[]).await;
    let pick = picker["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Discord's shape for a user select: component_type 5, ids in `values`, users resolved.
    let id = server.id();
    let mut payload = press(id, operator, &pick, &[&dana.to_string()]);
    payload["data"]["component_type"] = json!(5);
    payload["data"]["resolved"] = json!({ "users": { dana.to_string(): {
        "id": dana.to_string(), "username": "dana", "discriminator": "0", "global_name": null, "avatar": null
    } } });
    let preview = server.post(&payload).await;
    assert!(
        text_of(&preview).contains("75 energon in the wallet"),
        "{preview}"
    );
    let erase = preview["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let press_payload = press(server.id(), operator, &erase, &[]);
    let first = server.post(&press_payload).await;
    let again = server.post(&press_payload).await;
    assert!(text_of(&first).contains("75 energon burned"), "{first}");
    assert_eq!(
        first, again,
        "a redelivered press erases once and answers the same"
    );
    let conserved = server
        .engine
        .engine
        .query(move |world| {
            world.energon().is_conserved()
                && !world.players().contains(allspark_engine::PlayerId(dana))
        })
        .await
        .unwrap_or(false);
    assert!(conserved);
}

/// A fake of Discord's REST API that records what finishing an interaction does: edits and
/// deletions of the original response, and follow-up messages. Each entry is
/// (`"<METHOD> <application>/<token>"`, body).
async fn fake_webhooks() -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    use axum::extract::Path;
    let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let record = |method: &'static str, store: Arc<Mutex<Vec<(String, Value)>>>| {
        move |Path((application, token)): Path<(String, String)>, body: axum::body::Bytes| {
            let store = store.clone();
            async move {
                let body: Value = recorded_body(&body);
                store
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((format!("{method} {application}/{token}"), body));
                axum::Json(json!({ "id": "1" }))
            }
        }
    };
    let fake = axum::Router::new()
        .route(
            "/webhooks/{application}/{token}/messages/@original",
            axum::routing::patch(record("PATCH", received.clone()))
                .delete(record("DELETE", received.clone())),
        )
        .route(
            "/webhooks/{application}/{token}",
            axum::routing::post(record("POST", received.clone())),
        );
    (serve_fake(fake).await, received)
}

/// A request body as the fake keeps it: its JSON, or for a multipart upload its
/// `payload_json` part with `"_files"`, how many files came with it.
fn recorded_body(bytes: &[u8]) -> Value {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return value;
    }
    let text = String::from_utf8_lossy(bytes);
    let Some(at) = text.find("name=\"payload_json\"") else {
        return Value::Null;
    };
    let rest = &text[at..];
    let json_part = rest
        .find("\r\n\r\n")
        .map(|start| &rest[start + 4..])
        .and_then(|part| part.find("\r\n--").map(|end| &part[..end]));
    let mut value: Value = json_part
        .and_then(|part| serde_json::from_str(part).ok())
        .unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("_files".into(), json!(text.matches("filename=").count()));
    }
    value
}

async fn wait_for(received: &Arc<Mutex<Vec<(String, Value)>>>, n: usize) -> Vec<(String, Value)> {
    for _ in 0..250 {
        if received.lock().unwrap_or_else(|p| p.into_inner()).len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    received.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Waits (up to five seconds) until one of the requests received from index `from` on
/// satisfies `wanted`, and returns everything received. Counting requests alone races
/// with a follower that edits more than once for one change.
async fn wait_until(
    received: &Arc<Mutex<Vec<(String, Value)>>>,
    from: usize,
    wanted: impl Fn(&(String, Value)) -> bool,
) -> Vec<(String, Value)> {
    for _ in 0..250 {
        let seen = received.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if seen.iter().skip(from).any(&wanted) {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    received.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_work_is_deferred_and_finished_with_a_follow_up() {
    let (base, received) = fake_webhooks().await;
    let mut server = start(Duration::ZERO, base).await;
    let deferred = server.slash(9, "help", &[]).await;
    assert_eq!(deferred, json!({ "type": 5 }));
    let received = wait_for(&received, 1).await;
    assert_eq!(received.len(), 1, "one follow-up");
    assert!(received[0]
        .0
        .starts_with("PATCH 1100000000000000001/token-"));
    assert!(received[0].1["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .contains("commands"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_posted_battle_view_follows_the_battle_when_the_timer_resolves_a_turn() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(http::DEFER_AFTER, base, true).await;
    server
        .slash(31, "get_pet", &[("faction", json!("decepticon"))])
        .await;
    let enemy = allspark_engine::content::get()
        .enemies
        .values()
        .min_by_key(|e| (e.attack, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_default();
    let view = server.slash(31, "battle", &[("enemy", json!(enemy))]).await;
    assert!(text_of(&view).contains("turn 1"), "{view}");
    // Nobody presses anything; the deadline passes and the timer worker times the turn out.
    server
        .engine
        .clock
        .advance_secs(allspark_engine::battle::tuning::TURN_DEADLINE_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&server.engine.engine).await,
        1
    );
    assert_eq!(
        allspark_discord::worker::timeouts(&server.engine.engine).await,
        0,
        "a second tick sends nothing new"
    );
    let edits = wait_for(&received, 1).await;
    let edit = edits
        .iter()
        .find(|(path, _)| path == "PATCH 1100000000000000001/token-1000002")
        .cloned();
    let Some((_, body)) = edit else {
        panic!("the battle message was not updated: {edits:?}")
    };
    support::check_callback(&json!({ "type": 7, "data": body.clone() }));
    assert!(body.to_string().contains("turn 2"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_sync_puts_the_registration_payload_to_the_api() {
    let received: Arc<Mutex<Vec<(String, String, Value)>>> = Arc::default();
    let store = received.clone();
    let fake = axum::Router::new().route(
        "/applications/{application}/guilds/{guild}/commands",
        axum::routing::put(
            move |axum::extract::Path((application, guild)): axum::extract::Path<(
                String,
                String,
            )>,
                  headers: axum::http::HeaderMap,
                  axum::Json(body): axum::Json<Value>| {
                let store = store.clone();
                async move {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    store.lock().unwrap_or_else(|p| p.into_inner()).push((
                        format!("{application}/{guild}"),
                        auth,
                        body.clone(),
                    ));
                    axum::Json(body)
                }
            },
        ),
    );
    let base = serve_fake(fake).await;
    let settings = allspark_discord::config::Discord {
        token: Some("secret-token".into()),
        application_id: Some(11),
        public_key: String::new(),
        owner: None,
        api_base: base,
    };
    let n = allspark_discord::config::sync_commands(&settings, Some(22))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let received = received.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, "11/22");
    assert_eq!(received[0].1, "Bot secret-token");
    assert_eq!(
        received[0].2,
        allspark_discord::commands::registration_payload()
    );
    assert_eq!(n, received[0].2.as_array().map_or(0, Vec::len));
}

/// Each kind of interaction is deferred the way Discord allows and finished the matching way.
#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_slow_answer_is_deferred_and_finished_as_discord_allows() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(Duration::ZERO, base, true).await;
    let calls = |from: usize, n: usize| {
        let received = received.clone();
        async move {
            let all = wait_for(&received, from + n).await;
            assert_eq!(all.len(), from + n, "{all:?}");
            all[from..].to_vec()
        }
    };
    let app = "1100000000000000001";
    // A slash command: "thinking", then the answer replaces it.
    assert_eq!(
        server
            .slash(41, "get_pet", &[("faction", json!("autobot"))])
            .await,
        json!({ "type": 5 })
    );
    let done = calls(0, 1).await;
    assert_eq!(done[0].0, format!("PATCH {app}/token-1000001"));
    // A private answer to a slash command: the public "thinking" goes, a private message comes.
    server.slash(41, "lobby", &[]).await;
    let done = calls(1, 2).await;
    assert_eq!(done[0].0, format!("DELETE {app}/token-1000002"));
    assert_eq!(done[1].0, format!("POST {app}/token-1000002"));
    assert_eq!(done[1].1["flags"], json!(64), "{:?}", done[1].1);
    assert!(done[1].1.to_string().contains("not waiting in a lobby"));
    // A battle started by a deferred command is followed live like any other.
    let enemy = allspark_engine::content::get()
        .enemies
        .values()
        .min_by_key(|e| (e.attack, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_default();
    server.slash(41, "battle", &[("enemy", json!(enemy))]).await;
    let started = calls(3, 1).await;
    assert_eq!(started[0].0, format!("PATCH {app}/token-1000003"));
    let watch = started[0].1["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .find(|id| id.starts_with("1:watch:"))
        .unwrap_or_else(|| panic!("no battle view: {:?}", started[0].1));
    server
        .engine
        .clock
        .advance_secs(allspark_engine::battle::tuning::TURN_DEADLINE_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&server.engine.engine).await,
        1
    );
    let live = calls(4, 1).await;
    assert_eq!(live[0].0, format!("PATCH {app}/token-1000003"));
    assert!(live[0].1.to_string().contains("turn 2"), "{:?}", live[0].1);
    // A press: nothing visible at first (type 6), then the pressed message is edited.
    assert_eq!(server.press(41, &watch, &[]).await, json!({ "type": 6 }));
    let pressed = calls(5, 1).await;
    assert_eq!(pressed[0].0, format!("PATCH {app}/token-1000004"));
    // A private refusal to a press on a public view doesn't overwrite the view.
    let care = "1:care:41:charge:q";
    server.press(42, care, &[]).await;
    let refused = calls(6, 1).await;
    assert_eq!(refused[0].0, format!("POST {app}/token-1000005"));
    assert_eq!(refused[0].1["flags"], json!(64));
    // Autocomplete can't be deferred: it is answered in the request, even at a zero threshold.
    let id = server.id();
    let suggestions = server
        .post(&interaction(
            4,
            id,
            41,
            json!({ "id": "1400000000000000001", "name": "battle", "type": 1,
                    "options": [{ "name": "enemy", "type": 3, "value": "", "focused": true }] }),
        ))
        .await;
    assert_eq!(suggestions["type"], json!(8));
    assert!(!suggestions["data"]["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .is_empty());
}

#[test]
fn a_form_that_comes_too_late_is_replaced_by_a_note_to_try_again() {
    use allspark_discord::http::{finish_plan, Deferral, Finish};
    use allspark_discord::reply::{Modal, Response};
    let modal = Response::Modal(Modal {
        custom_id: "1:rename:1".into(),
        title: "Rename".into(),
        inputs: Vec::new(),
    });
    let after_press = finish_plan(Deferral::Update, &modal);
    assert!(
        matches!(after_press.as_slice(), [Finish::FollowUp(body)]
            if body["flags"] == json!(64) && body.to_string().contains("press the button again")),
        "{after_press:?}"
    );
    let after_slash = finish_plan(Deferral::Message, &modal);
    assert!(
        matches!(after_slash.as_slice(), [Finish::DeleteOriginal, Finish::FollowUp(body)]
            if body.to_string().contains("run the command again")),
        "{after_slash:?}"
    );
}

/// Shutdown waits for a follow-up still being sent: the person gets their answer.
#[tokio::test(flavor = "multi_thread")]
async fn shutting_down_waits_for_follow_ups_in_flight() {
    // A slow fake Discord: each follow-up takes a moment to be accepted.
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let store = received.clone();
    let fake = axum::Router::new().route(
        "/webhooks/{application}/{token}/messages/@original",
        axum::routing::patch(move || {
            let store = store.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(400)).await;
                store
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push("edited".into());
                axum::Json(json!({ "id": "1" }))
            }
        }),
    );
    let fake_base = serve_fake(fake).await;
    let engine = TestEngine::new();
    let endpoint = Endpoint {
        app: App::new(engine.engine.clone()),
        public_key: signing_key().verifying_key(),
        operator: None,
        api_base: fake_base,
        defer_after: Duration::ZERO,
        http: reqwest::Client::new(),
        live: None,
        tasks: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(http::serve_on(endpoint, listener, async move {
        let _ = stopped.await;
    }));
    let body = serde_json::to_vec(&slash(7, 5, "help", &[])).unwrap_or_default();
    let answer = reqwest::Client::new()
        .post(format!("http://{address}/interactions"))
        .header("content-type", "application/json")
        .header("x-signature-timestamp", "1767225600")
        .header("x-signature-ed25519", sign("1767225600", &body))
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.text().await.unwrap_or_default(), r#"{"type":5}"#);
    let _ = stop.send(());
    let served = serving.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(served.is_ok(), "{served:?}");
    assert_eq!(
        received.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        vec!["edited".to_string()],
        "serve returned before the follow-up was sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_request_with_a_stale_future_or_malformed_timestamp_is_refused() {
    let server = start(http::DEFER_AFTER, "http://127.0.0.1:9".into()).await;
    let body = serde_json::to_vec(&json!({ "type": 1 })).unwrap_or_default();
    let now = 1_767_225_600i64; // the test engine's clock
    let tolerance = http::TIMESTAMP_TOLERANCE_SECS;
    for (timestamp, expected) in [
        (now.to_string(), 200),
        ((now - tolerance).to_string(), 200),
        ((now + tolerance).to_string(), 200),
        ((now - tolerance - 1).to_string(), 401),
        ((now - 86_400).to_string(), 401),
        ((now + tolerance + 1).to_string(), 401),
        ("0".to_string(), 401),
        ("99999999999999999999999".to_string(), 401),
        ("-1767225600".to_string(), 401),
        (" 1767225600".to_string(), 401),
        ("1767225600.5".to_string(), 401),
        ("soon".to_string(), 401),
    ] {
        let signature = sign(&timestamp, &body);
        let (status, text) = server
            .post_at(&timestamp, body.clone(), Some(signature))
            .await;
        assert_eq!(status, expected, "timestamp {timestamp:?}: {text}");
    }
    // A request signed a day ago is refused once the clock has moved on.
    let signature = sign("1767225600", &body);
    server.engine.clock.advance_secs(86_400);
    let (status, _) = server
        .post_at("1767225600", body.clone(), Some(signature))
        .await;
    assert_eq!(status, 401);
}

#[test]
fn path_segments_escape_everything_outside_the_unreserved_characters() {
    assert_eq!(http::path_segment("aZ09-._~"), "aZ09-._~");
    assert_eq!(http::path_segment("a/b?c#d%e"), "a%2Fb%3Fc%23d%25e");
    assert_eq!(http::path_segment("../x y"), "..%2Fx%20y");
    assert_eq!(http::path_segment("é"), "%C3%A9");
    assert_eq!(
        http::webhook_url("http://h/api/", "1", "t/k"),
        "http://h/api/webhooks/1/t%2Fk"
    );
}

/// An interaction token with `/`, `?`, `#` and `%` in it reaches Discord as itself, as one path
/// segment, both when finishing a deferred answer and when a live battle view is edited.
#[tokio::test(flavor = "multi_thread")]
async fn an_odd_interaction_token_stays_one_path_segment() {
    const ODD: &str = "to/ken?x=1#frag%2Fmore";
    let app = "1100000000000000001";
    let (base, received) = fake_webhooks().await;

    // A deferred answer, finished by editing the original response.
    let mut server = start(Duration::ZERO, base.clone()).await;
    let id = server.id();
    let mut payload = slash(id, 9, "help", &[]);
    payload["token"] = json!(ODD);
    assert_eq!(server.post(&payload).await, json!({ "type": 5 }));
    let finished = wait_for(&received, 1).await;
    assert_eq!(
        finished.first().map(|call| call.0.clone()),
        Some(format!("PATCH {app}/{ODD}"))
    );

    // A battle view kept live through the same token.
    let mut server = start_with(http::DEFER_AFTER, base, true).await;
    server
        .slash(31, "get_pet", &[("faction", json!("decepticon"))])
        .await;
    let enemy = allspark_engine::content::get()
        .enemies
        .values()
        .min_by_key(|e| (e.attack, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_default();
    let id = server.id();
    let mut payload = slash(id, 31, "battle", &[("enemy", json!(enemy))]);
    payload["token"] = json!(ODD);
    let view = server.post(&payload).await;
    assert!(text_of(&view).contains("turn 1"), "{view}");
    server
        .engine
        .clock
        .advance_secs(allspark_engine::battle::tuning::TURN_DEADLINE_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&server.engine.engine).await,
        1
    );
    let calls = wait_for(&received, 2).await;
    assert_eq!(
        calls.get(1).map(|call| call.0.clone()),
        Some(format!("PATCH {app}/{ODD}")),
        "{calls:?}"
    );
}

/// When the engine stops under the endpoint (here a failed append), serving ends with the
/// engine's state, which `allspark` turns into a non-zero exit.
#[tokio::test(flavor = "multi_thread")]
async fn the_endpoint_stops_when_the_engine_stops_under_it() {
    use allspark_engine::runtime::CoreState;
    use allspark_engine::testing::faults::{Fault, FaultyLog};

    let log = Arc::new(FaultyLog::new(Arc::new(allspark_engine::MemoryLog::new())));
    let engine = TestEngine::on_log(log.clone(), allspark_engine::EngineConfig::default());
    let endpoint = Endpoint {
        app: App::new(engine.engine.clone()),
        public_key: signing_key().verifying_key(),
        operator: None,
        api_base: "http://127.0.0.1:9".into(),
        defer_after: http::DEFER_AFTER,
        http: reqwest::Client::new(),
        live: None,
        tasks: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let guarded = engine.engine.clone();
    let serving = tokio::spawn(async move {
        allspark_discord::halt::unless_engine_stops(
            &guarded,
            http::serve_on(endpoint, listener, std::future::pending()),
        )
        .await
    });
    log.arm(Fault::FailFlush);
    let body = serde_json::to_vec(&slash(7, 5, "get_pet", &[("faction", json!("autobot"))]))
        .unwrap_or_default();
    let answer = reqwest::Client::new()
        .post(format!("http://{address}/interactions"))
        .header("content-type", "application/json")
        .header("x-signature-timestamp", "1767225600")
        .header("x-signature-ed25519", sign("1767225600", &body))
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status().as_u16(), 200);
    let served = tokio::time::timeout(Duration::from_secs(10), serving)
        .await
        .unwrap_or_else(|_| panic!("the endpoint went on serving after the engine stopped"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&served, Err(CoreState::Failed(reason)) if reason.contains("append failed")),
        "{served:?}"
    );
    let message = allspark_discord::halt::exit_error(&CoreState::Failed("x".into())).to_string();
    assert!(message.contains("restart"), "{message}");
}

/// Requests received: (method, content type, raw body).
type RawCalls = Arc<Mutex<Vec<(String, String, Vec<u8>)>>>;

/// A fake of Discord's webhooks that keeps each request's content type and raw body.
async fn fake_raw_webhooks() -> (String, RawCalls) {
    use axum::extract::Path;
    let received: RawCalls = Arc::default();
    let store = received.clone();
    let record = move |method: &'static str| {
        let store = store.clone();
        move |Path((_application, _token)): Path<(String, String)>,
              headers: axum::http::HeaderMap,
              body: axum::body::Bytes| {
            let store = store.clone();
            async move {
                let kind = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                store.lock().unwrap_or_else(|p| p.into_inner()).push((
                    method.to_string(),
                    kind,
                    body.to_vec(),
                ));
                axum::Json(json!({ "id": "1" }))
            }
        }
    };
    let fake = axum::Router::new()
        .route(
            "/webhooks/{application}/{token}/messages/@original",
            axum::routing::patch(record("PATCH")).delete(record("DELETE")),
        )
        .route(
            "/webhooks/{application}/{token}",
            axum::routing::post(record("POST")),
        );
    (serve_fake(fake).await, received)
}

/// The parts of a multipart body: (name, filename, bytes).
fn parts_of(content_type: &str, body: &[u8]) -> Vec<(String, Option<String>, Vec<u8>)> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap_or_else(|| panic!("no boundary in {content_type}"));
    let text = String::from_utf8_lossy(body).into_owned();
    let mut parts = Vec::new();
    for chunk in text.split(&format!("--{boundary}")) {
        let Some((head, content)) = chunk.split_once("\r\n\r\n") else {
            continue;
        };
        let field = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string)
        };
        let Some(name) = field("name") else { continue };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        parts.push((name, field("filename"), content.as_bytes().to_vec()));
    }
    parts
}

#[tokio::test(flavor = "multi_thread")]
async fn my_data_is_deferred_privately_and_delivered_as_a_multipart_upload() {
    let (base, received) = fake_raw_webhooks().await;
    let mut server = start(http::DEFER_AFTER, base).await;
    server
        .slash(61, "get_pet", &[("faction", json!("autobot"))])
        .await;
    // However fast, a reply with a file is never inline: a private "thinking" message first.
    let deferred = server.slash(61, "my_data", &[]).await;
    assert_eq!(deferred, json!({ "type": 5, "data": { "flags": 64 } }));
    let mut calls = Vec::new();
    for _ in 0..250 {
        calls = received.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if !calls.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(calls.len(), 1, "one edit of the private deferral");
    let (method, kind, body) = &calls[0];
    assert_eq!(method, "PATCH");
    assert!(kind.starts_with("multipart/form-data; boundary="), "{kind}");
    let parts = parts_of(kind, body);
    let payload = parts
        .iter()
        .find(|(name, _, _)| name == "payload_json")
        .unwrap_or_else(|| panic!("no payload_json in {parts:?}"));
    let payload: Value = serde_json::from_slice(&payload.2).expect("payload JSON");
    assert_eq!(payload["attachments"][0]["id"], "0");
    let filename = payload["attachments"][0]["filename"]
        .as_str()
        .expect("a filename")
        .to_string();
    let file = parts
        .iter()
        .find(|(name, _, _)| name == "files[0]")
        .unwrap_or_else(|| panic!("no files[0] in {parts:?}"));
    assert_eq!(file.1.as_deref(), Some(filename.as_str()));
    let data: Value = serde_json::from_slice(&file.2).expect("file JSON");
    assert_eq!(data["player"], "61");
    assert!(!data["events"].as_array().expect("events").is_empty());
}

/// A trade opened over HTTP is kept live: the other player's change (a form submitted on the
/// shared message) edits the opener's message too, and a second delivery of the same form
/// changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_trade_view_follows_the_other_players_changes_live() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(Duration::from_secs(30), base, true).await;
    server.slash(42, "help", &[]).await;
    server
        .slash(
            999,
            "grant",
            &[("user", json!("42")), ("amount", json!(300))],
        )
        .await;
    let opened = server.slash(41, "trade", &[("user", json!("42"))]).await;
    assert_eq!(opened["type"], json!(4), "{opened}");
    let opener_token = format!("token-{}", server.next_id);
    let form_id = components(&opened)
        .into_iter()
        .map(|(id, _)| id)
        .find(|id| id.starts_with("1:te:"))
        .unwrap_or_else(|| panic!("no Add energon: {opened}"));
    let id = server.id();
    let mut submit = interaction(
        5,
        id,
        42,
        json!({ "custom_id": form_id, "components": [
            { "type": 1, "components": [{ "type": 4, "custom_id": "amount", "value": "50" }] }
        ] }),
    );
    submit["message"] = json!({ "id": "1500000000000000001", "channel_id": "1300000000000000001", "content": "", "components": [] });
    let updated = server.post(&submit).await;
    assert_eq!(updated["type"], json!(7), "{updated}");
    assert!(text_of(&updated).contains("50 energon"));
    // The opener's message is edited from the trade's stream.
    let edits = wait_for(&received, 1).await;
    let app = "1100000000000000001";
    let edit = edits
        .iter()
        .find(|(call, _)| *call == format!("PATCH {app}/{opener_token}"))
        .unwrap_or_else(|| panic!("the opener's message was not edited: {edits:?}"));
    assert!(edit.1.to_string().contains("50 energon"), "{:?}", edit.1);
    // The same delivery again: the recorded outcome, still 50 on offer, not 100.
    let again = server.post(&submit).await;
    assert!(text_of(&again).contains("50 energon"), "{again}");
    assert!(!text_of(&again).contains("100 energon"), "{again}");
}

/// The parts of a multipart body, byte for byte (a PNG is not text): (name, filename, bytes).
fn binary_parts(content_type: &str, body: &[u8]) -> Vec<(String, Option<String>, Vec<u8>)> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap_or_else(|| panic!("no boundary in {content_type}"));
    support::multipart_parts(boundary, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_market_chart_is_deferred_then_uploaded_as_a_png_in_a_multipart_edit() {
    let (base, received) = fake_raw_webhooks().await;
    let mut server = start(http::DEFER_AFTER, base).await;
    let hour = Duration::from_secs(3_600);
    // The opening tick (the request signatures are checked against the engine's clock, so
    // this test does not move it).
    assert_eq!(
        allspark_discord::worker::market_ticks(&server.engine.engine, hour).await,
        1
    );
    // A reply with a file is never inline: a public "thinking" message first (Discord's
    // documented path; inline multipart answers to its POST are unreliable).
    let deferred = server.slash(62, "cybercoin_market", &[]).await;
    assert_eq!(deferred, json!({ "type": 5 }));
    let mut calls = Vec::new();
    for _ in 0..250 {
        calls = received.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if !calls.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(calls.len(), 1, "one edit of the deferral");
    let (method, kind, body) = &calls[0];
    assert_eq!(method, "PATCH");
    let parts = binary_parts(kind, body);
    let payload = parts
        .iter()
        .find(|(name, _, _)| name == "payload_json")
        .unwrap_or_else(|| panic!("no payload_json"));
    let payload: Value = serde_json::from_slice(&payload.2).expect("payload JSON");
    assert_eq!(payload["attachments"][0]["filename"], "cybercoin-24h.png");
    assert_eq!(
        payload["embeds"][0]["image"]["url"],
        "attachment://cybercoin-24h.png"
    );
    let file = parts
        .iter()
        .find(|(name, _, _)| name == "files[0]")
        .unwrap_or_else(|| panic!("no files[0]"));
    assert_eq!(file.1.as_deref(), Some("cybercoin-24h.png"));
    let png = png::Decoder::new(std::io::Cursor::new(&file.2))
        .read_info()
        .expect("the upload decodes as a PNG");
    assert_eq!(
        (png.info().width, png.info().height),
        (
            allspark_discord::market::chart::WIDTH,
            allspark_discord::market::chart::HEIGHT
        )
    );
}

/// Requests a fake Discord received: (method and path, `Authorization`, content type, body).
type Received = Arc<Mutex<Vec<(String, String, String, Vec<u8>)>>>;

/// A fake of Discord's message edits: the interaction's original (which answers with the
/// posted message's ids, as Discord does) and channel messages (answered `channel_status`).
async fn fake_message_edits(channel_status: u16) -> (String, Received) {
    use axum::extract::OriginalUri;
    let received: Received = Arc::default();
    let record = {
        let received = received.clone();
        move |status: u16| {
            let received = received.clone();
            move |uri: OriginalUri, headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let received = received.clone();
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string()
                    };
                    received.lock().unwrap_or_else(|p| p.into_inner()).push((
                        format!("PATCH {}", uri.path()),
                        header("authorization"),
                        header("content-type"),
                        body.to_vec(),
                    ));
                    let status = axum::http::StatusCode::from_u16(status)
                        .unwrap_or(axum::http::StatusCode::OK);
                    let posted = json!({
                        "id": "1500000000000000077",
                        "channel_id": "1300000000000000001"
                    });
                    (status, axum::Json(posted))
                }
            }
        }
    };
    let fake = axum::Router::new()
        .route(
            "/webhooks/{application}/{token}/messages/@original",
            axum::routing::patch(record(200)),
        )
        .route(
            "/channels/{channel}/messages/{message}",
            axum::routing::patch(record(channel_status)),
        );
    (serve_fake(fake).await, received)
}

/// The calls received so far whose method and path start with `prefix`, once at least `n`
/// have arrived (or after five seconds).
async fn calls_to(
    received: &Received,
    prefix: &str,
    n: usize,
) -> Vec<(String, String, String, Vec<u8>)> {
    let matching = || {
        received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|call| call.0.starts_with(prefix))
            .cloned()
            .collect::<Vec<_>>()
    };
    for _ in 0..250 {
        if matching().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    matching()
}

/// Waits until the live views keep `n` market dashboards (the registration follows the edit
/// that delivered the dashboard, so a tick sent before it would not be followed).
async fn kept(server: &Server, n: usize) {
    let live = server.live.clone().unwrap_or_else(|| panic!("live views"));
    for _ in 0..250 {
        if live.n_markets() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} dashboards kept, not {n}", live.n_markets());
}

/// The payload JSON and the PNG of a multipart edit.
fn payload_and_png(content_type: &str, body: &[u8]) -> (Value, Vec<u8>) {
    let parts = binary_parts(content_type, body);
    let part = |name: &str| {
        parts
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, bytes)| bytes.clone())
            .unwrap_or_else(|| panic!("no {name} in the upload"))
    };
    let payload = serde_json::from_slice(&part("payload_json")).expect("payload JSON");
    (payload, part("files[0]"))
}

/// A posted market dashboard is redrawn after each tick, chart and all, as a channel message
/// edited with the bot token (the interaction token would have expired by the hourly tick):
/// a multipart upload whose PNG decodes, showing the new tick; a catch-up of several ticks
/// ends on the latest one.
#[tokio::test(flavor = "multi_thread")]
async fn a_posted_market_dashboard_is_redrawn_after_each_tick_as_the_bot() {
    let (base, received) = fake_message_edits(200).await;
    let mut server = start_live(http::DEFER_AFTER, base, true, Some("bot-secret")).await;
    let hour = Duration::from_secs(3_600);
    let engine = server.engine.engine.clone();
    assert_eq!(
        allspark_discord::worker::market_ticks(&engine, hour).await,
        1
    );
    let deferred = server.slash(63, "cybercoin_market", &[]).await;
    assert_eq!(deferred, json!({ "type": 5 }));
    let delivered = calls_to(&received, "PATCH /webhooks/", 1).await;
    assert_eq!(
        delivered.len(),
        1,
        "the deferral was edited into the dashboard"
    );
    kept(&server, 1).await;
    assert!(calls_to(&received, "PATCH /channels/", 0).await.is_empty());

    // The next tick: the message is edited in its channel, as the bot.
    server.engine.clock.advance_secs(3_600);
    assert_eq!(
        allspark_discord::worker::market_ticks(&engine, hour).await,
        1
    );
    let edits = calls_to(&received, "PATCH /channels/", 1).await;
    assert_eq!(
        edits.len(),
        1,
        "one redraw for one tick: {:?}",
        edits.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    let (path, auth, kind, body) = &edits[0];
    assert_eq!(
        path,
        "PATCH /channels/1300000000000000001/messages/1500000000000000077"
    );
    assert_eq!(auth, "Bot bot-secret");
    let (payload, png) = payload_and_png(kind, body);
    assert_eq!(payload["attachments"][0]["filename"], "cybercoin-24h.png");
    assert!(payload.to_string().contains("#1"), "{payload}");
    let decoded = png::Decoder::new(std::io::Cursor::new(&png))
        .read_info()
        .expect("the redrawn chart decodes as a PNG");
    assert_eq!(decoded.info().width, allspark_discord::market::chart::WIDTH);
    // Nothing to show without a tick.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(calls_to(&received, "PATCH /channels/", 0).await.len(), 1);

    // Downtime: a catch-up of four ticks; the message ends on the latest.
    server.engine.clock.advance_secs(4 * 3_600);
    assert_eq!(
        allspark_discord::worker::market_ticks(&engine, hour).await,
        4
    );
    let mut last = Value::Null;
    for _ in 0..250 {
        let edits = calls_to(&received, "PATCH /channels/", 2).await;
        let (_, _, kind, body) = &edits[edits.len() - 1];
        last = payload_and_png(kind, body).0;
        if last.to_string().contains("#5") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(last.to_string().contains("#5"), "{last}");
    assert_eq!(server.live.as_ref().map(|live| live.n_markets()), Some(1));
}

/// A dashboard Discord says is gone (deleted by a moderator: 404) is let go after the edit
/// that found out, and nothing more is sent for it.
#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_market_dashboard_is_let_go() {
    let (base, received) = fake_message_edits(404).await;
    let mut server = start_live(http::DEFER_AFTER, base, true, Some("bot-secret")).await;
    let hour = Duration::from_secs(3_600);
    let engine = server.engine.engine.clone();
    allspark_discord::worker::market_ticks(&engine, hour).await;
    server.slash(64, "cybercoin_market", &[]).await;
    calls_to(&received, "PATCH /webhooks/", 1).await;
    kept(&server, 1).await;
    let live = server.live.clone().unwrap_or_else(|| panic!("live views"));
    server.engine.clock.advance_secs(3_600);
    allspark_discord::worker::market_ticks(&engine, hour).await;
    assert_eq!(calls_to(&received, "PATCH /channels/", 1).await.len(), 1);
    // The next tick finds it gone: no second edit, and it is no longer kept.
    server.engine.clock.advance_secs(3_600);
    allspark_discord::worker::market_ticks(&engine, hour).await;
    for _ in 0..250 {
        if live.n_markets() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(live.n_markets(), 0);
    assert_eq!(calls_to(&received, "PATCH /channels/", 0).await.len(), 1);
}

/// Without a bot token, a posted dashboard is redrawn through its interaction token (while
/// that lives).
#[tokio::test(flavor = "multi_thread")]
async fn without_a_bot_token_the_dashboard_is_redrawn_through_its_interaction() {
    let (base, received) = fake_message_edits(200).await;
    let mut server = start_live(http::DEFER_AFTER, base, true, None).await;
    let hour = Duration::from_secs(3_600);
    let engine = server.engine.engine.clone();
    allspark_discord::worker::market_ticks(&engine, hour).await;
    server.slash(65, "cybercoin_market", &[]).await;
    calls_to(&received, "PATCH /webhooks/", 1).await;
    kept(&server, 1).await;
    // The next tick (the interaction token, timed by the wall clock, still lives).
    server.engine.clock.advance_secs(3_600);
    allspark_discord::worker::market_ticks(&engine, hour).await;
    let edits = calls_to(&received, "PATCH /webhooks/", 2).await;
    assert_eq!(edits.len(), 2);
    assert!(edits[1].1.is_empty(), "no bot token is sent");
    let (payload, _) = payload_and_png(&edits[1].2, &edits[1].3);
    assert!(payload.to_string().contains("#1"), "{payload}");
    assert!(calls_to(&received, "PATCH /channels/", 0).await.is_empty());
}

/// The shooting range over the endpoint: `/range` answers with its countdown; the countdown
/// runs in the posted message (a frame a second, then the first round, recorded as shown when
/// it ends); a press answers with the next round in place, its reaction timed from the
/// round's showing to the press's own snowflake, not to when the endpoint read it.
#[tokio::test(flavor = "multi_thread")]
async fn the_range_countdown_runs_in_the_posted_message_and_presses_are_timed_by_their_ids() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(http::DEFER_AFTER, base, true).await;
    let reply = server.slash(51, "range", &[("rounds", json!("5"))]).await;
    assert_eq!(reply["type"], json!(4), "{reply}");
    assert!(text_of(&reply).contains("Targets in **3**"), "{reply}");
    let edits = wait_for(&received, 3).await;
    assert_eq!(edits.len(), 3, "{edits:?}");
    let app = "1100000000000000001";
    for (edit, frame) in edits.iter().zip(["2…", "1…"]) {
        assert_eq!(edit.0, format!("PATCH {app}/token-1000001"));
        assert!(edit.1.to_string().contains(frame), "{:?}", edit.1);
    }
    let round = &edits[2].1;
    assert!(round.to_string().contains("Round 1/5"), "{round}");
    let buttons: Vec<(String, String)> = round["components"][0]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            (
                b["label"].as_str().unwrap_or_default().to_string(),
                b["custom_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(buttons.len(), 5, "{round}");
    let target = buttons
        .iter()
        .find(|(label, _)| label == "🎯")
        .map(|(_, id)| id.clone())
        .unwrap_or_else(|| panic!("no target in {round}"));
    assert_eq!(
        buttons.iter().filter(|(label, _)| label == "🎯").count(),
        1,
        "one target"
    );

    // The round showed at the engine's now; the press's id says it was made 400 ms later,
    // and it reaches the endpoint a second after the round showed.
    let shown = server.engine.engine.now().0;
    server.engine.clock.advance_secs(1);
    let made = shown + 400;
    let snowflake = u64::try_from(made - 1_420_070_400_000).unwrap_or(0) << 22;
    let pressed = server.post(&press(snowflake, 51, &target, &[])).await;
    assert_eq!(pressed["type"], json!(7), "{pressed}");
    let text = text_of(&pressed);
    assert!(text.contains("Round 2/5"), "{text}");
    assert!(text.contains("hit in 400 ms"), "{text}");
    // The same round pressed again: only the first press counts; the round showing comes back.
    let again = server.press(51, &target, &[]).await;
    assert!(text_of(&again).contains("Round 2/5"), "{again}");
    assert!(text_of(&again).contains("hits 1"), "{again}");
    // Someone else's buttons are not theirs to press.
    let other = server.press(52, &target, &[]).await;
    assert_eq!(other["data"]["flags"], json!(64), "{other}");
}

/// A posted trivia question is kept live: when time runs out (the worker's timeout), the
/// message is edited to the next question without anyone pressing.
#[tokio::test(flavor = "multi_thread")]
async fn a_posted_trivia_question_moves_on_when_time_runs_out() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(http::DEFER_AFTER, base, true).await;
    let first = server
        .slash(
            61,
            "trivia",
            &[("category", json!("screen")), ("questions", json!(3))],
        )
        .await;
    assert_eq!(first["type"], json!(4), "{first}");
    assert!(text_of(&first).contains("question 1/3"), "{first}");
    server
        .engine
        .clock
        .advance_secs(allspark_engine::fun::TRIVIA_QUESTION_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&server.engine.engine).await,
        1
    );
    // The timeout and the next question are one batch; the follower may draw after each.
    let edits = wait_for(&received, 1).await;
    assert!(!edits.is_empty() && edits.len() <= 2, "{edits:?}");
    for (url, body) in &edits {
        assert_eq!(url, "PATCH 1100000000000000001/token-1000001");
        let edited = body.to_string();
        assert!(edited.contains("question 2/3"), "{edited}");
        assert!(edited.contains("Nobody got it"), "{edited}");
    }
}

/// A posted combiner team follows its stream: another player's press, made on another copy
/// of the view, shows up in the posted message, and so does the team running out of time.
#[tokio::test(flavor = "multi_thread")]
async fn a_posted_combiner_team_follows_every_press_and_its_expiry() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(http::DEFER_AFTER, base, true).await;
    for player in [71, 72] {
        server
            .slash(player, "get_pet", &[("faction", json!("autobot"))])
            .await;
    }
    let posted = server.slash(71, "combiner", &[]).await;
    assert!(text_of(&posted).contains("Combiner team #1"), "{posted}");
    let pressed = server.press(72, "1:cb:1:body", &[]).await;
    assert_eq!(pressed["type"], json!(7), "{pressed}");
    let posted_token = "PATCH 1100000000000000001/token-1000003";
    let press_shown = |(url, body): &(String, Value)| {
        url == posted_token && body.to_string().contains("<@72>'s pet")
    };
    let edits = wait_until(&received, 0, press_shown).await;
    assert!(edits.iter().any(press_shown), "{edits:?}");
    let before = edits.len();
    server
        .engine
        .clock
        .advance_secs(allspark_engine::fun::combiner::COMBINER_OPEN_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&server.engine.engine).await,
        1
    );
    let expiry_shown = |(url, body): &(String, Value)| {
        url == posted_token && body.to_string().contains("is no more")
    };
    let edits = wait_until(&received, before, expiry_shown).await;
    assert!(edits[before..].iter().any(expiry_shown), "{edits:?}");
}

/// A posted Cybertron Games lobby follows its stream: someone joining from another copy of
/// the view shows up in the posted message.
#[tokio::test(flavor = "multi_thread")]
async fn a_posted_cybertron_games_lobby_follows_joins() {
    let (base, received) = fake_webhooks().await;
    let mut server = start_with(http::DEFER_AFTER, base, true).await;
    let posted = server
        .slash(81, "cybertron_games", &[("size", json!(10))])
        .await;
    assert!(text_of(&posted).contains("the lobby"), "{posted}");
    let joined = server.press(82, "1:cg:1:join", &[]).await;
    assert_eq!(joined["type"], json!(7), "{joined}");
    let edits = wait_for(&received, 1).await;
    assert!(
        edits.iter().any(
            |(url, body)| url == "PATCH 1100000000000000001/token-1000001"
                && body.to_string().contains("<@82>")
        ),
        "{edits:?}"
    );
    // Once it starts (pressed on another copy), the posted message is edited with the arena's
    // map uploaded beside it.
    let before = edits.len();
    // A view with a file is deferred over HTTP (type 6) and uploaded by the follow-up.
    let started = server.press(81, "1:cg:1:start", &[]).await;
    assert_eq!(started["type"], json!(6), "{started}");
    let with_map = |(url, body): &(String, Value)| {
        url == "PATCH 1100000000000000001/token-1000001"
            && body["_files"] == json!(1)
            && body
                .to_string()
                .contains("attachment://cybertron-games-1-round-0.png")
    };
    let edits = wait_until(&received, before, with_map).await;
    assert!(edits[before..].iter().any(with_map), "{edits:?}");
}
