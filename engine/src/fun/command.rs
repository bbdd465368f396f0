//! What players ask of the fun area.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum FunCommand {
    Hello,
    Ping,
    /// Greet `target`, the server's configured grump, grumpily.
    Grump {
        target: PlayerId,
    },
    /// The asker opts out of being grumped at (`out`), or back in.
    GrumpOptOut {
        out: bool,
    },
}
