//! The operator's tools end to end: `allspark check` (the binary) passes a played store and
//! fails on a planted corruption; a backup taken from the running bot's feed while commands are
//! being written restores to the same events, projections and text; the metrics endpoint is
//! scraped over loopback and its numbers move with commands.

use crate::support;

use std::path::Path;
use std::process::Command as Process;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use allspark_discord::app::App;
use allspark_engine::energon::{EnergonCommand, EnergonEvent};
use allspark_engine::personal::{PersonalStore, SledPersonal, KEY_PET_NAME};
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::runtime::{encode_snapshot, log_dir};
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, Event, EventLog, PlayerId, SledLog, World,
};

fn run(engine: &Engine, id: u128, actor: Actor, command: Command) {
    let reply = engine
        .execute_blocking(engine.envelope(CommandId(id), actor, command))
        .expect("the engine answers");
    assert!(reply.outcome.is_accepted(), "{:?}", reply.outcome);
}

fn adopt_and_pay(engine: &Engine, id: u128, player: u64) {
    run(
        engine,
        id * 2,
        Actor::Player(PlayerId(player)),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    run(
        engine,
        id * 2 + 1,
        Actor::System,
        Command::Energon(EnergonCommand::Credit {
            player: PlayerId(player),
            amount: 250,
        }),
    );
}

fn allspark(args: &[&str], data: &Path) -> (i32, String) {
    let output = Process::new(env!("CARGO_BIN_EXE_allspark"))
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .expect("run allspark");
    (
        output.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn check_passes_a_played_store_and_fails_on_a_tampered_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let engine = Engine::open_dir(dir.path(), EngineConfig::default()).expect("open");
        for player in 1..=3 {
            adopt_and_pay(&engine, u128::from(player), 100 + player);
        }
        engine.snapshot_blocking().expect("snapshot");
        adopt_and_pay(&engine, 9, 200);
        engine.shutdown();
    }
    let (code, printed) = allspark(&["check"], dir.path());
    assert_eq!(code, 0, "{printed}");
    assert!(
        printed.contains("ok:") && printed.contains("compared"),
        "{printed}"
    );

    // Plant a snapshot whose World paid one credit twice over.
    {
        let log = SledLog::open(&log_dir(dir.path())).expect("open");
        let (seq, _) = log.latest_snapshot().expect("read").expect("a snapshot");
        let mut world = World::default();
        let mut once = false;
        log.scan(1, &mut |mut event| {
            if event.seq > seq {
                return;
            }
            if let Event::Energon(EnergonEvent::Credited { amount, .. }) = &mut event.event {
                if !once {
                    *amount *= 2;
                    once = true;
                }
            }
            world.evolve(&event);
        })
        .expect("scan");
        log.save_snapshot(seq, &encode_snapshot(&world).expect("encode"))
            .expect("save");
        log.flush().expect("flush");
    }
    let (code, printed) = allspark(&["check"], dir.path());
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains("DIFFERENCE: the snapshot at seq") && printed.contains("`energon`"),
        "{printed}"
    );
    // A store that isn't there is an error, not a pass.
    let empty = tempfile::tempdir().expect("temp dir");
    let (code, printed) = allspark(&["check"], &empty.path().join("none"));
    assert_eq!(code, 2, "{printed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_taken_while_the_bot_writes_restores_to_the_same_events_and_projections() {
    let live = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open_dir(live.path(), EngineConfig::default()).expect("open");
    let setup = engine.clone();
    tokio::task::spawn_blocking(move || {
        adopt_and_pay(&setup, 1, 11);
        run(
            &setup,
            5,
            Actor::Player(PlayerId(11)),
            Command::Pet(PetCommand::Rename {
                name: "Quasarine".into(),
            }),
        );
    })
    .await
    .expect("setup");
    let token = allspark_discord::feed::backup_token(b"backup-test-secret");
    let base = support::serve_fake(allspark_discord::feed::router_with(
        engine.clone(),
        Some(token.clone()),
    ))
    .await;
    let feed: std::net::SocketAddr = base.trim_start_matches("http://").parse().expect("address");

    // A writer that keeps going while the backup is taken.
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let engine = engine.clone();
        let writing = writing.clone();
        tokio::task::spawn_blocking(move || {
            let mut n = 0u64;
            while writing.load(Ordering::SeqCst) || n < 40 {
                n += 1;
                adopt_and_pay(&engine, 100 + u128::from(n), 1_000 + n);
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let out = tempfile::tempdir().expect("temp dir");
    let dest = out.path().join("allspark.backup");
    // The wrong token gets nothing.
    assert!(
        allspark_discord::ops::backup_from_feed(feed, "not-the-token", &dest)
            .await
            .is_err()
    );
    assert!(!dest.exists());
    let backup = allspark_discord::ops::backup_from_feed(feed, &token, &dest)
        .await
        .expect("backup");
    writing.store(false, Ordering::SeqCst);
    let n_written = writer.await.expect("writer");
    assert!(n_written >= 40);
    // Never over an existing file.
    assert!(allspark_discord::ops::backup_from_feed(feed, &token, &dest)
        .await
        .is_err());
    engine.shutdown_async().await;
    // The feed still holds the store open: read it through the engine's handle.
    let live_log = engine.log().clone();
    assert!(backup.seq >= 4, "the setup is in it");
    assert!(backup.seq < live_log.last_seq(), "taken mid-writing");

    let restored_dir = out.path().join("restored");
    let restored = allspark_discord::ops::restore(&dest, &restored_dir).expect("restore");
    assert_eq!(restored.n_events, backup.seq);
    // The same events, field by field (the schema version is the current one either way here).
    let restored_log = SledLog::open_for_reading(&log_dir(&restored_dir)).expect("open restored");
    let original = live_log
        .read_all(1, backup.seq as usize)
        .expect("read live");
    let copied = restored_log
        .read_all(1, backup.seq as usize + 10)
        .expect("read restored");
    assert_eq!(copied, original);
    // The same projections: the World the live log gives at that seq.
    let mut expected = World::default();
    for event in &original {
        expected.evolve(event);
    }
    assert_eq!(restored.world, expected);
    assert!(allspark_engine::check::check(&restored_log)
        .expect("check")
        .is_clean());
    drop(restored_log);
    let personal = SledPersonal::open(&restored_dir.join("personal")).expect("personal");
    assert_eq!(
        personal.get(PlayerId(11), KEY_PET_NAME).expect("read"),
        Some("Quasarine".to_string())
    );
    drop(personal);
    // A restore never overwrites.
    let again = allspark_discord::ops::restore(&dest, &restored_dir);
    assert!(
        again
            .as_ref()
            .err()
            .is_some_and(|e| e.to_string().contains("not empty")),
        "{:?}",
        again.err()
    );
}

/// The value of the sample `name` (with its labels) in a scrape, 0 when absent.
fn sample(scrape: &str, name: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_metrics_endpoint_counts_commands_batches_and_the_log() {
    let mut table = support::Table::new();
    let base = support::serve_fake(allspark_discord::metrics::router(
        table.engine.engine.clone(),
    ))
    .await;
    let scrape = || async {
        let answer = reqwest::get(format!("{base}/metrics"))
            .await
            .expect("scrape");
        assert_eq!(answer.status(), 200);
        answer.text().await.expect("text")
    };
    let before = scrape().await;
    assert!(
        before.contains("# TYPE allspark_command_seconds histogram"),
        "{before}"
    );
    table.slash(71, "get_pet faction:autobot").await;
    table.slash(71, "get_pet faction:autobot").await; // refused: already has one
    let _ = App::new(table.engine.engine.clone());
    let after = scrape().await;
    let moved = |name: &str| sample(&after, name) - sample(&before, name);
    assert!(
        moved("allspark_commands_total{command=\"get_pet\",outcome=\"ok\"}") >= 1.0,
        "{after}"
    );
    assert!(
        moved("allspark_commands_total{command=\"get_pet\",outcome=\"refused\"}") >= 1.0,
        "{after}"
    );
    assert!(moved("allspark_command_seconds_count") >= 2.0, "{after}");
    assert!(moved("allspark_batch_commands_count") >= 1.0, "{after}");
    assert!(moved("allspark_flush_seconds_count") >= 1.0, "{after}");
    assert!(moved("allspark_engine_commands_total{outcome=\"accepted\"}") >= 1.0);
    assert!(moved("allspark_log_events") >= 2.0, "{after}");
}

/// `allspark import-legacy` on the test checkout (`fixtures/legacy`): the report names every
/// file, a second run imports nothing and leaves the log's events as they were, `check`
/// passes after both; a folder with nothing to import is an error (exit 2), a store held by
/// another process too.
#[test]
fn import_legacy_runs_twice_from_the_binary_and_check_passes() {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/legacy");
    let checkout = checkout.to_str().expect("utf-8 path");
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, first) = allspark(&["import-legacy", checkout], dir.path());
    assert_eq!(code, 0, "{first}");
    assert!(
        first.contains("read Systems/Data/Users, Systems/Users")
            && first.contains("imported Systems/Data/Users/100000000000000001.json: player 100000000000000001: 120 energon in the wallet, 34 in the bank")
            && first.contains("skipped Systems/Data/Users/100000000000000006.json: energon.energon_bank is negative (-5)")
            && first.contains("skipped Systems/Data/Users/not-a-number.json: the file name is not a Discord user id")
            && first.contains("2 RPG character(s)")
            && first.contains("note: RPG character 1: 3 piece(s) of gear not kept")
            && first.contains("skipped Systems/Data/Users/100000000000000011.json: rpg.characters[0].class_type `bard` is not a class here")
            && first.contains("4 imported, 0 already imported, 10 skipped, of 14 files"),
        "{first}"
    );
    assert!(
        !first.contains("Pilot Zed"),
        "a username was printed: {first}"
    );
    let events = |data: &Path| {
        let log = SledLog::open_for_reading(&log_dir(data)).expect("log");
        let mut out = Vec::new();
        allspark_engine::export::write_log(&log, &mut out).expect("export");
        out
    };
    let before = events(dir.path());
    let (code, second) = allspark(&["import-legacy", checkout], dir.path());
    assert_eq!(code, 0, "{second}");
    assert!(
        second.contains(
            "unchanged Systems/Data/Users/100000000000000001.json: already imported from this file"
        ) && second.contains("0 imported, 4 already imported, 10 skipped, of 14 files"),
        "{second}"
    );
    assert_eq!(events(dir.path()), before, "the second run changed the log");
    let (code, checked) = allspark(&["check"], dir.path());
    assert_eq!(code, 0, "{checked}");
    assert!(checked.starts_with("ok:"), "{checked}");

    // The imported characters play here: the console shows them with their names.
    let mut console = Process::new(env!("CARGO_BIN_EXE_allspark"))
        .arg("console")
        .arg("--data")
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run the console");
    {
        use std::io::Write;
        let mut stdin = console.stdin.take().expect("stdin");
        stdin
            .write_all(b"as 100000000000000001\n/character_view\n")
            .expect("write the script");
    }
    let shown = console.wait_with_output().expect("the console ends");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("#1 Vex Shadowline")
            && shown.contains("level 5")
            && shown.contains("#2 NovaPrime"),
        "{shown}"
    );

    let empty = tempfile::tempdir().expect("temp dir");
    let (code, printed) = allspark(
        &["import-legacy", empty.path().to_str().expect("utf-8")],
        dir.path(),
    );
    assert_eq!(code, 2, "{printed}");
    assert!(printed.contains("no player files"), "{printed}");

    // A store another process holds is an error, and nothing is read.
    let held = Engine::open_dir(dir.path(), EngineConfig::default()).expect("open");
    let (code, printed) = allspark(&["import-legacy", checkout], dir.path());
    assert_eq!(code, 2, "{printed}");
    assert!(
        printed.contains("already open in another process"),
        "{printed}"
    );
    held.shutdown();
}
