//! What happened to players. Stored: never reorder or change a variant, add a schema version.

use serde::{Deserialize, Serialize};

use crate::ids::PlayerId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PlayerEvent {
    /// The player was seen for the first time. Public. Stream `user/<player>`.
    Joined { player: PlayerId },
    /// The player was erased (schema 3). Every projection forgets them: the energon they held
    /// (`wallet`, `bank`, `rush` balance) is burned under the erasure rule, their pet, stats,
    /// ratings and leaderboard entries are dropped. Their text left the erasable store before
    /// this was appended. If they come back they join as a new player. Operator-visible. Stream
    /// `user/<player>`.
    Erased {
        player: PlayerId,
        wallet: u64,
        bank: u64,
        rush: u64,
    },
    /// The operator cancelled the erasure confirmation `confirmation` for this player
    /// (schema 5): it can no longer erase them. Operator-visible. Stream `user/<player>`.
    ErasureCancelled { player: PlayerId, confirmation: u64 },
    /// Schema 11: the player was brought over from the original bot's file, whose SHA-256
    /// begins with `source` (the first 16 bytes); right after their `Joined`. What they had
    /// follows in the same batch (`Credited` under `LedgerRule::LegacyImport`, `Deposited`,
    /// `PetEvent::Imported`, `SlotsEvent::Imported`, `MarketEvent::Imported`).
    /// Operator-visible. Stream `user/<player>`.
    Imported {
        player: PlayerId,
        /// 32 hex digits in JSON.
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        source: u128,
    },
}

impl PlayerEvent {
    pub fn player(&self) -> PlayerId {
        match self {
            PlayerEvent::Joined { player }
            | PlayerEvent::Erased { player, .. }
            | PlayerEvent::ErasureCancelled { player, .. }
            | PlayerEvent::Imported { player, .. } => *player,
        }
    }
}
