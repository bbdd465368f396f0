//! Fun: `/hello` and `/ping`, whose replies escalate while someone keeps at it and calm down
//! after a quiet window (the ladder is state in the log), and `/grump`, which greets the
//! configured grump with a grumpy line, at most once an hour per player and once every ten
//! minutes for the grump, who can opt out (the original had no cooldown and no way out).
//!
//! The shooting range (`range.rs`): sessions of 5 to 100 rounds, one target of five buttons
//! per round, reaction times measured from the round's showing to the press's own timestamp,
//! accuracy ranks and records per session length.
//!
//! Trivia (`trivia.rs`): one session per channel, questions drawn without repetition, one
//! answer per player per question, the first right answer wins it; a question left alone
//! times out, and a session nobody plays any more ends.
//!
//! WalkTru (`walk.rs`, stories in `story.rs`): six branching stories with a meter each, one
//! walk per story per player, saved in the log so a player resumes where they were.
//!
//! Combiner teams (`combiner.rs`): six players' pets, one per part, formed by presses and
//! named by the dice.
//!
//! What a rule decided (the rung, the line, when the next grump may come, where a target is,
//! how fast a press was, the rank and whether it is a record) is in its event.

pub mod combiner;
mod command;
pub mod content;
mod event;
pub mod games;
pub mod mega;
mod range;
mod rules;
mod state;
pub mod story;
pub(crate) mod trivia;
mod walk;

pub mod view;

use serde::{Deserialize, Serialize};

pub use command::FunCommand;
pub use event::{FunEvent, ShotOutcome};
pub use range::{
    lapsed, rank, RANGE_BUTTONS, RANGE_COUNTDOWN_SECS, RANGE_IDLE_SECS, RANGE_ROUNDS,
    ROUND_WINDOW_MS,
};
pub use rules::{
    FunRejection, GRUMP_COOLDOWN_SECS, GRUMP_TARGET_COOLDOWN_SECS, HELLO_QUIET_SECS,
    PING_QUIET_SECS,
};
pub use state::{
    CombinerTeam, Fun, Game, RangeRecord, RangeSession, RangeStats, TriviaSession, Walk, WalkStep,
};
pub use trivia::{
    TRIVIA_QUESTIONS_DEFAULT, TRIVIA_QUESTIONS_MAX, TRIVIA_QUESTIONS_MIN, TRIVIA_QUESTION_SECS,
    TRIVIA_QUIET_MAX,
};

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

/// Which escalating reply. Stored: variants are only ever appended.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Ladder {
    Hello,
    Ping,
}

impl Area for Fun {
    const NAME: &'static str = "fun";
    const TUNING_VERSION: u32 = 3;
    type Command = FunCommand;
    type Event = FunEvent;
    type Rejection = FunRejection;

    fn decide(world: &World, ctx: &mut Ctx, command: &FunCommand) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &FunEvent, at: Timestamp) {
        Fun::evolve(self, event, at);
    }

    fn stream(event: &FunEvent) -> StreamId {
        event.stream()
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        Vec::new()
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // The rung, the line and the grump's cooldown are already in the events.
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        command: &FunCommand,
        events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        // A game's custom names, under its creator, one per line.
        let FunCommand::GamesOpen {
            district_names,
            faction_names,
            ..
        } = command
        else {
            return Vec::new();
        };
        let Some((game, creator)) = events.iter().find_map(|e| match e {
            Event::Fun(FunEvent::GamesOpened { game, creator, .. }) => Some((*game, *creator)),
            _ => None,
        }) else {
            return Vec::new();
        };
        [("districts", district_names), ("factions", faction_names)]
            .into_iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(which, names)| crate::personal::PersonalWrite::Put {
                player: creator,
                key: games::names_key(game, which),
                text: names.join("\n"),
            })
            .collect()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
