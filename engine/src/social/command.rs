//! What players ask of the social area: a line told, a spark forged, the quiz answered.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;
use crate::social::TalkKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SocialCommand {
    /// Tell a line of `kind`: from category `pool` (any when `None`) and, for roasts and
    /// compliments, in `style` (any when `None`) about `about` (the teller when `None`).
    Tell {
        kind: TalkKind,
        pool: Option<String>,
        style: Option<String>,
        about: Option<PlayerId>,
    },
    /// Forge the teller's Transformer identity; `reforge` replaces one they have (once a day).
    Spark { reforge: bool },
    /// The faction quiz, answered: one answer index per question, in order.
    TakeQuiz { answers: Vec<u8> },
}
