//! Social: talk (jokes, roasts, compliments, blessings, each told from original content and
//! recorded, so a player doesn't hear the same line again soon), the generated Transformer
//! identity of `/spark`, the faction quiz of `/analysis`, and the `/what_is` encyclopedia
//! (a read of the content, no event), each server's lore (entries kept by `/add_lore` or
//! quoted from a message; the words in the erasable store, the log knowing only who kept what
//! and a keyed digest of the title), the roles a server gives quiz results (an intent event
//! the role worker carries out), and opting in to word counting for `/user_says` (counts in
//! the erasable store, merged through the core, never in an event).
//!
//! What a rule picked (the category, style and line; the generated name; the quiz's faction)
//! is in its event: a replay never re-draws it, and content edited later changes no identity.

mod command;
pub mod content;
mod event;
mod rules;
mod state;
pub mod story;

pub mod view;

use serde::{Deserialize, Serialize};

pub use command::SocialCommand;
pub use event::SocialEvent;
pub use rules::{
    quiz_faction, SocialRejection, LORE_PER_GUILD_MAX, LORE_TEXT_MAX, LORE_TITLE_MAX, RECENT_MAX,
    ROLE_REASON_MAX, SPARK_REFORGE_SECS,
};
pub use state::{GuildLore, Identity, LoreEntry, Milestones, RoleRequest, Social};

use crate::area::{Area, Engagement};
use crate::ids::{Actor, PlayerId, Snowflake, StreamId, Timestamp};
use crate::personal::PersonalWrite;
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
    /// Lore entries kept, ever.
    LoreWritten,
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

    /// The faction's name, capitalised, for messages.
    pub fn name(self) -> &'static str {
        match self {
            SparkFaction::Autobot => "Autobot",
            SparkFaction::Decepticon => "Decepticon",
            SparkFaction::Maverick => "Maverick",
        }
    }
}

/// The message a lore entry quotes: who wrote it, where. Stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Quote {
    pub author: PlayerId,
    pub channel: Snowflake,
    pub message: Snowflake,
}

/// Which of a lore entry's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LorePart {
    Title,
    Text,
}

/// The erasable store's key of a lore entry's title (under whoever kept it) or text (under
/// whoever wrote it).
pub fn lore_key(guild: Snowflake, number: u32, part: LorePart) -> String {
    let part = match part {
        LorePart::Title => "title",
        LorePart::Text => "text",
    };
    format!("lore/{guild}/{number}/{part}")
}

/// A title as titles are compared: trimmed, spaces collapsed, lower case (`Optimus  Prime`
/// and `optimus prime` are one title).
pub fn title_form(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The purpose a lore title's key is derived for (`Engine::text_key`).
pub const TITLE_KEY_PURPOSE: &str = "lore-title";

/// The erasable store's key of a player's word counts.
pub const KEY_WORD_COUNTS: &str = "words.counts";
/// The most words whose counts are kept per player (the most said).
pub const WORDS_KEPT: usize = 200;

/// Word counts as stored: one `word count` line each, most said first (ties by word).
pub fn parse_word_counts(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter_map(|line| {
            let (word, count) = line.rsplit_once(' ')?;
            Some((word.to_string(), count.parse().ok()?))
        })
        .collect()
}

/// `old` (as stored) plus `words`, keeping the [`WORDS_KEPT`] most said, as stored.
pub fn merge_word_counts(old: &str, words: &[(String, u32)]) -> String {
    let mut counts: std::collections::BTreeMap<String, u64> =
        parse_word_counts(old).into_iter().collect();
    for (word, n) in words {
        *counts.entry(word.clone()).or_default() += u64::from(*n);
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(WORDS_KEPT);
    ranked
        .iter()
        .map(|(word, n)| format!("{word} {n}\n"))
        .collect()
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

    fn evolve(&mut self, event: &SocialEvent, at: Timestamp) {
        Social::evolve(self, event, at);
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

    fn personal_writes(
        world: &World,
        _actor: Actor,
        command: &SocialCommand,
        events: &[Event],
    ) -> Vec<PersonalWrite> {
        let mut writes = Vec::new();
        for event in events {
            match (event, command) {
                (
                    Event::Social(SocialEvent::LoreAdded {
                        guild,
                        number,
                        author,
                        quote,
                        ..
                    }),
                    SocialCommand::AddLore { title, text, .. },
                ) => {
                    writes.push(PersonalWrite::Put {
                        player: *author,
                        key: lore_key(*guild, *number, LorePart::Title),
                        text: title.trim().to_string(),
                    });
                    writes.push(PersonalWrite::Put {
                        player: quote.map_or(*author, |q| q.author),
                        key: lore_key(*guild, *number, LorePart::Text),
                        text: text.trim().to_string(),
                    });
                }
                (Event::Social(SocialEvent::LoreDeleted { guild, number, .. }), _) => {
                    if let Some(entry) = view::lore_entry(world, *guild, *number) {
                        writes.push(PersonalWrite::Remove {
                            player: entry.author,
                            key: lore_key(*guild, *number, LorePart::Title),
                        });
                        writes.push(PersonalWrite::Remove {
                            player: entry.writer(),
                            key: lore_key(*guild, *number, LorePart::Text),
                        });
                    }
                }
                (Event::Social(SocialEvent::WordsCounting { player, on: false }), _) => {
                    writes.push(PersonalWrite::Remove {
                        player: *player,
                        key: KEY_WORD_COUNTS.to_string(),
                    });
                }
                _ => {}
            }
        }
        writes
    }

    fn texts_left_by_erasure(&self, player: PlayerId) -> Vec<(PlayerId, String)> {
        let mut texts = Vec::new();
        for (guild, entry) in self.lore_of(player) {
            // The erased person's own words go with the erasure; the other person's part of
            // the entry (their title, or their quoted words) has no entry left to belong to.
            if entry.author != player {
                texts.push((entry.author, lore_key(guild, entry.number, LorePart::Title)));
            }
            if entry.writer() != player {
                texts.push((
                    entry.writer(),
                    lore_key(guild, entry.number, LorePart::Text),
                ));
            }
        }
        texts
    }
}
