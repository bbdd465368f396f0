//! The trade rules as given-events / when-command / then-events scenarios: opening, offers and
//! their reservations, confirmations by revision, the one atomic swap, cancelling, expiry and
//! erasure.

use allspark_engine::area::Engagement;
use allspark_engine::content;
use allspark_engine::energon::{EnergonEvent, LedgerRule};
use allspark_engine::ids::Timestamp;
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
