//! The market's timer: the opening tick, one tick per interval, the catch-up cap after
//! downtime, and nothing sent twice.

use std::time::Duration;

use allspark_engine::market::tuning::CATCH_UP_MAX;
use allspark_engine::market::view;
use allspark_engine::testing::TestEngine;

const HOUR: Duration = Duration::from_secs(3_600);

async fn next_tick(engine: &TestEngine) -> u64 {
    engine
        .engine
        .query(|w| view::clock(w).next_tick)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_timer_opens_ticks_each_interval_and_caps_the_catch_up() {
    let engine = TestEngine::new();
    let ticks = |engine: &TestEngine| {
        let engine = engine.engine.clone();
        async move { allspark_discord::worker::market_ticks(&engine, HOUR).await }
    };
    assert_eq!(ticks(&engine).await, 1, "the opening tick");
    assert_eq!(ticks(&engine).await, 0, "nothing is due yet");
    engine.clock.advance_secs(3_599);
    assert_eq!(ticks(&engine).await, 0);
    engine.clock.advance_secs(1);
    assert_eq!(ticks(&engine).await, 1);
    assert_eq!(next_tick(&engine).await, 2);
    // A hundred hours down: the oldest 76 are recorded as missed, the latest 24 simulated.
    engine.clock.advance_secs(100 * 3_600);
    assert_eq!(ticks(&engine).await, 1 + CATCH_UP_MAX as usize);
    assert_eq!(next_tick(&engine).await, 102);
    let dashboard = engine
        .engine
        .query(view::market)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("open");
    assert_eq!(dashboard.missed_ticks, 100 - CATCH_UP_MAX);
    assert_eq!(dashboard.tick, 101);
    // The latest tick is due exactly at its interval, not when the timer came back.
    assert_eq!(
        dashboard.last_at.0,
        allspark_engine::testing::EPOCH.0 + 101 * 3_600_000
    );
    assert_eq!(ticks(&engine).await, 0, "caught up");
}
