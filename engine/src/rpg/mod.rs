//! The RPG: up to three characters per player (class, faction, stats, gear, levels, a combat
//! record), and group adventures. A party of up to four forms in a channel and plays segments:
//! a skill challenge (the first member to choose picks the party's approach; everyone rolls
//! d20 + that stat against the difficulty class; a strict majority wins), a story crossroads
//! (a three-way vote with a deadline, ties broken by the dice), or a battle fought by the
//! party's characters in the battle simulator (`BattleMode::Adventure`), so an RPG battle
//! replays and verifies like any other. A chronicle is a long adventure for a channel, chapter
//! by chapter, until it is stopped or its chapters run out.
//!
//! Words come from a storyteller outside the core: a segment's start records
//! `NarrationRequested` with a [`Brief`] (facts only: classes, factions, levels, the place,
//! the last moments, and the lines the offline storyteller is to use), a worker in the adapter
//! asks a model or the offline storyteller ([`story`]), and `RpgCommand::Narrate` records the
//! text as `Narrated`. Play never waits on the words: approaches and votes come from content.
//! A replay rebuilds the same adventure without asking anyone.
//!
//! What a rule decided (starting stats, level gains, rolls, the place, the closing lines,
//! loot) is in its event.

mod command;
pub mod content;
mod event;
pub(crate) mod rules;
mod state;
pub mod story;
pub mod tuning;
pub mod view;

use serde::{Deserialize, Serialize};

pub use command::RpgCommand;
pub use content::{Difficulty, GearKind, Stat, Stats};
pub use event::RpgEvent;
pub use rules::{is_valid_narration, RpgRejection};
pub use state::{Adventure, Character, Record, Roll, Rpg, Segment, SegmentResult};

use crate::area::{Area, Engagement};
use crate::battle::BattleId;
use crate::ids::{Actor, PlayerId, StreamId, Timestamp};
use crate::personal::PersonalWrite;
use crate::pets::Faction;
use crate::world::{Ctx, Event, Rejection, World};

/// Which adventure a party plays. Stored: variants are only ever appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AdventureKind {
    /// Each segment a challenge, a story or a battle, by the dice.
    Random,
    Battle,
    Event,
    Story,
    /// A channel's long adventure: challenges and stories, chapter by chapter.
    Chronicle,
}

impl AdventureKind {
    pub const ALL: [AdventureKind; 5] = [
        AdventureKind::Random,
        AdventureKind::Battle,
        AdventureKind::Event,
        AdventureKind::Story,
        AdventureKind::Chronicle,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AdventureKind::Random => "random",
            AdventureKind::Battle => "battle",
            AdventureKind::Event => "event",
            AdventureKind::Story => "story",
            AdventureKind::Chronicle => "chronicle",
        }
    }
}

/// What a segment is. Stored in `SegmentOpened`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SegmentPlan {
    /// A skill challenge and its difficulty class, decided at the opening.
    Event { challenge: String, class: u32 },
    /// A story crossroads (its three choices are content).
    Story { crossroad: String },
    /// A battle against an enemy of the battle content.
    Battle { battle: BattleId, enemy: String },
}

/// Who wrote a narration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum NarrationSource {
    /// The offline storyteller, from this project's templates.
    Offline,
    /// A chat-completion model.
    Model,
    /// A model was asked and failed; the offline storyteller answered instead.
    Fallback,
}

/// How an adventure ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AdventureOutcome {
    /// Every segment played.
    Completed,
    /// The party lost a battle.
    Defeated,
    /// Its creator or the operator stopped it.
    Stopped,
    /// Nobody was left in it.
    Deserted,
}

/// A party member as the storyteller knows them: never a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Seat {
    pub class: String,
    pub faction: Faction,
    pub level: u32,
}

/// What happened in an earlier segment, for the storyteller's continuity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Moment {
    Challenge { challenge: String, success: bool },
    Story { crossroad: String, choice: u8 },
    Battle { enemy: String, won: bool },
}

/// A pool of the offline storyteller's sentences.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Pool {
    Opening,
    Complication,
    BattleIntro,
    Hook,
    Closing,
    Victory,
    Defeat,
}

/// One sentence of a pool, by its index in `rpg_tales.json`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Line {
    pub pool: Pool,
    pub index: u16,
}

/// What a storyteller is told about a segment: facts only (no names, no player's text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Brief {
    pub kind: AdventureKind,
    /// The segment's number, from 0.
    pub segment: u8,
    pub place: String,
    pub plan: SegmentPlan,
    pub seats: Vec<Seat>,
    /// The last moments of the adventure, oldest first.
    pub moments: Vec<Moment>,
    /// The sentences the offline storyteller tells this segment with, chosen by the dice
    /// among those the adventure has not used lately.
    pub lines: Vec<Line>,
}

impl Area for Rpg {
    const NAME: &'static str = "rpg";
    const TUNING_VERSION: u32 = 1;
    type Command = RpgCommand;
    type Event = RpgEvent;
    type Rejection = RpgRejection;

    fn decide(world: &World, ctx: &mut Ctx, command: &RpgCommand) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &RpgEvent, at: Timestamp) {
        Rpg::evolve(self, event, at);
    }

    fn stream(event: &RpgEvent) -> StreamId {
        event.stream()
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, player: PlayerId) -> Vec<Engagement> {
        match self
            .party_of
            .get(&player)
            .and_then(|n| self.adventures.get(n))
        {
            Some(adventure) if adventure.started.is_none() => vec![Engagement::Lobby],
            Some(adventure) if adventure.kind == AdventureKind::Chronicle => Vec::new(),
            Some(_) => vec![Engagement::Adventure],
            None => Vec::new(),
        }
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // Starting stats, level gains, rolls and loot are already in the events.
        events
    }

    fn personal_writes(
        _world: &World,
        actor: Actor,
        command: &RpgCommand,
        events: &[Event],
    ) -> Vec<PersonalWrite> {
        let mut writes = Vec::new();
        for event in events {
            match (event, command, actor) {
                (
                    Event::Rpg(RpgEvent::CharacterCreated {
                        player, character, ..
                    }),
                    RpgCommand::CreateCharacter { name, .. },
                    Actor::Player(_),
                ) => writes.push(PersonalWrite::Put {
                    player: *player,
                    key: name_key(*character),
                    text: name.clone(),
                }),
                (Event::Rpg(RpgEvent::CharacterKilled { player, character }), _, _) => {
                    writes.push(PersonalWrite::Remove {
                        player: *player,
                        key: name_key(*character),
                    })
                }
                _ => {}
            }
        }
        writes
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}

/// The erasable store's key for a character's name.
pub fn name_key(character: u32) -> String {
    format!("rpg.character.{character}.name")
}
