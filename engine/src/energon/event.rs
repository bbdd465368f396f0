//! Economy facts. Stored: never reorder or change a variant; add new ones at the end.

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum EnergonEvent {
    /// `amount` was added to `player`'s wallet under `rule`. Public to the player. Stream
    /// `user/<player>`.
    Credited {
        player: PlayerId,
        amount: u64,
        rule: LedgerRule,
    },
    /// `amount` was taken from `player`'s wallet under `rule`. Public to the player. Stream
    /// `user/<player>`.
    Debited {
        player: PlayerId,
        amount: u64,
        rule: LedgerRule,
    },
    /// `amount` moved from the wallet into the bank. Stream `user/<player>`.
    Deposited { player: PlayerId, amount: u64 },
    /// `amount` moved from the bank into the wallet. Stream `user/<player>`.
    Withdrew { player: PlayerId, amount: u64 },
    /// Energon Rush: `amount` was found (minted into the player's rush balance for `round`).
    /// Stream `user/<player>`.
    RushFound {
        player: PlayerId,
        round: u32,
        amount: u64,
        find: RushFind,
    },
    /// Energon Rush: `amount` of the player's rush balance was lost (burned). Stream
    /// `user/<player>`.
    RushLost {
        player: PlayerId,
        round: u32,
        amount: u64,
        find: RushFind,
    },
    /// Energon Rush: a search that found nothing. Stream `user/<player>`.
    RushNothing { player: PlayerId, round: u32 },
    /// Energon Rush: `winner` reached the target; every rush balance of `round` is burned and
    /// the next round starts. The prize is a separate `Credited` (rule `RushPrize`). Stream
    /// `rush/<round>`.
    RushRoundWon { round: u32, winner: PlayerId },
    /// `amount` moved from the wallet into escrow `escrow` (a lobby or challenge stake). Stream
    /// `user/<player>`.
    EscrowHeld {
        player: PlayerId,
        /// 32 hex digits in JSON, like the ids it is made from.
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        escrow: u128,
        amount: u64,
    },
    /// `amount` left escrow `escrow` for the player's wallet: a refund, or winnings when
    /// `refund` is false. Stream `user/<player>`.
    EscrowReleased {
        player: PlayerId,
        /// 32 hex digits in JSON, like the ids it is made from.
        #[serde(
            serialize_with = "crate::ids::json_ids::serialize_hex",
            deserialize_with = "crate::ids::json_ids::deserialize_hex"
        )]
        #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
        escrow: u128,
        amount: u64,
        refund: bool,
    },
    /// Schema 5: when the player may scout or search again, as the rule decided it (right after
    /// `RushFound`, `RushLost` or `RushNothing`). Stream `user/<player>`.
    RushCooldownSet {
        player: PlayerId,
        ready_at: Timestamp,
    },
}

/// What kind of rush action produced a find or a loss.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum RushFind {
    Scout,
    SearchSmall,
    SearchMajor,
    SearchLoss,
    SearchDisaster,
}

/// The named rule behind a wallet change. Every rule is a mint, a burn or one leg of a move.
/// Stored: add new rules at the end.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum LedgerRule {
    /// The operator granted energon (mint).
    OperatorGrant,
    /// The operator fined a player (burn).
    OperatorFine,
    /// The credit leg of a transfer from another player.
    TransferIn { from: PlayerId },
    /// The debit leg of a transfer to another player.
    TransferOut { to: PlayerId },
    /// Energon spent on supplies for charging or repairing a pet (burn).
    CareSupplies,
    /// Earned by training a pet (mint).
    TrainingReward,
    /// Earned on a successful mission (mint).
    MissionReward,
    /// A slots bet (burn).
    SlotsBet,
    /// A slots payout (mint).
    SlotsPayout,
    /// The prize for winning an Energon Rush round (mint).
    RushPrize { round: u32 },
    /// Earned in battle (mint).
    BattleReward,
    /// Schema 9: energon paid for CyberCoin, fee included (burn; the coins are minted).
    MarketBuy,
    /// Schema 9: energon received for CyberCoin, after the fee (mint; the coins are burned).
    MarketSale,
    /// Schema 10: the credit leg of a completed trade with another player.
    TradeIn { from: PlayerId },
    /// Schema 10: the debit leg of a completed trade with another player.
    TradeOut { to: PlayerId },
    /// Schema 11: a player's wallet and bank brought over from the original bot's files by
    /// `allspark import-legacy` (mint).
    LegacyImport,
    /// Schema 21: energon an RPG adventure paid (a challenge won, a battle won; mint).
    AdventureReward,
    /// Schema 21: energon a failed RPG challenge cost (burn, never more than the wallet holds).
    AdventureCost,
    /// Schema 22: energon a mega-fight paid each member of both teams (mint).
    MegaFightReward,
}

/// How a rule affects the total amount of energon in existence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Mint,
    Burn,
    /// One leg of a move between wallets: the total is unchanged once both legs are applied.
    Move,
}

impl LedgerRule {
    /// Whether a mint under this rule counts on the earnings boards: what play earned
    /// (training, missions, battles, the Rush). Grants are the operator's, and a slots payout
    /// is the machine giving back (part of) a bet: counting it gross would rank the heaviest
    /// losers as top earners.
    pub fn is_earning(self) -> bool {
        matches!(
            self,
            LedgerRule::TrainingReward
                | LedgerRule::MissionReward
                | LedgerRule::RushPrize { .. }
                | LedgerRule::BattleReward
                | LedgerRule::AdventureReward
                | LedgerRule::MegaFightReward
        )
    }

    pub fn flow(self) -> Flow {
        match self {
            LedgerRule::OperatorGrant
            | LedgerRule::TrainingReward
            | LedgerRule::MissionReward
            | LedgerRule::SlotsPayout
            | LedgerRule::RushPrize { .. }
            | LedgerRule::BattleReward
            | LedgerRule::MarketSale
            | LedgerRule::LegacyImport
            | LedgerRule::AdventureReward
            | LedgerRule::MegaFightReward => Flow::Mint,
            LedgerRule::OperatorFine
            | LedgerRule::CareSupplies
            | LedgerRule::SlotsBet
            | LedgerRule::MarketBuy
            | LedgerRule::AdventureCost => Flow::Burn,
            LedgerRule::TransferIn { .. }
            | LedgerRule::TransferOut { .. }
            | LedgerRule::TradeIn { .. }
            | LedgerRule::TradeOut { .. } => Flow::Move,
        }
    }

    /// Words for a ledger line.
    pub fn label(self) -> String {
        match self {
            LedgerRule::OperatorGrant => "operator grant".into(),
            LedgerRule::OperatorFine => "operator fine".into(),
            LedgerRule::TransferIn { from } => format!("from <@{from}>"),
            LedgerRule::TransferOut { to } => format!("to <@{to}>"),
            LedgerRule::CareSupplies => "care supplies".into(),
            LedgerRule::TrainingReward => "training".into(),
            LedgerRule::MissionReward => "mission".into(),
            LedgerRule::SlotsBet => "slots bet".into(),
            LedgerRule::SlotsPayout => "slots win".into(),
            LedgerRule::RushPrize { round } => format!("Energon Rush round {round} prize"),
            LedgerRule::BattleReward => "battle".into(),
            LedgerRule::MarketBuy => "CyberCoin bought".into(),
            LedgerRule::MarketSale => "CyberCoin sold".into(),
            LedgerRule::TradeIn { from } => format!("trade with <@{from}>"),
            LedgerRule::TradeOut { to } => format!("trade with <@{to}>"),
            LedgerRule::LegacyImport => "brought over from the original bot".into(),
            LedgerRule::AdventureReward => "adventure".into(),
            LedgerRule::AdventureCost => "adventure cost".into(),
            LedgerRule::MegaFightReward => "mega-fight".into(),
        }
    }
}

/// Schema version 1's ledger events: the prototype had no rules, only operator grants and fines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum EnergonEventV1 {
    Credited { player: PlayerId, amount: u64 },
    Debited { player: PlayerId, amount: u64 },
}

/// v1 -> v2: in v1 only the operator could move energon, so the rules are grant and fine.
pub fn upcast_v1(event: EnergonEventV1) -> EnergonEvent {
    match event {
        EnergonEventV1::Credited { player, amount } => EnergonEvent::Credited {
            player,
            amount,
            rule: LedgerRule::OperatorGrant,
        },
        EnergonEventV1::Debited { player, amount } => EnergonEvent::Debited {
            player,
            amount,
            rule: LedgerRule::OperatorFine,
        },
    }
}
