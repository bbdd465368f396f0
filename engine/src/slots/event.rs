//! What happened at the slot machine. Stored: never reorder or change a variant.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::slots::Difficulty;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SlotsEvent {
    /// One spin: the three reel stops (indexes into the difficulty's theme), the payout
    /// multiplier and the payout. `bet == 0` is a free spin. The money moves in the same batch
    /// as `Debited`/`Credited` ledger events. Public. Stream `user/<player>`.
    Spun {
        player: PlayerId,
        difficulty: Difficulty,
        bet: u64,
        reels: [u8; 3],
        multiplier: u32,
        payout: u64,
    },
    /// Schema 5: when the player's next free spin is allowed, as the rule decided it (right
    /// after a free `Spun`). Stream `user/<player>`.
    FreeSpinCooldownSet {
        player: PlayerId,
        ready_at: Timestamp,
    },
    /// Schema 11: the player's slot record brought over from the original bot
    /// (`allspark import-legacy`); it replaces their (empty) record. Stream `user/<player>`.
    Imported {
        player: PlayerId,
        record: LegacySlots,
    },
}

/// A slot record as the original bot kept it, in this bot's terms (schema 11). The original
/// counted no free spins, no break-evens and not what was wagered, so those start at zero.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LegacySlots {
    pub spins: u32,
    /// Spins that paid (its jackpots and pairs).
    pub wins: u32,
    pub losses: u32,
    pub jackpots: u32,
    pub payout_total: u64,
    pub highest_bet: u64,
    pub highest_payout: u64,
    pub spins_by_difficulty: BTreeMap<Difficulty, u32>,
}
