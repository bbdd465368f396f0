//! The fun area through the adapter: /hello and /ping climbing their ladders, /grump pinging
//! the configured grump (and only them) and refused on its cooldown or once they opted out,
//! /grump without a grump configured, and the shooting range from its countdown to its
//! record and leaderboard. Every reply pinned (insta) and checked against
//! Discord's OpenAPI description by the table.
//!
//! Update the goldens after an intended change: `INSTA_UPDATE=always cargo test -p
//! allspark-discord --test adapter fun::`, then review the diff.

use crate::support;

use allspark_engine::fun::{FunEvent, Ladder};
use allspark_engine::Event;
use serde_json::{json, Value};
use support::{components, Table};

fn content(body: &Value) -> String {
    body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn hello_ping_and_grump_through_the_adapter() {
    let mut table = Table::new();
    let (alice, bob, grump) = (1u64, 2u64, 3u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    macro_rules! golden {
        ($name:expr, $body:expr) => {{
            let body = $body;
            goldens.push(($name, body.clone()));
            body
        }};
    }
    golden!("fun_no_grump", table.slash(alice, "grump").await);
    let hello = golden!("fun_hello", table.slash(alice, "hello").await);
    assert!(!content(&hello).is_empty());
    // The next hellos climb: each reply is a line of the next rung.
    for level in 2..=3u8 {
        let next = table.slash(alice, "hello").await;
        let lines = &allspark_engine::content::get().greetings.hello[usize::from(level) - 1];
        let shown = content(&next);
        assert!(
            lines
                .iter()
                .any(|line| line.replace("{user}", "<@1>") == shown),
            "rung {level}: {shown}"
        );
    }
    let ping = golden!("fun_ping", table.slash(bob, "ping").await);
    assert!(!content(&ping).contains("{latency}"), "{ping}");

    table.app = table.app.clone().with_grump(Some(grump));
    table.slash(grump, "help").await;
    let grumped = golden!("fun_grump", table.slash(alice, "grump").await);
    assert!(content(&grumped).contains("<@3>"), "{grumped}");
    assert_eq!(
        grumped["data"]["allowed_mentions"]["users"],
        json!(["3"]),
        "only the grump is pinged"
    );
    golden!("fun_grump_on_cooldown", table.slash(alice, "grump").await);
    golden!("fun_grump_resting", table.slash(bob, "grump").await);
    golden!("fun_grump_optout", table.slash(grump, "grump_optout").await);
    table.engine.clock.advance_secs(3_600);
    golden!("fun_grump_opted_out", table.slash(alice, "grump").await);
    table.slash(grump, "grump_optout action:in").await;
    let again = table.slash(alice, "grump").await;
    assert!(content(&again).contains("<@3>"), "{again}");

    let greeted = table
        .app
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::Fun(FunEvent::Greeted {
                    ladder: Ladder::Hello,
                    ..
                })
            )
        })
        .count();
    assert_eq!(greeted, 3);
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// The target button's id in a round's reply.
fn target(body: &Value) -> String {
    support::first_component(body, "🎯").0
}

#[tokio::test(flavor = "multi_thread")]
async fn the_shooting_range_through_the_adapter() {
    use allspark_engine::{PlayerId, Timestamp};
    let mut table = Table::new();
    let (alice, bob) = (1u64, 2u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    let countdown = table.slash(alice, "range rounds:5").await;
    assert!(
        content(&countdown).contains("Targets in **3**"),
        "{countdown}"
    );
    assert!(
        support::components(&countdown).is_empty(),
        "the countdown's button is disabled"
    );
    goldens.push(("range_countdown", countdown.clone()));
    // Pressing before the countdown ends (as a forged press would) is refused.
    let early = table.press(alice, "1:rg:1:1:1:0", &[]).await;
    assert!(content(&early).contains("countdown"), "{early}");

    let round = allspark_discord::fun::begin_range(&table.app, PlayerId(alice), 1)
        .await
        .unwrap_or_else(|| panic!("no first round"));
    let mut body = allspark_discord::reply::Response::Update(round).to_discord();
    support::check_callback(&body);
    assert!(content(&body).contains("Round 1/5"), "{body}");
    goldens.push(("range_round", body.clone()));
    // The countdown ends once: running it again (a redelivery) shows the same round and
    // records nothing new.
    let again = allspark_discord::fun::begin_range(&table.app, PlayerId(alice), 1)
        .await
        .map(|r| allspark_discord::reply::Response::Update(r).to_discord());
    assert_eq!(again.as_ref(), Some(&body));
    let shown = table
        .app
        .engine
        .log()
        .read_all(1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| matches!(e.event, Event::Fun(FunEvent::RangeRoundShown { .. })))
        .count();
    assert_eq!(shown, 1);
    // Bob can't shoot on Alice's range.
    let foreign = table.press(bob, &target(&body), &[]).await;
    assert_eq!(foreign["data"]["flags"], json!(64), "{foreign}");
    for round in 1..=5u8 {
        let now = table.engine.engine.now().0;
        table
            .engine
            .clock
            .set(Timestamp(now + 250 + i64::from(round)));
        body = table.press(alice, &target(&body), &[]).await;
        assert_eq!(body["type"], json!(7), "{body}");
        if round < 5 {
            assert!(
                content(&body).contains(&format!("Round {}/5", round + 1)),
                "{body}"
            );
            assert!(content(&body).contains(&format!("hit in {} ms", 250 + round)));
        }
    }
    let end = body.to_string();
    assert!(end.contains("**5/5**"), "{end}");
    assert!(end.contains("personal best"), "{end}");
    goldens.push(("range_end", body.clone()));
    goldens.push(("range_stats", table.slash(bob, "rangestats user:1").await));
    goldens.push(("range_stats_none", table.slash(bob, "rangestats").await));
    let board = table.slash(bob, "range_leaderboard rounds:5").await;
    assert!(board.to_string().contains("<@1>"), "{board}");
    goldens.push(("range_leaderboard", board.clone()));
    let other = table
        .press(bob, &support::first_component(&board, "25 rounds").0, &[])
        .await;
    assert!(other.to_string().contains("Nobody has hit"), "{other}");

    // Again: a new session of the same length, its countdown in place of the end.
    let again = table
        .press(alice, &support::first_component(&body, "Again").0, &[])
        .await;
    assert_eq!(again["type"], json!(7), "{again}");
    assert!(content(&again).contains("session #2"), "{again}");
    let round = allspark_discord::fun::begin_range(&table.app, PlayerId(alice), 2)
        .await
        .unwrap_or_else(|| panic!("no first round"));
    let body = allspark_discord::reply::Response::Update(round).to_discord();
    // A miss, then a stale press of the same round gets the round showing.
    let miss = support::components(&body)
        .into_iter()
        .find(|(_, label)| label != "🎯")
        .map(|(id, _)| id)
        .unwrap_or_default();
    let missed = table.press(alice, &miss, &[]).await;
    assert!(content(&missed).contains("round 1: missed"), "{missed}");
    let stale = table.press(alice, &miss, &[]).await;
    assert!(content(&stale).contains("Round 2/5"), "{stale}");
    // Left alone, the session lapses through the worker; its buttons then say it is over.
    table
        .engine
        .clock
        .advance_secs(allspark_engine::fun::RANGE_IDLE_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&table.engine.engine).await,
        1
    );
    let over = table.press(alice, &target(&stale), &[]).await;
    assert!(content(&over).contains("is over"), "{over}");
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// The right option of `channel`'s open trivia question.
async fn trivia_right(table: &Table, channel: u64) -> u8 {
    table
        .app
        .engine
        .query(move |w| {
            allspark_engine::fun::view::trivia(w, allspark_engine::Snowflake(channel))
                .and_then(|s| allspark_engine::fun::view::trivia_question(s.question))
                .map(|q| q.answer)
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no open question"))
}

fn embed_text(body: &Value) -> String {
    body["data"]["embeds"].to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn trivia_through_the_adapter() {
    let mut table = Table::new();
    let channel = 1_300_000_000_000_000_001u64;
    let (alice, bob, carol) = (1u64, 2u64, 3u64);
    let mut id = 5_000u64;
    let mut next = || {
        id += 1;
        id
    };
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    // Outside a channel (the table's plain invocations have none) there is no trivia.
    let nowhere = table.slash(alice, "trivia").await;
    assert!(
        content(&nowhere).contains("played in a channel"),
        "{nowhere}"
    );

    let start = support::slash(
        next(),
        alice,
        "trivia",
        &[("category", json!("science")), ("questions", json!(2))],
    );
    let first = table.payload(&start).await;
    assert!(embed_text(&first).contains("question 1/2"), "{first}");
    assert_eq!(support::components(&first).len(), 4);
    goldens.push(("trivia_question", first.clone()));
    let right = trivia_right(&table, channel).await;
    let press = |choice: u8, number: u8| format!("1:tva:{channel}:{number}:{choice}");
    // Bob answers wrong: told privately, and out of this question.
    let wrong = table
        .payload(&support::press(
            next(),
            bob,
            &press((right + 1) % 4, 1),
            &[],
        ))
        .await;
    assert_eq!(wrong["data"]["flags"], json!(64), "{wrong}");
    assert!(content(&wrong).contains("out of question 1"), "{wrong}");
    let again = table
        .payload(&support::press(next(), bob, &press(right, 1), &[]))
        .await;
    assert!(content(&again).contains("already answered"), "{again}");
    // Alice knows it: the message moves on to question 2.
    let second = table
        .payload(&support::press(next(), alice, &press(right, 1), &[]))
        .await;
    assert_eq!(second["type"], json!(7), "{second}");
    assert!(embed_text(&second).contains("question 2/2"), "{second}");
    assert!(embed_text(&second).contains("<@1> knew it"), "{second}");
    // A press on the old question shows the open one.
    let stale = table
        .payload(&support::press(next(), carol, &press(right, 1), &[]))
        .await;
    assert!(embed_text(&stale).contains("question 2/2"), "{stale}");
    // Time runs out on question 2, the last: the session is over.
    table
        .engine
        .clock
        .advance_secs(allspark_engine::fun::TRIVIA_QUESTION_SECS);
    assert_eq!(
        allspark_discord::worker::timeouts(&table.engine.engine).await,
        1
    );
    let results = allspark_discord::fun::trivia_view(&table.app, channel)
        .await
        .unwrap_or_else(|_| panic!("a view"));
    let results = allspark_discord::reply::Response::Message(results).to_discord();
    support::check_callback(&results);
    let text = embed_text(&results);
    assert!(text.contains("All 2 questions asked"), "{text}");
    assert!(text.contains("🥇 <@1> · 1 right of 1"), "{text}");
    assert!(text.contains("<@2> · 0 right of 1"), "{text}");
    goldens.push(("trivia_results", results.clone()));
    let stop = table
        .payload(&support::slash(next(), alice, "trivia_stop", &[]))
        .await;
    assert!(content(&stop).contains("no trivia session"), "{stop}");

    // Play again: a new session in the same category, in place of the results.
    let (again_id, _) = support::first_component(&results, "Play again");
    let replay = table
        .payload(&support::press(next(), carol, &again_id, &[]))
        .await;
    assert_eq!(replay["type"], json!(7), "{replay}");
    assert!(embed_text(&replay).contains("question 1/10"), "{replay}");
    // Bob didn't start it and can't manage messages: he can't stop it; a moderator can.
    let mut bob_stops = support::slash(next(), bob, "trivia_stop", &[]);
    bob_stops["member"]["permissions"] = json!("0");
    let refused = table.payload(&bob_stops).await;
    assert!(
        content(&refused).contains("only whoever started"),
        "{refused}"
    );
    let mut moderator = support::slash(next(), bob, "trivia_stop", &[]);
    moderator["member"]["permissions"] = json!("8192");
    let stopped = table.payload(&moderator).await;
    assert!(
        embed_text(&stopped).contains("Stopped by <@2>"),
        "{stopped}"
    );
    goldens.push(("trivia_stopped", stopped));
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn walktru_through_the_adapter() {
    let mut table = Table::new();
    let (alice, bob) = (1u64, 2u64);
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    let first = table.slash(alice, "walktru genre:robot").await;
    let text = embed_text(&first);
    assert!(text.contains("Escape from Foundry Nine · step 1"), "{text}");
    assert!(text.contains("Power"), "{text}");
    let robot = allspark_engine::fun::view::story("robot").expect("robot");
    assert_eq!(
        support::components(&first).len(),
        robot.stages[&robot.start].choices.len()
    );
    goldens.push(("walktru_start", first.clone()));
    // Bob can't choose for Alice.
    let (choice, _) = support::first_component(&first, "1 ·");
    let foreign = table.press(bob, &choice, &[]).await;
    assert_eq!(foreign["data"]["flags"], json!(64), "{foreign}");
    let second = table.press(alice, &choice, &[]).await;
    assert_eq!(second["type"], json!(7), "{second}");
    let text = embed_text(&second);
    assert!(text.contains("step 2"), "{text}");
    assert!(text.contains('✅') || text.contains('❌'), "{text}");
    // The same button again is stale: the walk as it stands, no second step.
    let stale = table.press(alice, &choice, &[]).await;
    assert!(embed_text(&stale).contains("step 2"), "{stale}");
    // Asking again resumes where it was, with a way to start over.
    let resumed = table.slash(alice, "walktru genre:robot").await;
    assert!(embed_text(&resumed).contains("step 2"), "{resumed}");
    let (over, _) = support::first_component(&resumed, "Start over");
    let restarted = table.press(alice, &over, &[]).await;
    assert!(embed_text(&restarted).contains("step 1"), "{restarted}");
    // Always the first choice, to an ending.
    let mut body = restarted;
    for _ in 0..robot.stages.len() {
        if embed_text(&body).contains("the end") {
            break;
        }
        let (choice, _) = support::first_component(&body, "1 ·");
        body = table.press(alice, &choice, &[]).await;
    }
    let text = embed_text(&body);
    assert!(text.contains("the end"), "{text}");
    assert!(text.contains("Journey"), "{text}");
    assert!(
        text.contains(&format!("1 of {}", robot.endings.len())),
        "{text}"
    );
    goldens.push(("walktru_end", body.clone()));
    let (again, _) = support::first_component(&body, "Play again");
    let again = table.press(alice, &again, &[]).await;
    assert!(embed_text(&again).contains("step 1"), "{again}");
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_combiner_forms_through_the_adapter_and_shows_on_the_profile() {
    let mut table = Table::new();
    for player in 1..=7u64 {
        let adopted = table.slash(player, "get_pet faction:autobot").await;
        assert!(adopted["data"]["flags"] != json!(64), "{adopted}");
    }
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    let nopet = table.slash(9, "combiner").await;
    assert!(content(&nopet).contains("need a pet"), "{nopet}");
    let opened = table.slash(1, "combiner").await;
    assert!(embed_text(&opened).contains("Combiner team #1"), "{opened}");
    goldens.push(("combiner_open", opened.clone()));
    let labels = [
        "🧠 Head",
        "🫀 Body",
        "🦾 Left arm",
        "🦾 Right arm",
        "🦿 Left leg",
    ];
    let mut view = opened;
    for (player, label) in (1..=5u64).zip(labels) {
        let (id, _) = support::first_component(&view, label);
        view = table.press(player, &id, &[]).await;
        assert_eq!(view["type"], json!(7), "{view}");
        assert!(
            embed_text(&view).contains(&format!("<@{player}>'s pet")),
            "{view}"
        );
    }
    // A part already taken (from an older copy of the view) shows the team as it stands.
    let stale = table.press(7, "1:cb:1:head", &[]).await;
    assert_eq!(stale["type"], json!(7), "{stale}");
    assert!(embed_text(&stale).contains("<@1>'s pet"), "{stale}");
    let (last, _) = support::first_component(&view, "🦿 Right leg");
    let formed = table.press(6, &last, &[]).await;
    let text = embed_text(&formed);
    assert!(text.contains("is formed!"), "{text}");
    assert!(text.contains("Combined"), "{text}");
    goldens.push(("combiner_formed", formed.clone()));
    // The profile shows it.
    let profile = table.slash(2, "profile user:1").await;
    let (tab, _) = support::first_component(&profile, "Combiner");
    let tab = table.press(2, &tab, &[]).await;
    assert!(embed_text(&tab).contains("🧠 Head of **"), "{tab}");
    // Someone outside the team can't leave it; a member leaving disbands it.
    let (leave, _) = support::first_component(&formed, "Leave");
    let outsider = table.press(7, &leave, &[]).await;
    assert_eq!(outsider["data"]["flags"], json!(64), "{outsider}");
    let left = table.slash(3, "combiner_leave").await;
    assert!(content(&left).contains("disbanded"), "{left}");
    let gone = table.press(1, "1:cb:1:head", &[]).await;
    assert!(content(&gone).contains("no combiner team #1"), "{gone}");
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cybertron_games_play_through_the_adapter() {
    let mut table = Table::new();
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    let lobby = table
        .slash(1, "cybertron_games size:50 factions:10 player1:2")
        .await;
    let text = embed_text(&lobby);
    assert!(text.contains("Cybertron Games #1 · the lobby"), "{text}");
    assert!(text.contains("<@2>"), "{text}");
    goldens.push(("games_lobby", lobby.clone()));
    let (join, _) = support::first_component(&lobby, "Join");
    let joined = table.press(3, &join, &[]).await;
    assert!(embed_text(&joined).contains("<@3>"), "{joined}");
    let again = table.press(3, &join, &[]).await;
    assert!(content(&again).contains("already in"), "{again}");
    let (start, _) = support::first_component(&lobby, "Start");
    let stranger = table.press(2, &start, &[]).await;
    assert!(
        content(&stranger).contains("only whoever opened"),
        "{stranger}"
    );
    let mut view = table.press(1, &start, &[]).await;
    assert!(embed_text(&view).contains("the games begin"), "{view}");
    // Every view of a started game carries the arena's map, shown under the embed.
    let map_of = |view: &Value| {
        (
            view["data"]["attachments"][0]["filename"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            view["data"]["embeds"][0]["image"]["url"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    assert_eq!(
        map_of(&view),
        (
            "cybertron-games-1-round-0.png".to_string(),
            "attachment://cybertron-games-1-round-0.png".to_string()
        ),
        "{view}"
    );
    assert!(map_of(&lobby).0.is_empty(), "no map before the start");
    for _ in 0..60 {
        if embed_text(&view).contains("it is over") {
            break;
        }
        let (next, _) = support::first_component(&view, "Next round");
        view = table.press(1, &next, &[]).await;
        let told = view["data"]["embeds"][0]["description"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!told.contains('{'), "a placeholder left: {told}");
        let round = view["data"]["embeds"][0]["title"]
            .as_str()
            .and_then(|t| t.split("round ").nth(1))
            .and_then(|t| t.split(' ').next())
            .map(str::to_string);
        if let Some(round) = round {
            assert_eq!(
                map_of(&view).0,
                format!("cybertron-games-1-round-{round}.png")
            );
        }
    }
    let text = embed_text(&view);
    assert!(text.contains("it is over"), "{text}");
    assert!(text.contains("Champions"), "{text}");
    assert!(text.contains("Factions"), "{text}");
    goldens.push(("games_over", view));
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

/// A mega-fight through the views: two teams formed by presses, a challenge that pings the
/// other head, refused to anyone else, accepted into a battle view that names the giants by
/// their teams, fought by the two heads' pickers to its end, every member paid and the record
/// on the profile.
#[tokio::test(flavor = "multi_thread")]
async fn a_mega_fight_is_challenged_accepted_and_fought_through_the_views() {
    let mut table = Table::new();
    for player in 1..=12u64 {
        let faction = if player <= 6 { "autobot" } else { "decepticon" };
        table
            .slash(player, &format!("get_pet faction:{faction}"))
            .await;
    }
    let parts = ["head", "body", "larm", "rarm", "lleg", "rleg"];
    for (team, first) in [(1u32, 1u64), (2, 7)] {
        table.slash(first, "combiner").await;
        for (i, part) in parts.iter().enumerate() {
            let view = table
                .press(first + i as u64, &format!("1:cb:{team}:{part}"), &[])
                .await;
            assert_eq!(view["type"], json!(7), "{view}");
        }
    }
    let names = table
        .engine
        .engine
        .query(|w| {
            [1, 2].map(|n| {
                allspark_engine::fun::view::team(w, n)
                    .and_then(allspark_engine::fun::view::team_name)
                    .unwrap_or_default()
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let refused = table.slash(2, "mega_fight team:2").await;
    assert_eq!(refused["data"]["flags"], json!(64), "{refused}");
    assert!(content(&refused).contains("head"), "{refused}");
    let challenge = table.slash(1, "mega_fight team:2").await;
    let text = embed_text(&challenge);
    assert!(
        text.contains(&names[0]) && text.contains(&names[1]),
        "{text}"
    );
    assert_eq!(
        challenge["data"]["allowed_mentions"]["users"],
        json!(["7"]),
        "the challenged head is pinged: {challenge}"
    );
    insta::assert_json_snapshot!("mega_fight_challenge", challenge);
    let (accept, _) = support::first_component(&challenge, "Accept");
    let stranger = table.press(8, &accept, &[]).await;
    assert_eq!(stranger["data"]["flags"], json!(64), "{stranger}");
    let view = table.press(7, &accept, &[]).await;
    assert_eq!(view["type"], json!(7), "{view}");
    let shown = view.to_string();
    assert!(
        shown.contains(&names[0]) && shown.contains(&names[1]),
        "the giants are named by their teams: {view}"
    );
    let battle = components(&view)
        .into_iter()
        .find_map(|(id, _)| {
            id.strip_prefix("1:watch:")
                .and_then(|b| b.parse::<allspark_engine::battle::BattleId>().ok())
        })
        .unwrap_or_else(|| panic!("no battle in {view}"));
    let (choose, _) = support::first_component(&view, "Choose my move");
    let open = |table: &Table| {
        let engine = table.engine.engine.clone();
        async move {
            engine
                .query(move |w| w.battles().open.contains_key(&battle))
                .await
                .unwrap_or(false)
        }
    };
    let mut turns = 0;
    while open(&table).await {
        turns += 1;
        assert!(turns < 500, "the fight did not end");
        for head in [1u64, 7] {
            let picker = table.press(head, &choose, &[]).await;
            let attack = components(&picker).into_iter().find(|(id, _)| {
                matches!(id.split(':').collect::<Vec<_>>().as_slice(), ["1", "act", _, _, a, _] if a.starts_with('a'))
            });
            if let Some((attack, _)) = attack {
                table.press(head, &attack, &[]).await;
            }
            if !open(&table).await {
                break;
            }
        }
    }
    // Every member of both teams was paid under the mega-fight's rule.
    let paid = table
        .logged()
        .iter()
        .filter(|e| {
            matches!(
                e,
                allspark_engine::Event::Energon(allspark_engine::energon::EnergonEvent::Credited {
                    rule: allspark_engine::energon::LedgerRule::MegaFightReward,
                    ..
                })
            )
        })
        .count();
    assert_eq!(paid, 12);
    let profile = table.slash(3, "profile").await;
    let (tab, _) = support::first_component(&profile, "Combiner");
    let tab = table.press(3, &tab, &[]).await;
    assert!(embed_text(&tab).contains("Mega-fights: "), "{tab}");
}

/// `/hg_sorter`: the asker and the players named, dealt into districts named as the arena
/// names them; too few players for the districts is refused with the bounds.
#[tokio::test(flavor = "multi_thread")]
async fn the_district_sorter_deals_players_into_named_districts() {
    let mut table = Table::new();
    let sorted = table
        .slash(
            1,
            "hg_sorter districts:3 player1:2 player2:3 player3:4 player4:5",
        )
        .await;
    let fields = sorted["data"]["embeds"][0]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(fields.len(), 3, "{sorted}");
    let districts = &allspark_engine::content::get().games.districts;
    assert!(
        fields[0]["name"]
            .as_str()
            .is_some_and(|n| n.contains(&districts[0])),
        "{sorted}"
    );
    let shown = sorted.to_string();
    for player in 1..=5 {
        assert_eq!(
            shown.matches(&format!("<@{player}>")).count(),
            1,
            "{sorted}"
        );
    }
    assert_eq!(sorted["data"]["allowed_mentions"]["parse"], json!([]));
    insta::assert_json_snapshot!("hg_sorter", sorted);
    let refused = table
        .slash(1, "hg_sorter districts:5 include_me:no player1:2 player2:3")
        .await;
    assert_eq!(refused["data"]["flags"], json!(64), "{refused}");
    assert!(content(&refused).contains("1 to 12 districts"), "{refused}");
}

/// A creator's own names for districts and factions show in the lobby and in the champions'
/// factions, and the arena's names fill in the rest.
#[tokio::test(flavor = "multi_thread")]
async fn a_games_creator_names_the_districts_and_factions() {
    let mut table = Table::new();
    let lobby = table
        .slash(
            1,
            "cybertron_games size:12 factions:2 districts:3 district_names:\"Iron Hollow, Ember Rise\" faction_names:Rustborn",
        )
        .await;
    let text = embed_text(&lobby);
    assert!(
        text.contains("Iron Hollow, Ember Rise") && text.contains("Rustborn"),
        "{lobby}"
    );
    let refused = table
        .slash(1, "cybertron_games districts:2 district_names:A,B,C")
        .await;
    assert_eq!(refused["data"]["flags"], json!(64), "{refused}");
    assert!(
        content(&refused).contains("one name per district"),
        "{refused}"
    );
    let (start, _) = support::first_component(&lobby, "Start");
    let mut view = table.press(1, &start, &[]).await;
    for _ in 0..80 {
        if embed_text(&view).contains("it is over") {
            break;
        }
        let (next, _) = support::first_component(&view, "Next round");
        view = table.press(1, &next, &[]).await;
    }
    let text = embed_text(&view);
    assert!(text.contains("it is over"), "{text}");
    let second = allspark_engine::content::get().games.factions[1]
        .name
        .clone();
    assert!(
        text.contains("Rustborn") && text.contains(&second),
        "the creator's name for the first faction, the arena's for the second: {text}"
    );
}

/// A game open to one role: the lobby says so; a press by a member without it is refused in
/// private, a member with it joins (their roles come with the press, as Discord sends them).
#[tokio::test(flavor = "multi_thread")]
async fn a_role_filtered_game_lets_only_members_with_the_role_join() {
    let mut table = Table::new();
    let lobby = table.slash(1, "cybertron_games size:10 role:4242").await;
    assert!(embed_text(&lobby).contains("<@&4242>"), "{lobby}");
    let (join, _) = support::first_component(&lobby, "Join");
    let without = table.payload(&support::press(501, 2, &join, &[])).await;
    assert_eq!(without["data"]["flags"], json!(64), "{without}");
    assert!(content(&without).contains("<@&4242>"), "{without}");
    let mut with_role = support::press(502, 3, &join, &[]);
    with_role["member"]["roles"] = json!(["4242"]);
    let joined = table.payload(&with_role).await;
    assert!(embed_text(&joined).contains("<@3>"), "{joined}");
}
