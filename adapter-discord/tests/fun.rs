//! The fun area through the adapter: /hello and /ping climbing their ladders, /grump pinging
//! the configured grump (and only them) and refused on its cooldown or once they opted out,
//! and /grump without a grump configured. Every reply pinned (insta) and checked against
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
