//! Confirmations are single-use, consumed in the engine (issue 13), and operator actions are
//! recorded as done by the operator.

use crate::support;

use std::sync::Arc;

use allspark_engine::log::{EventLog, MemoryLog};
use allspark_engine::runtime::EngineConfig;
use allspark_engine::testing::TestEngine;
use allspark_engine::{Actor, PlayerId};
use support::{first_component, Table};

fn text(body: &serde_json::Value) -> String {
    body.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn keep_then_release_from_the_same_message_keeps_the_pet() {
    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    let kill = table.slash(1, "kill").await;
    let (release, _) = first_component(&kill, "Release forever");
    let (keep, _) = first_component(&kill, "Keep my pet");
    let kept = table.press(1, &keep, &[]).await;
    assert!(text(&kept).contains("stays with you"), "{kept}");
    let released = table.press(1, &release, &[]).await;
    assert!(
        text(&released).contains("no release is pending"),
        "{released}"
    );
    let pet = table.slash(1, "pet").await;
    assert!(!text(&pet).contains("don't have a pet"), "{pet}");
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_clear_cancel_then_confirm_erases_nobody() {
    let log = Arc::new(MemoryLog::new());
    let mut table = Table::on(TestEngine::on_log(log.clone(), EngineConfig::default()));
    table.slash(3, "get_pet faction:autobot").await;
    table.slash(999, "grant user:3 amount:120").await;
    let picker = table.slash(999, "admin_clear").await;
    let pick = picker["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let preview = table.press(999, &pick, &["3"]).await;
    let (erase, _) = first_component(&preview, "Erase 1 player");
    let (cancel, _) = first_component(&preview, "Cancel");
    let cancelled = table.press(999, &cancel, &[]).await;
    assert!(
        text(&cancelled).contains("Nothing was erased"),
        "{cancelled}"
    );
    let confirmed = table.press(999, &erase, &[]).await;
    assert!(text(&confirmed).contains("cancelled"), "{confirmed}");
    let wallet = table.slash(3, "energon_history").await;
    assert!(text(&wallet).contains("120"), "{wallet}");
    // A fresh confirmation still works, and the erasure and the grant name the operator.
    let preview = table.press(999, &pick, &["3"]).await;
    let (erase, _) = first_component(&preview, "Erase 1 player");
    let done = table.press(999, &erase, &[]).await;
    assert!(text(&done).contains("burned"), "{done}");
    let events = log.read_all(1, 1_000).unwrap_or_default();
    let by_operator: Vec<String> = events
        .iter()
        .filter(|e| e.actor == Actor::Operator(PlayerId(999)))
        .map(|e| format!("{:?}", e.event))
        .collect();
    assert!(
        by_operator.iter().any(|e| e.contains("OperatorGrant")),
        "{by_operator:?}"
    );
    assert!(
        by_operator.iter().any(|e| e.contains("Erased")),
        "{by_operator:?}"
    );
    assert!(
        by_operator.iter().any(|e| e.contains("ErasureCancelled")),
        "{by_operator:?}"
    );
    assert!(
        events.iter().all(|e| e.actor != Actor::System),
        "operator actions recorded as the system"
    );
}
