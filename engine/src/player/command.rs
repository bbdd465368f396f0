//! What a player (or the operator) can ask of the players area.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PlayerCommand {
    /// First contact. Accepted with no events when the player is already known.
    Join,
    /// Operator only: forget a player for good (an abandoned or test account, or a person who
    /// asked to be deleted). Their balances are burned under the erasure rule, their pet and
    /// every per-player projection are dropped, and the text they wrote is removed from the
    /// erasable store. Refused while they take part in a battle, lobby, challenge, queue or
    /// tournament, so no stake or opponent is left hanging.
    Erase { player: PlayerId },
}
