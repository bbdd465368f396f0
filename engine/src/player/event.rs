//! What happened to players. Stored: never reorder or change a variant, add a schema version.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PlayerEvent {
    /// The player was seen for the first time. Public. Stream `user/<player>`.
    Joined { player: PlayerId },
}
