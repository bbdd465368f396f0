//! `/sync_commands [guild]` (issue 21): reads what Discord has registered, registers the table
//! and lists what changed; tested against a fake of Discord's REST on loopback.

use crate::support;

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use support::{serve_fake, Table};

#[derive(Clone, Default)]
struct Fake {
    registered: Arc<Mutex<Value>>,
    puts: Arc<Mutex<Vec<(String, String, Value)>>>,
    refuse: bool,
}

async fn list(State(fake): State<Fake>) -> (StatusCode, Json<Value>) {
    if fake.refuse {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"message": "oops"})),
        );
    }
    let registered = fake
        .registered
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default();
    (StatusCode::OK, Json(registered))
}

async fn put(
    State(fake): State<Fake>,
    Path(path): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Ok(mut puts) = fake.puts.lock() {
        puts.push((path, auth, body.clone()));
    }
    if let Ok(mut registered) = fake.registered.lock() {
        *registered = as_discord_returns(&body);
    }
    Json(body)
}

/// The table as Discord gives it back: ids and versions added, permissions as strings,
/// `required: false` left out.
fn as_discord_returns(payload: &Value) -> Value {
    let mut list = payload.as_array().cloned().unwrap_or_default();
    for (n, command) in list.iter_mut().enumerate() {
        command["id"] = json!(format!("{}", 1_000 + n));
        command["application_id"] = json!("77");
        command["version"] = json!("1");
        command["default_member_permissions"] = match command.get("default_member_permissions") {
            Some(Value::Number(bits)) => json!(bits.to_string()),
            _ => Value::Null,
        };
        if let Some(Value::Array(options)) = command.get_mut("options") {
            for option in options {
                if option["required"] == json!(false) {
                    if let Some(map) = option.as_object_mut() {
                        map.remove("required");
                    }
                }
            }
        }
    }
    Value::Array(list)
}

async fn fake_discord(fake: Fake) -> String {
    let router = Router::new()
        .route("/applications/77/{*path}", get(list).put(put))
        .with_state(fake);
    serve_fake(router).await
}

fn settings(base: String) -> allspark_discord::config::Discord {
    allspark_discord::config::Discord {
        token: Some("tok".into()),
        application_id: Some(77),
        public_key: String::new(),
        owner: Some(999),
        api_base: base,
    }
}

fn field<'a>(body: &'a Value, starts: &str) -> (&'a str, &'a str) {
    body["data"]["embeds"][0]["fields"]
        .as_array()
        .and_then(|fields| {
            fields
                .iter()
                .find(|f| f["name"].as_str().is_some_and(|n| n.starts_with(starts)))
        })
        .map(|f| {
            (
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or(""),
            )
        })
        .unwrap_or_else(|| panic!("no field {starts} in {body}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_registers_the_table_and_lists_what_changed() {
    let payload = allspark_discord::commands::registration_payload();
    let mut before = as_discord_returns(&payload);
    if let Value::Array(list) = &mut before {
        list.retain(|c| c["name"] != "help");
        for command in list.iter_mut() {
            if command["name"] == "bank" {
                command["description"] = json!("an older description");
            }
        }
        list.push(json!({"id": "9", "name": "old_command", "description": "gone", "type": 1}));
    }
    let fake = Fake {
        registered: Arc::new(Mutex::new(before)),
        ..Fake::default()
    };
    let base = fake_discord(fake.clone()).await;
    let mut table = Table::new();
    table.app = table.app.clone().with_discord(settings(base));

    let refused = table.slash(3, "sync_commands").await;
    assert!(
        refused.to_string().contains("Only the operator"),
        "{refused}"
    );
    let bad = table.slash(999, "sync_commands guild:abc").await;
    assert!(bad.to_string().contains("a server id"), "{bad}");
    assert!(
        fake.puts.lock().map(|p| p.is_empty()).unwrap_or(false),
        "nothing sent yet"
    );

    let synced = table.slash(999, "sync_commands").await;
    assert_eq!(
        synced["data"]["embeds"][0]["title"],
        "Commands registered everywhere"
    );
    assert_eq!(field(&synced, "Added"), ("Added (1)", "/help"));
    assert_eq!(field(&synced, "Changed"), ("Changed (1)", "/bank"));
    assert_eq!(field(&synced, "Removed"), ("Removed (1)", "/old_command"));
    let total = payload.as_array().map_or(0, Vec::len);
    assert_eq!(field(&synced, "Unchanged").1, (total - 2).to_string());
    {
        let puts = fake.puts.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(puts.len(), 1);
        let (path, auth, body) = &puts[0];
        assert_eq!(path, "commands");
        assert_eq!(auth, "Bot tok");
        assert_eq!(body, &payload, "the whole table is registered");
    }

    // Again, in a guild: Discord now has exactly the table, so nothing changed (its own
    // spellings of the same commands count as the same).
    let again = table.slash(999, "sync_commands guild:123").await;
    assert_eq!(
        again["data"]["embeds"][0]["title"],
        "Commands registered in server 123"
    );
    assert_eq!(field(&again, "Added").0, "Added (0)");
    assert_eq!(field(&again, "Changed").0, "Changed (0)");
    assert_eq!(field(&again, "Removed").0, "Removed (0)");
    assert_eq!(field(&again, "Unchanged").1, total.to_string());
    let puts = fake.puts.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(
        puts.get(1).map(|p| p.0.as_str()),
        Some("guilds/123/commands")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_from_discord_registers_nothing_and_says_so() {
    let fake = Fake {
        refuse: true,
        ..Fake::default()
    };
    let base = fake_discord(fake.clone()).await;
    let mut table = Table::new();
    table.app = table.app.clone().with_discord(settings(base));
    let refused = table.slash(999, "sync_commands").await;
    assert!(
        refused.to_string().contains("Nothing was registered"),
        "{refused}"
    );
    assert!(refused.to_string().contains("500"), "{refused}");
    assert!(fake.puts.lock().map(|p| p.is_empty()).unwrap_or(false));

    // Without Discord's settings (the console) it says what to run instead.
    let mut console = Table::new();
    let refused = console.slash(999, "sync_commands").await;
    assert!(
        refused.to_string().contains("allspark commands sync"),
        "{refused}"
    );
}
