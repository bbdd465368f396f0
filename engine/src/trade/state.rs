//! The trades projection: open trades with both offers, an index by player, and the most
//! recent ended trades (so a view pressed after the end still shows how it ended).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::pets::content::ItemId;
use crate::trade::{Asset, TradeEvent, TradeId};

/// Ended trades kept for their views; the oldest are forgotten first. `evolve` uses it, so
/// changing it changes the derived state: raise `Trades::TUNING_VERSION` with it (snapshots are
/// then rebuilt from the log).
pub const ENDED_KEPT: usize = 1_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Trades {
    open: BTreeMap<TradeId, Trade>,
    /// Each player's open trades (either side).
    by_player: BTreeMap<PlayerId, BTreeSet<TradeId>>,
    /// Recently ended trades, by id, and the order they ended in.
    ended: BTreeMap<TradeId, Trade>,
    ended_order: BTreeMap<u64, TradeId>,
    n_ended: u64,
}

/// One side's offer: energon, micro-coins and item pieces. Never holds a zero.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Offer {
    pub energon: u64,
    pub items: BTreeMap<ItemId, u64>,
    /// Micro-coins.
    pub coins: u64,
}

impl Offer {
    /// How much of `asset` is on offer.
    pub fn amount(&self, asset: &Asset) -> u64 {
        match asset {
            Asset::Energon => self.energon,
            Asset::Item(item) => self.items.get(item).copied().unwrap_or(0),
            Asset::Coins => self.coins,
        }
    }

    fn set(&mut self, asset: &Asset, amount: u64) {
        match asset {
            Asset::Energon => self.energon = amount,
            Asset::Coins => self.coins = amount,
            Asset::Item(item) => {
                if amount == 0 {
                    self.items.remove(item);
                } else {
                    self.items.insert(item.clone(), amount);
                }
            }
        }
    }

    /// Every asset on offer with its amount: energon, then coins, then items in id order.
    pub fn lines(&self) -> Vec<(Asset, u64)> {
        let mut lines = Vec::new();
        if self.energon > 0 {
            lines.push((Asset::Energon, self.energon));
        }
        if self.coins > 0 {
            lines.push((Asset::Coins, self.coins));
        }
        lines.extend(
            self.items
                .iter()
                .map(|(item, n)| (Asset::Item(item.clone()), *n)),
        );
        lines
    }

    pub fn is_empty(&self) -> bool {
        self.energon == 0 && self.coins == 0 && self.items.is_empty()
    }
}

/// How a trade ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TradeEnd {
    Completed,
    Cancelled { by: PlayerId },
    Expired,
    Withdrawn { player: PlayerId },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Trade {
    pub id: TradeId,
    /// The opener, then the other player.
    pub parties: [PlayerId; 2],
    /// Each party's offer, in the order of `parties`.
    pub offers: [Offer; 2],
    /// Raised by every edit; a confirmation names the revision it agrees to.
    pub revision: u32,
    /// Whether each party has confirmed the current revision.
    pub confirmed: [bool; 2],
    pub opened_at: Timestamp,
    pub expires_at: Timestamp,
    /// Set once the trade is over.
    pub ended: Option<TradeEnd>,
}

impl Trade {
    /// The party's index (0 the opener, 1 the other), if they are one.
    pub fn side(&self, player: PlayerId) -> Option<usize> {
        self.parties.iter().position(|p| *p == player)
    }

    /// The other party.
    pub fn partner(&self, side: usize) -> PlayerId {
        self.parties[1 - side]
    }
}

impl Trades {
    pub fn get(&self, trade: TradeId) -> Option<&Trade> {
        self.open.get(&trade)
    }

    /// An open trade, or a recently ended one.
    pub fn get_any(&self, trade: TradeId) -> Option<&Trade> {
        self.open.get(&trade).or_else(|| self.ended.get(&trade))
    }

    /// The player's open trades, in id order.
    pub fn of(&self, player: PlayerId) -> impl Iterator<Item = &Trade> {
        self.by_player
            .get(&player)
            .into_iter()
            .flatten()
            .filter_map(|id| self.open.get(id))
    }

    pub fn open(&self) -> impl Iterator<Item = &Trade> {
        self.open.values()
    }

    /// How much of `asset` the player has on offer across all their open trades.
    pub fn on_offer(&self, player: PlayerId, asset: &Asset) -> u64 {
        self.of(player)
            .filter_map(|t| t.side(player).map(|side| t.offers[side].amount(asset)))
            .fold(0u64, u64::saturating_add)
    }

    /// Whether the player has any item on offer in an open trade.
    pub fn items_on_offer(&self, player: PlayerId) -> bool {
        self.of(player).any(|t| {
            t.side(player)
                .is_some_and(|side| !t.offers[side].items.is_empty())
        })
    }

    /// Forgets an erased player: open trades they are in (already withdrawn by the erasure's
    /// events, so normally none) and ended ones that name them.
    pub(crate) fn forget(&mut self, player: PlayerId) {
        let open: Vec<TradeId> = self.of(player).map(|t| t.id).collect();
        for id in open {
            if let Some(trade) = self.open.remove(&id) {
                self.unindex(&trade);
            }
        }
        let ended: Vec<TradeId> = self
            .ended
            .values()
            .filter(|t| t.side(player).is_some())
            .map(|t| t.id)
            .collect();
        for id in &ended {
            self.ended.remove(id);
        }
        self.ended_order.retain(|_, id| !ended.contains(id));
        self.by_player.remove(&player);
    }

    fn unindex(&mut self, trade: &Trade) {
        for party in trade.parties {
            if let Some(set) = self.by_player.get_mut(&party) {
                set.remove(&trade.id);
                if set.is_empty() {
                    self.by_player.remove(&party);
                }
            }
        }
    }

    fn end(&mut self, trade: TradeId, how: TradeEnd) {
        let Some(mut trade) = self.open.remove(&trade) else {
            return;
        };
        self.unindex(&trade);
        trade.ended = Some(how);
        self.n_ended += 1;
        self.ended_order.insert(self.n_ended, trade.id);
        self.ended.insert(trade.id, trade);
        while self.ended.len() > ENDED_KEPT {
            let Some((_, oldest)) = self.ended_order.pop_first() else {
                break;
            };
            self.ended.remove(&oldest);
        }
    }

    /// Total: an event about a trade that isn't open changes nothing.
    pub fn evolve(&mut self, event: &TradeEvent, at: Timestamp) {
        match event {
            TradeEvent::Opened {
                trade,
                by,
                with,
                expires_at,
            } => {
                self.open.insert(
                    *trade,
                    Trade {
                        id: *trade,
                        parties: [*by, *with],
                        offers: Default::default(),
                        revision: 0,
                        confirmed: [false; 2],
                        opened_at: at,
                        expires_at: *expires_at,
                        ended: None,
                    },
                );
                for party in [by, with] {
                    self.by_player.entry(*party).or_default().insert(*trade);
                }
            }
            TradeEvent::Added {
                trade,
                player,
                asset,
                amount,
            }
            | TradeEvent::Removed {
                trade,
                player,
                asset,
                amount,
            } => {
                let Some(open) = self.open.get_mut(trade) else {
                    return;
                };
                let Some(side) = open.side(*player) else {
                    return;
                };
                let offer = &mut open.offers[side];
                let now = offer.amount(asset);
                let next = if matches!(event, TradeEvent::Added { .. }) {
                    now.saturating_add(*amount)
                } else {
                    now.saturating_sub(*amount)
                };
                offer.set(asset, next);
                open.revision = open.revision.wrapping_add(1);
                open.confirmed = [false; 2];
            }
            TradeEvent::Confirmed {
                trade,
                player,
                revision,
            } => {
                if let Some(open) = self.open.get_mut(trade) {
                    if let (Some(side), true) = (open.side(*player), open.revision == *revision) {
                        open.confirmed[side] = true;
                    }
                }
            }
            TradeEvent::Completed { trade } => self.end(*trade, TradeEnd::Completed),
            TradeEvent::Cancelled { trade, by } => {
                self.end(*trade, TradeEnd::Cancelled { by: *by })
            }
            TradeEvent::Expired { trade } => self.end(*trade, TradeEnd::Expired),
            TradeEvent::Withdrawn { trade, player } => {
                self.end(*trade, TradeEnd::Withdrawn { player: *player })
            }
        }
    }
}
