//! Player trades: two players each put energon and pet items on their side of an offer, both
//! confirm the offers as they stand, and the swap is one atomic batch (the energon legs are
//! wallet-to-wallet moves under `LedgerRule::TradeOut`/`TradeIn`, the item legs
//! `PetEvent::ItemGivenAway`/`ItemReceived`).
//!
//! Guards against the duplication and bait-and-switch bugs peer bots had in this feature:
//! every edit raises the trade's revision and clears both confirmations, and a confirmation
//! names the revision it agrees to, so a stale one is refused; what is on offer stays with its
//! owner until the swap but is reserved (`on_offer`): it cannot be equipped, offered in another
//! trade, or lost with a released pet; the swap checks again that each side still holds its
//! offer. A trade ends once: completed, cancelled by either side, expired at its recorded
//! deadline (by the timer's command), or withdrawn when a party is erased.
//!
//! Assets are one enum ([`Asset`]); a new kind is one variant plus its arm in `rules::held`,
//! `rules::capacity` and `rules::legs` (the market's coins were added that way, schema 12).

mod command;
mod event;
pub(crate) mod rules;
mod state;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use command::TradeCommand;
pub use event::TradeEvent;
pub use rules::{TradeRejection, OFFER_LINES_MAX, OPEN_BY_MAX, TRADE_TTL_SECS};
pub use state::{Offer, Trade, TradeEnd, Trades};

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::pets::content::ItemId;
use crate::world::{Ctx, Event, Rejection, World};

/// A trade, named by 128 bits derived one-way from its opening command's seed.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct TradeId(
    #[serde(
        serialize_with = "crate::ids::json_ids::serialize_hex",
        deserialize_with = "crate::ids::json_ids::deserialize_hex"
    )]
    #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
    pub u128,
);

impl fmt::Display for TradeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for TradeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TradeId({:032x})", self.0)
    }
}

impl std::str::FromStr for TradeId {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        u128::from_str_radix(text, 16).map(TradeId)
    }
}

impl TradeId {
    /// The trade's stream, `trade/<id>`.
    pub fn stream(self) -> StreamId {
        StreamId::trusted(format!("trade/{self}"))
    }
}

/// What can be put on offer. Stored: variants are only ever appended.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Asset {
    /// Energon from the wallet (the amount is in energon).
    Energon,
    /// A pet item from the inventory (the amount is in pieces; equipped items are not in the
    /// inventory, so never on offer).
    Item(ItemId),
    /// Schema 12: CyberCoin from the market holding (the amount is in micro-coins, a coin is
    /// `market::tuning::MICRO` of them). The cost basis goes with the coins, in proportion.
    Coins,
}

impl fmt::Display for Asset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Asset::Energon => f.write_str("energon"),
            Asset::Item(item) => write!(f, "{item}"),
            Asset::Coins => f.write_str("CyberCoin"),
        }
    }
}

impl Asset {
    /// `amount` of this asset in words: `250 energon`, `2 × ember_core`, `1.5 CC`.
    pub fn amount_text(&self, amount: u64) -> String {
        match self {
            Asset::Energon => format!("{amount} energon"),
            Asset::Item(item) => format!("{amount} × {item}"),
            Asset::Coins => format!(
                "{} CC",
                crate::market::view::micro_to_string(u128::from(amount), 6)
            ),
        }
    }
}

impl Area for Trades {
    const NAME: &'static str = "trade";
    const TUNING_VERSION: u32 = 1;
    type Command = TradeCommand;
    type Event = TradeEvent;
    type Rejection = TradeRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &TradeCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &TradeEvent, at: Timestamp) {
        Trades::evolve(self, event, at);
    }

    fn stream(event: &TradeEvent) -> StreamId {
        event.trade().stream()
    }

    fn erase(&mut self, player: PlayerId) {
        // The erasure withdrew the player from every open trade first (`Withdrawn`); this
        // forgets whatever is left, ended trades included.
        self.forget(player);
    }

    /// A player with items on offer in an open trade is `Trade`: their pet can't be released
    /// (the items would go with it). It excludes no other activity and never keeps anyone from
    /// being erased: the erasure withdraws them from the trade. Energon on offer binds nothing
    /// (it needs no pet, and the swap checks the wallet again).
    fn engagements(&self, player: PlayerId) -> Vec<Engagement> {
        if self.items_on_offer(player) {
            vec![Engagement::Trade]
        } else {
            Vec::new()
        }
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // The one number a trade depends on, its deadline, is in `Opened`.
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &TradeCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
