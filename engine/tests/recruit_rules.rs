//! Recruitment: who may record sends, both cooldowns to the millisecond (60 hours per nation,
//! 60 days per template), what an attempt without an outcome and a definite refusal hold, and
//! the read models the adapter filters and reports with.

use allspark_engine::player::PlayerEvent;
use allspark_engine::recruit::view::{self, Candidate};
use allspark_engine::recruit::{
    FailReason, NationId, RecruitCommand, RecruitEvent, RecruitRejection, SendId, SendStatus,
    NATION_COOLDOWN_SECS, TEMPLATE_COOLDOWN_SECS,
};
use allspark_engine::testing::{Scenario, EPOCH};
use allspark_engine::{Actor, Command, Event, PlayerId, Timestamp};

const LEADER: PlayerId = PlayerId(42);
const NATION: NationId = NationId(5_150);
const OPERATOR: Actor = Actor::Operator(PlayerId(1));

fn attempt(nation: NationId) -> Command {
    Command::Recruit(RecruitCommand::Attempt {
        nation,
        leader: LEADER,
    })
}

fn attempted(send: u64, nation: NationId, template: u16) -> Event {
    Event::Recruit(RecruitEvent::Attempted {
        send: SendId(send),
        nation,
        template,
        leader: LEADER,
    })
}

fn template_ids() -> Vec<u16> {
    allspark_engine::content::get()
        .recruit
        .keys()
        .copied()
        .collect()
}

/// The template an accepted attempt picked.
#[track_caller]
fn picked(events: &[Event]) -> (SendId, u16) {
    match events {
        [Event::Recruit(RecruitEvent::Attempted {
            send,
            nation,
            template,
            leader,
        })] => {
            assert_eq!((*nation, *leader), (NATION, LEADER));
            (*send, *template)
        }
        other => panic!("expected one Attempted, got {other:?}"),
    }
}

#[test]
fn only_the_worker_or_the_operator_records_sends() {
    Scenario::given([])
        .when(Actor::Player(LEADER), attempt(NATION))
        .then_rejected(RecruitRejection::NotAllowed);
    for actor in [Actor::System, OPERATOR] {
        let events = Scenario::given([]).when(actor, attempt(NATION)).events();
        let (send, template) = picked(&events);
        assert_eq!(send, SendId(1));
        assert!(template_ids().contains(&template));
    }
}

#[test]
fn the_admin_nation_and_nation_zero_are_never_messaged() {
    for nation in [NationId(1), NationId(0)] {
        Scenario::given([])
            .when(Actor::System, attempt(nation))
            .then_rejected(RecruitRejection::Excluded { nation });
    }
}

#[test]
fn the_nation_cooldown_ends_exactly_at_60_hours_and_an_unanswered_attempt_holds_it() {
    let ready = EPOCH.plus_secs(NATION_COOLDOWN_SECS);
    // Attempted only: the outcome never came (a crash). It counts.
    let given = || Scenario::given_at([(EPOCH, attempted(1, NATION, 3))]);
    given()
        .at(Timestamp(ready.0 - 1))
        .when(Actor::System, attempt(NATION))
        .then_rejected(RecruitRejection::NationOnCooldown {
            nation: NATION,
            ready_at: ready,
        });
    let events = given()
        .at(ready)
        .when(Actor::System, attempt(NATION))
        .events();
    let (send, template) = picked(&events);
    assert_eq!(send, SendId(2));
    assert_ne!(template, 3, "the template it had is blocked for 60 days");
    // A confirmed send holds it the same way.
    Scenario::given_at([
        (EPOCH, attempted(1, NATION, 3)),
        (
            EPOCH,
            Event::Recruit(RecruitEvent::Confirmed {
                send: SendId(1),
                nation: NATION,
            }),
        ),
    ])
    .at(Timestamp(ready.0 - 1))
    .when(Actor::System, attempt(NATION))
    .then_rejected(RecruitRejection::NationOnCooldown {
        nation: NATION,
        ready_at: ready,
    });
    // Another nation is not affected.
    let other = NationId(9);
    let events = given().when(Actor::System, attempt(other)).events();
    assert!(
        matches!(events.as_slice(), [Event::Recruit(RecruitEvent::Attempted { nation, .. })] if *nation == other)
    );
}

#[test]
fn a_definite_refusal_releases_both_cooldowns() {
    let events = Scenario::given_at([
        (EPOCH, attempted(1, NATION, 3)),
        (
            EPOCH,
            Event::Recruit(RecruitEvent::Failed {
                send: SendId(1),
                nation: NATION,
                reason: FailReason::RateLimited,
            }),
        ),
    ])
    .at(EPOCH.plus_secs(1))
    .when(Actor::System, attempt(NATION))
    .events();
    assert_eq!(picked(&events).0, SendId(2));
}

#[test]
fn the_template_cooldown_ends_exactly_at_60_days() {
    let ids = template_ids();
    assert!(ids.len() >= 50);
    // Every template was sent (and answered) at EPOCH; the nation cooldown is long over.
    let every = || {
        Scenario::given_at(
            ids.iter()
                .enumerate()
                .map(|(i, id)| (EPOCH, attempted(i as u64 + 1, NATION, *id))),
        )
    };
    let ready = EPOCH.plus_secs(TEMPLATE_COOLDOWN_SECS);
    every()
        .at(Timestamp(ready.0 - 1))
        .when(Actor::System, attempt(NATION))
        .then_rejected(RecruitRejection::NoTemplateAvailable {
            nation: NATION,
            ready_at: ready,
        });
    // The filter agrees with the rule on both sides of the boundary.
    let world = every();
    assert!(!view::can_message(
        world.world(),
        NATION,
        Timestamp(ready.0 - 1)
    ));
    assert_eq!(
        view::ready_at(world.world(), NATION, Timestamp(ready.0 - 1)),
        Some(ready)
    );
    assert!(view::can_message(world.world(), NATION, ready));
    let events = every()
        .at(ready)
        .when(Actor::System, attempt(NATION))
        .events();
    assert_eq!(picked(&events).0, SendId(ids.len() as u64 + 1));
    // With one template left, that one is picked.
    let last = *ids.last().unwrap_or(&0);
    let events = Scenario::given_at(
        ids.iter()
            .filter(|id| **id != last)
            .enumerate()
            .map(|(i, id)| (EPOCH, attempted(i as u64 + 1, NATION, *id))),
    )
    .at(EPOCH.plus_secs(NATION_COOLDOWN_SECS))
    .when(Actor::System, attempt(NATION))
    .events();
    assert_eq!(picked(&events).1, last);
}

#[test]
fn outcomes_are_recorded_once_for_known_sends() {
    let unknown = SendId(7);
    Scenario::given([])
        .when(
            Actor::System,
            Command::Recruit(RecruitCommand::Confirm { send: unknown }),
        )
        .then_rejected(RecruitRejection::UnknownSend { send: unknown });
    let send = SendId(1);
    let given = || Scenario::given([attempted(1, NATION, 3)]);
    given()
        .when(
            Actor::System,
            Command::Recruit(RecruitCommand::Confirm { send }),
        )
        .then([Event::Recruit(RecruitEvent::Confirmed {
            send,
            nation: NATION,
        })]);
    given()
        .when(
            Actor::System,
            Command::Recruit(RecruitCommand::Fail {
                send,
                reason: FailReason::Refused,
            }),
        )
        .then([Event::Recruit(RecruitEvent::Failed {
            send,
            nation: NATION,
            reason: FailReason::Refused,
        })]);
    let confirmed = Scenario::given([
        attempted(1, NATION, 3),
        Event::Recruit(RecruitEvent::Confirmed {
            send,
            nation: NATION,
        }),
    ]);
    confirmed
        .when(
            Actor::System,
            Command::Recruit(RecruitCommand::Fail {
                send,
                reason: FailReason::Refused,
            }),
        )
        .then_rejected(RecruitRejection::AlreadySettled { send });
    given()
        .when(
            Actor::Player(LEADER),
            Command::Recruit(RecruitCommand::Confirm { send }),
        )
        .then_rejected(RecruitRejection::NotAllowed);
}

#[test]
fn an_erased_leader_is_no_longer_named_but_the_cooldown_stays() {
    let scenario = Scenario::given([
        attempted(1, NATION, 3),
        Event::Player(PlayerEvent::Erased {
            player: LEADER,
            wallet: 0,
            bank: 0,
            rush: 0,
        }),
    ]);
    let line = view::send(scenario.world(), SendId(1));
    assert_eq!(line.map(|l| l.leader), Some(None));
    assert!(!view::can_message(
        scenario.world(),
        NATION,
        EPOCH.plus_secs(1)
    ));
}

fn candidate(nation: u64, last_active: Timestamp) -> Candidate {
    Candidate {
        nation: NationId(nation),
        last_active,
        vacation_turns: 0,
        alliance: 0,
    }
}

#[test]
fn the_filter_drops_admin_allied_vacation_inactive_and_cooling_nations() {
    let now = EPOCH.plus_secs(10 * 24 * 3600);
    let week = now.plus_secs(-7 * 24 * 3600);
    let scenario = Scenario::given_at([(
        EPOCH.plus_secs(10 * 24 * 3600 - 60),
        attempted(1, NATION, 3),
    )]);
    let candidates = [
        candidate(1, now), // admin
        Candidate {
            alliance: 9,
            ..candidate(2, now)
        }, // allied
        Candidate {
            vacation_turns: 3,
            ..candidate(3, now)
        }, // vacation
        candidate(4, Timestamp(week.0 - 1)), // inactive by one millisecond
        candidate(5, week), // active exactly 7 days ago: kept
        candidate(NATION.0, now), // messaged a minute ago
        candidate(6, now),
    ];
    let filtered = view::eligible(scenario.world(), &candidates, now, 7);
    assert_eq!(filtered.eligible, vec![4, 6]);
    assert_eq!(
        (
            filtered.admin,
            filtered.allied,
            filtered.vacation,
            filtered.inactive,
            filtered.on_cooldown
        ),
        (1, 1, 1, 1, 1)
    );
}

#[test]
fn stats_count_sends_nations_cooldowns_and_what_awaits_review() {
    let t1 = EPOCH;
    let t2 = EPOCH.plus_secs(3600);
    let scenario = Scenario::given_at([
        (t1, attempted(1, NationId(10), 1)),
        (
            t1,
            Event::Recruit(RecruitEvent::Confirmed {
                send: SendId(1),
                nation: NationId(10),
            }),
        ),
        (t1, attempted(2, NationId(11), 2)),
        (
            t1,
            Event::Recruit(RecruitEvent::Failed {
                send: SendId(2),
                nation: NationId(11),
                reason: FailReason::Refused,
            }),
        ),
        (t2, attempted(3, NationId(12), 4)),
    ]);
    let stats = view::stats(scenario.world(), t2);
    assert_eq!(
        (
            stats.totals.attempted,
            stats.totals.confirmed,
            stats.totals.failed
        ),
        (3, 1, 1)
    );
    assert_eq!(stats.unique_nations, 2, "the refused nation got nothing");
    assert_eq!(stats.on_cooldown, 2);
    assert_eq!(
        stats.next_available,
        Some(t1.plus_secs(NATION_COOLDOWN_SECS))
    );
    let recent: Vec<u64> = stats.recent.iter().map(|l| l.send.0).collect();
    assert_eq!(recent, vec![3, 2, 1]);
    assert_eq!(stats.awaiting.len(), 1);
    assert_eq!(stats.awaiting[0].send, SendId(3));
    assert_eq!(stats.awaiting[0].status, SendStatus::Attempted);
    // Past every cooldown, nothing is on cooldown and nothing is next.
    let later = view::stats(scenario.world(), t2.plus_secs(NATION_COOLDOWN_SECS));
    assert_eq!((later.on_cooldown, later.next_available), (0, None));
}
