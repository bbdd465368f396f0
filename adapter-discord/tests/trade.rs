//! Player trades through the adapter: `/trade user:`, the shared view, the energon form, the
//! item picker, taking back, confirming the revision shown, cancelling; every reply pinned
//! (insta) and checked against Discord's OpenAPI description by the table, and the engine's
//! state read back after the swap.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test adapter trade::`, then review the diff.

use crate::support;

use std::collections::BTreeMap;

use allspark_discord::invocation::Kind;
use allspark_engine::pets::content::ItemId;
use allspark_engine::pets::PetCommand;
use allspark_engine::{Actor, Command, PlayerId};
use serde_json::Value;
use support::{components, first_component, Table};

fn text(body: &Value) -> String {
    body.to_string()
}

async fn form(table: &mut Table, user: u64, custom_id: &str, fields: &[(&str, &str)]) -> Value {
    let fields: BTreeMap<String, String> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    table
        .send(
            user,
            Kind::Form {
                custom_id: custom_id.into(),
                fields,
            },
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn two_players_trade_an_item_for_energon_through_the_views() {
    let mut table = Table::new();
    let (alice, bob, carol) = (1u64, 2u64, 3u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    macro_rules! golden {
        ($name:expr, $body:expr) => {{
            let body = $body;
            goldens.push(($name, body.clone()));
            body
        }};
    }
    table.slash(alice, "get_pet faction:autobot").await;
    table.slash(bob, "get_pet faction:decepticon").await;
    table.slash(carol, "help").await;
    table.slash(999, "grant user:2 amount:500").await;
    let item: ItemId = allspark_engine::content::get()
        .items
        .keys()
        .next()
        .cloned()
        .unwrap_or_else(|| panic!("no items"));
    let envelope = table.engine.envelope(
        Actor::Operator(PlayerId(999)),
        Command::Pet(PetCommand::GiveItem {
            player: PlayerId(alice),
            item: item.clone(),
        }),
    );
    let given = table
        .app
        .engine
        .execute(envelope)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(given.outcome.is_accepted());

    golden!(
        "trade_with_yourself",
        table.slash(alice, "trade user:1").await
    );
    let opened = golden!("trade_opened", table.slash(alice, "trade user:2").await);
    assert!(text(&opened).contains("wants to trade with you"));
    // Asking again shows the trade already open.
    let again = golden!("trade_shown_again", table.slash(bob, "trade user:1").await);
    assert_eq!(components(&again), components(&opened));

    // Alice adds her item through her own picker.
    let (add_item, _) = first_component(&opened, "Add an item");
    let picker = golden!(
        "trade_item_picker",
        table.press(alice, &add_item, &[]).await
    );
    let (pick, value) = first_component(&picker, "option:");
    assert_eq!(value, format!("option:{item}"));
    let with_item = golden!(
        "trade_item_added",
        table.press(alice, &pick, &[item.0.as_str()]).await
    );
    // Nothing more of it is free: the picker says so, and equipping it is refused.
    golden!(
        "trade_item_picker_empty",
        table.press(alice, &add_item, &[]).await
    );
    let slot = allspark_engine::content::get().items[&item].slot;
    let slot = allspark_discord::pets::ids::SLOTS
        .iter()
        .find(|(_, s)| *s == slot)
        .map(|(w, _)| *w)
        .unwrap_or_default();
    let equip = table
        .slash(alice, &format!("pet_equip slot:{slot} item:{item}"))
        .await;
    assert!(text(&equip).contains("on offer in a trade"), "{equip}");

    // Bob adds energon through the form; a bad amount changes nothing.
    let (add_energon, _) = first_component(&with_item, "Add energon");
    let modal = golden!(
        "trade_energon_form",
        table.press(bob, &add_energon, &[]).await
    );
    let form_id = modal["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    golden!(
        "trade_energon_bad_amount",
        form(&mut table, bob, &form_id, &[("amount", "lots")]).await
    );
    golden!(
        "trade_energon_too_much",
        form(&mut table, bob, &form_id, &[("amount", "501")]).await
    );
    let both = golden!(
        "trade_energon_added",
        form(&mut table, bob, &form_id, &[("amount", "200")]).await
    );

    // Someone else can't touch it.
    let (confirm_2, label) = first_component(&both, "Confirm");
    assert_eq!(label, "Confirm revision 2");
    golden!(
        "trade_not_a_party",
        table.press(carol, &confirm_2, &[]).await
    );

    // Alice confirms revision 2; Bob takes 50 back (revision 3), which clears it.
    let confirmed = golden!(
        "trade_confirmed_once",
        table.press(alice, &confirm_2, &[]).await
    );
    assert!(text(&confirmed).contains("✅ confirmed"));
    let (take_back, _) = first_component(&confirmed, "Take back");
    let remove_picker = golden!(
        "trade_take_back_picker",
        table.press(bob, &take_back, &[]).await
    );
    let (remove, value) = first_component(&remove_picker, "option:");
    assert_eq!(value, "option:e");
    let after_remove = table.press(bob, &remove, &["e"]).await;
    assert!(
        !text(&after_remove).contains("✅ confirmed"),
        "{after_remove}"
    );
    let refill = form(&mut table, bob, &form_id, &[("amount", "150")]).await;
    // Alice's old button names revision 2: refused as stale.
    golden!(
        "trade_stale_confirm",
        table.press(alice, &confirm_2, &[]).await
    );
    let (confirm_4, label) = first_component(&refill, "Confirm");
    assert_eq!(label, "Confirm revision 4");
    table.press(bob, &confirm_4, &[]).await;
    let done = golden!("trade_completed", table.press(alice, &confirm_4, &[]).await);
    assert!(text(&done).contains("Trade completed"));
    assert!(
        components(&done).is_empty(),
        "an ended trade has no buttons"
    );

    // The swap happened once: Bob's pet holds the item, the energon moved.
    let (a, b, inventory) = table
        .app
        .engine
        .query({
            let item = item.clone();
            move |w| {
                (
                    allspark_engine::energon::view::balances(w, PlayerId(1)).wallet,
                    allspark_engine::energon::view::balances(w, PlayerId(2)).wallet,
                    (
                        allspark_engine::pets::view::inventory(w, PlayerId(1)).contains(&item),
                        allspark_engine::pets::view::inventory(w, PlayerId(2)).contains(&item),
                    ),
                )
            }
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((a, b), (150, 350));
    assert_eq!(inventory, (false, true));
    golden!(
        "trade_confirm_after_the_end",
        table.press(bob, &confirm_4, &[]).await
    );
    // A second trade, cancelled by the other side.
    let second = table.slash(bob, "trade user:1").await;
    let (cancel, _) = first_component(&second, "Cancel trade");
    golden!("trade_cancelled", table.press(alice, &cancel, &[]).await);
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// The timer expires a trade at its deadline (not before), once, and the view then says so.
#[tokio::test(flavor = "multi_thread")]
async fn the_timer_expires_a_trade_at_its_deadline_and_the_view_says_so() {
    let mut table = Table::new();
    table.slash(2, "help").await;
    let opened = table.slash(1, "trade user:2").await;
    let (refresh, _) = first_component(&opened, "Refresh");
    let trade: allspark_engine::trade::TradeId = refresh
        .rsplit(':')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no trade in {refresh}"));
    let engine = table.app.engine.clone();
    let state = |engine: allspark_engine::Engine| async move {
        engine
            .query(move |w| allspark_engine::trade::view::trade(w, trade).map(|t| t.ended))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    table
        .engine
        .clock
        .advance_secs(allspark_engine::trade::TRADE_TTL_SECS - 1);
    allspark_discord::worker::tick(&engine).await;
    assert_eq!(
        state(engine.clone()).await,
        Some(None),
        "not before the deadline"
    );
    table.engine.clock.advance_secs(1);
    allspark_discord::worker::tick(&engine).await;
    allspark_discord::worker::tick(&engine).await;
    assert_eq!(
        state(engine.clone()).await,
        Some(Some(allspark_engine::trade::TradeEnd::Expired))
    );
    let expiries = engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                allspark_engine::Event::Trade(allspark_engine::trade::TradeEvent::Expired { .. })
            )
        })
        .count();
    assert_eq!(expiries, 1, "expired once");
    let shown = table.press(1, &refresh, &[]).await;
    assert!(text(&shown).contains("Trade expired"), "{shown}");
    assert!(components(&shown).is_empty());
    // The pair may trade again.
    let again = table.slash(2, "trade user:1").await;
    assert!(text(&again).contains("wants to trade with you"), "{again}");
}

/// A market command sent for `actor` straight to the engine.
async fn market(
    table: &mut Table,
    actor: u64,
    command: allspark_engine::market::MarketCommand,
) -> allspark_engine::Outcome {
    let envelope = table
        .engine
        .envelope(Actor::Player(PlayerId(actor)), Command::Market(command));
    table
        .app
        .engine
        .execute(envelope)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .outcome
}

/// CyberCoin through the coin form: a bad or too large amount changes nothing, coins on offer
/// can't be sold, the swap moves them with their cost, and the receiver's portfolio shows
/// where they came from.
#[tokio::test(flavor = "multi_thread")]
async fn coins_change_hands_through_the_coin_form() {
    use allspark_engine::market::{tuning::MICRO, view as market_view, Amount, MarketCommand};
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
    table.slash(alice, "help").await;
    table.slash(bob, "help").await;
    table.slash(999, "grant user:1 amount:2000").await;
    table.slash(999, "grant user:2 amount:500").await;
    let engine = table.app.engine.clone();
    allspark_discord::worker::market_ticks(&engine, std::time::Duration::from_secs(3_600)).await;
    let bought = market(
        &mut table,
        alice,
        MarketCommand::Buy {
            amount: Amount::Energon(1_000),
        },
    )
    .await;
    assert!(bought.is_accepted(), "{bought:?}");
    let holding = |player: u64| {
        let engine = engine.clone();
        async move {
            engine
                .query(move |w| {
                    market_view::portfolio(w, PlayerId(player)).map(|p| (p.coins, p.basis))
                })
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let (held, basis) = holding(alice).await.unwrap_or_else(|| panic!("no coins"));

    let opened = table.slash(alice, "trade user:2").await;
    let (add_coins, _) = first_component(&opened, "Add coins");
    let modal = golden!(
        "trade_coins_form",
        table.press(alice, &add_coins, &[]).await
    );
    let form_id = modal["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    golden!(
        "trade_coins_bad_amount",
        form(&mut table, alice, &form_id, &[("amount", "1.2345678")]).await
    );
    golden!(
        "trade_coins_energon_in_the_coin_form",
        form(&mut table, alice, &form_id, &[("amount", "50e")]).await
    );
    golden!(
        "trade_coins_too_many",
        form(&mut table, alice, &form_id, &[("amount", "1000")]).await
    );
    // Bob holds none: `all` says so.
    let bobs = form(&mut table, bob, &form_id, &[("amount", "all")]).await;
    assert!(text(&bobs).contains("no CyberCoin free"), "{bobs}");
    let with_coins = golden!(
        "trade_coins_added",
        form(&mut table, alice, &form_id, &[("amount", "1.5")]).await
    );
    assert!(text(&with_coins).contains("1.5 CC"), "{with_coins}");

    // Alice can't sell what she offers: selling everything sells only the rest.
    let too_much = market(
        &mut table,
        alice,
        MarketCommand::Sell {
            amount: Amount::Coins(held),
        },
    )
    .await;
    assert!(!too_much.is_accepted(), "{too_much:?}");

    let (add_energon, _) = first_component(&with_coins, "Add energon");
    let energon_form = table.press(bob, &add_energon, &[]).await;
    let energon_id = energon_form["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let both = form(&mut table, bob, &energon_id, &[("amount", "120")]).await;
    let (confirm, label) = first_component(&both, "Confirm");
    assert_eq!(label, "Confirm revision 2");
    table.press(bob, &confirm, &[]).await;
    let done = table.press(alice, &confirm, &[]).await;
    assert!(text(&done).contains("Trade completed"), "{done}");

    let moved = MICRO * 3 / 2;
    let share = (u128::from(basis) * u128::from(moved) / u128::from(held)) as u64;
    assert_eq!(holding(alice).await, Some((held - moved, basis - share)));
    assert_eq!(holding(bob).await, Some((moved, share)));
    let profile = golden!(
        "trade_coins_receivers_portfolio",
        table.slash(bob, "cybercoin_profile").await
    );
    assert!(
        text(&profile).contains("received 1.5 CC from <@1> in a trade"),
        "{profile}"
    );
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}
