//! The Cybertron Games simulation: content that covers every pair of side sizes, games of 50
//! that play to one faction left, every round spending each living contestant exactly once,
//! kills and deaths that add up, the same seed giving the same game, re-simulation that finds
//! a tampered round, and narration that fills every placeholder.

use std::collections::BTreeSet;

use allspark_engine::content;
use allspark_engine::fun::games::{self, HappeningKind, ENTRANTS_MAX};
use allspark_engine::Seed;

const ROUNDS_MAX: u16 = 200;

#[test]
fn the_arena_content_is_checked() {
    let shipped = content::get().games.clone();
    assert!(games::check(&shipped).is_empty());
    let mut broken = shipped.clone();
    broken.actions[0].text = "Nobody is named here.".into();
    // Only one elimination template left, for sides of one: most pairs have none.
    broken.eliminations.truncate(1);
    broken.eliminations[0].a = [1, 1];
    broken.drones.truncate(3);
    let problems = games::check(&broken);
    for (entry, what) in [
        ("actions/0", "names {A}"),
        ("eliminations", "no template for sides 2 and 1"),
        ("drones", "needs at least 50"),
    ] {
        assert!(
            problems.iter().any(|(e, p)| e == entry && p.contains(what)),
            "{entry}: {what} not in {problems:?}"
        );
    }
}

#[test]
fn games_of_fifty_play_to_one_faction_with_everyone_accounted_for() {
    let content = &content::get().games;
    for (seed, factions) in (1..=20u128).zip([10usize, 5, 2, 0].into_iter().cycle()) {
        let seed = Seed::pcg(seed);
        let (arena, rounds) = games::play(content, seed, ENTRANTS_MAX, factions, ROUNDS_MAX);
        assert!(games::over(&arena), "seed {seed:?} never ended");
        assert!(!rounds.is_empty());
        let mut standing = games::start(seed, ENTRANTS_MAX, factions);
        let mut deaths = 0u32;
        let mut credited = 0u32;
        for happenings in &rounds {
            let living: BTreeSet<u8> = (0..ENTRANTS_MAX as u8)
                .filter(|i| standing.alive[usize::from(*i)])
                .collect();
            let mut seen = BTreeSet::new();
            for h in happenings {
                assert!((1..=5).contains(&h.a.len()) && h.b.len() <= 5, "{h:?}");
                for who in h.a.iter().chain(&h.b) {
                    assert!(seen.insert(*who), "{who} twice in one round");
                }
                if matches!(h.kind, HappeningKind::Elimination | HappeningKind::Betrayal) {
                    assert!(!h.b.is_empty());
                    deaths += h.b.len() as u32;
                    credited += (h.a.len() * h.b.len()) as u32;
                }
                if h.kind == HappeningKind::Betrayal {
                    let faction = standing.faction[usize::from(h.a[0])];
                    assert!(h
                        .b
                        .iter()
                        .all(|b| standing.faction[usize::from(*b)] == faction));
                }
            }
            assert_eq!(seen, living, "every living contestant, once");
            games::apply(&mut standing, happenings);
        }
        assert_eq!(standing, arena);
        let alive = arena.alive.iter().filter(|a| **a).count() as u32;
        assert_eq!(deaths, ENTRANTS_MAX as u32 - alive);
        assert_eq!(
            arena.kills.iter().map(|k| u32::from(*k)).sum::<u32>(),
            credited
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_game_and_tampering_is_found() {
    let content = &content::get().games;
    let seed = Seed::pcg(0xC0FFEE);
    let (first, rounds) = games::play(content, seed, 50, 10, ROUNDS_MAX);
    let (again, rounds_again) = games::play(content, seed, 50, 10, ROUNDS_MAX);
    assert_eq!((&first, &rounds), (&again, &rounds_again));
    let (_, other) = games::play(content, Seed::pcg(0xC0FFEF), 50, 10, ROUNDS_MAX);
    assert_ne!(rounds, other);
    assert_eq!(games::diverges(content, seed, 50, 10, &rounds), None);
    let mut tampered = rounds.clone();
    let last = tampered.len() - 1;
    tampered[last][0].place = tampered[last][0].place.wrapping_add(1) % 30;
    assert_eq!(
        games::diverges(content, seed, 50, 10, &tampered),
        Some(last as u16 + 1)
    );
}

#[test]
fn narration_fills_every_placeholder() {
    let content = &content::get().games;
    let (_, rounds) = games::play(content, Seed::pcg(7), 50, 10, ROUNDS_MAX);
    let name = |i: u8| content.drones[usize::from(i)].clone();
    for happening in rounds.iter().flatten() {
        let line = games::narrate(content, happening, name);
        assert!(!line.contains('{') && !line.contains('}'), "{line}");
        assert!(line.contains(&name(happening.a[0])), "{line}");
    }
    // One and many pick their own words.
    let solo = games::Happening {
        kind: HappeningKind::Action,
        template: 0,
        a: vec![0],
        b: vec![],
        place: 0,
        weapon: 0,
        giant: 0,
    };
    let group = games::Happening {
        a: vec![0, 1, 2],
        ..solo.clone()
    };
    let one = games::narrate(content, &solo, name);
    let many = games::narrate(content, &group, name);
    assert!(one.contains("scavenges"), "{one}");
    assert!(
        many.contains("scavenge ") && !many.contains("scavenges"),
        "{many}"
    );
    assert!(many.contains(", ") && many.contains(" and "), "{many}");
}

/// The schema-20 fixture: a game of 50 played through the engine to one faction, its
/// recorded rounds re-simulating from its recorded seed.
#[test]
fn the_games_fixture_plays_fifty_to_a_champion_and_re_simulates() {
    use allspark_engine::fun::games::Entrant;
    use allspark_engine::fun::FunEvent;
    let events = allspark_engine::testing::fixture_fun_events("fun_cybertron_games");
    let (seed, entrants) = events
        .iter()
        .find_map(|e| match e {
            FunEvent::GamesStarted { seed, entrants, .. } => Some((*seed, entrants.clone())),
            _ => None,
        })
        .expect("started");
    assert_eq!(entrants.len(), 50);
    assert_eq!(
        entrants
            .iter()
            .filter(|e| matches!(e, Entrant::Player(_)))
            .count(),
        2
    );
    let rounds: Vec<Vec<games::Happening>> = events
        .iter()
        .filter_map(|e| match e {
            FunEvent::GamesRound { happenings, .. } => Some(happenings.clone()),
            _ => None,
        })
        .collect();
    assert!(!rounds.is_empty());
    let content = &content::get().games;
    assert_eq!(games::diverges(content, seed, 50, 10, &rounds), None);
    let mut arena = games::start(seed, 50, 10);
    for round in &rounds {
        games::apply(&mut arena, round);
    }
    assert!(games::over(&arena));
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, FunEvent::GamesEnded { .. }))
            .count(),
        1
    );
}

#[test]
fn the_games_rules_refuse_in_order_and_erasure_keeps_the_arena() {
    use allspark_engine::fun::games::{Entrant, FORGOTTEN};
    use allspark_engine::fun::{FunCommand, FunRejection};
    use allspark_engine::testing::{fun_events, TestEngine};
    use allspark_engine::{Actor, Command, Outcome, PlayerId, Rejection, Snowflake};
    let mut test = TestEngine::new();
    let p = |n| Actor::Player(PlayerId(n));
    let fun = Command::Fun;
    let refused = |outcome: Outcome| match outcome {
        Outcome::Rejected(Rejection::Fun(r)) => r,
        other => panic!("{other:?}"),
    };
    let open = |named: Vec<PlayerId>, drones, factions, districts| {
        fun(FunCommand::GamesOpen {
            channel: Snowflake(9),
            named,
            drones,
            factions,
            districts,
            district_names: Vec::new(),
            faction_names: Vec::new(),
            role: None,
        })
    };
    for (drones, factions, districts) in [
        (51, 10, 12),
        (10, 1, 12),
        (10, 11, 12),
        (10, 2, 0),
        (10, 2, 13),
    ] {
        assert!(matches!(
            refused(test.run(p(1), open(vec![], drones, factions, districts))),
            FunRejection::GamesSize { .. }
        ));
    }
    // A game of one player and no drones can't start.
    fun_events(test.run(p(1), open(vec![PlayerId(2)], 0, 0, 1)));
    assert_eq!(
        refused(test.run(p(2), fun(FunCommand::GamesStart { game: 1 }))),
        FunRejection::GamesNotCreator { game: 1 }
    );
    assert_eq!(
        refused(test.run(p(1), fun(FunCommand::GamesNextRound { game: 1 }))),
        FunRejection::GamesNotStarted { game: 1 }
    );
    assert_eq!(
        refused(test.run(
            p(2),
            fun(FunCommand::GamesJoin {
                game: 1,
                roles: Vec::new(),
            })
        )),
        FunRejection::GamesIn { game: 1 }
    );
    assert_eq!(
        refused(test.run(p(1), fun(FunCommand::GamesStart { game: 1 }))),
        FunRejection::GamesTooFew { game: 1 }
    );
    assert_eq!(
        refused(test.run(
            p(1),
            fun(FunCommand::GamesJoin {
                game: 7,
                roles: Vec::new(),
            })
        )),
        FunRejection::NoGame { game: 7 }
    );
    // Bob joins: two players, free for all; started, nobody else joins.
    fun_events(test.run(
        p(3),
        fun(FunCommand::GamesJoin {
            game: 1,
            roles: Vec::new(),
        }),
    ));
    fun_events(test.run(p(1), fun(FunCommand::GamesStart { game: 1 })));
    assert_eq!(
        refused(test.run(
            p(4),
            fun(FunCommand::GamesJoin {
                game: 1,
                roles: Vec::new(),
            })
        )),
        FunRejection::GamesUnderway { game: 1 }
    );
    // An erased contestant keeps their place, not their id.
    fun_events(test.run(p(2), fun(FunCommand::Hello)));
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(allspark_engine::player::PlayerCommand::Erase {
            player: PlayerId(2),
        }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    let entrants = test
        .engine
        .query_blocking(|w| allspark_engine::fun::view::game(w, 1).and_then(|g| g.started.clone()))
        .expect("read")
        .expect("started")
        .1;
    assert_eq!(
        entrants,
        vec![Entrant::Drone(FORGOTTEN), Entrant::Player(PlayerId(3))]
    );
    fun_events(test.run(p(1), fun(FunCommand::GamesEnd { game: 1 })));
    assert_eq!(
        refused(test.run(p(1), fun(FunCommand::GamesEnd { game: 1 }))),
        FunRejection::GamesOver { game: 1 }
    );
}

/// `/hg_sorter`: every player once, dealt into the districts asked, as even as can be, by the
/// command's dice (the same seed sorts the same way); sizes out of bounds are refused.
#[test]
fn the_sorter_deals_every_player_once_into_even_districts() {
    use allspark_engine::fun::{FunCommand, FunEvent, FunRejection};
    use allspark_engine::testing::Scenario;
    use allspark_engine::{Actor, Command, Event, PlayerId};
    let sort = |players: Vec<u64>, districts| {
        Command::Fun(FunCommand::SortDistricts {
            players: players.into_iter().map(PlayerId).collect(),
            districts,
        })
    };
    let who = Actor::Player(PlayerId(1));
    let sorted = |players: Vec<u64>, districts| {
        let events = Scenario::given([])
            .when(who, sort(players, districts))
            .rule_events();
        match events.as_slice() {
            [Event::Player(_), Event::Fun(FunEvent::DistrictsSorted { by, districts })] => {
                assert_eq!(*by, PlayerId(1));
                districts.clone()
            }
            other => panic!("{other:?}"),
        }
    };
    let players: Vec<u64> = (1..=23).collect();
    let districts = sorted(players.clone(), 5);
    assert_eq!(districts.len(), 5);
    let sizes: Vec<usize> = districts.iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![5, 5, 5, 4, 4]);
    let mut all: Vec<u64> = districts.iter().flatten().map(|p| p.0).collect();
    all.sort_unstable();
    assert_eq!(all, players, "every player once");
    // The same dice sort the same way; a name given twice counts once.
    assert_eq!(sorted(players.clone(), 5), districts);
    let mut twice = players.clone();
    twice.push(3);
    assert_eq!(sorted(twice, 5).iter().map(Vec::len).sum::<usize>(), 23);
    // The dice do move players: not everyone stays in seat order.
    let in_order: Vec<Vec<PlayerId>> = (0..5)
        .map(|d| {
            (1..=23u64)
                .filter(|p| (*p - 1) % 5 == d)
                .map(PlayerId)
                .collect()
        })
        .collect();
    assert_ne!(districts, in_order);
    for (players, districts) in [
        (vec![1], 1),
        ((1..=51).collect::<Vec<u64>>(), 2),
        (vec![1, 2, 3], 0),
        (vec![1, 2, 3], 4),
        (vec![1, 2, 3], 13),
    ] {
        Scenario::given([])
            .when(who, sort(players, districts))
            .then_rejected(FunRejection::SortSize {
                players: 50,
                districts: 12,
            });
    }
}

/// A game's custom district and faction names are the creator's text: checked, kept in the
/// erasable store under them and never in an event, and gone when they are erased.
#[test]
fn custom_arena_names_live_in_the_erasable_store() {
    use allspark_engine::fun::games::names_key;
    use allspark_engine::fun::{FunCommand, FunRejection};
    use allspark_engine::player::PlayerCommand;
    use allspark_engine::testing::TestEngine;
    use allspark_engine::{Actor, Command, Outcome, PlayerId, Rejection, Snowflake};
    let mut test = TestEngine::new();
    let open = |districts: Vec<&str>, factions: Vec<&str>| {
        Command::Fun(FunCommand::GamesOpen {
            channel: Snowflake(9),
            named: Vec::new(),
            drones: 10,
            factions: 2,
            districts: 3,
            district_names: districts.into_iter().map(str::to_string).collect(),
            faction_names: factions.into_iter().map(str::to_string).collect(),
            role: None,
        })
    };
    let creator = Actor::Player(PlayerId(1));
    for (districts, factions) in [
        (vec!["A", "B", "C", "D"], vec![]),
        (vec![], vec!["One", "Two", "Three"]),
        (vec!["<@1>"], vec![]),
        (vec![" Padded"], vec![]),
        (vec!["A name far longer than the arena allows"], vec![]),
        (vec![""], vec![]),
    ] {
        assert!(
            matches!(
                test.run(creator, open(districts.clone(), factions.clone())),
                Outcome::Rejected(Rejection::Fun(FunRejection::GamesNames { max: 24 }))
            ),
            "{districts:?} {factions:?}"
        );
    }
    let opened = test.run(
        creator,
        open(vec!["Iron Hollow", "Ember Rise"], vec!["Rustborn"]),
    );
    assert!(opened.is_accepted(), "{opened:?}");
    let engine = test.engine.clone();
    let text = |key: &str| engine.personal_text(PlayerId(1), key).ok().flatten();
    assert_eq!(
        text(&names_key(1, "districts")).as_deref(),
        Some("Iron Hollow\nEmber Rise")
    );
    assert_eq!(text(&names_key(1, "factions")).as_deref(), Some("Rustborn"));
    let logged = format!("{opened:?}");
    assert!(!logged.contains("Iron Hollow") && !logged.contains("Rustborn"));
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(PlayerCommand::Erase {
            player: PlayerId(1),
        }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    assert_eq!(text(&names_key(1, "districts")), None);
    assert_eq!(text(&names_key(1, "factions")), None);
}

/// A game open to one role: joining by button needs it; the players the creator names don't.
#[test]
fn a_role_filter_lets_only_its_members_join() {
    use allspark_engine::fun::{FunCommand, FunEvent, FunRejection};
    use allspark_engine::testing::{fun_events, TestEngine};
    use allspark_engine::{Actor, Command, Outcome, PlayerId, Rejection, Snowflake};
    let mut test = TestEngine::new();
    let p = |n| Actor::Player(PlayerId(n));
    let opened = fun_events(test.run(
        p(1),
        Command::Fun(FunCommand::GamesOpen {
            channel: Snowflake(9),
            named: vec![PlayerId(5)],
            drones: 10,
            factions: 0,
            districts: 2,
            district_names: Vec::new(),
            faction_names: Vec::new(),
            role: Some(Snowflake(77)),
        }),
    ));
    assert!(opened.contains(&FunEvent::GamesRoleSet {
        game: 1,
        role: Snowflake(77)
    }));
    let join = |roles: Vec<u64>| {
        Command::Fun(FunCommand::GamesJoin {
            game: 1,
            roles: roles.into_iter().map(Snowflake).collect(),
        })
    };
    assert!(matches!(
        test.run(p(2), join(vec![3, 4])),
        Outcome::Rejected(Rejection::Fun(FunRejection::GamesRoleNeeded {
            game: 1,
            role: Snowflake(77)
        }))
    ));
    assert!(test.run(p(3), join(vec![4, 77])).is_accepted());
    let players = test
        .engine
        .query_blocking(|w| {
            allspark_engine::fun::view::game(w, 1)
                .map(|g| g.players.clone())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    assert_eq!(players, vec![PlayerId(5), PlayerId(3)]);
}

/// A model's retelling of a round: the system's only, for a round played, once, and only words
/// with no mention, link or placeholder but a contestant's; the prompt names nobody.
#[test]
fn a_round_is_retold_once_in_safe_words() {
    use allspark_engine::fun::games::{self as g, NARRATION_MAX_CHARS};
    use allspark_engine::fun::{FunCommand, FunRejection};
    use allspark_engine::testing::TestEngine;
    use allspark_engine::{Actor, Command, Outcome, PlayerId, Rejection, Snowflake};
    let mut test = TestEngine::new();
    let creator = Actor::Player(PlayerId(1));
    let run = |test: &mut TestEngine, actor, command| test.run(actor, Command::Fun(command));
    assert!(run(
        &mut test,
        creator,
        FunCommand::GamesOpen {
            channel: Snowflake(9),
            named: vec![PlayerId(1)],
            drones: 12,
            factions: 0,
            districts: 2,
            district_names: Vec::new(),
            faction_names: Vec::new(),
            role: None,
        }
    )
    .is_accepted());
    assert!(run(&mut test, creator, FunCommand::GamesStart { game: 1 }).is_accepted());
    assert!(run(&mut test, creator, FunCommand::GamesNextRound { game: 1 }).is_accepted());
    let narrate = |round, text: &str| FunCommand::GamesNarrate {
        game: 1,
        round,
        text: text.into(),
    };
    let refused = |outcome: Outcome| {
        matches!(
            outcome,
            Outcome::Rejected(Rejection::Fun(FunRejection::GamesNarrationRefused { .. }))
        )
    };
    assert!(matches!(
        run(&mut test, creator, narrate(1, "{c0} runs.")),
        Outcome::Rejected(Rejection::Fun(FunRejection::SystemOnly))
    ));
    for (round, text) in [
        (2, "{c0} runs."),
        (0, "{c0} runs."),
        (1, "{c0} pings @everyone."),
        (1, "{c99} was never here."),
        (1, "{name} is a name."),
        (1, "a stray } brace"),
        (1, ""),
    ] {
        assert!(
            refused(run(&mut test, Actor::System, narrate(round, text))),
            "{round} {text}"
        );
    }
    let long = "a".repeat(NARRATION_MAX_CHARS + 1);
    assert!(refused(run(&mut test, Actor::System, narrate(1, &long))));
    assert!(run(
        &mut test,
        Actor::System,
        narrate(1, "{c0} and {c11} circle the forge.")
    )
    .is_accepted());
    assert!(refused(run(
        &mut test,
        Actor::System,
        narrate(1, "{c0} again.")
    )));
    let (told, prompt) = test
        .engine
        .query_blocking(|w| {
            let game = allspark_engine::fun::view::game(w, 1)
                .cloned()
                .expect("the game");
            (game.narrations.get(&1).cloned(), g::prompt(&game, 1))
        })
        .expect("query");
    assert_eq!(told.as_deref(), Some("{c0} and {c11} circle the forge."));
    let (system, user) = prompt.expect("a prompt for a round played");
    assert!(system.contains("{c3}") && user.contains("{c"), "{user}");
    assert!(!user.contains("<@"), "{user}");
    // The sanitizer keeps the contestants' placeholders and drops every other brace.
    assert_eq!(
        g::sanitize_narration("Sure! {c1} meets {c40} and {lead} @here", 13),
        "{c1} meets c40 and lead here"
    );
}
