//! Read models of the RPG: characters with their stats as worn, adventures and their
//! segments, what the storyteller worker still owes, and the timer's deadlines.

use crate::content;
use crate::ids::{PlayerId, Snowflake, Timestamp};
use crate::rpg::content::{Challenge, ClassDef, Crossroad, GearDef, Stats};
use crate::rpg::tuning;
use crate::rpg::{Adventure, Brief, Character, RpgCommand, SegmentPlan};
use crate::world::World;

/// A player's characters, by number.
pub fn characters(world: &World, player: PlayerId) -> Vec<&Character> {
    world.rpg.characters_of(player).collect()
}

pub fn character(world: &World, player: PlayerId, number: u32) -> Option<&Character> {
    world.rpg.character_of(player, number)
}

/// Any character by number (for drawing a party).
pub fn character_by_number(world: &World, number: u32) -> Option<&Character> {
    world.rpg.characters.get(&number)
}

/// A character's stats with its worn gear.
pub fn with_gear(character: &Character) -> Stats {
    crate::rpg::rules::with_gear(character)
}

/// Experience the character's next level needs in total (`None` at the cap).
pub fn xp_next(character: &Character) -> Option<u64> {
    (character.level < tuning::LEVEL_CAP).then(|| tuning::xp_for_level(character.level + 1))
}

/// Until when a kill request of this character can be confirmed.
pub fn kill_pending(world: &World, number: u32) -> Option<Timestamp> {
    world.rpg.kills.get(&number).copied()
}

pub fn adventure(world: &World, number: u32) -> Option<&Adventure> {
    world.rpg.adventures.get(&number)
}

/// The party or adventure a player is in.
pub fn adventure_of(world: &World, player: PlayerId) -> Option<&Adventure> {
    world.rpg.adventure_of(player)
}

/// The chronicle running in a channel.
pub fn chronicle_in(world: &World, channel: Snowflake) -> Option<&Adventure> {
    world
        .rpg
        .chronicle_of
        .get(&channel)
        .and_then(|n| world.rpg.adventures.get(n))
}

/// The adventure a battle belongs to, and its segment.
pub fn battle_adventure(world: &World, battle: crate::battle::BattleId) -> Option<(u32, u8)> {
    world.rpg.adventures.values().find_map(|a| {
        a.segments.iter().find_map(|s| match &s.plan {
            SegmentPlan::Battle { battle: b, .. } if *b == battle => Some((a.number, s.index)),
            _ => None,
        })
    })
}

/// Segments whose narration was asked for and not yet recorded, oldest first: what the
/// storyteller worker owes (after a restart too).
pub fn pending_narrations(world: &World) -> Vec<(u32, u8, Brief)> {
    let mut pending = Vec::new();
    for adventure in world.rpg.adventures.values() {
        for segment in &adventure.segments {
            if let (Some(brief), None) = (&segment.brief, &segment.narration) {
                pending.push((adventure.number, segment.index, brief.clone()));
            }
        }
    }
    pending
}

/// The timer's deadlines: party expiries, challenge and vote deadlines.
pub fn due(world: &World) -> Vec<(Timestamp, RpgCommand)> {
    crate::rpg::rules::due(world)
}

/// The classes, in the order they are offered.
pub fn classes() -> Vec<&'static ClassDef> {
    let rpg = &content::get().rpg;
    rpg.class_order
        .iter()
        .filter_map(|id| rpg.classes.get(id))
        .collect()
}

pub fn class(id: &str) -> Option<&'static ClassDef> {
    content::get().rpg.classes.get(id)
}

pub fn gear(id: &str) -> Option<&'static GearDef> {
    content::get().rpg.gear.get(id)
}

pub fn challenge(id: &str) -> Option<&'static Challenge> {
    content::get().rpg.challenges.get(id)
}

pub fn crossroad(id: &str) -> Option<&'static Crossroad> {
    content::get().rpg.crossroads.get(id)
}

/// How many pieces of gear the content has (for `/cyber_info`).
pub fn gear_count() -> usize {
    content::get().rpg.gear.len()
}
