//! What happened to recruitment messages. Stored: never reorder or change a variant.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;
use crate::recruit::{FailReason, NationId, SendId};

/// Events of the recruit area, each on the nation's stream (`nation/<id>`). A nation is named
/// by its Politics & War nation id, a public number; its nation and leader names are never
/// stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum RecruitEvent {
    /// Schema 6: a send was decided and is about to leave: from this event on it counts
    /// against both cooldowns, whatever happens to the request.
    Attempted {
        send: SendId,
        nation: NationId,
        /// The template the rule picked (its id in `engine/content/recruit.json`).
        template: u16,
        leader: PlayerId,
    },
    /// Schema 6: the endpoint accepted the send.
    Confirmed { send: SendId, nation: NationId },
    /// Schema 6: the endpoint refused the send; its cooldowns are released.
    Failed {
        send: SendId,
        nation: NationId,
        reason: FailReason,
    },
}
