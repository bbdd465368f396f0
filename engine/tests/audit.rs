//! The audit log (issue 21): operator actions and sensitive events read from the event log,
//! newest first, filtered and paginated; a clearing hides older entries and stays itself.

use allspark_engine::admin::view::{audit_page, audit_point, AuditFilter, PAGE_SIZE};
use allspark_engine::admin::{AdminCommand, AdminRejection};
use allspark_engine::energon::EnergonCommand;
use allspark_engine::player::PlayerCommand;
use allspark_engine::testing::TestEngine;
use allspark_engine::{Actor, Command, Outcome, PlayerId, Rejection};

const OPERATOR: Actor = Actor::Operator(PlayerId(999));

fn page(
    test: &TestEngine,
    filter: &AuditFilter,
    n: usize,
) -> allspark_engine::admin::view::AuditPage {
    let point = test
        .engine
        .query_blocking(audit_point)
        .unwrap_or_else(|e| panic!("{e}"));
    audit_page(test.engine.log().as_ref(), point, filter, n).unwrap_or_else(|e| panic!("{e}"))
}

fn kinds(page: &allspark_engine::admin::view::AuditPage) -> Vec<String> {
    page.entries.iter().map(|e| e.kind.clone()).collect()
}

fn accepted(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Accepted(_))
}

#[test]
fn operator_actions_and_erasures_are_audited_newest_first_and_filtered() {
    let mut test = TestEngine::new();
    for p in [1, 2, 3] {
        test.run(
            Actor::Player(PlayerId(p)),
            Command::Player(PlayerCommand::Join),
        );
    }
    for p in [1, 2] {
        let credit = EnergonCommand::Credit {
            player: PlayerId(p),
            amount: 10,
        };
        assert!(accepted(&test.run(OPERATOR, Command::Energon(credit))));
    }
    let fine = EnergonCommand::Debit {
        player: PlayerId(1),
        amount: 3,
    };
    assert!(accepted(&test.run(OPERATOR, Command::Energon(fine))));
    // A player's own erasure is sensitive although no operator did it.
    let erase = PlayerCommand::Erase {
        player: PlayerId(3),
    };
    assert!(accepted(
        &test.run(Actor::Player(PlayerId(3)), Command::Player(erase))
    ));

    let all = page(&test, &AuditFilter::default(), 0);
    assert_eq!(
        kinds(&all),
        ["erasure", "fine", "grant", "grant"],
        "{all:?}"
    );
    assert_eq!((all.total, all.pages, all.hidden), (4, 1, 0));

    let of_one = AuditFilter {
        user: Some(PlayerId(1)),
        kind: None,
    };
    assert_eq!(kinds(&page(&test, &of_one, 0)), ["fine", "grant"]);
    let by_operator = AuditFilter {
        user: Some(PlayerId(999)),
        kind: None,
    };
    assert_eq!(
        page(&test, &by_operator, 0).total,
        3,
        "the operator acted three times"
    );
    let grants = AuditFilter {
        user: None,
        kind: Some("grant".into()),
    };
    assert_eq!(page(&test, &grants, 0).total, 2);
    let grants_of_two = AuditFilter {
        user: Some(PlayerId(2)),
        kind: Some("grant".into()),
    };
    assert_eq!(page(&test, &grants_of_two, 0).total, 1);
}

#[test]
fn pages_hold_ten_entries_and_a_page_past_the_end_is_the_last() {
    let mut test = TestEngine::new();
    test.run(
        Actor::Player(PlayerId(1)),
        Command::Player(PlayerCommand::Join),
    );
    for amount in 1..=23 {
        let credit = EnergonCommand::Credit {
            player: PlayerId(1),
            amount,
        };
        assert!(accepted(&test.run(OPERATOR, Command::Energon(credit))));
    }
    let first = page(&test, &AuditFilter::default(), 0);
    assert_eq!(
        (first.total, first.pages, first.entries.len()),
        (23, 3, PAGE_SIZE)
    );
    let last = page(&test, &AuditFilter::default(), 99);
    assert_eq!((last.page, last.entries.len()), (2, 3));
    // Newest first: the last page holds the oldest grants, the first the newest.
    assert!(first.entries[0].event.seq > last.entries[2].event.seq);
}

#[test]
fn a_clearing_hides_older_entries_but_never_itself() {
    let mut test = TestEngine::new();
    test.run(
        Actor::Player(PlayerId(1)),
        Command::Player(PlayerCommand::Join),
    );
    let credit = |amount| {
        Command::Energon(EnergonCommand::Credit {
            player: PlayerId(1),
            amount,
        })
    };
    test.run(OPERATOR, credit(5));
    test.clock.advance_secs(7_200);
    test.run(OPERATOR, credit(6));
    test.clock.advance_secs(60);

    // Only the operator clears, and not beyond ten years.
    let by_player = test.run(
        Actor::Player(PlayerId(1)),
        Command::Admin(AdminCommand::ClearLogs { keep_secs: 0 }),
    );
    assert!(
        matches!(
            &by_player,
            Outcome::Rejected(Rejection::Admin(AdminRejection::NotAllowed))
        ),
        "{by_player:?}"
    );
    let too_long = test.run(
        OPERATOR,
        Command::Admin(AdminCommand::ClearLogs {
            keep_secs: allspark_engine::admin::KEEP_SECS_MAX + 1,
        }),
    );
    assert!(
        matches!(
            &too_long,
            Outcome::Rejected(Rejection::Admin(AdminRejection::KeepTooLong { .. }))
        ),
        "{too_long:?}"
    );
    assert_eq!(
        page(&test, &AuditFilter::default(), 0).total,
        2,
        "refusals clear nothing"
    );

    // Keeping an hour hides the first grant only.
    let keep_hour = Command::Admin(AdminCommand::ClearLogs { keep_secs: 3_600 });
    assert!(accepted(&test.run(OPERATOR, keep_hour)));
    let after = page(&test, &AuditFilter::default(), 0);
    assert_eq!(kinds(&after), ["logs_clear", "grant"], "{after:?}");
    assert_eq!(after.hidden, 1);

    // Clearing everything hides the second grant; both clearings stay.
    test.clock.advance_secs(1);
    let everything = Command::Admin(AdminCommand::ClearLogs { keep_secs: 0 });
    assert!(accepted(&test.run(OPERATOR, everything)));
    let after = page(&test, &AuditFilter::default(), 0);
    assert_eq!(kinds(&after), ["logs_clear", "logs_clear"], "{after:?}");
    assert_eq!(after.hidden, 2);
    // The events themselves are still in the log.
    assert_eq!(test.engine.log().last_seq(), 5);
}
