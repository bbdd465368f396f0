//! The social rules: lines told from the content without coming round again soon, the checks of
//! categories, styles and targets, the spark's forging and daily reforge, the quiz's faction,
//! and erasure. Given/when/then where one command says it; a real engine where many do.

use std::collections::BTreeSet;

use allspark_engine::content;
use allspark_engine::ids::Timestamp;
use allspark_engine::player::{PlayerCommand, PlayerEvent};
use allspark_engine::social::{
    self, quiz_faction, SocialCommand, SocialEvent, SocialRejection, SparkFaction, TalkKind,
    RECENT_MAX, SPARK_REFORGE_SECS,
};
use allspark_engine::testing::{Scenario, TestEngine, EPOCH};
use allspark_engine::{Actor, Command, Event, Outcome, PlayerId};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);

fn tell(
    kind: TalkKind,
    pool: Option<&str>,
    style: Option<&str>,
    about: Option<PlayerId>,
) -> Command {
    Command::Social(SocialCommand::Tell {
        kind,
        pool: pool.map(str::to_string),
        style: style.map(str::to_string),
        about,
        words: None,
    })
}

fn alice() -> Actor {
    Actor::Player(ALICE)
}

/// The `Told` of an accepted outcome.
fn told(outcome: &Outcome) -> (String, Option<String>, u16, Option<PlayerId>) {
    let Outcome::Accepted(events) = outcome else {
        panic!("refused: {outcome:?}");
    };
    events
        .iter()
        .find_map(|e| match &e.event {
            Event::Social(SocialEvent::Told {
                pool,
                style,
                line,
                about,
                ..
            }) => Some((pool.clone(), style.clone(), *line, *about)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no line told: {events:?}"))
}

#[test]
fn a_category_is_told_through_without_a_repeat_then_comes_round_in_turn() {
    let social = &content::get().social;
    // The smallest joke category, so the test tells it all.
    let pool = social
        .talk
        .jokes
        .iter()
        .min_by_key(|p| p.lines.len())
        .unwrap_or_else(|| panic!("no jokes"));
    let n = pool.lines.len();
    assert!(
        n <= RECENT_MAX,
        "the test needs a category the memory covers"
    );
    let mut test = TestEngine::new();
    let mut first_round = Vec::new();
    for _ in 0..n {
        let (p, style, line, about) =
            told(&test.run(alice(), tell(TalkKind::Joke, Some(&pool.id), None, None)));
        assert_eq!((p.as_str(), style, about), (pool.id.as_str(), None, None));
        assert!(usize::from(line) < n);
        first_round.push(line);
    }
    let distinct: BTreeSet<u16> = first_round.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        n,
        "a line came round before the category was told: {first_round:?}"
    );
    // Then the one told longest ago, in the same order.
    for expected in first_round.iter().take(3) {
        let (_, _, line, _) =
            told(&test.run(alice(), tell(TalkKind::Joke, Some(&pool.id), None, None)));
        assert_eq!(line, *expected);
    }
    // Another player's memory is their own.
    let (_, _, _, _) = told(&test.run(
        Actor::Player(BOB),
        tell(TalkKind::Joke, Some(&pool.id), None, None),
    ));
}

#[test]
fn any_category_draws_from_all_and_the_text_is_in_the_content() {
    let mut test = TestEngine::new();
    let mut pools = BTreeSet::new();
    for _ in 0..60 {
        let (pool, style, line, _) =
            told(&test.run(alice(), tell(TalkKind::Blessing, None, None, None)));
        assert!(social::view::line(TalkKind::Blessing, &pool, style.as_deref(), line).is_some());
        pools.insert(pool);
    }
    assert!(pools.len() > 3, "60 blessings from only {pools:?}");
}

#[test]
fn a_roast_is_about_someone_in_a_style_and_names_them() {
    let social = &content::get().social;
    let category = &social.talk.roasts[0];
    let style = category.styles.keys().next().cloned().unwrap_or_default();
    let mut test = TestEngine::new();
    let (pool, got_style, line, about) = told(&test.run(
        alice(),
        tell(TalkKind::Roast, Some(&category.id), Some(&style), Some(BOB)),
    ));
    assert_eq!(
        (pool, got_style.clone(), about),
        (category.id.clone(), Some(style), Some(BOB))
    );
    let text = social::view::line(TalkKind::Roast, &category.id, got_style.as_deref(), line)
        .unwrap_or_else(|| panic!("no such line"));
    assert_eq!(text.matches("{target}").count(), 1, "{text}");
    // Nobody named: it is about the teller.
    let (_, _, _, about) = told(&test.run(alice(), tell(TalkKind::Compliment, None, None, None)));
    assert_eq!(about, Some(ALICE));
}

#[test]
fn bad_categories_styles_and_targets_are_refused() {
    let given = [Event::Player(PlayerEvent::Joined { player: ALICE })];
    Scenario::given(given.clone())
        .when(alice(), tell(TalkKind::Joke, Some("no_such"), None, None))
        .then_rejected(SocialRejection::UnknownCategory {
            kind: TalkKind::Joke,
            category: "no_such".into(),
        });
    Scenario::given(given.clone())
        .when(
            alice(),
            tell(TalkKind::Roast, None, Some("whispered"), None),
        )
        .then_rejected(SocialRejection::UnknownStyle {
            style: "whispered".into(),
        });
    Scenario::given(given.clone())
        .when(alice(), tell(TalkKind::Joke, None, Some("savage"), None))
        .then_rejected(SocialRejection::StyleNotHere {
            kind: TalkKind::Joke,
        });
    Scenario::given(given.clone())
        .when(alice(), tell(TalkKind::Blessing, None, None, Some(BOB)))
        .then_rejected(SocialRejection::AboutNotHere {
            kind: TalkKind::Blessing,
        });
    Scenario::given(given)
        .when(Actor::System, tell(TalkKind::Joke, None, None, None))
        .then_rejected(SocialRejection::PlayersOnly);
}

fn written(kind: TalkKind, style: Option<&str>, about: Option<PlayerId>, words: &str) -> Command {
    Command::Social(SocialCommand::Tell {
        kind,
        pool: None,
        style: style.map(str::to_string),
        about,
        words: Some(words.to_string()),
    })
}

#[test]
fn a_models_words_are_recorded_as_given_and_checked_first() {
    let given = [Event::Player(PlayerEvent::Joined { player: ALICE })];
    let style = content::get().social.talk.roasts[0]
        .styles
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    Scenario::given(given.clone())
        .when(
            alice(),
            written(
                TalkKind::Roast,
                Some(&style),
                Some(BOB),
                "{target} rusts in the rain.",
            ),
        )
        .then([Event::Social(SocialEvent::ToldByModel {
            player: ALICE,
            kind: TalkKind::Roast,
            pool: None,
            style: Some(style.clone()),
            about: BOB,
            text: "{target} rusts in the rain.".into(),
        })]);
    // About the teller when nobody is named.
    Scenario::given(given.clone())
        .when(
            alice(),
            written(TalkKind::Compliment, None, None, "{target} gleams."),
        )
        .then([Event::Social(SocialEvent::ToldByModel {
            player: ALICE,
            kind: TalkKind::Compliment,
            pool: None,
            style: None,
            about: ALICE,
            text: "{target} gleams.".into(),
        })]);
    Scenario::given(given.clone())
        .when(alice(), written(TalkKind::Joke, None, None, "A joke."))
        .then_rejected(SocialRejection::WordsNotHere {
            kind: TalkKind::Joke,
        });
    for bad in [
        "",
        " {target} ",
        "{target} @everyone",
        "<@1> rusts",
        "{lead} rusts",
        "see https://x.y",
    ] {
        Scenario::given(given.clone())
            .when(alice(), written(TalkKind::Roast, None, Some(BOB), bad))
            .then_rejected(SocialRejection::UnusableWords);
    }
    let long = "a".repeat(social::story::WORDS_MAX_CHARS + 1);
    Scenario::given(given.clone())
        .when(alice(), written(TalkKind::Roast, None, Some(BOB), &long))
        .then_rejected(SocialRejection::UnusableWords);
    Scenario::given(given)
        .when(
            alice(),
            written(TalkKind::Roast, Some("whispered"), None, "{target} rusts."),
        )
        .then_rejected(SocialRejection::UnknownStyle {
            style: "whispered".into(),
        });
}

/// A model's words count as lines heard, and leave what the book told lately alone: the book's
/// next lines still skip the one told before them.
#[test]
fn a_models_words_count_as_heard_and_keep_the_books_memory() {
    let social = &content::get().social;
    let pool = &social.talk.roasts[0];
    let (style, lines) = pool
        .styles
        .iter()
        .min_by_key(|(_, lines)| lines.len())
        .unwrap_or_else(|| panic!("a roast style"));
    let book = |style: &str| {
        Command::Social(SocialCommand::Tell {
            kind: TalkKind::Roast,
            pool: Some(pool.id.clone()),
            style: Some(style.to_string()),
            about: Some(BOB),
            words: None,
        })
    };
    let mut test = TestEngine::new();
    let (_, _, first, _) = told(&test.run(alice(), book(style)));
    let outcome = test.run(
        alice(),
        written(TalkKind::Roast, Some(style), Some(BOB), "{target} naps."),
    );
    assert!(matches!(outcome, Outcome::Accepted(_)), "{outcome:?}");
    if lines.len() > 1 {
        let (_, _, second, _) = told(&test.run(alice(), book(style)));
        assert_ne!(second, first, "the book forgot what it told");
    }
    let (told_roasts, heard) = test
        .engine
        .query_blocking(|w| {
            (
                social::view::told(w, TalkKind::Roast),
                social::view::metric(w, ALICE, social::Metric::LinesHeard),
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let expected = if lines.len() > 1 { 3 } else { 2 };
    assert_eq!((told_roasts, heard), (expected, expected));
}

fn forged(outcome: &Outcome) -> SocialEvent {
    let Outcome::Accepted(events) = outcome else {
        panic!("refused: {outcome:?}");
    };
    events
        .iter()
        .find_map(|e| match &e.event {
            Event::Social(event @ SocialEvent::SparkForged { .. }) => Some(event.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no spark: {events:?}"))
}

#[test]
fn a_spark_is_forged_from_the_tables_and_reforged_once_a_day() {
    let social = &content::get().social;
    let mut test = TestEngine::new();
    let spark = |outcome| match forged(&outcome) {
        SocialEvent::SparkForged {
            name,
            faction,
            class,
            epithet,
            reforge_at,
            ..
        } => (name, faction, class, epithet, reforge_at),
        other => panic!("{other:?}"),
    };
    let (name, faction, class, epithet, reforge_at) = spark(test.run(
        alice(),
        Command::Social(SocialCommand::Spark { reforge: false }),
    ));
    let names = social.faction(faction).unwrap_or_else(|| panic!("faction"));
    assert!(
        names.prefixes.iter().any(|p| name.starts_with(p.as_str())
            && names
                .suffixes
                .iter()
                .any(|s| name[p.len()..] == s.to_lowercase())),
        "{name} is not a prefix and a suffix of {faction:?}"
    );
    let class_def = social
        .class(&class)
        .unwrap_or_else(|| panic!("class {class}"));
    assert!(class_def.epithets.contains(&epithet));
    assert_eq!(reforge_at, EPOCH.plus_secs(SPARK_REFORGE_SECS));
    // Asking again without reforging is refused; reforging before the day is out too.
    let again = test.run(
        alice(),
        Command::Social(SocialCommand::Spark { reforge: false }),
    );
    assert!(matches!(again, Outcome::Rejected(_)), "{again:?}");
    test.clock.advance_secs(SPARK_REFORGE_SECS - 1);
    let early = test.run(
        alice(),
        Command::Social(SocialCommand::Spark { reforge: true }),
    );
    assert!(matches!(early, Outcome::Rejected(_)), "{early:?}");
    test.clock.advance_secs(1);
    let (_, _, _, _, next) = spark(test.run(
        alice(),
        Command::Social(SocialCommand::Spark { reforge: true }),
    ));
    assert_eq!(next, Timestamp(EPOCH.0 + 2 * SPARK_REFORGE_SECS * 1_000));
    let kept = test
        .engine
        .query_blocking(|w| social::view::identity(w, ALICE))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept.map(|i| i.reforge_at), Some(next));
}

#[test]
fn reforging_too_soon_names_the_instant() {
    let given = [
        Event::Player(PlayerEvent::Joined { player: ALICE }),
        Event::Social(SocialEvent::SparkForged {
            player: ALICE,
            name: "Testbolt".into(),
            faction: SparkFaction::Autobot,
            class: "medic".into(),
            epithet: "the Kind".into(),
            motto: "Mend first.".into(),
            reforge_at: EPOCH.plus_secs(60),
        }),
    ];
    Scenario::given(given.clone())
        .when(
            alice(),
            Command::Social(SocialCommand::Spark { reforge: true }),
        )
        .then_rejected(SocialRejection::ReforgeTooSoon {
            at: EPOCH.plus_secs(60),
        });
    Scenario::given(given)
        .when(
            alice(),
            Command::Social(SocialCommand::Spark { reforge: false }),
        )
        .then_rejected(SocialRejection::AlreadyForged);
}

#[test]
fn every_faction_can_come_out_of_the_quiz_and_bad_answers_are_refused() {
    let social = &content::get().social;
    let sizes: Vec<usize> = social
        .quiz
        .questions
        .iter()
        .map(|q| q.answers.len())
        .collect();
    let mut reached = BTreeSet::new();
    let total: usize = sizes.iter().product();
    for mut n in 0..total {
        let answers: Vec<u8> = sizes
            .iter()
            .map(|size| {
                let a = n % size;
                n /= size;
                a as u8
            })
            .collect();
        reached.insert(quiz_faction(social, &answers).unwrap_or_else(|e| panic!("{e}")));
    }
    assert_eq!(reached.len(), 3, "only {reached:?} can come out");
    let given = [Event::Player(PlayerEvent::Joined { player: ALICE })];
    Scenario::given(given.clone())
        .when(
            alice(),
            Command::Social(SocialCommand::TakeQuiz {
                answers: vec![0, 0],
                guild: None,
            }),
        )
        .then_rejected(SocialRejection::QuizIncomplete {
            questions: sizes.len(),
        });
    let mut bad = vec![0u8; sizes.len()];
    bad[2] = sizes[2] as u8;
    Scenario::given(given.clone())
        .when(
            alice(),
            Command::Social(SocialCommand::TakeQuiz {
                answers: bad,
                guild: None,
            }),
        )
        .then_rejected(SocialRejection::QuizAnswerInvalid { question: 3 });
    let answers = vec![0u8; sizes.len()];
    let faction = quiz_faction(social, &answers).unwrap_or_else(|e| panic!("{e}"));
    Scenario::given(given)
        .when(
            alice(),
            Command::Social(SocialCommand::TakeQuiz {
                answers: answers.clone(),
                guild: None,
            }),
        )
        .then([Event::Social(SocialEvent::QuizTaken {
            player: ALICE,
            answers,
            faction,
        })]);
}

#[test]
fn erasure_forgets_the_spark_the_quiz_and_what_was_told() {
    let mut test = TestEngine::new();
    told(&test.run(alice(), tell(TalkKind::Joke, None, None, None)));
    forged(&test.run(
        alice(),
        Command::Social(SocialCommand::Spark { reforge: false }),
    ));
    let n = content::get().social.quiz.questions.len();
    let quiz = test.run(
        alice(),
        Command::Social(SocialCommand::TakeQuiz {
            answers: vec![0; n],
            guild: None,
        }),
    );
    assert!(quiz.is_accepted());
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(PlayerCommand::Erase { player: ALICE }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    let (identity, faction) = test
        .engine
        .query_blocking(|w| {
            (
                social::view::identity(w, ALICE),
                social::view::quiz_faction(w, ALICE),
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((identity, faction), (None, None));
}

fn leveled(player: PlayerId, level: u32) -> Event {
    Event::Pet(allspark_engine::pets::PetEvent::LeveledUp {
        player,
        level,
        attack_gain: 1,
        defense_gain: 1,
        energy_max_gain: 1,
        happiness_max_gain: 1,
        maintenance_max_gain: 1,
    })
}

/// Achievements are derived from the log's projections, so one added to the content later is
/// earned at once by everyone whose history meets it, and what can fall (a released pet's
/// level) counts at the highest it reached.
#[test]
fn achievements_are_derived_so_a_new_one_is_earned_retroactively() {
    use allspark_engine::social::content::AchievementDef;
    use allspark_engine::social::Metric;
    let history = vec![
        Event::Player(PlayerEvent::Joined { player: ALICE }),
        Event::Pet(allspark_engine::pets::PetEvent::Adopted {
            player: ALICE,
            faction: allspark_engine::pets::Faction::Autobot,
            name_index: 0,
        }),
        leveled(ALICE, 2),
        leveled(ALICE, 3),
        leveled(ALICE, 4),
        leveled(ALICE, 5),
        Event::Pet(allspark_engine::pets::PetEvent::Released { player: ALICE }),
    ];
    // The World as a rebuild from this history makes it.
    let world = Scenario::given(history).world().clone();
    assert_eq!(
        social::view::metric(&world, ALICE, Metric::PetLevel),
        5,
        "the pet is gone, its best level stays"
    );
    let shipped: Vec<&str> = social::view::earned(&world, ALICE)
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert!(shipped.contains(&"growing_spark"), "{shipped:?}");
    assert!(!shipped.contains(&"veteran_frame"), "{shipped:?}");
    // An achievement the content did not have when this history was played.
    let later = [AchievementDef {
        id: "level_four_club".into(),
        emoji: "4️⃣".into(),
        name: "Level Four Club".into(),
        description: "Raise a pet to level 4.".into(),
        metric: Metric::PetLevel,
        at_least: 4,
    }];
    let earned = social::view::earned_of(&world, ALICE, &later);
    assert_eq!(
        earned.len(),
        1,
        "the new achievement is earned from the old history"
    );
    assert!(social::view::earned_of(&world, BOB, &later).is_empty());
}

#[test]
fn talk_sparks_and_quizzes_count_towards_achievements() {
    use allspark_engine::social::Metric;
    let mut test = TestEngine::new();
    for _ in 0..3 {
        told(&test.run(alice(), tell(TalkKind::Joke, None, None, None)));
    }
    forged(&test.run(
        alice(),
        Command::Social(SocialCommand::Spark { reforge: false }),
    ));
    let (heard, spark, quiz) = test
        .engine
        .query_blocking(|w| {
            (
                social::view::metric(w, ALICE, Metric::LinesHeard),
                social::view::metric(w, ALICE, Metric::SparkForged),
                social::view::metric(w, ALICE, Metric::QuizTaken),
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((heard, spark, quiz), (3, 1, 0));
    let earned: Vec<String> = test
        .engine
        .query_blocking(|w| {
            social::view::earned(w, ALICE)
                .iter()
                .map(|a| a.id.clone())
                .collect()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(earned, vec!["spark_forged".to_string()]);
}
