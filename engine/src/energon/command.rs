//! What can be asked of the energon ledger. Amounts arrive signed, as a person typed them, so
//! that zero and negative amounts can be rejected with a clear reason.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnergonCommand {
    /// Operator only: mint `amount` into a player's wallet.
    Credit { player: PlayerId, amount: i64 },
    /// Operator only: burn `amount` from a player's wallet.
    Debit { player: PlayerId, amount: i64 },
    /// Move `amount` from the acting player's wallet to `to`.
    Transfer { to: PlayerId, amount: i64 },
}
