//! What players ask of the social area: a line told, a spark forged, the quiz answered, lore
//! kept for a server, the quiz's roles mapped, and word counting turned on or off.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Snowflake};
use crate::social::{Quote, SparkFaction, TalkKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SocialCommand {
    /// Tell a line of `kind`: from category `pool` (any when `None`) and, for roasts and
    /// compliments, in `style` (any when `None`) about `about` (the teller when `None`).
    /// `words`, for roasts and compliments only: a model's line, asked for before the command
    /// and sanitized ([`crate::social::story`]); without it the line comes from the book.
    Tell {
        kind: TalkKind,
        pool: Option<String>,
        style: Option<String>,
        about: Option<PlayerId>,
        #[serde(default)]
        words: Option<String>,
    },
    /// Forge the teller's Transformer identity; `reforge` replaces one they have (once a day).
    Spark { reforge: bool },
    /// The faction quiz, answered: one answer index per question, in order; `guild` is the
    /// server it was taken in (its mapped role is asked for), `None` in DMs.
    TakeQuiz {
        answers: Vec<u8>,
        #[serde(default)]
        guild: Option<Snowflake>,
    },
    /// Keep an entry in `guild`'s lore. `title` and `text` are personal text: they go to the
    /// erasable store (the title under the teller, the text under whoever wrote it: the
    /// teller, or the quoted message's author), never into an event. `title_key` is the
    /// engine's keyed digest of the title as written in this guild ([`crate::Engine::text_key`]),
    /// which is what makes titles unique per server without the title in the log.
    AddLore {
        guild: Snowflake,
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        title_key: u128,
        title: String,
        text: String,
        quote: Option<Quote>,
    },
    /// Delete entry `number` of `guild`'s lore: its author may, and so may a `moderator`
    /// (the adapter says so from the member's Manage Messages permission) or the operator.
    DeleteLore {
        guild: Snowflake,
        number: u32,
        moderator: bool,
    },
    /// Map a quiz result to a role of `guild` (`None`: no role for it). The adapter checks
    /// that the asker may manage roles and that the role gates nothing and carries no
    /// permission.
    MapQuizRole {
        guild: Snowflake,
        faction: SparkFaction,
        role: Option<Snowflake>,
    },
    /// The role worker's answer to a `QuizRoleRequested`: done, or why not (system only).
    QuizRoleResult {
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        request: u128,
        granted: bool,
        reason: Option<String>,
    },
    /// Turn counting of the teller's words (for `/user_says`) on or off; off deletes the
    /// counts.
    CountMyWords { on: bool },
}
