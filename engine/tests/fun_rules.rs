//! The fun rules: the hello and ping ladders climb while uses come within the quiet window,
//! stay on the top rung, and start over after it; a grump is refused at oneself, while its
//! target has opted out, on the grumper's hourly cooldown and while the target rests, and
//! records the cooldowns it decided.

use allspark_engine::content;
use allspark_engine::fun::{
    FunCommand, FunEvent, FunRejection, Ladder, GRUMP_COOLDOWN_SECS, GRUMP_TARGET_COOLDOWN_SECS,
    HELLO_QUIET_SECS, PING_QUIET_SECS,
};
use allspark_engine::player::PlayerEvent;
use allspark_engine::testing::{Scenario, TestEngine, EPOCH};
use allspark_engine::{Actor, Command, Event, Outcome, PlayerId};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const GRUMP: PlayerId = PlayerId(303);

fn fun(command: FunCommand) -> Command {
    Command::Fun(command)
}

fn rung(outcome: &Outcome) -> (Ladder, u8, u16) {
    let Outcome::Accepted(events) = outcome else {
        panic!("refused: {outcome:?}");
    };
    events
        .iter()
        .find_map(|e| match &e.event {
            Event::Fun(FunEvent::Greeted {
                ladder,
                level,
                line,
                ..
            }) => Some((*ladder, *level, *line)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no greeting: {events:?}"))
}

#[test]
fn the_ladders_climb_within_the_quiet_window_cap_and_start_over() {
    for (command, ladder, quiet) in [
        (FunCommand::Hello, Ladder::Hello, HELLO_QUIET_SECS),
        (FunCommand::Ping, Ladder::Ping, PING_QUIET_SECS),
    ] {
        let rungs = content::get().greetings.ladder(ladder).len() as u8;
        let mut test = TestEngine::new();
        let alice = Actor::Player(ALICE);
        let mut levels = Vec::new();
        for _ in 0..rungs + 2 {
            let (got, level, line) = rung(&test.run(alice, fun(command.clone())));
            assert_eq!(got, ladder);
            assert!(
                allspark_engine::fun::view::greeting(ladder, level, line).is_some(),
                "{ladder:?} {level} {line}"
            );
            levels.push(level);
            // Just inside the window.
            test.clock.advance_secs(quiet - 1);
        }
        let expected: Vec<u8> = (1..=rungs).chain([rungs, rungs]).collect();
        assert_eq!(levels, expected, "{ladder:?}");
        // A quiet window (measured from the last use) starts it over; another player's is theirs.
        test.clock.advance_secs(1);
        assert_eq!(rung(&test.run(alice, fun(command.clone()))).1, 1);
        assert_eq!(
            rung(&test.run(Actor::Player(BOB), fun(command.clone()))).1,
            1
        );
    }
}

fn grumped(player: PlayerId, target: PlayerId) -> Event {
    Event::Fun(FunEvent::Grumped {
        player,
        target,
        line: 0,
        player_ready_at: EPOCH.plus_secs(GRUMP_COOLDOWN_SECS),
        target_ready_at: EPOCH.plus_secs(GRUMP_TARGET_COOLDOWN_SECS),
    })
}

#[test]
fn a_grump_records_its_cooldowns_and_is_refused_until_they_pass() {
    let joined = [
        Event::Player(PlayerEvent::Joined { player: ALICE }),
        Event::Player(PlayerEvent::Joined { player: BOB }),
    ];
    let events = Scenario::given(joined.clone())
        .when(
            Actor::Player(ALICE),
            fun(FunCommand::Grump { target: GRUMP }),
        )
        .events();
    let [Event::Fun(FunEvent::Grumped {
        player,
        target,
        line,
        player_ready_at,
        target_ready_at,
    })] = events.as_slice()
    else {
        panic!("{events:?}");
    };
    assert_eq!((*player, *target), (ALICE, GRUMP));
    assert!(allspark_engine::fun::view::grump_line(*line).is_some());
    assert_eq!(*player_ready_at, EPOCH.plus_secs(GRUMP_COOLDOWN_SECS));
    assert_eq!(
        *target_ready_at,
        EPOCH.plus_secs(GRUMP_TARGET_COOLDOWN_SECS)
    );

    let mut given = joined.to_vec();
    given.push(grumped(ALICE, GRUMP));
    Scenario::given(given.clone())
        .when(
            Actor::Player(ALICE),
            fun(FunCommand::Grump { target: GRUMP }),
        )
        .then_rejected(FunRejection::OnCooldown {
            ready_at: EPOCH.plus_secs(GRUMP_COOLDOWN_SECS),
        });
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), fun(FunCommand::Grump { target: GRUMP }))
        .then_rejected(FunRejection::GrumpResting {
            target: GRUMP,
            ready_at: EPOCH.plus_secs(GRUMP_TARGET_COOLDOWN_SECS),
        });
    // Once the target has rested, someone else may grump.
    let rested = Scenario::given(given.clone())
        .at(EPOCH.plus_secs(GRUMP_TARGET_COOLDOWN_SECS))
        .when(Actor::Player(BOB), fun(FunCommand::Grump { target: GRUMP }))
        .events();
    assert_eq!(rested.len(), 1);
    Scenario::given(given)
        .when(
            Actor::Player(GRUMP),
            fun(FunCommand::Grump { target: GRUMP }),
        )
        .then_rejected(FunRejection::GrumpSelf);
}

#[test]
fn a_grump_who_opted_out_is_left_alone_until_they_opt_back_in() {
    let out = [
        Event::Player(PlayerEvent::Joined { player: ALICE }),
        Event::Fun(FunEvent::GrumpOptOutSet {
            player: GRUMP,
            out: true,
        }),
    ];
    Scenario::given(out.clone())
        .when(
            Actor::Player(ALICE),
            fun(FunCommand::Grump { target: GRUMP }),
        )
        .then_rejected(FunRejection::OptedOut { target: GRUMP });
    let mut back = out.to_vec();
    back.push(Event::Fun(FunEvent::GrumpOptOutSet {
        player: GRUMP,
        out: false,
    }));
    assert_eq!(
        Scenario::given(back)
            .when(
                Actor::Player(ALICE),
                fun(FunCommand::Grump { target: GRUMP })
            )
            .events()
            .len(),
        1
    );
    Scenario::given(out)
        .when(Actor::System, fun(FunCommand::Hello))
        .then_rejected(FunRejection::PlayersOnly);
}
