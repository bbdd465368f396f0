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

/// The number the next character made (or imported) gets: numbers are never reused.
pub fn next_character_number(world: &World) -> u32 {
    world.rpg.created + 1
}

/// The character a player brings when they name none: the highest level, then the oldest.
pub fn strongest_character(world: &World, player: PlayerId) -> Option<&Character> {
    world
        .rpg
        .characters_of(player)
        .max_by_key(|c| (c.level, std::cmp::Reverse(c.number)))
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

/// When the timer should next act on each adventure: an unstarted party's expiry, a
/// challenge's or vote's deadline (battles have their own timer).
pub fn due(world: &World) -> Vec<(Timestamp, RpgCommand)> {
    let mut due = Vec::new();
    for entry in world.rpg.adventures.values() {
        if entry.ended.is_some() {
            continue;
        }
        if entry.started.is_none() {
            due.push((
                entry.expires_at,
                RpgCommand::ExpireParty {
                    adventure: entry.number,
                },
            ));
            continue;
        }
        if let Some(current) = entry.current() {
            if !matches!(current.plan, SegmentPlan::Battle { .. }) {
                due.push((
                    current.deadline,
                    RpgCommand::Timeout {
                        adventure: entry.number,
                        segment: current.index,
                    },
                ));
            }
        }
    }
    due
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
