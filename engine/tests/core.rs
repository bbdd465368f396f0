//! The single-writer core end to end: idempotency, group commit, rebuild, snapshots, shutdown
//! and subscriptions, on both log implementations where storage matters.

use std::sync::Arc;

use allspark_engine::codec::{self, SCHEMA_VERSION};
use allspark_engine::energon::{EnergonCommand, EnergonRejection};
use allspark_engine::player::PlayerCommand;
use allspark_engine::runtime::{self, encode_snapshot};
use allspark_engine::testing::{TestEngine, EPOCH};
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, EventLog, ManualClock, MemoryLog, Outcome,
    PlayerId, Rejection, SledLog,
};

const ALICE: PlayerId = PlayerId(1);
const BOB: PlayerId = PlayerId(2);

fn join() -> Command {
    Command::Player(PlayerCommand::Join)
}

fn credit(player: PlayerId, amount: i64) -> Command {
    Command::Energon(EnergonCommand::Credit { player, amount })
}

fn transfer(to: PlayerId, amount: i64) -> Command {
    Command::Energon(EnergonCommand::Transfer { to, amount })
}

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

fn balance(engine: &Engine, player: PlayerId) -> u64 {
    ok(engine.query_blocking(move |world| world.energon().balance(player)))
}

fn world_bytes(engine: &Engine) -> Vec<u8> {
    ok(engine.query_blocking(|world| ok(codec::encode_value(world))))
}

#[test]
fn a_repeated_command_id_returns_the_recorded_outcome_and_appends_nothing() {
    let mut test = TestEngine::new();
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::Player(BOB), join());
    test.run(Actor::System, credit(ALICE, 100));
    let envelope = test.envelope(Actor::Player(ALICE), transfer(BOB, 30));

    let first = ok(test.engine.execute_blocking(envelope.clone()));
    assert!(!first.duplicate);
    let last_seq = test.engine.log().last_seq();
    let second = ok(test.engine.execute_blocking(envelope));
    assert!(second.duplicate);
    assert_eq!(second.outcome, first.outcome);
    assert_eq!(test.engine.log().last_seq(), last_seq);
    assert_eq!(balance(&test.engine, ALICE), 70);
    assert_eq!(balance(&test.engine, BOB), 30);
}

#[test]
fn a_repeated_rejected_command_gets_the_same_rejection_even_after_state_changed() {
    let mut test = TestEngine::new();
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::Player(BOB), join());
    let envelope = test.envelope(Actor::Player(ALICE), transfer(BOB, 30));
    let first = ok(test.engine.execute_blocking(envelope.clone()));
    let expected = Outcome::Rejected(Rejection::Energon(EnergonRejection::InsufficientEnergon {
        need: 30,
        have: 0,
    }));
    assert_eq!(first.outcome, expected);

    test.run(Actor::System, credit(ALICE, 100));
    let retry = ok(test.engine.execute_blocking(envelope));
    assert!(retry.duplicate);
    assert_eq!(retry.outcome, expected);
    assert_eq!(balance(&test.engine, ALICE), 100);
}

#[test]
fn the_same_command_twice_in_one_batch_has_one_effect() {
    use allspark_engine::testing::gate::GatedLog;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll, Waker};

    let gate = GatedLog::new(Arc::new(MemoryLog::new()));
    let mut test = TestEngine::on_log(gate.clone(), EngineConfig::default());
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::Player(BOB), join());
    test.run(Actor::System, credit(ALICE, 100));
    let envelope = test.envelope(Actor::Player(ALICE), transfer(BOB, 10));
    let blocker = test.envelope(Actor::Player(PlayerId(3)), join());
    let blocker_id = blocker.id;

    // Hold the core inside the blocker's append: whatever is sent meanwhile queues for one
    // batch (16 is far below `batch_max_commands`).
    gate.close();
    let engine = test.engine.clone();
    let blocked = std::thread::spawn(move || engine.execute_blocking(blocker));
    gate.wait_until_held();
    // The held batch is recorded once it passes the gate.
    let batches_before = gate.batches().len();
    type Send =
        Pin<Box<dyn Future<Output = Result<allspark_engine::Reply, allspark_engine::EngineError>>>>;
    let mut sends: Vec<Send> = (0..16)
        .map(|_| {
            let engine = test.engine.clone();
            let envelope = envelope.clone();
            Box::pin(async move { engine.execute(envelope).await }) as Send
        })
        .collect();
    // One poll each puts the request in the core's channel and leaves it waiting for its reply.
    let mut context = Context::from_waker(Waker::noop());
    for send in &mut sends {
        assert!(matches!(send.as_mut().poll(&mut context), Poll::Pending));
    }
    gate.open();
    ok(ok(blocked.join().map_err(|_| "the blocker panicked")));
    let runtime = ok(tokio::runtime::Builder::new_current_thread().build());
    let replies: Vec<_> = sends
        .into_iter()
        .map(|send| ok(runtime.block_on(send)))
        .collect();

    // One batch after the blocker's, deciding the command once.
    let batches = gate.batches();
    assert_eq!(batches[batches_before], vec![blocker_id]);
    assert_eq!(
        batches[batches_before + 1..].to_vec(),
        vec![vec![envelope.id]],
        "all sixteen copies were decided in one batch, once"
    );
    assert_eq!(replies.iter().filter(|reply| !reply.duplicate).count(), 1);
    assert!(replies
        .windows(2)
        .all(|pair| pair[0].outcome == pair[1].outcome));
    assert!(replies[0].outcome.is_accepted());
    assert_eq!(balance(&test.engine, BOB), 10);
    assert_eq!(balance(&test.engine, ALICE), 90);
}

#[test]
fn concurrent_callers_all_hear_back_and_later_commands_see_earlier_effects() {
    let runtime = ok(tokio::runtime::Runtime::new());
    let mut test = TestEngine::new();
    for player in 1..=64u64 {
        test.run(Actor::Player(PlayerId(player)), join());
        test.run(Actor::System, credit(PlayerId(player), 1));
    }
    // Every player sends its single energon to player 1 at once. Exactly 63 transfers can
    // succeed (player 1 sending to itself is rejected), whatever the batching.
    let envelopes: Vec<_> = (1..=64u64)
        .map(|player| test.envelope(Actor::Player(PlayerId(player)), transfer(ALICE, 1)))
        .collect();
    let engine = test.engine.clone();
    let outcomes = runtime.block_on(async move {
        let tasks: Vec<_> = envelopes
            .into_iter()
            .map(|envelope| {
                let engine = engine.clone();
                tokio::spawn(async move { engine.execute(envelope).await })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(ok(ok(task.await)).outcome);
        }
        outcomes
    });
    assert_eq!(
        outcomes
            .iter()
            .filter(|outcome| outcome.is_accepted())
            .count(),
        63
    );
    assert_eq!(balance(&test.engine, ALICE), 64);
    assert!(ok(test
        .engine
        .query_blocking(|world| world.energon().is_conserved())));
}

#[test]
fn reopening_rebuilds_the_same_world_from_snapshot_and_tail() {
    let dir = ok(tempfile::tempdir());
    let config = EngineConfig {
        snapshot_every_events: 7,
        ..EngineConfig::default()
    };
    let clock = Arc::new(ManualClock::new(EPOCH));
    let before = {
        let log: Arc<dyn EventLog> = Arc::new(ok(SledLog::open(dir.path())));
        let (engine, report) = ok(Engine::open(log, config.clone(), clock.clone()));
        assert_eq!(report.snapshot_seq, None);
        for n in 1..=20u64 {
            let player = PlayerId(n);
            ok(engine.execute_blocking(engine.envelope(
                CommandId(n.into()),
                Actor::Player(player),
                join(),
            )));
            ok(engine.execute_blocking(engine.envelope(
                CommandId((100 + n).into()),
                Actor::System,
                credit(player, n as i64),
            )));
        }
        let bytes = world_bytes(&engine);
        engine.shutdown();
        bytes
    };
    let log: Arc<dyn EventLog> = Arc::new(ok(SledLog::open(dir.path())));
    let (full, full_report) = ok(runtime::rebuild(log.as_ref(), false));
    assert_eq!(full_report.snapshot_seq, None);
    assert_eq!(ok(codec::encode_value(&full)), before);
    let (engine, report) = ok(Engine::open(log, config, clock));
    let snapshot_seq = report.snapshot_seq.unwrap_or(0);
    assert!(snapshot_seq > 0, "a snapshot should have been used");
    assert_eq!(report.n_events_replayed, 40 - snapshot_seq);
    assert_eq!(world_bytes(&engine), before);
}

#[test]
fn a_snapshot_from_another_schema_or_content_version_is_ignored() {
    let log: Arc<dyn EventLog> = Arc::new(MemoryLog::new());
    let mut test = TestEngine::on_log(log.clone(), EngineConfig::default());
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::System, credit(ALICE, 5));
    ok(test.engine.snapshot_blocking());
    test.engine.shutdown();
    let (_, trusted) = ok(runtime::rebuild(log.as_ref(), true));
    assert_eq!(trusted.snapshot_seq, Some(2));

    // A snapshot that claims another schema: same layout, different version field.
    let (world, _) = ok(runtime::rebuild(log.as_ref(), false));
    let mut bytes = ok(encode_snapshot(&world));
    let mut other = ok(codec::encode_value(&(SCHEMA_VERSION + 1)));
    let own = ok(codec::encode_value(&SCHEMA_VERSION));
    assert_eq!(bytes[..own.len()], own[..]);
    other.extend_from_slice(&bytes[own.len()..]);
    bytes = other;
    ok(log.save_snapshot(2, &bytes));
    let (rebuilt, report) = ok(runtime::rebuild(log.as_ref(), true));
    assert_eq!(report.snapshot_seq, None);
    assert_eq!(report.n_events_replayed, 2);
    assert_eq!(rebuilt, world);

    // Garbage is ignored too.
    ok(log.save_snapshot(2, b"not a snapshot"));
    let (_, report) = ok(runtime::rebuild(log.as_ref(), true));
    assert_eq!(report.snapshot_seq, None);
}

#[test]
fn shutdown_finishes_queued_commands_and_then_refuses_more() {
    let mut test = TestEngine::new();
    test.run(Actor::Player(ALICE), join());
    let engine = test.engine.clone();
    engine.shutdown();
    let late = test.envelope(Actor::Player(BOB), join());
    assert!(matches!(
        test.engine.execute_blocking(late),
        Err(allspark_engine::EngineError::Stopped)
    ));
    assert_eq!(test.engine.log().last_seq(), 1);
}

#[test]
fn subscribers_see_every_accepted_event_in_order() {
    let runtime = ok(tokio::runtime::Runtime::new());
    let mut test = TestEngine::new();
    let mut subscription = test.engine.subscribe(1);
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::Player(BOB), join());
    test.run(Actor::System, credit(ALICE, 9));
    test.run(Actor::Player(ALICE), transfer(BOB, 100)); // rejected: appends nothing
    test.run(Actor::Player(ALICE), transfer(BOB, 4));
    let seqs = runtime.block_on(async {
        let mut seqs = Vec::new();
        for _ in 0..5 {
            match subscription.next().await {
                Ok(Some(event)) => seqs.push((event.seq, event.stream.to_string())),
                other => panic!("subscription ended: {other:?}"),
            }
        }
        seqs
    });
    assert_eq!(
        seqs,
        vec![
            (1, "user/1".to_string()),
            (2, "user/2".to_string()),
            (3, "user/1".to_string()),
            (4, "user/1".to_string()),
            (5, "user/2".to_string()),
        ]
    );
}

#[test]
fn seeds_depend_on_the_secret_and_the_command_id() {
    let a = runtime::derive_seed(b"secret-a", CommandId(1));
    assert_eq!(a, runtime::derive_seed(b"secret-a", CommandId(1)));
    assert_ne!(a, runtime::derive_seed(b"secret-b", CommandId(1)));
    assert_ne!(a, runtime::derive_seed(b"secret-a", CommandId(2)));
}

#[test]
fn events_carry_the_envelope_time_and_deterministic_ids() {
    let mut test = TestEngine::new();
    test.clock.advance_secs(90);
    let outcome = test.run(Actor::Player(ALICE), join());
    let event = &outcome.events()[0];
    assert_eq!(event.recorded_at, EPOCH.plus_secs(90));
    assert_eq!(
        event.event_id,
        allspark_engine::envelope::event_id_for(event.command_id, 0)
    );
    assert_eq!(event.schema_version, SCHEMA_VERSION);
}

#[test]
fn a_chosen_pet_name_goes_to_the_personal_store_and_never_into_the_log() {
    use allspark_engine::personal::KEY_PET_NAME;
    use allspark_engine::pets::{Faction, PetCommand};

    let mut test = TestEngine::new();
    test.run(
        Actor::Player(ALICE),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    let outcome = test.run(
        Actor::Player(ALICE),
        Command::Pet(PetCommand::Rename {
            name: "Quillfeather".into(),
        }),
    );
    assert!(outcome.is_accepted());
    assert_eq!(
        ok(test.engine.personal_text(ALICE, KEY_PET_NAME)).as_deref(),
        Some("Quillfeather")
    );
    let mut leaked = false;
    ok(test.engine.log().scan(1, &mut |event| {
        leaked |= ok(codec::encode_event(&event))
            .windows(12)
            .any(|window| window == b"Quillfeather");
    }));
    assert!(!leaked, "the name must not be in any stored event");
    assert!(ok(test
        .engine
        .query_blocking(|world| world.pets().get(ALICE).map(|pet| pet.custom_name)))
    .unwrap_or(false));
}

#[test]
fn a_spectator_follows_a_battle_from_its_start_then_live() {
    use allspark_engine::battle::sim::Action;
    use allspark_engine::battle::{BattleCommand, BattleEvent};
    use allspark_engine::pets::{Faction, PetCommand};

    let runtime = ok(tokio::runtime::Runtime::new());
    let mut test = TestEngine::new();
    test.run(
        Actor::Player(ALICE),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Decepticon,
        }),
    );
    let enemy = allspark_engine::content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    let outcome = test.run(
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::StartSolo { enemy }),
    );
    let battle = outcome
        .events()
        .iter()
        .find_map(|e| match &e.event {
            allspark_engine::Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no battle"));
    let mut spectator = test.engine.follow(battle.stream(), 1);
    // The start, then what each fighter wears.
    let first = ok(spectator.try_next()).map(|e| e.stream_version);
    assert_eq!(first, Some(1));
    let second = ok(spectator.try_next()).map(|e| e.event);
    assert!(
        matches!(
            second,
            Some(allspark_engine::Event::Battle(BattleEvent::Setup { .. }))
        ),
        "{second:?}"
    );
    assert!(ok(spectator.try_next()).is_none(), "nothing more yet");
    let act = Command::Battle(BattleCommand::Act {
        battle,
        turn: 1,
        action: Action::Charge,
    });
    let engine = test.engine.clone();
    let envelope = test.envelope(Actor::Player(ALICE), act);
    let live = runtime.block_on(async move {
        let waiting = tokio::spawn(async move { spectator.next().await });
        ok(engine.execute(envelope).await);
        ok(ok(waiting.await))
    });
    let live = live.unwrap_or_else(|| panic!("the spectator saw nothing"));
    assert_eq!(live.stream_version, 3);
    assert!(matches!(
        live.event,
        allspark_engine::Event::Battle(BattleEvent::ActionChosen { .. })
    ));
}

#[test]
fn the_envelope_instant_never_goes_back_when_the_clock_does() {
    let mut test = TestEngine::new();
    test.clock.advance_secs(90);
    test.run(Actor::Player(ALICE), join());
    // The clock steps back an hour (NTP, a VM restored, an operator): the game's time doesn't.
    test.clock.set(EPOCH.plus_secs(90 - 3_600));
    assert_eq!(test.engine.now(), EPOCH.plus_secs(90));
    let outcome = test.run(Actor::System, credit(ALICE, 3));
    assert_eq!(outcome.events()[0].recorded_at, EPOCH.plus_secs(90));
    // Once the clock passes the recorded instant again, it is used as it reads.
    test.clock.set(EPOCH.plus_secs(91));
    assert_eq!(test.engine.now(), EPOCH.plus_secs(91));
}

#[test]
fn a_reopened_engine_starts_its_time_at_the_last_recorded_instant() {
    let log: Arc<dyn EventLog> = Arc::new(MemoryLog::new());
    {
        let mut test = TestEngine::on_log(log.clone(), EngineConfig::default());
        test.clock.advance_secs(7_200);
        test.run(Actor::Player(ALICE), join());
        test.engine.shutdown();
    }
    // The new process's clock is two hours behind the store.
    let clock = Arc::new(ManualClock::new(EPOCH));
    let (engine, _) = ok(Engine::open(log, EngineConfig::default(), clock));
    assert_eq!(engine.now(), EPOCH.plus_secs(7_200));
    let envelope = engine.envelope(CommandId(99), Actor::Player(BOB), join());
    assert_eq!(envelope.now, EPOCH.plus_secs(7_200));
}

#[test]
fn a_timer_sent_too_early_is_not_recorded_and_fires_once_its_deadline_passes() {
    use allspark_engine::battle::tuning::TURN_DEADLINE_SECS;
    use allspark_engine::battle::{BattleCommand, BattleEvent, BattleRejection};
    use allspark_engine::pets::{Faction, PetCommand};

    let mut test = TestEngine::new();
    test.run(
        Actor::Player(ALICE),
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    let enemy = allspark_engine::content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    let started = test.run(
        Actor::Player(ALICE),
        Command::Battle(BattleCommand::StartSolo { enemy }),
    );
    let battle = started
        .events()
        .iter()
        .find_map(|e| match &e.event {
            allspark_engine::Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no battle"));
    // The timer's derived id: the same for every tick that sees this turn's deadline.
    let timer = CommandId((1 << 127) | 0x7e57);
    let timeout = Command::Battle(BattleCommand::Timeout { battle, turn: 1 });

    // The clock steps back; the timer fires too early and is refused, but not for good.
    test.clock.set(EPOCH.plus_secs(-600));
    let early = ok(test.engine.execute_blocking(test.engine.envelope(
        timer,
        Actor::System,
        timeout.clone(),
    )));
    assert!(
        matches!(
            early.outcome,
            Outcome::Rejected(Rejection::Battle(BattleRejection::TooEarly { .. }))
        ),
        "{early:?}"
    );
    assert_eq!(ok(test.engine.log().command_outcome(timer)), None);

    test.clock.set(EPOCH.plus_secs(TURN_DEADLINE_SECS + 1));
    let due = ok(test
        .engine
        .execute_blocking(test.engine.envelope(timer, Actor::System, timeout)));
    assert!(!due.duplicate, "the early refusal was not final");
    assert!(due.outcome.is_accepted(), "{due:?}");

    // A player's refusal for the same reason is still recorded like any other.
    assert!(Rejection::Battle(BattleRejection::TooEarly { deadline: EPOCH }).is_time_dependent());
    assert!(
        !Rejection::Energon(EnergonRejection::InsufficientEnergon { need: 1, have: 0 })
            .is_time_dependent()
    );
}

fn compacting(retention_secs: i64) -> EngineConfig {
    EngineConfig {
        outcome_retention_secs: retention_secs,
        outcomes_kept_min: 0,
        outcome_compaction_every_secs: 0,
        ..EngineConfig::default()
    }
}

#[test]
fn a_retry_inside_the_outcome_retention_gets_the_recorded_outcome() {
    let mut test = TestEngine::on_log(Arc::new(MemoryLog::new()), compacting(3_600));
    test.run(Actor::Player(ALICE), join());
    test.run(Actor::Player(BOB), join());
    let refused = test.envelope(Actor::Player(ALICE), transfer(BOB, 30));
    let first = ok(test.engine.execute_blocking(refused.clone()));
    assert!(!first.outcome.is_accepted());
    test.run(Actor::System, credit(ALICE, 100));
    // Just inside the retention, with compactions running after every batch.
    test.clock.advance_secs(3_599);
    test.run(Actor::System, credit(BOB, 1));
    let retry = ok(test.engine.execute_blocking(refused));
    assert!(retry.duplicate);
    assert_eq!(retry.outcome, first.outcome);
    assert_eq!(balance(&test.engine, ALICE), 100);
}

#[test]
fn outcomes_older_than_the_retention_are_compacted_and_a_late_retry_is_decided_anew() {
    let log: Arc<dyn EventLog> = Arc::new(MemoryLog::new());
    let mut test = TestEngine::on_log(log.clone(), compacting(3_600));
    let joined = test.envelope(Actor::Player(ALICE), join());
    let first = ok(test.engine.execute_blocking(joined.clone()));
    assert_eq!(first.outcome.events().len(), 1);
    let old = joined.id;
    test.clock.advance_secs(3_601);
    // Any later batch compacts what is older than the retention (after answering its callers;
    // a query is served after that).
    test.run(Actor::Player(BOB), join());
    assert_eq!(balance(&test.engine, ALICE), 0);
    assert_eq!(ok(log.command_outcome(old)), None);
    let seq_before = log.last_seq();
    // The id is unknown again: decided against today's World (Alice has joined), so the late
    // retry changes nothing, is recorded anew, and the core goes on.
    // (A redelivery is stamped when it arrives, like any envelope.)
    let late =
        ok(test
            .engine
            .execute_blocking(test.engine.envelope(old, Actor::Player(ALICE), join())));
    assert!(!late.duplicate);
    assert_eq!(late.outcome, Outcome::Accepted(Vec::new()));
    assert_eq!(log.last_seq(), seq_before);
    assert!(ok(log.command_outcome(old)).is_some());
    test.run(Actor::System, credit(ALICE, 5));
    assert_eq!(balance(&test.engine, ALICE), 5);
}

#[test]
fn stream_versions_stay_right_when_the_cache_forgets_them() {
    // A cache of two streams, many more streams, and batches touching the same stream twice.
    let log: Arc<dyn EventLog> = Arc::new(MemoryLog::new());
    let config = EngineConfig {
        stream_versions_cached: 2,
        ..EngineConfig::default()
    };
    let mut test = TestEngine::on_log(log.clone(), config);
    let players: Vec<PlayerId> = (1..=20).map(PlayerId).collect();
    for player in &players {
        test.run(Actor::Player(*player), join());
    }
    for round in 0..3 {
        let envelopes: Vec<_> = players
            .iter()
            .flat_map(|p| [credit(*p, 1), credit(*p, 2)])
            .map(|command| test.envelope(Actor::System, command))
            .collect();
        let engine = test.engine.clone();
        let callers: Vec<_> = envelopes
            .into_iter()
            .map(|envelope| {
                let engine = engine.clone();
                std::thread::spawn(move || engine.execute_blocking(envelope))
            })
            .collect();
        for caller in callers {
            let reply = ok(caller.join().unwrap_or_else(|_| panic!("caller panicked")));
            assert!(reply.outcome.is_accepted(), "round {round}: {reply:?}");
        }
    }
    for player in &players {
        assert_eq!(balance(&test.engine, *player), 9);
    }
    assert_eq!(
        test.engine.state(),
        allspark_engine::runtime::CoreState::Running
    );
}
