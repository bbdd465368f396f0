//! The operator's own records: the audit log's clearings. The audit log itself is read from
//! the event log (`view::audit_page`): every event an operator's command caused, and every
//! sensitive one whoever caused it (erasures, recruitment sends). `/logs_clear` hides the
//! entries older than a point by an event of its own (`LogsCleared`), which is never hidden,
//! so the clearing itself stays audited.

mod command;
mod event;
mod rules;
mod state;

pub use command::AdminCommand;
pub use event::AdminEvent;
pub use rules::{AdminRejection, KEEP_SECS_MAX};
pub use state::Admin;

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Admin {
    const NAME: &'static str = "admin";
    const TUNING_VERSION: u32 = 1;
    type Command = AdminCommand;
    type Event = AdminEvent;
    type Rejection = AdminRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &AdminCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &AdminEvent, at: Timestamp) {
        Admin::evolve(self, event, at);
    }

    fn stream(_event: &AdminEvent) -> StreamId {
        StreamId::trusted("admin".to_string())
    }

    fn erase(&mut self, _player: PlayerId) {
        // Nothing here names a player (the operator is named by the envelope's actor only).
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        Vec::new()
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // The point a clearing hides up to is in `LogsCleared` itself.
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &AdminCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
