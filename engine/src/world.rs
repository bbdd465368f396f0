//! The World: every area's state, and the one `match` that routes commands and events to areas.
//!
//! `World::decide` is pure (no clock, no I/O, no global RNG): the envelope brings the instant and
//! the seed. `World::evolve` is total: it never rejects an event that is already in the log.

use serde::{Deserialize, Serialize};

use crate::battle::{self, BattleCommand, BattleEvent, BattleRejection, Battles};
use crate::dice::Dice;
use crate::energon::{self, EnergonCommand, EnergonEvent, EnergonRejection, Wallets};
use crate::envelope::{CommandEnvelope, RecordedEvent};
use crate::ids::{Actor, PlayerId, StreamId, Timestamp};
use crate::personal::KEY_PET_NAME;
use crate::pets::{self, PetCommand, PetEvent, PetRejection, Pets};
use crate::player::{self, PlayerCommand, PlayerEvent, PlayerRejection, Players};
use crate::slots::{self, Slots, SlotsCommand, SlotsEvent, SlotsRejection};

/// Everything a player or the operator can ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Command {
    Player(PlayerCommand),
    Energon(EnergonCommand),
    Pet(PetCommand),
    Slots(SlotsCommand),
    Battle(BattleCommand),
}

/// Everything that can happen. Stored: variants are only ever appended, never reordered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Event {
    Player(PlayerEvent),
    Energon(EnergonEvent),
    Pet(PetEvent),
    Slots(SlotsEvent),
    Battle(BattleEvent),
}

/// Why a command changed nothing, in words a player can act on.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum Rejection {
    #[error(transparent)]
    Player(#[from] PlayerRejection),
    #[error(transparent)]
    Energon(#[from] EnergonRejection),
    #[error(transparent)]
    Pet(#[from] PetRejection),
    #[error(transparent)]
    Slots(#[from] SlotsRejection),
    #[error(transparent)]
    Battle(#[from] BattleRejection),
}

/// What `decide` may consult besides the World: the envelope's instant, actor and dice.
#[derive(Debug)]
pub struct Ctx {
    pub now: Timestamp,
    pub actor: Actor,
    pub dice: Dice,
    /// The command's seed, for [`Ctx::derive`]. Private: rules roll with `dice`.
    seed: crate::dice::Seed,
    derived: u32,
}

impl Ctx {
    pub fn new(now: Timestamp, actor: Actor, seed: crate::dice::Seed) -> Ctx {
        Ctx {
            now,
            actor,
            dice: Dice::from_seed(seed),
            seed,
            derived: 0,
        }
    }

    /// A fresh 128-bit value for `purpose`, derived one-way (SHA-256) from the command's seed
    /// and a counter. Public ids (battles, lobbies, challenges) and hidden battle seeds come
    /// from here rather than from `dice`: the dice are a PCG stream, whose state can in
    /// principle be recovered from enough raw outputs, so a seed drawn next to a public id
    /// would not stay hidden. Nothing derived here reveals the seed or any other value.
    pub fn derive(&mut self, purpose: &str) -> u128 {
        use sha2::{Digest, Sha256};
        self.derived += 1;
        let mut hasher = Sha256::new();
        hasher.update(b"allspark/derive/v1");
        hasher.update((purpose.len() as u64).to_be_bytes());
        hasher.update(purpose.as_bytes());
        hasher.update(self.seed.value.to_be_bytes());
        hasher.update(self.derived.to_be_bytes());
        let digest = hasher.finalize();
        let mut value = [0u8; 16];
        value.copy_from_slice(&digest[..16]);
        u128::from_be_bytes(value)
    }
}

/// Every area's state at one position of the log. Derived: rebuilding it from the log gives
/// the same bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct World {
    pub players: Players,
    pub energon: Wallets,
    pub pets: Pets,
    pub slots: Slots,
    pub battles: Battles,
    /// The seq of the last event applied (0 for an empty log).
    pub last_seq: u64,
}

impl Event {
    /// The stream an event belongs to. A command touching several streams appends them in one
    /// atomic batch.
    pub fn stream(&self) -> StreamId {
        match self {
            Event::Player(event) => StreamId::user(event.player()),
            Event::Energon(EnergonEvent::RushRoundWon { round, .. }) => StreamId::rush(*round),
            Event::Energon(
                EnergonEvent::Credited { player, .. }
                | EnergonEvent::Debited { player, .. }
                | EnergonEvent::Deposited { player, .. }
                | EnergonEvent::Withdrew { player, .. }
                | EnergonEvent::RushFound { player, .. }
                | EnergonEvent::RushLost { player, .. }
                | EnergonEvent::RushNothing { player, .. }
                | EnergonEvent::EscrowHeld { player, .. }
                | EnergonEvent::EscrowReleased { player, .. },
            ) => StreamId::user(*player),
            Event::Pet(event) => StreamId::user(event.player()),
            Event::Slots(SlotsEvent::Spun { player, .. }) => StreamId::user(*player),
            Event::Battle(event) => StreamId::trusted(event.stream_name()),
        }
    }
}

impl Command {
    /// Personal text this command carries, to be kept in the erasable store (never in events)
    /// under the acting player: `(key, text)`.
    pub fn personal_text(&self) -> Option<(&'static str, &str)> {
        match self {
            Command::Pet(PetCommand::Rename { name }) => Some((KEY_PET_NAME, name.as_str())),
            _ => None,
        }
    }

    /// The player whose erasable text must be removed before this command's events are
    /// appended.
    pub fn erases(&self) -> Option<PlayerId> {
        match self {
            Command::Player(PlayerCommand::Erase { player }) => Some(*player),
            _ => None,
        }
    }
}

impl World {
    /// Decides a command against this state: the events it causes, or why it changes nothing.
    ///
    /// A player's first accepted command also records their `Joined` event, first in the batch.
    /// A rejected command records nothing, not even the join.
    pub fn decide(&self, envelope: &CommandEnvelope) -> Result<Vec<Event>, Rejection> {
        let mut ctx = Ctx::new(envelope.now, envelope.actor, envelope.seed);
        let mut events: Vec<Event> = match &envelope.command {
            Command::Player(command) => player::decide(self, &mut ctx, command)?
                .into_iter()
                .map(Event::Player)
                .collect(),
            Command::Energon(command) => energon::decide(self, &mut ctx, command)?,
            Command::Pet(command) => pets::decide(self, &mut ctx, command)?,
            Command::Slots(command) => slots::decide(self, &mut ctx, command)?,
            Command::Battle(command) => battle::decide(self, &mut ctx, command)?,
        };
        if let Actor::Player(player) = envelope.actor {
            if !self.players.contains(player) && !joins(&events, player) {
                events.insert(0, Event::Player(PlayerEvent::Joined { player }));
            }
        }
        Ok(events)
    }

    /// Applies one recorded event. Total: never fails, never panics on a well-formed event.
    pub fn evolve(&mut self, recorded: &RecordedEvent) {
        let at = recorded.recorded_at;
        match &recorded.event {
            Event::Player(event) => {
                self.players.evolve(event, at);
                if let PlayerEvent::Erased { player, .. } = event {
                    // One fact, every area forgets: see `PlayerCommand::Erase`.
                    self.energon.erase(*player);
                    self.pets.erase(*player);
                    self.slots.erase(*player);
                    self.battles.erase(*player);
                }
            }
            Event::Energon(event) => self.energon.evolve(event, at),
            Event::Pet(event) => self.pets.evolve(event, at),
            Event::Slots(event) => self.slots.evolve(event, at),
            Event::Battle(event) => self.battles.evolve(event, at),
        }
        self.last_seq = recorded.seq;
    }
}

fn joins(events: &[Event], player: PlayerId) -> bool {
    events.iter().any(
        |event| matches!(event, Event::Player(PlayerEvent::Joined { player: p }) if *p == player),
    )
}

#[cfg(test)]
mod derive_tests {
    use super::*;
    use crate::dice::Seed;

    #[test]
    fn derived_values_differ_by_purpose_and_order_and_follow_the_seed() {
        let mut ctx = Ctx::new(Timestamp(0), Actor::System, Seed::pcg(7));
        let (id, seed, next_id) = (
            ctx.derive("id"),
            ctx.derive("battle-seed"),
            ctx.derive("id"),
        );
        assert!(id != seed && id != next_id && seed != next_id);
        // The same command seed derives the same values (replays and retries agree).
        let mut again = Ctx::new(Timestamp(0), Actor::System, Seed::pcg(7));
        assert_eq!(again.derive("id"), id);
        // Deriving does not touch the dice, so rules that roll are unaffected.
        let mut plain = Ctx::new(Timestamp(0), Actor::System, Seed::pcg(7));
        assert_eq!(ctx.dice.next_u64(), plain.dice.next_u64());
        // Another seed, other values.
        let mut other = Ctx::new(Timestamp(0), Actor::System, Seed::pcg(8));
        assert_ne!(other.derive("id"), id);
    }
}
