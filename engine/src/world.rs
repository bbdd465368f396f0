//! The World: every area's state, and the one `match` that routes commands and events to areas.
//!
//! `World::decide` is pure (no clock, no I/O, no global RNG): the envelope brings the instant and
//! the seed. `World::evolve` is total: it never rejects an event that is already in the log.

use serde::{Deserialize, Serialize};

use crate::dice::Dice;
use crate::energon::{self, EnergonCommand, EnergonEvent, EnergonRejection, Wallets};
use crate::envelope::{CommandEnvelope, RecordedEvent};
use crate::ids::{Actor, StreamId, Timestamp};
use crate::player::{self, PlayerCommand, PlayerEvent, PlayerRejection, Players};

/// Everything a player or the operator can ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Player(PlayerCommand),
    Energon(EnergonCommand),
}

/// Everything that can happen. Stored: variants are only ever appended, never reordered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Player(PlayerEvent),
    Energon(EnergonEvent),
}

/// Why a command changed nothing, in words a player can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Rejection {
    #[error(transparent)]
    Player(#[from] PlayerRejection),
    #[error(transparent)]
    Energon(#[from] EnergonRejection),
}

/// What `decide` may consult besides the World: the envelope's instant, actor and dice.
#[derive(Debug)]
pub struct Ctx {
    pub now: Timestamp,
    pub actor: Actor,
    pub dice: Dice,
}

/// Every area's state at one position of the log. Derived: rebuilding it from the log gives
/// the same bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    pub players: Players,
    pub energon: Wallets,
    /// The seq of the last event applied (0 for an empty log).
    pub last_seq: u64,
}

impl Event {
    /// The stream an event belongs to. A command touching several streams appends them in one
    /// atomic batch.
    pub fn stream(&self) -> StreamId {
        match self {
            Event::Player(PlayerEvent::Joined { player }) => StreamId::user(*player),
            Event::Energon(
                EnergonEvent::Credited { player, .. } | EnergonEvent::Debited { player, .. },
            ) => StreamId::user(*player),
        }
    }
}

impl World {
    /// Decides a command against this state: the events it causes, or why it changes nothing.
    ///
    /// A player's first accepted command also records their `Joined` event, first in the batch.
    /// A rejected command records nothing, not even the join.
    pub fn decide(&self, envelope: &CommandEnvelope) -> Result<Vec<Event>, Rejection> {
        let mut ctx = Ctx {
            now: envelope.now,
            actor: envelope.actor,
            dice: Dice::from_seed(envelope.seed),
        };
        let mut events: Vec<Event> = match &envelope.command {
            Command::Player(command) => player::decide(self, &mut ctx, command)?
                .into_iter()
                .map(Event::Player)
                .collect(),
            Command::Energon(command) => energon::decide(self, &mut ctx, command)?
                .into_iter()
                .map(Event::Energon)
                .collect(),
        };
        if let Actor::Player(player) = envelope.actor {
            let joins_now = events
                .iter()
                .any(|event| matches!(event, Event::Player(PlayerEvent::Joined { player: p }) if *p == player));
            if !self.players.contains(player) && !joins_now {
                events.insert(0, Event::Player(PlayerEvent::Joined { player }));
            }
        }
        Ok(events)
    }

    /// Applies one recorded event. Total: never fails, never panics on a well-formed event.
    pub fn evolve(&mut self, recorded: &RecordedEvent) {
        match &recorded.event {
            Event::Player(event) => self.players.evolve(event, recorded.recorded_at),
            Event::Energon(event) => self.energon.evolve(event),
        }
        self.last_seq = recorded.seq;
    }
}
