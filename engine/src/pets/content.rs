//! The pets area's content types: equipment items, generated pet names and mission texts.
//! These are the field definitions the files in `engine/content/` point to.

use serde::{Deserialize, Serialize};

/// A stable item id such as `plating.scrapweave_mesh`. Stored in events: never rename one.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct ItemId(pub String);

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The three equipment slots a pet has.
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
#[serde(rename_all = "snake_case")]
pub enum Slot {
    ChassisPlating,
    EnergyCore,
    UtilityModule,
}

impl Slot {
    pub const ALL: [Slot; 3] = [Slot::ChassisPlating, Slot::EnergyCore, Slot::UtilityModule];

    pub fn label(self) -> &'static str {
        match self {
            Slot::ChassisPlating => "chassis plating",
            Slot::EnergyCore => "energy core",
            Slot::UtilityModule => "utility module",
        }
    }
}

/// Six rarities, in increasing order. The order is used by drop tables.
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
#[serde(rename_all = "snake_case")]
pub enum Rarity {
    Common,
    Uncommon,
    Rare,
    Epic,
    Legendary,
    Mythic,
}

impl Rarity {
    pub const ALL: [Rarity; 6] = [
        Rarity::Common,
        Rarity::Uncommon,
        Rarity::Rare,
        Rarity::Epic,
        Rarity::Legendary,
        Rarity::Mythic,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(index: usize) -> Rarity {
        Rarity::ALL[index.min(Rarity::ALL.len() - 1)]
    }

    pub fn label(self) -> &'static str {
        match self {
            Rarity::Common => "common",
            Rarity::Uncommon => "uncommon",
            Rarity::Rare => "rare",
            Rarity::Epic => "epic",
            Rarity::Legendary => "legendary",
            Rarity::Mythic => "mythic",
        }
    }
}

/// Stat bonuses an equipped item adds. Maxima only: an item never refills a resource.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct StatBonus {
    pub attack: u32,
    pub defense: u32,
    pub energy_max: u32,
    pub happiness_max: u32,
    pub maintenance_max: u32,
}

impl StatBonus {
    pub fn plus(self, other: StatBonus) -> StatBonus {
        StatBonus {
            attack: self.attack + other.attack,
            defense: self.defense + other.defense,
            energy_max: self.energy_max + other.energy_max,
            happiness_max: self.happiness_max + other.happiness_max,
            maintenance_max: self.maintenance_max + other.maintenance_max,
        }
    }
}

/// One equipment item (`engine/content/items.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// Stable id; its prefix names the slot (`plating.`, `core.`, `module.`).
    pub id: ItemId,
    /// Display name, at most 40 characters.
    pub name: String,
    pub slot: Slot,
    pub rarity: Rarity,
    pub bonus: StatBonus,
    /// One sentence shown in the inventory.
    pub description: String,
    /// Shown when a player finds the item.
    pub unlock_message: String,
}

/// `engine/content/items.json`.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub items: Vec<ItemDef>,
}

/// `engine/content/pet_names.json`: generated names, picked by index at adoption.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetNamesFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub autobot: Vec<String>,
    pub decepticon: Vec<String>,
}

/// `engine/content/missions.json`: what a pet sets out to do, per difficulty.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MissionsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub easy: Vec<String>,
    pub average: Vec<String>,
    pub hard: Vec<String>,
}
