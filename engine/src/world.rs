//! The World: the list of areas, and the fan-outs written from it.
//!
//! `areas!` names every area once; from that list come the `Command`, `Event` and `Rejection`
//! enums, the `World`'s fields, and every route from them to the areas (see [`Area`]).
//!
//! `World::decide` is pure (no clock, no I/O, no global RNG): the envelope brings the instant and
//! the seed. `World::evolve` is total: it never rejects an event that is already in the log.

use serde::{Deserialize, Serialize};

use crate::admin::Admin;
use crate::area::{Area, Engagement};
use crate::battle::Battles;
use crate::dice::Dice;
use crate::energon::Wallets;
use crate::envelope::{CommandEnvelope, RecordedEvent};
use crate::fun::Fun;
use crate::ids::{Actor, PlayerId, StreamId, Timestamp};
use crate::market::Market;
use crate::pets::Pets;
use crate::player::{PlayerCommand, PlayerEvent, Players};
use crate::recruit::Recruitment;
use crate::rpg::Rpg;
use crate::slots::Slots;
use crate::social::Social;
use crate::trade::Trades;

/// The list of areas: each line names the `World`'s field, the area's state type (which
/// implements [`Area`]) and the variant its commands, events and rejections take in the
/// enums below. Adding an area is adding its line here (at the end: the enums are stored and
/// their variants are only ever appended).
macro_rules! areas {
    ($($field:ident: $state:ident => $variant:ident),+ $(,)?) => {
        /// Everything a player or the operator can ask for.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
        pub enum Command {
            $($variant(<$state as Area>::Command),)+
        }

        /// Everything that can happen. Stored: variants are only ever appended, never reordered.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
        pub enum Event {
            $($variant(<$state as Area>::Event),)+
        }

        /// Why a command changed nothing, in words a player can act on.
        #[derive(
            Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error,
            schemars::JsonSchema,
        )]
        pub enum Rejection {
            $(#[error(transparent)] $variant(#[from] <$state as Area>::Rejection),)+
        }

        /// Every area's state at one position of the log. Derived: rebuilding it from the log
        /// gives the same bytes. Its fields are the engine's own: the adapter reads through
        /// each area's `view` module.
        #[derive(
            Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
        )]
        pub struct World {
            $(pub(crate) $field: $state,)+
            /// The seq of the last event applied (0 for an empty log).
            pub last_seq: u64,
        }

        /// Each area's name and tuning version, in list order: a snapshot is valid only under
        /// the same list.
        pub const TUNING_VERSIONS: &[(&str, u32)] = &[$((<$state as Area>::NAME, <$state as Area>::TUNING_VERSION),)+];

        impl Event {
            /// The stream an event belongs to. A command touching several streams appends them
            /// in one atomic batch.
            pub fn stream(&self) -> StreamId {
                match self {
                    $(Event::$variant(event) => <$state as Area>::stream(event),)+
                }
            }
        }

        impl World {
            fn decide_in_area(&self, ctx: &mut Ctx, command: &Command)
                -> Result<Vec<Event>, Rejection> {
                match command {
                    $(Command::$variant(command) => <$state as Area>::decide(self, ctx, command),)+
                }
            }

            fn evolve_in_area(&mut self, event: &Event, at: Timestamp) {
                match event {
                    $(Event::$variant(event) => Area::evolve(&mut self.$field, event, at),)+
                }
            }

            fn record_decisions(&self, now: Timestamp, mut events: Vec<Event>) -> Vec<Event> {
                $(events = <$state as Area>::record_decisions(self, now, events);)+
                events
            }

            /// What an accepted command writes to the erasable store: each area's
            /// [`Area::personal_writes`], asked of the area the command belongs to, on the World
            /// it was decided on (before its events are applied).
            pub fn personal_writes(
                &self,
                actor: Actor,
                command: &Command,
                events: &[Event],
            ) -> Vec<crate::personal::PersonalWrite> {
                match command {
                    $(Command::$variant(command) => {
                        <$state as Area>::personal_writes(self, actor, command, events)
                    })+
                }
            }

            /// Texts under other people that an erasure of `player` leaves without a record
            /// (every area's [`Area::texts_left_by_erasure`]).
            pub fn texts_left_by_erasure(&self, player: PlayerId) -> Vec<(PlayerId, String)> {
                let mut texts = Vec::new();
                $(texts.extend(Area::texts_left_by_erasure(&self.$field, player));)+
                texts
            }

            fn erase_everywhere(&mut self, player: PlayerId) {
                $(Area::erase(&mut self.$field, player);)+
            }

            /// The areas (by name) whose state differs between two Worlds, plus `last_seq` if
            /// that does: what `check` reports.
            pub fn differences(&self, other: &World) -> Vec<&'static str> {
                let mut differ = Vec::new();
                $(if self.$field != other.$field {
                    differ.push(<$state as Area>::NAME);
                })+
                if self.last_seq != other.last_seq {
                    differ.push("last_seq");
                }
                differ
            }

            /// Everything the player takes part in, area by area.
            pub fn engagements(&self, player: PlayerId) -> Vec<Engagement> {
                let mut all = Vec::new();
                $(all.extend(Area::engagements(&self.$field, player));)+
                all
            }

            $(
                /// The area's whole state, for tests and simulations (feature `testing`);
                /// everything else reads through the area's `view` module.
                #[cfg(any(test, feature = "testing"))]
                pub fn $field(&self) -> &$state {
                    &self.$field
                }
            )+
        }
    };
}

areas! {
    players: Players => Player,
    energon: Wallets => Energon,
    pets: Pets => Pet,
    slots: Slots => Slots,
    battles: Battles => Battle,
    recruit: Recruitment => Recruit,
    admin: Admin => Admin,
    market: Market => Market,
    trades: Trades => Trade,
    social: Social => Social,
    fun: Fun => Fun,
    rpg: Rpg => Rpg,
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

impl Command {
    /// The player whose erasable text must be removed before this command's events are
    /// appended.
    pub fn erases(&self) -> Option<PlayerId> {
        match self {
            Command::Player(
                PlayerCommand::Erase { player } | PlayerCommand::EraseConfirmed { player, .. },
            ) => Some(*player),
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
        let mut events = self.decide_in_area(&mut ctx, &envelope.command)?;
        events = self.record_decisions(envelope.now, events);
        if let Actor::Player(player) = envelope.actor {
            if !self.players.contains(player) && !joins(&events, player) {
                events.insert(0, Event::Player(PlayerEvent::Joined { player }));
            }
        }
        Ok(events)
    }

    /// Applies one recorded event. Total: never fails, never panics on a well-formed event.
    pub fn evolve(&mut self, recorded: &RecordedEvent) {
        self.evolve_in_area(&recorded.event, recorded.recorded_at);
        // Achievements keep the highest a player reached of what other areas may lower.
        let market = &self.market;
        self.social.observe(&recorded.event, |player| {
            market.position(player).map(|p| p.realised)
        });
        if let Event::Player(PlayerEvent::Erased { player, .. }) = &recorded.event {
            // One fact, every area forgets: see `PlayerCommand::Erase`.
            self.erase_everywhere(*player);
        }
        self.last_seq = recorded.seq;
    }

    /// What the player takes part in right now, across every area, most binding first
    /// (an area's list in the order `areas!` names the areas).
    pub fn engagement(&self, player: PlayerId) -> Option<Engagement> {
        self.engagements(player).into_iter().next()
    }

    /// The first engagement that keeps the player out of anything else (one activity at a
    /// time), if any.
    pub fn activity(&self, player: PlayerId) -> Option<Engagement> {
        self.engagements(player)
            .into_iter()
            .find(|engagement| engagement.excludes_others())
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
