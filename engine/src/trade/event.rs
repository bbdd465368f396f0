//! What happened to trades. Stored: never reorder or change a variant; add a schema version.
//! Every event's stream is `trade/<id>`; the swap's energon and item legs are the energon and
//! pets areas' own events, in the same batch as `Completed`.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::trade::{Asset, TradeId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TradeEvent {
    /// Schema 10: `by` opened a trade with `with`, open until `expires_at` (decided from the
    /// trade's time to live when it opened).
    Opened {
        trade: TradeId,
        by: PlayerId,
        with: PlayerId,
        expires_at: Timestamp,
    },
    /// `player` put `amount` more of `asset` on their side (the offer's revision goes up and
    /// both confirmations are cleared).
    Added {
        trade: TradeId,
        player: PlayerId,
        asset: Asset,
        amount: u64,
    },
    /// `player` took `amount` of `asset` back (revision up, confirmations cleared).
    Removed {
        trade: TradeId,
        player: PlayerId,
        asset: Asset,
        amount: u64,
    },
    /// `player` agreed to the offers at `revision`.
    Confirmed {
        trade: TradeId,
        player: PlayerId,
        revision: u32,
    },
    /// Both agreed: the offers changed hands (the legs are in the same batch).
    Completed { trade: TradeId },
    /// `by` called the trade off.
    Cancelled { trade: TradeId, by: PlayerId },
    /// The deadline passed with the trade still open.
    Expired { trade: TradeId },
    /// `player` was erased, which ended the trade (nothing changed hands).
    Withdrawn { trade: TradeId, player: PlayerId },
}

impl TradeEvent {
    pub fn trade(&self) -> TradeId {
        match self {
            TradeEvent::Opened { trade, .. }
            | TradeEvent::Added { trade, .. }
            | TradeEvent::Removed { trade, .. }
            | TradeEvent::Confirmed { trade, .. }
            | TradeEvent::Completed { trade }
            | TradeEvent::Cancelled { trade, .. }
            | TradeEvent::Expired { trade }
            | TradeEvent::Withdrawn { trade, .. } => *trade,
        }
    }
}
