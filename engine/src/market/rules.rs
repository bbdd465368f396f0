//! Decisions of the CyberCoin market: ticks (the price walk, news and holidays) and orders.
//!
//! Checks for an order run in this order: players only, the market open, the amount (the
//! minimum order, a holding to sell), then the funds. Prices and amounts are integers in
//! micro-units; every rounding goes against the trader (see `tuning` for why that makes a loop
//! of trades inside one tick lose).

use serde::{Deserialize, Serialize};

use crate::energon::{EnergonEvent, EnergonRejection, LedgerRule};
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::market::state::{utc_date, utc_month_day, Market};
use crate::market::tuning::*;
use crate::market::{Amount, MarketCommand, MarketEvent};
use crate::world::{Ctx, Event, Rejection, World};

/// Why a market command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum MarketRejection {
    #[error("only players can trade")]
    PlayersOnly,
    #[error("only the market's timer moves the market")]
    SystemOnly,
    #[error("the market hasn't opened yet: it opens at its first tick")]
    NotOpen,
    #[error("tick {got} is out of order: the next tick is {expected}")]
    TickOutOfOrder { expected: u64, got: u64 },
    #[error("that tick is not due yet")]
    TickAhead { at: Timestamp },
    #[error("the smallest order is worth {min} energon")]
    OrderTooSmall { min: u64 },
    #[error("you have no CyberCoin to sell")]
    NothingToSell,
    /// Micro-coins.
    #[error("you hold {} CC; that order needs {} CC", coins_text(.have), coins_text(.need))]
    InsufficientCoins { need: u64, have: u64 },
    #[error("what's left is worth less than the fee")]
    WorthLessThanFee,
    /// Schema 12. Micro-coins.
    #[error(
        "{} CC of yours are on offer in a trade, so only {} CC can be sold; take them back from the trade first",
        coins_text(.offered),
        coins_text(.free)
    )]
    OnOffer { offered: u64, free: u64 },
}

fn coins_text(micro: &u64) -> String {
    crate::market::view::micro_to_string(u128::from(*micro), 6)
}

impl MarketRejection {
    /// Whether only the passing of time can make the command acceptable (a tick ahead of its
    /// instant): such a refusal is not recorded, so the same tick id works once it is due.
    pub fn is_time_dependent(&self) -> bool {
        matches!(self, MarketRejection::TickAhead { .. })
    }
}

/// What an order would do at the current price: the trader's side of a `Bought` or `Sold`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// Micro-coins bought or sold.
    pub coins: u64,
    /// Energon paid (buy, fee included) or received (sell, after the fee).
    pub energon: u64,
    pub fee: u64,
    /// Micro-energon a coin, the order's impact included.
    pub price: u64,
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &MarketCommand,
) -> Result<Vec<Event>, Rejection> {
    match command {
        MarketCommand::Tick { number, at } => decide_tick(&world.market, ctx, *number, *at),
        MarketCommand::SkipTicks { from, count } => {
            decide_skip_ticks(&world.market, ctx, *from, *count)
        }
        MarketCommand::Buy { amount } => decide_buy(world, ctx, *amount),
        MarketCommand::Sell { amount } => decide_sell(world, ctx, *amount),
    }
}

fn decide_tick(
    market: &Market,
    ctx: &mut Ctx,
    number: u64,
    at: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    if ctx.actor != Actor::System {
        return Err(MarketRejection::SystemOnly.into());
    }
    if number != market.next_tick {
        return Err(MarketRejection::TickOutOfOrder {
            expected: market.next_tick,
            got: number,
        }
        .into());
    }
    if at > ctx.now {
        return Err(MarketRejection::TickAhead { at }.into());
    }
    if market.opened_at.is_none() {
        return Ok(vec![Event::Market(MarketEvent::Opened {
            price: OPENING_PRICE,
            at,
        })]);
    }
    if at <= market.last_at {
        return Err(MarketRejection::TickOutOfOrder {
            expected: market.next_tick,
            got: number,
        }
        .into());
    }
    let content = crate::content::get();
    let mut events = Vec::new();
    let mut holiday_in_force = market.holiday.is_some();
    if let Some(holiday) = &market.holiday {
        if holiday.date != utc_date(at) {
            events.push(Event::Market(MarketEvent::HolidayEnded { tick: number }));
            holiday_in_force = false;
        }
    }
    let mut news_in_force = market.news.is_some();
    if market.news.as_ref().is_some_and(|news| news.remaining == 0) {
        events.push(Event::Market(MarketEvent::NewsEnded { tick: number }));
        news_in_force = false;
    }

    // The ordinary walk: noise, momentum, pressure; capped.
    let noise = ctx.dice.between(-NOISE_BP, NOISE_BP);
    let walk_bp = (noise + momentum_bp(market) + pressure_bp(market) + reversion_bp(market))
        .clamp(-WALK_CAP_BP, WALK_CAP_BP);

    // A shock: a holiday starting today, or else news (when none is in force).
    let mut shock: Option<(u32, MarketEvent)> = None;
    let (month, day) = utc_month_day(at);
    let today = content
        .market_holidays
        .iter()
        .find(|holiday| (holiday.month, holiday.day) == (month, day));
    if let (Some(holiday), false) = (today, holiday_in_force) {
        let [low, high] = holiday.swing_pct;
        let swing = ctx.dice.between(i64::from(low), i64::from(high)) as u32;
        let surge = ctx.dice.below(2) == 0;
        let lines = if surge {
            &holiday.surge
        } else {
            &holiday.crash
        };
        let line = ctx.dice.below(lines.len() as u64) as u16;
        let multiplier_bp = if surge {
            10_000 + swing * 100
        } else {
            10_000 - swing * 100
        };
        shock = Some((
            multiplier_bp,
            MarketEvent::HolidayStarted {
                tick: number,
                holiday: holiday.id.clone(),
                surge,
                line,
                multiplier_bp,
            },
        ));
    } else if !holiday_in_force && !news_in_force && ctx.dice.below(100) < NEWS_CHANCE_PERCENT {
        let buckets = &content.market_news;
        let total: u64 = buckets.iter().map(|b| u64::from(b.weight)).sum();
        let mut roll = ctx.dice.below(total);
        let bucket = buckets
            .iter()
            .find(|bucket| {
                let weight = u64::from(bucket.weight);
                if roll < weight {
                    true
                } else {
                    roll -= weight;
                    false
                }
            })
            .unwrap_or(&buckets[0]);
        let [low, high] = bucket.multiplier_bp;
        let multiplier_bp = ctx.dice.between(i64::from(low), i64::from(high)) as u32;
        let line = ctx.dice.below(bucket.lines.len() as u64) as u16;
        shock = Some((
            multiplier_bp,
            MarketEvent::NewsStarted {
                tick: number,
                bucket: bucket.id.clone(),
                line,
                multiplier_bp,
                ticks: bucket.duration_ticks,
            },
        ));
    }
    let shock_multiplier = shock.as_ref().map_or(10_000, |(bp, _)| *bp);
    let walked = u128::from(market.price) * (10_000 + walk_bp) as u128 / 10_000;
    let price = (walked * u128::from(shock_multiplier) / 10_000)
        .clamp(u128::from(PRICE_MIN), u128::from(PRICE_MAX)) as u64;
    events.push(Event::Market(MarketEvent::Ticked {
        number,
        at,
        price,
        walk_bp: walk_bp as i32,
        shock_bp: shock_multiplier as i32 - 10_000,
        volume: market
            .bought_since_tick
            .saturating_add(market.sold_since_tick),
    }));
    if let Some((_, event)) = shock {
        events.push(Event::Market(event));
    }
    Ok(events)
}

/// ±`MOMENTUM_BP` when the last three prices moved one way.
fn momentum_bp(market: &Market) -> i64 {
    let n = market.history.len();
    if n < 3 {
        return 0;
    }
    let (a, b, c) = (
        market.history[n - 3].price,
        market.history[n - 2].price,
        market.history[n - 1].price,
    );
    if a < b && b < c {
        MOMENTUM_BP
    } else if a > b && b > c {
        -MOMENTUM_BP
    } else {
        0
    }
}

/// Half the tick's net buying as a share of the depth, capped.
fn pressure_bp(market: &Market) -> i64 {
    let net = i128::from(market.bought_since_tick) - i128::from(market.sold_since_tick);
    let bp = net * 10_000 / i128::from(DEPTH_ENERGON) / 2;
    bp.clamp(-i128::from(PRESSURE_BP_MAX), i128::from(PRESSURE_BP_MAX)) as i64
}

/// A hundredth of the price's distance from the opening price, towards it, capped.
fn reversion_bp(market: &Market) -> i64 {
    let (price, anchor) = (i128::from(market.price.max(1)), i128::from(OPENING_PRICE));
    let distance_bp = (price - anchor) * 10_000 / price.min(anchor);
    (-distance_bp / i128::from(REVERSION_DIVISOR))
        .clamp(-i128::from(REVERSION_BP_MAX), i128::from(REVERSION_BP_MAX)) as i64
}

fn decide_skip_ticks(
    market: &Market,
    ctx: &Ctx,
    from: u64,
    count: u64,
) -> Result<Vec<Event>, Rejection> {
    if ctx.actor != Actor::System {
        return Err(MarketRejection::SystemOnly.into());
    }
    if market.opened_at.is_none() {
        return Err(MarketRejection::NotOpen.into());
    }
    if from != market.next_tick || count == 0 {
        return Err(MarketRejection::TickOutOfOrder {
            expected: market.next_tick,
            got: from,
        }
        .into());
    }
    Ok(vec![Event::Market(MarketEvent::TicksMissed {
        from,
        count,
    })])
}

fn trader(world: &World, ctx: &Ctx) -> Result<PlayerId, Rejection> {
    let Actor::Player(player) = ctx.actor else {
        return Err(MarketRejection::PlayersOnly.into());
    };
    if world.market.opened_at.is_none() {
        return Err(MarketRejection::NotOpen.into());
    }
    Ok(player)
}

fn decide_buy(world: &World, ctx: &Ctx, amount: Amount) -> Result<Vec<Event>, Rejection> {
    let player = trader(world, ctx)?;
    let have = world.energon.balance(player);
    let quote = quote_buy(world.market.price, amount, have)?;
    if quote.energon > have {
        return Err(EnergonRejection::InsufficientEnergon {
            need: quote.energon,
            have,
        }
        .into());
    }
    Ok(vec![
        Event::Market(MarketEvent::Bought {
            player,
            coins: quote.coins,
            paid: quote.energon,
            fee: quote.fee,
            price: quote.price,
        }),
        Event::Energon(EnergonEvent::Debited {
            player,
            amount: quote.energon,
            rule: LedgerRule::MarketBuy,
        }),
    ])
}

fn decide_sell(world: &World, ctx: &Ctx, amount: Amount) -> Result<Vec<Event>, Rejection> {
    let player = trader(world, ctx)?;
    let held = world.market.position(player).map_or(0, |p| p.coins);
    // Coins on offer in an open trade are promised: only the rest can be sold.
    let offered = crate::trade::view::on_offer(world, player, &crate::trade::Asset::Coins);
    let free = held.saturating_sub(offered);
    let quote = quote_sell(world.market.price, amount, free).map_err(|error| match error {
        MarketRejection::NothingToSell | MarketRejection::InsufficientCoins { .. }
            if offered > 0 =>
        {
            MarketRejection::OnOffer { offered, free }
        }
        other => other,
    })?;
    Ok(vec![
        Event::Market(MarketEvent::Sold {
            player,
            coins: quote.coins,
            received: quote.energon,
            fee: quote.fee,
            price: quote.price,
        }),
        Event::Energon(EnergonEvent::Credited {
            player,
            amount: quote.energon,
            rule: LedgerRule::MarketSale,
        }),
    ])
}

/// The fee on an order of `energon`.
pub fn fee(energon: u64) -> u64 {
    (energon.saturating_mul(FEE_BP))
        .div_ceil(10_000)
        .max(FEE_MIN)
}

/// The impact of an order of `energon`, in basis points.
pub fn impact_bp(energon: u64) -> u64 {
    (u128::from(energon) * 10_000 / u128::from(DEPTH_ENERGON)).min(u128::from(IMPACT_BP_MAX)) as u64
}

const MICRO2: u128 = (MICRO as u128) * (MICRO as u128);

/// A buy at `price` for `amount`, by a player with `balance` energon (`All` spends it all).
/// The quote may cost more than the balance: the caller refuses that.
pub fn quote_buy(price: u64, amount: Amount, balance: u64) -> Result<Quote, MarketRejection> {
    let too_small = MarketRejection::OrderTooSmall {
        min: ORDER_MIN_ENERGON,
    };
    let price = u128::from(price.max(1));
    match amount {
        Amount::Energon(_) | Amount::All => {
            let spend = match amount {
                Amount::Energon(spend) => spend,
                _ => balance,
            };
            if spend < ORDER_MIN_ENERGON {
                return Err(too_small);
            }
            let fee = fee(spend);
            let net = spend - fee;
            let exec = (price * u128::from(10_000 + impact_bp(net))).div_ceil(10_000);
            let coins = u128::from(net) * MICRO2 / exec;
            if coins == 0 {
                return Err(too_small);
            }
            Ok(Quote {
                coins: u64::try_from(coins).unwrap_or(u64::MAX),
                energon: spend,
                fee,
                price: exec as u64,
            })
        }
        Amount::Coins(coins) => {
            let notional = u128::from(coins) * price / MICRO2;
            let impact = impact_bp(u64::try_from(notional).unwrap_or(u64::MAX));
            let exec = (price * u128::from(10_000 + impact)).div_ceil(10_000);
            let cost = (u128::from(coins) * exec).div_ceil(MICRO2);
            // Beyond any wallet: the funds check refuses it.
            let cost = u64::try_from(cost).unwrap_or(u64::MAX);
            let fee = fee(cost);
            let paid = cost.saturating_add(fee);
            if paid < ORDER_MIN_ENERGON || coins == 0 {
                return Err(too_small);
            }
            Ok(Quote {
                coins,
                energon: paid,
                fee,
                price: exec as u64,
            })
        }
    }
}

/// A sale at `price` for `amount`, by a player holding `held` micro-coins.
pub fn quote_sell(price: u64, amount: Amount, held: u64) -> Result<Quote, MarketRejection> {
    if held == 0 {
        return Err(MarketRejection::NothingToSell);
    }
    let too_small = MarketRejection::OrderTooSmall {
        min: ORDER_MIN_ENERGON,
    };
    match amount {
        Amount::All => {
            let quote = sell_coins(price, held);
            if quote.energon == 0 {
                return Err(MarketRejection::WorthLessThanFee);
            }
            Ok(quote)
        }
        Amount::Coins(coins) => {
            if coins > held {
                return Err(MarketRejection::InsufficientCoins {
                    need: coins,
                    have: held,
                });
            }
            let quote = sell_coins(price, coins);
            if quote.energon + quote.fee < ORDER_MIN_ENERGON {
                return Err(too_small);
            }
            Ok(quote)
        }
        Amount::Energon(want) => {
            if want < ORDER_MIN_ENERGON {
                return Err(too_small);
            }
            // Invert the sale: coins whose proceeds, after impact and fee, reach `want`; then
            // sell that many forward (the quote recorded is always the forward one).
            let gross = u128::from(want) + u128::from(fee(want)) + 1;
            let exec = (u128::from(price) * u128::from(10_000 - impact_bp(want))) / 10_000;
            let mut coins = (gross * MICRO2).div_ceil(exec.max(1));
            for _ in 0..8 {
                let quote = sell_coins(price, u64::try_from(coins).unwrap_or(u64::MAX));
                if quote.energon >= want {
                    break;
                }
                coins += (u128::from(want - quote.energon) * MICRO2).div_ceil(exec.max(1));
            }
            let coins = u64::try_from(coins).unwrap_or(u64::MAX);
            if coins > held {
                return Err(MarketRejection::InsufficientCoins {
                    need: coins,
                    have: held,
                });
            }
            Ok(sell_coins(price, coins))
        }
    }
}

/// Selling `coins` micro-coins at `price`: impact from the order's value, then the fee.
fn sell_coins(price: u64, coins: u64) -> Quote {
    let price = u128::from(price);
    let gross = u128::from(coins) * price / MICRO2;
    let impact = impact_bp(u64::try_from(gross).unwrap_or(u64::MAX));
    let exec = price * u128::from(10_000 - impact) / 10_000;
    let proceeds = u64::try_from(u128::from(coins) * exec / MICRO2).unwrap_or(u64::MAX);
    let fee = fee(proceeds);
    Quote {
        coins,
        energon: proceeds.saturating_sub(fee),
        fee: fee.min(proceeds),
        price: exec as u64,
    }
}

/// What a player's coins are worth at the current price, in micro-energon.
pub fn value_micro(price: u64, coins: u64) -> u128 {
    u128::from(coins) * u128::from(price) / u128::from(MICRO)
}
