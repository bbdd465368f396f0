//! What a player (or the operator) can ask of the players area.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PlayerCommand {
    /// First contact. Accepted with no events when the player is already known.
    Join,
    /// The operator, or the player themselves (`/forget_me`): forget a player for good (an
    /// abandoned or test account, or a person who asked to be deleted). Their balances are burned under the erasure rule, their pet and
    /// every per-player projection are dropped, and the text they wrote is removed from the
    /// erasable store. Refused while they fight a battle or are still in a tournament (both end
    /// on their own); from a lobby, the ranked queue or a challenge they are withdrawn first,
    /// their stakes refunded and then burned with the wallet.
    Erase { player: PlayerId },
    /// The operator, or the player for themselves: the erasure confirmation `confirmation` (a number the adapter puts on
    /// the view) was cancelled for these players, so it can no longer erase them.
    CancelErasure {
        players: Vec<PlayerId>,
        confirmation: u64,
    },
    /// The operator, or the player for themselves: `Erase`, pressed on the confirmation `confirmation`; refused if that
    /// confirmation was cancelled. A confirmation is single-use: cancelling consumes it.
    EraseConfirmed { player: PlayerId, confirmation: u64 },
    /// The operator only (`allspark import-legacy`, schema 11): bring one player over from the
    /// original bot's files, all of it in one batch or nothing. Refused for a player who
    /// already plays here (joined or imported before), so a second run changes nothing.
    ImportLegacy(Box<crate::legacy::LegacyImport>),
}
