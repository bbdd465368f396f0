//! Read models of the players area, for the adapter: who is known, and what erasing a player
//! would take.

use crate::area::Engagement;
use crate::ids::PlayerId;
use crate::world::World;

/// What erasing one player would burn and drop, or why it can't be done now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasurePreview {
    pub player: PlayerId,
    pub blocked: Option<ErasureBlock>,
    pub wallet: u64,
    pub bank: u64,
    pub rush: u64,
    /// CyberCoin held, in micro-coins: burned with the rest.
    pub coins: u64,
    pub pet_level: Option<u32>,
}

/// Why a player can't be erased right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErasureBlock {
    /// Never played here, or already erased.
    Unknown,
    /// Taking part in something that erasing them would break.
    Busy(Engagement),
}

/// Whether the player has ever played here (and was not erased since).
pub fn known(world: &World, player: PlayerId) -> bool {
    world.players.contains(player)
}

/// How many players are known (joined and not erased since).
pub fn count(world: &World) -> usize {
    world.players.len()
}

/// The erasure rule's view of a player, as `PlayerCommand::Erase` would decide it now.
pub fn erasure_preview(world: &World, player: PlayerId) -> ErasurePreview {
    let blocked = if !world.players.contains(player) {
        Some(ErasureBlock::Unknown)
    } else {
        crate::player::rules::erasure_waits_for(world, player).map(ErasureBlock::Busy)
    };
    // Stakes held for a lobby or a challenge come back to the wallet first, then burn with it.
    let (_, refunded) = crate::battle::rules::withdraw_for_erasure(world, player);
    ErasurePreview {
        player,
        blocked,
        wallet: world.energon.balance(player).saturating_add(refunded),
        bank: world.energon.bank(player),
        rush: world.energon.rush.balance(player),
        coins: crate::market::view::portfolio(world, player).map_or(0, |p| p.coins),
        pet_level: world.pets.get(player).map(|pet| pet.level),
    }
}

/// When the player first played here, if they are known.
pub fn joined_at(world: &World, player: PlayerId) -> Option<crate::ids::Timestamp> {
    world.players.get(player).map(|profile| profile.joined_at)
}
