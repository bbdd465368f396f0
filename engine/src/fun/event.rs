//! What happened in the fun area. Stored: never reorder or change a variant; add new ones at
//! the end.

use serde::{Deserialize, Serialize};

use crate::fun::Ladder;
use crate::ids::{PlayerId, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum FunEvent {
    /// `player` said hello or pinged: the reply is line `line` of rung `level` (1-based) of
    /// that ladder. Stream `user/<player>`.
    Greeted {
        player: PlayerId,
        ladder: Ladder,
        level: u8,
        line: u16,
    },
    /// `player` grumped at `target` with line `line`; `player` may grump again from
    /// `player_ready_at`, and anyone may grump at `target` again from `target_ready_at`.
    /// Stream `user/<player>`.
    Grumped {
        player: PlayerId,
        target: PlayerId,
        line: u16,
        player_ready_at: Timestamp,
        target_ready_at: Timestamp,
    },
    /// `player` opted out of being grumped at (`out`), or back in. Stream `user/<player>`.
    GrumpOptOutSet { player: PlayerId, out: bool },
}

impl FunEvent {
    pub fn player(&self) -> PlayerId {
        match self {
            FunEvent::Greeted { player, .. }
            | FunEvent::Grumped { player, .. }
            | FunEvent::GrumpOptOutSet { player, .. } => *player,
        }
    }
}
