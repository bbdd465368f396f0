//! The recruitment filter at the size the issue names: 15,000 fetched nations against a World
//! that recorded 100,000 sends (50,000 nations messaged twice, spread over 100 days), through
//! `recruit::view::eligible` (admin, alliance, vacation, inactivity and both cooldowns).
//!
//! Run: `cargo bench -p allspark-engine --bench recruit`.

use allspark_engine::recruit::view::{self, Candidate};
use allspark_engine::recruit::{NationId, RecruitEvent, SendId};
use allspark_engine::testing::Scenario;
use allspark_engine::{Event, PlayerId, Timestamp};
use criterion::{criterion_group, criterion_main, Criterion};

const N_SENDS: u64 = 100_000;
const N_CANDIDATES: u64 = 15_000;
const START: Timestamp = Timestamp(1_800_000_000_000);
const DAY_SECS: i64 = 24 * 3600;

fn main_bench(c: &mut Criterion) {
    let span_secs = 100 * DAY_SECS;
    let sends = (1..=N_SENDS).map(|n| {
        let nation = NationId(2 + (n * 7_919) % 50_000);
        let at = START.plus_secs((n as i64 * span_secs) / N_SENDS as i64);
        (
            at,
            Event::Recruit(RecruitEvent::Attempted {
                send: SendId(n),
                nation,
                template: (1 + n % 50) as u16,
                leader: PlayerId(1 + n % 5),
            }),
        )
    });
    let scenario = Scenario::given_at(sends);
    let now = START.plus_secs(span_secs);
    // Half the candidates were messaged at some point; a tenth of them are inactive, a
    // twentieth in vacation mode, a fiftieth allied.
    let candidates: Vec<Candidate> = (0..N_CANDIDATES)
        .map(|n| Candidate {
            nation: NationId(2 + n * 7),
            last_active: now.plus_secs(-((n % 10) as i64) * DAY_SECS),
            vacation_turns: u32::from(n % 20 == 0),
            alliance: if n % 50 == 0 { 9 } else { 0 },
        })
        .collect();
    let filtered = view::eligible(scenario.world(), &candidates, now, 7);
    assert!(filtered.on_cooldown > 0 && !filtered.eligible.is_empty());
    c.bench_function("recruit/filter_15k_nations_100k_sends", |b| {
        b.iter(|| {
            view::eligible(scenario.world(), &candidates, now, 7)
                .eligible
                .len()
        })
    });
}

criterion_group!(benches, main_bench);
criterion_main!(benches);
