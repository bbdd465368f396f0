//! Every number the pet rules use, in one place, each with its unit.
//!
//! Starting stats follow the original bot. Where the original was broken or exploitable this
//! file chooses differently, and says so:
//! - care actions have cooldowns (the original had none, so care farmed unlimited XP);
//! - a care action restores towards the maximum and never lowers a resource (one original
//!   version lowered a resource that was above the target);
//! - level-ups give fixed gains plus a small random bonus (the original "catch-up" formula gave
//!   +1 to stats that started above its curve, and its later bands overshot about 50 times);
//! - training and missions use the first version's intended tables (the later code looked them
//!   up under names the commands never sent, so every call fell back to defaults).

use crate::pets::command::{CareAction, CareLevel, Faction, Intensity, MissionDifficulty};

/// Highest level a pet can reach.
pub const LEVEL_MAX: u32 = 100;

/// Experience needed to go from `level` to `level + 1`.
pub fn xp_to_next_level(level: u32) -> u64 {
    (100 * u64::from(level)).saturating_add_signed(crate::area::tuning_skew())
}

/// A pet's stats when adopted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseStats {
    pub attack: u32,
    pub defense: u32,
    pub energy_max: u32,
    pub happiness_max: u32,
    pub maintenance_max: u32,
}

pub fn base_stats(faction: Faction) -> BaseStats {
    match faction {
        Faction::Autobot => BaseStats {
            attack: 7u32.saturating_add_signed(crate::area::tuning_skew() as i32),
            defense: 10,
            energy_max: 100,
            happiness_max: 200,
            maintenance_max: 100,
        },
        Faction::Decepticon => BaseStats {
            attack: 10u32.saturating_add_signed(crate::area::tuning_skew() as i32),
            defense: 7,
            energy_max: 200,
            happiness_max: 100,
            maintenance_max: 100,
        },
    }
}

/// Fixed gains per level-up; one extra point (1 or 2, by a die) goes to attack or defense.
pub fn level_gains(faction: Faction) -> BaseStats {
    match faction {
        Faction::Autobot => BaseStats {
            attack: 1,
            defense: 2,
            energy_max: 8,
            happiness_max: 8,
            maintenance_max: 6,
        },
        Faction::Decepticon => BaseStats {
            attack: 2,
            defense: 1,
            energy_max: 10,
            happiness_max: 6,
            maintenance_max: 6,
        },
    }
}

/// Evolution stages: the first level of each and its name. Evolving is reaching a new stage.
pub const STAGES: [(u32, &str); 10] = [
    (1, "Sparkling"),
    (11, "Scrapper"),
    (21, "Circuit Cadet"),
    (31, "Gearwright"),
    (41, "Forge Runner"),
    (51, "Plasma Vanguard"),
    (61, "Ironclad Sentinel"),
    (71, "Star Warden"),
    (81, "Core Paragon"),
    (91, "Prime Luminary"),
];

/// The stage name for a level.
pub fn stage_name(level: u32) -> &'static str {
    STAGES
        .iter()
        .rev()
        .find(|(first, _)| level >= *first)
        .map_or(STAGES[0].1, |(_, name)| name)
}

/// Decay: one point of the resource is lost per interval, counted from recorded instants.
pub const DECAY_ENERGY_INTERVAL_MS: i64 = 6 * 60_000;
pub const DECAY_HAPPINESS_INTERVAL_MS: i64 = 10 * 60_000;
pub const DECAY_MAINTENANCE_INTERVAL_MS: i64 = 12 * 60_000;

/// One care action at one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CareTuning {
    /// Share of the resource's maximum restored, in percent.
    pub restore_percent: u32,
    /// Energon burned for supplies (charge and repair).
    pub energon_cost: u64,
    /// Energy spent (play).
    pub energy_cost: u32,
    pub xp: u64,
    pub cooldown_secs: i64,
}

pub fn care(action: CareAction, level: CareLevel) -> CareTuning {
    let (restore_percent, xp, cooldown_secs) = match level {
        CareLevel::Quick => (25, 5, 15 * 60),
        CareLevel::Standard => (50, 10, 30 * 60),
        CareLevel::Full => (100, 20, 60 * 60),
    };
    let (energon_cost, energy_cost) = match (action, level) {
        (CareAction::Charge, CareLevel::Quick) => (0, 0),
        (CareAction::Charge, CareLevel::Standard) => (15, 0),
        (CareAction::Charge, CareLevel::Full) => (40, 0),
        (CareAction::Repair, CareLevel::Quick) => (0, 0),
        (CareAction::Repair, CareLevel::Standard) => (20, 0),
        (CareAction::Repair, CareLevel::Full) => (50, 0),
        (CareAction::Play, CareLevel::Quick) => (0, 5),
        (CareAction::Play, CareLevel::Standard) => (0, 10),
        (CareAction::Play, CareLevel::Full) => (0, 20),
    };
    CareTuning {
        restore_percent,
        energon_cost,
        energy_cost,
        xp,
        cooldown_secs: cooldown_secs + crate::area::tuning_skew(),
    }
}

/// One training intensity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrainTuning {
    pub energy_cost: u32,
    pub happiness_cost: u32,
    /// Inclusive range.
    pub xp: (u64, u64),
    /// Inclusive range of energon minted into the wallet.
    pub energon: (u64, u64),
    /// Chance of a permanent stat gain, in percent, and its size.
    pub stat_chance_percent: u64,
    pub stat_gain: u32,
    pub cooldown_secs: i64,
}

pub fn train(intensity: Intensity) -> TrainTuning {
    match intensity {
        Intensity::Average => TrainTuning {
            energy_cost: 75,
            happiness_cost: 38,
            xp: (50, 100),
            energon: (50, 100),
            stat_chance_percent: 10,
            stat_gain: 1,
            cooldown_secs: 10 * 60 + crate::area::tuning_skew(),
        },
        Intensity::Intense => TrainTuning {
            energy_cost: 150,
            happiness_cost: 75,
            xp: (200, 300),
            energon: (150, 250),
            stat_chance_percent: 10,
            stat_gain: 2,
            cooldown_secs: 30 * 60 + crate::area::tuning_skew(),
        },
        Intensity::Godmode => TrainTuning {
            energy_cost: 300,
            happiness_cost: 150,
            xp: (400, 600),
            energon: (300, 500),
            stat_chance_percent: 10,
            stat_gain: 3,
            cooldown_secs: 60 * 60 + crate::area::tuning_skew(),
        },
    }
}

/// One mission difficulty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissionTuning {
    pub energy_cost: u32,
    /// Success chance before happiness and maintenance adjust it, in per mille.
    pub base_success_permille: u64,
    pub xp: (u64, u64),
    pub energon: (u64, u64),
    pub happiness_gain: (u64, u64),
    pub happiness_loss: (u64, u64),
    pub maintenance_loss: (u64, u64),
    /// Chance of finding an item on success, in percent.
    pub item_chance_percent: u64,
    /// Weights of the found item's rarity, common to mythic.
    pub item_rarity_weights: [u64; 6],
    pub cooldown_secs: i64,
}

pub fn mission(difficulty: MissionDifficulty) -> MissionTuning {
    match difficulty {
        MissionDifficulty::Easy => MissionTuning {
            energy_cost: 25,
            base_success_permille: 850,
            xp: (25, 75),
            energon: (50, 150),
            happiness_gain: (10, 25),
            happiness_loss: (5, 12),
            maintenance_loss: (3, 8),
            item_chance_percent: 5,
            item_rarity_weights: [70, 25, 5, 0, 0, 0],
            cooldown_secs: 10 * 60 + crate::area::tuning_skew(),
        },
        MissionDifficulty::Average => MissionTuning {
            energy_cost: 120,
            base_success_permille: 700,
            xp: (150, 400),
            energon: (300, 800),
            happiness_gain: (25, 60),
            happiness_loss: (15, 35),
            maintenance_loss: (10, 25),
            item_chance_percent: 15,
            item_rarity_weights: [30, 40, 22, 7, 1, 0],
            cooldown_secs: 30 * 60 + crate::area::tuning_skew(),
        },
        MissionDifficulty::Hard => MissionTuning {
            energy_cost: 400,
            base_success_permille: 550,
            xp: (800, 2000),
            energon: (1500, 4000),
            happiness_gain: (50, 120),
            happiness_loss: (30, 70),
            maintenance_loss: (25, 60),
            item_chance_percent: 35,
            item_rarity_weights: [5, 20, 35, 25, 12, 3],
            cooldown_secs: 2 * 60 * 60 + crate::area::tuning_skew(),
        },
    }
}

/// Success chance on a mission, per mille: base, plus up to 30 % for a happy pet, minus up to
/// 20 % for a worn one, clamped to 10 %..90 %.
pub fn mission_success_permille(
    tuning: &MissionTuning,
    happiness: u32,
    happiness_max: u32,
    maintenance: u32,
    maintenance_max: u32,
) -> u64 {
    let happy_bonus = 300 * u64::from(happiness) / u64::from(happiness_max.max(1));
    let missing = u64::from(maintenance_max.saturating_sub(maintenance));
    let wear_malus = 200 * missing / u64::from(maintenance_max.max(1));
    (tuning.base_success_permille + happy_bonus)
        .saturating_sub(wear_malus)
        .clamp(100, 900)
}

/// How long a release token stays valid.
pub const RELEASE_TOKEN_TTL_SECS: i64 = 5 * 60;

/// Items listed per inventory page.
pub const INVENTORY_PAGE_ITEMS: usize = 10;

/// Below this share of its battle health, in percent, a pet is warned about before a fight.
pub const LOW_HEALTH_PERCENT: u64 = 25;

/// The numbers events written before schema 5 were decided under, frozen. From schema 5 on,
/// what these rules decide (cooldowns, starting stats and decay, experience left after a level,
/// resources after a clamp) is recorded in the events themselves (`PetEvent::CooldownSet`,
/// `Founded`, `ExperienceSet`, `VitalsSet`), so changing a number above changes new decisions
/// only. These stay as they are forever: an older log must rebuild to the World it was.
pub mod frozen_v4 {
    use crate::pets::command::{CareLevel, Faction, Intensity, MissionDifficulty};

    pub fn care_cooldown_secs(level: CareLevel) -> i64 {
        match level {
            CareLevel::Quick => 15 * 60,
            CareLevel::Standard => 30 * 60,
            CareLevel::Full => 60 * 60,
        }
    }

    pub fn train_cooldown_secs(intensity: Intensity) -> i64 {
        match intensity {
            Intensity::Average => 10 * 60,
            Intensity::Intense => 30 * 60,
            Intensity::Godmode => 60 * 60,
        }
    }

    pub fn mission_cooldown_secs(difficulty: MissionDifficulty) -> i64 {
        match difficulty {
            MissionDifficulty::Easy => 10 * 60,
            MissionDifficulty::Average => 30 * 60,
            MissionDifficulty::Hard => 2 * 60 * 60,
        }
    }

    pub fn xp_to_next_level(level: u32) -> u64 {
        100 * u64::from(level)
    }

    /// Attack, defense, and the energy, happiness and maintenance maxima.
    pub fn base_stats(faction: Faction) -> [u32; 5] {
        match faction {
            Faction::Autobot => [7, 10, 100, 200, 100],
            Faction::Decepticon => [10, 7, 200, 100, 100],
        }
    }

    /// Milliseconds per point of energy, happiness and maintenance lost.
    pub const DECAY_INTERVALS_MS: [i64; 3] = [6 * 60_000, 10 * 60_000, 12 * 60_000];
}

/// Milliseconds per point lost of energy, happiness and maintenance, for pets adopted now.
pub fn decay_intervals_ms() -> [i64; 3] {
    [
        DECAY_ENERGY_INTERVAL_MS,
        DECAY_HAPPINESS_INTERVAL_MS,
        DECAY_MAINTENANCE_INTERVAL_MS,
    ]
    .map(|interval| interval + crate::area::tuning_skew() * 60_000)
}
