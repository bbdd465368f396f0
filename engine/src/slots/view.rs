//! Read models of the slots area, for the adapter: a player's record at the machines.

use crate::ids::PlayerId;
use crate::slots::SlotStats;
use crate::world::World;

/// The player's record at the slots, if they ever spun.
pub fn stats(world: &World, player: PlayerId) -> Option<SlotStats> {
    world.slots.stats(player).cloned()
}
