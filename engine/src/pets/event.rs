//! What happened to pets. Stored: never reorder or change a variant; add a schema version.
//! Every event's stream is `user/<player>`. All are public except `ReleaseRequested`, whose
//! token is shown only to the owner.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::pets::command::{CareAction, CareLevel, Faction, Intensity, MissionDifficulty};
use crate::pets::content::{ItemId, Slot};
use crate::pets::state::Activity;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PetEvent {
    /// A pet was adopted; its generated name is `pet_names[faction][name_index]`.
    Adopted {
        player: PlayerId,
        faction: Faction,
        name_index: u16,
    },
    /// The owner gave the pet a custom name (the text is in the personal store).
    Renamed { player: PlayerId },
    /// Release was asked for; `token` confirms it until `expires_at`.
    ReleaseRequested {
        player: PlayerId,
        token: u32,
        expires_at: Timestamp,
    },
    /// The pet is gone, with its inventory and equipment.
    Released { player: PlayerId },
    /// A care session: `restored` points of the action's resource; `energy_spent` for play.
    Cared {
        player: PlayerId,
        action: CareAction,
        level: CareLevel,
        restored: u32,
        energy_spent: u32,
    },
    /// A training session and what it cost and gave.
    Trained {
        player: PlayerId,
        intensity: Intensity,
        energy_spent: u32,
        happiness_spent: u32,
        attack_gain: u32,
        defense_gain: u32,
    },
    /// A mission ended; `text_index` picks its flavour line.
    MissionEnded {
        player: PlayerId,
        difficulty: MissionDifficulty,
        text_index: u16,
        succeeded: bool,
        energy_spent: u32,
        happiness_gained: u32,
        happiness_lost: u32,
        maintenance_lost: u32,
    },
    /// The pet gained experience (from any source).
    ExperienceGained { player: PlayerId, xp: u64 },
    /// The pet reached `level`, with these stat gains (the XP it cost is the curve's).
    LeveledUp {
        player: PlayerId,
        level: u32,
        attack_gain: u32,
        defense_gain: u32,
        energy_max_gain: u32,
        happiness_max_gain: u32,
        maintenance_max_gain: u32,
    },
    /// An item went into the pet's inventory.
    ItemFound { player: PlayerId, item: ItemId },
    /// An item moved from the inventory into its slot; whatever was there went back.
    Equipped {
        player: PlayerId,
        slot: Slot,
        item: ItemId,
    },
    /// The slot's item went back to the inventory.
    Unequipped { player: PlayerId, slot: Slot },
    /// The pet lost maintenance outside a care action (a search disaster, a battle).
    Damaged {
        player: PlayerId,
        energy_lost: u32,
        happiness_lost: u32,
        maintenance_lost: u32,
    },
    // Schema 5: what the rules decided, recorded right after the event that needed it, so a
    // rebuild never re-derives it from today's numbers (`tuning::frozen_v4` reads older logs).
    /// When the activity may be done again (after `Cared`, `Trained`, `MissionEnded`).
    CooldownSet {
        player: PlayerId,
        activity: Activity,
        ready_at: Timestamp,
    },
    /// The adopted pet's starting stats and decay rates (after `Adopted`).
    Founded {
        player: PlayerId,
        foundation: Foundation,
    },
    /// The experience left towards the next level (after `LeveledUp`).
    ExperienceSet { player: PlayerId, xp: u64 },
    /// The resources after a change that clamps them to maxima that depend on equipment
    /// (after `Cared`, `MissionEnded`, `Equipped`, `Unequipped`).
    VitalsSet {
        player: PlayerId,
        energy: u32,
        happiness: u32,
        maintenance: u32,
    },
    /// The owner kept their pet: the pending release token is consumed (schema 5).
    ReleaseCancelled { player: PlayerId },
    /// Schema 10: `count` of the item left the inventory for `to`'s pet in a completed trade.
    ItemGivenAway {
        player: PlayerId,
        item: ItemId,
        count: u32,
        to: PlayerId,
    },
    /// Schema 10: `count` of the item came into the inventory from `from`'s pet in a completed
    /// trade (not a find: `items_found` is unchanged).
    ItemReceived {
        player: PlayerId,
        item: ItemId,
        count: u32,
        from: PlayerId,
    },
    /// Schema 11: a pet brought over whole from the original bot (`allspark import-legacy`),
    /// with its numbers as the import rule decided them (level capped at today's highest,
    /// resources clamped to the maxima its items give, only items this bot has) and the decay
    /// rates it lives under. Its generated name is `pet_names[faction][name_index]`: the
    /// original's name is not brought over (it may be text a person wrote).
    Imported {
        player: PlayerId,
        name_index: u16,
        pet: LegacyPet,
        decay_intervals_ms: [i64; 3],
    },
}

/// A pet as the original bot kept it, in this bot's terms (schema 11): what
/// `PlayerCommand::ImportLegacy` carries and `PetEvent::Imported` records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LegacyPet {
    pub faction: Faction,
    pub level: u32,
    /// Experience towards the next level.
    pub xp: u64,
    /// Base attack and defense, without equipment.
    pub attack: u32,
    pub defense: u32,
    pub energy: u32,
    pub happiness: u32,
    pub maintenance: u32,
    /// Base maxima, without equipment.
    pub energy_max: u32,
    pub happiness_max: u32,
    pub maintenance_max: u32,
    pub equipment: BTreeMap<Slot, ItemId>,
    /// Item counts; never a zero.
    pub inventory: BTreeMap<ItemId, u32>,
    pub missions_succeeded: u32,
    pub missions_failed: u32,
}

/// A pet's starting numbers, as the adoption rule decided them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Foundation {
    pub attack: u32,
    pub defense: u32,
    pub energy_max: u32,
    pub happiness_max: u32,
    pub maintenance_max: u32,
    /// Milliseconds per point lost of energy, happiness and maintenance.
    pub decay_intervals_ms: [i64; 3],
}

impl PetEvent {
    pub fn player(&self) -> PlayerId {
        match self {
            PetEvent::Adopted { player, .. }
            | PetEvent::Renamed { player }
            | PetEvent::ReleaseRequested { player, .. }
            | PetEvent::Released { player }
            | PetEvent::Cared { player, .. }
            | PetEvent::Trained { player, .. }
            | PetEvent::MissionEnded { player, .. }
            | PetEvent::ExperienceGained { player, .. }
            | PetEvent::LeveledUp { player, .. }
            | PetEvent::ItemFound { player, .. }
            | PetEvent::Equipped { player, .. }
            | PetEvent::Unequipped { player, .. }
            | PetEvent::Damaged { player, .. }
            | PetEvent::CooldownSet { player, .. }
            | PetEvent::Founded { player, .. }
            | PetEvent::ExperienceSet { player, .. }
            | PetEvent::VitalsSet { player, .. }
            | PetEvent::ReleaseCancelled { player }
            | PetEvent::ItemGivenAway { player, .. }
            | PetEvent::ItemReceived { player, .. } => *player,
            PetEvent::Imported { player, .. } => *player,
        }
    }
}
