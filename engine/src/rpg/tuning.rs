//! Every number of the RPG, with why. What a rule decides with them is recorded in its event,
//! so changing one changes new decisions only.
//!
//! Where the original's numbers are kept: the class templates (content), the creation bonus
//! (+5 to every stat, +50 health) and the experience curve (100(L-1)^2 + 50(L-1) to reach
//! level L). Where they are changed: the original's two versions disagreed on the character
//! limit (1 or 3: three here), level gains read fields that did not exist (here: +1 to every
//! stat, +1 more to the class's main stat, two random points, health from the main stat),
//! and its skill checks used a threshold of level + 1 capped at 8 or 12, which a level-20
//! character could not fail; here the difficulty class grows with the party's level.

use crate::rpg::content::Difficulty;

/// Characters a player may have at once.
pub const CHARACTERS_MAX: usize = 3;
/// Party size (the battle simulator seats four players and an enemy).
pub const PARTY_MAX: usize = 4;
/// Name length, in characters.
pub const NAME_LEN_MAX_CHARS: usize = 32;

/// Added to every stat of the template at creation.
pub const CREATION_STAT_BONUS: u32 = 5;
/// Added to the template's health at creation.
pub const CREATION_HP_BONUS: u32 = 50;

/// Per level: every stat +1, the main stat +1 more, and this many points to random stats.
pub const LEVEL_RANDOM_POINTS: u32 = 2;
/// Per level, health grows by this, plus twice the main stat, plus a d20.
pub const LEVEL_HP_BASE: u32 = 20;
pub const LEVEL_CAP: u32 = 100;

/// Total experience to reach `level` (1 needs none).
pub fn xp_for_level(level: u32) -> u64 {
    let l = u64::from(level.max(1) - 1);
    100 * l * l + 50 * l
}

/// The level a total of experience reaches (capped).
pub fn level_for_xp(xp: u64) -> u32 {
    let mut level = 1;
    while level < LEVEL_CAP && xp >= xp_for_level(level + 1) {
        level += 1;
    }
    level
}

/// Seconds a party waits in its lobby.
pub const PARTY_TTL_SECS: i64 = 300;
/// Seconds a challenge waits for an approach before the dice pick one.
pub const EVENT_SECS: i64 = 300;
/// Seconds a story vote stays open.
pub const VOTE_SECS: i64 = 180;
/// Seconds a chronicle chapter's vote stays open (a channel is slower than a party).
pub const CHAPTER_SECS: i64 = 600;
/// A battle segment's own deadline is the battle's; this only bounds a stuck one.
pub const BATTLE_SEGMENT_SECS: i64 = 86_400;
/// Seconds a kill request can be confirmed.
pub const KILL_CONFIRM_SECS: i64 = 60;

/// Segments of a party adventure.
pub const ADVENTURE_SEGMENTS: u8 = 3;
/// Chapters of a chronicle, at most.
pub const CHRONICLE_CHAPTERS: u8 = 12;
/// Moments the storyteller is reminded of.
pub const MOMENTS_KEPT: usize = 4;
/// Sentences an adventure remembers using, so the offline storyteller does not repeat them
/// (ten segments use at most 40).
pub const LINES_REMEMBERED: usize = 48;
/// Longest narration kept, in characters (an embed description holds 4,096).
pub const NARRATION_MAX_CHARS: usize = 1_200;
/// Ended adventures kept readable.
pub const ENDED_KEPT: usize = 500;

/// The difficulty class of a challenge for a party of `average_level`.
pub fn difficulty_class(difficulty: Difficulty, average_level: u32) -> u32 {
    let base = match difficulty {
        Difficulty::Easy => 13,
        Difficulty::Medium => 16,
        Difficulty::Hard => 19,
        Difficulty::Extreme => 22,
    };
    base + average_level.saturating_sub(1) / 2
}

/// Experience per member for a challenge: on success the base plus 5 a level, on failure a
/// third of the base plus 2 a level (trying teaches something).
pub fn challenge_xp(difficulty: Difficulty, level: u32, success: bool) -> u64 {
    let base: u64 = match difficulty {
        Difficulty::Easy => 35,
        Difficulty::Medium => 60,
        Difficulty::Hard => 90,
        Difficulty::Extreme => 120,
    };
    if success {
        base + 5 * u64::from(level)
    } else {
        base / 3 + 2 * u64::from(level)
    }
}

/// Energon each member earns on a challenge's success (minted) or pays on its failure (burned,
/// never more than they hold).
pub fn challenge_energon(difficulty: Difficulty, success: bool) -> u64 {
    match (difficulty, success) {
        (Difficulty::Easy, true) => 20,
        (Difficulty::Medium, true) => 35,
        (Difficulty::Hard, true) => 60,
        (Difficulty::Extreme, true) => 100,
        (Difficulty::Easy, false) => 5,
        (Difficulty::Medium, false) => 10,
        (Difficulty::Hard, false) => 20,
        (Difficulty::Extreme, false) => 35,
    }
}

/// The chance (percent) that a member finds gear on a challenge's success, and the rarity
/// index it starts from (common 0 … mythic 5; the party's level adds a step every ten).
pub fn challenge_loot(difficulty: Difficulty) -> (u64, i64) {
    match difficulty {
        Difficulty::Easy => (25, 0),
        Difficulty::Medium => (40, 1),
        Difficulty::Hard => (60, 2),
        Difficulty::Extreme => (80, 3),
    }
}

/// Experience per member for a story segment.
pub fn story_xp(level: u32) -> u64 {
    25 + 3 * u64::from(level)
}

/// Experience per member for a battle: won, half the enemy's reward plus 10 a level; lost, 10.
pub fn battle_xp(reward: u64, level: u32, won: bool) -> u64 {
    if won {
        reward / 2 + 10 * u64::from(level)
    } else {
        10
    }
}

/// The chance (percent) of gear for each surviving member after a won battle, and its
/// starting rarity index.
pub const BATTLE_LOOT: (u64, i64) = (50, 1);
