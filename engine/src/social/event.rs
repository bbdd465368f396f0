//! What happened in the social area. Stored: never reorder or change a variant; add new ones
//! at the end.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Snowflake, Timestamp};
use crate::social::{SparkFaction, TalkKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SocialEvent {
    /// `player` was told line `line` of category `pool` (in `style`, for roasts and
    /// compliments, about `about`). Stream `user/<player>`.
    Told {
        player: PlayerId,
        kind: TalkKind,
        pool: String,
        style: Option<String>,
        line: u16,
        about: Option<PlayerId>,
    },
    /// `player`'s spark was forged: a generated name (not personal: drawn from the content's
    /// tables), faction, class, epithet and motto; they may reforge from `reforge_at`. Stream
    /// `user/<player>`.
    SparkForged {
        player: PlayerId,
        name: String,
        faction: SparkFaction,
        class: String,
        epithet: String,
        motto: String,
        reforge_at: Timestamp,
    },
    /// `player` took the faction quiz: their answers and the faction they came out as. Stream
    /// `user/<player>`.
    QuizTaken {
        player: PlayerId,
        answers: Vec<u8>,
        faction: SparkFaction,
    },
    /// Schema 15: entry `number` of `guild`'s lore was kept by `author`. Its title and text
    /// are in the erasable store ([`crate::social::lore_key`]); the event has only the title's
    /// keyed digest. Stream `user/<author>`.
    LoreAdded {
        guild: Snowflake,
        number: u32,
        author: PlayerId,
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        title_key: u128,
        quote: Option<crate::social::Quote>,
    },
    /// Schema 15: entry `number` of `guild`'s lore was deleted by `by`. Stream `user/<by>`.
    LoreDeleted {
        guild: Snowflake,
        number: u32,
        by: PlayerId,
    },
    /// Schema 15: `by` mapped `faction`'s quiz result in `guild` to `role` (`None`: to no
    /// role). Stream `user/<by>`.
    QuizRoleMapped {
        guild: Snowflake,
        faction: SparkFaction,
        role: Option<Snowflake>,
        by: PlayerId,
    },
    /// Schema 15: the intent to give `player` role `role` in `guild` for their quiz result,
    /// taking away `remove` (the other results' roles). The role worker carries it out
    /// (adding and removing a role are idempotent on Discord, so a retry is harmless) and
    /// answers with `QuizRoleResult`. Stream `user/<player>`.
    QuizRoleRequested {
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        request: u128,
        guild: Snowflake,
        player: PlayerId,
        role: Snowflake,
        remove: Vec<Snowflake>,
    },
    /// Schema 15: what came of request `request`. Stream `user/<player>`.
    QuizRoleSettled {
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        request: u128,
        player: PlayerId,
        granted: bool,
        reason: Option<String>,
    },
    /// Schema 15: `player` turned counting of their words on or off. Stream `user/<player>`.
    WordsCounting { player: PlayerId, on: bool },
    /// Schema 22: `player` was told a `kind` line about `about` written by a model, as asked
    /// for category `pool` and `style` (`None`: any); `text` calls the person `{target}` and
    /// holds no name. Stream `user/<player>`.
    ToldByModel {
        player: PlayerId,
        kind: TalkKind,
        pool: Option<String>,
        style: Option<String>,
        about: PlayerId,
        text: String,
    },
}

impl SocialEvent {
    pub fn player(&self) -> PlayerId {
        match self {
            SocialEvent::Told { player, .. }
            | SocialEvent::ToldByModel { player, .. }
            | SocialEvent::SparkForged { player, .. }
            | SocialEvent::QuizTaken { player, .. }
            | SocialEvent::QuizRoleRequested { player, .. }
            | SocialEvent::QuizRoleSettled { player, .. }
            | SocialEvent::WordsCounting { player, .. } => *player,
            SocialEvent::LoreAdded { author, .. } => *author,
            SocialEvent::LoreDeleted { by, .. } | SocialEvent::QuizRoleMapped { by, .. } => *by,
        }
    }
}
