//! Players: the profile every player gets on first contact.
//!
//! Profiles hold no personal data: a player is their id. Display names live in the adapter's
//! erasable store, never in events.

mod command;
mod event;
mod rules;
mod state;

pub use command::PlayerCommand;
pub use event::PlayerEvent;
pub use rules::{decide, engagement, Engagement, PlayerRejection};
pub use state::{Players, Profile};
