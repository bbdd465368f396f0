//! What two players ask of a trade between them.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;
use crate::trade::{Asset, TradeId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TradeCommand {
    /// Open a trade with another player; both offers start empty.
    Open { with: PlayerId },
    /// Put `amount` more of `asset` on the asker's side of the offer (energon in units, items
    /// in pieces). Clears both confirmations.
    Add {
        trade: TradeId,
        asset: Asset,
        amount: u64,
    },
    /// Take `amount` of `asset` back off the asker's side. Clears both confirmations.
    Remove {
        trade: TradeId,
        asset: Asset,
        amount: u64,
    },
    /// Agree to the offers as they stand at `revision` (the number the view showed). The
    /// second confirmation at the same revision makes the swap, in one atomic batch.
    Confirm { trade: TradeId, revision: u32 },
    /// Either side calls the trade off; nothing changes hands.
    Cancel { trade: TradeId },
    /// The timer: the trade's deadline has passed (refused before it).
    Expire { trade: TradeId },
}
