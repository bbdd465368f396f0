//! The trade area's views: the shared trade message (both offers, who has confirmed, the
//! buttons), the presser's own pickers (items to add, lines to take back), the energon and
//! coin forms, and the words for trade events. Pure: engine read models in, [`Reply`] out.

use allspark_engine::content;
use allspark_engine::pets::content::ItemId;
use allspark_engine::trade::{Asset, Offer, Trade, TradeEnd, TradeEvent, OFFER_LINES_MAX};
use allspark_engine::PlayerId;

use crate::custom_id::Encode;
use crate::reply::{color, ButtonStyle, Embed, Modal, Reply, Row, Select, SelectOption};
use crate::trade::ids::Press;
use crate::view::{button, field, plural, truncate, when};

/// An item's display name (its id when the content no longer has it).
pub fn item_name(item: &ItemId) -> String {
    content::get()
        .items
        .get(item)
        .map_or_else(|| item.to_string(), |def| def.name.clone())
}

/// A line of an offer in words: `200 energon`, `1.5 CC`, `2 × Ember Core`.
pub fn line(asset: &Asset, amount: u64) -> String {
    match asset {
        Asset::Energon => format!("{amount} energon"),
        Asset::Coins => crate::market::render::coins(amount),
        Asset::Item(item) if amount == 1 => item_name(item),
        Asset::Item(item) => format!("{amount} × {}", item_name(item)),
    }
}

/// One side's offer; `mark` is `None` once the trade is over (who gave what, no confirmations).
fn offer_text(player: PlayerId, offer: &Offer, mark: Option<bool>) -> String {
    let mark = match mark {
        Some(true) => "✅ confirmed",
        Some(false) => "not confirmed yet",
        None => "offered",
    };
    let mut text = format!("<@{player}>: {mark}");
    if offer.is_empty() {
        text.push_str("\n*nothing yet*");
    }
    for (asset, amount) in offer.lines() {
        text.push_str(&format!("\n• {}", line(&asset, amount)));
    }
    truncate(&text, 1_000)
}

/// The shared trade message: both offers and, while it is open, its buttons.
pub fn trade_view(trade: &Trade) -> Reply {
    let [a, b] = trade.parties;
    let (title, description, colour) = match trade.ended {
        None => (
            "Trade".to_string(),
            format!(
                "<@{a}> and <@{b}> are trading. Each adds what they offer; when both confirm the \
                 same offer, everything changes hands at once. Any change clears both \
                 confirmations. The trade closes {}.",
                when(trade.expires_at)
            ),
            color::ENERGON,
        ),
        Some(TradeEnd::Completed) => (
            "Trade completed".to_string(),
            format!("<@{a}> and <@{b}> swapped their offers."),
            color::AUTOBOT,
        ),
        Some(TradeEnd::Cancelled { by }) => (
            "Trade cancelled".to_string(),
            format!("<@{by}> called the trade off; nothing changed hands."),
            color::NEUTRAL,
        ),
        Some(TradeEnd::Expired) => (
            "Trade expired".to_string(),
            "Time ran out before both confirmed; nothing changed hands.".to_string(),
            color::NEUTRAL,
        ),
        Some(TradeEnd::Withdrawn { .. }) => (
            "Trade withdrawn".to_string(),
            "A player left the game; nothing changed hands.".to_string(),
            color::NEUTRAL,
        ),
    };
    let open = trade.ended.is_none();
    let mut reply = Reply::embed(Embed {
        title: Some(title),
        description: Some(description),
        color: Some(colour),
        fields: vec![
            field(
                "First offer",
                offer_text(a, &trade.offers[0], open.then_some(trade.confirmed[0])),
                true,
            ),
            field(
                "Second offer",
                offer_text(b, &trade.offers[1], open.then_some(trade.confirmed[1])),
                true,
            ),
        ],
        footer: Some(format!("Offer revision {}", trade.revision)),
        ..Embed::default()
    });
    if open {
        let id = trade.id;
        reply = reply.with_rows(vec![
            Row::Buttons(vec![
                button(
                    "Add energon",
                    Press::AddEnergon { trade: id },
                    ButtonStyle::Primary,
                ),
                button(
                    "Add coins",
                    Press::AddCoins { trade: id },
                    ButtonStyle::Primary,
                ),
                button(
                    "Add an item",
                    Press::AddItem { trade: id },
                    ButtonStyle::Primary,
                ),
                button(
                    "Take back",
                    Press::Remove { trade: id },
                    ButtonStyle::Secondary,
                ),
                button("Refresh", Press::Show { trade: id }, ButtonStyle::Secondary),
            ]),
            Row::Buttons(vec![
                button(
                    format!("Confirm revision {}", trade.revision),
                    Press::Confirm {
                        trade: id,
                        revision: trade.revision,
                    },
                    ButtonStyle::Success,
                ),
                button(
                    "Cancel trade",
                    Press::Cancel { trade: id },
                    ButtonStyle::Danger,
                ),
            ]),
        ]);
    }
    reply
}

/// The message that opens a trade: the view, pinging the other player.
pub fn opened_view(trade: &Trade) -> Reply {
    let [a, b] = trade.parties;
    Reply {
        content: Some(format!("<@{b}>, <@{a}> wants to trade with you.")),
        pings: vec![b.0],
        ..trade_view(trade)
    }
}

/// The energon form of the trade.
pub fn energon_form(trade: &Trade) -> Modal {
    Modal {
        custom_id: Press::AddEnergon { trade: trade.id }.encode(),
        title: "Add energon to your offer".into(),
        inputs: vec![crate::reply::Input::short(
            "amount",
            "Energon",
            "a whole number, at most what you hold",
        )],
    }
}

/// The coin form of the trade: an amount of CyberCoin (decimals allowed) or `all`.
pub fn coins_form(trade: &Trade) -> Modal {
    Modal {
        custom_id: Press::AddCoins { trade: trade.id }.encode(),
        title: "Add CyberCoin to your offer".into(),
        inputs: vec![crate::reply::Input::short(
            "amount",
            "CyberCoin",
            "like 2 or 0.25, up to 6 decimals; all: every free coin",
        )],
    }
}

/// The presser's own picker: the items they hold and aren't offering yet (one piece a pick).
pub fn item_picker(trade: &Trade, items: &[(ItemId, u64)]) -> Reply {
    let options: Vec<SelectOption> = items
        .iter()
        .take(crate::reply::limits::SELECT_OPTIONS)
        .map(|(item, free)| SelectOption {
            label: truncate(&item_name(item), 100),
            value: item.0.clone(),
            description: Some(format!(
                "{} free to offer",
                plural(*free, "piece", "pieces")
            )),
        })
        .collect();
    if options.is_empty() {
        return Reply::refusal(
            "Your pet has no unequipped item that isn't on offer already (equipped items stay \
             on the pet: unequip one with /pet_unequip first).",
        );
    }
    Reply {
        ephemeral: true,
        ..Reply::text(format!(
            "Pick an item to add to your offer (one piece each time; at most {OFFER_LINES_MAX} \
             different things)."
        ))
        .with_rows(vec![Row::Select(Select {
            custom_id: Press::PickItem { trade: trade.id }.encode(),
            placeholder: "An item of yours".into(),
            options,
        })])
    }
}

/// The value a take-back option carries for an asset.
pub fn asset_value(asset: &Asset) -> String {
    match asset {
        Asset::Energon => "e".into(),
        Asset::Coins => "c".into(),
        Asset::Item(item) => format!("i:{item}"),
    }
}

/// The asset a take-back option's value names; `None` for anything else.
pub fn parse_asset_value(value: &str) -> Option<Asset> {
    match value {
        "e" => Some(Asset::Energon),
        "c" => Some(Asset::Coins),
        other => other
            .strip_prefix("i:")
            .filter(|item| !item.is_empty() && item.len() <= 90)
            .map(|item| Asset::Item(ItemId(item.to_string()))),
    }
}

/// The presser's picker of what they offer, to take a whole line back.
pub fn remove_picker(trade: &Trade, offer: &Offer) -> Reply {
    let options: Vec<SelectOption> = offer
        .lines()
        .iter()
        .map(|(asset, amount)| SelectOption {
            label: truncate(&line(asset, *amount), 100),
            value: asset_value(asset),
            description: None,
        })
        .collect();
    if options.is_empty() {
        return Reply::refusal("You offer nothing yet, so there is nothing to take back.");
    }
    Reply {
        ephemeral: true,
        ..Reply::text("Pick what to take back off your offer.").with_rows(vec![Row::Select(
            Select {
                custom_id: Press::PickRemove { trade: trade.id }.encode(),
                placeholder: "Something you offer".into(),
                options,
            },
        )])
    }
}

/// A line of words for a trade event, for the two players.
pub fn describe(event: &TradeEvent) -> Option<String> {
    Some(match event {
        TradeEvent::Opened { by, with, .. } => format!("<@{by}> opened a trade with <@{with}>"),
        TradeEvent::Added {
            player,
            asset,
            amount,
            ..
        } => format!("<@{player}> offers {} more", line(asset, *amount)),
        TradeEvent::Removed {
            player,
            asset,
            amount,
            ..
        } => format!("<@{player}> took back {}", line(asset, *amount)),
        TradeEvent::Confirmed {
            player, revision, ..
        } => format!("<@{player}> confirmed offer revision {revision}"),
        TradeEvent::Completed { .. } => "The trade is done: both offers changed hands.".into(),
        TradeEvent::Cancelled { by, .. } => format!("<@{by}> cancelled the trade"),
        TradeEvent::Expired { .. } => "The trade expired; nothing changed hands.".into(),
        TradeEvent::Withdrawn { .. } => {
            "The trade ended: a player left the game; nothing changed hands.".into()
        }
    })
}
