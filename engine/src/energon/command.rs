//! What can be asked of the energon economy. Amounts arrive signed, as a person typed them, so
//! that zero and negative amounts can be rejected with a clear reason.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum EnergonCommand {
    /// Operator only: mint `amount` into a player's wallet.
    Credit { player: PlayerId, amount: i64 },
    /// Operator only: burn `amount` from a player's wallet.
    Debit { player: PlayerId, amount: i64 },
    /// Move `amount` from the acting player's wallet to `to`.
    Transfer { to: PlayerId, amount: i64 },
    /// Move `amount` from the wallet into the bank.
    Deposit { amount: i64 },
    /// Move `amount` from the bank into the wallet.
    Withdraw { amount: i64 },
    /// Energon Rush: a safe look around for energon (small, steady finds).
    Scout,
    /// Energon Rush: a risky dig; a pet improves the odds.
    Search,
}
