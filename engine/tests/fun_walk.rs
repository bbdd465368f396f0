//! WalkTru's rules and stories: the validator finds every kind of broken story graph; every
//! shipped story can be walked to an ending, each step recording its roll, outcome, meter and
//! next stage; total failures and the meter's loss end a story; a stale button, a choice that
//! isn't there, a second walk of a story going, and a story that doesn't exist are refused.

use allspark_engine::content;
use allspark_engine::fun::story::{self, Bound, EndingKind, GENRES};
use allspark_engine::fun::{self, FunCommand, FunEvent, FunRejection};
use allspark_engine::player::PlayerEvent;
use allspark_engine::testing::{fixture_fun_events, fun_events, only_fun, Scenario, TestEngine};
use allspark_engine::{Actor, Command, Event, PlayerId, Seed};

const ALICE: PlayerId = PlayerId(101);

fn fun(command: FunCommand) -> Command {
    Command::Fun(command)
}

fn start(story: &str, restart: bool) -> Command {
    fun(FunCommand::WalkStart {
        story: story.into(),
        restart,
    })
}

fn choose(story: &str, stage: &str, choice: u8) -> Command {
    fun(FunCommand::WalkChoose {
        story: story.into(),
        stage: stage.into(),
        choice,
    })
}

#[test]
fn every_shipped_story_is_sound_and_the_validator_finds_broken_ones() {
    let shipped = content::get().walktru.clone();
    assert!(story::check(&shipped).is_empty());
    let ids: Vec<&str> = shipped.stories.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, GENRES);
    for story in &shipped.stories {
        assert!(story.stages.len() >= 20, "{}", story.id);
        assert!(story.endings.len() >= 3, "{}", story.id);
    }

    let mut broken = shipped.clone();
    let horror = &mut broken.stories[0];
    // A choice that leads nowhere (the original's crash).
    horror.stages.get_mut("gate").expect("gate").choices[0]
        .success
        .next = "victory".into();
    // A loop back to the start.
    horror.stages.get_mut("road").expect("road").choices[0]
        .failure
        .next = "gate".into();
    // An unreachable stage, and four choices.
    let mut orphan = horror.stages["lobby"].clone();
    let extra = orphan.choices[0].clone();
    orphan.choices.extend([extra.clone(), extra]);
    horror.stages.insert("orphan".into(), orphan);
    // A meter that starts on its losing bound.
    broken.stories[1].meter.start = broken.stories[1].meter.max;
    assert_eq!(broken.stories[1].meter.lose_at, Bound::Max);
    // A meter-loss ending that is a victory.
    let western = &mut broken.stories[4];
    western.meter_loss = "hero_town".into();
    let problems = story::check(&broken);
    for (entry, what) in [
        ("horror/gate/1", "`victory`, which is no stage or ending"),
        ("horror/orphan", "can never be reached"),
        ("horror/orphan", "one to three choices"),
        ("gangster/meter", "not on the losing one"),
        ("western/meter_loss", "names a defeat ending"),
    ] {
        assert!(
            problems.iter().any(|(e, p)| e == entry && p.contains(what)),
            "{entry}: {what} not in {problems:?}"
        );
    }
    assert!(
        problems.iter().any(|(_, p)| p.contains("on a loop")),
        "{problems:?}"
    );
}

#[test]
fn every_story_walks_to_an_ending_recording_each_step() {
    let mut test = TestEngine::new();
    let alice = Actor::Player(ALICE);
    for genre in GENRES {
        let story = fun::view::story(genre).expect("a story");
        for pick in 0..2u8 {
            let started = fun_events(test.run(alice, start(genre, true)));
            let Some(FunEvent::WalkStarted { stage, meter, .. }) = started.last() else {
                panic!("{started:?}");
            };
            let (mut stage, mut meter) = (stage.clone(), *meter);
            assert_eq!(stage, story.start);
            assert_eq!(meter, story.meter.start);
            let mut steps = 0;
            let ending = loop {
                let here = &story.stages[&stage];
                let choice = pick.min(here.choices.len() as u8 - 1);
                let events = fun_events(test.run(alice, choose(genre, &stage, choice)));
                steps += 1;
                let Some(FunEvent::WalkStepped {
                    roll,
                    success,
                    total_failure,
                    meter: after,
                    next,
                    ..
                }) = events.first()
                else {
                    panic!("{events:?}");
                };
                assert!((1..=100).contains(roll));
                let picked = &here.choices[usize::from(choice)];
                if *total_failure {
                    let total = here.total_failure.as_ref().expect("a total failure here");
                    assert!(*roll <= total.chance);
                    assert_eq!(next, &total.ending);
                    assert_eq!(*after, meter);
                } else {
                    assert_eq!(*success, *roll <= picked.chance);
                    let outcome = if *success {
                        &picked.success
                    } else {
                        &picked.failure
                    };
                    assert_eq!(next, &outcome.next);
                    assert_eq!(*after, story.meter.apply(meter, outcome.change));
                    assert!((story.meter.min..=story.meter.max).contains(after));
                }
                meter = *after;
                if let Some(FunEvent::WalkEnded { ending, .. }) = events.get(1) {
                    if story.meter.lost(meter) && !story.endings.contains_key(next) {
                        assert_eq!(ending, &story.meter_loss);
                    }
                    break ending.clone();
                }
                assert!(story.stages.contains_key(next), "{genre}: {next}");
                stage = next.clone();
                assert!(steps <= story.stages.len(), "{genre} loops");
            };
            assert!(story.endings.contains_key(&ending), "{genre}: {ending}");
            let found = test
                .engine
                .query_blocking(move |w| fun::view::walk_endings(w, ALICE, genre))
                .expect("read");
            assert!(found.contains(&ending));
        }
    }
}

/// Alice's walk of `story` at `stage` with the meter at `meter`.
fn at(story: &str, stage: &str, meter: i32) -> Vec<Event> {
    vec![
        Event::Player(PlayerEvent::Joined { player: ALICE }),
        Event::Fun(FunEvent::WalkStarted {
            player: ALICE,
            story: story.into(),
            stage: stage.into(),
            meter,
        }),
    ]
}

#[test]
fn a_total_failure_or_an_exhausted_meter_ends_the_story() {
    // The ward has an 8 % total failure: some seed rolls within it.
    let ward = &fun::view::story("horror").expect("horror").stages["ward"];
    let chance = ward.total_failure.as_ref().expect("a total failure").chance;
    let mut total_failures = 0;
    for seed in 0..300u128 {
        let events = only_fun(
            Scenario::given(at("horror", "ward", 10))
                .with_seed(Seed::pcg(seed))
                .when(Actor::Player(ALICE), choose("horror", "ward", 0))
                .events(),
        );
        if let Some(FunEvent::WalkStepped {
            total_failure: true,
            roll,
            meter,
            next,
            ..
        }) = events.first()
        {
            total_failures += 1;
            assert!(*roll <= chance);
            assert_eq!(*meter, 10, "a total failure leaves the meter");
            assert_eq!(next, "kept");
            assert_eq!(
                events.get(1),
                Some(&FunEvent::WalkEnded {
                    player: ALICE,
                    story: "horror".into(),
                    ending: "kept".into(),
                })
            );
        }
    }
    assert!(
        total_failures > 0 && total_failures < 100,
        "{total_failures}"
    );
    // Health at 5 in the brawl: win or lose, the fight takes the rest.
    let events = only_fun(
        Scenario::given(at("western", "brawl", 5))
            .when(Actor::Player(ALICE), choose("western", "brawl", 0))
            .events(),
    );
    assert!(matches!(
        events.first(),
        Some(FunEvent::WalkStepped { meter: 0, .. })
    ));
    assert_eq!(
        events.get(1),
        Some(&FunEvent::WalkEnded {
            player: ALICE,
            story: "western".into(),
            ending: "broken_down".into(),
        })
    );
    let western = fun::view::story("western").expect("western");
    assert_eq!(western.endings["broken_down"].kind, EndingKind::Defeat);
}

#[test]
fn stale_missing_and_doubled_walks_are_refused() {
    let alice = Actor::Player(ALICE);
    Scenario::given(at("knight", "village", 70))
        .when(alice, choose("knight", "summons", 0))
        .then_rejected(FunRejection::WalkMoved {
            story: "knight".into(),
        });
    Scenario::given(at("knight", "village", 70))
        .when(alice, choose("knight", "village", 2))
        .then_rejected(FunRejection::NoChoice { choice: 2 });
    Scenario::given(at("knight", "village", 70))
        .when(alice, start("knight", false))
        .then_rejected(FunRejection::WalkGoing {
            story: "knight".into(),
        });
    Scenario::given([])
        .when(alice, choose("robot", "line", 0))
        .then_rejected(FunRejection::NoWalk {
            story: "robot".into(),
        });
    Scenario::given([])
        .when(alice, start("pirate", false))
        .then_rejected(FunRejection::NoStory {
            story: "pirate".into(),
        });
    // Starting over gives the walk up first; another story is another walk.
    let events = only_fun(
        Scenario::given(at("knight", "village", 70))
            .when(alice, start("knight", true))
            .events(),
    );
    assert_eq!(
        events,
        vec![
            FunEvent::WalkAbandoned {
                player: ALICE,
                story: "knight".into()
            },
            FunEvent::WalkStarted {
                player: ALICE,
                story: "knight".into(),
                stage: "summons".into(),
                meter: 70,
            },
        ]
    );
    let events = only_fun(
        Scenario::given(at("knight", "village", 70))
            .when(alice, start("robot", false))
            .events(),
    );
    assert_eq!(events.len(), 1);
}

/// The schema-18 fixture does what its description says: the robot walk reaches an ending
/// through consecutive stages, and the wizard walk waits in the log and starts over.
#[test]
fn the_walktru_fixture_plays_to_an_ending() {
    let events = fixture_fun_events("fun_walktru");
    let robot = fun::view::story("robot").expect("robot");
    let mut at = robot.start.clone();
    let mut ended = None;
    for event in &events {
        match event {
            FunEvent::WalkStepped {
                player: PlayerId(1),
                from,
                next,
                ..
            } => {
                assert_eq!(from, &at, "steps follow one another");
                at = next.clone();
            }
            FunEvent::WalkEnded {
                player: PlayerId(1),
                ending,
                ..
            } => ended = Some(ending.clone()),
            _ => {}
        }
    }
    let ending = ended.expect("the robot walk ended");
    assert!(robot.endings.contains_key(&ending), "{ending}");
    let wizard: Vec<&FunEvent> = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                FunEvent::WalkStepped {
                    player: PlayerId(2),
                    ..
                } | FunEvent::WalkAbandoned {
                    player: PlayerId(2),
                    ..
                }
            )
        })
        .collect();
    assert_eq!(wizard.len(), 3, "{wizard:?}");
}

#[test]
fn erasure_forgets_a_players_walks() {
    let mut test = TestEngine::new();
    fun_events(test.run(Actor::Player(ALICE), start("horror", false)));
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(allspark_engine::player::PlayerCommand::Erase { player: ALICE }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    let (walk, going) = test
        .engine
        .query_blocking(|w| {
            (
                fun::view::walk(w, ALICE, "horror").cloned(),
                fun::view::walks_going(w, ALICE),
            )
        })
        .expect("read");
    assert_eq!(walk, None);
    assert!(going.is_empty());
}
