//! Social: talk (jokes, roasts, compliments, blessings, each told from original content and
//! recorded, so a player doesn't hear the same line again soon), the generated Transformer
//! identity of `/spark`, the faction quiz of `/analysis`, and the `/what_is` encyclopedia
//! (a read of the content, no event).
//!
//! What a rule picked (the category, style and line; the generated name; the quiz's faction)
//! is in its event: a replay never re-draws it, and content edited later changes no identity.

mod command;
pub mod content;
mod event;
mod rules;
mod state;

pub mod view;

use serde::{Deserialize, Serialize};

pub use command::SocialCommand;
pub use event::SocialEvent;
pub use rules::{quiz_faction, SocialRejection, RECENT_MAX, SPARK_REFORGE_SECS};
pub use state::{Identity, Milestones, Social};

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

/// What kind of line is told. Stored: variants are only ever appended.
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
pub enum TalkKind {
    Joke,
    Roast,
    Compliment,
    Blessing,
}

impl TalkKind {
    pub const ALL: [TalkKind; 4] = [
        TalkKind::Joke,
        TalkKind::Roast,
        TalkKind::Compliment,
        TalkKind::Blessing,
    ];

    /// Whether its lines are about someone, in styles (roasts, compliments).
    pub fn is_about(self) -> bool {
        matches!(self, TalkKind::Roast | TalkKind::Compliment)
    }

    pub fn word(self) -> &'static str {
        match self {
            TalkKind::Joke => "joke",
            TalkKind::Roast => "roast",
            TalkKind::Compliment => "compliment",
            TalkKind::Blessing => "blessing",
        }
    }
}

/// What an achievement counts, read from the projections (the highest ever, where the
/// number can fall: a pet's level, profit taken).
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
#[serde(rename_all = "snake_case")]
pub enum Metric {
    BattlesWon,
    PveWins,
    PvpWins,
    TournamentsWon,
    PetLevel,
    SlotSpins,
    SlotJackpots,
    MarketTrades,
    /// Profit taken on the market, in whole energon.
    MarketProfit,
    SparkForged,
    QuizTaken,
    LinesHeard,
}

/// The factions of a generated identity and of the quiz. Stored.
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
#[serde(rename_all = "lowercase")]
pub enum SparkFaction {
    Autobot,
    Decepticon,
    Maverick,
}

impl SparkFaction {
    /// In the order ties are broken (the quiz's highest total; Autobot first).
    pub const ALL: [SparkFaction; 3] = [
        SparkFaction::Autobot,
        SparkFaction::Maverick,
        SparkFaction::Decepticon,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SparkFaction::Autobot => "autobot",
            SparkFaction::Decepticon => "decepticon",
            SparkFaction::Maverick => "maverick",
        }
    }
}

impl Area for Social {
    const NAME: &'static str = "social";
    const TUNING_VERSION: u32 = 1;
    type Command = SocialCommand;
    type Event = SocialEvent;
    type Rejection = SocialRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &SocialCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &SocialEvent, _at: Timestamp) {
        Social::evolve(self, event);
    }

    fn stream(event: &SocialEvent) -> StreamId {
        StreamId::user(event.player())
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // Talk, a spark and the quiz are over when their command is.
        Vec::new()
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // Every pick and the reforge deadline are already in the events.
        events
    }

    fn personal_text(_command: &SocialCommand) -> Option<(&'static str, &str)> {
        None
    }
}
