//! What a player can ask of their pet.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;
use crate::pets::content::{ItemId, Slot};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PetCommand {
    /// Adopt a pet of this faction. One pet per player.
    Adopt {
        faction: Faction,
    },
    /// Give the pet a name of the player's choosing. The text goes to the erasable personal
    /// store; the event records only that a custom name exists.
    Rename {
        name: String,
    },
    /// First step of releasing the pet for good: issues a confirmation token.
    RequestRelease,
    /// Second step: the token from the first step.
    ConfirmRelease {
        token: u32,
    },
    Care {
        action: CareAction,
        level: CareLevel,
    },
    Train {
        intensity: Intensity,
    },
    Mission {
        difficulty: MissionDifficulty,
    },
    Equip {
        slot: Slot,
        item: ItemId,
    },
    Unequip {
        slot: Slot,
    },
    /// Operator only: put an item in a player's pet inventory (support, events, testing).
    GiveItem {
        player: PlayerId,
        item: ItemId,
    },
    /// The owner changed their mind: the pending release token is consumed, so the
    /// confirmation it was shown on can no longer release the pet.
    CancelRelease,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Faction {
    /// Sturdier: more defense and happiness.
    Autobot,
    /// Fiercer: more attack and energy.
    Decepticon,
}

/// The three care actions; each restores one resource.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum CareAction {
    /// Restores energy; costs energon for the bigger refills.
    Charge,
    /// Restores maintenance; costs energon for parts.
    Repair,
    /// Restores happiness; costs energy.
    Play,
}

/// How long the care session lasts: a bigger session restores more and cools down longer.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum CareLevel {
    Quick,
    Standard,
    Full,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Intensity {
    Average,
    Intense,
    Godmode,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum MissionDifficulty {
    Easy,
    Average,
    Hard,
}
