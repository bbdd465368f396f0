//! Battle figures for BENCHMARKS.md.
//!
//! - `battle/sim_turns`: turns per second of the pure simulator (`Sim::resolve_turn`), a duel of
//!   two strong pets replayed from its start whenever it ends; one core, no allocation per turn.
//! - `battle/decide_act_with_10k_open`: deciding one action (which resolves the turn) in a World
//!   holding 10,000 open battles (the rules, no log).
//! - Before the timed runs it prints the memory of 10,000 open solo battles: resident memory
//!   growth per battle, and encoded bytes per battle.

use std::time::Duration;

use allspark_engine::battle::sim::{Action, Fighter, Hit, Sim, Who};
use allspark_engine::battle::{BattleCommand, BattleEvent, BattleId};
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::testing::Driver;
use allspark_engine::{
    codec, content, Actor, Command, CommandEnvelope, CommandId, Event, PlayerId, Seed,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const OPEN_BATTLES: u64 = 10_000;

fn duel() -> Sim {
    let pet = |player, side, faction| {
        Fighter::new(
            Who::Pet {
                player: PlayerId(player),
                faction,
            },
            side,
            50,
            50_000,
            50_000,
            120,
            90,
        )
    };
    Sim {
        fighters: vec![pet(1, 0, Faction::Autobot), pet(2, 1, Faction::Decepticon)],
        turn: 1,
        seed: Seed::pcg(42),
        kit: None,
        outcome: None,
        rules: allspark_engine::battle::sim::RULES_VERSION,
    }
}

fn sim_turns(c: &mut Criterion) {
    let mut group = c.benchmark_group("battle");
    const TURNS: u64 = 100_000;
    group.throughput(Throughput::Elements(TURNS));
    group.measurement_time(Duration::from_secs(10));
    let start = duel();
    let choices = [
        Some(Action::Attack { target: 1 }),
        Some(Action::Attack { target: 0 }),
    ];
    let mut log: Vec<Hit> = Vec::with_capacity(64);
    group.bench_function("sim_turns", |b| {
        b.iter(|| {
            let mut sim = start.clone();
            for _ in 0..TURNS {
                log.clear();
                sim.resolve_turn(&choices, &mut log);
                if sim.outcome.is_some() {
                    sim.clone_from(&start);
                }
            }
            sim.turn
        })
    });
    group.finish();
}

fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb * 1024)
}

fn world_with_open_battles() -> (Driver, Vec<(PlayerId, BattleId)>) {
    let mut driver = Driver::new(b"bench");
    let enemy = content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    for n in 1..=OPEN_BATTLES {
        driver.must(
            Actor::Player(PlayerId(n)),
            Command::Pet(PetCommand::Adopt {
                faction: Faction::Autobot,
            }),
        );
    }
    let before_rss = resident_bytes();
    let before_bytes = codec::encode_value(&driver.world)
        .map(|b| b.len())
        .unwrap_or(0);
    let mut battles = Vec::new();
    for n in 1..=OPEN_BATTLES {
        let events = driver.must(
            Actor::Player(PlayerId(n)),
            Command::Battle(BattleCommand::StartSolo {
                enemy: enemy.clone(),
            }),
        );
        if let Some(Event::Battle(BattleEvent::Started { battle, .. })) = events.first() {
            battles.push((PlayerId(n), *battle));
        }
    }
    driver.events.clear();
    driver.events.shrink_to_fit();
    let after_rss = resident_bytes();
    let after_bytes = codec::encode_value(&driver.world)
        .map(|b| b.len())
        .unwrap_or(0);
    eprintln!(
        "{OPEN_BATTLES} open battles: resident memory +{} bytes per battle, encoded +{} bytes per battle",
        after_rss.saturating_sub(before_rss) / OPEN_BATTLES,
        (after_bytes - before_bytes) as u64 / OPEN_BATTLES
    );
    (driver, battles)
}

fn act_with_open_battles(c: &mut Criterion) {
    let (driver, battles) = world_with_open_battles();
    assert_eq!(battles.len() as u64, OPEN_BATTLES);
    let mut group = c.benchmark_group("battle");
    group.sample_size(20);
    let mut next = 0usize;
    group.bench_function("decide_act_with_10k_open", |b| {
        b.iter(|| {
            let (player, battle) = battles[next % battles.len()];
            next += 1;
            let envelope = CommandEnvelope {
                id: CommandId(next as u128),
                actor: Actor::Player(player),
                now: driver.now,
                seed: Seed::pcg(next as u128),
                command: Command::Battle(BattleCommand::Act {
                    battle,
                    turn: 1,
                    action: Action::Attack { target: 1 },
                }),
            };
            let decided = driver.world.decide(&envelope);
            assert!(decided.is_ok());
            decided
        })
    });
    group.finish();
}

criterion_group!(benches, sim_turns, act_with_open_battles);
criterion_main!(benches);
