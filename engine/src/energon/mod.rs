//! Energon: wallets, banks, the Energon Rush race and leaderboards. Every balance change is an event that names its ledger rule, so
//! a player can read their own history and an auditor can prove conservation: the sum of all
//! balances equals what minting rules created minus what burning rules destroyed.

mod command;
mod event;
mod rules;
mod state;

pub use command::EnergonCommand;
pub use event::{upcast_v1, EnergonEvent, EnergonEventV1, Flow, LedgerRule, RushFind};
pub use rules::{
    search_bonus, search_weights, EnergonRejection, AMOUNT_MAX, FORAGE_COOLDOWN_SECS, RUSH_PRIZE,
    RUSH_TARGET,
};
pub use state::{Leaderboards, Period, Ranking, Rush, RushResult, RushStats, Wallets};

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Wallets {
    const NAME: &'static str = "energon";
    const TUNING_VERSION: u32 = 1;
    type Command = EnergonCommand;
    type Event = EnergonEvent;
    type Rejection = EnergonRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &EnergonCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &EnergonEvent, at: Timestamp) {
        Wallets::evolve(self, event, at);
    }

    fn stream(event: &EnergonEvent) -> StreamId {
        match event {
            EnergonEvent::RushRoundWon { round, .. } => StreamId::rush(*round),
            EnergonEvent::Credited { player, .. }
            | EnergonEvent::Debited { player, .. }
            | EnergonEvent::Deposited { player, .. }
            | EnergonEvent::Withdrew { player, .. }
            | EnergonEvent::RushFound { player, .. }
            | EnergonEvent::RushLost { player, .. }
            | EnergonEvent::RushNothing { player, .. }
            | EnergonEvent::EscrowHeld { player, .. }
            | EnergonEvent::EscrowReleased { player, .. }
            | EnergonEvent::RushCooldownSet { player, .. } => StreamId::user(*player),
        }
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // Escrow is held for a lobby or a challenge, which the battle area answers for.
        Vec::new()
    }

    fn record_decisions(_world: &World, now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        rules::record_decisions(now, events)
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &EnergonCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
