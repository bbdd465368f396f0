//! Cybertron Games: a game of 50 contestants in 10 factions simulated from its seed to its
//! end (every round decided and applied), and the re-simulation that checks a recorded game.
//! The target: a whole 50-contestant game in under 1 ms.
//!
//! Run: `cargo bench -p allspark-engine --bench games`.

use allspark_engine::content;
use allspark_engine::fun::games;
use allspark_engine::Seed;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let content = &content::get().games;
    let mut seed = 0u128;
    c.bench_function("games/play_50_to_the_end", |b| {
        b.iter(|| {
            seed = seed.wrapping_add(1);
            std::hint::black_box(games::play(content, Seed::pcg(seed), 50, 10, 200))
        })
    });
    let recorded = games::play(content, Seed::pcg(42), 50, 10, 200).1;
    c.bench_function("games/verify_50", |b| {
        b.iter(|| std::hint::black_box(games::diverges(content, Seed::pcg(42), 50, 10, &recorded)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
