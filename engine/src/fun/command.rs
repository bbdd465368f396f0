//! What players ask of the fun area.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};

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
    /// Open a shooting-range session of `rounds` rounds (one of [`crate::fun::RANGE_ROUNDS`]).
    RangeStart {
        rounds: u8,
    },
    /// The countdown of the asker's session `session` is over: show its first target.
    RangeReady {
        session: u32,
    },
    /// The asker pressed `button` (0 to 4) on round `round` of session `session`, at
    /// `pressed_at` by the press's own clock (Discord's: the interaction id's timestamp).
    RangeShoot {
        session: u32,
        round: u8,
        button: u8,
        pressed_at: Timestamp,
    },
    /// The system: `player`'s session `session` sat idle too long; it ends, every round not
    /// pressed a miss.
    RangeLapse {
        player: PlayerId,
        session: u32,
    },
}
