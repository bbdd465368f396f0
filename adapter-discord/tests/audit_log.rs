//! `/logs` and `/logs_clear` (issue 21): the audit log read from the event log, paginated and
//! filtered, operator only; a clearing hides older entries and is itself an entry. Every reply
//! is checked against Discord's description by the table.

use crate::support;

use serde_json::Value;
use support::Table;

fn description(body: &Value) -> String {
    body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_else(|| panic!("no description in {body}"))
        .to_string()
}

fn footer(body: &Value) -> String {
    body["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no footer in {body}"))
        .to_string()
}

fn button(body: &Value, label: &str) -> (String, bool) {
    body["data"]["components"][0]["components"]
        .as_array()
        .and_then(|buttons| buttons.iter().find(|b| b["label"] == label))
        .map(|b| {
            (
                b["custom_id"].as_str().unwrap_or_default().to_string(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .unwrap_or_else(|| panic!("no {label} in {body}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_lists_operator_actions_by_page_and_filter_for_the_operator_only() {
    let mut table = Table::new();
    table.slash(3, "get_pet faction:autobot").await;
    table.slash(4, "get_pet faction:decepticon").await;
    for amount in 1..=10 {
        table
            .slash(999, &format!("grant user:3 amount:{amount}"))
            .await;
    }
    table.slash(999, "grant user:4 amount:5").await;
    table.slash(999, "fine user:4 amount:1").await;
    // A player's own doings are not audited.
    table.slash(3, "bank action:balance").await;

    for (user, line) in [(3, "logs"), (4, "logs_clear")] {
        let refused = table.slash(user, line).await;
        assert!(
            refused.to_string().contains("Only the operator"),
            "{refused}"
        );
    }

    let first = table.slash(999, "logs").await;
    assert_eq!(first["data"]["flags"], 64, "private: {first}");
    assert_eq!(footer(&first), "Page 1 of 2 · 12 entries");
    let lines = description(&first);
    assert_eq!(lines.lines().count(), 10, "{lines}");
    assert!(
        lines
            .lines()
            .next()
            .is_some_and(|l| l.contains("**fine** by operator <@999>")),
        "{lines}"
    );
    assert!(lines.contains("**grant** by operator <@999>"), "{lines}");
    let (_, disabled) = button(&first, "Previous");
    assert!(disabled, "no page before the first");
    let (next, disabled) = button(&first, "Next");
    assert!(!disabled);

    let refused = table.press(3, &next, &[]).await;
    assert!(
        refused.to_string().contains("Only the operator"),
        "{refused}"
    );
    let second = table.press(999, &next, &[]).await;
    assert_eq!(second["type"], 7, "{second}");
    assert_eq!(footer(&second), "Page 2 of 2 · 12 entries");
    assert_eq!(description(&second).lines().count(), 2);
    assert!(button(&second, "Next").1, "no page after the last");
    let (back, _) = button(&second, "Previous");
    assert_eq!(
        footer(&table.press(999, &back, &[]).await),
        "Page 1 of 2 · 12 entries"
    );

    // Filters: a user, a kind, both; they carry over to the page buttons.
    let of_four = table.slash(999, "logs user:<@4>").await;
    assert_eq!(footer(&of_four), "Page 1 of 1 · 2 entries");
    assert!(description(&of_four).contains("**fine**"), "{of_four}");
    let grants = table.slash(999, "logs command:grant").await;
    assert_eq!(footer(&grants), "Page 1 of 2 · 11 entries");
    let (next, _) = button(&grants, "Next");
    let grants_two = table.press(999, &next, &[]).await;
    assert_eq!(footer(&grants_two), "Page 2 of 2 · 11 entries");
    let none = table.slash(999, "logs user:<@4> command:erasure").await;
    assert!(
        description(&none).contains("No audit entries match."),
        "{none}"
    );
    let bad = table.slash(999, "logs command:DROP;TABLE").await;
    assert!(bad.to_string().contains("a kind of entry"), "{bad}");

    // Clearing everything so far leaves only the clearing.
    let bad = table.slash(999, "logs_clear keep_days:-1").await;
    assert!(bad.to_string().contains("keep_days is from 0"), "{bad}");
    let cleared = table.slash(999, "logs_clear").await;
    assert!(
        cleared.to_string().contains("are hidden from /logs"),
        "{cleared}"
    );
    let after = table.slash(999, "logs").await;
    assert_eq!(
        footer(&after),
        "Page 1 of 1 · 1 entries · 12 hidden by clearings"
    );
    assert!(
        description(&after).contains("**logs_clear** by operator <@999>"),
        "{after}"
    );
    // The events are still in the log: the players' balances are untouched.
    let balance = table.slash(3, "bank action:balance").await;
    assert!(balance.to_string().contains("**55**"), "{balance}");
}
