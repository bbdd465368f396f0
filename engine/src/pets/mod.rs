//! EnergonPets: adopt one robot pet, care for it, train it, send it on missions, equip it.
//!
//! The area has the usual five files plus `content.rs` (item, name and mission definitions) and
//! `tuning.rs` (every number of the rules, in tables). Time-based decay is computed from
//! recorded instants: `evolve` decays a pet up to each event's `recorded_at`, and `decide` up to
//! the envelope's `now`, which is the same instant.

mod command;
pub mod content;
mod event;
mod rules;
mod state;
pub mod tuning;

pub use command::{CareAction, CareLevel, Faction, Intensity, MissionDifficulty, PetCommand};
pub use event::PetEvent;
pub use rules::{
    decide, experience_events, is_valid_name, pick_item, pick_item_in, pick_item_of_rarity,
    PetRejection, NAME_LEN_MAX_CHARS,
};
pub use state::{BattleProfile, InventoryPage, Pet, PetStats, Pets, Resource};
