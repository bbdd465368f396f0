//! Leaderboard reads at 1,000,000 players: the richest board, the Rush standings, the earners
//! of all time and of today, and the ladder, each a page of 10. Built with public state types
//! and `evolve` only, so that the same file measures an older commit for comparison.
//!
//! Run: `cargo bench -p allspark-engine --bench boards`.

use allspark_engine::battle::{BattleEvent, BattleId, Battles};
use allspark_engine::energon::{EnergonEvent, LedgerRule, Period, RushFind, Wallets};
use allspark_engine::{PlayerId, Timestamp};
use criterion::{criterion_group, criterion_main, Criterion};

const N_PLAYERS: u64 = 1_000_000;
const PAGE: usize = 10;
const AT: Timestamp = Timestamp(1_800_000_000_000);

/// A spread of amounts that isn't sorted by player id.
fn amount(player: u64) -> u64 {
    1 + player.wrapping_mul(2_654_435_761) % 1_000_000
}

fn wallets() -> Wallets {
    let mut wallets = Wallets::default();
    for n in 1..=N_PLAYERS {
        let player = PlayerId(n);
        wallets.evolve(
            &EnergonEvent::Credited {
                player,
                amount: amount(n),
                rule: LedgerRule::TrainingReward,
            },
            AT,
        );
        wallets.evolve(
            &EnergonEvent::RushFound {
                player,
                round: 1,
                amount: amount(n + 7) % 500 + 1,
                find: RushFind::Scout,
            },
            AT,
        );
    }
    wallets
}

fn battles() -> Battles {
    let mut battles = Battles::default();
    for n in (1..=N_PLAYERS).step_by(2) {
        for (player, opponent) in [(n, n + 1), (n + 1, n)] {
            battles.evolve(
                &BattleEvent::RatingChanged {
                    player: PlayerId(player),
                    opponent: PlayerId(opponent),
                    battle: BattleId(u128::from(n)),
                    before: 1_000,
                    after: 1_000 + (amount(player) % 1_500) as u32,
                },
                AT,
            );
        }
    }
    battles
}

fn boards(c: &mut Criterion) {
    let wallets = wallets();
    let battles = battles();
    let mut group = c.benchmark_group("boards_1m_players");
    group.sample_size(10);
    group.bench_function("richest", |b| b.iter(|| wallets.richest(PAGE)));
    group.bench_function("rush_standings", |b| {
        b.iter(|| wallets.rush.standings(PAGE))
    });
    group.bench_function("earned_all_time", |b| {
        b.iter(|| wallets.leaderboards.top_earners(Period::AllTime, AT, PAGE))
    });
    group.bench_function("earned_today", |b| {
        b.iter(|| wallets.leaderboards.top_earners(Period::Daily, AT, PAGE))
    });
    group.bench_function("ladder", |b| b.iter(|| battles.ladder(PAGE)));
    group.finish();
}

criterion_group!(benches, boards);
criterion_main!(benches);
