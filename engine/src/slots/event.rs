//! What happened at the slot machine. Stored: never reorder or change a variant.

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
}
