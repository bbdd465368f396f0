//! What the recruitment worker asks of the recruit area: record a send before it leaves, then
//! its outcome.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;
use crate::recruit::{FailReason, NationId, SendId};

/// Commands of the recruit area. Only the operator or the system (the adapter's send worker,
/// acting for a leader the adapter has checked against its configuration) may give them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum RecruitCommand {
    /// Records the intent to message `nation` for `leader`, before the request leaves. The
    /// engine checks both cooldowns, picks the template with the command's dice among those the
    /// nation may still receive, and numbers the send.
    Attempt { nation: NationId, leader: PlayerId },
    /// The endpoint accepted the send.
    Confirm { send: SendId },
    /// The endpoint definitely refused the send (nothing was delivered), which releases the
    /// cooldowns it held. An unknown outcome is never reported this way: the send stays
    /// attempted, counts against the cooldowns and awaits review.
    Fail { send: SendId, reason: FailReason },
}
