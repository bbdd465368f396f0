//! Golden replies: the Discord JSON of every command and view, pinned with insta, and each one
//! validated against Discord's OpenAPI description and documented limits. The registration
//! payload is validated the same way.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test adapter replies::`, then review the diff.

use crate::support;

use allspark_discord::invocation::Kind;
use serde_json::Value;
use support::{components, first_component, Table};

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
    golden!(
        "pet_unequip_empty",
        table.slash(alice, "pet_unequip slot:energy_core").await
    );
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
    golden!("slots_stats", table.slash(bob, "slots_stats").await);
    golden!(
        "slots_stats_never_played",
        table.slash(alice, "slots_stats").await
    );
    golden!(
        "energon_challenge",
        table.slash(alice, "energon_challenge amount:10").await
    );
    golden!("kill_while_fighting", table.slash(alice, "kill").await);
    golden!("unknown_command", table.slash(alice, "bogus").await);
    golden!("expired_view", table.press(alice, "0:old:view", &[]).await);
    // Operator erasure: picker, preview (Alice is in an open challenge, 555 never played),
    // a refusal for anyone else, the per-player result.
    let carol = 3u64;
    table.slash(carol, "get_pet faction:autobot").await;
    golden!("kill", table.slash(carol, "kill").await);
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
    // Everything else a player reaches: care and pet buttons, bank, history and inventory
    // pages, slots again, duels accepted and declined, and every kind of lobby. (Added last so
    // the command ids, and so the dice, of the goldens above stay as they were.)
    let (dave, erin, finn, gus, hal, ivy) = (4u64, 5u64, 6u64, 7u64, 8u64, 9u64);
    for (player, faction) in [
        (dave, "autobot"),
        (erin, "decepticon"),
        (finn, "autobot"),
        (gus, "decepticon"),
        (hal, "autobot"),
        (ivy, "decepticon"),
    ] {
        table
            .slash(player, &format!("get_pet faction:{faction}"))
            .await;
        table
            .slash(999, &format!("grant user:{player} amount:600"))
            .await;
    }
    let dashboard = table.slash(dave, "pet").await;
    for (label, name) in [
        ("Train", "pressed_train"),
        ("Mission", "pressed_mission"),
        ("Charge", "pressed_charge"),
    ] {
        let (id, _) = first_component(&dashboard, label);
        golden!(name, table.press(dave, &id, &[]).await);
    }
    golden!(
        "repair_pet",
        table.slash(dave, "repair_pet duration:standard").await
    );
    golden!("play", table.slash(dave, "play duration:quick").await);
    let (equipment, _) = first_component(&dashboard, "Equipment");
    let inventory = golden!(
        "pressed_equipment",
        table.press(dave, &equipment, &[]).await
    );
    let next_page = any_component(&inventory, "Next ▶");
    golden!(
        "inventory_next_page",
        table.press(dave, &next_page, &[]).await
    );
    for _ in 0..6 {
        table.slash(dave, "bank action:deposit amount:10").await;
    }
    golden!(
        "bank_withdraw",
        table.slash(dave, "bank action:withdraw amount:25").await
    );
    golden!(
        "bank_balance",
        table.slash(dave, "bank action:balance").await
    );
    let history = table.slash(dave, "energon_history").await;
    let (older, _) = first_component(&history, "Older ▶");
    golden!(
        "energon_history_older",
        table.press(dave, &older, &[]).await
    );
    let spun = table.slash(erin, "slots difficulty:easy bet:10").await;
    let (again, _) = first_component(&spun, "Spin again");
    golden!("slots_again", table.press(erin, &again, &[]).await);
    // Duels: one declined, one accepted.
    let challenge = table.slash(erin, "pvp opponent:6").await;
    let (decline, _) = first_component(&challenge, "Decline");
    golden!("challenge_declined", table.press(finn, &decline, &[]).await);
    let challenge = table.slash(erin, "pvp opponent:6").await;
    let (accept, _) = first_component(&challenge, "Accept");
    let duel = golden!("challenge_accepted", table.press(finn, &accept, &[]).await);
    // Lobbies of every kind.
    let boss = allspark_engine::content::get()
        .enemies
        .values()
        .find(|e| e.kind == allspark_engine::battle::content::EnemyKind::Boss)
        .map(|e| e.id.clone())
        .unwrap_or_default();
    let group = golden!(
        "group_battle",
        table
            .slash(dave, &format!("group_battle enemy:{boss}"))
            .await
    );
    let (join, _) = first_component(&group, "Join");
    let (ready, _) = first_component(&group, "Ready");
    let (start, _) = first_component(&group, "Start");
    golden!("lobby_joined", table.press(gus, &join, &[]).await);
    golden!("lobby_ready", table.press(gus, &ready, &[]).await);
    golden!("lobby_started", table.press(dave, &start, &[]).await);
    let ffa = golden!("ffa_battle", table.slash(hal, "ffa_battle").await);
    let (cancel, _) = first_component(&ffa, "Cancel");
    golden!("lobby_cancelled", table.press(hal, &cancel, &[]).await);
    golden!("tournament", table.slash(ivy, "tournament size:8").await);
    // Where am I, a finished battle, the operator's fine, a found rush, a pet released.
    golden!("my_battle_fighting", table.slash(dave, "my_battle").await);
    golden!("my_battle_in_a_lobby", table.slash(ivy, "my_battle").await);
    golden!("my_battle_nothing", table.slash(hal, "my_battle").await);
    let (surrender, _) = first_component(&duel, "Surrender");
    golden!(
        "battle_over_by_surrender",
        table.press(finn, &surrender, &[]).await
    );
    golden!("fine", table.slash(999, "fine user:5 amount:40").await);
    table.engine.clock.advance_secs(24 * 3_600);
    golden!("search", table.slash(hal, "search").await);
    let kill = table.slash(hal, "kill").await;
    let (release, _) = first_component(&kill, "Release forever");
    golden!("kill_confirmed", table.press(hal, &release, &[]).await);
    golden!("pet_after_release", table.slash(hal, "pet").await);
    // The CyberCoin market: before it opens, opened by the timer and a day of ticks, the order
    // form, a trade, a refused amount, a portfolio, a board and another range.
    golden!(
        "cybercoin_market_closed",
        table.slash(alice, "cybercoin_market").await
    );
    let hour = std::time::Duration::from_secs(3_600);
    allspark_discord::worker::market_ticks(&table.app.engine, hour).await;
    for _ in 0..30 {
        table.engine.clock.advance_secs(3_600);
        allspark_discord::worker::market_ticks(&table.app.engine, hour).await;
    }
    table.slash(999, "grant user:1 amount:5000").await;
    let market = golden!(
        "cybercoin_market",
        table.slash(alice, "cybercoin_market").await
    );
    let (buy, _) = first_component(&market, "Buy");
    golden!("cybercoin_buy_form", table.press(alice, &buy, &[]).await);
    let order = |amount: &str| Kind::Form {
        custom_id: buy.clone(),
        fields: [("amount".to_string(), amount.to_string())].into(),
    };
    golden!("cybercoin_bought", table.send(alice, order("1,250")).await);
    golden!(
        "cybercoin_bad_amount",
        table.send(alice, order("1.5 energon")).await
    );
    golden!(
        "cybercoin_too_much",
        table.send(alice, order("999999")).await
    );
    golden!(
        "cybercoin_profile",
        table.slash(alice, "cybercoin_profile").await
    );
    golden!(
        "cybercoin_profile_of_a_stranger",
        table.slash(alice, "cybercoin_profile user:2").await
    );
    golden!(
        "cybercoin_leaderboard",
        table
            .slash(bob, "cybercoin_leaderboard board:holdings")
            .await
    );
    let week = any_component(&market, "7 d");
    golden!("cybercoin_market_week", table.press(bob, &week, &[]).await);
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// A component by label, enabled or not.
fn any_component(body: &Value, label: &str) -> String {
    body["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["label"].as_str() == Some(label))
        .and_then(|c| c["custom_id"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no `{label}` in {body}"))
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
    let all = payload.as_array().cloned().unwrap_or_default();
    let (commands, menus): (Vec<Value>, Vec<Value>) = all.into_iter().partition(|c| c["type"] == 1);
    assert!(
        commands.len() <= 100,
        "Discord allows 100 global slash commands"
    );
    // Message commands (a message's Apps menu): at most five, a name of up to 32 characters
    // (spaces and capitals allowed), an empty description, no options.
    assert!(!menus.is_empty() && menus.len() <= 5, "{menus:?}");
    for menu in &menus {
        let name = menu["name"].as_str().unwrap_or_default();
        assert_eq!(menu["type"], 3, "{name}");
        assert!((1..=32).contains(&name.chars().count()), "{name}");
        assert_eq!(menu["description"], "", "{name}");
        assert!(menu.get("options").is_none(), "{name}");
    }
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

/// Every (action, target) a battle view offers, buttons and menu together.
fn offered_moves(body: &Value) -> std::collections::BTreeSet<(char, u8)> {
    let mut moves = std::collections::BTreeSet::new();
    for (custom_id, label) in components(body) {
        let parts: Vec<&str> = custom_id.split(':').collect();
        let pick = match parts.as_slice() {
            ["1", "act", _, _, action, target] => Some((action.chars().next(), target.parse())),
            ["1", "actp", _, _] => {
                let value = label.trim_start_matches("option:");
                Some((value.chars().next(), value[1..].parse()))
            }
            _ => None,
        };
        if let Some((Some(action), Ok(target))) = pick {
            moves.insert((action, target));
        }
    }
    moves
}

/// The battle a view shows, from its ids.
fn battle_of(body: &Value) -> allspark_engine::battle::BattleId {
    components(body)
        .into_iter()
        .find_map(|(id, _)| id.strip_prefix("1:watch:").and_then(|b| b.parse().ok()))
        .unwrap_or_else(|| panic!("no battle in {body}"))
}

/// The fighter index of each player, and the actions chosen so far, read from the engine.
async fn fighter_of(table: &Table, battle: allspark_engine::battle::BattleId, player: u64) -> u8 {
    let fighters = table
        .engine
        .engine
        .query(move |w| {
            w.battles()
                .open
                .get(&battle)
                .map(|b| b.sim.fighters.clone())
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    fighters
        .iter()
        .position(|f| {
            matches!(f.who, allspark_engine::battle::sim::Who::Pet { player: p, .. } if p.0 == player)
        })
        .unwrap_or_else(|| panic!("player {player} is not fighting")) as u8
}

fn chosen(
    table: &Table,
    battle: allspark_engine::battle::BattleId,
) -> Vec<(u8, allspark_engine::battle::sim::Action)> {
    let events = table
        .engine
        .engine
        .log()
        .read_stream(&battle.stream(), 1, usize::MAX)
        .unwrap_or_default();
    events
        .into_iter()
        .filter_map(|recorded| match recorded.event {
            allspark_engine::Event::Battle(
                allspark_engine::battle::BattleEvent::ActionChosen {
                    fighter, action, ..
                },
            ) => Some((fighter, action)),
            _ => None,
        })
        .collect()
}

/// Whether a component with this label is disabled in a reply body.
fn is_disabled(body: &Value, label: &str) -> bool {
    body["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["label"].as_str().is_some_and(|l| l.starts_with(label)))
        .is_some_and(|c| c["disabled"] == Value::Bool(true))
}

fn is_ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().unwrap_or(0) & 64 != 0
}

/// Issue 13: the shared duel message offered every fighter's targets to both players (each
/// could "attack" themselves). Now it offers a private picker, and each picker holds only the
/// moves that player's seat may make.
#[tokio::test(flavor = "multi_thread")]
async fn in_a_duel_each_player_picks_from_their_own_moves_in_private() {
    use allspark_engine::battle::sim::Action;
    let mut table = Table::new();
    let (alice, bob) = (1u64, 2u64);
    table.slash(alice, "get_pet faction:autobot").await;
    table.slash(bob, "get_pet faction:decepticon").await;
    let challenge = table.slash(alice, "pvp opponent:2").await;
    let (accept, _) = first_component(&challenge, "Accept");
    let view = table.press(bob, &accept, &[]).await;
    insta::assert_json_snapshot!("pvp_battle_started", view);
    let battle = battle_of(&view);
    let (a, b) = (
        fighter_of(&table, battle, alice).await,
        fighter_of(&table, battle, bob).await,
    );
    assert!(
        offered_moves(&view).is_empty(),
        "the shared message offers nobody's moves: {view}"
    );
    let (choose, _) = first_component(&view, "Choose my move");
    let picker = table.press(alice, &choose, &[]).await;
    assert!(is_ephemeral(&picker), "{picker}");
    assert_eq!(
        offered_moves(&picker),
        [('a', b), ('c', 0), ('d', a)].into_iter().collect(),
        "{picker}"
    );
    // Special is shown, but can't be pressed before a charge (a disabled button offers nothing).
    assert!(is_disabled(&picker, "Special"), "no charge yet: {picker}");
    // The picker has no Refresh (watch) button, so live updates never take it for the shared
    // message and overwrite it.
    assert!(
        !components(&picker)
            .iter()
            .any(|(id, _)| id.contains(":watch:")),
        "{picker}"
    );
    // A spectator gets no picker.
    table.slash(3, "get_pet faction:autobot").await;
    let spectator = table.press(3, &choose, &[]).await;
    assert!(
        spectator.to_string().contains("aren't fighting"),
        "{spectator}"
    );
    // Both charge from their own pickers; the picker says the move is in.
    let (charge, _) = first_component(&picker, "Charge");
    let after = table.press(alice, &charge, &[]).await;
    assert!(after.to_string().contains("your move is in"), "{after}");
    let bob_picker = table.press(bob, &choose, &[]).await;
    assert_eq!(
        offered_moves(&bob_picker),
        [('a', a), ('c', 0), ('d', b)].into_iter().collect(),
        "{bob_picker}"
    );
    let (charge, _) = first_component(&bob_picker, "Charge");
    let next = table.press(bob, &charge, &[]).await;
    // Bob's charge resolved the turn: his picker is already the next turn's, special ready.
    assert!(!is_disabled(&next, "Special"), "{next}");
    let (special, _) = first_component(&next, "Special");
    table.press(bob, &special, &[]).await;
    let (update, _) = first_component(&after, "Update");
    let alice_next = table.press(alice, &update, &[]).await;
    let (special, _) = first_component(&alice_next, "Special");
    table.press(alice, &special, &[]).await;
    assert_eq!(
        chosen(&table, battle)[2..],
        [
            (b, Action::Special { target: a }),
            (a, Action::Special { target: b }),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_four_a_side_battle_each_picker_reaches_every_opponent_and_teammate() {
    use allspark_engine::battle::sim::Action;
    let mut table = Table::new();
    let players: Vec<u64> = (1..=8).collect();
    for &p in &players {
        table.slash(p, "get_pet faction:autobot").await;
    }
    let lobby = table.slash(1, "group_pvp size:4").await;
    let (side1, _) = first_component(&lobby, "Join side 1");
    let (side2, _) = first_component(&lobby, "Join side 2");
    let (ready, _) = first_component(&lobby, "Ready");
    let (start, _) = first_component(&lobby, "Start");
    table.press(1, &side1, &[]).await;
    for &p in &players[1..] {
        let side = if p <= 4 { &side1 } else { &side2 };
        table.press(p, side, &[]).await;
        table.press(p, &ready, &[]).await;
    }
    let view = table.press(1, &start, &[]).await;
    let battle = battle_of(&view);
    let (choose, _) = first_component(&view, "Choose my move");
    let mut teammates = Vec::new();
    let mut opponents = Vec::new();
    for p in 1..=8u64 {
        let seat = fighter_of(&table, battle, p).await;
        if p <= 4 {
            opponents.push(seat);
        } else {
            teammates.push(seat);
        }
    }
    let picker = table.press(8, &choose, &[]).await;
    let moves = offered_moves(&picker);
    for &seat in &opponents {
        assert!(moves.contains(&('a', seat)), "attack {seat}: {picker}");
        assert!(
            !moves.contains(&('d', seat)),
            "guard an opponent {seat}: {picker}"
        );
    }
    for &seat in &teammates {
        assert!(moves.contains(&('d', seat)), "guard {seat}: {picker}");
        assert!(
            !moves.contains(&('a', seat)),
            "attack a teammate {seat}: {picker}"
        );
    }
    let (me, them) = (
        fighter_of(&table, battle, 8).await,
        fighter_of(&table, battle, 4).await,
    );
    let (attack, _) = components(&picker)
        .into_iter()
        .find(|(id, _)| id.contains(":act:") && id.ends_with(&format!(":a:{them}")))
        .unwrap_or_else(|| panic!("no attack on {them} in {picker}"));
    table.press(8, &attack, &[]).await;
    assert_eq!(
        chosen(&table, battle),
        vec![(me, Action::Attack { target: them })]
    );
}

/// Every registered command reaches a handler, and every handled command is registered: the
/// registration table and the dispatch are both built from the areas' `Slash` enums (the
/// handlers match on them exhaustively), so here the table and the registry must agree, and
/// every registered name, typed by a player, reaches its area rather than "unknown command".
#[tokio::test(flavor = "multi_thread")]
async fn registered_commands_and_handled_commands_are_the_same_set() {
    use allspark_discord::areas::Slash;
    let registered: std::collections::BTreeSet<&str> = allspark_discord::commands::all()
        .iter()
        .map(|c| c.name)
        .collect();
    let handled: std::collections::BTreeSet<&str> = Slash::all().iter().map(|s| s.name()).collect();
    assert_eq!(registered, handled);
    assert!(handled.len() > 20, "found only {handled:?}");
    for name in &registered {
        assert_eq!(Slash::parse(name).map(Slash::name), Some(*name));
    }
    let mut table = Table::new();
    for name in &registered {
        let body = table.slash(1, name).await;
        assert!(
            !body.to_string().contains("unknown command"),
            "/{name} is registered but not handled: {body}"
        );
    }
    assert!(table
        .slash(1, "no_such_command")
        .await
        .to_string()
        .contains("unknown command"));
}

/// Discord allows 100 global chat-input commands; the table keeps room for growth, and the
/// operator's commands are hidden from everyone without the Administrator permission.
#[test]
fn the_table_stays_under_discords_limit_and_hides_operator_commands() {
    let commands = allspark_discord::commands::all();
    assert!(
        commands.len() <= allspark_discord::commands::COMMANDS_MAX,
        "{} commands; Discord allows 100 and we keep {} as the ceiling",
        commands.len(),
        allspark_discord::commands::COMMANDS_MAX
    );
    let payload = allspark_discord::commands::registration_payload();
    for command in payload.as_array().cloned().unwrap_or_default() {
        let name = command["name"].as_str().unwrap_or_default();
        let operator = [
            "grant",
            "fine",
            "admin_clear",
            "uptime",
            "monitor",
            "logs",
            "logs_clear",
            "sync_commands",
            "clear_debug_log",
        ]
        .contains(&name);
        assert_eq!(
            command.get("default_member_permissions") == Some(&serde_json::json!(0)),
            operator,
            "/{name}"
        );
    }
}

/// A tournament through the app: the start lists every first-round match with a button each,
/// pinging the players; a winner waiting for the round is told where things stand; the turn
/// that ends the round announces the next one; the last match crowns the winner.
#[tokio::test(flavor = "multi_thread")]
async fn a_tournament_is_announced_round_by_round_with_a_view_for_every_match() {
    let mut table = Table::new();
    let players: Vec<u64> = (21..=24).collect();
    for &p in &players {
        table.slash(p, "get_pet faction:autobot").await;
    }
    let lobby = table.slash(21, "tournament size:4").await;
    let (join, _) = first_component(&lobby, "Join");
    let (ready, _) = first_component(&lobby, "Ready");
    let (start, _) = first_component(&lobby, "Start");
    for &p in &players[1..] {
        table.press(p, &join, &[]).await;
        table.press(p, &ready, &[]).await;
    }
    let started = table.press(21, &start, &[]).await;
    insta::assert_json_snapshot!("tournament_started", started);
    let mut pinged: Vec<String> = started["data"]["allowed_mentions"]["users"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u.as_str().map(str::to_string))
        .collect();
    pinged.sort();
    assert_eq!(pinged, vec!["21", "22", "23", "24"]);
    let (open, _) = first_component(&started, "Open match 1");
    let opened = table.press(22, &open, &[]).await;
    assert_eq!(opened["type"], 4, "a new message: {opened}");
    assert!(opened.to_string().contains("tournament battle"), "{opened}");

    // Match 1 is fought to its end first, so its winner waits for match 2.
    let first = battle_of(&opened);
    let mut waiting_told = false;
    let mut next_round_announced = false;
    let mut crowned = false;
    for _ in 0..800 {
        if crowned {
            break;
        }
        let first_over = !table
            .engine
            .engine
            .query(move |w| w.battles().open.contains_key(&first))
            .await
            .unwrap_or(false);
        for &p in &players {
            let view = table.slash(p, "my_battle").await;
            let text = view.to_string();
            if text.contains("through to round") {
                // Told where things stand, with the match still being fought.
                waiting_told |= text.contains("Open match 1");
                continue;
            }
            if !text.contains(":moves:") {
                continue;
            }
            let battle = battle_of(&view);
            if !first_over && battle != first {
                continue;
            }
            // Duels are fought from each player's own move picker.
            let (choose, _) = first_component(&view, "Choose my move");
            let view = table.press(p, &choose, &[]).await;
            let me = fighter_of(&table, battle, p).await;
            let Some((attack, _)) = components(&view).into_iter().find(|(id, _)| {
                id.contains(":act:") && id.contains(":a:") && !id.ends_with(&format!(":a:{me}"))
            }) else {
                continue;
            };
            let body = table.press(p, &attack, &[]).await;
            let pressed = body.to_string();
            // What a match led to reads after the match's own result (issue 13: the next
            // round began before the match that caused it was won).
            let content = body["data"]["content"].as_str().unwrap_or_default();
            let verdict = content.find(" wins!").or_else(|| content.find("A draw"));
            for after in ["The next round has begun", "wins the tournament"] {
                if let Some(at) = content.find(after) {
                    assert!(verdict.is_some_and(|v| v < at), "out of order: {content}");
                }
            }
            next_round_announced |= pressed.contains("The next round has begun");
            crowned |= pressed.contains("wins the tournament");
        }
    }
    assert!(waiting_told, "a round-one winner was never told to wait");
    assert!(next_round_announced, "the final was never announced");
    assert!(crowned, "nobody won the tournament");
    // Any later look at a finished match (a refresh, a live update) shows where it led.
    let refreshed = table.press(23, &format!("1:watch:{first}"), &[]).await;
    assert!(
        refreshed.to_string().contains("wins the tournament"),
        "{refreshed}"
    );
    let idle = table.slash(21, "my_battle").await;
    assert!(idle.to_string().contains("not in a battle"), "{idle}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ranked_match_pings_the_player_who_was_waiting() {
    let mut table = Table::new();
    table.slash(31, "get_pet faction:autobot").await;
    table.slash(32, "get_pet faction:decepticon").await;
    let queued = table.slash(31, "ranked action:join").await;
    assert_eq!(queued["data"]["flags"], 64);
    let waiting = table.slash(31, "my_battle").await;
    assert!(
        waiting.to_string().contains("ranked queue (you joined <t:"),
        "{waiting}"
    );
    let found = table.slash(32, "ranked action:join").await;
    assert!(
        found
            .to_string()
            .contains("Ranked duel found: <@31> vs <@32>"),
        "{found}"
    );
    assert_eq!(
        found["data"]["allowed_mentions"]["users"],
        serde_json::json!(["31", "32"])
    );
    let fighting = table.slash(31, "my_battle").await;
    assert_eq!(battle_of(&fighting), battle_of(&found));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_equip_picker_lists_the_rarest_items_when_there_are_more_than_a_menu_holds() {
    use allspark_engine::pets::content::Slot;
    use allspark_engine::pets::PetCommand;
    use allspark_engine::{Actor, Command, PlayerId};
    let mut table = Table::new();
    table.slash(41, "get_pet faction:autobot").await;
    let cores: Vec<_> = allspark_engine::content::get()
        .items
        .values()
        .filter(|item| item.slot == Slot::EnergyCore)
        .cloned()
        .collect();
    assert!(cores.len() > 25, "the content has {} cores", cores.len());
    for (n, core) in cores.iter().enumerate() {
        // Ids far from the table's own, which count up from 10.
        let envelope = table.engine.engine.envelope(
            allspark_engine::CommandId(1_000_000 + n as u128),
            Actor::System,
            Command::Pet(PetCommand::GiveItem {
                player: PlayerId(41),
                item: core.id.clone(),
            }),
        );
        let reply = table.engine.engine.execute(envelope).await;
        assert!(matches!(reply, Ok(r) if r.outcome.is_accepted()));
    }
    // What the pet holds (one core may already be worn, and so not in the inventory).
    let held = table
        .engine
        .engine
        .query(|w| {
            w.pets().get(PlayerId(41)).map_or(0, |pet| {
                pet.inventory
                    .keys()
                    .filter(|id| id.0.starts_with("core."))
                    .count()
            })
        })
        .await
        .unwrap_or(0);
    assert!(held > 25, "holds {held}");
    let picker = table.slash(41, "pet_equip slot:energy_core").await;
    let text = picker.to_string();
    assert!(text.contains(&format!("the 25 rarest of {held}")), "{text}");
    let options: Vec<(String, String)> = components(&picker);
    assert_eq!(options.len(), 25);
    let rarest = cores.iter().map(|c| c.rarity).max();
    let first = options[0].1.trim_start_matches("option:").to_string();
    let first_rarity = cores.iter().find(|c| c.id.0 == first).map(|c| c.rarity);
    assert_eq!(first_rarity, rarest);
    let equipped = table.press(41, &options[0].0, &[&first]).await;
    assert!(equipped.to_string().contains("Equipped"), "{equipped}");
}

/// The shared reply check refuses what Discord refuses: more than 6,000 embed characters in
/// one message (even when every embed is within its own limits), and a custom_id used twice.
#[test]
fn the_reply_check_counts_every_embed_and_refuses_a_repeated_custom_id() {
    use serde_json::json;
    let refused =
        |body: Value| std::panic::catch_unwind(|| support::check_callback(&body)).is_err();
    let embeds = |each: usize| {
        json!({ "type": 4, "data": { "embeds": [
            { "title": "one", "description": "a".repeat(each) },
            { "title": "two", "description": "b".repeat(each) },
        ] } })
    };
    assert!(!refused(embeds(2_900)), "5,806 characters fit");
    assert!(
        refused(embeds(3_500)),
        "7,006 characters over two embeds do not"
    );
    let buttons = |first: &str, second: &str| {
        json!({ "type": 4, "data": { "content": "pick", "components": [
            { "type": 1, "components": [
                { "type": 2, "style": 1, "label": "A", "custom_id": first },
            ] },
            { "type": 1, "components": [
                { "type": 2, "style": 1, "label": "B", "custom_id": second },
            ] },
        ] } })
    };
    assert!(!refused(buttons("x:1", "x:2")));
    assert!(
        refused(buttons("x:1", "x:1")),
        "a custom_id twice in one message"
    );
}

/// Discord lets an option carry up to 6,000 characters. Whatever a person types into any
/// option of any command, the answer fits every documented limit (`check_callback` validates
/// each reply against Discord's description and limits) and quotes at most a short piece of
/// what was typed.
#[tokio::test(flavor = "multi_thread")]
async fn every_reply_fits_discords_limits_whatever_the_input() {
    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    let long = "é".repeat(6_000);
    let long_word = "x".repeat(6_000);
    for spec in allspark_discord::commands::all() {
        for target in &spec.options {
            let mut line = spec.name.to_string();
            for option in &spec.options {
                // The option under test gets the long input; the others a valid-looking value.
                let value = if option.name == target.name {
                    if option.choices.is_empty() {
                        long.clone()
                    } else {
                        long_word.clone()
                    }
                } else if let Some((_, value)) = option.choices.first() {
                    value.to_string()
                } else {
                    match option.kind {
                        allspark_discord::commands::Kind::Integer => "10".to_string(),
                        allspark_discord::commands::Kind::User => "2".to_string(),
                        allspark_discord::commands::Kind::Role => "3".to_string(),
                        allspark_discord::commands::Kind::Text => "x".to_string(),
                    }
                };
                line.push_str(&format!(" {}:{value}", option.name));
            }
            for user in [1, 999] {
                let body = table.slash(user, &line).await;
                let text = body.to_string();
                assert!(
                    !text.contains(&"é".repeat(100)) && !text.contains(&"x".repeat(100)),
                    "/{} {}: the reply quotes the whole input: {}",
                    spec.name,
                    target.name,
                    &text[..text.len().min(300)]
                );
            }
        }
    }
    // An unknown command with a 6,000-character name, too.
    let body = table.slash(1, &"z".repeat(6_000)).await;
    assert!(body.to_string().contains("unknown command"));
    assert!(!body.to_string().contains(&"z".repeat(100)));
}

/// A name in the erasable store without its `Renamed` event (a crash between the two writes)
/// is never shown: the dashboard reads the chosen name only when the log says there is one.
#[tokio::test(flavor = "multi_thread")]
async fn a_stored_name_without_its_event_is_not_shown() {
    use allspark_engine::personal::{MemoryPersonal, PersonalStore, KEY_PET_NAME};
    use std::sync::Arc;
    let personal = Arc::new(MemoryPersonal::default());
    let engine = allspark_engine::testing::TestEngine::on_stores(
        Arc::new(allspark_engine::MemoryLog::new()),
        personal.clone(),
        allspark_engine::EngineConfig::default(),
    );
    let app = allspark_discord::app::App::new(engine.engine.clone());
    let ask =
        |id: u128, name: &str, options: &[(&str, &str)]| allspark_discord::invocation::Invocation {
            id: allspark_engine::CommandId(id),
            user: 5,
            operator: false,
            roles: Vec::new(),
            place: Default::default(),
            kind: allspark_discord::invocation::Kind::Slash {
                name: name.to_string(),
                options: options
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            },
        };
    app.handle(ask(1, "get_pet", &[("faction", "autobot")]))
        .await;
    personal
        .put(allspark_engine::PlayerId(5), KEY_PET_NAME, "Orphaned")
        .expect("put");
    let dashboard = app
        .handle(ask(2, "pet", &[]))
        .await
        .to_discord()
        .to_string();
    assert!(!dashboard.contains("Orphaned"), "{dashboard}");
    // Once the rename is recorded, the chosen name is what everyone sees.
    app.handle(ask(3, "rename_pet", &[("name", "Bolt")])).await;
    let dashboard = app
        .handle(ask(4, "pet", &[]))
        .await
        .to_discord()
        .to_string();
    assert!(dashboard.contains("Bolt"), "{dashboard}");
}

/// Issue 13: a pet worn down to a sliver of health went into fights without a word. The enemy
/// picker (and a lobby or challenge) warns first; a healthy pet gets no warning.
#[tokio::test(flavor = "multi_thread")]
async fn a_pet_low_on_health_is_warned_about_before_a_fight() {
    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    let healthy = table.slash(1, "battle").await;
    assert!(!healthy.to_string().contains("battle health"), "{healthy}");
    // A day without care: decay takes energy (one point per 6 minutes) and maintenance (per
    // 12) to nothing and happiness (per 10) from 200 to 56.
    table.engine.clock.advance_secs(24 * 3600);
    let picker = table.slash(1, "battle").await;
    let content = picker["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("only 56 of 400 battle health") && content.contains("/repair_pet"),
        "{picker}"
    );
    let lobby = table.slash(1, "ffa_battle").await;
    assert!(
        lobby["data"]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("56 of 400 battle health"),
        "{lobby}"
    );
    // Another day: nothing left, and the picker says it can't fight at all.
    table.engine.clock.advance_secs(24 * 3600);
    let picker = table.slash(1, "battle").await;
    let content = picker["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("can't fight"), "{picker}");
}

/// `/help` names every command a player can use, each with its whole description, and the
/// message commands, whatever the table grows to (it once cut the list at the description
/// limit and lost the last commands).
#[tokio::test(flavor = "multi_thread")]
async fn help_lists_every_player_command_whole() {
    let mut table = Table::new();
    let help = table.slash(1, "help").await;
    let text = help["data"]["embeds"].to_string();
    for command in allspark_discord::commands::all() {
        if command.operator {
            continue;
        }
        let line = serde_json::to_string(&format!("`/{}` — {}", command.name, command.description))
            .unwrap_or_default();
        assert!(
            text.contains(line.trim_matches('"')),
            "/{} is missing from /help",
            command.name
        );
    }
    assert!(text.contains("Add message to lore"), "{text}");
}
