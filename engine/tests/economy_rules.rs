//! The energon economy beyond transfers: the bank, the Energon Rush (scout, search, rounds) and
//! the leaderboards.

use allspark_engine::energon::{
    search_bonus, search_weights, EnergonCommand, EnergonEvent, EnergonRejection, LedgerRule,
    Period, RushFind, FORAGE_COOLDOWN_SECS, RUSH_PRIZE, RUSH_TARGET,
};
use allspark_engine::player::PlayerEvent;
use allspark_engine::testing::{Scenario, EPOCH};
use allspark_engine::{Actor, Command, Event, PlayerId, Timestamp};

const CARA: PlayerId = PlayerId(11);
const DAN: PlayerId = PlayerId(12);

fn energon(command: EnergonCommand) -> Command {
    Command::Energon(command)
}

fn joined(player: PlayerId) -> Event {
    Event::Player(PlayerEvent::Joined { player })
}

fn credited(player: PlayerId, amount: u64, rule: LedgerRule) -> Event {
    Event::Energon(EnergonEvent::Credited {
        player,
        amount,
        rule,
    })
}

fn rush_found(player: PlayerId, amount: u64) -> Event {
    Event::Energon(EnergonEvent::RushFound {
        player,
        round: 1,
        amount,
        find: RushFind::Scout,
    })
}

#[test]
fn deposits_and_withdrawals_move_energon_between_wallet_and_bank() {
    let given = vec![joined(CARA), credited(CARA, 300, LedgerRule::OperatorGrant)];
    Scenario::given(given.clone())
        .when(
            Actor::Player(CARA),
            energon(EnergonCommand::Deposit { amount: 120 }),
        )
        .then([Event::Energon(EnergonEvent::Deposited {
            player: CARA,
            amount: 120,
        })]);
    Scenario::given(given.clone())
        .when(
            Actor::Player(CARA),
            energon(EnergonCommand::Deposit { amount: 301 }),
        )
        .then_rejected(EnergonRejection::InsufficientEnergon {
            need: 301,
            have: 300,
        });
    let mut banked = given;
    banked.push(Event::Energon(EnergonEvent::Deposited {
        player: CARA,
        amount: 120,
    }));
    Scenario::given(banked.clone())
        .when(
            Actor::Player(CARA),
            energon(EnergonCommand::Withdraw { amount: 121 }),
        )
        .then_rejected(EnergonRejection::InsufficientBank {
            need: 121,
            have: 120,
        });
    let scenario = Scenario::given(banked);
    assert_eq!(scenario.world().energon().balance(CARA), 180);
    assert_eq!(scenario.world().energon().bank(CARA), 120);
    assert!(scenario.world().energon().is_conserved());
}

#[test]
fn scouting_finds_a_small_safe_amount_and_then_cools_down() {
    let events = Scenario::given([joined(CARA)])
        .when(Actor::Player(CARA), energon(EnergonCommand::Scout))
        .events();
    let Event::Energon(EnergonEvent::RushFound {
        amount,
        round: 1,
        find: RushFind::Scout,
        ..
    }) = events[0]
    else {
        panic!("{events:?}");
    };
    assert!((50..=200).contains(&amount));
    let given = vec![(EPOCH, joined(CARA)), (EPOCH, events[0].clone())];
    let ready_at = EPOCH.plus_secs(FORAGE_COOLDOWN_SECS);
    Scenario::given_at(given.clone())
        .at(Timestamp(ready_at.0 - 1))
        .when(Actor::Player(CARA), energon(EnergonCommand::Search))
        .then_rejected(EnergonRejection::ForageOnCooldown { ready_at });
    let later = Scenario::given_at(given)
        .at(ready_at)
        .when(Actor::Player(CARA), energon(EnergonCommand::Search))
        .events();
    assert!(!later.is_empty());
}

#[test]
fn search_odds_always_sum_to_one_and_a_pet_makes_them_better() {
    for level in [
        None,
        Some(1),
        Some(19),
        Some(20),
        Some(55),
        Some(99),
        Some(100),
    ] {
        let weights = search_weights(search_bonus(level));
        assert_eq!(weights.iter().sum::<u64>(), 1_000, "{level:?}");
    }
    assert_eq!(search_bonus(None), 0);
    assert_eq!(search_bonus(Some(1)), 5);
    assert_eq!(search_bonus(Some(100)), 25);
    let no_pet = search_weights(0);
    let best_pet = search_weights(25);
    assert!(best_pet[0] < no_pet[0] && best_pet[4] > no_pet[4]);
    assert_eq!(best_pet[0], 0);
}

#[test]
fn reaching_the_target_wins_the_round_pays_the_prize_and_resets_rush_balances() {
    let given = vec![
        joined(CARA),
        joined(DAN),
        rush_found(CARA, RUSH_TARGET - 10),
        rush_found(DAN, 400),
    ];
    let later = EPOCH.plus_secs(FORAGE_COOLDOWN_SECS);
    let events = Scenario::given(given.clone())
        .at(later)
        .when(Actor::Player(CARA), energon(EnergonCommand::Scout))
        .rule_events();
    assert_eq!(
        events[1..],
        [
            Event::Energon(EnergonEvent::RushRoundWon {
                round: 1,
                winner: CARA
            }),
            credited(CARA, RUSH_PRIZE, LedgerRule::RushPrize { round: 1 }),
        ]
    );
    let mut after = given;
    after.extend(events);
    let scenario = Scenario::given(after);
    let rush = &scenario.world().energon().rush;
    assert_eq!(rush.round, 2);
    assert_eq!((rush.balance(CARA), rush.balance(DAN)), (0, 0));
    assert_eq!(rush.results.len(), 1);
    assert_eq!(rush.stats.get(&CARA).map(|s| s.rounds_won), Some(1));
    assert_eq!(scenario.world().energon().balance(CARA), RUSH_PRIZE);
    assert!(scenario.world().energon().is_conserved());
}

#[test]
fn leaderboards_count_earnings_by_recorded_day_and_week_but_not_grants_or_slots() {
    let day = 86_400;
    let given = vec![
        (EPOCH, joined(CARA)),
        (EPOCH, joined(DAN)),
        (EPOCH, credited(CARA, 500, LedgerRule::MissionReward)),
        (
            EPOCH.plus_secs(3 * day),
            credited(DAN, 300, LedgerRule::TrainingReward),
        ),
        (
            EPOCH.plus_secs(9 * day),
            credited(CARA, 100, LedgerRule::MissionReward),
        ),
        (
            EPOCH.plus_secs(9 * day),
            credited(DAN, 1_000, LedgerRule::OperatorGrant),
        ),
        // A lost slots gamble pays back part of the bet: not an earning.
        (
            EPOCH.plus_secs(9 * day),
            Event::Energon(EnergonEvent::Debited {
                player: DAN,
                amount: 1_000,
                rule: LedgerRule::SlotsBet,
            }),
        ),
        (
            EPOCH.plus_secs(9 * day),
            credited(DAN, 800, LedgerRule::SlotsPayout),
        ),
    ];
    let scenario = Scenario::given_at(given);
    let boards = &scenario.world().energon().leaderboards;
    let now = EPOCH.plus_secs(9 * day + 60);
    assert_eq!(
        boards.top_earners(Period::Daily, now, 10),
        vec![(CARA, 100)]
    );
    assert_eq!(
        boards.top_earners(Period::Weekly, now, 10),
        vec![(DAN, 300), (CARA, 100)]
    );
    assert_eq!(
        boards.top_earners(Period::AllTime, now, 10),
        vec![(CARA, 600), (DAN, 300)]
    );
    assert_eq!(scenario.world().energon().richest(1), vec![(DAN, 1_100)]);
}

#[test]
fn the_operator_cannot_scout_or_bank() {
    Scenario::given([])
        .when(Actor::System, energon(EnergonCommand::Scout))
        .then_rejected(EnergonRejection::PlayersOnly);
    Scenario::given([])
        .when(
            Actor::System,
            energon(EnergonCommand::Deposit { amount: 5 }),
        )
        .then_rejected(EnergonRejection::PlayersOnly);
}

#[test]
fn a_players_history_lists_every_balance_change_newest_first_with_its_reason() {
    use allspark_engine::history::{ledger_page, Account, HISTORY_PAGE_LINES};
    use allspark_engine::testing::TestEngine;

    let mut test = TestEngine::new();
    let cara = Actor::Player(CARA);
    test.run(
        cara,
        Command::Player(allspark_engine::player::PlayerCommand::Join),
    );
    test.run(
        Actor::Player(DAN),
        Command::Player(allspark_engine::player::PlayerCommand::Join),
    );
    test.run(
        Actor::System,
        energon(EnergonCommand::Credit {
            player: CARA,
            amount: 1_000,
        }),
    );
    test.run(cara, energon(EnergonCommand::Deposit { amount: 400 }));
    test.run(
        cara,
        energon(EnergonCommand::Transfer {
            to: DAN,
            amount: 50,
        }),
    );
    test.run(
        cara,
        energon(EnergonCommand::Transfer {
            to: DAN,
            amount: 5_000,
        }),
    ); // refused
    for _ in 0..10 {
        test.run(cara, energon(EnergonCommand::Withdraw { amount: 1 }));
    }
    let first = ledger_page(test.engine.log().as_ref(), CARA, 0).unwrap_or_else(|e| panic!("{e}"));
    // 1 grant + 2 deposit legs + 1 transfer leg + 10 withdrawals * 2 legs = 24 lines.
    assert_eq!(first.n_pages, 24usize.div_ceil(HISTORY_PAGE_LINES));
    assert_eq!(first.lines[0].reason, "withdrawal");
    let last = ledger_page(test.engine.log().as_ref(), CARA, 99).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(last.page, first.n_pages - 1);
    let oldest = last
        .lines
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("empty page"));
    assert_eq!(
        (oldest.account, oldest.delta, oldest.reason.as_str()),
        (Account::Wallet, 1_000, "operator grant")
    );
    // As of an earlier seq (what a reader beside the writer may consider durable), later
    // lines are left out: as of the grant's seq there is just the grant.
    let as_of_grant = allspark_engine::history::ledger_page_until(
        test.engine.log().as_ref(),
        CARA,
        0,
        oldest.seq,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(as_of_grant.lines.len(), 1);
    assert_eq!(as_of_grant.lines[0].reason, "operator grant");
    let transfer = last
        .lines
        .iter()
        .find(|line| line.delta == -50)
        .map(|line| line.reason.clone());
    assert_eq!(transfer.as_deref(), Some("to <@12>"));
}
