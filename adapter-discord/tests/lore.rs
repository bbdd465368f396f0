//! Issue 17 through the adapter, from Discord's own payloads: a server's lore (the form, the
//! message command "Add message to lore" and its interaction, the list with its search and
//! picker, a random entry, the numbers, Delete with its permission and confirmation, refusals
//! in a DM), the quiz's roles (mapping with Manage Roles, the roles a quiz must never give,
//! the role worker against a local fake of Discord's REST), `/user_says` (opt-in, counts only,
//! opting out deletes them; on a connection without message text it explains), and the same
//! game in the console. Every reply is checked against Discord's OpenAPI description and the
//! views are pinned (insta).
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test adapter lore::`, then review the diff.

use crate::support;

use std::sync::{Arc, Mutex};

use allspark_engine::social::{self, SocialEvent, KEY_WORD_COUNTS};
use allspark_engine::{Event, PlayerId, Snowflake};
use serde_json::{json, Value};
use support::{components, first_component, interaction, press, slash, Table};

const GUILD: u64 = 1_200_000_000_000_000_001;
const CHANNEL: u64 = 1_300_000_000_000_000_001;
const MANAGE_MESSAGES: &str = "8192";
const MANAGE_ROLES: &str = "268435456";

fn with_permissions(mut payload: Value, permissions: &str) -> Value {
    payload["member"]["permissions"] = json!(permissions);
    payload
}

fn in_dm(mut payload: Value) -> Value {
    let user = payload["member"]["user"].clone();
    let object = payload.as_object_mut().expect("an object");
    for key in ["guild_id", "member", "channel", "guild_locale"] {
        object.remove(key);
    }
    object.insert("user".into(), user);
    object.insert("context".into(), json!(1));
    payload
}

fn submit(id: u64, user: u64, custom_id: &str, fields: &[(&str, &str)]) -> Value {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(id, value)| {
            json!({ "type": 1, "components": [{ "type": 4, "custom_id": id, "value": value }] })
        })
        .collect();
    interaction(
        5,
        id,
        user,
        json!({ "custom_id": custom_id, "components": rows }),
    )
}

/// The message command on a message `message` by `author` saying `content`.
fn quote_payload(id: u64, user: u64, message: u64, author: u64, bot: bool, content: &str) -> Value {
    let target = message.to_string();
    interaction(
        2,
        id,
        user,
        json!({
            "id": "1400000000000000099",
            "name": "Add message to lore",
            "type": 3,
            "target_id": target,
            "resolved": { "messages": { target.clone(): {
                "id": target,
                "channel_id": CHANNEL.to_string(),
                "author": { "id": author.to_string(), "username": format!("player{author}"), "discriminator": "0", "global_name": null, "avatar": null, "bot": bot, "public_flags": 0 },
                "content": content,
                "timestamp": "2026-01-02T00:00:00.000000+00:00",
                "edited_timestamp": null,
                "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
                "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 0, "components": []
            } } }
        }),
    )
}

fn title(body: &Value) -> String {
    body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn text_of(body: &Value) -> String {
    body.to_string()
}

fn refused(body: &Value) -> bool {
    body["data"]["flags"] == 64 && body["data"]["embeds"].as_array().is_none_or(Vec::is_empty)
}

#[tokio::test(flavor = "multi_thread")]
async fn lore_is_kept_quoted_listed_and_deleted_per_server() {
    let mut table = Table::new();
    let (alice, bob, cara) = (101u64, 202u64, 303u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    macro_rules! golden {
        ($name:expr, $body:expr) => {{
            let body = $body;
            goldens.push(($name, body.clone()));
            body
        }};
    }
    // /add_lore opens the form; submitting it keeps entry #1.
    let form = golden!(
        "lore_form",
        table.payload(&slash(1, alice, "add_lore", &[])).await
    );
    assert_eq!(form["type"], 9, "{form}");
    let form_id = form["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let kept = golden!(
        "lore_kept",
        table
            .payload(&submit(
                2,
                alice,
                &form_id,
                &[
                    ("title", "  The Bridge Lamp "),
                    (
                        "text",
                        "The lamp on the bridge came back on\nand nobody knows who fixed it."
                    )
                ],
            ))
            .await
    );
    assert!(title(&kept).contains("#1 · The Bridge Lamp"), "{kept}");
    // The same title in other spacing and case is taken.
    let again = table
        .payload(&submit(
            3,
            alice,
            &form_id,
            &[("title", "the bridge   LAMP"), ("text", "x")],
        ))
        .await;
    assert!(refused(&again) && text_of(&again).contains("#1"), "{again}");
    // Someone else's form is not theirs to submit.
    let foreign = table
        .payload(&submit(
            4,
            bob,
            &form_id,
            &[("title", "Mine"), ("text", "x")],
        ))
        .await;
    assert!(refused(&foreign), "{foreign}");
    // Quoting a message keeps its words under whoever wrote them, titled with its first words.
    let quoted = golden!(
        "lore_quoted",
        table
            .payload(&quote_payload(
                5,
                bob,
                1_600_000_000_000_000_001,
                cara,
                false,
                "Never trust a toaster that hums the Decepticon anthem."
            ))
            .await
    );
    assert!(
        title(&quoted).contains("#2 · Never trust a toaster"),
        "{quoted}"
    );
    assert!(
        text_of(&quoted).contains(&format!("<@{cara}> in <#{CHANNEL}>")),
        "{quoted}"
    );
    let key = social::lore_key(Snowflake(GUILD), 2, social::LorePart::Text);
    assert_eq!(
        table
            .app
            .engine
            .personal_text(PlayerId(cara), &key)
            .expect("read")
            .as_deref(),
        Some("Never trust a toaster that hums the Decepticon anthem.")
    );
    // The same message again, a bot's message, an empty one: refused, nothing kept.
    for payload in [
        quote_payload(
            6,
            alice,
            1_600_000_000_000_000_001,
            cara,
            false,
            "Never trust a toaster that hums the Decepticon anthem.",
        ),
        quote_payload(7, alice, 1_600_000_000_000_000_002, 555, true, "I am a bot"),
        quote_payload(8, alice, 1_600_000_000_000_000_003, cara, false, "   "),
    ] {
        let body = table.payload(&payload).await;
        assert!(refused(&body), "{body}");
    }
    // A message whose first words are a taken title gets a number.
    let twin = table
        .payload(&quote_payload(
            9,
            bob,
            1_600_000_000_000_000_004,
            alice,
            false,
            "The Bridge Lamp",
        ))
        .await;
    assert!(title(&twin).contains("#3 · The Bridge Lamp (2)"), "{twin}");
    // The list, newest first, a search, and the picker.
    let list = golden!(
        "lore_list",
        table.payload(&slash(10, bob, "view_lore", &[])).await
    );
    let listed = text_of(&list);
    let (at3, at1) = (listed.find("**#3**"), listed.find("**#1**"));
    assert!(at3 < at1 && at1.is_some(), "{list}");
    let search = table
        .payload(&slash(
            11,
            bob,
            "view_lore",
            &[("search", json!("toaster!"))],
        ))
        .await;
    assert!(
        text_of(&search).contains("**#2**") && !text_of(&search).contains("**#1**"),
        "{search}"
    );
    let nothing = table
        .payload(&slash(12, bob, "view_lore", &[("search", json!("quasar"))]))
        .await;
    assert!(text_of(&nothing).contains("No title matches"), "{nothing}");
    let (picker, _) = components(&list)
        .into_iter()
        .find(|(id, _)| id.starts_with("1:lpick:"))
        .unwrap_or_else(|| panic!("no picker in {list}"));
    let opened = table.payload(&press(13, bob, &picker, &["1"])).await;
    assert!(title(&opened).contains("#1 · The Bridge Lamp"), "{opened}");
    let random = table.payload(&slash(14, bob, "random_lore", &[])).await;
    assert!(title(&random).contains("📜 #"), "{random}");
    let stats = golden!(
        "lore_stats",
        table.payload(&slash(15, bob, "lore_stats", &[])).await
    );
    assert!(text_of(&stats).contains("**3** entries"), "{stats}");
    assert!(
        text_of(&stats).contains(&format!("1. <@{bob}>: 2 entries")),
        "{stats}"
    );
    // Delete: a member who neither kept nor is quoted in it, without Manage Messages, may not.
    let (delete, _) = first_component(&kept, "Delete");
    let denied = table
        .payload(&with_permissions(press(16, bob, &delete, &[]), "0"))
        .await;
    assert!(refused(&denied), "{denied}");
    // A moderator may: asked first (privately), then done; the words go with it.
    let ask = golden!(
        "lore_delete_ask",
        table
            .payload(&with_permissions(
                press(17, bob, &delete, &[]),
                MANAGE_MESSAGES
            ))
            .await
    );
    let (confirm, _) = first_component(&ask, "Delete #1");
    let not_theirs = table.payload(&press(18, cara, &confirm, &[])).await;
    assert!(refused(&not_theirs), "{not_theirs}");
    let done = table
        .payload(&with_permissions(
            press(19, bob, &confirm, &[]),
            MANAGE_MESSAGES,
        ))
        .await;
    assert!(text_of(&done).contains("#1 is deleted"), "{done}");
    let title_key = social::lore_key(Snowflake(GUILD), 1, social::LorePart::Title);
    assert_eq!(
        table
            .app
            .engine
            .personal_text(PlayerId(alice), &title_key)
            .expect("read"),
        None
    );
    // Whoever an entry quotes may delete it without any permission.
    let (delete2, _) = first_component(&quoted, "Delete");
    let ask2 = table
        .payload(&with_permissions(press(20, cara, &delete2, &[]), "0"))
        .await;
    let (confirm2, _) = first_component(&ask2, "Delete #2");
    let done2 = table
        .payload(&with_permissions(press(21, cara, &confirm2, &[]), "0"))
        .await;
    assert!(text_of(&done2).contains("#2 is deleted"), "{done2}");
    // Lore belongs to a server: in a DM every lore command says so.
    for payload in [
        slash(22, alice, "add_lore", &[]),
        slash(23, alice, "view_lore", &[]),
        slash(24, alice, "random_lore", &[]),
        slash(25, alice, "lore_stats", &[]),
    ] {
        let body = table.payload(&in_dm(payload)).await;
        assert!(text_of(&body).contains("belongs to a server"), "{body}");
    }
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// What the fake of Discord's REST was asked: (method, path, authorization).
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

async fn fake_discord(status: u16) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let log = log.clone();
        async move {
            let auth = request
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            log.lock().expect("lock").push((
                request.method().to_string(),
                request.uri().path().to_string(),
                auth,
            ));
            let status = axum::http::StatusCode::from_u16(status).expect("status");
            (
                status,
                if status.is_success() {
                    ""
                } else {
                    r#"{"message": "Missing Permissions", "code": 50013}"#
                },
            )
        }
    });
    (support::serve_fake(router).await, seen)
}

fn settings(api_base: String) -> allspark_discord::config::Discord {
    allspark_discord::config::Discord {
        token: Some("bot-token".into()),
        application_id: Some(1_100_000_000_000_000_001),
        public_key: String::new(),
        owner: None,
        api_base,
    }
}

/// Takes the quiz through its buttons in the server; the last press's body.
async fn take_quiz(table: &mut Table, first_id: u64, user: u64) -> Value {
    let mut body = table.payload(&slash(first_id, user, "analysis", &[])).await;
    for n in 0..5u64 {
        let (answer, _) = components(&body)
            .into_iter()
            .find(|(id, _)| id.starts_with("1:qz:"))
            .unwrap_or_else(|| panic!("no answer in {body}"));
        body = table
            .payload(&press(first_id + 1 + n, user, &answer, &[]))
            .await;
    }
    body
}

/// Waits (without asserting on time) until the role worker has settled every request.
async fn settled(table: &Table) {
    for _ in 0..500 {
        let pending = table
            .app
            .engine
            .query(social::view::pending_role_requests)
            .await
            .expect("query");
        if pending.is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the role worker never settled the request");
}

fn role_option(role: u64, permissions: &str, managed: bool) -> Value {
    let mut payload = slash(
        1,
        7,
        "analysis_roles",
        &[
            ("faction", json!("autobot")),
            ("role", json!(role.to_string())),
        ],
    );
    payload["data"]["options"][1]["type"] = json!(8);
    payload["data"]["resolved"] = json!({ "roles": { role.to_string(): {
        "id": role.to_string(), "name": "Autobots", "color": 0, "hoist": false, "position": 1,
        "permissions": permissions, "managed": managed, "mentionable": false, "flags": 0
    } } });
    payload
}

fn with_id(mut payload: Value, id: u64, user: u64) -> Value {
    payload["id"] = json!(id.to_string());
    payload["member"]["user"]["id"] = json!(user.to_string());
    payload
}

#[tokio::test(flavor = "multi_thread")]
async fn quiz_roles_are_mapped_safely_and_given_by_the_worker() {
    let (base, seen) = fake_discord(204).await;
    let mut table = Table::new();
    table.app = table.app.clone().with_discord(settings(base));
    let (admin, member) = (7u64, 8u64);
    // Mapping needs Manage Roles.
    let denied = table
        .payload(&with_permissions(
            with_id(role_option(500, "0", false), 1, member),
            "0",
        ))
        .await;
    assert!(text_of(&denied).contains("Manage Roles"), "{denied}");
    // A role that grants anything, a managed role and @everyone are never a quiz's to give.
    for (payload, why) in [
        (role_option(501, "8", false), "grants permissions"),
        (role_option(502, "0", true), "managed"),
        (role_option(GUILD, "0", false), "@everyone"),
    ] {
        let body = table
            .payload(&with_permissions(with_id(payload, 2, admin), MANAGE_ROLES))
            .await;
        assert!(text_of(&body).contains(why), "{body}");
    }
    let mut mapped = Value::Null;
    for (n, (faction, role)) in [("autobot", 600u64), ("decepticon", 601), ("maverick", 602)]
        .iter()
        .enumerate()
    {
        let mut payload = role_option(*role, "0", false);
        payload["data"]["options"][0]["value"] = json!(faction);
        mapped = table
            .payload(&with_permissions(
                with_id(payload, 10 + n as u64, admin),
                MANAGE_ROLES,
            ))
            .await;
    }
    insta::assert_json_snapshot!("lore_quiz_roles", mapped);
    assert!(text_of(&mapped).contains("<@&602>"), "{mapped}");
    // A quiz in the server asks for its role; the worker gives it and takes the others away.
    let result = take_quiz(&mut table, 100, member).await;
    assert!(text_of(&result).contains("it's on its way"), "{result}");
    settled(&table).await;
    let calls = seen.lock().expect("lock").clone();
    let puts: Vec<&(String, String, String)> = calls.iter().filter(|c| c.0 == "PUT").collect();
    let deletes = calls.iter().filter(|c| c.0 == "DELETE").count();
    assert_eq!((puts.len(), deletes), (1, 2), "{calls:?}");
    assert!(
        puts[0]
            .1
            .starts_with(&format!("/guilds/{GUILD}/members/{member}/roles/60")),
        "{calls:?}"
    );
    assert!(calls.iter().all(|c| c.2 == "Bot bot-token"), "{calls:?}");
    let granted: Vec<bool> = table
        .engine
        .engine
        .log()
        .read_all(1, usize::MAX)
        .expect("read")
        .into_iter()
        .filter_map(|e| match e.event {
            Event::Social(SocialEvent::QuizRoleSettled { granted, .. }) => Some(granted),
            _ => None,
        })
        .collect();
    assert_eq!(granted, vec![true]);
    // In a DM the quiz asks for no role.
    let before = seen.lock().expect("lock").len();
    let mut body = table
        .payload(&in_dm(slash(200, member, "analysis", &[])))
        .await;
    for n in 0..5u64 {
        let (answer, _) = components(&body)
            .into_iter()
            .find(|(id, _)| id.starts_with("1:qz:"))
            .unwrap_or_else(|| panic!("no answer in {body}"));
        body = table
            .payload(&in_dm(press(201 + n, member, &answer, &[])))
            .await;
    }
    assert!(!text_of(&body).contains("on its way"), "{body}");
    assert_eq!(seen.lock().expect("lock").len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_discord_refuses_is_settled_with_its_reason() {
    let (base, _seen) = fake_discord(403).await;
    let mut table = Table::new();
    table.app = table.app.clone().with_discord(settings(base));
    for (n, (faction, role)) in [("autobot", 600u64), ("decepticon", 601), ("maverick", 602)]
        .iter()
        .enumerate()
    {
        let mut payload = role_option(*role, "0", false);
        payload["data"]["options"][0]["value"] = json!(faction);
        let body = table
            .payload(&with_permissions(
                with_id(payload, 1 + n as u64, 7),
                MANAGE_ROLES,
            ))
            .await;
        assert!(text_of(&body).contains(&format!("<@&{role}>")), "{body}");
    }
    take_quiz(&mut table, 100, 20).await;
    settled(&table).await;
    let reason = table
        .engine
        .engine
        .log()
        .read_all(1, usize::MAX)
        .expect("read")
        .into_iter()
        .find_map(|e| match e.event {
            Event::Social(SocialEvent::QuizRoleSettled {
                granted: false,
                reason,
                ..
            }) => reason,
            _ => None,
        });
    let reason = reason.unwrap_or_else(|| panic!("no refused grant was recorded"));
    assert!(
        reason.contains("403") && reason.contains("Missing Permissions"),
        "{reason}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn user_says_counts_only_opted_in_words_and_forgets_them_on_opt_out() {
    // Over the HTTP endpoint (no message text) the command explains what it needs.
    let mut http = Table::new();
    let explained = http.payload(&slash(1, 5, "user_says", &[])).await;
    assert!(
        text_of(&explained).contains("Message Content"),
        "{explained}"
    );
    let start = http
        .payload(&slash(2, 5, "user_says", &[("counting", json!("start"))]))
        .await;
    assert!(refused(&start), "{start}");

    let mut table = Table::new();
    table.app = table.app.clone().with_word_counting();
    let words = table.app.words.clone().expect("counting");
    let (alice, bob) = (5u64, 6u64);
    // Before opting in nothing is kept.
    words.note(alice, "energon energon wrench");
    assert_eq!(words.flush(&table.app.engine).await, 0);
    let on = table
        .payload(&slash(
            3,
            alice,
            "user_says",
            &[("counting", json!("start"))],
        ))
        .await;
    assert!(text_of(&on).contains("never your messages"), "{on}");
    for message in [
        "Energon for everyone! https://example.com/energon <@123> the the the",
        "More energon, more wrenches, more wrench jokes",
        "wrench wrench spark",
    ] {
        words.note(alice, message);
    }
    words.note(bob, "bob never opted in");
    assert_eq!(words.flush(&table.app.engine).await, 1);
    let counts = table
        .app
        .engine
        .personal_text(PlayerId(alice), KEY_WORD_COUNTS)
        .expect("read")
        .unwrap_or_default();
    assert!(counts.starts_with("wrench 3\nenergon 2\n"), "{counts}");
    assert!(
        !counts.contains("https") && !counts.contains("123") && !counts.contains("the "),
        "{counts}"
    );
    assert_eq!(
        table
            .app
            .engine
            .personal_text(PlayerId(bob), KEY_WORD_COUNTS)
            .expect("read"),
        None
    );
    let says = table
        .payload(&slash(
            4,
            bob,
            "user_says",
            &[("user", json!(alice.to_string()))],
        ))
        .await;
    insta::assert_json_snapshot!("lore_user_says", says);
    assert!(
        text_of(&says).contains("**energon**") && text_of(&says).contains("**wrench**"),
        "{says}"
    );
    let bobs = table
        .payload(&slash(
            5,
            alice,
            "user_says",
            &[("user", json!(bob.to_string()))],
        ))
        .await;
    assert!(
        text_of(&bobs).contains("hasn't turned word counting on"),
        "{bobs}"
    );
    // Opting out deletes the counts and stops counting.
    let off = table
        .payload(&slash(
            6,
            alice,
            "user_says",
            &[("counting", json!("stop"))],
        ))
        .await;
    assert!(text_of(&off).contains("deleted"), "{off}");
    assert_eq!(
        table
            .app
            .engine
            .personal_text(PlayerId(alice), KEY_WORD_COUNTS)
            .expect("read"),
        None
    );
    words.note(alice, "energon again");
    assert_eq!(words.flush(&table.app.engine).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_keeps_lore_quotes_messages_and_counts_words() {
    use allspark_discord::console::Console;
    let engine = allspark_engine::testing::TestEngine::new();
    let mut console = Console::new(allspark_discord::app::App::new(engine.engine.clone()));
    let form = console.line("/add_lore").await;
    assert!(form.contains("[form: Add to this server's lore]"), "{form}");
    let kept = console
        .line("submit title:\"First Light\" text:\"The lamp came back on.\"")
        .await;
    assert!(kept.contains("#1 · First Light"), "{kept}");
    console.line("as 2").await;
    let said = console
        .line("say Bumblebee's radio played one song all week")
        .await;
    assert!(said.contains("message 1 from player 2"), "{said}");
    console.line("as 3").await;
    let quoted = console.line("quote 1").await;
    assert!(
        quoted.contains("#2 · Bumblebee's radio played one song all week"),
        "{quoted}"
    );
    let none = console.line("quote 9").await;
    assert!(none.contains("no message `9`"), "{none}");
    let list = console.line("/view_lore").await;
    assert!(list.contains("#2") && list.contains("#1"), "{list}");
    let on = console.line("/user_says counting:start").await;
    assert!(on.contains("count the words"), "{on}");
    for line in [
        "say sparkplug sparkplug gears",
        "say gears sparkplug oil",
        "say oil",
    ] {
        console.line(line).await;
    }
    let says = console.line("/user_says").await;
    assert!(
        says.contains("**sparkplug**") && says.contains("**gears**") && says.contains("**oil**"),
        "{says}"
    );
    let stats = console.line("/lore_stats").await;
    assert!(stats.contains("2") && stats.contains("entries"), "{stats}");
}
