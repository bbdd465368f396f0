//! The trade area in Discord: `/trade user:` opens a trade (or shows the one already open with
//! that player) as one message both players share: both offers, who has confirmed, and
//! buttons to add energon or CyberCoin (a form with the amount), add an item (a picker of the
//! presser's own unequipped items not on offer), take something back, confirm the revision shown, cancel,
//! and refresh. Every press answers with the trade as it now stands, and `live.rs` keeps the
//! posted message fresh for the other player. The rules are the engine's: a press by anyone but
//! the two players, a stale confirmation or an expired trade is refused there.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Trading";

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::market::{Amount, Unit};
use allspark_engine::pets::content::ItemId;
use allspark_engine::trade::{
    view, Asset, Trade, TradeCommand, TradeEvent, TradeId, TradeRejection,
};
use allspark_engine::{Command, Event, PlayerId, Rejection};

use crate::app::{refuse, App, Handled};
use crate::commands::{command, option, CommandSpec, Kind};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use ids::Press;

crate::commands::slash_commands! {
    /// The trade area's slash commands.
    pub enum Slash {
        Trade = "trade",
    }
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Trade => command(
            name,
            "Trade energon, CyberCoin and pet items with another player; both confirm, then it all swaps",
            vec![option("user", "Who to trade with", Kind::User, true)],
        ),
    }
}

/// The area's slash commands, in registry order.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

/// The trade as it stands (open or recently ended).
async fn load(app: &App, trade: TradeId) -> Result<Trade, Response> {
    app.read(move |w| view::trade(w, trade))
        .await?
        .ok_or_else(|| refuse("That trade is over (or never was); open a new one with /trade."))
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    match slash {
        Slash::Trade => {
            let with = PlayerId(options.required_user("user").map_err(bad)?);
            match app
                .try_execute(inv, Command::Trade(TradeCommand::Open { with }))
                .await
            {
                Ok(events) => {
                    let Some(trade) = opened(&events) else {
                        return Err(refuse("The trade could not be opened; try again."));
                    };
                    Ok(Response::Message(render::opened_view(
                        &load(app, trade).await?,
                    )))
                }
                // The trade with that player is already open: show it again.
                Err(refused) => match refused.rejection {
                    Some(Rejection::Trade(TradeRejection::AlreadyTrading { trade, .. })) => Ok(
                        Response::Message(render::trade_view(&load(app, trade).await?)),
                    ),
                    _ => Err(refused.answer),
                },
            }
        }
    }
}

fn opened(events: &[Event]) -> Option<TradeId> {
    events.iter().find_map(|event| match event {
        Event::Trade(TradeEvent::Opened { trade, .. }) => Some(*trade),
        _ => None,
    })
}

/// The trade's view as it stands now.
pub async fn trade_reply(app: &App, trade: TradeId) -> Result<Reply, Response> {
    Ok(render::trade_view(&load(app, trade).await?))
}

/// Runs a trade command for the presser, then answers with the trade as it now stands.
async fn act(app: &App, inv: &Invocation, command: TradeCommand) -> Handled {
    let trade = match &command {
        TradeCommand::Add { trade, .. }
        | TradeCommand::Remove { trade, .. }
        | TradeCommand::Confirm { trade, .. }
        | TradeCommand::Cancel { trade }
        | TradeCommand::Expire { trade } => *trade,
        TradeCommand::Open { .. } => return Err(refuse("Open a trade with /trade.")),
    };
    app.execute(inv, Command::Trade(command)).await?;
    Ok(Response::Update(render::trade_view(
        &load(app, trade).await?,
    )))
}

/// The presser's side of an open trade, or the refusal the engine would give.
fn side_of(trade: &Trade, me: PlayerId) -> Result<usize, Response> {
    if trade.ended.is_some() {
        return Err(refuse(TradeRejection::NoSuchTrade.to_string()));
    }
    trade
        .side(me)
        .ok_or_else(|| refuse(TradeRejection::NotAParty.to_string()))
}

pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
    let me = inv.player();
    match press {
        Press::Show { trade } => Ok(Response::Update(render::trade_view(
            &load(app, trade).await?,
        ))),
        Press::Confirm { trade, revision } => {
            act(app, inv, TradeCommand::Confirm { trade, revision }).await
        }
        Press::Cancel { trade } => act(app, inv, TradeCommand::Cancel { trade }).await,
        Press::AddEnergon { trade } => {
            let loaded = load(app, trade).await?;
            side_of(&loaded, me)?;
            Ok(Response::Modal(render::energon_form(&loaded)))
        }
        Press::AddCoins { trade } => {
            let loaded = load(app, trade).await?;
            side_of(&loaded, me)?;
            Ok(Response::Modal(render::coins_form(&loaded)))
        }
        Press::AddItem { trade } => {
            let loaded = load(app, trade).await?;
            side_of(&loaded, me)?;
            let items = app.read(move |w| view::offerable_items(w, me)).await?;
            Ok(Response::Message(render::item_picker(&loaded, &items)))
        }
        Press::PickItem { trade } => {
            let Some(item) = values.first() else {
                return Err(refuse("Pick an item from the list."));
            };
            let asset = Asset::Item(ItemId(item.clone()));
            act(
                app,
                inv,
                TradeCommand::Add {
                    trade,
                    asset,
                    amount: 1,
                },
            )
            .await
        }
        Press::Remove { trade } => {
            let loaded = load(app, trade).await?;
            let side = side_of(&loaded, me)?;
            Ok(Response::Message(render::remove_picker(
                &loaded,
                &loaded.offers[side],
            )))
        }
        Press::PickRemove { trade } => {
            let Some(asset) = values.first().and_then(|v| render::parse_asset_value(v)) else {
                return Err(refuse("Pick something from the list."));
            };
            let loaded = load(app, trade).await?;
            let side = side_of(&loaded, me)?;
            let amount = loaded.offers[side].amount(&asset);
            if amount == 0 {
                return Err(refuse("That is no longer on your offer."));
            }
            act(
                app,
                inv,
                TradeCommand::Remove {
                    trade,
                    asset,
                    amount,
                },
            )
            .await
        }
    }
}

/// The energon form: a whole number, at least 1.
pub async fn form(
    app: &App,
    inv: &Invocation,
    press: Press,
    fields: &BTreeMap<String, String>,
) -> Handled {
    match press {
        Press::AddEnergon { trade } => {
            let text = fields.get("amount").map(|t| t.trim()).unwrap_or_default();
            let amount = match text.parse::<u64>() {
                Ok(amount) if amount > 0 => amount,
                _ => {
                    return Err(refuse(format!(
                        "The amount is a whole number of energon, at least 1, not {}.",
                        allspark_engine::ids::quote(text)
                    )))
                }
            };
            act(
                app,
                inv,
                TradeCommand::Add {
                    trade,
                    asset: Asset::Energon,
                    amount,
                },
            )
            .await
        }
        Press::AddCoins { trade } => {
            let text = fields.get("amount").map(|t| t.trim()).unwrap_or_default();
            let amount = match Amount::parse(text, Unit::Coins) {
                Ok(Amount::Coins(micro)) => micro,
                // Everything the presser holds and doesn't offer anywhere yet.
                Ok(Amount::All) => {
                    let me = inv.player();
                    let free = app
                        .read(move |w| view::available(w, me, &Asset::Coins))
                        .await?;
                    if free == 0 {
                        return Err(refuse(
                            "You have no CyberCoin free to offer (buy some with /cybercoin_market).",
                        ));
                    }
                    free
                }
                Ok(Amount::Energon(_)) => {
                    return Err(refuse(
                        "This form takes CyberCoin; add energon with the Add energon button.",
                    ))
                }
                Err(error) => return Err(refuse(format!("That amount won't do: {error}."))),
            };
            act(
                app,
                inv,
                TradeCommand::Add {
                    trade,
                    asset: Asset::Coins,
                    amount,
                },
            )
            .await
        }
        _ => Err(refuse("This form has expired; run the command again.")),
    }
}

pub async fn autocomplete(
    _app: &App,
    _inv: &Invocation,
    _slash: Slash,
    _option: &str,
    _partial: &str,
) -> Vec<Choice> {
    Vec::new()
}

/// The trade a response shows as a shared, live message (its Refresh button), for live edits.
pub fn shown_trade(response: &Response) -> Option<TradeId> {
    let reply: &Reply = response.reply()?;
    reply.rows.iter().find_map(|row| match row {
        crate::reply::Row::Buttons(buttons) => {
            buttons.iter().find_map(
                |button| match crate::areas::Press::decode(&button.custom_id) {
                    Some(crate::areas::Press::Trade(Press::Show { trade })) => Some(trade),
                    _ => None,
                },
            )
        }
        crate::reply::Row::Select(_)
        | crate::reply::Row::Users(_)
        | crate::reply::Row::Links(_) => None,
    })
}
