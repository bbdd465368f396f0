//! Energon: the wallet ledger. Every balance change is an event that names its ledger rule, so
//! a player can read their own history and an auditor can prove conservation: the sum of all
//! balances equals what minting rules created minus what burning rules destroyed.

mod command;
mod event;
mod rules;
mod state;

pub use command::EnergonCommand;
pub use event::{upcast_v1, EnergonEvent, EnergonEventV1, Flow, LedgerRule};
pub use rules::{decide, EnergonRejection, AMOUNT_MAX};
pub use state::Wallets;
