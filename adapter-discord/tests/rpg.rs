//! The RPG through the adapter: characters made, viewed, equipped and deleted in two steps; a
//! party formed, joined and started; a challenge taken on by the first press, a story voted,
//! a battle fought through the battle view; names filled into the storyteller's words and never
//! into the log; the chat-completion storyteller against a loopback stub (success, 429 then
//! success, a timeout, garbage, an over-long answer, a refused quota). Every reply pinned
//! (insta) and checked against Discord's OpenAPI description by the table.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test adapter rpg::`, then review the diff.

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use allspark_discord::rpg::story::{ChatModel, ModelSettings, Offline, Storyteller};
use allspark_engine::rpg::{self, AdventureKind, Brief, NarrationSource, SegmentPlan};
use serde_json::{json, Value};
use support::{components, first_component, serve_fake, Table};

fn text_of(body: &Value) -> String {
    body["data"].to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn characters_and_a_challenge_adventure_through_the_adapter() {
    let mut table = Table::new();
    let (alice, bob) = (1u64, 2u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    macro_rules! golden {
        ($name:expr, $body:expr) => {{
            let body = $body;
            goldens.push(($name, body.clone()));
            body
        }};
    }
    golden!("rpg_info", table.slash(alice, "cyber_info").await);
    golden!(
        "rpg_no_characters",
        table.slash(alice, "character_view").await
    );
    golden!(
        "rpg_party_without_a_character",
        table.slash(alice, "cyber_event").await
    );
    let made = golden!(
        "rpg_character_new",
        table
            .slash(
                alice,
                "character_new name:Ironclad faction:autobot class:warrior"
            )
            .await
    );
    assert!(text_of(&made).contains("Ironclad"), "{made}");
    golden!(
        "rpg_character_bad_name",
        table
            .slash(
                alice,
                "character_new name:<@everyone> faction:autobot class:warrior"
            )
            .await
    );
    table
        .slash(
            bob,
            "character_new name:Sable faction:decepticon class:medic",
        )
        .await;
    golden!(
        "rpg_character_view",
        table.slash(alice, "character_view").await
    );
    golden!(
        "rpg_equip_unowned",
        table
            .slash(alice, "equip character:1 item:weapon.nothing")
            .await
    );
    // The party: alice forms it, bob joins by the button, alice starts.
    let party = golden!("rpg_party", table.slash(alice, "cyber_event").await);
    let (join, _) = first_component(&party, "Join");
    let joined = golden!("rpg_party_joined", table.press(bob, &join, &[]).await);
    assert!(text_of(&joined).contains("Sable"), "{joined}");
    let (start, _) = first_component(&joined, "Start");
    golden!("rpg_start_not_creator", table.press(bob, &start, &[]).await);
    let segment = golden!("rpg_challenge", table.press(alice, &start, &[]).await);
    // The storyteller already spoke (offline), with the party's names filled in.
    let words = segment["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!words.contains("setting the scene"), "{words}");
    assert!(
        !words.contains("{party}") && !words.contains("{lead}"),
        "{words}"
    );
    // The first approach pressed is the party's; a second is answered with the adventure as
    // it stands.
    let (int, _) = first_component(&segment, "INT");
    let rolled = golden!("rpg_challenge_rolled", table.press(bob, &int, &[]).await);
    assert!(text_of(&rolled).contains("d20"), "{rolled}");
    let again = table.press(alice, &int, &[]).await;
    assert_eq!(again["type"], json!(7), "{again}");
    // Names never reach the log: the storyteller's words hold placeholders.
    let log = table
        .engine
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    let logged = format!("{:?}", log);
    assert!(!logged.contains("Ironclad") && !logged.contains("Sable"));
    assert!(log.iter().any(|e| matches!(
        &e.event,
        allspark_engine::Event::Rpg(rpg::RpgEvent::Narrated {
            source: NarrationSource::Offline,
            ..
        })
    )));
    // Deleting takes two steps: Keep it keeps it, Delete it deletes it.
    let ask = golden!(
        "rpg_kill_confirm",
        table.slash(alice, "kill_character character:1").await
    );
    assert!(text_of(&ask).contains("adventure") || ask["data"]["flags"] == json!(64));
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_character_is_deleted_only_after_confirming() {
    let mut table = Table::new();
    table
        .slash(
            1,
            "character_new name:Quickwire faction:autobot class:scout",
        )
        .await;
    let ask = table.slash(1, "kill_character character:1").await;
    let (keep, _) = first_component(&ask, "Keep it");
    let kept = table.press(1, &keep, &[]).await;
    assert!(text_of(&kept).contains("stays"), "{kept}");
    assert!(text_of(&table.slash(1, "character_view").await).contains("Quickwire"));
    let ask = table.slash(1, "kill_character character:1").await;
    let (delete, _) = first_component(&ask, "Delete it");
    // Someone else's button does nothing.
    let foreign = table.press(2, &delete, &[]).await;
    assert_eq!(foreign["data"]["flags"], json!(64), "{foreign}");
    let gone = table.press(1, &delete, &[]).await;
    insta::assert_json_snapshot!("rpg_killed", gone);
    let view = table.slash(1, "character_view").await;
    assert!(text_of(&view).contains("no RPG character"), "{view}");
    // The name left the erasable store with it.
    let name = table
        .engine
        .engine
        .personal_text(allspark_engine::PlayerId(1), &rpg::name_key(1))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(name, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_story_vote_and_a_battle_adventure_play_to_their_end() {
    let mut table = Table::new();
    table
        .slash(
            1,
            "character_new name:Ironclad faction:autobot class:warrior",
        )
        .await;
    table
        .slash(2, "character_new name:Sable faction:decepticon class:medic")
        .await;
    // A story: both vote, the vote closes at once and the next crossroads opens.
    let party = table.slash(1, "cyber_story").await;
    let (join, _) = first_component(&party, "Join");
    table.press(2, &join, &[]).await;
    let (start, _) = first_component(&party, "Start");
    let story = table.press(1, &start, &[]).await;
    let votes: Vec<String> = components(&story)
        .into_iter()
        .filter(|(_, label)| label.starts_with("1.") || label.starts_with("2."))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(votes.len(), 2, "{story}");
    table.press(1, &votes[0], &[]).await;
    let closed = table.press(2, &votes[1], &[]).await;
    let shown = text_of(&closed);
    assert!(
        shown.contains("Votes: 1 · 1 · 0") && shown.contains("the dice decided"),
        "{closed}"
    );
    assert!(shown.contains("Segment 2 of 3"), "{closed}");
    // Stop it between segments, and fight a battle adventure.
    let (stop, _) = first_component(&closed, "Stop");
    table.press(1, &stop, &[]).await;
    let party = table.slash(1, "cyber_battle").await;
    let (join, _) = first_component(&party, "Join");
    table.press(2, &join, &[]).await;
    let (start, _) = first_component(&party, "Start");
    let battle_segment = table.press(1, &start, &[]).await;
    let (to_battle, _) = first_component(&battle_segment, "⚔️ To battle");
    // While fighting, the party can't start another battle.
    table.slash(1, "get_pet faction:autobot").await;
    let busy = table.slash(1, "battle_solo").await;
    assert_eq!(busy["data"]["flags"], json!(64), "{busy}");
    let mut view = table.press(1, &to_battle, &[]).await;
    insta::assert_json_snapshot!("rpg_battle_view", view);
    // Both fighters attack until the adventure's first battle is over.
    for _ in 0..200 {
        let adventure = table
            .engine
            .engine
            .query(|w| rpg::view::adventure(w, 2).cloned())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .expect("the battle adventure");
        let first_done = adventure
            .segments
            .first()
            .is_some_and(|s| s.result.is_some());
        if first_done {
            break;
        }
        // A fighter who fell is refused ("out of this fight"): the other one goes on.
        for player in [1u64, 2] {
            if let Some((attack, _)) = components(&view)
                .into_iter()
                .find(|(_, label)| label.starts_with("Attack"))
            {
                let answer = table.press(player, &attack, &[]).await;
                if !components(&answer).is_empty() {
                    view = answer;
                }
            }
        }
    }
    let adventure = table
        .engine
        .engine
        .query(|w| rpg::view::adventure(w, 2).cloned())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the battle adventure");
    let first = adventure.segments.first().expect("a segment");
    assert!(
        first.result.is_some(),
        "the battle ended: {adventure:?} {view}"
    );
    // The battle replays and verifies like any other.
    let SegmentPlan::Battle { battle, .. } = first.plan else {
        panic!("a battle segment")
    };
    let events = table
        .engine
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    let file = allspark_engine::battle::replay::battle_file_in(&events, battle)
        .expect("the battle's file");
    allspark_engine::battle::replay::verify_file(&file).unwrap_or_else(|d| panic!("{d}"));
    // Its web page names the characters, not anyone's pet.
    let base =
        support::serve_web(table.app.clone(), allspark_discord::web::Limits::default()).await;
    let page = reqwest::get(format!("{base}/battles/{battle}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        page.contains("Ironclad") && page.contains("Sable"),
        "{page}"
    );
    assert!(
        !page.contains("Harborly") && !page.contains("A pet"),
        "{page}"
    );
}

/// A loopback stub of the chat completions API that answers by a script, one step a call.
#[derive(Clone)]
enum StubStep {
    Answer(String),
    TooMany { retry_after: &'static str },
    Quota,
    Sleep(Duration),
    Garbage,
}

async fn stub(script: Vec<StubStep>) -> (String, Arc<AtomicUsize>) {
    let (base, calls, _) = recording_stub(script).await;
    (base, calls)
}

/// [`stub`], keeping every request's body for the test to read.
async fn recording_stub(
    script: Vec<StubStep>,
) -> (String, Arc<AtomicUsize>, Arc<std::sync::Mutex<Vec<Value>>>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = requests.clone();
    let script = Arc::new(script);
    let base = serve_fake(axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |body: String| {
            let counter = counter.clone();
            let script = script.clone();
            let kept = kept.clone();
            async move {
                use axum::response::IntoResponse;
                let request: Value = serde_json::from_str(&body).unwrap_or_default();
                assert!(request["messages"][0]["role"] == "system", "{request}");
                kept.lock().unwrap_or_else(|p| p.into_inner()).push(request.clone());
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let step = script.get(n).cloned().unwrap_or(StubStep::Garbage);
                let completion = |text: &str| {
                    json!({
                        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "stub",
                        "choices": [{ "index": 0, "message": { "role": "assistant", "content": text, "refusal": null },
                                      "logprobs": null, "finish_reason": "stop" }],
                        "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 }
                    })
                    .to_string()
                };
                match step {
                    StubStep::Answer(text) => (axum::http::StatusCode::OK, completion(&text)).into_response(),
                    StubStep::TooMany { retry_after } => (
                        axum::http::StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", retry_after)],
                        json!({"error": {"message": "slow down", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}).to_string(),
                    )
                        .into_response(),
                    StubStep::Quota => (
                        axum::http::StatusCode::TOO_MANY_REQUESTS,
                        json!({"error": {"message": "no quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}).to_string(),
                    )
                        .into_response(),
                    StubStep::Sleep(pause) => {
                        tokio::time::sleep(pause).await;
                        (axum::http::StatusCode::OK, completion("too late")).into_response()
                    }
                    StubStep::Garbage => (axum::http::StatusCode::OK, "<html>oops".to_string()).into_response(),
                }
            }
        }),
    ))
    .await;
    (format!("{base}/v1"), calls, requests)
}

fn brief() -> Brief {
    let rpg = &allspark_engine::content::get().rpg;
    Brief {
        kind: AdventureKind::Event,
        segment: 0,
        place: "The Rust Sea Docks".into(),
        plan: SegmentPlan::Event {
            challenge: rpg.challenges.keys().next().cloned().unwrap_or_default(),
            class: 15,
        },
        seats: Vec::new(),
        moments: Vec::new(),
        lines: vec![rpg::Line {
            pool: rpg::Pool::Opening,
            index: 0,
        }],
    }
}

fn model(base: &str, timeout: Duration) -> ChatModel {
    ChatModel::new(ModelSettings {
        base_url: base.to_string(),
        model: "stub".into(),
        key: Some("k".into()),
        timeout,
        attempts: 3,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_model_storyteller_answers_retries_and_falls_back() {
    let brief = brief();
    let offline = Offline.tell(&brief).await;
    assert_eq!(offline.source, NarrationSource::Offline);
    assert!(!offline.text.is_empty());

    // Success: the model's words, sanitized.
    let (base, calls) = stub(vec![StubStep::Answer(
        "Sure! {party} steps onto the docks. @here [map](https://x.example) **now**".into(),
    )])
    .await;
    let told = model(&base, Duration::from_secs(5)).tell(&brief).await;
    assert_eq!(told.source, NarrationSource::Model);
    assert_eq!(told.text, "{party} steps onto the docks. here map now");
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // 429 then success: one retry after the pause asked for.
    let (base, calls) = stub(vec![
        StubStep::TooMany { retry_after: "0" },
        StubStep::Answer("{lead} listens.".into()),
    ])
    .await;
    let told = model(&base, Duration::from_secs(5)).tell(&brief).await;
    assert_eq!(
        (told.source, told.text.as_str()),
        (NarrationSource::Model, "{lead} listens.")
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    // A quota refusal is not retried: the offline words, marked as a fallback.
    let (base, calls) = stub(vec![StubStep::Quota, StubStep::Answer("never".into())]).await;
    let told = model(&base, Duration::from_secs(5)).tell(&brief).await;
    assert_eq!(told.source, NarrationSource::Fallback);
    assert_eq!(told.text, offline.text);
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // A timeout falls back.
    let (base, _) = stub(vec![StubStep::Sleep(Duration::from_secs(3))]).await;
    let told = model(&base, Duration::from_millis(200)).tell(&brief).await;
    assert_eq!(told.source, NarrationSource::Fallback);

    // Garbage falls back.
    let (base, _) = stub(vec![StubStep::Garbage]).await;
    let told = model(&base, Duration::from_secs(5)).tell(&brief).await;
    assert_eq!(told.source, NarrationSource::Fallback);

    // An over-long answer is cut to what an event and an embed hold.
    let long = "The gantries groan. ".repeat(400);
    let (base, _) = stub(vec![StubStep::Answer(long)]).await;
    let told = model(&base, Duration::from_secs(5)).tell(&brief).await;
    assert_eq!(told.source, NarrationSource::Model);
    assert!(told.text.chars().count() <= rpg::tuning::NARRATION_MAX_CHARS);
    assert!(rpg::is_valid_narration(&told.text));

    // Nothing listening at all falls back too.
    let told = model("http://127.0.0.1:9/v1", Duration::from_millis(500))
        .tell(&brief)
        .await;
    assert_eq!(told.source, NarrationSource::Fallback);
}

/// With a model configured, an adventure's words are the model's, recorded once, and the
/// adventure view shows them with the names filled in.
#[tokio::test(flavor = "multi_thread")]
async fn a_configured_model_tells_the_adventure() {
    let (base, calls) = stub(
        (0..8)
            .map(|_| {
                StubStep::Answer("Rain hammers the plating as {lead} leads {party} on.".into())
            })
            .collect(),
    )
    .await;
    let mut table = Table::new().with_storyteller(Arc::new(model(&base, Duration::from_secs(5))));
    table
        .slash(
            1,
            "character_new name:Ironclad faction:autobot class:warrior",
        )
        .await;
    let party = table.slash(1, "cyber_story").await;
    let (start, _) = first_component(&party, "Start");
    let shown = table.press(1, &start, &[]).await;
    let words = shown["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(words.contains("as Ironclad leads Ironclad on"), "{words}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // The worker's sweep finds nothing owed and asks nobody again.
    let told = table
        .app
        .narrator
        .narrate_pending(&table.engine.engine)
        .await;
    assert_eq!(told, 0);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// The profile's RPG tab shows a player's characters, their gear and record.
#[tokio::test(flavor = "multi_thread")]
async fn the_profile_shows_rpg_characters() {
    let mut table = Table::new();
    let profile = table.slash(1, "profile").await;
    let (tab, _) = first_component(&profile, "RPG");
    let empty = table.press(1, &tab, &[]).await;
    assert!(text_of(&empty).contains("no RPG character"), "{empty}");
    table
        .slash(
            1,
            "character_new name:Ironclad faction:autobot class:warrior",
        )
        .await;
    let shown = table.press(1, &tab, &[]).await;
    insta::assert_json_snapshot!("rpg_profile_tab", shown);
    assert!(text_of(&shown).contains("#1 Ironclad"), "{shown}");
}

fn description(body: &Value) -> String {
    body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn social_events(table: &Table) -> Vec<allspark_engine::social::SocialEvent> {
    table
        .logged()
        .into_iter()
        .filter_map(|e| match e {
            allspark_engine::Event::Social(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// With a model configured, roasts and compliments are its words: asked with no name in the
/// prompt, sanitized, recorded in their event and shown with the mention filled in; jokes stay
/// the book's; a model that fails leaves the book's line, and Another asks the model again.
#[tokio::test(flavor = "multi_thread")]
async fn a_configured_model_writes_roasts_and_compliments() {
    use allspark_engine::social::{SocialEvent, TalkKind};
    let (base, calls, requests) = recording_stub(vec![
        StubStep::Answer(
            "Sure! \"{target} transforms so slowly the war ends first. @everyone\"".into(),
        ),
        StubStep::Answer("{target} shines brighter than the Iacon beacons.".into()),
        StubStep::Garbage,
    ])
    .await;
    let mut table = Table::new().with_storyteller(Arc::new(model(&base, Duration::from_secs(5))));
    table
        .slash(
            2,
            "character_new name:Quietgear faction:autobot class:medic",
        )
        .await;

    let roast = table.slash(1, "roast user:2 style:playful").await;
    assert_eq!(
        description(&roast),
        "<@2> transforms so slowly the war ends first. everyone",
        "{roast}"
    );
    assert!(roast.to_string().contains("written by a model"), "{roast}");
    assert_eq!(
        roast["data"]["allowed_mentions"]["parse"],
        json!([]),
        "{roast}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // The prompt names no one: not the player, not their character.
    let asked = requests.lock().unwrap_or_else(|p| p.into_inner())[0].to_string();
    assert!(
        asked.contains("roast") && asked.contains("playful"),
        "{asked}"
    );
    assert!(
        !asked.contains("<@") && !asked.contains("Quietgear"),
        "{asked}"
    );

    let (another, _) = first_component(&roast, "Another");
    let compliment = table.slash(1, "compliment").await;
    assert_eq!(
        description(&compliment),
        "<@1> shines brighter than the Iacon beacons."
    );
    // The model fails: the book's line, not the model's words.
    let fallback = table.press(1, &another, &[]).await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "Another asked the model again"
    );
    assert!(description(&fallback).contains("<@2>"), "{fallback}");
    assert!(
        !fallback.to_string().contains("written by a model"),
        "{fallback}"
    );
    // Jokes never go to the model.
    let joke = table.slash(1, "joke").await;
    assert!(!description(&joke).is_empty(), "{joke}");
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    let told: Vec<_> = social_events(&table)
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                SocialEvent::Told { .. } | SocialEvent::ToldByModel { .. }
            )
        })
        .collect();
    assert_eq!(told.len(), 4, "{told:?}");
    assert_eq!(
        told[0],
        SocialEvent::ToldByModel {
            player: allspark_engine::PlayerId(1),
            kind: TalkKind::Roast,
            pool: None,
            style: Some("playful".into()),
            about: allspark_engine::PlayerId(2),
            text: "{target} transforms so slowly the war ends first. everyone".into(),
        }
    );
    assert!(matches!(
        told[1],
        SocialEvent::ToldByModel {
            kind: TalkKind::Compliment,
            ..
        }
    ));
    assert!(matches!(
        told[2],
        SocialEvent::Told {
            kind: TalkKind::Roast,
            ..
        }
    ));
    assert!(matches!(
        told[3],
        SocialEvent::Told {
            kind: TalkKind::Joke,
            ..
        }
    ));
}

/// A spark is offered when making a character: its button makes one of it, and
/// `/character_new` fills in what is left out from it; without a spark, or with a Maverick
/// one and no faction, the command says what it needs.
#[tokio::test(flavor = "multi_thread")]
async fn a_spark_becomes_a_character() {
    use allspark_engine::social::SparkFaction;
    let mut table = Table::new();
    let refused = table.slash(40, "character_new").await;
    assert_eq!(refused["data"]["flags"], 64, "{refused}");
    assert!(refused.to_string().contains("/spark"), "{refused}");

    // Players forge sparks until one of each kind is found: a side, and a Maverick.
    let (mut sided, mut maverick) = (None, None);
    for player in 41u64..120 {
        let spark = table.slash(player, "spark").await;
        let identity = table
            .engine
            .engine
            .query(move |w| {
                allspark_engine::social::view::identity(w, allspark_engine::PlayerId(player))
            })
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no spark for {player}: {spark}"));
        let button = components(&spark)
            .into_iter()
            .find(|(_, label)| label.contains("RPG character"));
        if identity.faction == SparkFaction::Maverick {
            assert!(
                button.is_none(),
                "a Maverick spark offers no character: {spark}"
            );
            maverick.get_or_insert(player);
        } else {
            let (id, _) = button.unwrap_or_else(|| panic!("no offer in {spark}"));
            sided.get_or_insert((player, id, identity));
        }
        if sided.is_some() && maverick.is_some() {
            break;
        }
    }
    let (player, button, identity) = sided.expect("a spark on a side");
    let maverick = maverick.expect("a Maverick spark");

    // Someone else's offer is theirs.
    let foreign = table.press(maverick, &button, &[]).await;
    assert_eq!(foreign["data"]["flags"], 64, "{foreign}");
    let made = table.press(player, &button, &[]).await;
    assert!(made.to_string().contains(&identity.name), "{made}");
    let character = table
        .engine
        .engine
        .query(move |w| {
            allspark_engine::rpg::view::strongest_character(w, allspark_engine::PlayerId(player))
                .map(|c| (c.class.clone(), c.faction))
        })
        .await
        .ok()
        .flatten()
        .expect("a character");
    assert_eq!(character.0, identity.class);
    assert_eq!(
        format!("{:?}", character.1),
        format!("{:?}", identity.faction)
    );
    // `/character_new` with a name given keeps the spark's faction and class.
    let second = table.slash(player, "character_new name:Spareparts").await;
    assert!(second.to_string().contains("Spareparts"), "{second}");

    let refused = table.slash(maverick, "character_new class:scout").await;
    assert!(refused.to_string().contains("Maverick"), "{refused}");
    let made = table
        .slash(maverick, "character_new faction:decepticon")
        .await;
    assert_eq!(made["data"]["flags"], json!(null), "{made}");
}

/// With a model configured, each Cybertron Games round is retold by it: asked with
/// placeholders for the contestants (no mention leaves the bot), recorded once, shown with
/// the names filled in; a model that fails leaves the templates' lines.
#[tokio::test(flavor = "multi_thread")]
async fn a_configured_model_retells_the_cybertron_games() {
    let (base, calls, requests) = recording_stub(vec![
        StubStep::Answer("Sparks fly as {c0} dives past {c1}. @everyone".into()),
        StubStep::Garbage,
    ])
    .await;
    let mut table = Table::new().with_storyteller(Arc::new(model(&base, Duration::from_secs(5))));
    let lobby = table.slash(1, "cybertron_games size:12 player1:2").await;
    let (start, _) = first_component(&lobby, "Start");
    let view = table.press(1, &start, &[]).await;
    let (next, _) = first_component(&view, "Next round");
    let told = table.press(1, &next, &[]).await;
    let words = description(&told);
    // Contestant 0 is the named player, 1 a drone.
    assert!(
        words.starts_with("Sparks fly as <@2> dives past **"),
        "{words}"
    );
    assert!(words.contains("**. everyone"), "{words}");
    assert!(words.contains("Told by a model"), "{words}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let asked = requests.lock().unwrap_or_else(|p| p.into_inner())[0].to_string();
    assert!(asked.contains("{c") && !asked.contains("<@"), "{asked}");
    // The model fails the next round: its lines come from the templates.
    let (next, _) = first_component(&told, "Next round");
    let plain = table.press(1, &next, &[]).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(!description(&plain).contains("Told by a model"), "{plain}");
    let narrated = table
        .logged()
        .iter()
        .filter(|e| {
            matches!(
                e,
                allspark_engine::Event::Fun(allspark_engine::fun::FunEvent::GamesNarrated { .. })
            )
        })
        .count();
    assert_eq!(narrated, 1);
}
