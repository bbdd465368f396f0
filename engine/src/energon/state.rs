//! The wallets projection, with the running totals the conservation audit needs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::energon::{EnergonEvent, Flow};
use crate::ids::PlayerId;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wallets {
    balances: BTreeMap<PlayerId, u64>,
    /// Everything minting rules ever created. u128 so that it can't overflow before balances do.
    minted_total: u128,
    /// Everything burning rules ever destroyed.
    burned_total: u128,
}

impl Wallets {
    pub fn balance(&self, player: PlayerId) -> u64 {
        self.balances.get(&player).copied().unwrap_or(0)
    }

    pub fn minted_total(&self) -> u128 {
        self.minted_total
    }

    pub fn burned_total(&self) -> u128 {
        self.burned_total
    }

    /// Sum of every wallet.
    pub fn supply(&self) -> u128 {
        self.balances.values().map(|b| u128::from(*b)).sum()
    }

    /// The conservation law: supply == minted - burned. Checked by tests and `admin integrity`.
    pub fn is_conserved(&self) -> bool {
        self.minted_total.checked_sub(self.burned_total) == Some(self.supply())
    }

    /// Total: rules guarantee a debit never exceeds the balance; if a corrupt log says otherwise
    /// the balance saturates at 0 and the audit reports the mismatch.
    pub fn evolve(&mut self, event: &EnergonEvent) {
        match event {
            EnergonEvent::Credited {
                player,
                amount,
                rule,
            } => {
                let balance = self.balances.entry(*player).or_insert(0);
                *balance = balance.saturating_add(*amount);
                if rule.flow() == Flow::Mint {
                    self.minted_total += u128::from(*amount);
                }
            }
            EnergonEvent::Debited {
                player,
                amount,
                rule,
            } => {
                let balance = self.balances.entry(*player).or_insert(0);
                *balance = balance.saturating_sub(*amount);
                if rule.flow() == Flow::Burn {
                    self.burned_total += u128::from(*amount);
                }
            }
        }
    }
}
