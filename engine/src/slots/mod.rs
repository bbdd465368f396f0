//! Slots: three reels, three difficulties, a bet mode and a free mode.
//!
//! Every spin records its reel stops, so a client can animate the exact result, and its payout
//! comes from a fixed table whose return to player is declared here and checked by enumeration
//! and by a million-spin simulation in the tests.

mod command;
pub mod content;
mod event;
mod rules;
mod state;

pub use command::{Difficulty, SlotsCommand};
pub use event::SlotsEvent;
pub use rules::{
    decide, multiplier, spin_reels, SlotsRejection, BET_MAX, BET_MIN, FREE_SPIN_COOLDOWN_SECS,
    RTP_DECLARED_BASIS_POINTS,
};
pub use state::{SlotStats, Slots};
