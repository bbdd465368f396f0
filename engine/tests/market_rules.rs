//! The CyberCoin market's rules: ticks, orders, conservation, and that no sequence of trades
//! inside one tick makes a profit.

use allspark_engine::energon::{EnergonCommand, EnergonEvent, EnergonRejection, LedgerRule};
use allspark_engine::market::tuning::{
    CATCH_UP_MAX, MICRO, OPENING_PRICE, ORDER_MIN_ENERGON, PRICE_MAX, PRICE_MIN, WALK_CAP_BP,
};
use allspark_engine::market::{
    quote_buy, quote_sell, Amount, AmountError, MarketCommand, MarketEvent, MarketRejection, Unit,
};
use allspark_engine::player::{PlayerCommand, PlayerEvent};
use allspark_engine::testing::{Driver, Scenario, EPOCH};
use allspark_engine::{Actor, Command, Event, PlayerId, Timestamp};
use proptest::prelude::*;

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const HOUR_MS: i64 = 3_600_000;
/// 2026-01-02T00:00Z: no holiday on the 2nd to the 13th of January.
const QUIET: Timestamp = Timestamp(EPOCH.0 + 24 * HOUR_MS);

fn market(command: MarketCommand) -> Command {
    Command::Market(command)
}

fn opened_at(at: Timestamp) -> Event {
    Event::Market(MarketEvent::Opened {
        price: OPENING_PRICE,
        at,
    })
}

fn funded(player: PlayerId, amount: u64) -> [Event; 2] {
    [
        Event::Player(PlayerEvent::Joined { player }),
        Event::Energon(EnergonEvent::Credited {
            player,
            amount,
            rule: LedgerRule::OperatorGrant,
        }),
    ]
}

fn open_with(player: PlayerId, energon: u64) -> Scenario {
    let mut events = vec![(QUIET, opened_at(QUIET))];
    events.extend(funded(player, energon).map(|event| (QUIET, event)));
    Scenario::given_at(events)
}

#[test]
fn the_first_tick_opens_the_market_at_the_opening_price() {
    Scenario::given([])
        .at(QUIET)
        .when(
            Actor::System,
            market(MarketCommand::Tick {
                number: 0,
                at: QUIET,
            }),
        )
        .then([opened_at(QUIET)]);
}

#[test]
fn nothing_trades_before_the_market_opens() {
    Scenario::given(funded(ALICE, 500))
        .when(
            Actor::Player(ALICE),
            market(MarketCommand::Buy {
                amount: Amount::Energon(100),
            }),
        )
        .then_rejected(MarketRejection::NotOpen);
}

#[test]
fn only_the_timer_ticks_and_only_players_trade() {
    open_with(ALICE, 500)
        .when(
            Actor::Player(ALICE),
            market(MarketCommand::Tick {
                number: 1,
                at: QUIET,
            }),
        )
        .then_rejected(MarketRejection::SystemOnly);
    open_with(ALICE, 500)
        .when(
            Actor::System,
            market(MarketCommand::Buy {
                amount: Amount::Energon(100),
            }),
        )
        .then_rejected(MarketRejection::PlayersOnly);
}

#[test]
fn a_tick_must_be_the_next_one_and_not_ahead_of_its_instant() {
    let next = Timestamp(QUIET.0 + HOUR_MS);
    open_with(ALICE, 0)
        .at(next)
        .when(
            Actor::System,
            market(MarketCommand::Tick {
                number: 2,
                at: next,
            }),
        )
        .then_rejected(MarketRejection::TickOutOfOrder {
            expected: 1,
            got: 2,
        });
    // Not after the previous tick: out of order too.
    open_with(ALICE, 0)
        .at(next)
        .when(
            Actor::System,
            market(MarketCommand::Tick {
                number: 1,
                at: QUIET,
            }),
        )
        .then_rejected(MarketRejection::TickOutOfOrder {
            expected: 1,
            got: 1,
        });
    // Ahead of the clock: refused, and only time can change that (so it isn't recorded).
    let rejection = allspark_engine::Rejection::from(MarketRejection::TickAhead { at: next });
    open_with(ALICE, 0)
        .at(QUIET)
        .when(
            Actor::System,
            market(MarketCommand::Tick {
                number: 1,
                at: next,
            }),
        )
        .then_rejected(rejection.clone());
    assert!(rejection.is_time_dependent());
}

#[test]
fn a_buy_for_energon_burns_it_and_mints_coins_after_fee_and_impact() {
    // 1,000 energon: a fee of 10 (1 %), 990 buys at the price plus 99 bp of impact
    // (990 / 100,000 depth): 100.99 energon a coin, so 9.802950 coins (rounded down).
    let quote = quote_buy(OPENING_PRICE, Amount::Energon(1_000), 1_000).unwrap();
    assert_eq!(quote.fee, 10);
    assert_eq!(quote.price, 100_990_000);
    assert_eq!(quote.coins, 9_802_950);
    open_with(ALICE, 1_000)
        .when(
            Actor::Player(ALICE),
            market(MarketCommand::Buy {
                amount: Amount::Energon(1_000),
            }),
        )
        .then([
            Event::Market(MarketEvent::Bought {
                player: ALICE,
                coins: 9_802_950,
                paid: 1_000,
                fee: 10,
                price: 100_990_000,
            }),
            Event::Energon(EnergonEvent::Debited {
                player: ALICE,
                amount: 1_000,
                rule: LedgerRule::MarketBuy,
            }),
        ]);
}

#[test]
fn a_buy_for_coins_costs_their_price_rounded_up_plus_the_fee() {
    // 2 coins at 100 energon: 200 energon of notional, 20 bp impact: 100.2 a coin, 200.4
    // rounded up to 201, and a fee of 3 (1 % of 201, rounded up).
    let quote = quote_buy(OPENING_PRICE, Amount::Coins(2 * MICRO), 1_000).unwrap();
    assert_eq!((quote.coins, quote.energon, quote.fee), (2 * MICRO, 204, 3));
}

#[test]
fn orders_below_the_minimum_or_beyond_the_wallet_are_refused() {
    open_with(ALICE, 500)
        .when(
            Actor::Player(ALICE),
            market(MarketCommand::Buy {
                amount: Amount::Energon(ORDER_MIN_ENERGON - 1),
            }),
        )
        .then_rejected(MarketRejection::OrderTooSmall {
            min: ORDER_MIN_ENERGON,
        });
    open_with(ALICE, 500)
        .when(
            Actor::Player(ALICE),
            market(MarketCommand::Buy {
                amount: Amount::Energon(501),
            }),
        )
        .then_rejected(EnergonRejection::InsufficientEnergon {
            need: 501,
            have: 500,
        });
    open_with(ALICE, 500)
        .when(
            Actor::Player(ALICE),
            market(MarketCommand::Sell {
                amount: Amount::All,
            }),
        )
        .then_rejected(MarketRejection::NothingToSell);
}

#[test]
fn selling_for_an_amount_of_energon_receives_at_least_it() {
    let held = 50 * MICRO;
    for want in [10, 11, 99, 100, 777, 2_500] {
        let quote = quote_sell(OPENING_PRICE, Amount::Energon(want), held).unwrap();
        assert!(quote.energon >= want, "asked {want}, got {quote:?}");
        assert!(quote.energon <= want + 2, "asked {want}, got {quote:?}");
        assert!(quote.coins <= held);
    }
    assert_eq!(
        quote_sell(OPENING_PRICE, Amount::Energon(10_000), held),
        Err(MarketRejection::InsufficientCoins {
            need: quote_sell(OPENING_PRICE, Amount::Energon(10_000), u64::MAX)
                .unwrap()
                .coins,
            have: held,
        })
    );
}

#[test]
fn amounts_typed_by_players_are_read_or_refused_with_a_reason() {
    let e = |text| Amount::parse(text, Unit::Energon);
    assert_eq!(e("250"), Ok(Amount::Energon(250)));
    assert_eq!(e(" 1,000 "), Ok(Amount::Energon(1_000)));
    assert_eq!(e("1.5c"), Ok(Amount::Coins(1_500_000)));
    assert_eq!(e("0.000001 coins"), Ok(Amount::Coins(1)));
    assert_eq!(e(".25 CC"), Ok(Amount::Coins(250_000)));
    assert_eq!(e("ALL"), Ok(Amount::All));
    assert_eq!(
        Amount::parse("2", Unit::Coins),
        Ok(Amount::Coins(2 * MICRO))
    );
    assert_eq!(e(""), Err(AmountError::Empty));
    assert_eq!(e("0"), Err(AmountError::Zero));
    assert_eq!(e("1.5"), Err(AmountError::FractionalEnergon("1.5".into())));
    assert_eq!(e("1.0000001c"), Err(AmountError::TooManyDecimals));
    assert_eq!(e("-5"), Err(AmountError::NotANumber("-5".into())));
    assert_eq!(
        e("5 bananas"),
        Err(AmountError::NotANumber("5 bananas".into()))
    );
    assert_eq!(e("1.2.3"), Err(AmountError::NotANumber("1.2.3".into())));
    assert_eq!(e("99999999999999999999999"), Err(AmountError::TooLarge));
    assert_eq!(e("18446744073709551615c"), Err(AmountError::TooLarge));
}

/// A driver with an open market on a quiet date and two funded players.
fn driver() -> Driver {
    let mut driver = Driver::new(b"market tests");
    driver.now = QUIET;
    driver.must(
        Actor::System,
        market(MarketCommand::Tick {
            number: 0,
            at: QUIET,
        }),
    );
    for player in [ALICE, BOB] {
        driver.must(Actor::Player(player), Command::Player(PlayerCommand::Join));
        driver.must(
            Actor::Operator(PlayerId(1)),
            Command::Energon(EnergonCommand::Credit {
                player,
                amount: 1_000_000,
            }),
        );
    }
    driver
}

fn tick(driver: &mut Driver) -> Vec<Event> {
    let number = allspark_engine::market::view::clock(&driver.world).next_tick;
    driver.advance_secs(3_600);
    let at = driver.now;
    driver.must(Actor::System, market(MarketCommand::Tick { number, at }))
}

fn worth_micro(driver: &Driver, player: PlayerId) -> u128 {
    let price = allspark_engine::market::view::market(&driver.world)
        .unwrap()
        .price;
    let coins =
        allspark_engine::market::view::portfolio(&driver.world, player).map_or(0, |p| p.coins);
    u128::from(allspark_engine::energon::view::balances(&driver.world, player).wallet)
        * u128::from(MICRO)
        + allspark_engine::market::value_micro(price, coins)
}

#[derive(Clone, Debug)]
enum Order {
    Buy(Amount),
    Sell(Amount),
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        (0u64..300_000).prop_map(Amount::Energon),
        (0u64..3_000 * MICRO).prop_map(Amount::Coins),
        Just(Amount::All),
    ]
}

fn order() -> impl Strategy<Value = Order> {
    prop_oneof![
        amount().prop_map(Order::Buy),
        amount().prop_map(Order::Sell)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Inside one tick, every accepted trade strictly lowers what the trader holds valued at
    /// the tick's price, so no sequence of them makes a profit; refused ones change nothing.
    #[test]
    fn no_sequence_of_trades_inside_a_tick_makes_a_profit(
        ticks_before in 0usize..6,
        orders in proptest::collection::vec(order(), 1..40),
    ) {
        let mut driver = driver();
        for _ in 0..ticks_before {
            tick(&mut driver);
        }
        let start = worth_micro(&driver, ALICE);
        let mut before = start;
        let mut traded = false;
        for order in orders {
            let command = match order {
                Order::Buy(amount) => MarketCommand::Buy { amount },
                Order::Sell(amount) => MarketCommand::Sell { amount },
            };
            let accepted = driver.run(Actor::Player(ALICE), market(command)).is_ok();
            let after = worth_micro(&driver, ALICE);
            if accepted {
                prop_assert!(after < before, "a trade did not lose: {before} -> {after}");
                traded = true;
            } else {
                prop_assert_eq!(after, before);
            }
            before = after;
        }
        prop_assert!(!traded || before < start);
        prop_assert!(driver.world.market().is_conserved());
        prop_assert!(driver.world.energon().is_conserved());
    }

    /// Across ticks, trades by two players and an erasure: coins and energon stay conserved.
    #[test]
    fn coins_and_energon_are_conserved_across_ticks_and_erasure(
        steps in proptest::collection::vec((0u8..3, order()), 1..60),
    ) {
        let mut driver = driver();
        for (who, order) in steps {
            match who {
                0 => { tick(&mut driver); }
                _ => {
                    let player = if who == 1 { ALICE } else { BOB };
                    let command = match order {
                        Order::Buy(amount) => MarketCommand::Buy { amount },
                        Order::Sell(amount) => MarketCommand::Sell { amount },
                    };
                    let _ = driver.run(Actor::Player(player), market(command));
                }
            }
            prop_assert!(driver.world.market().is_conserved());
        }
        driver.must(
            Actor::Operator(PlayerId(1)),
            Command::Player(PlayerCommand::Erase { player: BOB }),
        );
        prop_assert!(allspark_engine::market::view::portfolio(&driver.world, BOB).is_none());
        prop_assert!(driver.world.market().is_conserved());
        prop_assert!(driver.world.energon().is_conserved());
    }
}

#[test]
fn the_walk_is_bounded_and_every_tick_records_the_price_it_decided() {
    let mut driver = driver();
    let mut price = OPENING_PRICE;
    let mut news = 0;
    for _ in 0..2_000 {
        for event in tick(&mut driver) {
            match event {
                Event::Market(MarketEvent::Ticked {
                    price: new,
                    walk_bp,
                    shock_bp,
                    ..
                }) => {
                    assert!(i64::from(walk_bp).abs() <= WALK_CAP_BP);
                    let walked =
                        u128::from(price) * (10_000 + i128::from(walk_bp)) as u128 / 10_000;
                    let expected = (walked * (10_000 + i128::from(shock_bp)) as u128 / 10_000)
                        .clamp(u128::from(PRICE_MIN), u128::from(PRICE_MAX));
                    assert_eq!(u128::from(new), expected);
                    price = new;
                }
                Event::Market(MarketEvent::NewsStarted { .. }) => news += 1,
                _ => {}
            }
        }
        assert_eq!(
            allspark_engine::market::view::market(&driver.world)
                .unwrap()
                .price,
            price
        );
    }
    // About one tick in twelve free of news starts some (news lasts 1 to 4 ticks).
    assert!((80..260).contains(&news), "{news} news in 2,000 ticks");
}

#[test]
fn ticks_are_deterministic_from_the_seed() {
    let run = || {
        let mut driver = driver();
        (0..200).flat_map(|_| tick(&mut driver)).collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}

#[test]
fn news_stays_in_force_for_its_ticks_then_ends() {
    let mut driver = driver();
    let (mut started, mut ended) = (None, 0);
    for number in 1..400u64 {
        for event in tick(&mut driver) {
            match event {
                Event::Market(MarketEvent::NewsStarted { ticks, .. }) => {
                    assert!(started.is_none(), "news while news was in force");
                    started = Some((number, ticks));
                }
                Event::Market(MarketEvent::NewsEnded { tick }) => {
                    let (at, ticks) = started.take().expect("ended news that never started");
                    assert_eq!(tick, at + u64::from(ticks));
                    ended += 1;
                }
                _ => {}
            }
        }
    }
    assert!(ended > 10);
}

#[test]
fn a_holiday_swings_the_price_on_its_date_and_ends_after_it() {
    // 2026-01-14 is a holiday in the content; start the day before.
    let eve = Timestamp(EPOCH.0 + 12 * 24 * HOUR_MS);
    let mut driver = Driver::new(b"holiday");
    driver.now = eve;
    driver.must(
        Actor::System,
        market(MarketCommand::Tick { number: 0, at: eve }),
    );
    let mut started = Vec::new();
    let mut ended = Vec::new();
    for _ in 0..48 {
        for event in tick(&mut driver) {
            match event {
                Event::Market(MarketEvent::HolidayStarted {
                    tick,
                    multiplier_bp,
                    ..
                }) => started.push((tick, multiplier_bp)),
                Event::Market(MarketEvent::HolidayEnded { tick }) => ended.push(tick),
                _ => {}
            }
        }
    }
    // Ticks 1..=23 fall on the 13th, 24..=47 on the 14th, 48 on the 15th.
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].0, 24);
    assert_ne!(started[0].1, 10_000);
    assert_eq!(ended, vec![48]);
}

#[test]
fn missed_ticks_are_recorded_not_simulated() {
    let mut driver = driver();
    tick(&mut driver);
    driver.advance_secs(100 * 3_600);
    let events = driver.must(
        Actor::System,
        market(MarketCommand::SkipTicks {
            from: 2,
            count: 100 - CATCH_UP_MAX,
        }),
    );
    assert_eq!(
        events,
        vec![Event::Market(MarketEvent::TicksMissed {
            from: 2,
            count: 100 - CATCH_UP_MAX
        })]
    );
    let clock = allspark_engine::market::view::clock(&driver.world);
    assert_eq!(clock.next_tick, 2 + 100 - CATCH_UP_MAX);
    assert!(driver
        .run(
            Actor::System,
            market(MarketCommand::SkipTicks { from: 2, count: 1 })
        )
        .is_err());
}

#[test]
fn erasure_burns_the_players_coins() {
    let mut driver = driver();
    driver.must(
        Actor::Player(BOB),
        market(MarketCommand::Buy {
            amount: Amount::Energon(5_000),
        }),
    );
    let circulation = driver.world.market().circulation();
    assert!(circulation > 0);
    driver.must(
        Actor::Operator(PlayerId(1)),
        Command::Player(PlayerCommand::Erase { player: BOB }),
    );
    assert_eq!(driver.world.market().circulation(), 0);
    assert!(driver.world.market().is_conserved());
}

#[test]
fn the_profit_board_ranks_realised_profit_and_the_holdings_board_coins() {
    let mut driver = driver();
    for (player, spend) in [(ALICE, 20_000), (BOB, 5_000)] {
        driver.must(
            Actor::Player(player),
            market(MarketCommand::Buy {
                amount: Amount::Energon(spend),
            }),
        );
    }
    let (page, pages) = allspark_engine::market::view::board(
        &driver.world,
        allspark_engine::market::view::Board::Holdings,
        0,
    );
    assert_eq!(pages, 1);
    assert_eq!(
        page.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        vec![ALICE, BOB]
    );
    let alice = allspark_engine::market::view::portfolio(&driver.world, ALICE).unwrap();
    assert_eq!(alice.holdings_rank, Some(1));
    assert_eq!(alice.profit_rank, None);
    assert!(
        alice.unrealised < 0,
        "fees and impact make a fresh position a loss"
    );
}

#[test]
fn the_erasure_preview_counts_the_coins_that_would_burn() {
    let mut driver = driver();
    driver.must(
        Actor::Player(BOB),
        market(MarketCommand::Buy {
            amount: Amount::Energon(5_000),
        }),
    );
    let held = allspark_engine::market::view::portfolio(&driver.world, BOB)
        .unwrap()
        .coins;
    let preview = allspark_engine::player::view::erasure_preview(&driver.world, BOB);
    assert_eq!(preview.coins, held);
    assert!(held > 0);
}
