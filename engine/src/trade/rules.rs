//! Decisions of the trade area.
//!
//! Checks run in this order, so two violations always produce the same rejection:
//! 1. who may ask: `PlayersOnly` (everything but the timer's `Expire`);
//! 2. the trade: `NoSuchTrade` (unknown or over), `NotAParty`, `Expired` (past its deadline;
//!    cancelling is still allowed), or for `Open` the partner (`SelfTrade`, `UnknownPlayer`,
//!    `AlreadyTrading`, `TooManyOpen`);
//! 3. the input: `ZeroAmount`, `UnknownItem`, `NoPet` / `PartnerHasNoPet` (items need a pet on
//!    both sides), `OfferFull`, `NotOnOffer`;
//! 4. what the asker holds: `NotEnough` (counting what they offer in every open trade);
//! 5. for `Confirm`: `StaleOffer` (an edit came after the view), `AlreadyConfirmed`,
//!    `NothingOnOffer`, and at the swap `NoLongerHeld` (a side spent what it offered),
//!    `PartnerHasNoPet`, and `EnergonRejection::BalanceTooLarge` (a leg would overflow what the
//!    receiver can hold).

use serde::{Deserialize, Serialize};

use crate::content;
use crate::energon::{EnergonEvent, LedgerRule};
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::market::MarketEvent;
use crate::pets::content::ItemId;
use crate::pets::PetEvent;
use crate::trade::{Asset, Trade, TradeCommand, TradeEvent, TradeId};
use crate::world::{Ctx, Event, Rejection, World};

/// How long a trade stays open: 15 minutes (recorded in `Opened` as its deadline).
pub const TRADE_TTL_SECS: i64 = 15 * 60;
/// Open trades one player may have opened at once (being asked to trade is not limited, so
/// nobody can keep another from trading by opening trades with them).
pub const OPEN_BY_MAX: usize = 5;
/// Different assets one side may offer (energon counts as one).
pub const OFFER_LINES_MAX: usize = 10;

/// Why a trade command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum TradeRejection {
    #[error("only players can trade")]
    PlayersOnly,
    #[error("you can't trade with yourself")]
    SelfTrade,
    #[error("<@{player}> hasn't played here yet; they can trade once they have")]
    UnknownPlayer { player: PlayerId },
    #[error("you already have a trade open with <@{with}>; use that one")]
    AlreadyTrading { with: PlayerId, trade: TradeId },
    #[error("you have {max} trades open already; finish or cancel one first")]
    TooManyOpen { max: usize },
    #[error("that trade is over (or never was); open a new one with /trade")]
    NoSuchTrade,
    #[error("that trade is between two other players")]
    NotAParty,
    #[error("that trade expired; open a new one with /trade")]
    Expired,
    #[error("the trade is still open until {expires_at}")]
    TooEarly { expires_at: Timestamp },
    #[error("the amount must be at least 1")]
    ZeroAmount,
    #[error("there is no item called `{item}`")]
    UnknownItem { item: ItemId },
    #[error("you need a pet to trade items; adopt one with /get_pet")]
    NoPet,
    #[error("<@{player}> has no pet, so no items can go to them")]
    PartnerHasNoPet { player: PlayerId },
    #[error("an offer holds at most {max} different things")]
    OfferFull { max: usize },
    #[error("you offer only {}", asset.amount_text(*offered))]
    NotOnOffer { asset: Asset, offered: u64 },
    #[error(
        "you have {} free to offer (not already on offer), not {}",
        asset.amount_text(*available),
        asset.amount_text(*need)
    )]
    NotEnough {
        asset: Asset,
        need: u64,
        available: u64,
    },
    #[error("the offer changed since you looked (it is at revision {revision}); check it and confirm again")]
    StaleOffer { revision: u32 },
    #[error("you have confirmed this offer already; waiting for the other side")]
    AlreadyConfirmed,
    #[error("nothing is on offer yet; add something first")]
    NothingOnOffer,
    #[error(
        "<@{player}> no longer holds the {} they offered; the offer must change first",
        asset.amount_text(*need)
    )]
    NoLongerHeld {
        player: PlayerId,
        asset: Asset,
        need: u64,
    },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &TradeCommand,
) -> Result<Vec<Event>, Rejection> {
    if let TradeCommand::Expire { trade } = command {
        return decide_expire(world, ctx, *trade);
    }
    let Actor::Player(player) = ctx.actor else {
        return Err(TradeRejection::PlayersOnly.into());
    };
    match command {
        TradeCommand::Open { with } => decide_open(world, ctx, player, *with),
        TradeCommand::Add {
            trade,
            asset,
            amount,
        } => decide_add(world, ctx, player, *trade, asset, *amount),
        TradeCommand::Remove {
            trade,
            asset,
            amount,
        } => decide_remove(world, ctx, player, *trade, asset, *amount),
        TradeCommand::Confirm { trade, revision } => {
            decide_confirm(world, ctx, player, *trade, *revision)
        }
        TradeCommand::Cancel { trade } => decide_cancel(world, player, *trade),
        TradeCommand::Expire { .. } => Ok(Vec::new()),
    }
}

fn trade_event(event: TradeEvent) -> Event {
    Event::Trade(event)
}

/// The open trade and the asker's side of it.
fn party(world: &World, player: PlayerId, trade: TradeId) -> Result<(&Trade, usize), Rejection> {
    let open = world.trades.get(trade).ok_or(TradeRejection::NoSuchTrade)?;
    let side = open.side(player).ok_or(TradeRejection::NotAParty)?;
    Ok((open, side))
}

/// The open trade and the asker's side, refused once its deadline has passed.
fn live_party<'w>(
    world: &'w World,
    ctx: &Ctx,
    player: PlayerId,
    trade: TradeId,
) -> Result<(&'w Trade, usize), Rejection> {
    let (open, side) = party(world, player, trade)?;
    if ctx.now >= open.expires_at {
        return Err(TradeRejection::Expired.into());
    }
    Ok((open, side))
}

fn decide_open(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    with: PlayerId,
) -> Result<Vec<Event>, Rejection> {
    if with == player {
        return Err(TradeRejection::SelfTrade.into());
    }
    if !world.players.contains(with) {
        return Err(TradeRejection::UnknownPlayer { player: with }.into());
    }
    if let Some(existing) = world.trades.of(player).find(|t| t.side(with).is_some()) {
        return Err(TradeRejection::AlreadyTrading {
            with,
            trade: existing.id,
        }
        .into());
    }
    let opened = world
        .trades
        .of(player)
        .filter(|t| t.parties[0] == player)
        .count();
    if opened >= OPEN_BY_MAX {
        return Err(TradeRejection::TooManyOpen { max: OPEN_BY_MAX }.into());
    }
    let trade = TradeId(ctx.derive("trade"));
    Ok(vec![trade_event(TradeEvent::Opened {
        trade,
        by: player,
        with,
        expires_at: ctx.now.plus_secs(TRADE_TTL_SECS),
    })])
}

/// How much of `asset` the player holds now: the wallet, the pet's inventory (equipped items
/// are not in it), or the market holding. A new asset kind adds its arm here, in [`capacity`]
/// and in [`legs`].
pub(crate) fn held(world: &World, player: PlayerId, asset: &Asset) -> u64 {
    match asset {
        Asset::Energon => world.energon.balance(player),
        Asset::Coins => world.market.position(player).map_or(0, |p| p.coins),
        Asset::Item(item) => world
            .pets
            .get(player)
            .and_then(|pet| pet.inventory.get(item))
            .map_or(0, |n| u64::from(*n)),
    }
}

/// The most of `asset` one player can hold (a wallet is a u64, an inventory count a u32).
fn capacity(asset: &Asset) -> u64 {
    match asset {
        Asset::Energon | Asset::Coins => u64::MAX,
        Asset::Item(_) => u64::from(u32::MAX),
    }
}

/// The events that move `amount` of `asset` from `from` to `to`: two legs that conserve it.
fn legs(world: &World, asset: &Asset, amount: u64, from: PlayerId, to: PlayerId) -> Vec<Event> {
    match asset {
        Asset::Coins => {
            // The cost basis goes with the coins, in proportion: what the giver paid for them
            // becomes the receiver's cost, so no profit appears or vanishes in the move.
            let basis = world
                .market
                .position(from)
                .map_or(0, |p| p.basis_of(amount));
            vec![
                Event::Market(MarketEvent::GaveAway {
                    player: from,
                    coins: amount,
                    basis,
                    to,
                }),
                Event::Market(MarketEvent::Received {
                    player: to,
                    coins: amount,
                    basis,
                    from,
                }),
            ]
        }
        Asset::Energon => vec![
            Event::Energon(EnergonEvent::Debited {
                player: from,
                amount,
                rule: LedgerRule::TradeOut { to },
            }),
            Event::Energon(EnergonEvent::Credited {
                player: to,
                amount,
                rule: LedgerRule::TradeIn { from },
            }),
        ],
        Asset::Item(item) => {
            // An inventory count is a u32, and an offer never exceeds what is held.
            let count = u32::try_from(amount).unwrap_or(u32::MAX);
            vec![
                Event::Pet(PetEvent::ItemGivenAway {
                    player: from,
                    item: item.clone(),
                    count,
                    to,
                }),
                Event::Pet(PetEvent::ItemReceived {
                    player: to,
                    item: item.clone(),
                    count,
                    from,
                }),
            ]
        }
    }
}

/// Items need a pet on both sides: the giver's inventory, the receiver's to put them in.
fn check_item(
    world: &World,
    player: PlayerId,
    partner: PlayerId,
    item: &ItemId,
) -> Result<(), Rejection> {
    if !content::get().items.contains_key(item) {
        return Err(TradeRejection::UnknownItem {
            item: ItemId(crate::ids::quote(&item.0)),
        }
        .into());
    }
    if world.pets.get(player).is_none() {
        return Err(TradeRejection::NoPet.into());
    }
    if world.pets.get(partner).is_none() {
        return Err(TradeRejection::PartnerHasNoPet { player: partner }.into());
    }
    Ok(())
}

fn decide_add(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    trade: TradeId,
    asset: &Asset,
    amount: u64,
) -> Result<Vec<Event>, Rejection> {
    let (open, side) = live_party(world, ctx, player, trade)?;
    if amount == 0 {
        return Err(TradeRejection::ZeroAmount.into());
    }
    if let Asset::Item(item) = asset {
        check_item(world, player, open.partner(side), item)?;
    }
    let offer = &open.offers[side];
    if offer.amount(asset) == 0 && offer.lines().len() >= OFFER_LINES_MAX {
        return Err(TradeRejection::OfferFull {
            max: OFFER_LINES_MAX,
        }
        .into());
    }
    let available = held(world, player, asset).saturating_sub(world.trades.on_offer(player, asset));
    if amount > available {
        return Err(TradeRejection::NotEnough {
            asset: asset.clone(),
            need: amount,
            available,
        }
        .into());
    }
    Ok(vec![trade_event(TradeEvent::Added {
        trade,
        player,
        asset: asset.clone(),
        amount,
    })])
}

fn decide_remove(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    trade: TradeId,
    asset: &Asset,
    amount: u64,
) -> Result<Vec<Event>, Rejection> {
    let (open, side) = live_party(world, ctx, player, trade)?;
    if amount == 0 {
        return Err(TradeRejection::ZeroAmount.into());
    }
    let offered = open.offers[side].amount(asset);
    if amount > offered {
        return Err(TradeRejection::NotOnOffer {
            asset: asset.clone(),
            offered,
        }
        .into());
    }
    Ok(vec![trade_event(TradeEvent::Removed {
        trade,
        player,
        asset: asset.clone(),
        amount,
    })])
}

fn decide_confirm(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    trade: TradeId,
    revision: u32,
) -> Result<Vec<Event>, Rejection> {
    let (open, side) = live_party(world, ctx, player, trade)?;
    if revision != open.revision {
        return Err(TradeRejection::StaleOffer {
            revision: open.revision,
        }
        .into());
    }
    if open.confirmed[side] {
        return Err(TradeRejection::AlreadyConfirmed.into());
    }
    if open.offers.iter().all(|offer| offer.is_empty()) {
        return Err(TradeRejection::NothingOnOffer.into());
    }
    let mut events = vec![trade_event(TradeEvent::Confirmed {
        trade,
        player,
        revision,
    })];
    if !open.confirmed[1 - side] {
        return Ok(events);
    }
    // Both agree: check once more that each side holds what it offers, then swap.
    for (giving, offer) in open.offers.iter().enumerate() {
        let (giver, receiver) = (open.parties[giving], open.partner(giving));
        for (asset, need) in offer.lines() {
            if held(world, giver, &asset) < need {
                return Err(TradeRejection::NoLongerHeld {
                    player: giver,
                    asset,
                    need,
                }
                .into());
            }
            if matches!(asset, Asset::Item(_)) && world.pets.get(receiver).is_none() {
                return Err(TradeRejection::PartnerHasNoPet { player: receiver }.into());
            }
            // A leg that would overflow what the receiver can hold would lose the excess.
            if held(world, receiver, &asset)
                .checked_add(need)
                .is_none_or(|total| total > capacity(&asset))
            {
                return Err(crate::energon::EnergonRejection::BalanceTooLarge.into());
            }
            events.extend(legs(world, &asset, need, giver, receiver));
        }
    }
    events.push(trade_event(TradeEvent::Completed { trade }));
    Ok(events)
}

fn decide_cancel(world: &World, player: PlayerId, trade: TradeId) -> Result<Vec<Event>, Rejection> {
    party(world, player, trade)?;
    Ok(vec![trade_event(TradeEvent::Cancelled {
        trade,
        by: player,
    })])
}

fn decide_expire(world: &World, ctx: &Ctx, trade: TradeId) -> Result<Vec<Event>, Rejection> {
    let open = world.trades.get(trade).ok_or(TradeRejection::NoSuchTrade)?;
    if ctx.now < open.expires_at {
        return Err(TradeRejection::TooEarly {
            expires_at: open.expires_at,
        }
        .into());
    }
    Ok(vec![trade_event(TradeEvent::Expired { trade })])
}

/// An erasure ends every open trade of the player first: nothing changes hands, and nothing
/// was held away from its owner, so nothing needs returning.
pub(crate) fn withdraw_for_erasure(world: &World, player: PlayerId) -> Vec<Event> {
    world
        .trades
        .of(player)
        .map(|t| {
            trade_event(TradeEvent::Withdrawn {
                trade: t.id,
                player,
            })
        })
        .collect()
}
