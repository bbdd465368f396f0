//! `/monitor` and `/uptime` (issue 21): operator only, one sample of the process, the store
//! and the counters, with health lights and a Refresh button; every reply checked against
//! Discord's description by the table.

use crate::support;

use serde_json::Value;
use support::{first_component, Table};

fn field<'a>(body: &'a Value, name: &str) -> &'a str {
    body["data"]["embeds"][0]["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name} in {body}"))
}

fn number_after(text: &str, label: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(label))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{label}` number in {text}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_monitor_shows_the_process_the_log_and_the_commands_to_the_operator_only() {
    let mut table = Table::new();
    for user in [1, 2, 3] {
        table.slash(user, "get_pet faction:autobot").await;
    }
    let refused = table.slash(1, "monitor").await;
    assert!(
        refused.to_string().contains("Only the operator"),
        "{refused}"
    );
    let refused = table.slash(2, "uptime").await;
    assert!(
        refused.to_string().contains("Only the operator"),
        "{refused}"
    );

    let monitor = table.slash(999, "monitor").await;
    assert_eq!(monitor["type"], 4, "{monitor}");
    assert_eq!(monitor["data"]["flags"], 64, "private: {monitor}");
    assert_eq!(monitor["data"]["embeds"][0]["title"], "AllSpark monitor");
    let discord = field(&monitor, "Discord");
    assert_eq!(number_after(discord, "players:"), 3, "{discord}");
    assert!(number_after(discord, "users seen:") >= 3, "{discord}");
    let commands = field(&monitor, "Commands");
    // Five answered before this one at least (the counters are process-wide).
    assert!(number_after(commands, "last minute:") >= 5, "{commands}");
    assert!(number_after(commands, "refused:") >= 2, "{commands}");
    let log = field(&monitor, "Log");
    let events = table.engine.engine.log().last_seq();
    assert!(events > 0);
    assert!(log.starts_with(&format!("{events} events")), "{log}");
    assert!(log.contains("snapshot: none yet"), "{log}");
    assert!(
        field(&monitor, "Command latency").contains("p99 ≤"),
        "{monitor}"
    );
    assert_eq!(field(&monitor, "Store on disk"), "in memory");
    assert_eq!(field(&monitor, "Core"), "running");
    let health = field(&monitor, "Health");
    for light in ["Memory", "CPU", "Latency", "Refusals", "Core"] {
        assert!(health.contains(light), "{health}");
    }
    assert!(health.contains("🟢 Core"), "{health}");
    if cfg!(target_os = "linux") {
        let process = field(&monitor, "Process");
        assert!(number_after(process, "threads:") >= 1, "{process}");
        assert!(number_after(process, "open files:") >= 1, "{process}");
    }

    // A snapshot taken shows on Refresh, which replaces the message.
    let engine = table.engine.engine.clone();
    let seq = tokio::task::spawn_blocking(move || engine.snapshot_blocking())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (refresh, _) = first_component(&monitor, "Refresh");
    let refused = table.press(1, &refresh, &[]).await;
    assert!(
        refused.to_string().contains("Only the operator"),
        "{refused}"
    );
    let refreshed = table.press(999, &refresh, &[]).await;
    assert_eq!(refreshed["type"], 7, "{refreshed}");
    assert!(
        field(&refreshed, "Log").contains(&format!("snapshot: at event {seq}")),
        "{refreshed}"
    );

    let uptime = table.slash(999, "uptime").await;
    assert_eq!(uptime["data"]["embeds"][0]["title"], "AllSpark uptime");
    for name in ["Uptime", "Memory", "CPU", "Command latency", "Health"] {
        field(&uptime, name);
    }
    assert!(
        uptime["data"]["embeds"][0]["fields"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["name"] != "Log")),
        "the short form: {uptime}"
    );
    let (refresh, _) = first_component(&uptime, "Refresh");
    let refreshed = table.press(999, &refresh, &[]).await;
    assert_eq!(refreshed["data"]["embeds"][0]["title"], "AllSpark uptime");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_size_is_the_data_directory_on_disk() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let engine = allspark_engine::Engine::open_dir(dir.path(), Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let app = allspark_discord::app::App::new(engine.clone()).with_data_dir(dir.path());
    let sample = allspark_discord::monitor::sample(&app).await;
    let bytes = sample.store_bytes.unwrap_or(0);
    assert!(bytes > 0, "{sample:?}");
    assert_eq!(bytes, allspark_discord::monitor::dir_bytes(dir.path()));
    engine.shutdown_async().await;
}

#[test]
fn both_are_registered_for_administrators_only() {
    let payload = allspark_discord::commands::registration_payload();
    for name in ["monitor", "uptime"] {
        let command = payload
            .as_array()
            .and_then(|all| all.iter().find(|c| c["name"] == name))
            .unwrap_or_else(|| panic!("/{name} is not registered"));
        assert_eq!(command["default_member_permissions"], 0, "{command}");
    }
}
