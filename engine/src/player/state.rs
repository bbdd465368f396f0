//! The players projection: who is known, since when.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::player::PlayerEvent;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Players {
    profiles: BTreeMap<PlayerId, Profile>,
    /// Erasure confirmations cancelled, by player (forgotten with the player).
    cancelled_erasures: BTreeMap<PlayerId, BTreeSet<u64>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Profile {
    pub joined_at: Timestamp,
}

impl Players {
    pub fn get(&self, player: PlayerId) -> Option<&Profile> {
        self.profiles.get(&player)
    }

    pub fn contains(&self, player: PlayerId) -> bool {
        self.profiles.contains_key(&player)
    }

    /// Whether the erasure confirmation `confirmation` was cancelled for this player.
    pub fn is_cancelled(&self, player: PlayerId, confirmation: u64) -> bool {
        self.cancelled_erasures
            .get(&player)
            .is_some_and(|set| set.contains(&confirmation))
    }

    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = PlayerId> + '_ {
        self.profiles.keys().copied()
    }

    /// Forgets an erased player's profile (`evolve` of `Erased` already did; repeating is a
    /// no-op).
    pub(crate) fn forget(&mut self, player: PlayerId) {
        self.profiles.remove(&player);
        self.cancelled_erasures.remove(&player);
    }

    /// Total: a repeated `Joined` keeps the first join time; erasing an unknown player is a
    /// no-op.
    pub fn evolve(&mut self, event: &PlayerEvent, at: Timestamp) {
        match event {
            PlayerEvent::Joined { player } => {
                self.profiles
                    .entry(*player)
                    .or_insert(Profile { joined_at: at });
            }
            PlayerEvent::Erased { player, .. } => {
                self.profiles.remove(player);
                self.cancelled_erasures.remove(player);
            }
            // The profile came with the `Joined` before it.
            PlayerEvent::Imported { .. } => {}
            PlayerEvent::ErasureCancelled {
                player,
                confirmation,
            } => {
                self.cancelled_erasures
                    .entry(*player)
                    .or_default()
                    .insert(*confirmation);
            }
        }
    }
}
