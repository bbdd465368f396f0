//! What the writer keeps stays bounded and what it reads stays cheap: boards kept as ranked
//! indexes agree with a plain sort, survive a snapshot, and rematch guards leave the state once
//! they can no longer refuse a rating.

use std::collections::BTreeMap;

use allspark_engine::battle::elo::REMATCH_UNRATED_SECS;
use allspark_engine::battle::{BattleEvent, BattleId, Battles};
use allspark_engine::codec;
use allspark_engine::energon::{EnergonEvent, LedgerRule, Period, RushFind, Wallets};
use allspark_engine::{PlayerId, Timestamp};

const DAY_MS: i64 = 86_400_000;

/// A small deterministic generator (the tests must not depend on a global RNG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// The boards as the old code computed them: sort everything.
fn sorted_top(values: &BTreeMap<PlayerId, u64>, n: usize) -> Vec<(PlayerId, u64)> {
    let mut all: Vec<(PlayerId, u64)> = values
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(p, v)| (*p, *v))
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(n);
    all
}

#[derive(Default)]
struct Oracle {
    wallet: BTreeMap<PlayerId, u64>,
    bank: BTreeMap<PlayerId, u64>,
    rush: BTreeMap<PlayerId, u64>,
    earned: Vec<(i64, PlayerId, u64)>,
}

impl Oracle {
    fn richest(&self) -> BTreeMap<PlayerId, u64> {
        let mut wealth = self.wallet.clone();
        for (player, bank) in &self.bank {
            *wealth.entry(*player).or_default() += bank;
        }
        wealth
    }

    fn earned(&self, first_day: i64, last_day: i64) -> BTreeMap<PlayerId, u64> {
        let mut sums = BTreeMap::new();
        for (day, player, amount) in &self.earned {
            if (first_day..=last_day).contains(day) {
                *sums.entry(*player).or_default() += amount;
            }
        }
        sums
    }
}

fn check_boards(wallets: &Wallets, oracle: &Oracle, now: Timestamp) {
    let today = now.0.div_euclid(DAY_MS);
    assert_eq!(wallets.richest(7), sorted_top(&oracle.richest(), 7));
    assert_eq!(wallets.rush.standings(7), sorted_top(&oracle.rush, 7));
    let boards = &wallets.leaderboards;
    assert_eq!(
        boards.top_earners(Period::AllTime, now, 7),
        sorted_top(&oracle.earned(i64::MIN, i64::MAX), 7)
    );
    assert_eq!(
        boards.top_earners(Period::Daily, now, 7),
        sorted_top(&oracle.earned(today, today), 7),
        "daily at day {today}"
    );
    assert_eq!(
        boards.top_earners(Period::Weekly, now, 7),
        sorted_top(&oracle.earned(today - 6, today), 7),
        "weekly at day {today}"
    );
}

#[test]
fn ranked_boards_agree_with_sorting_everything_and_survive_a_snapshot() {
    let mut wallets = Wallets::default();
    let mut oracle = Oracle::default();
    let mut dice = Lcg(7);
    let mut at = Timestamp(100 * DAY_MS);
    let mut round = 1;
    for step in 0..4_000 {
        // Mostly minutes apart, sometimes a quiet day or a quiet week.
        at = Timestamp(
            at.0 + match dice.next(100) {
                0 => 8 * DAY_MS,
                1..=4 => DAY_MS + 1,
                _ => 60_000 * dice.next(90) as i64,
            },
        );
        let player = PlayerId(1 + dice.next(30));
        let amount = 1 + dice.next(50);
        let event = match dice.next(9) {
            0 | 1 => {
                let rule = if dice.next(2) == 0 {
                    LedgerRule::TrainingReward
                } else {
                    LedgerRule::OperatorGrant
                };
                *oracle.wallet.entry(player).or_default() += amount;
                if rule == LedgerRule::TrainingReward {
                    oracle
                        .earned
                        .push((at.0.div_euclid(DAY_MS), player, amount));
                }
                EnergonEvent::Credited {
                    player,
                    amount,
                    rule,
                }
            }
            2 => {
                let have = oracle.wallet.entry(player).or_default();
                let amount = amount.min(*have);
                *have -= amount;
                EnergonEvent::Debited {
                    player,
                    amount,
                    rule: LedgerRule::SlotsBet,
                }
            }
            3 => {
                let have = oracle.wallet.entry(player).or_default();
                let amount = amount.min(*have);
                *have -= amount;
                *oracle.bank.entry(player).or_default() += amount;
                EnergonEvent::Deposited { player, amount }
            }
            4 => {
                let have = oracle.bank.entry(player).or_default();
                let amount = amount.min(*have);
                *have -= amount;
                *oracle.wallet.entry(player).or_default() += amount;
                EnergonEvent::Withdrew { player, amount }
            }
            5 | 6 => {
                *oracle.rush.entry(player).or_default() += amount;
                EnergonEvent::RushFound {
                    player,
                    round,
                    amount,
                    find: RushFind::Scout,
                }
            }
            7 => {
                let have = oracle.rush.entry(player).or_default();
                let amount = amount.min(*have);
                *have -= amount;
                EnergonEvent::RushLost {
                    player,
                    round,
                    amount,
                    find: RushFind::SearchLoss,
                }
            }
            _ if step % 500 == 0 => {
                oracle.rush.clear();
                round += 1;
                EnergonEvent::RushRoundWon {
                    round: round - 1,
                    winner: player,
                }
            }
            _ => EnergonEvent::RushNothing { player, round },
        };
        wallets.evolve(&event, at);
        if step % 50 == 0 {
            for later_days in [0, 1, 3, 6, 7, 20] {
                check_boards(&wallets, &oracle, Timestamp(at.0 + later_days * DAY_MS));
            }
            let bytes = codec::encode_value(&wallets).unwrap_or_else(|e| panic!("{e}"));
            let loaded: Wallets = codec::decode_value(&bytes).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                loaded, wallets,
                "a loaded snapshot derives the same indexes"
            );
        }
    }
    check_boards(&wallets, &oracle, at);
}

#[test]
fn the_rush_as_one_player_sees_it_holds_only_the_top_and_their_own_balance() {
    let mut wallets = Wallets::default();
    for n in 1..=1_000u64 {
        wallets.evolve(
            &EnergonEvent::RushFound {
                player: PlayerId(n),
                round: 1,
                amount: n,
                find: RushFind::Scout,
            },
            Timestamp(n as i64),
        );
    }
    let seen = wallets.rush.seen_by(PlayerId(3), 10);
    assert_eq!(
        seen.standings(100),
        wallets
            .rush
            .standings(10)
            .into_iter()
            .chain([(PlayerId(3), 3)])
            .collect::<Vec<_>>()
    );
    assert_eq!(seen.balance(PlayerId(3)), 3);
    assert!(seen.stats.is_empty() && seen.ready_at.is_empty());
    assert_eq!(seen.round, wallets.rush.round);
}

fn rated(battles: &mut Battles, a: u64, b: u64, after: u32, at: Timestamp) {
    for (player, opponent) in [(a, b), (b, a)] {
        battles.evolve(
            &BattleEvent::RatingChanged {
                player: PlayerId(player),
                opponent: PlayerId(opponent),
                battle: BattleId(u128::from(a * 1_000 + b)),
                before: 1_000,
                after,
            },
            at,
        );
    }
}

#[test]
fn rematch_guards_leave_the_state_once_the_window_has_passed() {
    let window_ms = REMATCH_UNRATED_SECS * 1_000;
    let mut battles = Battles::default();
    let start = Timestamp(1_000_000);
    for n in 0..100 {
        rated(&mut battles, 2 * n + 1, 2 * n + 2, 1_010, start);
    }
    assert_eq!(battles.last_rated.len(), 100);
    // Just inside the window every guard is still there (a rematch now would be unrated).
    let inside = Timestamp(start.0 + window_ms - 1);
    battles.evolve(
        &BattleEvent::Queued {
            player: PlayerId(900),
        },
        inside,
    );
    assert_eq!(battles.last_rated.len(), 100);
    // A pair that played again later keeps its newer guard.
    rated(&mut battles, 1, 2, 1_020, inside);
    let after = Timestamp(start.0 + window_ms);
    battles.evolve(
        &BattleEvent::Unqueued {
            player: PlayerId(900),
        },
        after,
    );
    assert_eq!(
        battles.last_rated.keys().copied().collect::<Vec<_>>(),
        vec![(PlayerId(1), PlayerId(2))]
    );
    assert_eq!(battles.last_rated[&(PlayerId(1), PlayerId(2))], inside);
    battles.evolve(
        &BattleEvent::Queued {
            player: PlayerId(900),
        },
        Timestamp(inside.0 + window_ms),
    );
    assert!(battles.last_rated.is_empty());
    let bytes = codec::encode_value(&battles).unwrap_or_else(|e| panic!("{e}"));
    let loaded: Battles = codec::decode_value(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded, battles);
}

#[test]
fn the_ladder_index_agrees_with_sorting_every_rating() {
    let mut battles = Battles::default();
    let mut dice = Lcg(11);
    for step in 0..2_000 {
        let a = 1 + dice.next(60);
        let b = 1 + (a + dice.next(58)) % 60;
        rated(
            &mut battles,
            a,
            b,
            1_000 + dice.next(400) as u32,
            Timestamp(step * 1_000),
        );
    }
    let mut all: Vec<(PlayerId, u32)> = battles.ratings.iter().map(|(p, r)| (*p, r.elo)).collect();
    all.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    all.truncate(15);
    let ladder: Vec<(PlayerId, u32)> = battles
        .ladder(15)
        .into_iter()
        .map(|(p, r)| (p, r.elo))
        .collect();
    assert_eq!(ladder, all);
}
