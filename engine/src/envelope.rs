//! The two envelopes: what goes into the core ([`CommandEnvelope`]) and what comes out of the
//! log ([`RecordedEvent`]).
//!
//! Both carry everything a replay needs that is not in the rules themselves: the instant and the
//! seed are inputs, recorded, never read from a clock or a global generator.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dice::Seed;
use crate::ids::{Actor, CommandId, StreamId, Timestamp};
use crate::world::{Command, Event};

/// One request to change the world, fully determined: who, when, with which dice, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommandEnvelope {
    /// Idempotency key: a second envelope with the same id gets the first one's outcome.
    pub id: CommandId,
    pub actor: Actor,
    /// The instant the command is decided at; becomes the `recorded_at` of its events.
    pub now: Timestamp,
    /// Derived from the server secret and `id` by the engine facade; never shown to players.
    pub seed: Seed,
    pub command: Command,
}

/// One event as stored in the log, with its position and provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordedEvent {
    /// Position in the global log, from 1, without gaps.
    pub seq: u64,
    /// Derived from the command id and the event's index within the command, so that the same
    /// history always carries the same ids (fixture hashes depend on it).
    pub event_id: Uuid,
    pub recorded_at: Timestamp,
    pub command_id: CommandId,
    pub actor: Actor,
    pub stream: StreamId,
    /// Position within `stream`, from 1, without gaps.
    pub stream_version: u64,
    /// The payload's schema version as it was written (before any upcasting on read).
    pub schema_version: u16,
    pub event: Event,
}

impl RecordedEvent {
    pub fn recorded_at_utc(&self) -> chrono::DateTime<chrono::Utc> {
        self.recorded_at.to_chrono()
    }
}

/// The namespace of event ids (UUID v5 over command id and event index).
const EVENT_ID_NAMESPACE: Uuid = Uuid::from_u128(0x6a1b_5a4b_7e3c_4d2a_9f00_a115_9a4b_0001);

/// The id of the `index`-th event produced by command `command_id`.
pub fn event_id_for(command_id: CommandId, index: u32) -> Uuid {
    let mut name = [0u8; 20];
    name[..16].copy_from_slice(&command_id.to_be_bytes());
    name[16..].copy_from_slice(&index.to_be_bytes());
    Uuid::new_v5(&EVENT_ID_NAMESPACE, &name)
}
