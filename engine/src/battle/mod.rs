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
mod rules;
pub mod sim;
mod state;
pub mod tuning;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use command::{BattleCommand, LobbyKind};
pub use event::{BattleEvent, EnemySnapshot};
pub use rules::{decide, enemy_fighter, loot, pve_reward, queue_window, solo_sim, BattleRejection};
pub use state::{Battle, BattleStats, Battles, Challenge, Lobby, LobbyMember, Rating, Tournament};

macro_rules! hex_id {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
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
        pub struct $name(pub u128);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:032x}", self.0)
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
    Tournament { tournament: LobbyId, round: u8 },
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
        }
    }
}
