//! The contract every area answers, and what a player can be busy with.
//!
//! An area (players, energon, pets, slots, battles, …) is one folder under `engine/src/` whose
//! state type implements [`Area`]. `world.rs` lists the areas once, in the `areas!` macro, and
//! the macro writes every fan-out from that list: the `Command`, `Event` and `Rejection` enums,
//! the `World`'s fields, `decide`, `evolve`, the stream of an event, erasure, engagement and
//! personal text. None of the trait's methods has a default, so an area that does not say how
//! it forgets a player, or what it keeps a player busy with, does not compile.

use serde::{Deserialize, Serialize};

use crate::ids::{Actor, PlayerId, StreamId, Timestamp};
use crate::personal::PersonalWrite;
use crate::world::{Ctx, Event, Rejection, World};

/// One area of the game: its commands, events and state, and its answers to the questions
/// every area must answer.
pub trait Area: Default {
    /// The area's name, as its folder is called (`pets` for `engine/src/pets/`).
    const NAME: &'static str;
    /// The version of the numbers the area's rules decide with. Raise it when a tuning number
    /// changes what a command decides; snapshots are keyed by every area's version, so a World
    /// cached under other numbers is rebuilt from the log, which records what was decided.
    const TUNING_VERSION: u32;

    /// What players (or the operator) ask of this area.
    type Command;
    /// What happens in this area; stored, so its variants are only ever appended.
    type Event;
    /// Why a command of this area changed nothing.
    type Rejection: Into<Rejection>;

    /// Decides one command against the whole World. Pure: the context brings the instant, the
    /// actor and the dice. An area may emit other areas' events (a pet's mission pays energon);
    /// they are appended in the same atomic batch.
    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &Self::Command,
    ) -> Result<Vec<Event>, Rejection>;

    /// Applies one of the area's recorded events. Total: never fails.
    fn evolve(&mut self, event: &Self::Event, at: Timestamp);

    /// The stream an event of this area is appended to.
    fn stream(event: &Self::Event) -> StreamId;

    /// Forgets everything the area holds about an erased player (called for every area when
    /// `PlayerEvent::Erased` is applied).
    fn erase(&mut self, player: PlayerId);

    /// What the player is taking part in in this area right now, most binding first.
    fn engagements(&self, player: PlayerId) -> Vec<Engagement>;

    /// Adds, right after each event whose effect depends on today's numbers (a cooldown, a
    /// starting stat, a clamp), an event that records what the rule decided, so that evolving
    /// never re-derives it and a log rebuilds to the same World whatever the tuning is later.
    /// Sees every event of the command, whichever area emitted it; returns them all.
    fn record_decisions(world: &World, now: Timestamp, events: Vec<Event>) -> Vec<Event>;

    /// What an accepted command writes to the erasable store (text people wrote, kept there
    /// and never in an event), given the World it was decided on, who asked and the events it
    /// caused. Called by the core between `decide` and `evolve`.
    fn personal_writes(
        world: &World,
        actor: Actor,
        command: &Self::Command,
        events: &[Event],
    ) -> Vec<PersonalWrite>;

    /// Texts the area keeps under other people that only exist for records an erasure of
    /// `player` removes (a lore entry's quoted words, when the one who kept it is erased), as
    /// (owner, key): the core deletes them with the erasure.
    fn texts_left_by_erasure(&self, player: PlayerId) -> Vec<(PlayerId, String)>;
}

/// Something a player takes part in: it keeps them from being erased, and (unless
/// [`Engagement::excludes_others`] says otherwise) from starting anything else that needs them.
///
/// Stored inside `PlayerRejection::Busy`: variants are only ever appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Engagement {
    Battle,
    Lobby,
    Challenge,
    RankedQueue,
    Tournament,
    /// Schema 10: items on offer in an open trade (blocks releasing the pet only).
    Trade,
    /// Schema 21: on an RPG adventure (a party that set out; a chronicle binds nobody).
    Adventure,
}

impl Engagement {
    /// Whether this engagement keeps the player out of every other activity. One activity at
    /// a time: a battle, a lobby, the ranked queue and a running tournament exclude each other;
    /// an open challenge binds nobody until it is accepted.
    pub fn excludes_others(self) -> bool {
        match self {
            Engagement::Battle
            | Engagement::Lobby
            | Engagement::RankedQueue
            | Engagement::Tournament
            | Engagement::Adventure => true,
            Engagement::Challenge | Engagement::Trade => false,
        }
    }
}

impl std::fmt::Display for Engagement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Engagement::Battle => "fighting a battle",
            Engagement::Lobby => "waiting in a lobby",
            Engagement::Challenge => "in an open challenge",
            Engagement::RankedQueue => "queued for a ranked duel",
            Engagement::Tournament => "still in a tournament",
            Engagement::Trade => "offering items in an open trade",
            Engagement::Adventure => "on an adventure",
        })
    }
}

/// A test-only skew added to the numbers new decisions use, in every area that records its
/// decisions (cooldowns in seconds, starting attack, the experience a level costs, decay
/// intervals in minutes), to show that a log
/// rebuilds to the same World whatever today's numbers are. Zero outside tests, and absent
/// from builds without the `testing` feature.
#[cfg(any(test, feature = "testing"))]
pub mod skew {
    use std::sync::atomic::{AtomicI64, Ordering};

    static SKEW: AtomicI64 = AtomicI64::new(0);

    pub fn set(skew: i64) {
        SKEW.store(skew, Ordering::SeqCst);
    }

    pub fn get() -> i64 {
        SKEW.load(Ordering::SeqCst)
    }
}

/// The skew in force (always 0 in production builds).
pub fn tuning_skew() -> i64 {
    #[cfg(any(test, feature = "testing"))]
    return skew::get();
    #[cfg(not(any(test, feature = "testing")))]
    0
}
