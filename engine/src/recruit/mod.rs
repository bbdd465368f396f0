//! Politics & War recruitment: messages to unallied nations, sent at most once and never
//! against the cooldowns.
//!
//! A send is an intent first: `Attempt` records `Attempted` (durable before the adapter's
//! worker sends the request), then `Confirm` or `Fail` records its outcome. A send without an
//! outcome (the process died, the request timed out) counts against the cooldowns like a
//! delivered one and is listed for review, never retried. Only a definite refusal by the
//! endpoint (`Failed`) releases what the send held. The cooldowns: no message to a nation
//! within 60 hours of its last one, and never the same template within 60 days.

mod command;
pub mod content;
mod event;
mod rules;
mod state;

pub use command::RecruitCommand;
pub use event::RecruitEvent;
pub use rules::{RecruitRejection, ADMIN_NATION, NATION_COOLDOWN_SECS, TEMPLATE_COOLDOWN_SECS};
pub use state::{NationRecord, Recruitment, SendRecord, SendStatus, Totals};

pub mod view;

use serde::{Deserialize, Serialize};

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

/// A nation in Politics & War, by its public nation id.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct NationId(pub u64);

impl std::fmt::Display for NationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A send, numbered by the engine from 1 in the order sends were attempted.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct SendId(pub u64);

impl std::fmt::Display for SendId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why the endpoint definitely did not deliver a send. Stored: variants only appended.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum FailReason {
    /// The endpoint answered that it did not send (an error body, `success: false`, a 4xx).
    Refused,
    /// The endpoint answered 429: nothing was sent.
    RateLimited,
    /// The key was refused (401, or an "invalid key" body).
    Unauthorized,
    /// The endpoint could not be reached (no connection was made): nothing was sent.
    Unreachable,
}

impl FailReason {
    pub fn label(self) -> &'static str {
        match self {
            FailReason::Refused => "refused by the game",
            FailReason::RateLimited => "rate-limited",
            FailReason::Unauthorized => "API key refused",
            FailReason::Unreachable => "game unreachable",
        }
    }
}

impl Area for Recruitment {
    const NAME: &'static str = "recruit";
    const TUNING_VERSION: u32 = 1;
    type Command = RecruitCommand;
    type Event = RecruitEvent;
    type Rejection = RecruitRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &RecruitCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &RecruitEvent, at: Timestamp) {
        Recruitment::evolve(self, event, at);
    }

    fn stream(event: &RecruitEvent) -> StreamId {
        let nation = match event {
            RecruitEvent::Attempted { nation, .. }
            | RecruitEvent::Confirmed { nation, .. }
            | RecruitEvent::Failed { nation, .. } => *nation,
        };
        StreamId::trusted(format!("nation/{nation}"))
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget_leader(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // Sending a message keeps nobody busy.
        Vec::new()
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // The cooldowns are checked in `decide` against recorded instants; nothing evolves from
        // today's numbers (the template the rule picked is in `Attempted` itself).
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &RecruitCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
