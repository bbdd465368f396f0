//! Test support: Discord-shaped payloads, signed requests, and checks of every reply against
//! Discord's own OpenAPI description and its documented limits.

#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use allspark_discord::app::App;
use allspark_discord::invocation::{Invocation, Kind};
use allspark_discord::reply::Response;
use allspark_engine::testing::TestEngine;
use allspark_engine::CommandId;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

/// The key the tests sign with; the endpoint under test is given its public half.
pub fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

pub fn sign(timestamp: &str, body: &[u8]) -> String {
    let mut message = timestamp.as_bytes().to_vec();
    message.extend_from_slice(body);
    hex::encode(signing_key().sign(&message).to_bytes())
}

fn member(user: u64) -> Value {
    json!({
        "user": { "id": user.to_string(), "username": format!("player{user}"), "discriminator": "0", "global_name": null, "avatar": null, "public_flags": 0 },
        "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0,
        "pending": false, "permissions": "2248473465835073", "nick": null, "avatar": null, "premium_since": null, "communication_disabled_until": null
    })
}

/// A full, current-shape interaction payload of `kind` with `data`.
pub fn interaction(kind: u64, id: u64, user: u64, data: Value) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": "1100000000000000001",
        "type": kind,
        "data": data,
        "guild_id": "1200000000000000001",
        "channel_id": "1300000000000000001",
        "channel": { "id": "1300000000000000001", "type": 0, "guild_id": "1200000000000000001", "name": "battles" },
        "member": member(user),
        "token": format!("token-{id}"),
        "version": 1,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": { "0": "1200000000000000001" },
        "context": 0,
        "attachment_size_limit": 10485760
    })
}

/// A slash command with string-valued options (as Discord sends them, typed).
pub fn slash(id: u64, user: u64, name: &str, options: &[(&str, Value)]) -> Value {
    let options: Vec<Value> = options
        .iter()
        .map(|(name, value)| {
            let kind = match value {
                Value::Number(_) => 4,
                _ if name == &"opponent" || name == &"user" || name == &"to" => 6,
                _ => 3,
            };
            json!({ "name": name, "type": kind, "value": value })
        })
        .collect();
    interaction(
        2,
        id,
        user,
        json!({ "id": "1400000000000000001", "name": name, "type": 1, "options": options }),
    )
}

pub fn press(id: u64, user: u64, custom_id: &str, values: &[&str]) -> Value {
    let mut data =
        json!({ "custom_id": custom_id, "component_type": if values.is_empty() { 2 } else { 3 } });
    if !values.is_empty() {
        data["values"] = json!(values);
    }
    let mut payload = interaction(3, id, user, data);
    payload["message"] = json!({ "id": "1500000000000000001", "channel_id": "1300000000000000001", "content": "", "components": [] });
    payload
}

/// The JSON Schema validator for interaction callback bodies, from Discord's OpenAPI file.
pub fn callback_validator() -> Arc<jsonschema::Validator> {
    static VALIDATOR: OnceLock<Arc<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schemas/discord/openapi.json"
            );
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
            let mut doc: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("openapi.json: {e}"));
            let body = doc["paths"]["/interactions/{interaction_id}/{interaction_token}/callback"]
                ["post"]["requestBody"]["content"]["application/json"]["schema"]
                .clone();
            doc["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
            doc["anyOf"] = body["anyOf"].clone();
            Arc::new(jsonschema::validator_for(&doc).unwrap_or_else(|e| panic!("schema: {e}")))
        })
        .clone()
}

/// The validator for the command registration payload (PUT .../commands).
pub fn commands_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schemas/discord/openapi.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("openapi.json: {e}"));
    let body = doc["paths"]["/applications/{application_id}/commands"]["put"]["requestBody"]
        ["content"]["application/json"]["schema"]
        .clone();
    doc["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    for (key, value) in body.as_object().cloned().unwrap_or_default() {
        doc[key] = value;
    }
    jsonschema::validator_for(&doc).unwrap_or_else(|e| panic!("schema: {e}"))
}

/// Fails with every problem if a callback body breaks Discord's schema or limits.
pub fn check_callback(body: &Value) {
    let validator = callback_validator();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "reply breaks Discord's schema:\n{}\n{body:#}",
        errors.join("\n")
    );
    let data = &body["data"];
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    if let Some(embeds) = data["embeds"].as_array() {
        assert!(embeds.len() <= 10);
        // Discord's 6,000 characters are for the whole message: every embed's title,
        // description, field names and values, footer text and author name together.
        let mut message_total = 0;
        for embed in embeds {
            let fields = embed["fields"].as_array().cloned().unwrap_or_default();
            assert!(fields.len() <= 25, "{} fields", fields.len());
            assert!(chars(&embed["title"]) <= 256);
            assert!(chars(&embed["description"]) <= 4_096);
            assert!(chars(&embed["footer"]["text"]) <= 2_048);
            assert!(chars(&embed["author"]["name"]) <= 256);
            let mut total = chars(&embed["title"])
                + chars(&embed["description"])
                + chars(&embed["footer"]["text"])
                + chars(&embed["author"]["name"]);
            for field in &fields {
                assert!(
                    chars(&field["name"]) <= 256 && chars(&field["value"]) <= 1_024,
                    "{field}"
                );
                assert!(chars(&field["value"]) > 0, "empty field value: {field}");
                total += chars(&field["name"]) + chars(&field["value"]);
            }
            assert!(total <= 6_000, "embed has {total} characters");
            message_total += total;
        }
        assert!(
            message_total <= 6_000,
            "the message's embeds have {message_total} characters together (at most 6,000)"
        );
    }
    if let Some(rows) = data["components"].as_array() {
        assert!(rows.len() <= 5, "{} rows", rows.len());
        // Discord refuses a message (or modal) in which two components share a custom_id.
        let mut seen = std::collections::BTreeSet::new();
        for row in rows {
            let components = row["components"].as_array().cloned().unwrap_or_default();
            assert!(!components.is_empty() && components.len() <= 5, "{row}");
            for component in components {
                if component["style"] == 5 {
                    // A link button: a URL Discord opens, and no custom_id.
                    let url = component["url"].as_str().unwrap_or("");
                    assert!(
                        (url.starts_with("https://") || url.starts_with("http://"))
                            && url.chars().count() <= 512
                            && component.get("custom_id").is_none(),
                        "link button {component}"
                    );
                    continue;
                }
                let id = component["custom_id"].as_str().unwrap_or("");
                assert!(
                    !id.is_empty() && id.chars().count() <= 100,
                    "custom_id {id}"
                );
                assert!(
                    seen.insert(id.to_string()),
                    "custom_id {id} appears twice in one message"
                );
                if let Some(options) = component["options"].as_array() {
                    assert!(!options.is_empty() && options.len() <= 25);
                }
                if let Some(label) = component["label"].as_str() {
                    assert!(label.chars().count() <= 80);
                }
            }
        }
    }
    if let Some(choices) = data["choices"].as_array() {
        assert!(choices.len() <= 25);
    }
}

/// Every component custom_id in a callback body, in order, with labels.
pub fn components(body: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for row in body["data"]["components"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        for component in row["components"].as_array().cloned().unwrap_or_default() {
            let id = component["custom_id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if let Some(options) = component["options"].as_array() {
                for option in options {
                    found.push((
                        id.clone(),
                        format!("option:{}", option["value"].as_str().unwrap_or_default()),
                    ));
                }
            } else if component["disabled"].as_bool() != Some(true) {
                found.push((
                    id,
                    component["label"].as_str().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    found
}

/// The app on an in-memory engine, driven as Discord would drive it; every reply is checked
/// against Discord's description before it is returned.
pub struct Table {
    pub app: App,
    pub engine: TestEngine,
    next_id: u128,
}

impl Table {
    pub fn new() -> Table {
        Table::on(TestEngine::new())
    }

    /// The table on a given test engine (to read its log afterwards).
    #[allow(dead_code)]
    pub fn on(engine: TestEngine) -> Table {
        Table {
            app: App::new(engine.engine.clone()),
            engine,
            next_id: 10,
        }
    }

    /// The table with `teller` as its storyteller (a model stub, say).
    #[allow(dead_code)]
    pub fn with_storyteller(
        mut self,
        teller: std::sync::Arc<dyn allspark_discord::rpg::story::Storyteller>,
    ) -> Table {
        self.app = self
            .app
            .clone()
            .with_narrator(allspark_discord::rpg::story::Narrator::new(teller));
        self
    }

    /// Every event the table's engine has logged, in order.
    #[allow(dead_code)]
    pub fn logged(&self) -> Vec<allspark_engine::Event> {
        self.engine
            .engine
            .log()
            .read_all(1, usize::MAX)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|e| e.event)
            .collect()
    }

    pub async fn send(&mut self, user: u64, kind: Kind) -> Value {
        self.next_id += 1;
        let response: Response = self
            .app
            .handle(Invocation {
                id: CommandId(self.next_id),
                user,
                operator: user == 999,
                roles: Vec::new(),
                place: Default::default(),
                kind,
            })
            .await;
        let body = response.to_discord();
        check_callback(&body);
        body
    }

    /// A full interaction payload, read as the HTTP endpoint and the gateway read it (so its
    /// server, channel, permissions and resolved objects reach the app), then handled.
    #[allow(dead_code)]
    pub async fn payload(&mut self, payload: &Value) -> Value {
        let incoming =
            allspark_discord::interaction::parse(payload.to_string().as_bytes(), Some(999))
                .unwrap_or_else(|e| panic!("{e}"));
        let allspark_discord::interaction::Incoming::Invocation { invocation, .. } = incoming
        else {
            panic!("not an invocation: {payload}");
        };
        let body = self.app.handle(*invocation).await.to_discord();
        check_callback(&body);
        body
    }

    pub async fn slash(&mut self, user: u64, line: &str) -> Value {
        let (name, options) =
            allspark_discord::console::parse_options(line).unwrap_or_else(|e| panic!("{e}"));
        self.send(user, Kind::Slash { name, options }).await
    }

    pub async fn press(&mut self, user: u64, custom_id: &str, values: &[&str]) -> Value {
        self.send(
            user,
            Kind::Press {
                custom_id: custom_id.into(),
                values: values.iter().map(|v| v.to_string()).collect(),
            },
        )
        .await
    }
}

pub fn first_component(body: &Value, label: &str) -> (String, String) {
    components(body)
        .into_iter()
        .find(|(_, l)| l.starts_with(label))
        .unwrap_or_else(|| panic!("no `{label}` in {body}"))
}

/// Serves `router` on a fresh loopback port (a fake of some part of Discord); its base URL.
pub async fn serve_fake(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

/// The parts of a multipart body split on `boundary`, byte for byte: (name, filename, bytes).
#[allow(dead_code)]
pub fn multipart_parts(boundary: &str, body: &[u8]) -> Vec<(String, Option<String>, Vec<u8>)> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(at) = find(rest, &delimiter) {
        rest = &rest[at + delimiter.len()..];
        let Some(head_end) = find(rest, b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        let content = &rest[head_end + 4..];
        let end = find(content, &delimiter).unwrap_or(content.len());
        let content = content[..end]
            .strip_suffix(b"\r\n")
            .unwrap_or(&content[..end]);
        let field = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string)
        };
        if let Some(name) = field("name") {
            parts.push((name, field("filename"), content.to_vec()));
        }
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The web pages over `app` on a fresh loopback port; their base URL.
#[allow(dead_code)]
pub async fn serve_web(app: App, limits: allspark_discord::web::Limits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(allspark_discord::web::serve_on(
        app,
        listener,
        limits,
        std::future::pending(),
    ));
    format!("http://{address}")
}

/// A solo battle for `user` (who has a pet) against the first enemy offered; its id and view.
#[allow(dead_code)]
pub async fn solo_battle(
    table: &mut Table,
    user: u64,
) -> (allspark_engine::battle::BattleId, Value) {
    let kinds = table.slash(user, "battle").await;
    let (kinds_id, kind) = first_component(&kinds, "option:");
    let enemies = table
        .press(user, &kinds_id, &[kind.trim_start_matches("option:")])
        .await;
    let (enemy_id, enemy) = first_component(&enemies, "option:");
    let view = table
        .press(user, &enemy_id, &[enemy.trim_start_matches("option:")])
        .await;
    let player = allspark_engine::PlayerId(user);
    let battle = table
        .app
        .engine
        .query(move |w| allspark_engine::battle::view::battle_of(w, player))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no battle started: {view}"));
    (battle, view)
}

/// Plays one turn of `user`'s battle (an attack on the first target) from its latest view;
/// the next view.
#[allow(dead_code)]
pub async fn attack(table: &mut Table, user: u64, view: &Value) -> Value {
    let (attack, _) = components(view)
        .into_iter()
        .find(|(id, _)| id.ends_with(":a:1"))
        .unwrap_or_else(|| panic!("no attack in {view}"));
    table.press(user, &attack, &[]).await
}

/// Attacks until `user`'s battle is over; its last view.
#[allow(dead_code)]
pub async fn fight_to_the_end(table: &mut Table, user: u64, mut view: Value) -> Value {
    let player = allspark_engine::PlayerId(user);
    for _ in 0..500 {
        let fighting = table
            .app
            .engine
            .query(move |w| allspark_engine::battle::view::battle_of(w, player))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if fighting.is_none() {
            return view;
        }
        view = attack(table, user, &view).await;
    }
    panic!("the battle did not end in 500 turns")
}
