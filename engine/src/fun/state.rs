//! The fun projection: each player's rung on each ladder and when they last climbed it, the
//! grump cooldowns, and who opted out of grumps.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::fun::{FunEvent, Ladder};
use crate::ids::{PlayerId, Timestamp};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fun {
    /// The rung each player is on, per ladder, and when they last climbed it.
    pub(crate) rungs: BTreeMap<(PlayerId, Ladder), (u8, Timestamp)>,
    /// When each player may grump again.
    pub(crate) grump_ready: BTreeMap<PlayerId, Timestamp>,
    /// When each grump may be grumped at again.
    pub(crate) grumped_ready: BTreeMap<PlayerId, Timestamp>,
    pub(crate) opted_out: BTreeSet<PlayerId>,
}

impl Fun {
    pub fn evolve(&mut self, event: &FunEvent, at: Timestamp) {
        match event {
            FunEvent::Greeted {
                player,
                ladder,
                level,
                ..
            } => {
                self.rungs.insert((*player, *ladder), (*level, at));
            }
            FunEvent::Grumped {
                player,
                target,
                player_ready_at,
                target_ready_at,
                ..
            } => {
                self.grump_ready.insert(*player, *player_ready_at);
                self.grumped_ready.insert(*target, *target_ready_at);
            }
            FunEvent::GrumpOptOutSet { player, out } => {
                if *out {
                    self.opted_out.insert(*player);
                } else {
                    self.opted_out.remove(player);
                }
            }
        }
    }

    pub(crate) fn forget(&mut self, player: PlayerId) {
        self.rungs.remove(&(player, Ladder::Hello));
        self.rungs.remove(&(player, Ladder::Ping));
        self.grump_ready.remove(&player);
        self.grumped_ready.remove(&player);
        // An erased person who had opted out stays out of reach: their id is all that is kept,
        // and forgetting it would let the next grump ping them.
    }
}
