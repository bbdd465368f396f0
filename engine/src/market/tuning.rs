//! Every number the market decides with. What a rule decided from them is recorded in its event
//! (a tick's price, a trade's coins, fee and price), so changing a number here changes what
//! happens next, never what already happened.
//!
//! Why trading in one tick can't make money: the price is fixed between two ticks, a buy pays
//! at least that price and a sell gets at most it (impact only ever moves the price against the
//! trader), every order pays a fee of at least 1 energon, and every rounding goes to the house.
//! So each trade strictly lowers what the trader holds valued at the tick's price, and so does
//! any sequence of them (`engine/tests/market_rules.rs` checks it as a property).
//!
//! Why the walk can't be farmed either: every drift a player can see coming (momentum after
//! three moves one way, the pressure of the tick's net buying) is smaller than the fees of a
//! round trip (2 %), and the pressure an order adds to the next tick (half its size over the
//! depth) is smaller than the impact the same order paid (its size over the depth). News and
//! holidays strike at the tick they start, so nobody can trade ahead of them, and their
//! multipliers average to 1 (the content check holds the news buckets to it; a holiday swings
//! up or down by the same amount with even odds).

/// Micro-units in one energon (prices, cost basis) and in one coin (holdings).
pub const MICRO: u64 = 1_000_000;
/// The price the market opens at, in micro-energon per coin (100 energon, as the original).
pub const OPENING_PRICE: u64 = 100 * MICRO;
/// The price never falls below 0.01 energon per coin...
pub const PRICE_MIN: u64 = MICRO / 100;
/// ...nor rises above a million energon per coin.
pub const PRICE_MAX: u64 = 1_000_000 * MICRO;

/// The random part of a tick's walk: uniform in ±2 % (basis points of the price).
pub const NOISE_BP: i64 = 200;
/// Added when the last three ticks moved one way: ±1 %, less than a round trip's fees.
pub const MOMENTUM_BP: i64 = 100;
/// The tick's net buying (buys minus sells, in energon) moves the next tick by half its share
/// of the depth, at most ±2 %.
pub const PRESSURE_BP_MAX: i64 = 200;
/// A weak pull back towards the opening price: a hundredth of how far the price is from it (in
/// basis points of the lower of the two), at most ±0.5 % a tick. Without it a fair walk's median
/// sinks (every shock that is fair on average loses more going down than it gains going up),
/// and the coin would drift to dust within weeks; with it the median stays near the opening.
pub const REVERSION_DIVISOR: i64 = 100;
pub const REVERSION_BP_MAX: i64 = 50;
/// The ordinary walk (noise, momentum, pressure, reversion) moves at most ±8 % a tick, as the original's;
/// news and holidays come on top.
pub const WALK_CAP_BP: i64 = 800;
/// The market's depth in energon: an order's price impact is its size over the depth.
pub const DEPTH_ENERGON: u64 = 100_000;
/// Price impact never exceeds 20 %.
pub const IMPACT_BP_MAX: u64 = 2_000;

/// Each tick without news in force (and outside a holiday) starts news with this chance: about
/// two a day at hourly ticks.
pub const NEWS_CHANCE_PERCENT: u64 = 8;

/// The fee on every order: 1 % of its energon, at least [`FEE_MIN`].
pub const FEE_BP: u64 = 100;
pub const FEE_MIN: u64 = 1;
/// The smallest order, in energon (selling out a whole holding may be smaller).
pub const ORDER_MIN_ENERGON: u64 = 10;

/// Price points kept for the dashboard and chart: 30 days of hourly ticks and some room.
pub const HISTORY_MAX: usize = 1_000;
/// After downtime, at most this many missed ticks are simulated; older ones are recorded as
/// missed (`TicksMissed`), never silently skipped.
pub const CATCH_UP_MAX: u64 = 24;
/// The default time between ticks.
pub const TICK_INTERVAL_SECS_DEFAULT: u64 = 3_600;
