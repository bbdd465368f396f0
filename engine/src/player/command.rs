//! What a player can ask of the players area.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PlayerCommand {
    /// First contact. Accepted with no events when the player is already known.
    Join,
}
