//! The core under storage faults and bugs: fail-stop after a failed append or flush (callers hear
//! that the outcome is unknown, the core decides nothing more, a restart recovers from the log),
//! personal text of a failed batch taken back, and a panicking read that fails alone.

use std::sync::Arc;
use std::time::Duration;

use allspark_engine::energon::EnergonCommand;
use allspark_engine::personal::{PersonalStore, KEY_PET_NAME};
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::player::PlayerCommand;
use allspark_engine::runtime::CoreState;
use allspark_engine::testing::faults::{Fault, FaultyLog, FaultyPersonal};
use allspark_engine::testing::TestEngine;
use allspark_engine::{
    Actor, Command, Engine, EngineConfig, EngineError, EventLog, MemoryLog, PlayerId,
};

const ALICE: PlayerId = PlayerId(1);
const BOB: PlayerId = PlayerId(2);

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

fn join() -> Command {
    Command::Player(PlayerCommand::Join)
}

fn credit(player: PlayerId, amount: i64) -> Command {
    Command::Energon(EnergonCommand::Credit { player, amount })
}

fn transfer(to: PlayerId, amount: i64) -> Command {
    Command::Energon(EnergonCommand::Transfer { to, amount })
}

fn adopt() -> Command {
    Command::Pet(PetCommand::Adopt {
        faction: Faction::Autobot,
    })
}

fn rename(name: &str) -> Command {
    Command::Pet(PetCommand::Rename { name: name.into() })
}

/// An engine on a fault-injecting log over a memory log, and fault-injecting personal text.
fn faulty() -> (TestEngine, Arc<FaultyLog>, Arc<FaultyPersonal>) {
    let log = Arc::new(FaultyLog::new(Arc::new(MemoryLog::new())));
    let personal = Arc::new(FaultyPersonal::default());
    let test = TestEngine::on_stores(log.clone(), personal.clone(), EngineConfig::default());
    (test, log, personal)
}

fn balance(engine: &Engine, player: PlayerId) -> u64 {
    ok(engine.query_blocking(move |world| world.energon().balance(player)))
}

/// Holds the core inside a read until the returned sender is dropped or sent to, so that
/// requests sent meanwhile are decided together in the next batch.
fn hold_the_core(engine: &Engine) -> std::sync::mpsc::Sender<()> {
    let (release, held) = std::sync::mpsc::channel::<()>();
    let (entered, in_read) = std::sync::mpsc::channel::<()>();
    let engine = engine.clone();
    std::thread::spawn(move || {
        let _ = engine.query_blocking(move |_| {
            let _ = entered.send(());
            let _ = held.recv();
        });
    });
    let _ = in_read.recv();
    release
}

fn runtime() -> tokio::runtime::Runtime {
    ok(tokio::runtime::Runtime::new())
}

#[test]
fn a_failed_flush_stops_the_core_and_every_caller_hears_the_outcome_is_unknown() {
    let (mut test, log, _) = faulty();
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::Player(BOB), join());
    test.run(Actor::System, credit(ALICE, 100));
    let runtime = runtime();

    // Several callers in one batch whose flush fails: each hears that the outcome is unknown.
    let release = hold_the_core(&test.engine);
    log.arm(Fault::FailFlush);
    let envelopes: Vec<_> = (0..4)
        .map(|_| test.envelope(Actor::Player(ALICE), transfer(BOB, 10)))
        .collect();
    let waiting: Vec<_> = envelopes
        .iter()
        .cloned()
        .map(|envelope| {
            let engine = test.engine.clone();
            runtime.spawn(async move { engine.execute(envelope).await })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let _ = release.send(());
    for task in waiting {
        let answer = ok(runtime.block_on(task));
        assert!(
            matches!(&answer, Err(EngineError::OutcomeUnknown(reason)) if reason.contains("injected fault")),
            "{answer:?}"
        );
        let message = answer.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("outcome is unknown"), "{message}");
    }

    // The core decides nothing more, and says why.
    let later = test.envelope(Actor::Player(BOB), transfer(ALICE, 1));
    let answer = test.engine.execute_blocking(later);
    assert!(matches!(answer, Err(EngineError::Halted(_))), "{answer:?}");
    let read = test.engine.query_blocking(|world| world.last_seq);
    assert!(matches!(read, Err(EngineError::Halted(_))), "{read:?}");
    assert!(matches!(test.engine.state(), CoreState::Failed(_)));
    let stopped = runtime.block_on(test.engine.stopped());
    assert!(
        matches!(&stopped, CoreState::Failed(reason) if reason.contains("append failed")),
        "{stopped:?}"
    );

    // A restart recovers from the log: the batch's events were in the store after all, and a
    // retry gets their recorded outcome instead of a second effect.
    let restarted = TestEngine::on_log(log.inner().clone(), EngineConfig::default());
    assert_eq!(balance(&restarted.engine, BOB), 40);
    let retry = ok(restarted.engine.execute_blocking(envelopes[0].clone()));
    assert!(retry.duplicate);
    assert!(retry.outcome.is_accepted());
    assert_eq!(balance(&restarted.engine, BOB), 40);
}

#[test]
fn a_failed_append_stops_the_core_and_a_restart_decides_the_command_afresh() {
    let (mut test, log, _) = faulty();
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::System, credit(ALICE, 5));
    log.arm(Fault::FailAppend);
    let envelope = test.envelope(Actor::System, credit(ALICE, 7));
    let answer = test.engine.execute_blocking(envelope.clone());
    assert!(
        matches!(answer, Err(EngineError::OutcomeUnknown(_))),
        "{answer:?}"
    );
    let later = test.envelope(Actor::System, credit(ALICE, 1));
    assert!(matches!(
        test.engine.execute_blocking(later),
        Err(EngineError::Halted(_))
    ));

    let restarted = TestEngine::on_log(log.inner().clone(), EngineConfig::default());
    assert_eq!(balance(&restarted.engine, ALICE), 5);
    let retry = ok(restarted.engine.execute_blocking(envelope));
    assert!(!retry.duplicate);
    assert_eq!(balance(&restarted.engine, ALICE), 12);
}

#[test]
fn a_panic_on_the_writers_path_stops_the_core_and_callers_hear_why() {
    let (mut test, log, _) = faulty();
    test.run(Actor::Player(ALICE), join());
    log.arm(Fault::PanicInAppend);
    let envelope = test.envelope(Actor::Player(BOB), join());
    let answer = test.engine.execute_blocking(envelope);
    assert!(
        matches!(&answer, Err(EngineError::Halted(reason)) if reason.contains("panicked")),
        "{answer:?}"
    );
    assert!(matches!(
        runtime().block_on(test.engine.stopped()),
        CoreState::Failed(_)
    ));
    assert!(matches!(
        test.engine.query_blocking(|world| world.last_seq),
        Err(EngineError::Halted(_))
    ));
}

#[test]
fn a_panicking_read_fails_alone_and_the_writer_goes_on() {
    let mut test = TestEngine::new();
    test.run(Actor::Player(ALICE), join());
    let read = test
        .engine
        .query_blocking(|_| -> u64 { panic!("a bug in a read") });
    assert!(
        matches!(&read, Err(EngineError::ReadPanicked(message)) if message == "a bug in a read"),
        "{read:?}"
    );
    let read = runtime().block_on(
        test.engine
            .query(|world| -> u64 { panic!("at seq {}", world.last_seq) }),
    );
    assert!(
        matches!(&read, Err(EngineError::ReadPanicked(message)) if message == "at seq 1"),
        "{read:?}"
    );
    assert_eq!(test.engine.state(), CoreState::Running);
    assert!(test.run(Actor::Player(BOB), join()).is_accepted());
    assert_eq!(ok(test.engine.query_blocking(|world| world.last_seq)), 2);
}

#[test]
fn a_failed_batch_leaves_none_of_its_personal_text_readable() {
    let (mut test, log, personal) = faulty();
    test.run(Actor::Player(ALICE), adopt());
    test.run(Actor::Player(BOB), adopt());
    assert!(test
        .run(Actor::Player(ALICE), rename("Firstlight"))
        .is_accepted());

    // Alice renames again and Bob names his pet for the first time, in a batch whose flush
    // fails: Alice's old name is back, Bob has none.
    let release = hold_the_core(&test.engine);
    log.arm(Fault::FailFlush);
    let runtime = runtime();
    let waiting: Vec<_> = [(ALICE, "Secondwind"), (BOB, "Bobsleigh")]
        .into_iter()
        .map(|(player, name)| {
            let envelope = test.envelope(Actor::Player(player), rename(name));
            let engine = test.engine.clone();
            runtime.spawn(async move { engine.execute(envelope).await })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let _ = release.send(());
    for task in waiting {
        let answer = ok(runtime.block_on(task));
        assert!(
            matches!(answer, Err(EngineError::OutcomeUnknown(_))),
            "{answer:?}"
        );
    }
    assert_eq!(
        ok(personal.get(ALICE, KEY_PET_NAME)).as_deref(),
        Some("Firstlight")
    );
    assert_eq!(ok(test.engine.personal_text(BOB, KEY_PET_NAME)), None);
}

#[test]
fn a_failed_personal_flush_appends_nothing_and_takes_the_text_back() {
    let (mut test, log, personal) = faulty();
    test.run(Actor::Player(ALICE), adopt());
    let last_seq = log.last_seq();
    personal.fail_next_flush();
    let envelope = test.envelope(Actor::Player(ALICE), rename("Neverwas"));
    let answer = test.engine.execute_blocking(envelope);
    assert!(matches!(answer, Err(EngineError::Halted(_))), "{answer:?}");
    assert_eq!(log.last_seq(), last_seq, "nothing was appended");
    assert_eq!(ok(personal.get(ALICE, KEY_PET_NAME)), None);
    assert!(matches!(test.engine.state(), CoreState::Failed(_)));
}

#[test]
fn renames_in_one_batch_share_one_flush_of_the_personal_store() {
    let (mut test, log, personal) = faulty();
    let players: Vec<PlayerId> = (1..=8).map(PlayerId).collect();
    for player in &players {
        test.run(Actor::Player(*player), adopt());
    }
    let (log_before, personal_before) = (log.n_flushes(), personal.n_flushes());
    let release = hold_the_core(&test.engine);
    let runtime = runtime();
    let waiting: Vec<_> = players
        .iter()
        .map(|player| {
            let envelope =
                test.envelope(Actor::Player(*player), rename(&format!("Pet{}", player.0)));
            let engine = test.engine.clone();
            runtime.spawn(async move { engine.execute(envelope).await })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let _ = release.send(());
    for task in waiting {
        assert!(ok(ok(runtime.block_on(task))).outcome.is_accepted());
    }
    assert_eq!(log.n_flushes() - log_before, 1, "one batch");
    assert_eq!(
        personal.n_flushes() - personal_before,
        1,
        "one personal flush"
    );
    for player in players {
        assert_eq!(
            ok(personal.get(player, KEY_PET_NAME)),
            Some(format!("Pet{}", player.0))
        );
    }
}

#[test]
fn an_erasure_in_a_failed_batch_does_not_bring_back_the_erased_text() {
    let (mut test, log, personal) = faulty();
    test.run(Actor::Player(ALICE), adopt());
    assert!(test
        .run(Actor::Player(ALICE), rename("Oldname"))
        .is_accepted());
    let release = hold_the_core(&test.engine);
    log.arm(Fault::FailFlush);
    let runtime = runtime();
    // A rename, then (a moment later, so in this order in the batch) Alice's erasure.
    let renamed = {
        let envelope = test.envelope(Actor::Player(ALICE), rename("Newname"));
        let engine = test.engine.clone();
        runtime.spawn(async move { engine.execute(envelope).await })
    };
    std::thread::sleep(Duration::from_millis(150));
    let erased = {
        let envelope = test.envelope(
            Actor::System,
            Command::Player(PlayerCommand::Erase { player: ALICE }),
        );
        let engine = test.engine.clone();
        runtime.spawn(async move { engine.execute(envelope).await })
    };
    std::thread::sleep(Duration::from_millis(300));
    let _ = release.send(());
    for task in [renamed, erased] {
        let answer = ok(runtime.block_on(task));
        assert!(
            matches!(answer, Err(EngineError::OutcomeUnknown(_))),
            "{answer:?}"
        );
    }
    assert_eq!(ok(personal.get(ALICE, KEY_PET_NAME)), None);
}
