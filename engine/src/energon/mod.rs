//! Energon: wallets, banks, the Energon Rush race and leaderboards. Every balance change is an event that names its ledger rule, so
//! a player can read their own history and an auditor can prove conservation: the sum of all
//! balances equals what minting rules created minus what burning rules destroyed.

mod command;
mod event;
mod rules;
mod state;

pub use command::EnergonCommand;
pub use event::{upcast_v1, EnergonEvent, EnergonEventV1, Flow, LedgerRule, RushFind};
pub use rules::{
    decide, search_bonus, search_weights, EnergonRejection, AMOUNT_MAX, FORAGE_COOLDOWN_SECS,
    RUSH_PRIZE, RUSH_TARGET,
};
pub use state::{Leaderboards, Period, Rush, RushResult, RushStats, Wallets};
