//! The web pages over HTTP on loopback: status codes, the headers a careful site sends, the
//! turns in the HTML, the seed kept back while a battle runs, the list's filters, the live
//! feed resuming from `Last-Event-ID` without a turn missed or repeated, the limits, and the
//! Watch links on Discord's views.

use std::time::Duration;

use allspark_discord::web::Limits;
use allspark_engine::battle::{BattleEvent, BattleId};
use allspark_engine::world::Event;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{attack, fight_to_the_end, serve_web, solo_battle, Table};

/// The seed a battle's log recorded when it started, as 32 hex digits.
fn seed_of(table: &Table, battle: BattleId) -> String {
    let records = table
        .app
        .engine
        .log()
        .read_stream(&battle.stream(), 1, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    records
        .iter()
        .find_map(|r| match &r.event {
            Event::Battle(BattleEvent::Started { seed, .. }) => {
                Some(format!("{:032x}", seed.value))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no start"))
}

/// The stream version of the battle's latest event.
fn version_of(table: &Table, battle: BattleId) -> u64 {
    table
        .app
        .engine
        .log()
        .stream_version(&battle.stream())
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn get(url: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let response = reqwest::get(url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    (status, headers, body)
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// A table where player 1 has finished a solo battle and player 2 is in one with a turn
/// played: (table, finished, running, running's latest view).
pub(crate) async fn two_battles() -> (Table, BattleId, BattleId, Value) {
    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    table.slash(2, "get_pet faction:decepticon").await;
    let (finished, view) = solo_battle(&mut table, 1).await;
    fight_to_the_end(&mut table, 1, view).await;
    let (running, view) = solo_battle(&mut table, 2).await;
    let view = attack(&mut table, 2, &view).await;
    (table, finished, running, view)
}

#[tokio::test]
async fn battle_pages_show_the_turns_and_keep_an_open_battles_seed_back() {
    let (table, finished, running, _) = two_battles().await;
    let base = serve_web(table.app.clone(), Limits::default()).await;

    let (status, headers, html) = get(&format!("{base}/battles/{finished}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(header(&headers, "content-type").starts_with("text/html"));
    let csp = header(&headers, "content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    // No inline script or style anywhere: the policy would block it.
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "{html}"
    );
    // Every turn is in the HTML with its lines, and the end with its seed (public now).
    assert!(
        html.contains("id=\"turn-0\"") && html.contains("id=\"turn-1\""),
        "{html}"
    );
    assert!(html.contains("Over after"), "{html}");
    assert!(
        html.contains(&seed_of(&table, finished)),
        "the finished battle's seed is shown"
    );
    assert!(
        !html.contains("data-live"),
        "a finished battle has nothing to follow"
    );
    let turns: Vec<&str> = html.matches("class=\"turn\"").collect();
    let records = table
        .app
        .engine
        .log()
        .read_stream(&finished.stream(), 1, usize::MAX)
        .unwrap();
    let resolved = records
        .iter()
        .filter(|r| matches!(r.event, Event::Battle(BattleEvent::TurnResolved { .. })))
        .count();
    assert_eq!(
        turns.len(),
        resolved + 1,
        "the start and every resolved turn"
    );

    let (status, _, html) = get(&format!("{base}/battles/{running}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("data-live=\"/battles/{running}/live\"")),
        "{html}"
    );
    assert!(html.contains("Running: turn 2"), "{html}");
    assert!(
        !html.contains(&seed_of(&table, running)),
        "an open battle's seed never reaches a page"
    );

    // The assets the page names are served, cached for good; others are not there.
    let css = html
        .split("href=\"")
        .find_map(|rest| rest.split('"').next().filter(|href| href.ends_with(".css")))
        .unwrap_or_else(|| panic!("no stylesheet in {html}"))
        .to_string();
    let (status, headers, _) = get(&format!("{base}{css}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(header(&headers, "content-type").starts_with("text/css"));
    assert!(header(&headers, "cache-control").contains("immutable"));
    assert_eq!(
        get(&format!("{base}/assets/site-000000.css")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lists_the_ladder_and_players_and_unknown_things_are_not_found() {
    let (table, finished, running, _) = two_battles().await;
    let base = serve_web(table.app.clone(), Limits::default()).await;

    let (status, _, html) = get(&format!("{base}/battles")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/battles/{finished}"))
            && html.contains(&format!("/battles/{running}"))
    );
    assert!(html.contains("1 running now"), "{html}");
    let (_, _, html) = get(&format!("{base}/battles?player=2")).await;
    assert!(
        html.contains(&format!("/battles/{running}"))
            && !html.contains(&format!("/battles/{finished}"))
    );
    let (_, _, html) = get(&format!("{base}/battles?mode=duel")).await;
    assert!(html.contains("No battles yet"), "no duel was fought");
    let (_, _, html) = get(&format!("{base}/battles?mode=solo")).await;
    assert!(html.contains(&format!("/battles/{finished}")));
    let (status, _, html) = get(&format!("{base}/battles?mode=bogus")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("free-for-all"),
        "the message names the modes: {html}"
    );
    assert_eq!(
        get(&format!("{base}/battles?player=abc")).await.0,
        StatusCode::BAD_REQUEST
    );

    let (status, _, html) = get(&format!("{base}/players/1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/battles/{finished}")), "{html}");
    assert_eq!(get(&format!("{base}/ladder")).await.0, StatusCode::OK);

    for missing in [
        format!("/battles/{}", BattleId(12345)),
        "/battles/zzz".to_string(),
        format!("/battles/{}/live", BattleId(12345)),
        "/players/777".to_string(),
        "/players/me".to_string(),
        "/nowhere".to_string(),
    ] {
        let (status, headers, _) = get(&format!("{base}{missing}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    }
}

#[tokio::test]
async fn requests_past_the_limits_are_refused() {
    let table = Table::new();
    let base = serve_web(
        table.app.clone(),
        Limits {
            per_second: 1,
            burst: 3,
        },
    )
    .await;
    let client = reqwest::Client::new();
    let body = client
        .get(format!("{base}/battles"))
        .body("x".repeat(100))
        .send()
        .await
        .unwrap();
    assert_eq!(body.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let long = client
        .get(format!("{base}/battles?player={}", "1".repeat(3_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(long.status(), StatusCode::URI_TOO_LONG);
    // Refused before routing, those cost nothing; three requests are the burst.
    let post = client.post(format!("{base}/battles")).send().await.unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    for _ in 0..2 {
        assert_eq!(get(&format!("{base}/ladder")).await.0, StatusCode::OK);
    }
    let refused = client.get(format!("{base}/ladder")).send().await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the fourth request of three"
    );
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(
        refused
            .headers()
            .get("x-content-type-options")
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
}

/// A Server-Sent Events response read frame by frame.
struct Feed {
    response: reqwest::Response,
    buffer: String,
}

/// One frame: (id, event, data).
type Frame = (String, String, Value);

impl Feed {
    async fn open(url: &str, last_id: Option<&str>) -> (StatusCode, Feed) {
        let mut request = reqwest::Client::new().get(url);
        if let Some(id) = last_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        (
            response.status(),
            Feed {
                response,
                buffer: String::new(),
            },
        )
    }

    /// The next frame (keep-alive comments skipped); `None` when the response ends. Fails the
    /// test after ten seconds without one.
    async fn next(&mut self) -> Option<Frame> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (String::new(), String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if id.is_empty() {
                    continue;
                }
                let data = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                return Some((id, event, data));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no frame in ten seconds"))
                .unwrap_or_else(|e| panic!("{e}"))?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn the_live_feed_resumes_from_the_last_event_id_without_missing_or_repeating() {
    let (mut table, _, running, view) = two_battles().await;
    let base = serve_web(table.app.clone(), Limits::default()).await;
    let live = format!("{base}/battles/{running}/live");

    // From the start: the start, then turn 1, which was played before anyone watched.
    let (status, mut feed) = Feed::open(&format!("{live}?after=0"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, event, start) = feed.next().await.unwrap();
    assert_eq!((event.as_str(), start["turn"].as_u64()), ("turn", Some(0)));
    let (first_id, _, first) = feed.next().await.unwrap();
    assert_eq!(first["turn"], 1);
    assert_eq!(first_id, version_of(&table, running).to_string());
    assert!(!first["lines"].as_array().unwrap().is_empty(), "{first}");

    // A turn played now reaches the open feed.
    let view = attack(&mut table, 2, &view).await;
    let (second_id, _, second) = feed.next().await.unwrap();
    assert_eq!(second["turn"], 2);
    assert_eq!(second["hp"].as_array().map(Vec::len), Some(2));

    // A browser that saw turn 1 resumes with turn 2: nothing missed, nothing repeated, and
    // `Last-Event-ID` wins over the page's `after`.
    let (_, mut resumed) = Feed::open(&format!("{live}?after=0"), Some(&first_id)).await;
    let (id, _, again) = resumed.next().await.unwrap();
    assert_eq!(
        (id.as_str(), again["turn"].as_u64()),
        (second_id.as_str(), Some(2))
    );

    // The end reaches both, with the seed that is public from then on; after it, nothing.
    fight_to_the_end(&mut table, 2, view).await;
    let mut last = None;
    while let Some((id, event, data)) = resumed.next().await {
        if event == "end" {
            assert_eq!(data["seed"], seed_of(&table, running));
            last = Some(id);
        }
    }
    let last = last.unwrap_or_else(|| panic!("no end frame"));
    let mut saw_end = false;
    while let Some((_, event, _)) = feed.next().await {
        saw_end |= event == "end";
    }
    assert!(saw_end, "the first spectator saw the end too");
    let (status, _) = Feed::open(&live, Some(&last)).await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "nothing after the end: stop reconnecting"
    );
}

#[tokio::test]
async fn battle_views_link_to_their_page_when_the_bot_knows_its_address() {
    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    let (_, view) = solo_battle(&mut table, 1).await;
    assert!(
        !view.to_string().contains("\"style\":5"),
        "no address, no link: {view}"
    );

    let mut table = Table::new();
    table.app = table
        .app
        .clone()
        .with_web_url(Some("https://allspark.example.org/".into()));
    table.slash(1, "get_pet faction:autobot").await;
    let (battle, view) = solo_battle(&mut table, 1).await;
    // `support` checks each reply against Discord's description: a link has a URL and no id.
    let links: Vec<&Value> = view["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["components"].as_array().unwrap())
        .filter(|c| c["style"] == 5)
        .collect();
    assert_eq!(links.len(), 1, "{view}");
    assert_eq!(links[0]["label"], "Watch");
    assert_eq!(
        links[0]["url"],
        format!("https://allspark.example.org/battles/{battle}")
    );
    let history = table.slash(1, "battle_history").await;
    assert!(
        history
            .to_string()
            .contains("https://allspark.example.org/players/1"),
        "{history}"
    );
    // The console shows where a link goes.
    let reply = table
        .app
        .battle_view(battle)
        .await
        .unwrap_or_else(|_| panic!("no view"));
    assert!(reply.to_text().contains(&format!(
        "Watch: https://allspark.example.org/battles/{battle}"
    )));
}

/// One solo battle of the bench's (`benches/spectators.rs`): against the toughest monster,
/// started with command id `start`, the player defending every turn, watched live from its
/// start. Every turn that resolves reaches the spectator as its frame, in order, then the
/// end, then nothing. Whether the monster stunned the pet.
async fn watch_a_defended_battle(start: u128) -> bool {
    use allspark_engine::battle::content::EnemyKind;
    use allspark_engine::battle::sim::{Action, Hit, StatusKind};
    use allspark_engine::battle::{view, BattleCommand};
    use allspark_engine::world::Command;
    use allspark_engine::{content, Actor, CommandId, Outcome, PlayerId};

    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    let engine = table.app.engine.clone();
    let player = PlayerId(1);
    let mut next_id = start;
    let mut run = |command: Command| {
        next_id += 1;
        let envelope = engine.envelope(CommandId(next_id), Actor::Player(player), command);
        let engine = engine.clone();
        async move {
            engine
                .execute(envelope)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let enemy = content::get()
        .enemies
        .values()
        .filter(|e| e.kind == EnemyKind::Monster)
        .max_by_key(|e| (e.hp, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_else(|| panic!("no monster"));
    let started = run(Command::Battle(BattleCommand::StartSolo { enemy })).await;
    assert!(started.outcome.is_accepted(), "{:?}", started.outcome);
    let battle = engine
        .query(move |w| view::battle_of(w, player))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no battle"));
    let base = serve_web(table.app.clone(), Limits::default()).await;
    let after = version_of(&table, battle);
    let (status, mut feed) =
        Feed::open(&format!("{base}/battles/{battle}/live?after={after}"), None).await;
    assert_eq!(status, StatusCode::OK);

    let (mut stunned, mut ended) = (false, None);
    while ended.is_none() {
        let turn = engine
            .query(move |w| view::open_battle(w, battle).map(|b| b.sim.turn))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the battle ended without its `Ended`"));
        assert!(turn < 500, "the battle never ends");
        let reply = run(Command::Battle(BattleCommand::Act {
            battle,
            turn,
            action: Action::Defend { guard: 0 },
        }))
        .await;
        let Outcome::Accepted(events) = &reply.outcome else {
            panic!("battle {start}, turn {turn}: {:?}", reply.outcome);
        };
        for recorded in events {
            match &recorded.event {
                Event::Battle(BattleEvent::TurnResolved { turn, log, .. }) => {
                    let (id, event, data) = feed.next().await.unwrap_or_else(|| {
                        panic!("battle {start}: the feed ended before turn {turn}")
                    });
                    assert_eq!(
                        (event.as_str(), data["turn"].as_u64(), id),
                        (
                            "turn",
                            Some(u64::from(*turn)),
                            recorded.stream_version.to_string()
                        ),
                        "battle {start}: turn {turn}'s frame"
                    );
                    if log.contains(&Hit::Stunned { fighter: 0 }) {
                        let lines = data["lines"].to_string();
                        assert!(lines.contains("is stunned"), "{lines}");
                    }
                    stunned |= log.iter().any(|hit| {
                        matches!(
                            hit,
                            Hit::StatusApplied {
                                fighter: 0,
                                kind: StatusKind::Stun,
                                ..
                            }
                        )
                    });
                }
                Event::Battle(BattleEvent::Ended { .. }) => {
                    ended = Some(recorded.stream_version.to_string());
                }
                _ => {}
            }
        }
    }
    let (id, event, data) = feed
        .next()
        .await
        .unwrap_or_else(|| panic!("battle {start}: no end frame"));
    assert_eq!(
        (event.as_str(), Some(id)),
        ("end", ended),
        "battle {start}: {data}"
    );
    assert!(feed.next().await.is_none(), "nothing after the end");
    stunned
}

/// The bench's battles, until one in which the monster stuns the pet: a stunned turn is
/// told like any other, and the player's next press is not refused for it.
#[tokio::test]
async fn the_live_feed_tells_every_turn_of_a_defended_battle_until_its_end() {
    for start in 0..20u128 {
        if watch_a_defended_battle(1_000 * start).await {
            return;
        }
    }
    panic!("the monster stunned the pet in none of 20 battles");
}
