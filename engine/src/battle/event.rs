//! What happened in battles, lobbies, challenges, tournaments and the ladder. Stored: never
//! reorder or change a variant; add new ones at the end.
//!
//! Visibility: everything is public except the `seed` of `Started`, which the adapter never
//! shows while the battle is open (whoever knew it could foresee every roll); `Ended` repeats
//! it so a finished battle can be verified by anyone.

use serde::{Deserialize, Serialize};

use crate::battle::command::LobbyKind;
use crate::battle::sim::{Action, EnemyKit, Fighter, Hit, SimOutcome};
use crate::battle::{BattleId, BattleMode, ChallengeId, LobbyId};
use crate::dice::Seed;
use crate::ids::{PlayerId, Timestamp};
use crate::pets::content::Rarity;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum BattleEvent {
    /// Stream `challenge/<id>`.
    ChallengeIssued {
        challenge: ChallengeId,
        challenger: PlayerId,
        opponent: PlayerId,
        stake: u64,
        expires_at: Timestamp,
    },
    /// The opponent accepted; the battle starts in the same batch. Stream `challenge/<id>`.
    ChallengeAccepted {
        challenge: ChallengeId,
        battle: BattleId,
    },
    /// Stream `challenge/<id>`.
    ChallengeDeclined { challenge: ChallengeId },
    /// Stream `challenge/<id>`.
    ChallengeExpired { challenge: ChallengeId },
    /// Stream `lobby/<id>`.
    LobbyOpened {
        lobby: LobbyId,
        creator: PlayerId,
        kind: LobbyKind,
        stake: u64,
        expires_at: Timestamp,
    },
    /// Stream `lobby/<id>`.
    LobbyJoined {
        lobby: LobbyId,
        player: PlayerId,
        side: Option<u8>,
    },
    /// Stream `lobby/<id>`.
    LobbyLeft { lobby: LobbyId, player: PlayerId },
    /// Stream `lobby/<id>`.
    LobbyReady {
        lobby: LobbyId,
        player: PlayerId,
        ready: bool,
    },
    /// The lobby is gone: started, cancelled or expired. Stream `lobby/<id>`.
    LobbyClosed { lobby: LobbyId, started: bool },
    /// A battle began: its seed, every fighter as it entered (stats and equipment already
    /// folded in), the enemy's kit, and the content version. Stream `battle/<id>`.
    Started {
        battle: BattleId,
        mode: BattleMode,
        seed: Seed,
        fighters: Vec<Fighter>,
        enemy: Option<EnemySnapshot>,
        content_version: [u8; 32],
        rated: bool,
        stake: u64,
        deadline: Timestamp,
    },
    /// A participant chose this turn's action (the input a replay needs). Stream `battle/<id>`.
    ActionChosen {
        battle: BattleId,
        turn: u32,
        fighter: u8,
        action: Action,
    },
    /// The turn was resolved: what happened (derived; a replay recomputes it), the state hash
    /// after it, and the next turn's deadline. `timed_out` lists fighters who defaulted.
    /// Stream `battle/<id>`.
    TurnResolved {
        battle: BattleId,
        turn: u32,
        log: Vec<Hit>,
        timed_out: Vec<u8>,
        /// A decimal string in JSON: JavaScript cannot hold a 64-bit number exactly.
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_decimal",
            deserialize_with = "crate::ids::json_ids::deserialize_decimal"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::decimal_schema")]
        state_hash: u64,
        deadline: Timestamp,
    },
    /// A participant gave up. Stream `battle/<id>`.
    Surrendered { battle: BattleId, fighter: u8 },
    /// The battle is over. The seed is public from here on. Stream `battle/<id>`.
    Ended {
        battle: BattleId,
        outcome: SimOutcome,
        turns: u32,
        seed: Seed,
    },
    /// A rated duel changed a rating. Stream `user/<player>`.
    RatingChanged {
        player: PlayerId,
        opponent: PlayerId,
        battle: BattleId,
        before: u32,
        after: u32,
    },
    /// Stream `user/<player>`.
    Queued { player: PlayerId },
    /// Stream `user/<player>`.
    Unqueued { player: PlayerId },
    /// A tournament's bracket, in seat order (1 v 2, 3 v 4, …). Stream `lobby/<id>`.
    TournamentStarted {
        tournament: LobbyId,
        players: Vec<PlayerId>,
    },
    /// A tournament match was decided. Stream `lobby/<id>`.
    TournamentMatchWon {
        tournament: LobbyId,
        round: u8,
        winner: PlayerId,
        battle: BattleId,
    },
    /// Stream `lobby/<id>`.
    TournamentWon {
        tournament: LobbyId,
        winner: PlayerId,
    },
    /// Schema 4. The rest of a battle's start, recorded right after `Started`: what each
    /// fighter wears (the equipped item ids, by slot order, of each pet; nothing for an enemy;
    /// in seat order: the stats in `Started` already include them) and the version of the
    /// battle rules it is played under (`sim::RULES_VERSION`). A battle recorded without one
    /// is played under rules 1. Stream `battle/<id>`.
    Setup {
        battle: BattleId,
        worn: Vec<Vec<crate::pets::content::ItemId>>,
        rules: u8,
    },
    /// Schema 5. The tournament ended without a champion because round `round` could not
    /// start (a player in it could not field a pet); everyone in it is free again (there are
    /// no tournament stakes to refund). Stream `lobby/<id>`.
    TournamentCancelled { tournament: LobbyId, round: u8 },
}

/// The enemy as the battle knows it; copied so replays never depend on today's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EnemySnapshot {
    pub id: String,
    pub kind: crate::battle::content::EnemyKind,
    pub rarity: Rarity,
    /// The enemy's health before party scaling (rewards are computed from it).
    pub base_hp: u32,
    pub kit: EnemyKit,
}

impl BattleEvent {
    /// The stream an event belongs to.
    pub fn stream_name(&self) -> String {
        match self {
            BattleEvent::ChallengeIssued { challenge, .. }
            | BattleEvent::ChallengeAccepted { challenge, .. }
            | BattleEvent::ChallengeDeclined { challenge }
            | BattleEvent::ChallengeExpired { challenge } => format!("challenge/{challenge}"),
            BattleEvent::LobbyOpened { lobby, .. }
            | BattleEvent::LobbyJoined { lobby, .. }
            | BattleEvent::LobbyLeft { lobby, .. }
            | BattleEvent::LobbyReady { lobby, .. }
            | BattleEvent::LobbyClosed { lobby, .. }
            | BattleEvent::TournamentStarted {
                tournament: lobby, ..
            }
            | BattleEvent::TournamentMatchWon {
                tournament: lobby, ..
            }
            | BattleEvent::TournamentWon {
                tournament: lobby, ..
            }
            | BattleEvent::TournamentCancelled {
                tournament: lobby, ..
            } => format!("lobby/{lobby}"),
            BattleEvent::Started { battle, .. }
            | BattleEvent::ActionChosen { battle, .. }
            | BattleEvent::Setup { battle, .. }
            | BattleEvent::TurnResolved { battle, .. }
            | BattleEvent::Surrendered { battle, .. }
            | BattleEvent::Ended { battle, .. } => format!("battle/{battle}"),
            BattleEvent::RatingChanged { player, .. }
            | BattleEvent::Queued { player }
            | BattleEvent::Unqueued { player } => format!("user/{player}"),
        }
    }
}
