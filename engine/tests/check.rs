//! `check` on stopped stores: a store made by real play is clean; a snapshot holding a tampered
//! World, a debit the ledger can't cover and a log whose energon isn't conserved are each found
//! and named.

use std::path::Path;

use allspark_engine::check::check;
use allspark_engine::energon::{EnergonCommand, EnergonEvent, LedgerRule};
use allspark_engine::log::AppendBatch;
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::player::PlayerCommand;
use allspark_engine::runtime::{encode_snapshot, log_dir};
use allspark_engine::slots::{Difficulty, SlotsCommand};
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, Event, EventLog, PlayerId, RecordedEvent,
    SledLog, StreamId, World,
};

const ALICE: PlayerId = PlayerId(7);
const BOB: PlayerId = PlayerId(8);

fn run(engine: &Engine, id: u128, actor: Actor, command: Command) {
    let reply = engine
        .execute_blocking(engine.envelope(CommandId(id), actor, command))
        .expect("the engine answers");
    assert!(reply.outcome.is_accepted(), "{:?}", reply.outcome);
}

/// A store with two players who adopted, were paid, banked, spun, scouted; Bob then erased;
/// with a snapshot in the middle.
fn played_store(dir: &Path) {
    let engine = Engine::open_dir(dir, EngineConfig::default()).expect("open");
    let mut id = 0;
    let mut next = || {
        id += 1;
        id
    };
    for player in [ALICE, BOB] {
        run(
            &engine,
            next(),
            Actor::Player(player),
            Command::Pet(PetCommand::Adopt {
                faction: Faction::Autobot,
            }),
        );
        run(
            &engine,
            next(),
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player,
                amount: 1_000,
            }),
        );
    }
    run(
        &engine,
        next(),
        Actor::Player(ALICE),
        Command::Energon(EnergonCommand::Deposit { amount: 300 }),
    );
    engine.snapshot_blocking().expect("snapshot");
    run(
        &engine,
        next(),
        Actor::Player(ALICE),
        Command::Slots(SlotsCommand::Spin {
            difficulty: Difficulty::Easy,
            bet: Some(10),
        }),
    );
    run(
        &engine,
        next(),
        Actor::Player(ALICE),
        Command::Energon(EnergonCommand::Scout),
    );
    run(
        &engine,
        next(),
        Actor::Player(BOB),
        Command::Player(PlayerCommand::Erase { player: BOB }),
    );
    engine.shutdown();
}

#[test]
fn a_store_made_by_play_is_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    played_store(dir.path());
    let log = SledLog::open_for_reading(&log_dir(dir.path())).expect("open");
    let report = check(&log).expect("check");
    assert!(report.is_clean(), "{:?}", report.problems);
    assert!(report.snapshot_seq.is_some(), "the snapshot was compared");
    assert_eq!(report.n_events, log.last_seq());
    assert_eq!(report.n_players, 1);
}

#[test]
fn a_snapshot_with_a_tampered_world_is_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    played_store(dir.path());
    let log = SledLog::open(&log_dir(dir.path())).expect("open");
    let (seq, _) = log.latest_snapshot().expect("read").expect("a snapshot");
    // The World at the snapshot's seq, except that one credit paid a little more.
    let mut world = World::default();
    let mut tampered = false;
    log.scan(1, &mut |mut event| {
        if event.seq > seq {
            return;
        }
        if let Event::Energon(EnergonEvent::Credited { amount, .. }) = &mut event.event {
            if !tampered {
                *amount += 1;
                tampered = true;
            }
        }
        world.evolve(&event);
    })
    .expect("scan");
    assert!(tampered);
    log.save_snapshot(seq, &encode_snapshot(&world).expect("encode"))
        .expect("save");
    let report = check(&log).expect("check");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains(&format!("snapshot at seq {seq} differs")) && p.contains("energon")),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("opening the store")),
        "opening uses that snapshot, so the live state differs too: {:?}",
        report.problems
    );
}

/// Appends one event by hand, continuing the log and its stream.
fn append(log: &SledLog, event: Event) {
    let stream: StreamId = event.stream();
    let seq = log.last_seq() + 1;
    let version = log.stream_version(&stream).expect("version") + 1;
    let recorded = RecordedEvent {
        seq,
        event_id: allspark_engine::envelope::event_id_for(CommandId(9_000 + u128::from(seq)), 0),
        recorded_at: allspark_engine::Timestamp(1_800_000_000_000),
        command_id: CommandId(9_000 + u128::from(seq)),
        actor: Actor::System,
        stream,
        stream_version: version,
        schema_version: allspark_engine::codec::SCHEMA_VERSION,
        event,
    };
    log.append(&AppendBatch {
        events: vec![recorded],
        commands: Vec::new(),
    })
    .expect("append");
    log.flush().expect("flush");
}

#[test]
fn a_debit_beyond_the_balance_and_unconserved_energon_are_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    played_store(dir.path());
    let log = SledLog::open(&log_dir(dir.path())).expect("open");
    // Alice holds well under a million in her wallet; this debit would take her below zero.
    append(
        &log,
        Event::Energon(EnergonEvent::Debited {
            player: ALICE,
            amount: 1_000_000,
            rule: LedgerRule::OperatorFine,
        }),
    );
    let report = check(&log).expect("check");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("player 7's wallet") && p.contains("below zero")),
        "{:?}",
        report.problems
    );
    assert!(
        report.problems.iter().any(|p| p.contains("not conserved")),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_sale_of_coins_never_held_is_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    played_store(dir.path());
    let log = SledLog::open(&log_dir(dir.path())).expect("open");
    append(
        &log,
        Event::Market(allspark_engine::market::MarketEvent::Sold {
            player: ALICE,
            coins: 5_000_000,
            received: 0,
            fee: 0,
            price: 1,
        }),
    );
    let report = check(&log).expect("check");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("CyberCoin is not conserved")),
        "{:?}",
        report.problems
    );
}

#[test]
fn every_frozen_log_and_every_scenario_store_passes_the_check() {
    // Old schemas, battles, tournaments, rush rounds and erasures: the audit must not cry wolf.
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/frozen");
    let mut n_logs = 0;
    for entry in std::fs::read_dir(&frozen).expect("frozen dir").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "log") {
            continue;
        }
        let mut file = std::fs::File::open(&path).expect("open");
        let events = allspark_engine::export::read_log(&mut file).expect("read");
        let log = allspark_engine::MemoryLog::new();
        log.append(&AppendBatch {
            events,
            commands: Vec::new(),
        })
        .expect("append");
        log.flush().expect("flush");
        let report = check(&log).expect("check");
        assert!(
            report.is_clean(),
            "{}: {:?}",
            path.display(),
            report.problems
        );
        assert!(report.n_events > 0);
        n_logs += 1;
    }
    assert!(n_logs >= 6, "only {n_logs} frozen logs");
}
