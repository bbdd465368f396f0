//! What a player can ask of the slot machine.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SlotsCommand {
    /// One spin. `bet: None` is free mode: it pays nothing and costs nothing.
    Spin {
        difficulty: Difficulty,
        bet: Option<i64>,
    },
}

/// More symbols make matches rarer and the payouts larger.
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
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// Symbols on each reel.
    pub fn n_symbols(self) -> usize {
        match self {
            Difficulty::Easy => 5,
            Difficulty::Medium => 7,
            Difficulty::Hard => 9,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}
