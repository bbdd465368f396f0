//! Per-player slot statistics.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::slots::rules::is_jackpot;

/// The free-spin cooldown events before schema 5 were decided under, frozen.
const FREE_SPIN_COOLDOWN_SECS_FROZEN_V4: i64 = 10;
use crate::slots::{Difficulty, SlotsEvent};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Slots {
    stats: BTreeMap<PlayerId, SlotStats>,
    /// When a player may spin for free again.
    pub free_ready_at: BTreeMap<PlayerId, Timestamp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlotStats {
    pub spins: u32,
    pub free_spins: u32,
    /// Paid spins that returned more than the bet.
    pub wins: u32,
    /// Paid spins that returned less than the bet.
    pub losses: u32,
    /// Paid spins that returned exactly the bet (×1): neither a win nor a loss.
    pub break_evens: u32,
    pub jackpots: u32,
    pub wagered_total: u64,
    pub payout_total: u64,
    pub highest_bet: u64,
    pub highest_payout: u64,
    pub spins_by_difficulty: BTreeMap<Difficulty, u32>,
}

impl Slots {
    pub fn stats(&self, player: PlayerId) -> Option<&SlotStats> {
        self.stats.get(&player)
    }

    /// Forgets an erased player's stats and cooldown.
    pub(crate) fn forget(&mut self, player: PlayerId) {
        self.stats.remove(&player);
        self.free_ready_at.remove(&player);
    }

    pub fn evolve(&mut self, event: &SlotsEvent, at: Timestamp) {
        match event {
            SlotsEvent::Spun {
                player,
                difficulty,
                bet,
                reels,
                payout,
                ..
            } => {
                let stats = self.stats.entry(*player).or_default();
                stats.spins += 1;
                *stats.spins_by_difficulty.entry(*difficulty).or_insert(0) += 1;
                if is_jackpot(*difficulty, *reels) {
                    stats.jackpots += 1;
                }
                if *bet == 0 {
                    stats.free_spins += 1;
                    // Logs before schema 5 record no cooldown: they were decided under this.
                    self.free_ready_at
                        .insert(*player, at.plus_secs(FREE_SPIN_COOLDOWN_SECS_FROZEN_V4));
                    return;
                }
                stats.wagered_total = stats.wagered_total.saturating_add(*bet);
                stats.payout_total = stats.payout_total.saturating_add(*payout);
                stats.highest_bet = stats.highest_bet.max(*bet);
                stats.highest_payout = stats.highest_payout.max(*payout);
                if payout > bet {
                    stats.wins += 1;
                } else if payout < bet {
                    stats.losses += 1;
                } else {
                    stats.break_evens += 1;
                }
            }
            SlotsEvent::FreeSpinCooldownSet { player, ready_at } => {
                self.free_ready_at.insert(*player, *ready_at);
            }
            SlotsEvent::Imported { player, record } => {
                self.stats.insert(
                    *player,
                    SlotStats {
                        spins: record.spins,
                        wins: record.wins,
                        losses: record.losses,
                        jackpots: record.jackpots,
                        payout_total: record.payout_total,
                        highest_bet: record.highest_bet,
                        highest_payout: record.highest_payout,
                        spins_by_difficulty: record
                            .spins_by_difficulty
                            .iter()
                            .filter(|(_, &n)| n > 0)
                            .map(|(&d, &n)| (d, n))
                            .collect(),
                        ..SlotStats::default()
                    },
                );
            }
        }
    }
}
