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
pub use event::{Foundation, LegacyPet, PetEvent};
pub use rules::{
    experience_events, is_valid_name, is_valid_name_within, pick_item, pick_item_in,
    pick_item_of_rarity, PetRejection, NAME_LEN_MAX_CHARS,
};
pub use state::{Activity, BattleProfile, InventoryPage, Pet, PetStats, Pets, Resource};

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::personal::KEY_PET_NAME;
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Pets {
    const NAME: &'static str = "pets";
    const TUNING_VERSION: u32 = 1;
    type Command = PetCommand;
    type Event = PetEvent;
    type Rejection = PetRejection;

    fn decide(world: &World, ctx: &mut Ctx, command: &PetCommand) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &PetEvent, at: Timestamp) {
        Pets::evolve(self, event, at);
    }

    fn stream(event: &PetEvent) -> StreamId {
        StreamId::user(event.player())
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // Care, training and missions finish within their command.
        Vec::new()
    }

    fn record_decisions(world: &World, now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        rules::record_decisions(world, now, events)
    }

    fn personal_writes(
        _world: &World,
        actor: crate::ids::Actor,
        command: &PetCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        match (command, actor) {
            (PetCommand::Rename { name }, crate::ids::Actor::Player(player)) => {
                vec![crate::personal::PersonalWrite::Put {
                    player,
                    key: KEY_PET_NAME.to_string(),
                    text: name.clone(),
                }]
            }
            _ => Vec::new(),
        }
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
