//! Read models of the pets area, for the adapter: the dashboard (a pet as of now, with decay
//! applied), its inventory, and the names battles show.

use crate::ids::{PlayerId, Timestamp};
use crate::pets::content::ItemId;
use crate::pets::Pet;
use crate::world::World;

/// The player's pet as it is at `now` (decay applied), for the dashboard and the equipment
/// views; `None` without a pet.
pub fn dashboard(world: &World, player: PlayerId, now: Timestamp) -> Option<Pet> {
    world.pets.get(player).map(|pet| pet.decayed(now))
}

/// The pet as last recorded (no decay), for pickers that only list what it holds.
pub fn pet(world: &World, player: PlayerId) -> Option<Pet> {
    world.pets.get(player).cloned()
}

/// The items the player's pet holds, in id order.
pub fn inventory(world: &World, player: PlayerId) -> Vec<ItemId> {
    world
        .pets
        .get(player)
        .map(|pet| pet.inventory.keys().cloned().collect())
        .unwrap_or_default()
}

/// Each player's pet's generated name, and whether the owner chose another (kept in the
/// erasable store): "A pet" for a player without one.
pub fn generated_names(world: &World, players: &[PlayerId]) -> Vec<(PlayerId, String, bool)> {
    players
        .iter()
        .map(|player| match world.pets.get(*player) {
            Some(pet) => (*player, pet.generated_name().to_string(), pet.custom_name),
            None => (*player, "A pet".to_string(), false),
        })
        .collect()
}

/// The pet's battle health and its maximum at `now`, when it is below
/// [`tuning::LOW_HEALTH_PERCENT`](crate::pets::tuning::LOW_HEALTH_PERCENT) of it: the warning a
/// player gets before starting or joining a fight. `None` without a pet or when it is healthy.
pub fn low_health(world: &World, player: PlayerId, now: Timestamp) -> Option<(u32, u32)> {
    let profile = world.pets.get(player)?.decayed(now).battle_profile();
    let low = u64::from(profile.hp) * 100
        < u64::from(profile.hp_max) * crate::pets::tuning::LOW_HEALTH_PERCENT;
    low.then_some((profile.hp, profile.hp_max))
}
