//! The battle area's content types: enemies and their abilities (`engine/content/enemies.json`).
//! A battle copies what it needs from here into its start event, so a replay never depends on
//! today's content.

use serde::{Deserialize, Serialize};

use crate::pets::content::Rarity;

/// Monsters are generic units, bosses commanders with phases, titans colossi.
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
pub enum EnemyKind {
    Monster,
    Boss,
    Titan,
}

impl EnemyKind {
    pub const ALL: [EnemyKind; 3] = [EnemyKind::Monster, EnemyKind::Boss, EnemyKind::Titan];

    pub fn label(self) -> &'static str {
        match self {
            EnemyKind::Monster => "monster",
            EnemyKind::Boss => "boss",
            EnemyKind::Titan => "titan",
        }
    }
}

/// What an ability does; `rules` and the simulator match on this, content never holds code.
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
pub enum Effect {
    /// Attack every opponent at `power_percent` of a normal hit.
    HitAll,
    /// One heavy hit at `power_percent`.
    HeavyStrike,
    /// The target loses its next `duration_turns` actions.
    Stun,
    /// Own defense +`power_percent` % for `duration_turns`.
    ArmorUp,
    /// Every opponent's attack −`power_percent` % for `duration_turns`.
    Weaken,
    /// The target takes `power_percent` % of the user's attack each turn for `duration_turns`.
    Burn,
    /// Restore `power_percent` % of maximum health.
    HealSelf,
    /// Absorb damage worth `power_percent` % of maximum health for `duration_turns`.
    Shield,
    /// Own attack +`power_percent` % for `duration_turns`.
    Enrage,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbilityDef {
    pub id: String,
    pub name: String,
    pub effect: Effect,
    pub power_percent: u32,
    pub duration_turns: u8,
    pub description: String,
}

/// A boss or titan phase: entered once when health first drops to `at_hp_percent`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseDef {
    pub at_hp_percent: u32,
    /// The ability used on entering the phase.
    pub ability: String,
    /// What the enemy shouts when the phase begins.
    pub line: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnemyDef {
    /// Stable id; its prefix names the kind (`monster.`, `boss.`, `titan.`).
    pub id: String,
    pub name: String,
    pub kind: EnemyKind,
    pub rarity: Rarity,
    pub description: String,
    pub hp: u32,
    pub attack: u32,
    pub defense: u32,
    /// The pet level this enemy is meant for, shown in the selection view.
    pub recommended_level: u32,
    /// Ability ids the enemy may use on any turn.
    pub abilities: Vec<String>,
    /// Health thresholds, strictly decreasing.
    pub phases: Vec<PhaseDef>,
    /// Said when the battle starts.
    pub taunt: String,
    pub loot: LootTable,
}

/// What an enemy drops. How many items and of what rarity come from the rarity table (the
/// enemy's rarity and kind, and how much health the winner kept: see `battle::loot`); the
/// enemy's own table says in which slot a drop comes, and names its signature item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LootTable {
    /// Relative weight of each slot; a slot left out never drops from this enemy.
    pub slots: std::collections::BTreeMap<crate::pets::content::Slot, u32>,
    /// The enemy's own item: one drop in `SIGNATURE_DROP_IN` is this item instead. Its rarity
    /// is at most one step above what the enemy's rarity table gives.
    pub signature: Option<crate::pets::content::ItemId>,
}

/// `engine/content/enemies.json`.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EnemiesFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub abilities: Vec<AbilityDef>,
    pub enemies: Vec<EnemyDef>,
}
