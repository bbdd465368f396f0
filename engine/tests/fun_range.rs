//! The shooting range's rules: a session counts down, shows one target per round, times each
//! press from the round's showing to the press's own clock (clamped into what is possible),
//! counts only the first press of a round, calls a press after the window late, ranks the
//! accuracy exactly in integers, keeps records per length, and lapses when left alone.

use allspark_engine::fun::{
    self, FunCommand, FunEvent, FunRejection, ShotOutcome, RANGE_IDLE_SECS, ROUND_WINDOW_MS,
};
use allspark_engine::testing::{fixture_fun_events, fun_events, Scenario, TestEngine, EPOCH};
use allspark_engine::{Actor, Command, Event, PlayerId, Timestamp};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);

fn fun(command: FunCommand) -> Command {
    Command::Fun(command)
}

/// The round a list of events showed: (round, target, shown_at).
fn shown(events: &[FunEvent]) -> Option<(u8, u8, Timestamp)> {
    events.iter().find_map(|e| match e {
        FunEvent::RangeRoundShown {
            round,
            target,
            shown_at,
            ..
        } => Some((*round, *target, *shown_at)),
        _ => None,
    })
}

/// Plays a whole session for `player`: each round pressed `reaction` ms after it showed, on
/// the target while `hit(round)` says so, else on the next button. Returns the last events.
fn play(
    test: &mut TestEngine,
    player: PlayerId,
    rounds: u8,
    reaction: i64,
    hit: impl Fn(u8) -> bool,
) -> Vec<FunEvent> {
    let me = Actor::Player(player);
    let started = fun_events(test.run(me, fun(FunCommand::RangeStart { rounds })));
    let Some(FunEvent::RangeStarted { session, .. }) = started.last() else {
        panic!("{started:?}");
    };
    let session = *session;
    test.clock.advance_secs(3);
    let mut events = fun_events(test.run(me, fun(FunCommand::RangeReady { session })));
    loop {
        let Some((round, target, shown_at)) = shown(&events) else {
            return events;
        };
        test.clock.set(Timestamp(shown_at.0 + reaction + 150));
        let button = if hit(round) { target } else { (target + 1) % 5 };
        events = fun_events(test.run(
            me,
            fun(FunCommand::RangeShoot {
                session,
                round,
                button,
                pressed_at: Timestamp(shown_at.0 + reaction),
            }),
        ));
        let Some(FunEvent::RangeShot {
            reaction_ms,
            outcome,
            ..
        }) = events.first()
        else {
            panic!("{events:?}");
        };
        assert_eq!(i64::from(*reaction_ms), reaction);
        let expected = if hit(round) {
            ShotOutcome::Hit
        } else {
            ShotOutcome::Miss
        };
        assert_eq!(*outcome, expected, "round {round}");
    }
}

fn ended(events: &[FunEvent]) -> (u32, u8, u8, u8, bool) {
    events
        .iter()
        .find_map(|e| match e {
            FunEvent::RangeEnded {
                session,
                hits,
                unpressed,
                rank,
                record,
                ..
            } => Some((*session, *hits, *unpressed, *rank, *record)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("not ended: {events:?}"))
}

#[test]
fn a_session_plays_round_by_round_to_its_rank_and_records() {
    let mut test = TestEngine::new();
    // A perfect session: the top rank, a record.
    let last = play(&mut test, ALICE, 5, 300, |_| true);
    assert_eq!(ended(&last), (1, 5, 0, 8, true));
    // Four of five: not a record; 80 % is rank 4 exactly.
    let last = play(&mut test, ALICE, 5, 200, |round| round != 3);
    assert_eq!(ended(&last), (2, 4, 0, 4, false));
    // As many hits, quicker: a record again.
    let last = play(&mut test, ALICE, 5, 250, |_| true);
    assert_eq!(ended(&last), (3, 5, 0, 8, true));
    let stats = test
        .engine
        .query_blocking(move |w| fun::view::range_stats(w, ALICE))
        .expect("read");
    assert_eq!((stats.sessions, stats.rounds, stats.hits), (3, 15, 14));
    assert_eq!(stats.fastest_ms, Some(200));
    let best = &stats.by_rounds[&5];
    assert_eq!(
        (best.played, best.best_hits, best.best_hit_ms),
        (3, 5, 1_250)
    );

    // Bob, slower with as many hits, ranks below Alice; other lengths are their own boards.
    let last = play(&mut test, BOB, 5, 400, |_| true);
    assert_eq!(ended(&last), (1, 5, 0, 8, true));
    let leaders = test
        .engine
        .query_blocking(|w| {
            (
                fun::view::range_leaders(w, 5, 10),
                fun::view::range_leaders(w, 15, 10),
            )
        })
        .expect("read");
    let order: Vec<(PlayerId, u8, u64)> = leaders
        .0
        .iter()
        .map(|r| (r.player, r.best_hits, r.mean_ms))
        .collect();
    assert_eq!(order, vec![(ALICE, 5, 250), (BOB, 5, 400)]);
    assert!(leaders.1.is_empty());
}

fn open_session(round: u8, target: u8) -> Vec<(Timestamp, Event)> {
    let mut given = vec![
        (
            EPOCH,
            Event::Player(allspark_engine::player::PlayerEvent::Joined { player: ALICE }),
        ),
        (
            EPOCH,
            Event::Fun(FunEvent::RangeStarted {
                player: ALICE,
                session: 1,
                rounds: 5,
            }),
        ),
    ];
    if round > 0 {
        given.push((
            EPOCH.plus_secs(3),
            Event::Fun(FunEvent::RangeRoundShown {
                player: ALICE,
                round,
                target,
                shown_at: EPOCH.plus_secs(3),
            }),
        ));
    }
    given
}

fn shoot(round: u8, button: u8, pressed_at: Timestamp) -> Command {
    fun(FunCommand::RangeShoot {
        session: 1,
        round,
        button,
        pressed_at,
    })
}

#[test]
fn a_press_is_timed_by_its_own_clock_clamped_into_what_is_possible() {
    let shown_at = EPOCH.plus_secs(3);
    let now = Timestamp(shown_at.0 + 900);
    let alice = Actor::Player(ALICE);
    let reaction = |pressed_at: Timestamp, button: u8| {
        let events = Scenario::given_at(open_session(1, 2))
            .at(now)
            .when(alice, shoot(1, button, pressed_at))
            .events();
        match events.first() {
            Some(Event::Fun(FunEvent::RangeShot {
                reaction_ms,
                outcome,
                ..
            })) => (*reaction_ms, *outcome),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        reaction(Timestamp(shown_at.0 + 420), 2),
        (420, ShotOutcome::Hit)
    );
    assert_eq!(
        reaction(Timestamp(shown_at.0 + 420), 0),
        (420, ShotOutcome::Miss)
    );
    // A press that claims to come before the target showed is as fast as possible, no faster.
    assert_eq!(reaction(EPOCH, 2), (0, ShotOutcome::Hit));
    // A press that claims to come after it arrived is as late as its arrival.
    assert_eq!(reaction(Timestamp(i64::MAX), 2), (900, ShotOutcome::Hit));
    // After the window, even the target is a miss.
    let late = Timestamp(shown_at.0 + ROUND_WINDOW_MS + 1);
    let events = Scenario::given_at(open_session(1, 2))
        .at(late)
        .when(alice, shoot(1, 2, late))
        .events();
    assert!(matches!(
        events.first(),
        Some(Event::Fun(FunEvent::RangeShot {
            outcome: ShotOutcome::Late,
            ..
        }))
    ));
    // A settled round shows the next.
    assert!(matches!(
        events.get(1),
        Some(Event::Fun(FunEvent::RangeRoundShown { round: 2, .. }))
    ));
}

#[test]
fn presses_out_of_turn_are_refused_and_change_nothing() {
    let alice = Actor::Player(ALICE);
    let at = EPOCH.plus_secs(4);
    // Before the countdown ends.
    Scenario::given_at(open_session(0, 0))
        .when(alice, shoot(1, 0, at))
        .then_rejected(FunRejection::RangeCountdown);
    // Another round than the one showing: only the first press of a round counts, and the
    // next round is not up yet.
    Scenario::given_at(open_session(2, 0))
        .at(at)
        .when(alice, shoot(1, 0, at))
        .then_rejected(FunRejection::RangeRoundGone { round: 1 });
    Scenario::given_at(open_session(2, 0))
        .at(at)
        .when(alice, shoot(3, 0, at))
        .then_rejected(FunRejection::RangeRoundGone { round: 3 });
    // A button that is not one of the five.
    Scenario::given_at(open_session(2, 0))
        .at(at)
        .when(alice, shoot(2, 5, at))
        .then_rejected(FunRejection::RangeButton { button: 5 });
    // Another session, or none.
    Scenario::given_at(open_session(2, 0))
        .at(at)
        .when(
            alice,
            fun(FunCommand::RangeShoot {
                session: 9,
                round: 2,
                button: 0,
                pressed_at: at,
            }),
        )
        .then_rejected(FunRejection::RangeGone { session: 9 });
    Scenario::given([])
        .when(alice, shoot(1, 0, at))
        .then_rejected(FunRejection::NoRange);
    // The countdown ends once.
    Scenario::given_at(open_session(1, 0))
        .when(alice, fun(FunCommand::RangeReady { session: 1 }))
        .then_rejected(FunRejection::RangeRoundGone { round: 1 });
    // Lengths the range doesn't offer.
    for rounds in [0, 1, 6, 101, 255] {
        Scenario::given([])
            .when(alice, fun(FunCommand::RangeStart { rounds }))
            .then_rejected(FunRejection::RangeRounds { rounds });
    }
    // One session at a time while it is played.
    Scenario::given_at(open_session(2, 0))
        .at(at)
        .when(alice, fun(FunCommand::RangeStart { rounds: 15 }))
        .then_rejected(FunRejection::RangeOpen { session: 1 });
}

#[test]
fn a_session_left_alone_lapses_its_unpressed_rounds_as_misses() {
    let idle = EPOCH.plus_secs(3 + RANGE_IDLE_SECS);
    let lapse = fun(FunCommand::RangeLapse {
        player: ALICE,
        session: 1,
    });
    // Only the system lapses, and only once the session sat idle.
    Scenario::given_at(open_session(2, 0))
        .at(idle)
        .when(Actor::Player(ALICE), lapse.clone())
        .then_rejected(FunRejection::SystemOnly);
    Scenario::given_at(open_session(2, 0))
        .at(EPOCH.plus_secs(3 + RANGE_IDLE_SECS - 1))
        .when(Actor::System, lapse.clone())
        .then_rejected(FunRejection::RangeNotIdle { session: 1 });
    // Round 2 showing and unpressed: rounds 2 to 5 were never pressed.
    Scenario::given_at(open_session(2, 0))
        .at(idle)
        .when(Actor::System, lapse.clone())
        .then([Event::Fun(FunEvent::RangeEnded {
            player: ALICE,
            session: 1,
            rounds: 5,
            hits: 0,
            unpressed: 4,
            rank: 0,
            record: false,
        })]);
    // A new /range over a lapsed session ends it first and counts on.
    let events = Scenario::given_at(open_session(0, 0))
        .at(EPOCH.plus_secs(RANGE_IDLE_SECS))
        .when(
            Actor::Player(ALICE),
            fun(FunCommand::RangeStart { rounds: 25 }),
        )
        .events();
    assert_eq!(
        events,
        vec![
            Event::Fun(FunEvent::RangeEnded {
                player: ALICE,
                session: 1,
                rounds: 5,
                hits: 0,
                unpressed: 5,
                rank: 0,
                record: false,
            }),
            Event::Fun(FunEvent::RangeStarted {
                player: ALICE,
                session: 2,
                rounds: 25,
            }),
        ]
    );
}

#[test]
fn ranks_compare_accuracy_exactly() {
    // (hits, rounds, rank): thresholds 0, 50, 60, 75, 80, 85, 90, 95, 100 %.
    for (hits, rounds, rank) in [
        (0, 5, 0),
        (2, 5, 0),
        (7, 15, 0),
        (8, 15, 1),
        (9, 15, 2),
        (3, 4, 3),
        (4, 5, 4),
        (17, 20, 5),
        (18, 20, 6),
        (19, 20, 7),
        (99, 100, 7),
        (100, 100, 8),
        (5, 5, 8),
    ] {
        assert_eq!(fun::rank(hits, rounds), rank, "{hits}/{rounds}");
    }
}

/// The schema-16 fixture does what its description says: 4 of 5 with a late press (a record
/// at rank 4), a perfect session (a record), a lapse of 14 unpressed rounds, and a new session
/// over an idle one.
#[test]
fn the_range_fixture_plays_what_it_describes() {
    let events = fixture_fun_events("fun_shooting_range");
    let outcomes: Vec<(u8, u32, ShotOutcome)> = events
        .iter()
        .filter_map(|e| match e {
            FunEvent::RangeShot {
                round,
                reaction_ms,
                outcome,
                ..
            } => Some((*round, *reaction_ms, *outcome)),
            _ => None,
        })
        .take(5)
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (1, 0, ShotOutcome::Hit),
            (2, 1_000, ShotOutcome::Hit),
            (3, 3_000, ShotOutcome::Late),
            (4, 0, ShotOutcome::Hit),
            (5, 0, ShotOutcome::Hit),
        ]
    );
    let ends: Vec<(PlayerId, u32, u8, u8, u8, bool)> = events
        .iter()
        .filter_map(|e| match e {
            FunEvent::RangeEnded {
                player,
                session,
                hits,
                unpressed,
                rank,
                record,
                ..
            } => Some((*player, *session, *hits, *unpressed, *rank, *record)),
            _ => None,
        })
        .collect();
    assert_eq!(
        ends,
        vec![
            (PlayerId(1), 1, 4, 0, 4, true),
            (PlayerId(1), 2, 5, 0, 8, true),
            (PlayerId(2), 1, 1, 14, 0, true),
            (PlayerId(1), 3, 0, 25, 0, false),
        ]
    );
}
