//! The economy projection: wallets, banks, the Energon Rush, leaderboards, and the running
//! totals the conservation audit needs.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::energon::{EnergonEvent, Flow, RushFind};
use crate::ids::{PlayerId, Timestamp};

/// Days of per-day earnings kept for the daily and weekly boards.
pub const LEADERBOARD_DAYS_KEPT: i64 = 14;
const MILLIS_PER_DAY: i64 = 86_400_000;
/// The scout and search cooldown events before schema 5 were decided under, frozen (from
/// schema 5 on, `RushCooldownSet` records it).
const FORAGE_COOLDOWN_SECS_FROZEN_V4: i64 = 3 * 60;

/// Values by player with their order, best first, kept as they change: reading the top `n`
/// costs O(n), whatever the number of players. Only positive values are ranked. Stored (in
/// snapshots) as its values alone; the order is derived again when it is read back, so a
/// loaded ranking equals the live one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ranking {
    values: BTreeMap<PlayerId, u64>,
    order: BTreeSet<Rank>,
}

/// A place in a [`Ranking`]: the larger value first, ties by the smaller player id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rank {
    value: u64,
    player: PlayerId,
}

impl Ord for Rank {
    fn cmp(&self, other: &Rank) -> Ordering {
        other
            .value
            .cmp(&self.value)
            .then(self.player.cmp(&other.player))
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Rank) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ranking {
    pub fn get(&self, player: PlayerId) -> u64 {
        self.values.get(&player).copied().unwrap_or(0)
    }

    /// Sets a player's value (a zero is kept as a value but not ranked).
    pub fn set(&mut self, player: PlayerId, value: u64) {
        if let Some(old) = self.values.insert(player, value) {
            self.order.remove(&Rank { value: old, player });
        }
        if value > 0 {
            self.order.insert(Rank { value, player });
        }
    }

    pub fn add(&mut self, player: PlayerId, amount: u64) {
        self.set(player, self.get(player).saturating_add(amount));
    }

    pub fn sub(&mut self, player: PlayerId, amount: u64) {
        self.set(player, self.get(player).saturating_sub(amount));
    }

    pub fn remove(&mut self, player: PlayerId) -> Option<u64> {
        let value = self.values.remove(&player)?;
        self.order.remove(&Rank { value, player });
        Some(value)
    }

    pub fn clear(&mut self) {
        self.values.clear();
        self.order.clear();
    }

    /// The `n` best, best first (ties by the smaller player id), zeros left out. O(n).
    pub fn top(&self, n: usize) -> Vec<(PlayerId, u64)> {
        self.order
            .iter()
            .take(n)
            .map(|rank| (rank.player, rank.value))
            .collect()
    }

    /// Entries `skip..skip + n` of the order, best first. O(skip + n): a page of a board.
    pub fn page(&self, skip: usize, n: usize) -> Vec<(PlayerId, u64)> {
        self.order
            .iter()
            .skip(skip)
            .take(n)
            .map(|rank| (rank.player, rank.value))
            .collect()
    }

    /// How many players are ranked (a non-zero value).
    pub fn ranked(&self) -> usize {
        self.order.len()
    }

    /// The player's 1-based place, if ranked. O(place): counts those ahead.
    pub fn rank(&self, player: PlayerId) -> Option<usize> {
        let value = *self.values.get(&player)?;
        if value == 0 {
            return None;
        }
        Some(self.order.range(..Rank { value, player }).count() + 1)
    }

    pub fn values(&self) -> impl Iterator<Item = &u64> + '_ {
        self.values.values()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PlayerId, &u64)> + '_ {
        self.values.iter()
    }
}

impl FromIterator<(PlayerId, u64)> for Ranking {
    fn from_iter<I: IntoIterator<Item = (PlayerId, u64)>>(entries: I) -> Ranking {
        let mut ranking = Ranking::default();
        for (player, value) in entries {
            ranking.set(player, value);
        }
        ranking
    }
}

impl Serialize for Ranking {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Ranking {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ranking, D::Error> {
        Ok(BTreeMap::<PlayerId, u64>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

impl schemars::JsonSchema for Ranking {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ranking".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <BTreeMap<PlayerId, u64>>::json_schema(generator)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Wallets {
    balances: BTreeMap<PlayerId, u64>,
    banks: BTreeMap<PlayerId, u64>,
    /// Wallet plus bank of every player, ranked, for the richest board.
    wealth: Ranking,
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
    /// Rush balances in the current round, ranked for the standings.
    balances: Ranking,
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
    earned_all_time: Ranking,
    /// Keyed by (day number since the epoch, player); only the last days are kept.
    earned_by_day: BTreeMap<(i64, PlayerId), u64>,
    /// The latest day anyone earned on (days since the epoch), if anyone ever did.
    latest_day: Option<i64>,
    /// Earnings on `latest_day`, ranked.
    earned_latest_day: Ranking,
    /// Earnings over the seven days ending with `latest_day`, ranked.
    earned_latest_week: Ranking,
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
            balances: Ranking::default(),
            ready_at: BTreeMap::new(),
            results: Vec::new(),
            stats: BTreeMap::new(),
        }
    }
}

impl Rush {
    pub fn balance(&self, player: PlayerId) -> u64 {
        self.balances.get(player)
    }

    /// The current round's standings, best first (ties by player id). O(n).
    pub fn standings(&self, n: usize) -> Vec<(PlayerId, u64)> {
        self.balances.top(n)
    }

    /// The Rush as one player's view shows it, without copying every player's entries: the
    /// round, the top `n` standings and `you`'s balance (the only balances it holds), and the
    /// last result. Cooldowns and statistics are left out.
    pub fn seen_by(&self, you: PlayerId, n: usize) -> Rush {
        let mut balances: Ranking = self.balances.top(n).into_iter().collect();
        balances.set(you, self.balance(you));
        Rush {
            round: self.round,
            round_started_at: self.round_started_at,
            balances,
            ready_at: BTreeMap::new(),
            results: self.results.last().cloned().into_iter().collect(),
            stats: BTreeMap::new(),
        }
    }

    fn supply(&self) -> u128 {
        self.balances.values().map(|b| u128::from(*b)).sum()
    }
}

impl Leaderboards {
    /// The top `n` earners in `period` as of `now`, best first (ties by player id). O(n) when
    /// `now` falls on the latest day anyone earned on (or for all time); a day with no earnings
    /// yet has an empty daily board, and its weekly board is summed from the days before it.
    pub fn top_earners(&self, period: Period, now: Timestamp, n: usize) -> Vec<(PlayerId, u64)> {
        let today = now.0.div_euclid(MILLIS_PER_DAY);
        let on_latest_day = self.latest_day == Some(today);
        let first_day = match period {
            Period::AllTime => return self.earned_all_time.top(n),
            Period::Daily if on_latest_day => return self.earned_latest_day.top(n),
            Period::Weekly if on_latest_day => return self.earned_latest_week.top(n),
            Period::Daily => today,
            Period::Weekly => today - 6,
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
        self.earned_all_time.add(player, amount);
        let day = at.0.div_euclid(MILLIS_PER_DAY);
        self.roll_to(day);
        let latest = self.latest_day.unwrap_or(day);
        if day == latest {
            self.earned_latest_day.add(player, amount);
        }
        if day > latest - 7 {
            self.earned_latest_week.add(player, amount);
        }
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

impl Leaderboards {
    /// Makes `day` the latest day if it is later: the daily board starts empty, and the days
    /// that leave the seven-day window are taken out of the weekly board (each day once).
    fn roll_to(&mut self, day: i64) {
        let Some(latest) = self.latest_day else {
            self.latest_day = Some(day);
            return;
        };
        if day <= latest {
            return;
        }
        self.earned_latest_day.clear();
        if day - latest >= 7 {
            self.earned_latest_week.clear();
        } else {
            // Days latest-6 ..= day-7 are in the old window and not in the new one.
            let leaving = (latest - 6, PlayerId(0))..=(day - 7, PlayerId(u64::MAX));
            for ((_, player), earned) in self.earned_by_day.range(leaving) {
                self.earned_latest_week.sub(*player, *earned);
            }
        }
        self.latest_day = Some(day);
    }

    fn forget(&mut self, player: PlayerId) {
        self.earned_all_time.remove(player);
        self.earned_latest_day.remove(player);
        self.earned_latest_week.remove(player);
        self.earned_by_day
            .retain(|(_, earner), _| *earner != player);
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

    /// The richest players by wallet plus bank, best first (ties by player id). O(n).
    pub fn richest(&self, n: usize) -> Vec<(PlayerId, u64)> {
        self.wealth.top(n)
    }

    /// Ranks a player's wallet plus bank again after a change to either.
    fn rerank(&mut self, player: PlayerId) {
        let wealth = self.balance(player).saturating_add(self.bank(player));
        if wealth == 0 {
            self.wealth.remove(player);
        } else {
            self.wealth.set(player, wealth);
        }
    }

    /// Forgets an erased player: their wallet, bank and rush balance are burned (the erasure
    /// rule) and their stats, cooldowns and leaderboard entries dropped. Round results keep the
    /// winner's id: they are the history of the race. Returns what was burned.
    pub(crate) fn forget(&mut self, player: PlayerId) -> u128 {
        let burned = u128::from(self.balances.remove(&player).unwrap_or(0))
            + u128::from(self.banks.remove(&player).unwrap_or(0))
            + u128::from(self.rush.balances.remove(player).unwrap_or(0));
        self.wealth.remove(player);
        self.burned_total += burned;
        self.rush.ready_at.remove(&player);
        self.rush.stats.remove(&player);
        self.leaderboards.forget(player);
        burned
    }

    /// Total: rules guarantee a debit never exceeds its balance; if a corrupt log says
    /// otherwise the balance saturates at 0 and the conservation audit reports the mismatch.
    pub fn evolve(&mut self, event: &EnergonEvent, at: Timestamp) {
        self.apply(event, at);
        match event {
            EnergonEvent::Credited { player, .. }
            | EnergonEvent::Debited { player, .. }
            | EnergonEvent::Deposited { player, .. }
            | EnergonEvent::Withdrew { player, .. }
            | EnergonEvent::EscrowHeld { player, .. }
            | EnergonEvent::EscrowReleased { player, .. } => self.rerank(*player),
            EnergonEvent::RushFound { .. }
            | EnergonEvent::RushLost { .. }
            | EnergonEvent::RushNothing { .. }
            | EnergonEvent::RushRoundWon { .. }
            | EnergonEvent::RushCooldownSet { .. } => {}
        }
    }

    fn apply(&mut self, event: &EnergonEvent, at: Timestamp) {
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
                self.rush.balances.add(*player, *amount);
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
                self.rush.balances.sub(*player, *amount);
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
