//! A player's own data and self-erasure: `/my_data` holds the events that name them (on any
//! stream) and the text they wrote, ids as strings, as a file attachment; `/forget_me` asks
//! first, only its owner may press it, Keep me spends the confirmation, and Erase me erases
//! through the engine's rule as the player's own act.

use crate::support;

use std::collections::BTreeMap;

use allspark_discord::invocation::{Invocation, Kind};
use allspark_discord::reply::Response;
use allspark_engine::energon::EnergonCommand;
use allspark_engine::personal::KEY_PET_NAME;
use allspark_engine::pets::PetCommand;
use allspark_engine::{Actor, Command, CommandId, PlayerId};
use serde_json::Value;
use support::{check_callback, first_component, Table};

const ALICE: u64 = 41;
const BOB: u64 = 42;

/// A command straight to the engine, from inside the async test.
fn run(table: &mut Table, actor: Actor, command: Command) -> allspark_engine::Outcome {
    tokio::task::block_in_place(|| table.engine.run(actor, command))
}

async fn respond(table: &Table, id: u128, user: u64, name: &str) -> Response {
    table
        .app
        .handle(Invocation {
            id: CommandId(id),
            user,
            operator: false,
            roles: Vec::new(),
            place: Default::default(),
            kind: Kind::Slash {
                name: name.into(),
                options: BTreeMap::new(),
            },
        })
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn my_data_is_a_json_file_of_the_events_naming_the_player_and_their_text() {
    let mut table = Table::new();
    table.slash(ALICE, "get_pet faction:autobot").await;
    table.slash(BOB, "get_pet faction:decepticon").await;
    run(
        &mut table,
        Actor::System,
        Command::Energon(EnergonCommand::Credit {
            player: PlayerId(BOB),
            amount: 500,
        }),
    );
    // Bob pays Alice: the debit is on Bob's stream but names her.
    assert!(run(
        &mut table,
        Actor::Player(PlayerId(BOB)),
        Command::Energon(EnergonCommand::Transfer {
            to: PlayerId(ALICE),
            amount: 120,
        }),
    )
    .is_accepted());
    assert!(run(
        &mut table,
        Actor::Player(PlayerId(ALICE)),
        Command::Pet(PetCommand::Rename {
            name: "Glimmerwick".into(),
        }),
    )
    .is_accepted());

    let response = respond(&table, 900, ALICE, "my_data").await;
    let body = response.to_discord();
    check_callback(&body);
    assert_eq!(body["data"]["flags"], 64, "private: {body}");
    let files = response.files();
    assert_eq!(files.len(), 1, "{body}");
    assert_eq!(
        body["data"]["attachments"][0]["filename"],
        files[0].filename.as_str()
    );
    assert_eq!(body["data"]["attachments"][0]["id"], "0");
    let data: Value = serde_json::from_slice(&files[0].bytes).expect("JSON");
    assert_eq!(data["player"], "41");
    assert_eq!(
        data["personal_text"],
        serde_json::json!([{ "key": KEY_PET_NAME, "text": "Glimmerwick" }])
    );
    let events = data["events"].as_array().expect("events");
    assert!(events.len() >= 3, "{data:#}");
    for event in events {
        let on_own_stream = event["stream"] == "user/41";
        let names_alice = event["event"].to_string().contains("\"41\"");
        assert!(on_own_stream || names_alice, "not Alice's: {event}");
        assert!(event["seq"].is_string() && event["command_id"].is_string());
    }
    // Bob's debit to her, from his stream, ids as strings.
    assert!(
        events.iter().any(|e| e["stream"] == "user/42"
            && e["event"]["Energon"]["Debited"]["rule"]["TransferOut"]["to"] == "41"),
        "{data:#}"
    );
    // Bob's own adoption does not name her.
    assert!(!events
        .iter()
        .any(|e| e["stream"] == "user/42" && e["event"].get("Pet").is_some()));
    // Bob's export doesn't carry Alice's text.
    let bobs = respond(&table, 901, BOB, "my_data").await;
    let bobs: Value = serde_json::from_slice(&bobs.files()[0].bytes).expect("JSON");
    assert_eq!(bobs["personal_text"], serde_json::json!([]));
    assert!(!bobs.to_string().contains("Glimmerwick"));
}

#[tokio::test(flavor = "multi_thread")]
async fn forget_me_asks_first_is_the_owners_alone_and_erases_through_the_engine() {
    let mut table = Table::new();
    table.slash(ALICE, "get_pet faction:autobot").await;
    run(
        &mut table,
        Actor::Player(PlayerId(ALICE)),
        Command::Pet(PetCommand::Rename {
            name: "Glimmerwick".into(),
        }),
    );
    let asked = table.slash(ALICE, "forget_me").await;
    assert_eq!(asked["data"]["flags"], 64, "{asked}");
    let (erase, _) = first_component(&asked, "Erase me");
    let (keep, _) = first_component(&asked, "Keep me");
    // Someone else's press is refused and changes nothing.
    let foreign = table.press(BOB, &erase, &[]).await;
    assert!(foreign.to_string().contains("isn't yours"), "{foreign}");
    // Keep me spends the confirmation: its Erase me erases nobody afterwards.
    let kept = table.press(ALICE, &keep, &[]).await;
    assert!(kept.to_string().contains("Nothing was erased"), "{kept}");
    let late = table.press(ALICE, &erase, &[]).await;
    assert!(late.to_string().contains("cancelled"), "{late}");
    assert!(table
        .engine
        .engine
        .query(|w| allspark_engine::player::view::known(w, PlayerId(ALICE)))
        .await
        .expect("query"));

    let asked = table.slash(ALICE, "forget_me").await;
    let (erase, _) = first_component(&asked, "Erase me");
    let done = table.press(ALICE, &erase, &[]).await;
    assert!(done.to_string().contains("You have been erased"), "{done}");
    assert!(!table
        .engine
        .engine
        .query(|w| allspark_engine::player::view::known(w, PlayerId(ALICE)))
        .await
        .expect("query"));
    assert_eq!(
        table
            .engine
            .engine
            .personal_text(PlayerId(ALICE), KEY_PET_NAME)
            .expect("read"),
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn forget_me_is_refused_mid_battle() {
    let mut table = Table::new();
    table.slash(ALICE, "get_pet faction:autobot").await;
    let enemy = allspark_engine::content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .expect("an enemy");
    assert!(run(
        &mut table,
        Actor::Player(PlayerId(ALICE)),
        Command::Battle(allspark_engine::battle::BattleCommand::StartSolo { enemy }),
    )
    .is_accepted());
    let refused = table.slash(ALICE, "forget_me").await;
    assert!(
        refused.to_string().contains("can't be erased while"),
        "{refused}"
    );
    assert!(
        support::components(&refused).is_empty(),
        "no buttons: {refused}"
    );
}
