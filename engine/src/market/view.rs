//! Read models of the market for the adapter: the dashboard, the chart's points, a player's
//! portfolio and the boards. Reads cost O(page) or O(history), never O(players).

use crate::ids::{PlayerId, Timestamp};
use crate::market::state::{Market, PricePoint};
use crate::market::tuning::MICRO;
use crate::market::value_micro;
use crate::world::World;

/// The news or holiday in force, with its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Headline {
    /// The bucket's or the holiday's name.
    pub title: String,
    pub line: String,
    /// The move it made when it struck, in basis points.
    pub shock_bp: i64,
    /// Ticks it stays in force after the latest one (news only).
    pub remaining: Option<u32>,
    pub emoji: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    Bullish,
    Bearish,
    Stable,
}

/// The dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketView {
    /// Micro-energon per coin.
    pub price: u64,
    /// The latest tick's number and instant.
    pub tick: u64,
    pub last_at: Timestamp,
    /// Change against the price an hour, a day and a week before the latest tick, in basis
    /// points (none while the history is shorter).
    pub change_1h: Option<i64>,
    pub change_24h: Option<i64>,
    pub change_7d: Option<i64>,
    pub trend: Trend,
    /// Highest and lowest price over the last 24 hours.
    pub high_24h: u64,
    pub low_24h: u64,
    /// Energon traded over the last 24 hours (and since the latest tick).
    pub volume_24h: u64,
    pub news: Option<Headline>,
    pub holiday: Option<Headline>,
    /// Micro-coins in existence, and how many players hold some.
    pub circulation: u64,
    pub holders: usize,
    pub missed_ticks: u64,
}

const HOUR_MS: i64 = 3_600_000;

/// The dashboard, or `None` before the market opened.
pub fn market(world: &World) -> Option<MarketView> {
    let market = &world.market;
    market.opened_at?;
    let last = *market.history.back()?;
    let change = |ago_ms: i64| {
        let then = price_at(market, Timestamp(last.at.0.saturating_sub(ago_ms)))?;
        Some(change_bp(then.price, last.price))
    };
    let day: Vec<&PricePoint> = since(market, Timestamp(last.at.0.saturating_sub(24 * HOUR_MS)));
    let high_24h = day.iter().map(|p| p.price).max().unwrap_or(last.price);
    let low_24h = day.iter().map(|p| p.price).min().unwrap_or(last.price);
    let volume_24h = day
        .iter()
        .skip(1)
        .map(|p| p.volume)
        .sum::<u64>()
        .saturating_add(market.bought_since_tick)
        .saturating_add(market.sold_since_tick);
    let content = crate::content::get();
    let news = market.news.as_ref().map(|news| {
        let bucket = content.market_news.iter().find(|b| b.id == news.bucket);
        Headline {
            title: bucket.map_or_else(|| news.bucket.clone(), |b| b.name.clone()),
            line: bucket
                .and_then(|b| b.lines.get(usize::from(news.line)))
                .cloned()
                .unwrap_or_default(),
            shock_bp: i64::from(news.multiplier_bp) - 10_000,
            remaining: Some(news.remaining),
            emoji: None,
        }
    });
    let holiday = market.holiday.as_ref().map(|holiday| {
        let def = content
            .market_holidays
            .iter()
            .find(|h| h.id == holiday.holiday);
        Headline {
            title: def.map_or_else(|| holiday.holiday.clone(), |h| h.name.clone()),
            line: def
                .and_then(|h| {
                    let lines = if holiday.surge { &h.surge } else { &h.crash };
                    lines.get(usize::from(holiday.line)).cloned()
                })
                .unwrap_or_default(),
            shock_bp: i64::from(holiday.multiplier_bp) - 10_000,
            remaining: None,
            emoji: def.map(|h| h.emoji.clone()),
        }
    });
    Some(MarketView {
        price: market.price,
        tick: last.tick,
        last_at: last.at,
        change_1h: change(HOUR_MS),
        change_24h: change(24 * HOUR_MS),
        change_7d: change(7 * 24 * HOUR_MS),
        trend: trend(market),
        high_24h,
        low_24h,
        volume_24h,
        news,
        holiday,
        circulation: market.circulation,
        // Only non-zero holdings are ranked: the board's size is the number of holders.
        holders: market.holdings.ranked(),
        missed_ticks: market.missed,
    })
}

/// The price now, in micro-energon a coin (0 before the market opened).
pub fn price(world: &World) -> u64 {
    world.market.price
}

/// The latest price point at or before `at`.
fn price_at(market: &Market, at: Timestamp) -> Option<PricePoint> {
    let index = market.history.partition_point(|p| p.at <= at);
    index.checked_sub(1).map(|i| market.history[i])
}

fn since(market: &Market, from: Timestamp) -> Vec<&PricePoint> {
    let start = market.history.partition_point(|p| p.at < from);
    market.history.range(start..).collect()
}

/// `to` against `from`, in basis points.
pub fn change_bp(from: u64, to: u64) -> i64 {
    ((i128::from(to) - i128::from(from)) * 10_000 / i128::from(from.max(1))) as i64
}

/// From the average move of the last five ticks: beyond ±5 % of the price is a trend.
fn trend(market: &Market) -> Trend {
    let n = market.history.len();
    if n < 2 {
        return Trend::Stable;
    }
    let first = market.history[n.saturating_sub(6)].price;
    let last = market.history[n - 1].price;
    let moves = (n - 1).min(5) as i64;
    let average = change_bp(first, last) / moves;
    if average > 500 {
        Trend::Bullish
    } else if average < -500 {
        Trend::Bearish
    } else {
        Trend::Stable
    }
}

/// The price points of the last `hours` hours before the latest tick, oldest first, for the
/// chart.
pub fn chart(world: &World, hours: i64) -> Vec<PricePoint> {
    let market = &world.market;
    let Some(last) = market.history.back() else {
        return Vec::new();
    };
    since(market, Timestamp(last.at.0.saturating_sub(hours * HOUR_MS)))
        .into_iter()
        .copied()
        .collect()
}

/// What the timer needs: the next tick's number and the latest tick's instant (`None` before
/// the market opened).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub next_tick: u64,
    pub last_at: Option<Timestamp>,
}

pub fn clock(world: &World) -> Clock {
    Clock {
        next_tick: world.market.next_tick,
        last_at: world.market.opened_at.map(|_| world.market.last_at),
    }
}

/// A player's portfolio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Portfolio {
    /// Micro-coins held.
    pub coins: u64,
    /// Their worth at the current price, and what they cost, in micro-energon.
    pub value: u128,
    pub basis: u64,
    /// Value minus basis, and profit taken by selling, in micro-energon.
    pub unrealised: i128,
    pub realised: i64,
    pub buys: u32,
    pub sells: u32,
    pub paid_total: u64,
    pub received_total: u64,
    pub fees_total: u64,
    /// 1-based places on the holdings and profit boards (none when not on them).
    pub holdings_rank: Option<usize>,
    pub profit_rank: Option<usize>,
}

/// The player's portfolio, `None` if they never traded.
pub fn portfolio(world: &World, player: PlayerId) -> Option<Portfolio> {
    let market = &world.market;
    let position = market.position(player)?;
    let value = value_micro(market.price, position.coins);
    Some(Portfolio {
        coins: position.coins,
        value,
        basis: position.basis,
        unrealised: value as i128 - i128::from(position.basis),
        realised: position.realised,
        buys: position.buys,
        sells: position.sells,
        paid_total: position.paid_total,
        received_total: position.received_total,
        fees_total: position.fees_total,
        holdings_rank: market.holdings.rank(player),
        profit_rank: market.profits.rank(player),
    })
}

/// Board entries per page.
pub const BOARD_PAGE: usize = 10;

/// Which board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Board {
    /// By coins held (so by value, since every coin has one price).
    Holdings,
    /// By realised profit, in energon.
    Profit,
}

/// One page of a board: `(player, value)` where value is micro-coins or energon, and the
/// number of pages. O(page).
pub fn board(world: &World, board: Board, page: usize) -> (Vec<(PlayerId, u64)>, usize) {
    let ranking = match board {
        Board::Holdings => &world.market.holdings,
        Board::Profit => &world.market.profits,
    };
    let n_pages = ranking.ranked().div_ceil(BOARD_PAGE).max(1);
    let page = page.min(n_pages - 1);
    (ranking.page(page * BOARD_PAGE, BOARD_PAGE), n_pages)
}

/// Micro-units as a decimal with up to `decimals` places (trailing zeros cut).
pub fn micro_to_string(micro: u128, decimals: usize) -> String {
    let whole = micro / u128::from(MICRO);
    let fraction = micro % u128::from(MICRO);
    let digits = format!("{fraction:06}");
    let digits = digits[..decimals.min(6)].trim_end_matches('0');
    if digits.is_empty() {
        format!("{whole}")
    } else {
        format!("{whole}.{digits}")
    }
}
