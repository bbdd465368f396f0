//! Test doubles and shared suites, behind the `testing` feature so other crates' tests can use
//! them: the log conformance suite, fault injection (`faults`), a log that holds the core
//! still (`gate`), and helpers to drive an engine with a manual clock.

/// The `EventLog` methods a test double passes straight to its `inner` log: everything but
/// `append` and `flush`, which the doubles (`faults`, `gate`) intercept.
macro_rules! delegate_to_inner_log {
    () => {
        fn last_seq(&self) -> u64 {
            self.inner.last_seq()
        }

        fn stream_version(
            &self,
            stream: &crate::ids::StreamId,
        ) -> Result<u64, crate::log::LogError> {
            self.inner.stream_version(stream)
        }

        fn read_all(
            &self,
            from_seq: u64,
            limit: usize,
        ) -> Result<Vec<crate::envelope::RecordedEvent>, crate::log::LogError> {
            self.inner.read_all(from_seq, limit)
        }

        fn read_stream(
            &self,
            stream: &crate::ids::StreamId,
            from_version: u64,
            limit: usize,
        ) -> Result<Vec<crate::envelope::RecordedEvent>, crate::log::LogError> {
            self.inner.read_stream(stream, from_version, limit)
        }

        fn scan(
            &self,
            from_seq: u64,
            visit: &mut dyn FnMut(crate::envelope::RecordedEvent),
        ) -> Result<u64, crate::log::LogError> {
            self.inner.scan(from_seq, visit)
        }

        fn command_outcome(
            &self,
            id: crate::ids::CommandId,
        ) -> Result<Option<crate::codec::CommandOutcome>, crate::log::LogError> {
            self.inner.command_outcome(id)
        }

        fn compact_outcomes(
            &self,
            before: crate::ids::Timestamp,
            keep_newest: usize,
        ) -> Result<u64, crate::log::LogError> {
            self.inner.compact_outcomes(before, keep_newest)
        }

        fn save_snapshot(&self, seq: u64, bytes: &[u8]) -> Result<(), crate::log::LogError> {
            self.inner.save_snapshot(seq, bytes)
        }

        fn latest_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, crate::log::LogError> {
            self.inner.latest_snapshot()
        }

        fn watch_durable(&self) -> tokio::sync::watch::Receiver<u64> {
            self.inner.watch_durable()
        }
    };
}
pub(crate) use delegate_to_inner_log;

pub mod faults;
pub mod gate;
pub mod log_conformance;
pub mod samples;

use std::sync::Arc;

use crate::clock::ManualClock;
use crate::envelope::CommandEnvelope;
use crate::ids::{Actor, CommandId, Timestamp};
use crate::log::{EventLog, MemoryLog};
use crate::personal::{MemoryPersonal, PersonalStore};
use crate::runtime::{Engine, EngineConfig};
use crate::world::Command;

/// 2026-01-01T00:00:00Z, the instant every test world starts at.
pub const EPOCH: Timestamp = Timestamp(1_767_225_600_000);

/// An engine on an in-memory log with a manual clock, plus a command id counter.
pub struct TestEngine {
    pub engine: Engine,
    pub clock: ManualClock,
    next_id: u128,
}

impl TestEngine {
    pub fn new() -> TestEngine {
        TestEngine::on_log(Arc::new(MemoryLog::new()), EngineConfig::default())
    }

    pub fn on_log(log: Arc<dyn EventLog>, config: EngineConfig) -> TestEngine {
        TestEngine::on_stores(log, Arc::new(MemoryPersonal::default()), config)
    }

    /// An engine on the given log and personal store (fault injection: [`faults`]).
    pub fn on_stores(
        log: Arc<dyn EventLog>,
        personal: Arc<dyn PersonalStore>,
        config: EngineConfig,
    ) -> TestEngine {
        let clock = ManualClock::new(EPOCH);
        let opened = Engine::open_with(log, personal, config, Arc::new(clock.clone()));
        let (engine, _) = match opened {
            Ok(opened) => opened,
            Err(error) => panic!("test engine failed to open: {error}"),
        };
        TestEngine {
            engine,
            clock,
            next_id: 1,
        }
    }

    /// An envelope with a fresh command id.
    pub fn envelope(&mut self, actor: Actor, command: Command) -> CommandEnvelope {
        let id = CommandId(self.next_id);
        self.next_id += 1;
        self.engine.envelope(id, actor, command)
    }

    /// Executes a command with a fresh id and returns its outcome.
    pub fn run(&mut self, actor: Actor, command: Command) -> crate::runtime::Outcome {
        let envelope = self.envelope(actor, command);
        match self.engine.execute_blocking(envelope) {
            Ok(reply) => reply.outcome,
            Err(error) => panic!("engine failed: {error}"),
        }
    }
}

impl Default for TestEngine {
    fn default() -> Self {
        TestEngine::new()
    }
}

/// Given past events, when a command, then exact events or an exact rejection. Pure: no log, no
/// core; the World is built by `evolve` alone, as a rebuild would.
pub struct Scenario {
    world: crate::world::World,
    now: Timestamp,
    seed: Option<crate::dice::Seed>,
}

impl Scenario {
    /// A world built from `events`, applied in order as if recorded at [`EPOCH`].
    pub fn given(events: impl IntoIterator<Item = crate::world::Event>) -> Scenario {
        Scenario::given_at(events.into_iter().map(|event| (EPOCH, event)))
    }

    /// A world built from events recorded at the given instants, in order. The command is then
    /// decided at the last of those instants unless [`Scenario::at`] says otherwise.
    pub fn given_at(
        events: impl IntoIterator<Item = (Timestamp, crate::world::Event)>,
    ) -> Scenario {
        let mut world = crate::world::World::default();
        let mut now = EPOCH;
        for (index, (at, event)) in events.into_iter().enumerate() {
            let seq = index as u64 + 1;
            now = now.max(at);
            world.evolve(&crate::envelope::RecordedEvent {
                seq,
                event_id: crate::envelope::event_id_for(CommandId(0), index as u32),
                recorded_at: at,
                command_id: CommandId(0),
                actor: Actor::System,
                stream: event.stream(),
                stream_version: seq,
                schema_version: crate::codec::SCHEMA_VERSION,
                event,
            });
        }
        Scenario {
            world,
            now,
            seed: None,
        }
    }

    /// Moves the instant the command is decided at.
    pub fn at(mut self, now: Timestamp) -> Scenario {
        self.now = now;
        self
    }

    /// Decides with `seed` instead of [`Scenario::seed`] (for rules whose dice must be seen
    /// to come out every way).
    pub fn with_seed(mut self, seed: crate::dice::Seed) -> Scenario {
        self.seed = Some(seed);
        self
    }

    /// Decides `command` from `actor` with the seed [`Scenario::seed`] (or the one given).
    pub fn when(self, actor: Actor, command: Command) -> Decided {
        let envelope = CommandEnvelope {
            id: CommandId(1),
            actor,
            now: self.now,
            seed: self.seed.unwrap_or_else(Scenario::seed),
            command,
        };
        Decided {
            result: self.world.decide(&envelope),
        }
    }

    pub fn world(&self) -> &crate::world::World {
        &self.world
    }

    /// The seed every scenario command is decided with.
    pub fn seed() -> crate::dice::Seed {
        crate::runtime::derive_seed(b"scenario", CommandId(1))
    }
}

/// The outcome of [`Scenario::when`], to be checked with `then` or `then_rejected`.
pub struct Decided {
    result: Result<Vec<crate::world::Event>, crate::world::Rejection>,
}

impl Decided {
    /// The decided events, for checks that a fixed list can't express (ranges of dice rolls).
    #[track_caller]
    pub fn events(self) -> Vec<crate::world::Event> {
        match self.result {
            Ok(events) => events,
            Err(rejection) => panic!("expected events, got rejection: {rejection}"),
        }
    }

    /// The decided events without the records of what was decided from tuning numbers
    /// ([`is_recorded_decision`]), for rule tests about the rule's own events; the records are
    /// tested on their own.
    #[track_caller]
    pub fn rule_events(self) -> Vec<crate::world::Event> {
        let mut events = self.events();
        events.retain(|event| !is_recorded_decision(event));
        events
    }

    #[track_caller]
    pub fn then(self, expected: impl IntoIterator<Item = crate::world::Event>) {
        let expected: Vec<_> = expected.into_iter().collect();
        match self.result {
            Ok(events) => assert_eq!(events, expected),
            Err(rejection) => panic!("expected events {expected:?}, got rejection: {rejection}"),
        }
    }

    #[track_caller]
    pub fn then_rejected(self, expected: impl Into<crate::world::Rejection>) {
        let expected = expected.into();
        match self.result {
            Ok(events) => panic!("expected rejection {expected}, got events {events:?}"),
            Err(rejection) => assert_eq!(rejection, expected),
        }
    }
}

/// Whether an event only records what a rule decided from a tuning number for the event before
/// it (schema 5; see `Area::record_decisions`).
pub fn is_recorded_decision(event: &crate::world::Event) -> bool {
    use crate::energon::EnergonEvent;
    use crate::pets::PetEvent;
    use crate::slots::SlotsEvent;
    use crate::world::Event;
    matches!(
        event,
        Event::Pet(
            PetEvent::CooldownSet { .. }
                | PetEvent::Founded { .. }
                | PetEvent::ExperienceSet { .. }
                | PetEvent::VitalsSet { .. }
        ) | Event::Energon(EnergonEvent::RushCooldownSet { .. })
            | Event::Slots(SlotsEvent::FreeSpinCooldownSet { .. })
    )
}

/// The rules without the log: a World driven by `decide` and `evolve` in memory, recording
/// every event. Much faster than an engine, for simulations over thousands of games.
pub struct Driver {
    pub world: crate::world::World,
    pub now: Timestamp,
    pub events: Vec<crate::envelope::RecordedEvent>,
    next_id: u128,
    secret: Vec<u8>,
    stream_versions: std::collections::BTreeMap<crate::ids::StreamId, u64>,
}

impl Driver {
    pub fn new(secret: &[u8]) -> Driver {
        Driver {
            world: crate::world::World::default(),
            now: EPOCH,
            events: Vec::new(),
            next_id: 1,
            secret: secret.to_vec(),
            stream_versions: std::collections::BTreeMap::new(),
        }
    }

    /// Decides and applies one command; returns its events (cloned) or its rejection.
    pub fn run(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<crate::world::Event>, crate::world::Rejection> {
        let id = CommandId(self.next_id);
        self.next_id += 1;
        let envelope = CommandEnvelope {
            id,
            actor,
            now: self.now,
            seed: crate::runtime::derive_seed(&self.secret, id),
            command,
        };
        let events = self.world.decide(&envelope)?;
        for (index, event) in events.iter().enumerate() {
            let stream = event.stream();
            let version = self.stream_versions.entry(stream.clone()).or_insert(0);
            *version += 1;
            let recorded = crate::envelope::RecordedEvent {
                seq: self.world.last_seq + 1,
                event_id: crate::envelope::event_id_for(id, index as u32),
                recorded_at: self.now,
                command_id: id,
                actor,
                stream,
                stream_version: *version,
                schema_version: crate::codec::SCHEMA_VERSION,
                event: event.clone(),
            };
            self.world.evolve(&recorded);
            self.events.push(recorded);
        }
        Ok(events)
    }

    /// Like [`Driver::run`], panicking on a rejection (for setup steps that must work).
    #[track_caller]
    pub fn must(&mut self, actor: Actor, command: Command) -> Vec<crate::world::Event> {
        match self.run(actor, command) {
            Ok(events) => events,
            Err(rejection) => panic!("setup step refused: {rejection}"),
        }
    }

    pub fn advance_secs(&mut self, secs: i64) {
        self.now = self.now.plus_secs(secs);
    }

    /// Every recorded battle event of one battle, in order.
    pub fn battle_events(
        &self,
        battle: crate::battle::BattleId,
    ) -> Vec<crate::battle::BattleEvent> {
        let stream = format!("battle/{battle}");
        self.events
            .iter()
            .filter(|event| event.stream.as_str() == stream)
            .filter_map(|event| match &event.event {
                crate::world::Event::Battle(event) => Some(event.clone()),
                _ => None,
            })
            .collect()
    }

    /// Every player still in battle `id` attacks its first living opponent, turn after turn,
    /// until the battle ends; its outcome (panics if it does not end within 2,000 rounds).
    #[track_caller]
    pub fn fight_to_the_end(
        &mut self,
        id: crate::battle::BattleId,
    ) -> crate::battle::sim::SimOutcome {
        use crate::battle::sim::{Action, Who};
        use crate::battle::{BattleCommand, BattleEvent};
        for _ in 0..2_000 {
            let Some(state) = self.world.battles().open.get(&id).cloned() else {
                return self
                    .battle_events(id)
                    .iter()
                    .find_map(|e| match e {
                        BattleEvent::Ended { outcome, .. } => Some(*outcome),
                        _ => None,
                    })
                    .unwrap_or_else(|| panic!("battle gone without an end"));
            };
            for seat in state.waiting_for() {
                let me = state.sim.fighters[usize::from(seat)];
                let Who::Pet { player, .. } = me.who else {
                    continue;
                };
                let target = state
                    .sim
                    .fighters
                    .iter()
                    .position(|f| f.side != me.side && f.is_alive())
                    .unwrap_or(0) as u8;
                self.must(
                    Actor::Player(player),
                    Command::Battle(BattleCommand::Act {
                        battle: id,
                        turn: state.sim.turn,
                        action: Action::Attack { target },
                    }),
                );
            }
        }
        panic!("battle did not end");
    }
}

/// The fun events of an accepted outcome, in order (a refusal panics: for tests).
#[track_caller]
pub fn fun_events(outcome: crate::runtime::Outcome) -> Vec<crate::fun::FunEvent> {
    let crate::runtime::Outcome::Accepted(events) = outcome else {
        panic!("refused: {outcome:?}");
    };
    only_fun(events.into_iter().map(|e| e.event).collect())
}

/// The fun events among `events`, in order.
pub fn only_fun(events: Vec<crate::world::Event>) -> Vec<crate::fun::FunEvent> {
    events
        .into_iter()
        .filter_map(|e| match e {
            crate::world::Event::Fun(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// Plays the scenario `fixtures/scenarios/<name>.json` and returns the fun events it logged,
/// so a test can check that a fixture does what its description says.
#[track_caller]
pub fn fixture_fun_events(name: &str) -> Vec<crate::fun::FunEvent> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../fixtures/scenarios/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = crate::scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let run = crate::scenario::run(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
    let events = run
        .log
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    only_fun(events.into_iter().map(|e| e.event).collect())
}
