//! Every number of the battle rules, each with its unit and, where the original bot differed,
//! the reason.

use crate::battle::content::EnemyKind;
use crate::pets::content::Rarity;

/// Seconds a player has to choose an action before the timer defaults it to "defend".
pub const TURN_DEADLINE_SECS: i64 = 120;
/// Seconds an unanswered challenge stays open.
pub const CHALLENGE_TTL_SECS: i64 = 10 * 60;
/// Seconds an unstarted lobby stays open.
pub const LOBBY_TTL_SECS: i64 = 30 * 60;
/// Most players against one enemy.
pub const GROUP_PVE_PLAYERS_MAX: usize = 4;
/// Most players in a free-for-all.
pub const FFA_PLAYERS_MAX: usize = 4;
/// Largest stake per player, in energon.
pub const STAKE_MAX: u64 = 100_000;
/// Energon and experience a PvE victory pays each surviving player at most. The original paid
/// up to 375,000 for a titan; this keeps titans rewarding without breaking the economy.
pub const PVE_REWARD_MAX: u64 = 10_000;

/// Health and attack added per extra party member, in percent of the enemy's base.
pub const GROUP_HP_PERCENT_PER_EXTRA: u64 = 60;
pub const GROUP_ATTACK_PERCENT_PER_EXTRA: u64 = 10;
/// Enemy stats change by this many percent per level the party's average is above (or below)
/// the enemy's recommended level, within the bounds below.
pub const LEVEL_GAP_PERCENT_PER_LEVEL: i64 = 2;
pub const LEVEL_GAP_LEVELS_MIN: i64 = -10;
pub const LEVEL_GAP_LEVELS_MAX: i64 = 50;

/// Reward multiplier by rarity, in halves (common 1, uncommon 1.5, rare 2, epic 3, legendary 5,
/// mythic 10).
pub fn rarity_reward_halves(rarity: Rarity) -> u64 {
    match rarity {
        Rarity::Common => 2,
        Rarity::Uncommon => 3,
        Rarity::Rare => 4,
        Rarity::Epic => 6,
        Rarity::Legendary => 10,
        Rarity::Mythic => 20,
    }
}

pub fn kind_reward_multiplier(kind: EnemyKind) -> u64 {
    match kind {
        EnemyKind::Monster => 1,
        EnemyKind::Boss => 2,
        EnemyKind::Titan => 5,
    }
}

/// Rarity steps a kind adds to its loot.
pub fn kind_loot_bonus(kind: EnemyKind) -> i64 {
    match kind {
        EnemyKind::Monster => 0,
        EnemyKind::Boss => 1,
        EnemyKind::Titan => 2,
    }
}

/// One loot drop in this many is the enemy's signature item (when it has one).
pub const SIGNATURE_DROP_IN: u64 = 5;

/// PvP rewards, inclusive ranges of energon minted per player.
pub const PVP_WINNER_ENERGON: (i64, i64) = (25, 75);
pub const PVP_LOSER_ENERGON: (i64, i64) = (10, 30);
/// PvP rewards need a real fight (issue 13: two players surrendering at turn 0 again and again
/// were both paid every time, and filled the earners board): at least this many resolved turns,
/// and damage dealt by the fighter who is paid. Otherwise the battle pays no energon and no
/// experience (stakes are still settled: they are the players' own money).
pub const PVP_REWARD_TURNS_MIN: u32 = 2;
pub const PVP_REWARD_DAMAGE_MIN: u64 = 1;
/// Repeated pairings pay less: the share of the reward paid for the n-th real fight of the same
/// two players within [`PVP_PAIR_WINDOW_SECS`] (from their first), in percent; nothing after the
/// last entry. In a free-for-all the most repeated opponent decides a fighter's share.
pub const PVP_PAIR_REWARD_PERCENT: [u64; 3] = [100, 50, 25];
pub const PVP_PAIR_WINDOW_SECS: i64 = 24 * 60 * 60;
/// PvP experience: a base plus this much per turn played, more for winners.
pub const PVP_XP_BASE: u64 = 50;
pub const PVP_XP_PER_TURN: u64 = 5;
pub const PVP_XP_WINNER_BONUS: u64 = 30;

/// Matchmaking: the rating window starts here and widens per second of waiting, up to the max.
pub const QUEUE_WINDOW_START: u32 = 100;
pub const QUEUE_WINDOW_PER_10_SECS: u32 = 25;
pub const QUEUE_WINDOW_MAX: u32 = 600;
