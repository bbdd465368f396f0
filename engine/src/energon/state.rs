//! The economy projection: wallets, banks, the Energon Rush, leaderboards, and the running
//! totals the conservation audit needs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::energon::{EnergonEvent, Flow, RushFind};
use crate::ids::{PlayerId, Timestamp};

/// Days of per-day earnings kept for the daily and weekly boards.
pub const LEADERBOARD_DAYS_KEPT: i64 = 14;
const MILLIS_PER_DAY: i64 = 86_400_000;
/// The scout and search cooldown events before schema 5 were decided under, frozen (from
/// schema 5 on, `RushCooldownSet` records it).
const FORAGE_COOLDOWN_SECS_FROZEN_V4: i64 = 3 * 60;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Wallets {
    balances: BTreeMap<PlayerId, u64>,
    banks: BTreeMap<PlayerId, u64>,
    pub rush: Rush,
    pub leaderboards: Leaderboards,
    /// Stakes held for lobbies and challenges, by escrow id.
    escrows: BTreeMap<u128, u64>,
    /// Everything minting rules ever created. u128 so that it can't overflow before balances do.
    minted_total: u128,
    /// Everything burning rules ever destroyed.
    burned_total: u128,
}

/// The cross-server race: the first player whose rush balance reaches the target wins the round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rush {
    /// The round being played, from 1.
    pub round: u32,
    pub round_started_at: Timestamp,
    /// Rush balances in the current round.
    balances: BTreeMap<PlayerId, u64>,
    /// When a player may scout or search again.
    pub ready_at: BTreeMap<PlayerId, Timestamp>,
    /// Finished rounds, oldest first.
    pub results: Vec<RushResult>,
    pub stats: BTreeMap<PlayerId, RushStats>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RushResult {
    pub round: u32,
    pub winner: PlayerId,
    pub ended_at: Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RushStats {
    pub rounds_won: u32,
    pub scouts: u32,
    pub searches: u32,
    pub found_total: u64,
    pub lost_total: u64,
}

/// Earnings (energon minted to a player by game rules, operator grants excluded) per player.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Leaderboards {
    earned_all_time: BTreeMap<PlayerId, u64>,
    /// Keyed by (day number since the epoch, player); only the last days are kept.
    earned_by_day: BTreeMap<(i64, PlayerId), u64>,
}

/// The periods a leaderboard can cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Period {
    /// The UTC day containing `now`.
    Daily,
    /// The seven UTC days ending with the one containing `now`.
    Weekly,
    AllTime,
}

impl Default for Rush {
    fn default() -> Self {
        Rush {
            round: 1,
            round_started_at: Timestamp(0),
            balances: BTreeMap::new(),
            ready_at: BTreeMap::new(),
            results: Vec::new(),
            stats: BTreeMap::new(),
        }
    }
}

impl Rush {
    pub fn balance(&self, player: PlayerId) -> u64 {
        self.balances.get(&player).copied().unwrap_or(0)
    }

    /// The current round's standings, best first (ties by player id).
    pub fn standings(&self, n: usize) -> Vec<(PlayerId, u64)> {
        top(self.balances.iter().map(|(p, b)| (*p, *b)), n)
    }

    fn supply(&self) -> u128 {
        self.balances.values().map(|b| u128::from(*b)).sum()
    }
}

impl Leaderboards {
    /// The top `n` earners in `period` as of `now`, best first (ties by player id).
    pub fn top_earners(&self, period: Period, now: Timestamp, n: usize) -> Vec<(PlayerId, u64)> {
        let today = now.0.div_euclid(MILLIS_PER_DAY);
        let first_day = match period {
            Period::Daily => today,
            Period::Weekly => today - 6,
            Period::AllTime => return top(self.earned_all_time.iter().map(|(p, e)| (*p, *e)), n),
        };
        let mut sums: BTreeMap<PlayerId, u64> = BTreeMap::new();
        for ((_, player), earned) in self
            .earned_by_day
            .range((first_day, PlayerId(0))..=(today, PlayerId(u64::MAX)))
        {
            *sums.entry(*player).or_insert(0) += earned;
        }
        top(sums.into_iter(), n)
    }

    fn record(&mut self, player: PlayerId, amount: u64, at: Timestamp) {
        let entry = self.earned_all_time.entry(player).or_insert(0);
        *entry = entry.saturating_add(amount);
        let day = at.0.div_euclid(MILLIS_PER_DAY);
        let entry = self.earned_by_day.entry((day, player)).or_insert(0);
        *entry = entry.saturating_add(amount);
        let oldest_kept = day - LEADERBOARD_DAYS_KEPT + 1;
        while let Some(((first_day, _), _)) = self.earned_by_day.first_key_value() {
            if *first_day >= oldest_kept {
                break;
            }
            self.earned_by_day.pop_first();
        }
    }
}

/// The `n` largest values, ties broken by the smaller player id.
fn top(entries: impl Iterator<Item = (PlayerId, u64)>, n: usize) -> Vec<(PlayerId, u64)> {
    let mut all: Vec<(PlayerId, u64)> = entries.filter(|(_, value)| *value > 0).collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(n);
    all
}

impl Wallets {
    pub fn balance(&self, player: PlayerId) -> u64 {
        self.balances.get(&player).copied().unwrap_or(0)
    }

    pub fn bank(&self, player: PlayerId) -> u64 {
        self.banks.get(&player).copied().unwrap_or(0)
    }

    pub fn minted_total(&self) -> u128 {
        self.minted_total
    }

    pub fn burned_total(&self) -> u128 {
        self.burned_total
    }

    /// Sum of every wallet, bank and rush balance.
    pub fn supply(&self) -> u128 {
        let wallets: u128 = self.balances.values().map(|b| u128::from(*b)).sum();
        let banks: u128 = self.banks.values().map(|b| u128::from(*b)).sum();
        let escrowed: u128 = self.escrows.values().map(|b| u128::from(*b)).sum();
        wallets + banks + escrowed + self.rush.supply()
    }

    /// Energon held in one escrow.
    pub fn escrowed(&self, escrow: u128) -> u64 {
        self.escrows.get(&escrow).copied().unwrap_or(0)
    }

    /// The conservation law: supply == minted - burned. Checked by tests and `admin integrity`.
    pub fn is_conserved(&self) -> bool {
        self.minted_total.checked_sub(self.burned_total) == Some(self.supply())
    }

    /// The richest players by wallet plus bank, best first.
    pub fn richest(&self, n: usize) -> Vec<(PlayerId, u64)> {
        let mut wealth: BTreeMap<PlayerId, u64> = self.balances.clone();
        for (player, bank) in &self.banks {
            let entry = wealth.entry(*player).or_insert(0);
            *entry = entry.saturating_add(*bank);
        }
        top(wealth.into_iter(), n)
    }

    /// Forgets an erased player: their wallet, bank and rush balance are burned (the erasure
    /// rule) and their stats, cooldowns and leaderboard entries dropped. Round results keep the
    /// winner's id: they are the history of the race. Returns what was burned.
    pub(crate) fn forget(&mut self, player: PlayerId) -> u128 {
        let burned = u128::from(self.balances.remove(&player).unwrap_or(0))
            + u128::from(self.banks.remove(&player).unwrap_or(0))
            + u128::from(self.rush.balances.remove(&player).unwrap_or(0));
        self.burned_total += burned;
        self.rush.ready_at.remove(&player);
        self.rush.stats.remove(&player);
        self.leaderboards.earned_all_time.remove(&player);
        self.leaderboards
            .earned_by_day
            .retain(|(_, earner), _| *earner != player);
        burned
    }

    /// Total: rules guarantee a debit never exceeds its balance; if a corrupt log says
    /// otherwise the balance saturates at 0 and the conservation audit reports the mismatch.
    pub fn evolve(&mut self, event: &EnergonEvent, at: Timestamp) {
        match event {
            EnergonEvent::Credited {
                player,
                amount,
                rule,
            } => {
                add(&mut self.balances, *player, *amount);
                if rule.flow() == Flow::Mint {
                    self.minted_total += u128::from(*amount);
                    if rule.is_earning() {
                        self.leaderboards.record(*player, *amount, at);
                    }
                }
            }
            EnergonEvent::Debited {
                player,
                amount,
                rule,
            } => {
                sub(&mut self.balances, *player, *amount);
                if rule.flow() == Flow::Burn {
                    self.burned_total += u128::from(*amount);
                }
            }
            EnergonEvent::Deposited { player, amount } => {
                sub(&mut self.balances, *player, *amount);
                add(&mut self.banks, *player, *amount);
            }
            EnergonEvent::Withdrew { player, amount } => {
                sub(&mut self.banks, *player, *amount);
                add(&mut self.balances, *player, *amount);
            }
            EnergonEvent::RushFound {
                player,
                amount,
                find,
                ..
            } => {
                add(&mut self.rush.balances, *player, *amount);
                self.minted_total += u128::from(*amount);
                let stats = self.rush.stats.entry(*player).or_default();
                stats.found_total = stats.found_total.saturating_add(*amount);
                count_forage(stats, *find);
                self.rush
                    .ready_at
                    .insert(*player, at.plus_secs(FORAGE_COOLDOWN_SECS_FROZEN_V4));
            }
            EnergonEvent::RushLost {
                player,
                amount,
                find,
                ..
            } => {
                sub(&mut self.rush.balances, *player, *amount);
                self.burned_total += u128::from(*amount);
                let stats = self.rush.stats.entry(*player).or_default();
                stats.lost_total = stats.lost_total.saturating_add(*amount);
                count_forage(stats, *find);
                self.rush
                    .ready_at
                    .insert(*player, at.plus_secs(FORAGE_COOLDOWN_SECS_FROZEN_V4));
            }
            EnergonEvent::RushCooldownSet { player, ready_at } => {
                self.rush.ready_at.insert(*player, *ready_at);
            }
            EnergonEvent::RushNothing { player, .. } => {
                self.rush.stats.entry(*player).or_default().searches += 1;
                self.rush
                    .ready_at
                    .insert(*player, at.plus_secs(FORAGE_COOLDOWN_SECS_FROZEN_V4));
            }
            EnergonEvent::EscrowHeld {
                player,
                escrow,
                amount,
            } => {
                sub(&mut self.balances, *player, *amount);
                let held = self.escrows.entry(*escrow).or_insert(0);
                *held = held.saturating_add(*amount);
            }
            EnergonEvent::EscrowReleased {
                player,
                escrow,
                amount,
                ..
            } => {
                if let Some(held) = self.escrows.get_mut(escrow) {
                    *held = held.saturating_sub(*amount);
                    if *held == 0 {
                        self.escrows.remove(escrow);
                    }
                }
                add(&mut self.balances, *player, *amount);
            }
            EnergonEvent::RushRoundWon { round, winner } => {
                self.burned_total += self.rush.supply();
                self.rush.balances.clear();
                self.rush.results.push(RushResult {
                    round: *round,
                    winner: *winner,
                    ended_at: at,
                });
                self.rush.stats.entry(*winner).or_default().rounds_won += 1;
                self.rush.round = round + 1;
                self.rush.round_started_at = at;
            }
        }
    }
}

fn count_forage(stats: &mut RushStats, find: RushFind) {
    match find {
        RushFind::Scout => stats.scouts += 1,
        RushFind::SearchSmall
        | RushFind::SearchMajor
        | RushFind::SearchLoss
        | RushFind::SearchDisaster => stats.searches += 1,
    }
}

fn add(map: &mut BTreeMap<PlayerId, u64>, player: PlayerId, amount: u64) {
    let balance = map.entry(player).or_insert(0);
    *balance = balance.saturating_add(amount);
}

fn sub(map: &mut BTreeMap<PlayerId, u64>, player: PlayerId, amount: u64) {
    let balance = map.entry(player).or_insert(0);
    *balance = balance.saturating_sub(amount);
}
