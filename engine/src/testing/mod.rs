//! Test doubles and shared suites, behind the `testing` feature so other crates' tests can use
//! them: the log conformance suite, and helpers to drive an engine with a manual clock.

pub mod log_conformance;

use std::sync::Arc;

use crate::clock::ManualClock;
use crate::envelope::CommandEnvelope;
use crate::ids::{Actor, CommandId, Timestamp};
use crate::log::{EventLog, MemoryLog};
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
        let clock = ManualClock::new(EPOCH);
        let (engine, _) = match Engine::open(log, config, Arc::new(clock.clone())) {
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
}

impl Scenario {
    /// A world built from `events`, applied in order as if recorded at [`EPOCH`].
    pub fn given(events: impl IntoIterator<Item = crate::world::Event>) -> Scenario {
        let mut world = crate::world::World::default();
        for (index, event) in events.into_iter().enumerate() {
            let seq = index as u64 + 1;
            world.evolve(&crate::envelope::RecordedEvent {
                seq,
                event_id: crate::envelope::event_id_for(CommandId(0), index as u32),
                recorded_at: EPOCH,
                command_id: CommandId(0),
                actor: Actor::System,
                stream: event.stream(),
                stream_version: seq,
                schema_version: crate::codec::SCHEMA_VERSION,
                event,
            });
        }
        Scenario { world, now: EPOCH }
    }

    /// Moves the instant the command is decided at.
    pub fn at(mut self, now: Timestamp) -> Scenario {
        self.now = now;
        self
    }

    /// Decides `command` from `actor` with a seed fixed by the command id 1.
    pub fn when(self, actor: Actor, command: Command) -> Decided {
        let envelope = CommandEnvelope {
            id: CommandId(1),
            actor,
            now: self.now,
            seed: crate::runtime::derive_seed(b"scenario", CommandId(1)),
            command,
        };
        Decided {
            result: self.world.decide(&envelope),
        }
    }

    pub fn world(&self) -> &crate::world::World {
        &self.world
    }
}

/// The outcome of [`Scenario::when`], to be checked with `then` or `then_rejected`.
pub struct Decided {
    result: Result<Vec<crate::world::Event>, crate::world::Rejection>,
}

impl Decided {
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
