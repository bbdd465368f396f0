//! Slots: three reels, three difficulties, a bet mode and a free mode.
//!
//! Every spin records its reel stops, so a client can animate the exact result, and its payout
//! comes from a fixed table whose return to player is declared here and checked by enumeration
//! and by a million-spin simulation in the tests.

mod command;
pub mod content;
mod event;
mod rules;
mod state;

pub use command::{Difficulty, SlotsCommand};
pub use event::{LegacySlots, SlotsEvent};
pub use rules::{
    multiplier, spin_reels, SlotsRejection, BET_MAX, BET_MIN, FREE_SPIN_COOLDOWN_SECS,
    RTP_DECLARED_BASIS_POINTS,
};
pub use state::{SlotStats, Slots};

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Slots {
    const NAME: &'static str = "slots";
    const TUNING_VERSION: u32 = 1;
    type Command = SlotsCommand;
    type Event = SlotsEvent;
    type Rejection = SlotsRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &SlotsCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &SlotsEvent, at: Timestamp) {
        Slots::evolve(self, event, at);
    }

    fn stream(event: &SlotsEvent) -> StreamId {
        match event {
            SlotsEvent::Spun { player, .. }
            | SlotsEvent::FreeSpinCooldownSet { player, .. }
            | SlotsEvent::Imported { player, .. } => StreamId::user(*player),
        }
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // A spin is over when its command is.
        Vec::new()
    }

    fn record_decisions(_world: &World, now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        rules::record_decisions(now, events)
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &SlotsCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
