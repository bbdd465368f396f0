//! Ledger facts. Stored: never reorder or change a variant; add a schema version instead.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnergonEvent {
    /// `amount` was added to `player`'s wallet under `rule`. Public to the player. Stream
    /// `user/<player>`.
    Credited {
        player: PlayerId,
        amount: u64,
        rule: LedgerRule,
    },
    /// `amount` was taken from `player`'s wallet under `rule`. Public to the player. Stream
    /// `user/<player>`.
    Debited {
        player: PlayerId,
        amount: u64,
        rule: LedgerRule,
    },
}

/// The named rule behind a balance change. Every rule is a mint, a burn or one leg of a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LedgerRule {
    /// The operator granted energon (mint).
    OperatorGrant,
    /// The operator fined a player (burn).
    OperatorFine,
    /// The credit leg of a transfer from another player.
    TransferIn { from: PlayerId },
    /// The debit leg of a transfer to another player.
    TransferOut { to: PlayerId },
}

/// How a rule affects the total amount of energon in existence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Mint,
    Burn,
    /// One leg of a move between wallets: the total is unchanged once both legs are applied.
    Move,
}

impl LedgerRule {
    pub fn flow(self) -> Flow {
        match self {
            LedgerRule::OperatorGrant => Flow::Mint,
            LedgerRule::OperatorFine => Flow::Burn,
            LedgerRule::TransferIn { .. } | LedgerRule::TransferOut { .. } => Flow::Move,
        }
    }
}

/// Schema version 1's ledger events: the prototype had no rules, only operator grants and fines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnergonEventV1 {
    Credited { player: PlayerId, amount: u64 },
    Debited { player: PlayerId, amount: u64 },
}

/// v1 -> v2: in v1 only the operator could move energon, so the rules are grant and fine.
pub fn upcast_v1(event: EnergonEventV1) -> EnergonEvent {
    match event {
        EnergonEventV1::Credited { player, amount } => EnergonEvent::Credited {
            player,
            amount,
            rule: LedgerRule::OperatorGrant,
        },
        EnergonEventV1::Debited { player, amount } => EnergonEvent::Debited {
            player,
            amount,
            rule: LedgerRule::OperatorFine,
        },
    }
}
