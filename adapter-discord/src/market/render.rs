//! The market area's views: the dashboard with its chart, a trade, a portfolio with its
//! trades, the boards, the order forms, and the words for market events. Pure: engine read
//! models in, [`Reply`] out (the chart's PNG is drawn by the caller and passed in).

use allspark_engine::history::{TradeKind, TradePage};
use allspark_engine::market::tuning::{FEE_BP, ORDER_MIN_ENERGON};
use allspark_engine::market::view::{micro_to_string, MarketView, Portfolio, Trend};
use allspark_engine::market::MarketEvent;
use allspark_engine::PlayerId;

use crate::custom_id::Encode;
use crate::market::ids::{Board, Press, Range};
use crate::reply::{color, Attachment, Button, ButtonStyle, Embed, Modal, Reply, Row};
use crate::view::{button, field, when};

/// The form field both order forms use.
pub const AMOUNT_FIELD: &str = "amount";

/// Energon from micro-energon, two decimals.
pub fn energon(micro: u128) -> String {
    micro_to_string(micro, 2)
}

/// Coins from micro-coins, up to six decimals, with the unit.
pub fn coins(micro: u64) -> String {
    format!("{} CC", micro_to_string(u128::from(micro), 6))
}

/// Signed micro-energon, two decimals.
fn signed_energon(micro: i128) -> String {
    let sign = if micro < 0 { "-" } else { "+" };
    format!("{sign}{}", energon(micro.unsigned_abs()))
}

/// Basis points as a signed percentage with two decimals.
pub fn percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "+" };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02} %", abs / 100, abs % 100)
}

pub fn describe(event: &MarketEvent) -> Option<String> {
    Some(match event {
        MarketEvent::Bought { coins: c, paid, .. } => {
            format!("Bought {} for {paid} energon", coins(*c))
        }
        MarketEvent::Sold {
            coins: c, received, ..
        } => format!("Sold {} for {received} energon", coins(*c)),
        MarketEvent::Opened { .. } => "The CyberCoin market opened".into(),
        MarketEvent::Imported { coins: c, .. } => {
            format!("{} came over from the original bot", coins(*c))
        }
        MarketEvent::GaveAway { coins: c, to, .. } => {
            format!("Gave {} to <@{to}> in a trade", coins(*c))
        }
        MarketEvent::Received { coins: c, from, .. } => {
            format!("Received {} from <@{from}> in a trade", coins(*c))
        }
        MarketEvent::NewsStarted { .. } | MarketEvent::HolidayStarted { .. } => {
            "News moved the CyberCoin market".into()
        }
        MarketEvent::Ticked { .. }
        | MarketEvent::TicksMissed { .. }
        | MarketEvent::NewsEnded { .. }
        | MarketEvent::HolidayEnded { .. } => return None,
    })
}

fn chart_name(range: Range) -> String {
    format!("cybercoin-{}.png", range.word())
}

/// The dashboard: price, changes, trend, the news in force, volume, the chart over `range`
/// (when it could be drawn), and the buttons.
pub fn dashboard(view: Option<&MarketView>, range: Range, chart: Option<Vec<u8>>) -> Reply {
    let Some(view) = view else {
        return Reply::embed(Embed {
            title: Some("📈 CyberCoin market".into()),
            description: Some(
                "The market hasn't opened yet: it opens at the timer's first tick, within a few \
                 seconds of the bot starting."
                    .into(),
            ),
            color: Some(color::ENERGON),
            fields: Vec::new(),
            footer: None,
            image: None,
        });
    };
    let change = |bp: Option<i64>| bp.map_or("—".to_string(), percent);
    let trend = match view.trend {
        Trend::Bullish => "📈 bullish",
        Trend::Bearish => "📉 bearish",
        Trend::Stable => "➖ stable",
    };
    let mut headlines = Vec::new();
    if let Some(holiday) = &view.holiday {
        headlines.push(format!(
            "{} **{}** ({}): {}",
            holiday.emoji.as_deref().unwrap_or("🎉"),
            holiday.title,
            percent(holiday.shock_bp),
            holiday.line
        ));
    }
    if let Some(news) = &view.news {
        let left = match news.remaining {
            Some(0) | None => "last tick".to_string(),
            Some(n) => format!("{n} more ticks"),
        };
        headlines.push(format!(
            "📰 **{}** ({}, {left}): {}",
            news.title,
            percent(news.shock_bp),
            news.line
        ));
    }
    let description = if headlines.is_empty() {
        "No news on the wire.".to_string()
    } else {
        headlines.join("\n")
    };
    let mut fields = vec![
        field(
            "Price",
            format!("**{} energon**", energon(u128::from(view.price))),
            true,
        ),
        field("1 h", change(view.change_1h), true),
        field("24 h", change(view.change_24h), true),
        field("7 d", change(view.change_7d), true),
        field("Trend", trend, true),
        field(
            "24 h high / low",
            format!(
                "{} / {}",
                energon(u128::from(view.high_24h)),
                energon(u128::from(view.low_24h))
            ),
            true,
        ),
        field("24 h volume", format!("{} energon", view.volume_24h), true),
        field(
            "In circulation",
            format!(
                "{} held by {}",
                coins(view.circulation),
                crate::view::plural(view.holders as u64, "player", "players")
            ),
            true,
        ),
        field(
            "Latest tick",
            format!("#{} {}", view.tick, when(view.last_at)),
            true,
        ),
    ];
    if view.missed_ticks > 0 {
        fields.push(field(
            "Missed ticks",
            format!(
                "{} while the bot was down (not simulated)",
                view.missed_ticks
            ),
            false,
        ));
    }
    let (files, image) = match chart {
        Some(bytes) => (
            vec![Attachment {
                filename: chart_name(range),
                description: format!("CyberCoin price over {}", range.label()),
                bytes,
            }],
            Some(format!("attachment://{}", chart_name(range))),
        ),
        None => (Vec::new(), None),
    };
    let embed = Embed {
        title: Some(format!("📈 CyberCoin market · {}", range.label())),
        description: Some(crate::view::truncate(&description, 1_000)),
        color: Some(color::ENERGON),
        fields,
        footer: Some(format!(
            "Fee {} % (at least 1 energon) · larger orders move the price against them · smallest order {ORDER_MIN_ENERGON} energon",
            FEE_BP / 100
        )),
        image,
    };
    let ranges = Range::ALL
        .iter()
        .map(|r| Button {
            disabled: *r == range,
            ..button(
                r.label(),
                Press::Market { range: *r },
                ButtonStyle::Secondary,
            )
        })
        .collect();
    let mut reply = Reply::embed(embed).with_rows(vec![
        Row::Buttons(vec![
            button("Buy", Press::Buy, ButtonStyle::Success),
            button("Sell", Press::Sell, ButtonStyle::Danger),
            button("Refresh", Press::Refresh { range }, ButtonStyle::Primary),
        ]),
        Row::Buttons(ranges),
    ]);
    reply.files = files.into_boxed_slice();
    reply
}

/// The order form.
pub fn order_form(buy: bool) -> Modal {
    let (press, title, placeholder) = if buy {
        (
            Press::Buy,
            "Buy CyberCoin",
            "Energon to spend, e.g. 250 · or coins: 1.5c · or all",
        )
    } else {
        (
            Press::Sell,
            "Sell CyberCoin",
            "Coins to sell, e.g. 1.5 · or energon: 250e · or all",
        )
    };
    Modal {
        custom_id: press.encode(),
        title: title.into(),
        inputs: vec![crate::reply::Input::short(
            AMOUNT_FIELD,
            "Amount",
            placeholder,
        )],
    }
}

/// What a trade did, privately.
pub fn trade_done(event: &MarketEvent, wallet: u64, held: u64) -> Reply {
    let (title, line) = match event {
        MarketEvent::Bought {
            coins: c,
            paid,
            fee,
            price,
            ..
        } => (
            "CyberCoin bought",
            format!(
                "You bought **{}** for **{paid} energon** (fee {fee}) at {} energon a coin.",
                coins(*c),
                energon(u128::from(*price))
            ),
        ),
        MarketEvent::Sold {
            coins: c,
            received,
            fee,
            price,
            ..
        } => (
            "CyberCoin sold",
            format!(
                "You sold **{}** for **{received} energon** (after a fee of {fee}) at {} energon a coin.",
                coins(*c),
                energon(u128::from(*price))
            ),
        ),
        _ => ("CyberCoin", String::new()),
    };
    let mut reply = Reply::embed(Embed {
        title: Some(title.into()),
        description: Some(line),
        color: Some(color::ENERGON),
        fields: vec![
            field("Wallet", format!("{wallet} energon"), true),
            field("Holding", coins(held), true),
        ],
        footer: None,
        image: None,
    });
    reply.ephemeral = true;
    reply
}

/// A player's portfolio and a page of their trades.
pub fn portfolio(player: PlayerId, portfolio: Option<&Portfolio>, trades: &TradePage) -> Reply {
    let Some(p) = portfolio else {
        return Reply::embed(Embed {
            title: Some("CyberCoin portfolio".into()),
            description: Some(format!(
                "<@{player}> hasn't traded CyberCoin yet: /cybercoin_market, then Buy."
            )),
            color: Some(color::ENERGON),
            fields: Vec::new(),
            footer: None,
            image: None,
        });
    };
    let rank = |r: Option<usize>| r.map_or("—".to_string(), |r| format!("#{r}"));
    let lines: Vec<String> = trades
        .lines
        .iter()
        .map(|t| match t.kind {
            TradeKind::Bought | TradeKind::Sold => {
                let bought = t.kind == TradeKind::Bought;
                format!(
                    "{} {} {} for {} energon at {} · {}",
                    if bought { "🟢" } else { "🔴" },
                    if bought { "bought" } else { "sold" },
                    coins(t.coins),
                    t.energon,
                    energon(u128::from(t.price)),
                    when(t.at)
                )
            }
            TradeKind::GaveAway { to } => format!(
                "🔁 gave {} to <@{to}> in a trade · {}",
                coins(t.coins),
                when(t.at)
            ),
            TradeKind::Received { from } => format!(
                "🔁 received {} from <@{from}> in a trade · {}",
                coins(t.coins),
                when(t.at)
            ),
        })
        .collect();
    let fields = vec![
        field("Holding", coins(p.coins), true),
        field("Worth now", format!("{} energon", energon(p.value)), true),
        field(
            "Cost",
            format!("{} energon", energon(u128::from(p.basis))),
            true,
        ),
        field(
            "Unrealised",
            format!("{} energon", signed_energon(p.unrealised)),
            true,
        ),
        field(
            "Realised",
            format!("{} energon", signed_energon(i128::from(p.realised))),
            true,
        ),
        field("Fees paid", format!("{} energon", p.fees_total), true),
        field(
            "Trades",
            format!(
                "{}, {}",
                crate::view::plural(u64::from(p.buys), "buy", "buys"),
                crate::view::plural(u64::from(p.sells), "sell", "sells")
            ),
            true,
        ),
        field(
            "Rank",
            format!(
                "holdings {} · profit {}",
                rank(p.holdings_rank),
                rank(p.profit_rank)
            ),
            true,
        ),
        field(
            "Recent trades",
            if lines.is_empty() {
                "None on this page.".to_string()
            } else {
                crate::view::truncate(&lines.join("\n"), 1_024)
            },
            false,
        ),
    ];
    let embed = Embed {
        title: Some("CyberCoin portfolio".into()),
        description: Some(format!("<@{player}>")),
        color: Some(color::ENERGON),
        fields,
        footer: Some(format!(
            "Trades page {} of {}",
            trades.page + 1,
            trades.n_pages
        )),
        image: None,
    };
    let page = trades.page;
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![
        Button {
            disabled: page == 0,
            ..button(
                "◀ Newer",
                Press::Portfolio {
                    player: player.0,
                    page: page.saturating_sub(1),
                },
                ButtonStyle::Secondary,
            )
        },
        Button {
            disabled: page + 1 >= trades.n_pages,
            ..button(
                "Older ▶",
                Press::Portfolio {
                    player: player.0,
                    page: page + 1,
                },
                ButtonStyle::Secondary,
            )
        },
    ])])
}

/// A page of a board: `(player, value)` in micro-coins (holdings) or energon (profit), and the
/// current price for the holdings' worth.
pub fn board(
    board: Board,
    entries: &[(PlayerId, u64)],
    page: usize,
    n_pages: usize,
    price: u64,
) -> Reply {
    let first = page * allspark_engine::market::view::BOARD_PAGE;
    let lines: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(i, (player, value))| match board {
            Board::Holdings => format!(
                "**{}.** <@{player}> · {} · {} energon",
                first + i + 1,
                coins(*value),
                energon(allspark_engine::market::value_micro(price, *value))
            ),
            Board::Profit => format!("**{}.** <@{player}> · +{value} energon", first + i + 1),
        })
        .collect();
    let title = match board {
        Board::Holdings => "CyberCoin holders",
        Board::Profit => "CyberCoin profit taken",
    };
    let embed = Embed {
        title: Some(title.into()),
        description: Some(if lines.is_empty() {
            "Nobody is on this board yet.".into()
        } else {
            lines.join("\n")
        }),
        color: Some(color::ENERGON),
        fields: Vec::new(),
        footer: Some(format!("Page {} of {n_pages}", page + 1)),
        image: None,
    };
    // The other board (the current one's first page would repeat Previous's id on page 1).
    let (other, other_label) = match board {
        Board::Holdings => (Board::Profit, "Profit board"),
        Board::Profit => (Board::Holdings, "Holdings board"),
    };
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![
        Button {
            disabled: page == 0,
            ..button(
                "◀ Previous",
                Press::Top {
                    board,
                    page: page.saturating_sub(1),
                },
                ButtonStyle::Secondary,
            )
        },
        Button {
            disabled: page + 1 >= n_pages,
            ..button(
                "Next ▶",
                Press::Top {
                    board,
                    page: page + 1,
                },
                ButtonStyle::Secondary,
            )
        },
        button(
            other_label,
            Press::Top {
                board: other,
                page: 0,
            },
            ButtonStyle::Primary,
        ),
    ])])
}
