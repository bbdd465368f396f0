//! The market's state: the price and its recent history, the news and holiday in force, the
//! tick's order flow, and every player's position, with boards kept as rankings.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::energon::Ranking;
use crate::ids::{PlayerId, Timestamp};
use crate::market::tuning::{HISTORY_MAX, MICRO};
use crate::market::MarketEvent;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Market {
    /// Set by `Opened`: nothing trades before.
    pub(crate) opened_at: Option<Timestamp>,
    /// Micro-energon per coin.
    pub(crate) price: u64,
    /// The number the next tick must have.
    pub(crate) next_tick: u64,
    /// The instant of the latest tick (or of the opening).
    pub(crate) last_at: Timestamp,
    /// Recent ticks, oldest first, at most `HISTORY_MAX`.
    pub(crate) history: VecDeque<PricePoint>,
    pub(crate) news: Option<NewsInForce>,
    pub(crate) holiday: Option<HolidayInForce>,
    /// Energon bought and sold since the latest tick: the next tick's pressure and volume.
    pub(crate) bought_since_tick: u64,
    pub(crate) sold_since_tick: u64,
    pub(crate) positions: BTreeMap<PlayerId, Position>,
    /// Micro-coins held, by player: the holdings board (value is holdings times one price).
    pub(crate) holdings: Ranking,
    /// Realised profit in energon, by player, for those in profit: the profit board.
    pub(crate) profits: Ranking,
    /// Micro-coins in existence; always `minted - burned`.
    pub(crate) circulation: u64,
    pub(crate) minted: u128,
    pub(crate) burned: u128,
    /// Ticks recorded as missed, in all.
    pub(crate) missed: u64,
}

/// One tick's price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PricePoint {
    pub tick: u64,
    pub at: Timestamp,
    pub price: u64,
    /// Energon traded between the previous tick and this one.
    pub volume: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewsInForce {
    pub bucket: String,
    pub line: u16,
    pub multiplier_bp: u32,
    pub started: u64,
    /// Ticks after this one it stays in force.
    pub remaining: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HolidayInForce {
    pub holiday: String,
    pub surge: bool,
    pub line: u16,
    pub multiplier_bp: u32,
    pub started: u64,
    /// The UTC date (year, ordinal day) it is in force on.
    pub date: (i32, u32),
}

/// A player's coins and what they cost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Position {
    /// Micro-coins held.
    pub coins: u64,
    /// What the coins held cost, fees included, in micro-energon (average cost: a sale takes
    /// its share).
    pub basis: u64,
    /// Profit taken by selling, in micro-energon.
    pub realised: i64,
    pub buys: u32,
    pub sells: u32,
    /// Energon paid for coins and received for them, in all.
    pub paid_total: u64,
    pub received_total: u64,
    pub fees_total: u64,
}

impl Position {
    /// The share of the cost basis that `coins` micro-coins of this holding carry (all of it
    /// for the whole holding, so no rounding is left behind).
    pub fn basis_of(&self, coins: u64) -> u64 {
        let coins = coins.min(self.coins);
        if coins == self.coins {
            self.basis
        } else {
            (u128::from(self.basis) * u128::from(coins) / u128::from(self.coins.max(1))) as u64
        }
    }
}

impl Market {
    pub(crate) fn position(&self, player: PlayerId) -> Option<&Position> {
        self.positions.get(&player)
    }

    /// Micro-coins in existence.
    pub fn circulation(&self) -> u64 {
        self.circulation
    }

    pub fn is_conserved(&self) -> bool {
        let held: u128 = self.positions.values().map(|p| u128::from(p.coins)).sum();
        self.minted >= self.burned
            && self.minted - self.burned == u128::from(self.circulation)
            && held == u128::from(self.circulation)
    }

    /// Forgets an erased player: their coins are burned (the erasure rule) and their position
    /// and board entries dropped.
    pub(crate) fn forget(&mut self, player: PlayerId) {
        if let Some(position) = self.positions.remove(&player) {
            self.circulation = self.circulation.saturating_sub(position.coins);
            self.burned += u128::from(position.coins);
        }
        self.holdings.remove(player);
        self.profits.remove(player);
    }

    pub fn evolve(&mut self, event: &MarketEvent) {
        match event {
            MarketEvent::Opened { price, at } => {
                self.opened_at = Some(*at);
                self.price = *price;
                self.next_tick = 1;
                self.last_at = *at;
                self.push_point(PricePoint {
                    tick: 0,
                    at: *at,
                    price: *price,
                    volume: 0,
                });
            }
            MarketEvent::Ticked {
                number,
                at,
                price,
                volume,
                ..
            } => {
                self.price = *price;
                self.next_tick = number + 1;
                self.last_at = *at;
                self.bought_since_tick = 0;
                self.sold_since_tick = 0;
                if let Some(news) = &mut self.news {
                    news.remaining = news.remaining.saturating_sub(1);
                }
                self.push_point(PricePoint {
                    tick: *number,
                    at: *at,
                    price: *price,
                    volume: *volume,
                });
            }
            MarketEvent::TicksMissed { from, count } => {
                self.next_tick = from.saturating_add(*count);
                self.missed = self.missed.saturating_add(*count);
            }
            MarketEvent::NewsStarted {
                tick,
                bucket,
                line,
                multiplier_bp,
                ticks,
            } => {
                self.news = Some(NewsInForce {
                    bucket: bucket.clone(),
                    line: *line,
                    multiplier_bp: *multiplier_bp,
                    started: *tick,
                    remaining: ticks.saturating_sub(1),
                });
            }
            MarketEvent::NewsEnded { .. } => self.news = None,
            MarketEvent::HolidayStarted {
                tick,
                holiday,
                surge,
                line,
                multiplier_bp,
            } => {
                self.holiday = Some(HolidayInForce {
                    holiday: holiday.clone(),
                    surge: *surge,
                    line: *line,
                    multiplier_bp: *multiplier_bp,
                    started: *tick,
                    date: utc_date(self.last_at),
                });
            }
            MarketEvent::HolidayEnded { .. } => self.holiday = None,
            MarketEvent::Bought {
                player,
                coins,
                paid,
                fee,
                ..
            } => {
                let position = self.positions.entry(*player).or_default();
                position.coins = position.coins.saturating_add(*coins);
                position.basis = position.basis.saturating_add(paid.saturating_mul(MICRO));
                position.buys += 1;
                position.paid_total = position.paid_total.saturating_add(*paid);
                position.fees_total = position.fees_total.saturating_add(*fee);
                let held = position.coins;
                self.holdings.set(*player, held);
                self.circulation = self.circulation.saturating_add(*coins);
                self.minted += u128::from(*coins);
                self.bought_since_tick = self.bought_since_tick.saturating_add(*paid);
            }
            MarketEvent::Sold {
                player,
                coins,
                received,
                fee,
                ..
            } => {
                let position = self.positions.entry(*player).or_default();
                let sold = (*coins).min(position.coins);
                let basis_out = position.basis_of(sold);
                position.coins -= sold;
                position.basis -= basis_out.min(position.basis);
                let gained = i128::from(received.saturating_mul(MICRO)) - i128::from(basis_out);
                position.realised = (i128::from(position.realised) + gained)
                    .clamp(i128::from(i64::MIN), i128::from(i64::MAX))
                    as i64;
                position.sells += 1;
                position.received_total = position.received_total.saturating_add(*received);
                position.fees_total = position.fees_total.saturating_add(*fee);
                let (held, realised) = (position.coins, position.realised);
                self.holdings.set(*player, held);
                self.profits
                    .set(*player, u64::try_from(realised.max(0)).unwrap_or(0) / MICRO);
                self.circulation = self.circulation.saturating_sub(sold);
                // The recorded amount, not the clamped one: a sale beyond the holding (which
                // the rules never decide) then shows in the conservation audit.
                self.burned += u128::from(*coins);
                self.sold_since_tick = self.sold_since_tick.saturating_add(*received);
            }
            MarketEvent::Imported {
                player,
                coins,
                basis,
            } => {
                let position = self.positions.entry(*player).or_default();
                position.coins = position.coins.saturating_add(*coins);
                position.basis = position.basis.saturating_add(*basis);
                let held = position.coins;
                self.holdings.set(*player, held);
                self.circulation = self.circulation.saturating_add(*coins);
                self.minted += u128::from(*coins);
            }
            // A trade's legs move coins and basis between holdings: nothing minted or burned,
            // no profit taken. The recorded amounts, not clamped ones, so a leg beyond the
            // holding (which the rules never decide) shows in the conservation audit.
            MarketEvent::GaveAway {
                player,
                coins,
                basis,
                ..
            } => {
                let position = self.positions.entry(*player).or_default();
                position.coins = position.coins.saturating_sub(*coins);
                position.basis = position.basis.saturating_sub(*basis);
                let held = position.coins;
                self.holdings.set(*player, held);
            }
            MarketEvent::Received {
                player,
                coins,
                basis,
                ..
            } => {
                let position = self.positions.entry(*player).or_default();
                position.coins = position.coins.saturating_add(*coins);
                position.basis = position.basis.saturating_add(*basis);
                let held = position.coins;
                self.holdings.set(*player, held);
            }
        }
    }

    fn push_point(&mut self, point: PricePoint) {
        if self.history.len() == HISTORY_MAX {
            self.history.pop_front();
        }
        self.history.push_back(point);
    }
}

/// The UTC (year, ordinal day) of an instant, for holidays.
pub(crate) fn utc_date(at: Timestamp) -> (i32, u32) {
    use chrono::Datelike;
    let date = chrono::DateTime::from_timestamp_millis(at.0)
        .unwrap_or_default()
        .date_naive();
    (date.year(), date.ordinal())
}

/// The UTC (month, day) of an instant.
pub(crate) fn utc_month_day(at: Timestamp) -> (u8, u8) {
    use chrono::Datelike;
    let date = chrono::DateTime::from_timestamp_millis(at.0)
        .unwrap_or_default()
        .date_naive();
    (date.month() as u8, date.day() as u8)
}
