//! The trade rules as given-events / when-command / then-events scenarios: opening, offers and
//! their reservations, confirmations by revision, the one atomic swap, cancelling, expiry and
//! erasure.

use allspark_engine::area::Engagement;
use allspark_engine::content;
use allspark_engine::energon::{EnergonEvent, LedgerRule};
use allspark_engine::ids::Timestamp;
use allspark_engine::market::{self, Amount, MarketCommand, MarketEvent, MarketRejection};
use allspark_engine::pets::content::{ItemId, Slot};
use allspark_engine::pets::{Faction, PetCommand, PetEvent, PetRejection};
use allspark_engine::player::{PlayerCommand, PlayerEvent};
use allspark_engine::testing::{Scenario, EPOCH};
use allspark_engine::trade::{
    Asset, TradeCommand, TradeEvent, TradeId, TradeRejection, OPEN_BY_MAX, TRADE_TTL_SECS,
};
use allspark_engine::{Actor, Command, Event, PlayerId};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const CAROL: PlayerId = PlayerId(303);
const T: TradeId = TradeId(0x77);

fn core(n: usize) -> ItemId {
    content::get()
        .items_by_kind
        .iter()
        .find(|((slot, _), _)| *slot == Slot::EnergyCore)
        .map(|(_, ids)| ids[n % ids.len()].clone())
        .unwrap_or_else(|| panic!("no energy core"))
}

fn joined(player: PlayerId) -> Event {
    Event::Player(PlayerEvent::Joined { player })
}

fn adopted(player: PlayerId) -> Event {
    Event::Pet(PetEvent::Adopted {
        player,
        faction: Faction::Autobot,
        name_index: 0,
    })
}

fn found(player: PlayerId, item: &ItemId) -> Event {
    Event::Pet(PetEvent::ItemFound {
        player,
        item: item.clone(),
    })
}

fn granted(player: PlayerId, amount: u64) -> Event {
    Event::Energon(EnergonEvent::Credited {
        player,
        amount,
        rule: LedgerRule::OperatorGrant,
    })
}

fn trade(event: TradeEvent) -> Event {
    Event::Trade(event)
}

fn opened() -> Event {
    trade(TradeEvent::Opened {
        trade: T,
        by: ALICE,
        with: BOB,
        expires_at: EPOCH.plus_secs(TRADE_TTL_SECS),
    })
}

fn added(player: PlayerId, asset: Asset, amount: u64) -> Event {
    trade(TradeEvent::Added {
        trade: T,
        player,
        asset,
        amount,
    })
}

fn confirmed(player: PlayerId, revision: u32) -> Event {
    trade(TradeEvent::Confirmed {
        trade: T,
        player,
        revision,
    })
}

/// Alice (with a pet holding one core and 100 energon) and Bob (with a pet and 500 energon).
fn two_traders() -> Vec<Event> {
    vec![
        joined(ALICE),
        joined(BOB),
        adopted(ALICE),
        adopted(BOB),
        found(ALICE, &core(0)),
        granted(ALICE, 100),
        granted(BOB, 500),
    ]
}

/// The two traders with a trade open: Alice offers the core, Bob 200 energon (revision 2).
fn offers_on_the_table() -> Vec<Event> {
    let mut events = two_traders();
    events.extend([
        opened(),
        added(ALICE, Asset::Item(core(0)), 1),
        added(BOB, Asset::Energon, 200),
    ]);
    events
}

fn cmd(command: TradeCommand) -> Command {
    Command::Trade(command)
}

fn alice() -> Actor {
    Actor::Player(ALICE)
}

fn bob() -> Actor {
    Actor::Player(BOB)
}

#[test]
fn opening_records_the_deadline_decided_from_the_time_to_live() {
    let events = Scenario::given(two_traders())
        .when(alice(), cmd(TradeCommand::Open { with: BOB }))
        .events();
    let [Event::Trade(TradeEvent::Opened {
        by,
        with,
        expires_at,
        ..
    })] = events.as_slice()
    else {
        panic!("one Opened event, got {events:?}");
    };
    assert_eq!((*by, *with), (ALICE, BOB));
    assert_eq!(*expires_at, EPOCH.plus_secs(TRADE_TTL_SECS));
}

#[test]
fn opening_is_refused_with_yourself_a_stranger_a_second_time_and_past_the_limit() {
    Scenario::given(two_traders())
        .when(alice(), cmd(TradeCommand::Open { with: ALICE }))
        .then_rejected(TradeRejection::SelfTrade);
    Scenario::given(two_traders())
        .when(alice(), cmd(TradeCommand::Open { with: CAROL }))
        .then_rejected(TradeRejection::UnknownPlayer { player: CAROL });
    // Either side of an open trade asking again gets the trade they have.
    Scenario::given(offers_on_the_table())
        .when(bob(), cmd(TradeCommand::Open { with: ALICE }))
        .then_rejected(TradeRejection::AlreadyTrading {
            with: ALICE,
            trade: T,
        });
    Scenario::given([])
        .when(Actor::System, cmd(TradeCommand::Open { with: BOB }))
        .then_rejected(TradeRejection::PlayersOnly);
    let mut many = vec![joined(ALICE)];
    for n in 0..OPEN_BY_MAX as u64 {
        many.push(joined(PlayerId(1_000 + n)));
        many.push(trade(TradeEvent::Opened {
            trade: TradeId(u128::from(n) + 1),
            by: ALICE,
            with: PlayerId(1_000 + n),
            expires_at: EPOCH.plus_secs(TRADE_TTL_SECS),
        }));
    }
    many.push(joined(BOB));
    Scenario::given(many.clone())
        .when(alice(), cmd(TradeCommand::Open { with: BOB }))
        .then_rejected(TradeRejection::TooManyOpen { max: OPEN_BY_MAX });
    // Being asked to trade is not limited: nobody can keep Bob from trading.
    Scenario::given(many)
        .when(bob(), cmd(TradeCommand::Open { with: ALICE }))
        .events();
}

#[test]
fn only_what_is_free_can_be_offered() {
    let mut given = two_traders();
    given.push(opened());
    Scenario::given(given.clone())
        .when(
            bob(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Energon,
                amount: 501,
            }),
        )
        .then_rejected(TradeRejection::NotEnough {
            asset: Asset::Energon,
            need: 501,
            available: 500,
        });
    Scenario::given(given.clone())
        .when(
            bob(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Energon,
                amount: 0,
            }),
        )
        .then_rejected(TradeRejection::ZeroAmount);
    Scenario::given(given.clone())
        .when(
            Actor::Player(CAROL),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Energon,
                amount: 1,
            }),
        )
        .then_rejected(TradeRejection::NotAParty);
    Scenario::given(given.clone())
        .when(
            bob(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Item(ItemId("no.such".into())),
                amount: 1,
            }),
        )
        .then_rejected(TradeRejection::UnknownItem {
            item: ItemId("no.such".into()),
        });
    // The one core is on offer once; a second piece isn't there to offer.
    given.push(added(ALICE, Asset::Item(core(0)), 1));
    Scenario::given(given)
        .when(
            alice(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Item(core(0)),
                amount: 1,
            }),
        )
        .then_rejected(TradeRejection::NotEnough {
            asset: Asset::Item(core(0)),
            need: 1,
            available: 0,
        });
}

#[test]
fn what_is_on_offer_in_one_trade_cannot_be_offered_in_another() {
    let mut given = offers_on_the_table();
    given.push(joined(CAROL));
    given.push(adopted(CAROL));
    let other = TradeId(0x88);
    given.push(trade(TradeEvent::Opened {
        trade: other,
        by: BOB,
        with: CAROL,
        expires_at: EPOCH.plus_secs(TRADE_TTL_SECS),
    }));
    Scenario::given(given)
        .when(
            bob(),
            cmd(TradeCommand::Add {
                trade: other,
                asset: Asset::Energon,
                amount: 301,
            }),
        )
        .then_rejected(TradeRejection::NotEnough {
            asset: Asset::Energon,
            need: 301,
            available: 300,
        });
}

#[test]
fn items_need_a_pet_on_both_sides() {
    let given = vec![
        joined(ALICE),
        joined(BOB),
        adopted(ALICE),
        found(ALICE, &core(0)),
        opened(),
    ];
    Scenario::given(given)
        .when(
            alice(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Item(core(0)),
                amount: 1,
            }),
        )
        .then_rejected(TradeRejection::PartnerHasNoPet { player: BOB });
}

#[test]
fn an_item_on_offer_cannot_be_equipped_nor_its_pet_released() {
    Scenario::given(offers_on_the_table())
        .when(
            alice(),
            Command::Pet(PetCommand::Equip {
                slot: Slot::EnergyCore,
                item: core(0),
            }),
        )
        .then_rejected(PetRejection::OnOffer { item: core(0) });
    Scenario::given(offers_on_the_table())
        .when(alice(), Command::Pet(PetCommand::RequestRelease))
        .then_rejected(PetRejection::Engaged {
            activity: Engagement::Trade,
        });
    // A second piece is free to equip; energon on offer binds nothing.
    let mut two = offers_on_the_table();
    two.push(found(ALICE, &core(0)));
    Scenario::given(two)
        .when(
            alice(),
            Command::Pet(PetCommand::Equip {
                slot: Slot::EnergyCore,
                item: core(0),
            }),
        )
        .events();
    Scenario::given(offers_on_the_table())
        .when(bob(), Command::Pet(PetCommand::RequestRelease))
        .events();
}

#[test]
fn a_confirmation_names_the_revision_it_agrees_to() {
    Scenario::given(offers_on_the_table())
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 1,
            }),
        )
        .then_rejected(TradeRejection::StaleOffer { revision: 2 });
    Scenario::given(offers_on_the_table())
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then([confirmed(ALICE, 2)]);
    let mut again = offers_on_the_table();
    again.push(confirmed(ALICE, 2));
    Scenario::given(again)
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then_rejected(TradeRejection::AlreadyConfirmed);
    let mut empty = two_traders();
    empty.push(opened());
    Scenario::given(empty)
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 0,
            }),
        )
        .then_rejected(TradeRejection::NothingOnOffer);
}

#[test]
fn an_edit_clears_both_confirmations() {
    let mut given = offers_on_the_table();
    given.push(confirmed(ALICE, 2));
    // Bob takes 150 back: Alice's confirmation of revision 2 no longer counts.
    given.push(trade(TradeEvent::Removed {
        trade: T,
        player: BOB,
        asset: Asset::Energon,
        amount: 150,
    }));
    Scenario::given(given.clone())
        .when(
            bob(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 3,
            }),
        )
        .then([confirmed(BOB, 3)]);
    Scenario::given(given)
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then_rejected(TradeRejection::StaleOffer { revision: 3 });
}

#[test]
fn the_second_confirmation_swaps_everything_in_one_batch() {
    let mut given = offers_on_the_table();
    given.push(confirmed(ALICE, 2));
    Scenario::given(given)
        .when(
            bob(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then([
            confirmed(BOB, 2),
            Event::Pet(PetEvent::ItemGivenAway {
                player: ALICE,
                item: core(0),
                count: 1,
                to: BOB,
            }),
            Event::Pet(PetEvent::ItemReceived {
                player: BOB,
                item: core(0),
                count: 1,
                from: ALICE,
            }),
            Event::Energon(EnergonEvent::Debited {
                player: BOB,
                amount: 200,
                rule: LedgerRule::TradeOut { to: ALICE },
            }),
            Event::Energon(EnergonEvent::Credited {
                player: ALICE,
                amount: 200,
                rule: LedgerRule::TradeIn { from: BOB },
            }),
            trade(TradeEvent::Completed { trade: T }),
        ]);
}

#[test]
fn a_swap_whose_energon_was_spent_meanwhile_is_refused_whole() {
    let mut given = offers_on_the_table();
    given.push(confirmed(ALICE, 2));
    // Bob spent all but 50 elsewhere after offering 200.
    given.push(Event::Energon(EnergonEvent::Debited {
        player: BOB,
        amount: 450,
        rule: LedgerRule::OperatorFine,
    }));
    Scenario::given(given)
        .when(
            bob(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then_rejected(TradeRejection::NoLongerHeld {
            player: BOB,
            asset: Asset::Energon,
            need: 200,
        });
}

#[test]
fn either_side_cancels_and_nothing_changes_hands() {
    Scenario::given(offers_on_the_table())
        .when(bob(), cmd(TradeCommand::Cancel { trade: T }))
        .then([trade(TradeEvent::Cancelled { trade: T, by: BOB })]);
    let mut ended = offers_on_the_table();
    ended.push(trade(TradeEvent::Cancelled { trade: T, by: BOB }));
    Scenario::given(ended.clone())
        .when(alice(), cmd(TradeCommand::Cancel { trade: T }))
        .then_rejected(TradeRejection::NoSuchTrade);
    // Once over, the core is free again.
    Scenario::given(ended)
        .when(
            alice(),
            Command::Pet(PetCommand::Equip {
                slot: Slot::EnergyCore,
                item: core(0),
            }),
        )
        .events();
}

#[test]
fn a_trade_expires_exactly_at_its_deadline() {
    let deadline = EPOCH.plus_secs(TRADE_TTL_SECS);
    let just_before = Timestamp(deadline.0 - 1);
    Scenario::given(offers_on_the_table())
        .at(just_before)
        .when(Actor::System, cmd(TradeCommand::Expire { trade: T }))
        .then_rejected(TradeRejection::TooEarly {
            expires_at: deadline,
        });
    Scenario::given(offers_on_the_table())
        .at(just_before)
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then([confirmed(ALICE, 2)]);
    Scenario::given(offers_on_the_table())
        .at(deadline)
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then_rejected(TradeRejection::Expired);
    Scenario::given(offers_on_the_table())
        .at(deadline)
        .when(Actor::System, cmd(TradeCommand::Expire { trade: T }))
        .then([trade(TradeEvent::Expired { trade: T })]);
}

#[test]
fn erasing_a_party_withdraws_the_trade_before_the_erasure() {
    let events = Scenario::given(offers_on_the_table())
        .when(
            Actor::Operator(PlayerId(1)),
            Command::Player(PlayerCommand::Erase { player: BOB }),
        )
        .events();
    assert_eq!(
        events.first(),
        Some(&trade(TradeEvent::Withdrawn {
            trade: T,
            player: BOB
        }))
    );
    assert!(matches!(
        events.last(),
        Some(Event::Player(PlayerEvent::Erased {
            player: BOB,
            wallet: 500,
            ..
        }))
    ));
}

#[test]
fn a_swap_that_would_overflow_the_receivers_wallet_is_refused() {
    let mut given = offers_on_the_table();
    given.push(granted(ALICE, u64::MAX - 100));
    given.push(confirmed(ALICE, 2));
    Scenario::given(given)
        .when(
            bob(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then_rejected(allspark_engine::energon::EnergonRejection::BalanceTooLarge);
}

// CyberCoin on offer (schema 12): the amount is in micro-coins, and the cost basis goes with
// the coins in proportion.

const MICRO: u64 = allspark_engine::market::tuning::MICRO;

fn market(event: MarketEvent) -> Event {
    Event::Market(event)
}

/// The two traders (no pets needed for coins) with the market open, Alice holding 10 coins
/// bought for 1,000 energon (a basis of 1,000 energon in micro-energon), Bob 500 energon.
fn coin_traders() -> Vec<Event> {
    vec![
        joined(ALICE),
        joined(BOB),
        granted(BOB, 500),
        market(MarketEvent::Opened {
            price: 100 * MICRO,
            at: EPOCH,
        }),
        market(MarketEvent::Bought {
            player: ALICE,
            coins: 10 * MICRO,
            paid: 1_000,
            fee: 10,
            price: 100 * MICRO,
        }),
    ]
}

fn sell(amount: Amount) -> Command {
    Command::Market(MarketCommand::Sell { amount })
}

#[test]
fn coins_can_be_offered_only_up_to_what_is_held_and_free() {
    let mut given = coin_traders();
    given.push(opened());
    Scenario::given(given.clone())
        .when(
            alice(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Coins,
                amount: 10 * MICRO + 1,
            }),
        )
        .then_rejected(TradeRejection::NotEnough {
            asset: Asset::Coins,
            need: 10 * MICRO + 1,
            available: 10 * MICRO,
        });
    Scenario::given(given)
        .when(
            bob(),
            cmd(TradeCommand::Add {
                trade: T,
                asset: Asset::Coins,
                amount: 1,
            }),
        )
        .then_rejected(TradeRejection::NotEnough {
            asset: Asset::Coins,
            need: 1,
            available: 0,
        });
}

#[test]
fn coins_on_offer_cannot_be_sold_until_taken_back() {
    let mut given = coin_traders();
    given.extend([opened(), added(ALICE, Asset::Coins, 4 * MICRO)]);
    // Selling more than the 6 free coins names the 4 on offer.
    Scenario::given(given.clone())
        .when(alice(), sell(Amount::Coins(7 * MICRO)))
        .then_rejected(MarketRejection::OnOffer {
            offered: 4 * MICRO,
            free: 6 * MICRO,
        });
    // Selling everything sells the free 6 only.
    let events = Scenario::given(given.clone())
        .when(alice(), sell(Amount::All))
        .events();
    assert!(
        events.iter().any(|e| matches!(
            e,
            Event::Market(MarketEvent::Sold { coins, .. }) if *coins == 6 * MICRO
        )),
        "{events:?}"
    );
    // With everything on offer nothing is free.
    let mut all_on_offer = coin_traders();
    all_on_offer.extend([opened(), added(ALICE, Asset::Coins, 10 * MICRO)]);
    Scenario::given(all_on_offer)
        .when(alice(), sell(Amount::All))
        .then_rejected(MarketRejection::OnOffer {
            offered: 10 * MICRO,
            free: 0,
        });
}

#[test]
fn the_swap_moves_coins_with_their_share_of_the_cost_basis() {
    let mut given = coin_traders();
    given.extend([
        opened(),
        added(ALICE, Asset::Coins, 4 * MICRO),
        added(BOB, Asset::Energon, 200),
        confirmed(ALICE, 2),
    ]);
    // 4 of 10 coins carry 4/10 of the 1,000 energon they cost.
    let basis = 400 * MICRO;
    let swap = [
        confirmed(BOB, 2),
        market(MarketEvent::GaveAway {
            player: ALICE,
            coins: 4 * MICRO,
            basis,
            to: BOB,
        }),
        market(MarketEvent::Received {
            player: BOB,
            coins: 4 * MICRO,
            basis,
            from: ALICE,
        }),
        Event::Energon(EnergonEvent::Debited {
            player: BOB,
            amount: 200,
            rule: LedgerRule::TradeOut { to: ALICE },
        }),
        Event::Energon(EnergonEvent::Credited {
            player: ALICE,
            amount: 200,
            rule: LedgerRule::TradeIn { from: BOB },
        }),
        trade(TradeEvent::Completed { trade: T }),
    ];
    Scenario::given(given.clone())
        .when(
            bob(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then(swap.clone());
    // After the swap: holdings and bases moved, nothing minted or burned, no profit taken.
    given.extend(swap);
    let after = Scenario::given(given);
    let world = after.world();
    let a = market::view::portfolio(world, ALICE).unwrap_or_else(|| panic!("alice"));
    let b = market::view::portfolio(world, BOB).unwrap_or_else(|| panic!("bob"));
    assert_eq!((a.coins, a.basis, a.realised), (6 * MICRO, 600 * MICRO, 0));
    assert_eq!((b.coins, b.basis, b.realised), (4 * MICRO, basis, 0));
    assert_eq!(world.market().circulation(), 10 * MICRO);
    assert!(world.market().is_conserved());
    assert!(world.trades().get(T).is_none());
}

#[test]
fn a_swap_whose_coins_were_sold_meanwhile_is_refused_whole() {
    let mut given = coin_traders();
    given.extend([
        opened(),
        added(ALICE, Asset::Coins, 4 * MICRO),
        added(BOB, Asset::Energon, 200),
        confirmed(BOB, 2),
        // Alice's holding shrank below her offer (an old log's sale, before coins on offer
        // were held back).
        market(MarketEvent::Sold {
            player: ALICE,
            coins: 8 * MICRO,
            received: 700,
            fee: 7,
            price: 90 * MICRO,
        }),
    ]);
    Scenario::given(given)
        .when(
            alice(),
            cmd(TradeCommand::Confirm {
                trade: T,
                revision: 2,
            }),
        )
        .then_rejected(TradeRejection::NoLongerHeld {
            player: ALICE,
            asset: Asset::Coins,
            need: 4 * MICRO,
        });
}

#[test]
fn rejections_about_coins_read_in_coins() {
    let text = TradeRejection::NotEnough {
        asset: Asset::Coins,
        need: 1_500_000,
        available: 250_000,
    }
    .to_string();
    assert!(
        text.contains("0.25 CC") && text.contains("1.5 CC"),
        "{text}"
    );
}
