//! A server's lore, the quiz's roles and word counting: the rules (given/when/then), where the
//! words go (the erasable store, never the log), and what deleting, opting out and erasure take
//! with them, down to the files on disk.

use std::path::Path;

use allspark_engine::ids::CommandId;
use allspark_engine::player::PlayerCommand;
use allspark_engine::runtime::{Engine, EngineConfig};
use allspark_engine::social::{
    self, lore_key, title_form, LorePart, Quote, SocialCommand, SocialEvent, SocialRejection,
    SparkFaction, KEY_WORD_COUNTS, LORE_PER_GUILD_MAX, LORE_TEXT_MAX, LORE_TITLE_MAX,
    TITLE_KEY_PURPOSE,
};
use allspark_engine::testing::{Scenario, TestEngine};
use allspark_engine::{content, Actor, Command, Event, Outcome, PlayerId, Snowflake};

const ALICE: PlayerId = PlayerId(101);
const BOB: PlayerId = PlayerId(202);
const CARA: PlayerId = PlayerId(303);
const GUILD: Snowflake = Snowflake(9_000);
const OTHER_GUILD: Snowflake = Snowflake(9_001);

fn add(guild: Snowflake, key: u128, title: &str, text: &str, quote: Option<Quote>) -> Command {
    Command::Social(SocialCommand::AddLore {
        guild,
        title_key: key,
        title: title.to_string(),
        text: text.to_string(),
        quote,
    })
}

fn added(guild: Snowflake, number: u32, author: PlayerId, key: u128) -> Event {
    Event::Social(SocialEvent::LoreAdded {
        guild,
        number,
        author,
        title_key: key,
        quote: None,
    })
}

fn delete(number: u32, moderator: bool) -> Command {
    Command::Social(SocialCommand::DeleteLore {
        guild: GUILD,
        number,
        moderator,
    })
}

fn quote_of(author: PlayerId, message: u64) -> Quote {
    Quote {
        author,
        channel: Snowflake(77),
        message: Snowflake(message),
    }
}

fn map(faction: SparkFaction, role: Option<u64>) -> Command {
    Command::Social(SocialCommand::MapQuizRole {
        guild: GUILD,
        faction,
        role: role.map(Snowflake),
    })
}

fn mapped(faction: SparkFaction, role: u64) -> Event {
    Event::Social(SocialEvent::QuizRoleMapped {
        guild: GUILD,
        faction,
        role: Some(Snowflake(role)),
        by: ALICE,
    })
}

fn quiz(guild: Option<Snowflake>) -> Command {
    let n = content::get().social.quiz.questions.len();
    Command::Social(SocialCommand::TakeQuiz {
        answers: vec![0; n],
        guild,
    })
}

fn joined(player: PlayerId) -> Event {
    Event::Player(allspark_engine::player::PlayerEvent::Joined { player })
}

fn accepted(outcome: &Outcome) -> Vec<Event> {
    match outcome {
        Outcome::Accepted(events) => events.iter().map(|e| e.event.clone()).collect(),
        other => panic!("refused: {other:?}"),
    }
}

#[test]
fn entries_are_numbered_per_server_and_never_reuse_a_number() {
    Scenario::given([
        joined(ALICE),
        joined(BOB),
        added(GUILD, 1, ALICE, 1),
        added(OTHER_GUILD, 1, BOB, 2),
    ])
    .when(Actor::Player(BOB), add(GUILD, 3, "Second", "text", None))
    .then([added(GUILD, 2, BOB, 3)]);
    // A deleted number stays used.
    Scenario::given([
        joined(ALICE),
        added(GUILD, 1, ALICE, 1),
        Event::Social(SocialEvent::LoreDeleted {
            guild: GUILD,
            number: 1,
            by: ALICE,
        }),
    ])
    .when(Actor::Player(ALICE), add(GUILD, 1, "Again", "text", None))
    .then([added(GUILD, 2, ALICE, 1)]);
}

#[test]
fn bad_entries_are_refused_in_the_documented_order() {
    let given = [joined(ALICE), joined(BOB), added(GUILD, 1, ALICE, 1)];
    let long_title = "t".repeat(LORE_TITLE_MAX + 1);
    let long_text = "x".repeat(LORE_TEXT_MAX + 1);
    let cases: Vec<(Command, SocialRejection)> = vec![
        (
            add(GUILD, 5, "  \n ", "text", None),
            SocialRejection::EmptyTitle,
        ),
        (
            add(GUILD, 5, &long_title, "", None),
            SocialRejection::TitleTooLong {
                max: LORE_TITLE_MAX,
            },
        ),
        (
            add(GUILD, 5, "Title", " ", None),
            SocialRejection::EmptyText,
        ),
        (
            add(GUILD, 5, "Title", &long_text, None),
            SocialRejection::TextTooLong { max: LORE_TEXT_MAX },
        ),
        (
            add(GUILD, 1, "Same key", "text", None),
            SocialRejection::TitleTaken { number: 1 },
        ),
    ];
    for (command, rejection) in cases {
        Scenario::given(given.clone())
            .when(Actor::Player(BOB), command)
            .then_rejected(rejection);
    }
    // Exactly the limits are fine, counted in characters, not bytes.
    let title = "é".repeat(LORE_TITLE_MAX);
    let text = "ü".repeat(LORE_TEXT_MAX);
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), add(GUILD, 5, &title, &text, None))
        .then([added(GUILD, 2, BOB, 5)]);
    // One message is quoted once per server.
    let quoted = Event::Social(SocialEvent::LoreAdded {
        guild: GUILD,
        number: 1,
        author: ALICE,
        title_key: 1,
        quote: Some(quote_of(CARA, 55)),
    });
    Scenario::given([joined(BOB), quoted])
        .when(
            Actor::Player(BOB),
            add(GUILD, 2, "Other", "words", Some(quote_of(CARA, 55))),
        )
        .then_rejected(SocialRejection::AlreadyQuoted { number: 1 });
    // The operator keeps no lore of their own.
    Scenario::given(given)
        .when(Actor::System, add(GUILD, 5, "Title", "text", None))
        .then_rejected(SocialRejection::PlayersOnly);
}

#[test]
fn a_full_server_refuses_more_lore() {
    let full: Vec<Event> = [joined(ALICE), joined(BOB)]
        .into_iter()
        .chain((1..=LORE_PER_GUILD_MAX as u32).map(|n| added(GUILD, n, ALICE, u128::from(n))))
        .collect();
    Scenario::given(full.clone())
        .when(Actor::Player(BOB), add(GUILD, 0, "One more", "text", None))
        .then_rejected(SocialRejection::LoreFull {
            max: LORE_PER_GUILD_MAX,
        });
    Scenario::given(full)
        .when(
            Actor::Player(BOB),
            add(OTHER_GUILD, 0, "Elsewhere", "text", None),
        )
        .then([added(OTHER_GUILD, 1, BOB, 0)]);
}

#[test]
fn only_the_author_a_moderator_or_the_operator_deletes_an_entry() {
    let given = [
        joined(ALICE),
        joined(BOB),
        joined(CARA),
        added(GUILD, 1, ALICE, 1),
    ];
    let deleted = |by| {
        [Event::Social(SocialEvent::LoreDeleted {
            guild: GUILD,
            number: 1,
            by,
        })]
    };
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), delete(1, false))
        .then_rejected(SocialRejection::NotYourLore { number: 1 });
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), delete(2, true))
        .then_rejected(SocialRejection::NoSuchLore { number: 2 });
    Scenario::given(given.clone())
        .when(Actor::Player(ALICE), delete(1, false))
        .then(deleted(ALICE));
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), delete(1, true))
        .then(deleted(BOB));
    Scenario::given(given.clone())
        .when(Actor::Operator(CARA), delete(1, false))
        .then(deleted(CARA));
    Scenario::given(given)
        .when(Actor::System, delete(1, false))
        .then_rejected(SocialRejection::PlayersOnly);
    // Whoever an entry quotes may delete it too.
    let quoted = Event::Social(SocialEvent::LoreAdded {
        guild: GUILD,
        number: 1,
        author: ALICE,
        title_key: 1,
        quote: Some(quote_of(CARA, 5)),
    });
    Scenario::given([joined(ALICE), joined(CARA), quoted])
        .when(Actor::Player(CARA), delete(1, false))
        .then(deleted(CARA));
}

#[test]
fn a_quiz_in_a_server_with_roles_asks_for_its_role_and_takes_the_others_away() {
    let given = [
        mapped(SparkFaction::Autobot, 500),
        mapped(SparkFaction::Decepticon, 501),
        mapped(SparkFaction::Maverick, 502),
    ];
    let world = Scenario::given(given.clone()).world().clone();
    assert_eq!(
        social::view::quiz_roles(&world, GUILD),
        vec![
            (SparkFaction::Autobot, Snowflake(500)),
            (SparkFaction::Maverick, Snowflake(502)),
            (SparkFaction::Decepticon, Snowflake(501)),
        ]
    );
    let mut test = TestEngine::new();
    for event in given {
        let Event::Social(SocialEvent::QuizRoleMapped { faction, role, .. }) = event else {
            unreachable!()
        };
        accepted(&test.run(Actor::Player(ALICE), map(faction, role.map(|r| r.0))));
    }
    let events: Vec<Event> = accepted(&test.run(Actor::Player(BOB), quiz(Some(GUILD))))
        .into_iter()
        .filter(|e| matches!(e, Event::Social(_)))
        .collect();
    let faction = match &events[0] {
        Event::Social(SocialEvent::QuizTaken { faction, .. }) => *faction,
        other => panic!("{other:?}"),
    };
    let Event::Social(SocialEvent::QuizRoleRequested {
        request,
        guild,
        player,
        role,
        remove,
    }) = &events[1]
    else {
        panic!("no role asked for: {events:?}");
    };
    let role_of = |f: SparkFaction| match f {
        SparkFaction::Autobot => Snowflake(500),
        SparkFaction::Decepticon => Snowflake(501),
        SparkFaction::Maverick => Snowflake(502),
    };
    assert_eq!((*guild, *player, *role), (GUILD, BOB, role_of(faction)));
    let mut others: Vec<Snowflake> = SparkFaction::ALL
        .iter()
        .filter(|f| **f != faction)
        .map(|f| role_of(*f))
        .collect();
    others.sort();
    let mut remove = remove.clone();
    remove.sort();
    assert_eq!(remove, others);
    let pending = test
        .engine
        .query_blocking(social::view::pending_role_requests)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending.len(), 1);
    // Only the system answers for the worker, and only once.
    let result = Command::Social(SocialCommand::QuizRoleResult {
        request: *request,
        granted: false,
        reason: Some(format!("  {}", "Missing Permissions ".repeat(40))),
    });
    assert_eq!(
        test.run(Actor::Player(BOB), result.clone()),
        Outcome::Rejected(SocialRejection::OperatorOnly.into())
    );
    let settled = accepted(&test.run(Actor::System, result.clone()));
    let Event::Social(SocialEvent::QuizRoleSettled {
        player,
        granted,
        reason,
        ..
    }) = &settled[0]
    else {
        panic!("{settled:?}");
    };
    assert_eq!((*player, *granted), (BOB, false));
    let reason = reason.clone().unwrap_or_default();
    assert!(reason.starts_with("Missing Permissions"), "{reason}");
    assert_eq!(reason.chars().count(), social::ROLE_REASON_MAX);
    assert_eq!(
        test.run(Actor::System, result),
        Outcome::Rejected(SocialRejection::NoSuchRequest { request: *request }.into())
    );
    // In a DM, or a server without roles, the quiz asks for nothing.
    for guild in [None, Some(OTHER_GUILD)] {
        let events = accepted(&test.run(Actor::Player(CARA), quiz(guild)));
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::Social(SocialEvent::QuizRoleRequested { .. }))),
            "{events:?}"
        );
    }
}

#[test]
fn a_role_is_given_for_one_result_and_clearing_needs_a_mapping() {
    let given = [
        joined(ALICE),
        joined(BOB),
        mapped(SparkFaction::Autobot, 500),
    ];
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), map(SparkFaction::Decepticon, Some(500)))
        .then_rejected(SocialRejection::RoleTaken {
            faction: SparkFaction::Autobot,
        });
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), map(SparkFaction::Maverick, None))
        .then_rejected(SocialRejection::NoRoleMapped {
            faction: SparkFaction::Maverick,
        });
    // Mapping a result to the role it has already is allowed (a no-op in effect).
    Scenario::given(given.clone())
        .when(Actor::Player(BOB), map(SparkFaction::Autobot, Some(500)))
        .then([Event::Social(SocialEvent::QuizRoleMapped {
            guild: GUILD,
            faction: SparkFaction::Autobot,
            role: Some(Snowflake(500)),
            by: BOB,
        })]);
    let cleared = Scenario::given(given.into_iter().chain([Event::Social(
        SocialEvent::QuizRoleMapped {
            guild: GUILD,
            faction: SparkFaction::Autobot,
            role: None,
            by: BOB,
        },
    )]))
    .world()
    .clone();
    assert!(social::view::quiz_roles(&cleared, GUILD).is_empty());
}

fn key(test: &TestEngine, guild: Snowflake, title: &str) -> u128 {
    test.engine
        .text_key(TITLE_KEY_PURPOSE, guild.0, &title_form(title))
}

fn text(test: &TestEngine, player: PlayerId, key: &str) -> Option<String> {
    test.engine
        .personal_text(player, key)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn lore_words_live_in_the_erasable_store_under_whoever_wrote_them() {
    let mut test = TestEngine::new();
    // The key is the server's: the same title in another words form, same key; another server,
    // another key.
    assert_eq!(
        key(&test, GUILD, "Optimus  Prime"),
        key(&test, GUILD, " optimus prime ")
    );
    assert_ne!(
        key(&test, GUILD, "Optimus Prime"),
        key(&test, OTHER_GUILD, "Optimus Prime")
    );
    let k = key(&test, GUILD, "The Bridge");
    let events = accepted(&test.run(
        Actor::Player(ALICE),
        add(GUILD, k, " The Bridge ", "The lamp came back on.", None),
    ));
    assert_eq!(events.last(), Some(&added(GUILD, 1, ALICE, k)));
    let k2 = key(&test, GUILD, "Cara said");
    accepted(&test.run(
        Actor::Player(ALICE),
        add(
            GUILD,
            k2,
            "Cara said",
            "Never trust a toaster.",
            Some(quote_of(CARA, 1)),
        ),
    ));
    let title1 = lore_key(GUILD, 1, LorePart::Title);
    let text1 = lore_key(GUILD, 1, LorePart::Text);
    let title2 = lore_key(GUILD, 2, LorePart::Title);
    let text2 = lore_key(GUILD, 2, LorePart::Text);
    assert_eq!(text(&test, ALICE, &title1).as_deref(), Some("The Bridge"));
    assert_eq!(
        text(&test, ALICE, &text1).as_deref(),
        Some("The lamp came back on.")
    );
    assert_eq!(text(&test, ALICE, &title2).as_deref(), Some("Cara said"));
    assert_eq!(text(&test, ALICE, &text2), None, "quoted words are Cara's");
    assert_eq!(
        text(&test, CARA, &text2).as_deref(),
        Some("Never trust a toaster.")
    );
    // A delete takes the words with it.
    accepted(&test.run(Actor::Player(BOB), delete(1, true)));
    assert_eq!(
        (text(&test, ALICE, &title1), text(&test, ALICE, &text1)),
        (None, None)
    );
    // Erasing the quoted writer takes the entry, their words and the title kept for them.
    accepted(&test.run(
        Actor::System,
        Command::Player(PlayerCommand::Erase { player: CARA }),
    ));
    assert_eq!(text(&test, CARA, &text2), None);
    assert_eq!(text(&test, ALICE, &title2), None);
    let left = test
        .engine
        .query_blocking(|w| social::view::lore(w, GUILD).len())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(left, 0);
}

/// Every file under `dir` that contains `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                stack.push(entry.path());
            }
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|window| window == needle) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

fn run(engine: &Engine, id: u128, actor: Actor, command: Command) {
    let reply = engine
        .execute_blocking(engine.envelope(CommandId(id), actor, command))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(reply.outcome.is_accepted(), "{:?}", reply.outcome);
}

#[test]
fn an_erased_persons_lore_and_word_counts_are_gone_from_every_file_on_disk() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (title, words, quoted, kept) = (
        "Zorbulax Chronicle",
        "Vexandrite glimmered",
        "Quandrophine sang",
        "Borrowed Brightstone",
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    {
        let engine =
            Engine::open_dir(dir.path(), EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        let key = |t: &str| engine.text_key(TITLE_KEY_PURPOSE, GUILD.0, &title_form(t));
        run(
            &engine,
            1,
            Actor::Player(ALICE),
            add(GUILD, key(title), title, words, None),
        );
        // Bob quotes Alice; Bob keeps his own entry too.
        run(
            &engine,
            2,
            Actor::Player(BOB),
            add(
                GUILD,
                key("Alice said"),
                "Alice said",
                quoted,
                Some(quote_of(ALICE, 3)),
            ),
        );
        run(
            &engine,
            3,
            Actor::Player(BOB),
            add(GUILD, key(kept), kept, "Bob's own words", None),
        );
        // Word counts only once counting is on.
        let counted = rt
            .block_on(engine.count_words(ALICE, vec![("quasarwhisk".into(), 2)]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!counted, "nothing is counted before opting in");
        assert_eq!(
            engine
                .personal_text(ALICE, KEY_WORD_COUNTS)
                .unwrap_or_default(),
            None
        );
        run(
            &engine,
            4,
            Actor::Player(ALICE),
            Command::Social(SocialCommand::CountMyWords { on: true }),
        );
        for _ in 0..2 {
            let counted = rt
                .block_on(
                    engine.count_words(ALICE, vec![("quasarwhisk".into(), 2), ("hello".into(), 1)]),
                )
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(counted);
        }
        let counts = engine
            .personal_text(ALICE, KEY_WORD_COUNTS)
            .unwrap_or_default()
            .unwrap_or_default();
        assert_eq!(
            social::parse_word_counts(&counts),
            vec![("quasarwhisk".to_string(), 4), ("hello".to_string(), 2)]
        );
        engine.shutdown();
    }
    // The scan sees the words while they are there, and the log never held them.
    for needle in [title, words, quoted, "quasarwhisk"] {
        assert!(
            !files_containing(dir.path(), needle.as_bytes()).is_empty(),
            "{needle}"
        );
        assert!(
            files_containing(&dir.path().join("log"), needle.as_bytes()).is_empty(),
            "`{needle}` is in the log"
        );
    }
    {
        let engine =
            Engine::open_dir(dir.path(), EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        run(
            &engine,
            5,
            Actor::System,
            Command::Player(PlayerCommand::Erase { player: ALICE }),
        );
        engine.shutdown();
    }
    for gone in [title, words, quoted, "Alice said", "quasarwhisk"] {
        assert_eq!(
            files_containing(dir.path(), gone.as_bytes()),
            Vec::<String>::new(),
            "`{gone}` must not survive the erasure anywhere on disk"
        );
    }
    let engine =
        Engine::open_dir(dir.path(), EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        engine
            .personal_text(BOB, &lore_key(GUILD, 3, LorePart::Title))
            .unwrap_or_default()
            .as_deref(),
        Some(kept),
        "Bob's own entry stays"
    );
    let numbers: Vec<u32> = engine
        .query_blocking(|w| {
            social::view::lore(w, GUILD)
                .iter()
                .map(|e| e.number)
                .collect()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(numbers, vec![3]);
}

#[test]
fn opting_out_deletes_the_counts_and_stops_counting() {
    let mut test = TestEngine::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let on = |on| Command::Social(SocialCommand::CountMyWords { on });
    assert_eq!(
        test.run(Actor::Player(ALICE), on(false)),
        Outcome::Rejected(SocialRejection::NotCounting.into())
    );
    accepted(&test.run(Actor::Player(ALICE), on(true)));
    assert_eq!(
        test.run(Actor::Player(ALICE), on(true)),
        Outcome::Rejected(SocialRejection::AlreadyCounting.into())
    );
    let count = |test: &TestEngine| {
        rt.block_on(test.engine.count_words(ALICE, vec![("energon".into(), 3)]))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(count(&test));
    assert!(text(&test, ALICE, KEY_WORD_COUNTS).is_some());
    accepted(&test.run(Actor::Player(ALICE), on(false)));
    assert_eq!(text(&test, ALICE, KEY_WORD_COUNTS), None);
    assert!(!count(&test));
    assert_eq!(text(&test, ALICE, KEY_WORD_COUNTS), None);
}

#[test]
fn counts_keep_the_most_said_words() {
    let many: Vec<(String, u32)> = (0..300u32).map(|n| (format!("w{n:03}"), n + 1)).collect();
    let merged = social::merge_word_counts("", &many);
    let counts = social::parse_word_counts(&merged);
    assert_eq!(counts.len(), social::WORDS_KEPT);
    assert_eq!(counts[0], ("w299".to_string(), 300));
    assert!(counts.iter().all(|(_, n)| *n > 100));
    // Merging adds to what was there (a word that fell out starts again), and ties are ordered
    // by word.
    let again = social::merge_word_counts(
        &merged,
        &[("w000".into(), 500), ("a".into(), 300), ("w250".into(), 1)],
    );
    let counts = social::parse_word_counts(&again);
    assert_eq!(counts[0], ("w000".to_string(), 500));
    assert!(counts.contains(&("w250".to_string(), 252)));
    assert_eq!(
        &counts[1..3],
        &[("a".to_string(), 300), ("w299".to_string(), 300)]
    );
}
