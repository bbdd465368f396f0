//! Drawing the market's price chart: 30 days of hourly ticks (720 points) into an 800×400 PNG,
//! as `/cybercoin_market` does for its 30 d range. Figures go into BENCHMARKS.md.
//!
//! Run: `cargo bench -p allspark-discord --bench chart`.

use allspark_discord::market::chart::price_chart;
use allspark_engine::market::tuning::MICRO;
use allspark_engine::market::PricePoint;
use allspark_engine::Timestamp;
use criterion::{criterion_group, criterion_main, Criterion};

fn points(n: u64) -> Vec<PricePoint> {
    let mut price = 100 * MICRO;
    (0..n)
        .map(|i| {
            // A wandering line, so the picture has detail to compress.
            let step = (i.wrapping_mul(2_654_435_761) % 7) as i64 - 3;
            price = (price as i64 + step * (MICRO as i64) / 2).max(MICRO as i64) as u64;
            PricePoint {
                tick: i,
                at: Timestamp(1_767_225_600_000 + i as i64 * 3_600_000),
                price,
                volume: 0,
            }
        })
        .collect()
}

fn chart(c: &mut Criterion) {
    let month = points(720);
    c.bench_function("chart/720_points", |b| {
        b.iter(|| price_chart(&month, "CyberCoin · 30 d").expect("chart"))
    });
}

criterion_group!(benches, chart);
criterion_main!(benches);
