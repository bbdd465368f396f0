//! The fun area through the adapter: /hello and /ping climbing their ladders, /grump pinging
//! the configured grump (and only them) and refused on its cooldown or once they opted out,
//! /grump without a grump configured, and the shooting range from its countdown to its
//! record and leaderboard. Every reply pinned (insta) and checked against
//! Discord's OpenAPI description by the table.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test fun`, then review the diff.

mod support;

use allspark_engine::fun::{FunEvent, Ladder};
use allspark_engine::Event;
use serde_json::{json, Value};
use support::Table;

fn content(body: &Value) -> String {
    body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn hello_ping_and_grump_through_the_adapter() {
    let mut table = Table::new();
    let (alice, bob, grump) = (1u64, 2u64, 3u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    macro_rules! golden {
        ($name:expr, $body:expr) => {{
            let body = $body;
            goldens.push(($name, body.clone()));
            body
        }};
    }
    golden!("fun_no_grump", table.slash(alice, "grump").await);
    let hello = golden!("fun_hello", table.slash(alice, "hello").await);
    assert!(!content(&hello).is_empty());
    // The next hellos climb: each reply is a line of the next rung.
    for level in 2..=3u8 {
        let next = table.slash(alice, "hello").await;
        let lines = &allspark_engine::content::get().greetings.hello[usize::from(level) - 1];
        let shown = content(&next);
        assert!(
            lines
                .iter()
                .any(|line| line.replace("{user}", "<@1>") == shown),
            "rung {level}: {shown}"
        );
    }
    let ping = golden!("fun_ping", table.slash(bob, "ping").await);
    assert!(!content(&ping).contains("{latency}"), "{ping}");

    table.app = table.app.clone().with_grump(Some(grump));
    table.slash(grump, "help").await;
    let grumped = golden!("fun_grump", table.slash(alice, "grump").await);
    assert!(content(&grumped).contains("<@3>"), "{grumped}");
    assert_eq!(
        grumped["data"]["allowed_mentions"]["users"],
        json!(["3"]),
        "only the grump is pinged"
    );
    golden!("fun_grump_on_cooldown", table.slash(alice, "grump").await);
    golden!("fun_grump_resting", table.slash(bob, "grump").await);
    golden!("fun_grump_optout", table.slash(grump, "grump_optout").await);
    table.engine.clock.advance_secs(3_600);
    golden!("fun_grump_opted_out", table.slash(alice, "grump").await);
    table.slash(grump, "grump_optout action:in").await;
    let again = table.slash(alice, "grump").await;
    assert!(content(&again).contains("<@3>"), "{again}");

    let greeted = table
        .app
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::Fun(FunEvent::Greeted {
                    ladder: Ladder::Hello,
                    ..
                })
            )
        })
        .count();
    assert_eq!(greeted, 3);
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// The target button's id in a round's reply.
fn target(body: &Value) -> String {
    support::first_component(body, "🎯").0
}

#[tokio::test(flavor = "multi_thread")]
async fn the_shooting_range_through_the_adapter() {
    use allspark_engine::{PlayerId, Timestamp};
    let mut table = Table::new();
    let (alice, bob) = (1u64, 2u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    let countdown = table.slash(alice, "range rounds:5").await;
    assert!(
        content(&countdown).contains("Targets in **3**"),
        "{countdown}"
    );
    assert!(
        support::components(&countdown).is_empty(),
        "the countdown's button is disabled"
    );
    goldens.push(("range_countdown", countdown.clone()));
    // Pressing before the countdown ends (as a forged press would) is refused.
    let early = table.press(alice, "1:rg:1:1:1:0", &[]).await;
    assert!(content(&early).contains("countdown"), "{early}");

    let round = allspark_discord::fun::begin_range(&table.app, PlayerId(alice), 1)
        .await
        .unwrap_or_else(|| panic!("no first round"));
    let mut body = allspark_discord::reply::Response::Update(round).to_discord();
    support::check_callback(&body);
    assert!(content(&body).contains("Round 1/5"), "{body}");
    goldens.push(("range_round", body.clone()));
    // The countdown ends once: running it again (a redelivery) shows the same round and
    // records nothing new.
    let again = allspark_discord::fun::begin_range(&table.app, PlayerId(alice), 1)
        .await
        .map(|r| allspark_discord::reply::Response::Update(r).to_discord());
    assert_eq!(again.as_ref(), Some(&body));
    let shown = table
        .app
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| matches!(e.event, Event::Fun(FunEvent::RangeRoundShown { .. })))
        .count();
    assert_eq!(shown, 1);
    // Bob can't shoot on Alice's range.
    let foreign = table.press(bob, &target(&body), &[]).await;
    assert_eq!(foreign["data"]["flags"], json!(64), "{foreign}");
    for round in 1..=5u8 {
        let now = table.engine.engine.now().0;
        table
            .engine
            .clock
            .set(Timestamp(now + 250 + i64::from(round)));
        body = table.press(alice, &target(&body), &[]).await;
        assert_eq!(body["type"], json!(7), "{body}");
        if round < 5 {
            assert!(
                content(&body).contains(&format!("Round {}/5", round + 1)),
                "{body}"
            );
            assert!(content(&body).contains(&format!("hit in {} ms", 250 + round)));
        }
    }
    let end = body.to_string();
    assert!(end.contains("**5/5**"), "{end}");
    assert!(end.contains("personal best"), "{end}");
    goldens.push(("range_end", body.clone()));
    goldens.push(("range_stats", table.slash(bob, "rangestats user:1").await));
    goldens.push(("range_stats_none", table.slash(bob, "rangestats").await));
    let board = table.slash(bob, "range_leaderboard rounds:5").await;
    assert!(board.to_string().contains("<@1>"), "{board}");
    goldens.push(("range_leaderboard", board.clone()));
    let other = table
        .press(bob, &support::first_component(&board, "25 rounds").0, &[])
        .await;
    assert!(other.to_string().contains("Nobody has hit"), "{other}");

    // Again: a new session of the same length, its countdown in place of the end.
    let again = table
        .press(alice, &support::first_component(&body, "Again").0, &[])
        .await;
    assert_eq!(again["type"], json!(7), "{again}");
    assert!(content(&again).contains("session #2"), "{again}");
    let round = allspark_discord::fun::begin_range(&table.app, PlayerId(alice), 2)
        .await
        .unwrap_or_else(|| panic!("no first round"));
    let body = allspark_discord::reply::Response::Update(round).to_discord();
    // A miss, then a stale press of the same round gets the round showing.
    let miss = support::components(&body)
        .into_iter()
        .find(|(_, label)| label != "🎯")
        .map(|(id, _)| id)
        .unwrap_or_default();
    let missed = table.press(alice, &miss, &[]).await;
    assert!(content(&missed).contains("round 1: missed"), "{missed}");
    let stale = table.press(alice, &miss, &[]).await;
    assert!(content(&stale).contains("Round 2/5"), "{stale}");
    // Left alone, the session lapses through the worker; its buttons then say it is over.
    table
        .engine
        .clock
        .advance_secs(allspark_engine::fun::RANGE_IDLE_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&table.engine.engine).await,
        1
    );
    let over = table.press(alice, &target(&stale), &[]).await;
    assert!(content(&over).contains("is over"), "{over}");
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}
