//! The social area through the adapter: a joke and Another, a roast that names (without
//! pinging) its target, the archive with its autocomplete and a refusal for an unknown topic,
//! a spark shown again and refused a reforge too soon, and the faction quiz answered by
//! buttons to its result. Every reply pinned (insta) and checked against Discord's OpenAPI
//! description by the table.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test social`, then review the diff.

mod support;

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
    let shown = table.slash(bob, "spark").await;
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
