//! The slots area's content: reel themes, one per difficulty (`engine/content/slots.json`).

use serde::{Deserialize, Serialize};

use crate::slots::Difficulty;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotSymbol {
    /// Stable id, e.g. `slot.easy.gear`.
    pub id: String,
    /// One Unicode emoji drawn on the reel.
    pub emoji: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotTheme {
    pub difficulty: Difficulty,
    pub name: String,
    /// The reel's symbols; the last one is the jackpot symbol. Its length is fixed per
    /// difficulty (`Difficulty::n_symbols`), because the payout table depends on it.
    pub symbols: Vec<SlotSymbol>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlotsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub themes: Vec<SlotTheme>,
}
