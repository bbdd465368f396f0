//! Battles: d20 turns for pets against enemies (solo and in groups) and against each other
//! (duels, teams, free-for-all, tournaments), with stakes, an Elo ladder and exact replay.
//!
//! The area has the usual five files plus `sim.rs` (the pure turn simulator, the only place
//! where combat math lives), `elo.rs` (ratings), `content.rs` (enemies and abilities) and
//! `tuning.rs` (every number).
//!
//! A battle's stream (`battle/<id>`) holds `Started` (seed, fighters, enemy kit, content
//! version), then per turn the `ActionChosen` inputs and a `TurnResolved` whose log and state
//! hash a re-simulation must reproduce, then `Ended`.

mod command;
pub mod content;
pub mod elo;
mod event;
pub mod replay;
pub(crate) mod rules;
pub mod sim;
mod state;
pub mod tuning;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use command::{BattleCommand, LobbyKind};
pub use event::{BattleEvent, EnemySnapshot};
pub use rules::{enemy_fighter, loot, pve_reward, queue_window, solo_sim, BattleRejection};
pub use state::{
    Battle, BattleStats, Battles, Challenge, Lobby, LobbyMember, Rating, RecentBattle, Tournament,
};

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Battles {
    const NAME: &'static str = "battle";
    /// 2: the state gained the list of recent battles, so older snapshots are not read.
    const TUNING_VERSION: u32 = 2;
    type Command = BattleCommand;
    type Event = BattleEvent;
    type Rejection = BattleRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &BattleCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &BattleEvent, at: Timestamp) {
        Battles::evolve(self, event, at);
    }

    fn stream(event: &BattleEvent) -> StreamId {
        StreamId::trusted(event.stream_name())
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    /// In order: a battle, a lobby, the ranked queue, a running tournament, an open challenge
    /// the player issued (the only one that holds no pet yet, so it comes last). Escrowed stakes exist only for
    /// lobbies and challenges, so a player with none of these has nothing in escrow.
    fn engagements(&self, player: PlayerId) -> Vec<Engagement> {
        let mut found = Vec::new();
        if self.busy.contains_key(&player) {
            found.push(Engagement::Battle);
        }
        if self.in_lobby.contains_key(&player) {
            found.push(Engagement::Lobby);
        }
        if self.queue.contains_key(&player) {
            found.push(Engagement::RankedQueue);
        }
        if self.tournaments.values().any(|t| t.alive.contains(&player)) {
            found.push(Engagement::Tournament);
        }
        // Only the challenger: being challenged must not bind anyone (or anyone could keep
        // another player from being erased by challenging them again and again).
        if self.challenges.values().any(|c| c.challenger == player) {
            found.push(Engagement::Challenge);
        }
        found
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // Nothing this area evolves depends on a number that could change.
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &BattleCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}

macro_rules! hex_id {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            Serialize,
            Deserialize,
            schemars::JsonSchema,
        )]
        pub struct $name(
            #[serde(
                serialize_with = "crate::ids::json_ids::serialize_hex",
                deserialize_with = "crate::ids::json_ids::deserialize_hex"
            )]
            #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
            pub u128,
        );

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:032x}", self.0)
            }
        }

        /// The same hex as `Display`, so an id reads the same in a debug print.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:032x})", stringify!($name), self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                u128::from_str_radix(text, 16).map($name)
            }
        }
    };
}

hex_id!(
    BattleId,
    "A battle, named by 128 bits drawn from its starting command's dice."
);

impl BattleId {
    /// The battle's stream, `battle/<id>`.
    pub fn stream(self) -> crate::ids::StreamId {
        crate::ids::StreamId::trusted(format!("battle/{self}"))
    }
}
hex_id!(
    LobbyId,
    "A lobby (and the tournament or battle it becomes)."
);
hex_id!(ChallengeId, "A duel challenge (and the battle it becomes).");

/// How a battle was made; decides rewards and what its end triggers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum BattleMode {
    Solo,
    Group,
    Duel,
    Team,
    FreeForAll,
    Tournament {
        tournament: LobbyId,
        round: u8,
    },
    /// Schema 21: an RPG adventure's battle segment, fought by the party's characters.
    Adventure {
        adventure: u32,
        segment: u8,
    },
    /// Schema 22: a mega-fight of two combiner teams (`challenger` on side 0), each one
    /// fighter driven by its head.
    MegaFight {
        challenger: u32,
        defender: u32,
    },
}

/// Declares [`BattleKind`] and its one table of labels, so a kind is named once.
macro_rules! battle_kinds {
    ($($(#[$doc:meta])* $kind:ident => $label:literal,)*) => {
        /// What kind of battle it was, as players name them: the [`BattleMode`], with duels told
        /// apart by how they were made (an accepted challenge, `/pvp`, or the ranked queue).
        /// [`BattleKind::ALL`] is the one list of kinds (`allspark-replay battles --mode` takes
        /// their labels), and [`BattleKind::of`] matches every mode, so a new mode cannot be
        /// left out of either.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum BattleKind {
            $($(#[$doc])* $kind,)*
        }

        impl BattleKind {
            /// Every kind, in the order they are listed.
            pub const ALL: &'static [BattleKind] = &[$(BattleKind::$kind,)*];

            pub fn label(self) -> &'static str {
                match self {
                    $(BattleKind::$kind => $label,)*
                }
            }
        }
    };
}

battle_kinds! {
    /// One pet against one enemy.
    Solo => "solo",
    /// A party against one enemy, from a lobby.
    Group => "group",
    /// A duel from an accepted challenge (`/pvp`).
    Challenge => "challenge",
    /// A rated duel the ranked queue paired.
    Ranked => "ranked",
    /// Two sides from a lobby.
    Team => "team",
    /// Everyone for themselves, from a lobby.
    FreeForAll => "free-for-all",
    /// A match of a tournament.
    Tournament => "tournament",
    /// An RPG adventure's battle, fought by characters.
    Adventure => "adventure",
    /// Two combiner teams as two giants.
    MegaFight => "mega-fight",
}

impl BattleKind {
    /// The kind a label names (what [`BattleKind::label`] prints).
    pub fn parse(label: &str) -> Option<BattleKind> {
        BattleKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.label() == label)
    }

    /// The kind of a battle started in `mode`; `from_challenge` says whether it began from an
    /// accepted challenge (its id is the challenge's), which only a duel can.
    pub fn of(mode: BattleMode, from_challenge: bool) -> BattleKind {
        match mode {
            BattleMode::Solo => BattleKind::Solo,
            BattleMode::Group => BattleKind::Group,
            BattleMode::Duel if from_challenge => BattleKind::Challenge,
            BattleMode::Duel => BattleKind::Ranked,
            BattleMode::Team => BattleKind::Team,
            BattleMode::FreeForAll => BattleKind::FreeForAll,
            BattleMode::Tournament { .. } => BattleKind::Tournament,
            BattleMode::Adventure { .. } => BattleKind::Adventure,
            BattleMode::MegaFight { .. } => BattleKind::MegaFight,
        }
    }
}

impl BattleMode {
    pub fn label(self) -> &'static str {
        match self {
            BattleMode::Solo => "solo",
            BattleMode::Group => "group",
            BattleMode::Duel => "duel",
            BattleMode::Team => "team",
            BattleMode::FreeForAll => "free-for-all",
            BattleMode::Tournament { .. } => "tournament",
            BattleMode::Adventure { .. } => "adventure",
            BattleMode::MegaFight { .. } => "mega-fight",
        }
    }
}
