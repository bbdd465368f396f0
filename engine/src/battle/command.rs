//! What players (and the engine's timer worker) can ask of the battle system.

use serde::{Deserialize, Serialize};

use crate::battle::sim::Action;
use crate::battle::{BattleId, ChallengeId, LobbyId};
use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum BattleCommand {
    /// Fight one enemy alone.
    StartSolo {
        enemy: String,
    },
    /// Open a lobby others can join. `stake` (0 for none) is escrowed from each member as they
    /// join and paid to the winners, or refunded if the lobby never starts.
    OpenLobby {
        kind: LobbyKind,
        stake: i64,
    },
    /// Join a lobby, optionally on a chosen side (team battles: 0 or 1).
    JoinLobby {
        lobby: LobbyId,
        side: Option<u8>,
    },
    LeaveLobby {
        lobby: LobbyId,
    },
    SetReady {
        lobby: LobbyId,
        ready: bool,
    },
    /// The creator starts the lobby once everyone in it is ready.
    StartLobby {
        lobby: LobbyId,
    },
    /// The creator closes the lobby; stakes are refunded.
    CancelLobby {
        lobby: LobbyId,
    },
    /// Operator or timer: close a lobby past its expiry; stakes are refunded.
    ExpireLobby {
        lobby: LobbyId,
    },
    /// Challenge one player to a duel, with an optional stake escrowed from both at accept.
    Challenge {
        opponent: PlayerId,
        stake: i64,
    },
    AcceptChallenge {
        challenge: ChallengeId,
    },
    DeclineChallenge {
        challenge: ChallengeId,
    },
    /// Operator or timer: drop a challenge past its expiry.
    ExpireChallenge {
        challenge: ChallengeId,
    },
    /// Choose this turn's action. `turn` must be the current turn, so a stale button is refused.
    Act {
        battle: BattleId,
        turn: u32,
        action: Action,
    },
    /// Operator or timer: the turn's deadline has passed; whoever hasn't chosen defends.
    Timeout {
        battle: BattleId,
        turn: u32,
    },
    Surrender {
        battle: BattleId,
    },
    /// Wait for a rated duel against someone near your rating.
    QueueRanked,
    LeaveQueue,
}

/// What a lobby is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum LobbyKind {
    /// Up to four players against one boss, titan or monster.
    GroupPve { enemy: String },
    /// Two sides of `per_side` (2, 3 or 4) players, balanced by level at the start.
    Team { per_side: u8 },
    /// Everyone for themselves, 2 to 4 players.
    FreeForAll,
    /// Single elimination for exactly `size` (4 or 8) players.
    Tournament { size: u8 },
}
