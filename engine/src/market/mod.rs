//! CyberCoin: one simulated coin, traded for energon.
//!
//! The price moves only by ticks, which the adapter's timer sends as the system (one per
//! interval, an hour by default; after downtime at most `tuning::CATCH_UP_MAX` are caught up
//! and the rest recorded as missed). A tick is a bounded random walk with momentum and the
//! pressure of the tick's orders, plus shocks from news and dated holidays (content files).
//! Between ticks the price stands still: orders pay a fee and an impact that grows with their
//! size, so no sequence of trades inside one tick makes a profit.
//!
//! Energon paid for coins is burned (`LedgerRule::MarketBuy`) and energon paid out for them is
//! minted (`LedgerRule::MarketSale`); coins are minted by `Bought` and burned by `Sold` and by
//! erasure, so both are conserved and audited (`allspark check`).

mod command;
pub mod content;
mod event;
mod rules;
mod state;
pub mod tuning;

pub use command::{Amount, AmountError, MarketCommand, Unit};
pub use event::MarketEvent;
pub use rules::{fee, impact_bp, quote_buy, quote_sell, value_micro, MarketRejection, Quote};
pub use state::{HolidayInForce, Market, NewsInForce, Position, PricePoint};

pub mod view;

use crate::area::{Area, Engagement};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

impl Area for Market {
    const NAME: &'static str = "market";
    const TUNING_VERSION: u32 = 1;
    type Command = MarketCommand;
    type Event = MarketEvent;
    type Rejection = MarketRejection;

    fn decide(
        world: &World,
        ctx: &mut Ctx,
        command: &MarketCommand,
    ) -> Result<Vec<Event>, Rejection> {
        rules::decide(world, ctx, command)
    }

    fn evolve(&mut self, event: &MarketEvent, _at: Timestamp) {
        Market::evolve(self, event);
    }

    fn stream(event: &MarketEvent) -> StreamId {
        match event {
            MarketEvent::Bought { player, .. }
            | MarketEvent::Sold { player, .. }
            | MarketEvent::Imported { player, .. }
            | MarketEvent::GaveAway { player, .. }
            | MarketEvent::Received { player, .. } => StreamId::user(*player),
            MarketEvent::Opened { .. }
            | MarketEvent::Ticked { .. }
            | MarketEvent::TicksMissed { .. }
            | MarketEvent::NewsStarted { .. }
            | MarketEvent::NewsEnded { .. }
            | MarketEvent::HolidayStarted { .. }
            | MarketEvent::HolidayEnded { .. } => StreamId::market(),
        }
    }

    fn erase(&mut self, player: PlayerId) {
        self.forget(player);
    }

    fn engagements(&self, _player: PlayerId) -> Vec<Engagement> {
        // An order is over when its command is.
        Vec::new()
    }

    fn record_decisions(_world: &World, _now: Timestamp, events: Vec<Event>) -> Vec<Event> {
        // Every number a market rule decides is already in its event.
        events
    }

    fn personal_writes(
        _world: &World,
        _actor: crate::ids::Actor,
        _command: &MarketCommand,
        _events: &[Event],
    ) -> Vec<crate::personal::PersonalWrite> {
        Vec::new()
    }

    fn texts_left_by_erasure(&self, _player: PlayerId) -> Vec<(PlayerId, String)> {
        Vec::new()
    }
}
