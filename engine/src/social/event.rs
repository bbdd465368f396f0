//! What happened in the social area. Stored: never reorder or change a variant; add new ones
//! at the end.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
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
}

impl SocialEvent {
    pub fn player(&self) -> PlayerId {
        match self {
            SocialEvent::Told { player, .. }
            | SocialEvent::SparkForged { player, .. }
            | SocialEvent::QuizTaken { player, .. } => *player,
        }
    }
}
