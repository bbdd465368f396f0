//! The wallet ledger's rules as given-events / when-command / then-events scenarios, plus a
//! precedence table for rejections.

use allspark_engine::energon::{
    EnergonCommand, EnergonEvent, EnergonRejection, LedgerRule, AMOUNT_MAX,
};
use allspark_engine::player::{PlayerCommand, PlayerEvent, PlayerRejection};
use allspark_engine::testing::Scenario;
use allspark_engine::{Actor, Command, Event, PlayerId};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const STRANGER: PlayerId = PlayerId(999);

fn joined(player: PlayerId) -> Event {
    Event::Player(PlayerEvent::Joined { player })
}

fn granted(player: PlayerId, amount: u64) -> Event {
    Event::Energon(EnergonEvent::Credited {
        player,
        amount,
        rule: LedgerRule::OperatorGrant,
    })
}

fn transfer(to: PlayerId, amount: i64) -> Command {
    Command::Energon(EnergonCommand::Transfer { to, amount })
}

fn alice_and_bob_with(alice_balance: u64) -> Vec<Event> {
    vec![joined(ALICE), joined(BOB), granted(ALICE, alice_balance)]
}

#[test]
fn first_contact_joins_the_player() {
    Scenario::given([])
        .when(Actor::Player(ALICE), Command::Player(PlayerCommand::Join))
        .then([joined(ALICE)]);
}

#[test]
fn joining_again_records_nothing() {
    Scenario::given([joined(ALICE)])
        .when(Actor::Player(ALICE), Command::Player(PlayerCommand::Join))
        .then([]);
}

#[test]
fn the_operator_cannot_join_as_a_player() {
    Scenario::given([])
        .when(Actor::System, Command::Player(PlayerCommand::Join))
        .then_rejected(PlayerRejection::ActorMustBePlayer);
}

#[test]
fn transfer_moves_energon_with_both_legs_named() {
    Scenario::given(alice_and_bob_with(500))
        .when(Actor::Player(ALICE), transfer(BOB, 120))
        .then([
            Event::Energon(EnergonEvent::Debited {
                player: ALICE,
                amount: 120,
                rule: LedgerRule::TransferOut { to: BOB },
            }),
            Event::Energon(EnergonEvent::Credited {
                player: BOB,
                amount: 120,
                rule: LedgerRule::TransferIn { from: ALICE },
            }),
        ]);
}

#[test]
fn transfer_of_the_whole_balance_is_allowed() {
    Scenario::given(alice_and_bob_with(120))
        .when(Actor::Player(ALICE), transfer(BOB, 120))
        .then([
            Event::Energon(EnergonEvent::Debited {
                player: ALICE,
                amount: 120,
                rule: LedgerRule::TransferOut { to: BOB },
            }),
            Event::Energon(EnergonEvent::Credited {
                player: BOB,
                amount: 120,
                rule: LedgerRule::TransferIn { from: ALICE },
            }),
        ]);
}

#[test]
fn transfer_one_more_than_the_balance_is_rejected() {
    Scenario::given(alice_and_bob_with(120))
        .when(Actor::Player(ALICE), transfer(BOB, 121))
        .then_rejected(EnergonRejection::InsufficientEnergon {
            need: 121,
            have: 120,
        });
}

#[test]
fn a_new_player_sending_energon_is_rejected_and_not_even_joined() {
    // A rejected first command records nothing, not even the join.
    Scenario::given([joined(BOB)])
        .when(Actor::Player(ALICE), transfer(BOB, 5))
        .then_rejected(EnergonRejection::InsufficientEnergon { need: 5, have: 0 });
}

#[test]
fn a_new_player_receiving_from_the_operator_must_have_joined() {
    Scenario::given([])
        .when(
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player: ALICE,
                amount: 5,
            }),
        )
        .then_rejected(EnergonRejection::UnknownPlayer { player: ALICE });
}

#[test]
fn operator_credit_mints_and_debit_burns() {
    Scenario::given([joined(ALICE)])
        .when(
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player: ALICE,
                amount: 40,
            }),
        )
        .then([granted(ALICE, 40)]);
    Scenario::given([joined(ALICE), granted(ALICE, 40)])
        .when(
            Actor::System,
            Command::Energon(EnergonCommand::Debit {
                player: ALICE,
                amount: 40,
            }),
        )
        .then([Event::Energon(EnergonEvent::Debited {
            player: ALICE,
            amount: 40,
            rule: LedgerRule::OperatorFine,
        })]);
}

#[test]
fn operator_debit_beyond_the_balance_is_rejected() {
    Scenario::given([joined(ALICE), granted(ALICE, 40)])
        .when(
            Actor::System,
            Command::Energon(EnergonCommand::Debit {
                player: ALICE,
                amount: 41,
            }),
        )
        .then_rejected(EnergonRejection::InsufficientEnergon { need: 41, have: 40 });
}

#[test]
fn a_player_sending_to_a_joined_player_first_joins_themselves() {
    // Alice is unknown but Bob's transfer to her is refused: she must have played first.
    Scenario::given([joined(BOB), granted(BOB, 10)])
        .when(Actor::Player(BOB), transfer(ALICE, 5))
        .then_rejected(EnergonRejection::UnknownPlayer { player: ALICE });
}

#[test]
fn wallet_overflow_is_rejected() {
    // Given events are facts, not commands: one grant can stand for a long history of them.
    let mut given = alice_and_bob_with(AMOUNT_MAX);
    given.push(granted(BOB, u64::MAX - AMOUNT_MAX + 1));
    Scenario::given(given)
        .when(Actor::Player(ALICE), transfer(BOB, AMOUNT_MAX as i64))
        .then_rejected(EnergonRejection::BalanceTooLarge);
}

/// Each row: the command, who sends it, and the one rejection the documented order gives when
/// several checks fail at once.
#[test]
fn rejection_precedence_follows_the_documented_order() {
    use EnergonRejection as R;
    let rows: Vec<(&str, Actor, EnergonCommand, R)> = vec![
        (
            "operator-only beats a bad amount",
            Actor::Player(ALICE),
            EnergonCommand::Credit {
                player: STRANGER,
                amount: -5,
            },
            R::OperatorOnly,
        ),
        (
            "a bad amount beats self-transfer",
            Actor::Player(ALICE),
            EnergonCommand::Transfer {
                to: ALICE,
                amount: 0,
            },
            R::AmountNotPositive { amount: 0 },
        ),
        (
            "a negative amount is named as typed",
            Actor::Player(ALICE),
            EnergonCommand::Transfer {
                to: BOB,
                amount: -7,
            },
            R::AmountNotPositive { amount: -7 },
        ),
        (
            "too large beats unknown player",
            Actor::Player(ALICE),
            EnergonCommand::Transfer {
                to: STRANGER,
                amount: AMOUNT_MAX as i64 + 1,
            },
            R::AmountTooLarge { max: AMOUNT_MAX },
        ),
        (
            "self-transfer beats insufficient funds",
            Actor::Player(ALICE),
            EnergonCommand::Transfer {
                to: ALICE,
                amount: 10_000,
            },
            R::SelfTransfer,
        ),
        (
            "unknown payee beats insufficient funds",
            Actor::Player(ALICE),
            EnergonCommand::Transfer {
                to: STRANGER,
                amount: 10_000,
            },
            R::UnknownPlayer { player: STRANGER },
        ),
        (
            "the operator has no wallet to send from",
            Actor::System,
            EnergonCommand::Transfer { to: BOB, amount: 1 },
            R::SenderMustBePlayer,
        ),
    ];
    for (name, actor, command, expected) in rows {
        let result = std::panic::catch_unwind(|| {
            Scenario::given(alice_and_bob_with(100))
                .when(actor, Command::Energon(command.clone()))
                .then_rejected(expected.clone());
        });
        assert!(result.is_ok(), "row failed: {name}");
    }
}
