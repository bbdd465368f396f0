//! The CyberCoin market in Discord: the dashboard with its PNG chart (Buy and Sell forms,
//! Refresh, 24 h / 7 d / 30 d), a player's portfolio with their trades, and the boards.
//! Extra file: `chart.rs` (the picture). The timer's ticks are sent by `worker.rs`.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "CyberCoin";

pub mod chart;
pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::history::trades_page_until;
use allspark_engine::market::{self, Amount, MarketCommand, MarketEvent, Unit};
use allspark_engine::{energon, Command, Event, PlayerId};

use crate::app::{engine_trouble, refuse, App, Handled};
use crate::commands::{choice, command, option, CommandSpec, Kind};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use ids::{Board, Press, Range, BOARDS};

crate::commands::slash_commands! {
    /// The market area's slash commands.
    pub enum Slash {
        CybercoinMarket = "cybercoin_market",
        CybercoinProfile = "cybercoin_profile",
        CybercoinLeaderboard = "cybercoin_leaderboard",
    }
}

const BOARD_CHOICES: &[(&str, &str)] = &[("Holdings", "holdings"), ("Profit taken", "profit")];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::CybercoinMarket => command(
            name,
            "The CyberCoin market: price, news, chart; buy and sell",
            Vec::new(),
        ),
        Slash::CybercoinProfile => command(
            name,
            "A CyberCoin portfolio: holdings, profit, trades, rank",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
        Slash::CybercoinLeaderboard => command(
            name,
            "The biggest CyberCoin holders, or the best profit taken",
            vec![choice("board", "Which board", BOARD_CHOICES, false)],
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    match slash {
        Slash::CybercoinMarket => Ok(Response::Message(dashboard(app, Range::Day).await?)),
        Slash::CybercoinProfile => {
            let player = options
                .user("user")
                .map_err(bad)?
                .map_or(inv.player(), PlayerId);
            Ok(Response::Message(portfolio(app, player, 0).await?))
        }
        Slash::CybercoinLeaderboard => {
            let board = options
                .choice("board", BOARDS)
                .map_err(bad)?
                .unwrap_or(Board::Holdings);
            Ok(Response::Message(board_view(app, board, 0).await?))
        }
    }
}

pub async fn press(app: &App, _inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    match press {
        Press::Market { range } | Press::Refresh { range } => {
            Ok(Response::Update(dashboard(app, range).await?))
        }
        Press::Buy => Ok(Response::Modal(render::order_form(true))),
        Press::Sell => Ok(Response::Modal(render::order_form(false))),
        Press::Portfolio { player, page } => Ok(Response::Update(
            portfolio(app, PlayerId(player), page).await?,
        )),
        Press::Top { board, page } => Ok(Response::Update(board_view(app, board, page).await?)),
    }
}

/// A submitted order form: the amount is read as the player typed it; a bad one is refused
/// with its reason and sends nothing.
pub async fn form(
    app: &App,
    inv: &Invocation,
    press: Press,
    fields: &BTreeMap<String, String>,
) -> Handled {
    let (buy, unit) = match press {
        Press::Buy => (true, Unit::Energon),
        Press::Sell => (false, Unit::Coins),
        _ => return Err(refuse("This form has expired; run the command again.")),
    };
    let text = fields
        .get(render::AMOUNT_FIELD)
        .map(String::as_str)
        .unwrap_or("");
    let amount = Amount::parse(text, unit).map_err(|error| refuse(error.to_string()))?;
    trade(app, inv, buy, amount).await
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

async fn trade(app: &App, inv: &Invocation, buy: bool, amount: Amount) -> Handled {
    let command = if buy {
        MarketCommand::Buy { amount }
    } else {
        MarketCommand::Sell { amount }
    };
    let events = app.execute(inv, Command::Market(command)).await?;
    let Some(Event::Market(done)) = events
        .iter()
        .find(|e| {
            matches!(
                e,
                Event::Market(MarketEvent::Bought { .. } | MarketEvent::Sold { .. })
            )
        })
        .cloned()
    else {
        return Err(refuse(
            "The market didn't take that order; nothing changed.",
        ));
    };
    let me = inv.player();
    let (wallet, held) = app
        .read(move |w| {
            (
                energon::view::balances(w, me).wallet,
                market::view::portfolio(w, me).map_or(0, |p| p.coins),
            )
        })
        .await?;
    Ok(Response::Message(render::trade_done(&done, wallet, held)))
}

/// The range a response shows the market dashboard over (its Refresh button), for the live
/// edits after each tick.
pub fn shown_dashboard(response: &Response) -> Option<Range> {
    let reply: &Reply = response.reply()?;
    reply.rows.iter().find_map(|row| match row {
        crate::reply::Row::Buttons(buttons) => {
            buttons.iter().find_map(
                |button| match crate::areas::Press::decode(&button.custom_id) {
                    Some(crate::areas::Press::Market(Press::Refresh { range })) => Some(range),
                    _ => None,
                },
            )
        }
        crate::reply::Row::Select(_)
        | crate::reply::Row::Users(_)
        | crate::reply::Row::Links(_) => None,
    })
}

/// The dashboard over `range`, with its chart drawn on the blocking pool.
pub(crate) async fn dashboard(app: &App, range: Range) -> Result<Reply, Response> {
    let hours = range.hours();
    let (view, points) = app
        .read(move |w| (market::view::market(w), market::view::chart(w, hours)))
        .await?;
    let chart = match &view {
        Some(_) => {
            let title = format!("CyberCoin · {}", range.label());
            match tokio::task::spawn_blocking(move || chart::price_chart(&points, &title)).await {
                Ok(Ok(bytes)) => Some(bytes),
                Ok(Err(error)) => {
                    tracing::warn!(%error, "market chart");
                    None
                }
                Err(error) => {
                    tracing::warn!(%error, "market chart task");
                    None
                }
            }
        }
        None => None,
    };
    Ok(render::dashboard(view.as_ref(), range, chart))
}

async fn portfolio(app: &App, player: PlayerId, page: usize) -> Result<Reply, Response> {
    let (held, durable) = app
        .read(move |w| (market::view::portfolio(w, player), w.last_seq))
        .await?;
    let log = app.engine.log().clone();
    let read =
        tokio::task::spawn_blocking(move || trades_page_until(log.as_ref(), player, page, durable))
            .await;
    match read {
        Ok(Ok(trades)) => Ok(render::portfolio(player, held.as_ref(), &trades)),
        Ok(Err(error)) => Err(engine_trouble(&error.into())),
        Err(joined) => Err(engine_trouble(&allspark_engine::EngineError::ReadPanicked(
            joined.to_string(),
        ))),
    }
}

async fn board_view(app: &App, board: Board, page: usize) -> Result<Reply, Response> {
    let which = match board {
        Board::Holdings => market::view::Board::Holdings,
        Board::Profit => market::view::Board::Profit,
    };
    let (entries, n_pages, price) = app
        .read(move |w| {
            let (entries, n_pages) = market::view::board(w, which, page);
            let price = market::view::price(w);
            (entries, n_pages, price)
        })
        .await?;
    let page = page.min(n_pages.saturating_sub(1));
    Ok(render::board(board, &entries, page, n_pages, price))
}
