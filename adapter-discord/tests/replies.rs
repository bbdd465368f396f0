//! Golden replies: the Discord JSON of every command and view, pinned with insta, and each one
//! validated against Discord's OpenAPI description and documented limits. The registration
//! payload is validated the same way.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test replies`, then review the diff.

mod support;

use allspark_discord::app::App;
use allspark_discord::invocation::{Invocation, Kind};
use allspark_discord::reply::Response;
use allspark_engine::testing::TestEngine;
use allspark_engine::CommandId;
use serde_json::Value;
use support::{check_callback, components};

struct Table {
    app: App,
    _engine: TestEngine,
    next_id: u128,
}

impl Table {
    fn new() -> Table {
        let engine = TestEngine::new();
        Table {
            app: App::new(engine.engine.clone()),
            _engine: engine,
            next_id: 10,
        }
    }

    async fn send(&mut self, user: u64, kind: Kind) -> Value {
        self.next_id += 1;
        let response: Response = self
            .app
            .handle(Invocation {
                id: CommandId(self.next_id),
                user,
                operator: user == 999,
                kind,
            })
            .await;
        let body = response.to_discord();
        check_callback(&body);
        body
    }

    async fn slash(&mut self, user: u64, line: &str) -> Value {
        let (name, options) =
            allspark_discord::console::parse_options(line).unwrap_or_else(|e| panic!("{e}"));
        self.send(user, Kind::Slash { name, options }).await
    }

    async fn press(&mut self, user: u64, custom_id: &str, values: &[&str]) -> Value {
        self.send(
            user,
            Kind::Press {
                custom_id: custom_id.into(),
                values: values.iter().map(|v| v.to_string()).collect(),
            },
        )
        .await
    }
}

fn first_component(body: &Value, label: &str) -> (String, String) {
    components(body)
        .into_iter()
        .find(|(_, l)| l.starts_with(label))
        .unwrap_or_else(|| panic!("no `{label}` in {body}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_and_view_matches_its_golden_reply() {
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
    golden!("help", table.slash(alice, "help").await);
    golden!("features", table.slash(alice, "features").await);
    golden!("battle_info", table.slash(alice, "battle_info").await);
    golden!("pet_without_one", table.slash(alice, "pet").await);
    golden!(
        "get_pet",
        table.slash(alice, "get_pet faction:decepticon").await
    );
    golden!(
        "charge_pet_full",
        table.slash(alice, "charge_pet duration:quick").await
    );
    golden!("train", table.slash(alice, "train intensity:average").await);
    golden!(
        "mission",
        table.slash(alice, "mission difficulty:easy").await
    );
    let dashboard = golden!("pet", table.slash(alice, "pet").await);
    let (rename, _) = first_component(&dashboard, "Rename");
    golden!("rename_form", table.press(alice, &rename, &[]).await);
    golden!(
        "rename_pet",
        table.slash(alice, "rename_pet name:Sprocket").await
    );
    golden!("pet_equipment", table.slash(alice, "pet_equipment").await);
    golden!(
        "pet_equip_nothing",
        table.slash(alice, "pet_equip slot:energy_core").await
    );
    golden!("someone_elses_button", table.press(bob, &rename, &[]).await);
    let kinds = golden!("battle_selection", table.slash(alice, "battle").await);
    let (kinds_id, kind) = first_component(&kinds, "option:");
    let enemies = golden!(
        "battle_enemy_list",
        table
            .press(alice, &kinds_id, &[kind.trim_start_matches("option:")])
            .await
    );
    let (enemy_id, enemy) = first_component(&enemies, "option:");
    let battle = golden!(
        "battle_started",
        table
            .press(alice, &enemy_id, &[enemy.trim_start_matches("option:")])
            .await
    );
    let (attack, _) = components(&battle)
        .into_iter()
        .find(|(id, _)| id.ends_with(":a:1"))
        .unwrap_or_default();
    golden!("battle_turn", table.press(alice, &attack, &[]).await);
    golden!(
        "battle_stale_button",
        table.press(alice, &attack, &[]).await
    );
    golden!("battle_not_yours", table.press(bob, &attack, &[]).await);
    golden!("spectate", table.slash(bob, "spectate user:1").await);
    golden!(
        "autocomplete_enemy",
        table
            .send(
                alice,
                Kind::Autocomplete {
                    name: "battle".into(),
                    option: "enemy".into(),
                    partial: "".into()
                }
            )
            .await
    );
    golden!(
        "get_pet_bob",
        table.slash(bob, "get_pet faction:autobot").await
    );
    golden!("pvp_challenge", table.slash(bob, "pvp opponent:1").await);
    golden!("group_pvp", table.slash(bob, "group_pvp size:2").await);
    golden!("lobby", table.slash(bob, "lobby").await);
    golden!("battle_stats", table.slash(alice, "battle_stats").await);
    golden!("ladder", table.slash(alice, "ladder").await);
    golden!("ranked", table.slash(bob, "ranked action:leave").await);
    golden!("scout", table.slash(bob, "scout").await);
    golden!("search_on_cooldown", table.slash(bob, "search").await);
    golden!("rush_info", table.slash(bob, "rush_info").await);
    golden!(
        "grant_refused",
        table.slash(bob, "grant user:2 amount:500").await
    );
    golden!("grant", table.slash(999, "grant user:2 amount:500").await);
    golden!(
        "bank_deposit",
        table.slash(bob, "bank action:deposit amount:100").await
    );
    golden!("send", table.slash(bob, "send to:1 amount:25").await);
    golden!("energon_history", table.slash(bob, "energon_history").await);
    golden!("energon_stats", table.slash(bob, "energon_stats").await);
    golden!(
        "energon_stats_daily",
        table.slash(bob, "energon_stats board:daily").await
    );
    golden!(
        "slots_bet",
        table.slash(bob, "slots difficulty:hard bet:50").await
    );
    golden!(
        "slots_free",
        table.slash(bob, "slots difficulty:medium").await
    );
    golden!(
        "energon_challenge",
        table.slash(alice, "energon_challenge amount:10").await
    );
    golden!("kill", table.slash(alice, "kill").await);
    golden!("unknown_command", table.slash(alice, "bogus").await);
    golden!("expired_view", table.press(alice, "0:old:view", &[]).await);
    // Operator erasure: picker, preview (Alice is in an open challenge, 555 never played),
    // a refusal for anyone else, the per-player result.
    let carol = 3u64;
    table.slash(carol, "get_pet faction:autobot").await;
    table.slash(999, "grant user:3 amount:120").await;
    golden!("admin_clear_refused", table.slash(bob, "admin_clear").await);
    let picker = golden!("admin_clear", table.slash(999, "admin_clear").await);
    let pick = picker["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let preview = golden!(
        "admin_clear_preview",
        table.press(999, &pick, &["3", "1", "555"]).await
    );
    let (erase, _) = first_component(&preview, "Erase 1 player");
    let (cancel, _) = first_component(&preview, "Cancel");
    golden!(
        "admin_clear_pressed_by_a_player",
        table.press(bob, &erase, &[]).await
    );
    golden!("admin_clear_done", table.press(999, &erase, &[]).await);
    golden!(
        "admin_clear_cancelled",
        table.press(999, &cancel, &[]).await
    );
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

#[test]
fn the_registration_payload_is_valid_for_discord() {
    let payload = allspark_discord::commands::registration_payload();
    let validator = support::commands_validator();
    let errors: Vec<String> = validator
        .iter_errors(&payload)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let commands = payload.as_array().cloned().unwrap_or_default();
    assert!(
        commands.len() <= 100,
        "Discord allows 100 global slash commands"
    );
    for command in &commands {
        let name = command["name"].as_str().unwrap_or_default();
        assert!(
            name.len() <= 32
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()),
            "{name}"
        );
        assert!(
            command["description"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .count()
                <= 100,
            "{name}"
        );
        assert!(command["options"].as_array().map_or(0, Vec::len) <= 25);
    }
    insta::assert_json_snapshot!("registration_payload", payload);
}
