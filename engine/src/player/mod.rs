//! Players: the profile every player gets on first contact.
//!
//! Profiles hold no personal data: a player is their id. Display names live in the adapter's
//! erasable store, never in events.

mod command;
mod event;
mod rules;
mod state;

pub use command::PlayerCommand;
pub use event::PlayerEvent;
pub mod view;

pub use crate::area::Engagement;
pub use rules::PlayerRejection;
pub use state::{Players, Profile};

use crate::area::Area;
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Players {
    const NAME: &'static str = "player";
    const TUNING_VERSION: u32 = 1;
    type Command = PlayerCommand;
    type Event = PlayerEvent;
    type Rejection = PlayerRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &PlayerCommand,
    ) -> Result<Vec<Event>, Rejection> {
        Ok(rules::decide(world, ctx, command)?)
    }

    fn evolve(&mut self, event: &PlayerEvent, at: Timestamp) {
        Players::evolve(self, event, at);
    }

    fn stream(event: &PlayerEvent) -> StreamId {
        StreamId::user(event.player())
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // Being known binds nobody to anything.
        Vec::new()
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // Nothing this area evolves depends on a number that could change.
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        command: &PlayerCommand,
        events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        match command {
            // An imported RPG character's name, like every character's.
            PlayerCommand::ImportLegacy(import) => crate::legacy::personal_writes(import, events),
            _ => Vec::new(),
        }
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
