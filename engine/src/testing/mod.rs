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
