//! What happened on the CyberCoin market. Stored: never reorder or change a variant; add new
//! ones at the end.
//!
//! Prices are micro-energon per coin, holdings micro-coins (see `tuning::MICRO`). Every number
//! a rule decided (the new price, a trade's coins, fee and price) is in its event: evolving
//! applies them and derives nothing.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum MarketEvent {
    /// The market opened at `price`; `at` is tick 0's instant. Stream `market`.
    Opened { price: u64, at: Timestamp },
    /// Tick `number`, due at `at`, set the price to `price`: `walk_bp` is the ordinary move
    /// (noise, momentum and pressure, capped) and `shock_bp` the move of news or a holiday that
    /// started at this tick (0 for none), both in basis points; `volume` is the energon traded
    /// since the previous tick. Stream `market`.
    Ticked {
        number: u64,
        at: Timestamp,
        price: u64,
        walk_bp: i32,
        shock_bp: i32,
        volume: u64,
    },
    /// `count` ticks from `from` were missed while the bot was down and are not simulated (at
    /// most `tuning::CATCH_UP_MAX` are caught up). Stream `market`.
    TicksMissed { from: u64, count: u64 },
    /// News broke at tick `tick`: line `line` of bucket `bucket` (ids of the news content),
    /// multiplying the price by `multiplier_bp` / 10,000 at that tick, in force for `ticks`
    /// ticks. Stream `market`.
    NewsStarted {
        tick: u64,
        bucket: String,
        line: u16,
        multiplier_bp: u32,
        ticks: u32,
    },
    /// The news in force ended before tick `tick`. Stream `market`.
    NewsEnded { tick: u64 },
    /// Holiday `holiday` began at tick `tick`, swinging the price by `multiplier_bp` / 10,000
    /// (`surge` says which side's line `line` was shown). Stream `market`.
    HolidayStarted {
        tick: u64,
        holiday: String,
        surge: bool,
        line: u16,
        multiplier_bp: u32,
    },
    /// The holiday in force ended before tick `tick` (its date had passed). Stream `market`.
    HolidayEnded { tick: u64 },
    /// `player` bought `coins` micro-coins for `paid` energon (`fee` of it the fee) at `price`
    /// micro-energon a coin (the tick's price with this order's impact). The coins are minted
    /// here; the energon is burned by the `Debited` (rule `MarketBuy`) in the same batch.
    /// Stream `user/<player>`.
    Bought {
        player: PlayerId,
        coins: u64,
        paid: u64,
        fee: u64,
        price: u64,
    },
    /// `player` sold `coins` micro-coins for `received` energon (after the fee `fee`) at
    /// `price` micro-energon a coin. The coins are burned here; the energon is minted by the
    /// `Credited` (rule `MarketSale`) in the same batch. Stream `user/<player>`.
    Sold {
        player: PlayerId,
        coins: u64,
        received: u64,
        fee: u64,
        price: u64,
    },
    /// Schema 11: `player`'s holding brought over from the original bot (`allspark
    /// import-legacy`): `coins` micro-coins are minted here, at a cost basis of `basis`
    /// micro-energon (what the original recorded as invested in them). No energon moves.
    /// Stream `user/<player>`.
    Imported {
        player: PlayerId,
        coins: u64,
        basis: u64,
    },
    /// Schema 12: `player` gave `coins` micro-coins to `to` in a player trade (the trade's
    /// swap, `trade::TradeEvent::Completed` in the same batch), and with them `basis`
    /// micro-energon of cost basis (their share of what the giver paid, decided at the swap).
    /// Nothing is minted or burned. Stream `user/<player>`.
    GaveAway {
        player: PlayerId,
        coins: u64,
        basis: u64,
        to: PlayerId,
    },
    /// Schema 12: the other leg of [`MarketEvent::GaveAway`]: `player` received `coins`
    /// micro-coins from `from`, at the cost basis `basis` that came with them. Stream
    /// `user/<player>`.
    Received {
        player: PlayerId,
        coins: u64,
        basis: u64,
        from: PlayerId,
    },
}
