//! Read models of the energon area, for the adapter: balances, the Rush, the boards.

use crate::energon::{Period, Rush};
use crate::ids::{PlayerId, Timestamp};
use crate::world::World;

/// One player's energon, wherever it is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    pub wallet: u64,
    pub bank: u64,
    pub rush: u64,
}

pub fn balances(world: &World, player: PlayerId) -> Balances {
    Balances {
        wallet: world.energon.balance(player),
        bank: world.energon.bank(player),
        rush: world.energon.rush.balance(player),
    }
}

/// Standings shown by `/rush_info`.
pub const RUSH_STANDINGS_SHOWN: usize = 10;

/// The Energon Rush as `you` see it: the round, its top standings, your balance and the last
/// result (see [`Rush::seen_by`]); it costs O(standings), not a copy of every player's entry.
pub fn rush(world: &World, you: PlayerId) -> Rush {
    world.energon.rush.seen_by(you, RUSH_STANDINGS_SHOWN)
}

/// The best earners of a period, best first: at most `n`.
pub fn top_earners(
    world: &World,
    period: Period,
    now: Timestamp,
    n: usize,
) -> Vec<(PlayerId, u64)> {
    world.energon.leaderboards.top_earners(period, now, n)
}

/// The richest players (wallet and bank), richest first: at most `n`.
pub fn richest(world: &World, n: usize) -> Vec<(PlayerId, u64)> {
    world.energon.richest(n)
}
