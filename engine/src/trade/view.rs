//! Read models of the trade area, for the adapter and for the other areas' rules: a trade as
//! it stands (open or recently ended), a player's open trades, what a player has on offer
//! (which the pets rules refuse to equip), the items a player may still offer, and the timer's
//! due deadlines.

use crate::ids::{PlayerId, Timestamp};
use crate::pets::content::ItemId;
use crate::trade::{Asset, Trade, TradeId};
use crate::world::World;

/// A trade, open or recently ended (`Trade::ended` says how).
pub fn trade(world: &World, trade: TradeId) -> Option<Trade> {
    world.trades.get_any(trade).cloned()
}

/// The player's open trades, in id order.
pub fn open_trades(world: &World, player: PlayerId) -> Vec<Trade> {
    world.trades.of(player).cloned().collect()
}

/// How much of `asset` the player has on offer across their open trades: reserved, so it can't
/// be equipped or offered again.
pub fn on_offer(world: &World, player: PlayerId, asset: &Asset) -> u64 {
    world.trades.on_offer(player, asset)
}

/// What the player holds of `asset` and is not offering anywhere yet.
pub fn available(world: &World, player: PlayerId, asset: &Asset) -> u64 {
    crate::trade::rules::held(world, player, asset).saturating_sub(on_offer(world, player, asset))
}

/// The player's inventory items with how many pieces are free to offer (none held back by
/// another trade), in id order; items all on offer are left out.
pub fn offerable_items(world: &World, player: PlayerId) -> Vec<(ItemId, u64)> {
    crate::pets::view::inventory(world, player)
        .into_iter()
        .filter_map(|item| {
            let free = available(world, player, &Asset::Item(item.clone()));
            (free > 0).then_some((item, free))
        })
        .collect()
}

/// Open trades whose deadline has passed at `now`: the timer sends `Expire` for each.
pub fn due(world: &World, now: Timestamp) -> Vec<TradeId> {
    world
        .trades
        .open()
        .filter(|t| t.expires_at <= now)
        .map(|t| t.id)
        .collect()
}
