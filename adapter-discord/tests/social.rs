//! The social area through the adapter: a joke and Another, a roast that names (without
//! pinging) its target, the archive with its autocomplete and a refusal for an unknown topic,
//! a spark shown again and refused a reforge too soon, and the faction quiz answered by
//! buttons to its result. Every reply pinned (insta) and checked against Discord's OpenAPI
//! description by the table.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test adapter social::`, then review the diff.

use crate::support;

use allspark_discord::invocation::Kind;
use allspark_engine::social::SocialEvent;
use allspark_engine::{Event, PlayerId};
use serde_json::Value;
use support::{components, first_component, Table};

fn description(body: &Value) -> String {
    body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn talk_the_archive_a_spark_and_the_quiz_through_the_views() {
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
    let category = allspark_engine::content::get().social.talk.jokes[0]
        .id
        .clone();
    let joke = golden!(
        "social_joke",
        table
            .slash(alice, &format!("joke category:{category}"))
            .await
    );
    let (another, _) = first_component(&joke, "Another");
    let next = table.press(alice, &another, &[]).await;
    assert_ne!(
        description(&next),
        description(&joke),
        "Another told the same line"
    );
    assert!(!description(&next).is_empty(), "{next}");
    // Another is the teller's own.
    let foreign = table.press(bob, &another, &[]).await;
    assert_eq!(foreign["data"]["flags"], 64, "{foreign}");

    let roast = golden!(
        "social_roast",
        table.slash(alice, "roast user:2 style:playful").await
    );
    assert!(description(&roast).contains("<@2>"), "{roast}");
    assert_eq!(
        roast["data"]["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "a roast never pings"
    );
    assert!(
        roast["data"]["allowed_mentions"]["users"].is_null()
            || roast["data"]["allowed_mentions"]["users"] == serde_json::json!([])
    );
    golden!(
        "social_unknown_category",
        table.slash(alice, "blessing category:nope").await
    );
    golden!(
        "social_what_is",
        table.slash(alice, "what_is topic:energon").await
    );
    golden!(
        "social_what_is_unknown",
        table.slash(alice, "what_is topic:bananas").await
    );
    let choices = table
        .send(
            alice,
            Kind::Autocomplete {
                name: "what_is".into(),
                option: "topic".into(),
                partial: "ener".into(),
            },
        )
        .await;
    assert!(choices.to_string().contains("energon"), "{choices}");

    let spark = golden!("social_spark", table.slash(bob, "spark").await);
    // Earning an achievement is announced in the reply that earned it, once.
    assert!(
        spark.to_string().contains("Achievement unlocked"),
        "{spark}"
    );
    assert!(spark.to_string().contains("Spark Forged"), "{spark}");
    let shown = table.slash(bob, "spark").await;
    assert!(
        !shown.to_string().contains("Achievement unlocked"),
        "{shown}"
    );
    assert_eq!(
        shown["data"]["embeds"][0]["description"], spark["data"]["embeds"][0]["description"],
        "the same spark, shown again"
    );
    golden!(
        "social_spark_reforge_too_soon",
        table.slash(bob, "spark action:reforge").await
    );

    let mut view = golden!("social_quiz_first", table.slash(bob, "analysis").await);
    for _ in 0..5 {
        let (answer, _) = components(&view)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no answer in {view}"));
        view = table.press(bob, &answer, &[]).await;
    }
    golden!("social_quiz_result", view.clone());
    assert!(view.to_string().contains("came out"), "{view}");
    assert!(view.to_string().contains("Know Thyself"), "{view}");

    // The profile, tab by tab, drawn from each area; the tabs are the asker's.
    let profile = golden!(
        "social_profile_identity",
        table.slash(alice, "profile user:2").await
    );
    assert!(
        profile.to_string().contains("2 of"),
        "two achievements: {profile}"
    );
    for (label, name) in [
        ("Pet", "social_profile_pet"),
        ("Battles", "social_profile_battles"),
        ("CyberCoin", "social_profile_cybercoin"),
        ("Achievements", "social_profile_achievements"),
    ] {
        let (tab, _) = first_component(&profile, label);
        let shown = golden!(name, table.press(alice, &tab, &[]).await);
        assert_eq!(shown["type"], 7, "{shown}");
        let foreign = table.press(bob, &tab, &[]).await;
        assert_eq!(foreign["data"]["flags"], 64, "{foreign}");
    }
    let taken = table
        .app
        .engine
        .query(|w| allspark_engine::social::view::quiz_faction(w, PlayerId(2)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(taken.is_some());
    let logged = table
        .app
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| matches!(e.event, Event::Social(SocialEvent::QuizTaken { .. })))
        .count();
    assert_eq!(logged, 1);
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// `/battle_history` lists a player's battles newest first with mode, who fought and how it
/// ended; picking one steps through it turn by turn (First, Previous, Next, Last), drawn from
/// the same re-simulation the replay tool uses, with no action buttons and no seed.
#[tokio::test(flavor = "multi_thread")]
async fn a_battle_is_listed_and_stepped_through_turn_by_turn() {
    let mut table = Table::new();
    let alice = 1u64;
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    macro_rules! golden {
        ($name:expr, $body:expr) => {{
            let body = $body;
            goldens.push(($name, body.clone()));
            body
        }};
    }
    golden!(
        "social_history_empty",
        table.slash(alice, "battle_history").await
    );
    table.slash(alice, "get_pet faction:autobot").await;
    let kinds = table.slash(alice, "battle").await;
    let (kinds_id, kind) = first_component(&kinds, "option:");
    let enemies = table
        .press(alice, &kinds_id, &[kind.trim_start_matches("option:")])
        .await;
    let (enemy_id, enemy) = first_component(&enemies, "option:");
    let mut battle = table
        .press(alice, &enemy_id, &[enemy.trim_start_matches("option:")])
        .await;
    // Attack until it is over.
    for _ in 0..60 {
        let Some((attack, _)) = components(&battle)
            .into_iter()
            .find(|(id, _)| id.ends_with(":a:1"))
        else {
            break;
        };
        battle = table.press(alice, &attack, &[]).await;
    }
    assert!(
        battle.to_string().contains("over"),
        "the battle did not end: {battle}"
    );

    let list = golden!("social_history", table.slash(alice, "battle_history").await);
    let (picker, value) = first_component(&list, "option:");
    let picked = value.trim_start_matches("option:").to_string();
    let start = golden!(
        "social_history_start",
        table.press(alice, &picker, &[picked.as_str()]).await
    );
    assert!(start.to_string().contains("the start"), "{start}");
    assert!(!start.to_string().contains("seed"), "{start}");
    // Only stepping buttons: the past has no moves to make.
    let labels: Vec<&str> = start["data"]["components"][0]["components"]
        .as_array()
        .map(|buttons| buttons.iter().filter_map(|b| b["label"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(labels, ["First", "Previous", "Next", "Last"], "{start}");
    assert_eq!(
        start["data"]["components"].as_array().map(Vec::len),
        Some(1),
        "{start}"
    );
    let (next, _) = first_component(&start, "Next");
    let turn_one = golden!(
        "social_history_turn_one",
        table.press(alice, &next, &[]).await
    );
    assert!(turn_one.to_string().contains("turn 1 of"), "{turn_one}");
    let (last, _) = first_component(&turn_one, "Last");
    let end = table.press(alice, &last, &[]).await;
    let title = end["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let n: String = title.rsplit(' ').next().unwrap_or_default().to_string();
    assert!(title.contains(&format!("turn {n} of {n}")), "{title}");
    let (first, _) = first_component(&end, "First");
    let again = table.press(alice, &first, &[]).await;
    assert_eq!(
        again["data"]["embeds"][0]["fields"], start["data"]["embeds"][0]["fields"],
        "First goes back to the start"
    );
    // Someone else's buttons are refused.
    let foreign = table.press(2, &next, &[]).await;
    assert_eq!(foreign["data"]["flags"], 64, "{foreign}");
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}
