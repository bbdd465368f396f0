//! Every scenario in `fixtures/scenarios/` replays to its golden outcome (event stream hash and
//! projections), and every frozen log in `fixtures/frozen/` still decodes and rebuilds to its
//! recorded projections.
//!
//! Regenerate the goldens after an intended change:
//! `cargo run -p allspark-replay -- fixtures fixtures/scenarios --update` (or
//! `UPDATE_FIXTURES=1 cargo test -p allspark-engine --test engine fixtures::`), then review the diff.

use std::path::PathBuf;

use allspark_engine::battle::replay;
use allspark_engine::scenario::{self, FixtureResult};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

#[test]
fn every_scenario_matches_its_golden_outcome() {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let reports = scenario::run_fixtures(&fixtures_dir().join("scenarios"), update)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        reports.len() >= 20,
        "at least 20 scenarios, found {}",
        reports.len()
    );
    let failures: Vec<String> = reports
        .iter()
        .filter(|(_, result)| !matches!(result, FixtureResult::Passed | FixtureResult::Updated))
        .map(|(name, result)| match result {
            FixtureResult::Mismatch { expected, actual } => {
                format!("{name}: outcome differs\n--- golden\n{expected}\n+++ actual\n{actual}")
            }
            other => format!("{name}: {other:?}"),
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{}\nregenerate with: cargo run -p allspark-replay -- fixtures fixtures/scenarios --update",
        failures.join("\n")
    );
}

/// Frozen logs: `fixtures/frozen/<name>.log` (portable export) with
/// `<name>.expected.json` (the reported players' projections after replaying it).
#[test]
fn every_frozen_log_still_replays_to_its_recorded_projections() {
    use allspark_engine::{export, PlayerId, World};
    use std::collections::BTreeMap;

    let dir = fixtures_dir().join("frozen");
    let mut logs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "log"))
        .collect();
    logs.sort();
    let mut verified_battles = 0;
    for version in 1..=allspark_engine::codec::SCHEMA_VERSION {
        let prefix = format!("v{version}-");
        assert!(
            logs.iter().any(|p| p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))),
            "every schema version keeps a frozen log: v{version} is missing \
             (write it with FREEZE_LOGS=1 cargo test -p allspark-engine --test engine fixtures::)"
        );
    }
    for path in logs {
        let mut file =
            std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let events =
            export::read_log(&mut file).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut world = World::default();
        for event in &events {
            world.evolve(event);
        }
        let expected_path = path.with_extension("expected.json");
        let text = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let expected: BTreeMap<u64, scenario::PlayerSummary> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        for (player, summary) in expected {
            assert_eq!(
                scenario::summarize(&world, PlayerId(player)),
                summary,
                "{}: player {player}",
                path.display()
            );
        }
        assert!(world.energon().is_conserved(), "{}", path.display());
        // Every battle in it re-simulates under the rules it was recorded with (a battle
        // without a `Setup` event is played under rules 1), and every finished one's end is
        // consistent with what it recorded on the players' streams.
        let battles: std::collections::BTreeSet<allspark_engine::battle::BattleId> = events
            .iter()
            .filter_map(|event| match &event.event {
                allspark_engine::Event::Battle(allspark_engine::battle::BattleEvent::Started {
                    battle,
                    ..
                }) => Some(*battle),
                _ => None,
            })
            .collect();
        for battle in &battles {
            let file = replay::battle_file_in(&events, *battle)
                .unwrap_or_else(|| panic!("{}: battle {battle} has no events", path.display()));
            match replay::verify_file(&file) {
                Ok(verified) => assert_eq!(
                    verified.settled,
                    verified.outcome.is_some(),
                    "{}: battle {battle}",
                    path.display()
                ),
                Err(divergence) => panic!("{}: battle {battle}: {divergence}", path.display()),
            }
            verified_battles += 1;
        }
    }
    assert!(
        verified_battles >= 2,
        "the frozen logs hold battles to verify"
    );
}

/// The frozen logs are checked on every run against what this build writes: the v1 log, whose
/// shapes and encoder are frozen, must come out byte for byte; the current schema's log must
/// exist, and the one this build would write now must decode at the current schema, replay to
/// the projections written beside it and verify every battle in it. With `FREEZE_LOGS=1`
/// (`FREEZE_LOGS=1 cargo test -p allspark-engine --test engine fixtures::`) the missing logs of the
/// current schema are written into `fixtures/frozen/` first (never overwritten).
#[test]
fn frozen_logs_are_checked_every_run_and_written_once_per_schema_when_asked() {
    use allspark_engine::codec::SCHEMA_VERSION;
    use allspark_engine::{export, PlayerId, World};
    use std::collections::BTreeMap;

    let frozen = fixtures_dir().join("frozen");
    if std::env::var_os("FREEZE_LOGS").is_some() {
        write_frozen_logs(&frozen);
    }
    let fresh = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_frozen_logs(fresh.path());
    let read = |path: PathBuf| {
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (write it with FREEZE_LOGS=1 cargo test -p allspark-engine --test engine fixtures::)",
                path.display()
            )
        })
    };
    for name in ["v1-operator-ledger.log", "v1-operator-ledger.expected.json"] {
        assert!(
            read(fresh.path().join(name)) == read(frozen.join(name)),
            "{name}: the v1 log this build writes differs from the frozen one"
        );
    }
    let mut written: Vec<PathBuf> = std::fs::read_dir(fresh.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "log")
                && path.file_name().is_some_and(|n| {
                    n.to_string_lossy()
                        .starts_with(&format!("v{SCHEMA_VERSION}-"))
                })
        })
        .collect();
    written.sort();
    assert_eq!(
        written.len(),
        1,
        "one log of the current schema: {written:?}"
    );
    for path in written {
        let name = path.file_name().unwrap_or_default().to_owned();
        read(frozen.join(&name));
        let mut file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let events = export::read_log(&mut file).unwrap_or_else(|e| panic!("{e}"));
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e.schema_version == SCHEMA_VERSION));
        let mut world = World::default();
        for event in &events {
            world.evolve(event);
        }
        let text = std::fs::read_to_string(path.with_extension("expected.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        let expected: BTreeMap<u64, scenario::PlayerSummary> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!expected.is_empty());
        for (player, summary) in expected {
            assert_eq!(scenario::summarize(&world, PlayerId(player)), summary);
        }
        for event in &events {
            if let allspark_engine::Event::Battle(allspark_engine::battle::BattleEvent::Started {
                battle,
                ..
            }) = &event.event
            {
                let file = replay::battle_file_in(&events, *battle)
                    .unwrap_or_else(|| panic!("battle {battle} has no events"));
                replay::verify_file(&file).unwrap_or_else(|d| panic!("battle {battle}: {d}"));
            }
        }
    }
}

/// Writes the frozen logs this build writes into `dir`, each only if it is not there yet: the
/// prototype's v1 ledger, and the current schema's scenario.
fn write_frozen_logs(dir: &std::path::Path) {
    use allspark_engine::codec::{self, v1, SCHEMA_VERSION};
    use allspark_engine::energon::EnergonEventV1;
    use allspark_engine::testing::log_conformance::sample_event;
    use allspark_engine::{export, PlayerId, World};
    use std::collections::BTreeMap;

    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    let write_expected = |name: &str, world: &World, players: &[u64]| {
        let summaries: BTreeMap<u64, scenario::PlayerSummary> = players
            .iter()
            .map(|p| (*p, scenario::summarize(world, PlayerId(*p))))
            .collect();
        std::fs::write(
            dir.join(format!("{name}.expected.json")),
            serde_json::to_string_pretty(&summaries).unwrap_or_default() + "\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    };
    // v1: the prototype's operator ledger, written with the v1 payload shapes.
    let v1_path = dir.join("v1-operator-ledger.log");
    if !v1_path.exists() {
        let shapes = [
            v1::Event::Player(v1::PlayerEvent::Joined {
                player: PlayerId(1),
            }),
            v1::Event::Energon(EnergonEventV1::Credited {
                player: PlayerId(1),
                amount: 700,
            }),
            v1::Event::Player(v1::PlayerEvent::Joined {
                player: PlayerId(2),
            }),
            v1::Event::Energon(EnergonEventV1::Credited {
                player: PlayerId(2),
                amount: 300,
            }),
            v1::Event::Energon(EnergonEventV1::Debited {
                player: PlayerId(1),
                amount: 150,
            }),
        ];
        let mut versions = BTreeMap::new();
        let mut records = Vec::new();
        let mut world = World::default();
        for (index, shape) in shapes.iter().enumerate() {
            let player = match shape {
                v1::Event::Player(v1::PlayerEvent::Joined { player }) => *player,
                v1::Event::Energon(
                    EnergonEventV1::Credited { player, .. }
                    | EnergonEventV1::Debited { player, .. },
                ) => *player,
            };
            let version = versions.entry(player).or_insert(0u64);
            *version += 1;
            let template = sample_event(index as u64 + 1, player.0, *version, index as u128 + 1);
            let record = v1::encode_record(&template, shape).unwrap_or_else(|e| panic!("{e}"));
            world.evolve(&codec::decode_event(&record).unwrap_or_else(|e| panic!("{e}")));
            records.push(record);
        }
        let mut file = std::fs::File::create(&v1_path).unwrap_or_else(|e| panic!("{e}"));
        export::write_records(&records, &mut file).unwrap_or_else(|e| panic!("{e}"));
        write_expected("v1-operator-ledger", &world, &[1, 2]);
    }
    // Every later schema: a scenario that uses what that version added, played and exported.
    let (scenario_name, log_name) = match SCHEMA_VERSION {
        2 => ("battle_duel_with_stake", "duel-and-economy"),
        3 => ("players_erased", "erasure"),
        4 => ("battle_one_activity_at_a_time", "one-activity"),
        5 | 6 => ("pets_cooldowns_hold_to_the_boundary", "decided-cooldowns"),
        7 => ("recruit_sends_at_most_once", "recruit-sends"),
        8 => ("admin_logs_cleared", "logs-cleared"),
        9 => ("market_week_of_trades", "market-week"),
        10 => ("trade_swap_is_atomic", "trades"),
        11 => ("legacy_import", "legacy-import"),
        12 => ("trade_coins_change_hands", "trade-coins"),
        13 => ("social_talk_spark_quiz", "social"),
        14 => ("fun_greetings_and_grumps", "fun"),
        15 => ("social_lore_and_roles", "social-lore"),
        16 => ("fun_shooting_range", "fun-range"),
        17 => ("fun_trivia_session", "fun-trivia"),
        18 => ("fun_walktru", "fun-walktru"),
        19 => ("fun_combiner_team", "fun-combiner"),
        20 => ("fun_cybertron_games", "fun-games"),
        21 => ("rpg_adventures", "rpg"),
        _ => ("social_model_words", "social-model-words"),
    };
    let current = dir.join(format!("v{SCHEMA_VERSION}-{log_name}.log"));
    if !current.exists() {
        let text =
            std::fs::read_to_string(fixtures_dir().join(format!("scenarios/{scenario_name}.json")))
                .unwrap_or_default();
        let file = scenario::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let run = scenario::run(&file).unwrap_or_else(|e| panic!("{e}"));
        let mut out = std::fs::File::create(&current).unwrap_or_else(|e| panic!("{e}"));
        export::write_log(run.log.as_ref(), &mut out).unwrap_or_else(|e| panic!("{e}"));
        let (world, _) = allspark_engine::runtime::rebuild(run.log.as_ref(), false)
            .unwrap_or_else(|e| panic!("{e}"));
        write_expected(
            &format!("v{SCHEMA_VERSION}-{log_name}"),
            &world,
            &file.report_players,
        );
    }
}

/// The shield fixture really exercises what schema 6 added: its battle's turn logs hold a
/// shield's absorption (battle rules 3), so its golden guards that line.
#[test]
fn the_shield_fixture_logs_what_the_shield_absorbed() {
    let text = std::fs::read_to_string(fixtures_dir().join("scenarios/battle_shield_absorbs.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let file = scenario::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let run = scenario::run(&file).unwrap_or_else(|e| panic!("{e}"));
    let events = run
        .log
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    let absorbed = events.iter().any(|e| {
        matches!(&e.event, allspark_engine::Event::Battle(allspark_engine::battle::BattleEvent::TurnResolved { log, .. })
            if log.iter().any(|h| matches!(h, allspark_engine::battle::sim::Hit::Absorbed { amount, .. } if *amount > 0)))
    });
    assert!(absorbed, "no shield absorption in the fixture's battle");
}
