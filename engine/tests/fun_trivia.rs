//! Trivia's rules: one session per channel, questions drawn from the category without
//! repetition, one answer per player per question, the first right answer wins it and asks
//! the next, a question left alone times out, a session nobody plays ends, and only the host,
//! a moderator or the operator stops one. Erasure takes a player out of the boards.

use std::collections::BTreeSet;

use allspark_engine::content;
use allspark_engine::fun::{
    self, FunCommand, FunEvent, FunRejection, TRIVIA_QUESTIONS_MAX, TRIVIA_QUESTION_SECS,
};
use allspark_engine::player::{PlayerCommand, PlayerEvent};
use allspark_engine::testing::{
    fixture_fun_events, fun_events, only_fun, Scenario, TestEngine, EPOCH,
};
use allspark_engine::{Actor, Command, Event, PlayerId, Snowflake, Timestamp};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const CHANNEL: Snowflake = Snowflake(77);

fn fun(command: FunCommand) -> Command {
    Command::Fun(command)
}

fn start(category: Option<&str>, questions: u8) -> Command {
    fun(FunCommand::TriviaStart {
        channel: CHANNEL,
        category: category.map(str::to_string),
        questions,
    })
}

fn answer(number: u8, choice: u8) -> Command {
    fun(FunCommand::TriviaAnswer {
        channel: CHANNEL,
        number,
        choice,
    })
}

/// The question a list of events asked: (number, content index).
fn asked(events: &[FunEvent]) -> Option<(u8, u16)> {
    events.iter().find_map(|e| match e {
        FunEvent::TriviaAsked {
            number, question, ..
        } => Some((*number, *question)),
        _ => None,
    })
}

fn right(question: u16) -> u8 {
    fun::view::trivia_question(question)
        .map(|q| q.answer)
        .unwrap_or_else(|| panic!("no question {question}"))
}

/// A session of `alice` with question 1 asked at EPOCH: (given events, its content index).
fn open_session() -> (Vec<Event>, u16) {
    let question = content::get().trivia.pool(Some("science"))[0];
    (
        vec![
            Event::Player(PlayerEvent::Joined { player: ALICE }),
            Event::Player(PlayerEvent::Joined { player: BOB }),
            Event::Fun(FunEvent::TriviaStarted {
                channel: CHANNEL,
                host: ALICE,
                category: Some("science".into()),
                questions: 3,
            }),
            Event::Fun(FunEvent::TriviaAsked {
                channel: CHANNEL,
                number: 1,
                question,
                closes_at: EPOCH.plus_secs(TRIVIA_QUESTION_SECS),
            }),
        ],
        question,
    )
}

#[test]
fn a_session_draws_every_question_once_and_the_first_right_answer_wins_each() {
    let mut test = TestEngine::new();
    let alice = Actor::Player(ALICE);
    let events = fun_events(test.run(alice, start(Some("characters"), TRIVIA_QUESTIONS_MAX)));
    let pool: BTreeSet<u16> = content::get()
        .trivia
        .pool(Some("characters"))
        .into_iter()
        .collect();
    let mut seen = BTreeSet::new();
    let mut current = asked(&events).expect("a first question");
    let mut n = 0;
    loop {
        let (number, question) = current;
        assert!(
            pool.contains(&question),
            "{question} is not a character question"
        );
        assert!(seen.insert(question), "question {question} asked twice");
        n += 1;
        assert_eq!(number, n);
        // Bob answers wrong first: recorded, and the question stays open.
        let wrong = (right(question) + 1) % 4;
        let events = fun_events(test.run(Actor::Player(BOB), answer(number, wrong)));
        assert_eq!(
            events,
            vec![FunEvent::TriviaAnswered {
                channel: CHANNEL,
                number,
                player: BOB,
                choice: wrong,
                correct: false,
            }]
        );
        let events = fun_events(test.run(alice, answer(number, right(question))));
        match asked(&events) {
            Some(next) => current = next,
            None => {
                assert!(matches!(
                    events.last(),
                    Some(FunEvent::TriviaEnded {
                        stopped_by: None,
                        ..
                    })
                ));
                break;
            }
        }
    }
    assert_eq!(n, TRIVIA_QUESTIONS_MAX);
    let board = test
        .engine
        .query_blocking(|w| fun::view::trivia(w, CHANNEL).map(fun::view::trivia_board))
        .expect("read")
        .expect("the finished session");
    let n = u16::from(TRIVIA_QUESTIONS_MAX);
    assert_eq!(board, vec![(ALICE, n, n), (BOB, 0, n)]);
    // Over: the channel is free for another.
    assert!(test.run(alice, start(None, 5)).is_accepted());
}

#[test]
fn answers_are_one_per_player_per_open_question() {
    let (given, question) = open_session();
    let wrong = (right(question) + 1) % 4;
    let mut with_bob = given.clone();
    with_bob.push(Event::Fun(FunEvent::TriviaAnswered {
        channel: CHANNEL,
        number: 1,
        player: BOB,
        choice: wrong,
        correct: false,
    }));
    // A wrong answer locks Bob out of this question, even with the right option.
    Scenario::given(with_bob.clone())
        .when(Actor::Player(BOB), answer(1, right(question)))
        .then_rejected(FunRejection::TriviaAnsweredAlready { number: 1 });
    // Alice may still win it; the next question is another one.
    let events = only_fun(
        Scenario::given(with_bob)
            .when(Actor::Player(ALICE), answer(1, right(question)))
            .events(),
    );
    let (number, next) = asked(&events).expect("the next question");
    assert_eq!(number, 2);
    assert_ne!(next, question);
    // Not the open question, not an option, too late, no session.
    Scenario::given(given.clone())
        .when(Actor::Player(ALICE), answer(2, 0))
        .then_rejected(FunRejection::TriviaClosed { number: 2 });
    Scenario::given(given.clone())
        .when(Actor::Player(ALICE), answer(1, 4))
        .then_rejected(FunRejection::TriviaChoice { choice: 4 });
    Scenario::given(given.clone())
        .at(EPOCH.plus_secs(TRIVIA_QUESTION_SECS))
        .when(Actor::Player(ALICE), answer(1, right(question)))
        .then_rejected(FunRejection::TriviaClosed { number: 1 });
    Scenario::given([])
        .when(Actor::Player(ALICE), answer(1, 0))
        .then_rejected(FunRejection::NoTrivia);
}

#[test]
fn starting_is_refused_while_one_runs_and_for_what_does_not_exist() {
    let (given, _) = open_session();
    Scenario::given(given)
        .when(Actor::Player(BOB), start(None, 5))
        .then_rejected(FunRejection::TriviaRunning);
    Scenario::given([])
        .when(Actor::Player(ALICE), start(Some("cooking"), 5))
        .then_rejected(FunRejection::TriviaCategory {
            category: "cooking".into(),
        });
    for questions in [0, TRIVIA_QUESTIONS_MAX + 1, u8::MAX] {
        Scenario::given([])
            .when(Actor::Player(ALICE), start(None, questions))
            .then_rejected(FunRejection::TriviaLength {
                max: TRIVIA_QUESTIONS_MAX,
            });
    }
    // Another channel is another session.
    let events = only_fun(
        Scenario::given(open_session().0)
            .when(
                Actor::Player(BOB),
                fun(FunCommand::TriviaStart {
                    channel: Snowflake(78),
                    category: None,
                    questions: 5,
                }),
            )
            .events(),
    );
    assert!(matches!(
        events.first(),
        Some(FunEvent::TriviaStarted {
            questions: 5,
            host: BOB,
            ..
        })
    ));
}

#[test]
fn questions_left_alone_time_out_and_a_quiet_session_ends() {
    let (given, _) = open_session();
    let timeout = |number| {
        fun(FunCommand::TriviaTimeout {
            channel: CHANNEL,
            number,
        })
    };
    let due = EPOCH.plus_secs(TRIVIA_QUESTION_SECS);
    Scenario::given(given.clone())
        .at(due)
        .when(Actor::Player(ALICE), timeout(1))
        .then_rejected(FunRejection::SystemOnly);
    Scenario::given(given.clone())
        .at(Timestamp(due.0 - 1))
        .when(Actor::System, timeout(1))
        .then_rejected(FunRejection::TriviaNotDue { number: 1 });
    Scenario::given(given.clone())
        .at(due)
        .when(Actor::System, timeout(2))
        .then_rejected(FunRejection::TriviaClosed { number: 2 });
    // The first quiet question: the next is asked.
    let events = only_fun(
        Scenario::given(given.clone())
            .at(due)
            .when(Actor::System, timeout(1))
            .events(),
    );
    assert_eq!(
        events.first(),
        Some(&FunEvent::TriviaTimedOut {
            channel: CHANNEL,
            number: 1
        })
    );
    let (number, second) = asked(&events).expect("question 2");
    assert_eq!(number, 2);
    // A second quiet question in a row ends it.
    let mut quiet = given.clone();
    quiet.extend(events.into_iter().map(Event::Fun));
    let events = only_fun(
        Scenario::given(quiet.clone())
            .at(EPOCH.plus_secs(2 * TRIVIA_QUESTION_SECS))
            .when(Actor::System, timeout(2))
            .events(),
    );
    assert_eq!(
        events,
        vec![
            FunEvent::TriviaTimedOut {
                channel: CHANNEL,
                number: 2
            },
            FunEvent::TriviaEnded {
                channel: CHANNEL,
                stopped_by: None
            },
        ]
    );
    // A question someone answered (wrongly) is not quiet: the session goes on.
    let mut answered = quiet;
    answered.push(Event::Fun(FunEvent::TriviaAnswered {
        channel: CHANNEL,
        number: 2,
        player: BOB,
        choice: (right(second) + 1) % 4,
        correct: false,
    }));
    let events = only_fun(
        Scenario::given(answered)
            .at(EPOCH.plus_secs(2 * TRIVIA_QUESTION_SECS))
            .when(Actor::System, timeout(2))
            .events(),
    );
    assert_eq!(asked(&events).map(|(n, _)| n), Some(3));
}

#[test]
fn only_the_host_a_moderator_or_the_operator_stops_a_session() {
    let (given, _) = open_session();
    let stop = |moderator| {
        fun(FunCommand::TriviaStop {
            channel: CHANNEL,
            moderator,
        })
    };
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), stop(false))
        .then_rejected(FunRejection::TriviaNotHost);
    for (actor, moderator, by) in [
        (Actor::Player(ALICE), false, ALICE),
        (Actor::Player(BOB), true, BOB),
        (Actor::Operator(PlayerId(999)), false, PlayerId(999)),
    ] {
        Scenario::given(given.clone())
            .when(actor, stop(moderator))
            .then([Event::Fun(FunEvent::TriviaEnded {
                channel: CHANNEL,
                stopped_by: Some(by),
            })]);
    }
    Scenario::given([])
        .when(Actor::Player(ALICE), stop(true))
        .then_rejected(FunRejection::NoTrivia);
}

#[test]
fn erasure_takes_a_player_off_the_boards() {
    let mut test = TestEngine::new();
    let events = fun_events(test.run(Actor::Player(ALICE), start(Some("science"), 2)));
    let (number, question) = asked(&events).expect("asked");
    fun_events(test.run(Actor::Player(BOB), answer(number, right(question))));
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(PlayerCommand::Erase { player: ALICE }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(PlayerCommand::Erase { player: BOB }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    let session = test
        .engine
        .query_blocking(|w| fun::view::trivia(w, CHANNEL).cloned())
        .expect("read")
        .expect("the session");
    assert_eq!(session.host, None);
    assert!(session.scores.is_empty());
    assert_eq!(session.last.map(|(_, winner)| winner), Some(None));
}

#[test]
fn the_trivia_content_is_checked() {
    use allspark_engine::fun::content::check_trivia;
    let shipped = content::get().trivia.clone();
    assert!(check_trivia(&shipped).is_empty());
    assert!(shipped.questions.len() >= 300);
    let mut broken = shipped.clone();
    broken.questions[0].options[1] = broken.questions[0].options[0].clone();
    broken.questions[1].answer = 4;
    broken.questions[2].category = "cooking".into();
    broken.questions[3].question = broken.questions[4].question.clone();
    broken.questions.truncate(299);
    let problems = check_trivia(&broken);
    for (entry, what) in [
        ("questions/0", "four different options"),
        ("questions/1", "the answer is"),
        ("questions/2", "unknown category"),
        ("questions/4", "asked twice"),
        ("questions", "at least 300"),
    ] {
        assert!(
            problems.iter().any(|(e, p)| e == entry && p.contains(what)),
            "{entry}: {what} not in {problems:?}"
        );
    }
}

/// The schema-17 fixture does what its description says.
#[test]
fn the_trivia_fixture_plays_what_it_describes() {
    let events = fixture_fun_events("fun_trivia_session");
    let answers: Vec<(u8, u64, bool)> = events
        .iter()
        .filter_map(|e| match e {
            FunEvent::TriviaAnswered {
                number,
                player,
                correct,
                ..
            } => Some((*number, player.0, *correct)),
            _ => None,
        })
        .collect();
    assert_eq!(
        answers,
        vec![(1, 2, false), (1, 3, true), (2, 1, true), (4, 2, true)]
    );
    let timed_out: Vec<u8> = events
        .iter()
        .filter_map(|e| match e {
            FunEvent::TriviaTimedOut { number, .. } => Some(*number),
            _ => None,
        })
        .collect();
    assert_eq!(timed_out, vec![3, 1, 2]);
    let ends: Vec<Option<PlayerId>> = events
        .iter()
        .filter_map(|e| match e {
            FunEvent::TriviaEnded { stopped_by, .. } => Some(*stopped_by),
            _ => None,
        })
        .collect();
    assert_eq!(ends, vec![None, None, Some(PlayerId(1))]);
}
