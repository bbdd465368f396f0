//! The pages, drawn from the engine's read models. A battle's page and its live feed share
//! [`Story`]: the turns as re-simulated from the battle's own stream, each with its lines and
//! every fighter's health after it.

use allspark_engine::battle::replay::{timeline_so_far, TurnView};
use allspark_engine::battle::sim::{SimOutcome, Who};
use allspark_engine::battle::view::{self, Card};
use allspark_engine::battle::{BattleEvent, BattleId, RecentBattle};
use allspark_engine::world::Event;
use allspark_engine::RecordedEvent;
use allspark_engine::{content, PlayerId, Timestamp};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::{ListQuery, Site};
use crate::app::App;

/// Battles a list shows at most.
pub const LIST_MAX: usize = 50;

/// Places the ladder shows.
pub const LADDER_MAX: usize = 100;

/// Battles a player's page lists.
pub const PLAYER_BATTLES: usize = 20;

/// A battle id as typed in an address: the whole id, in its hex.
pub(crate) fn battle_id(text: &str) -> Option<BattleId> {
    (text.len() == 32).then(|| text.parse().ok()).flatten()
}

/// One turn as the page and the live feed show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct TurnEntry {
    /// The stream version of the event that resolved it (the battle's start for turn 0).
    pub version: u64,
    pub turn: u32,
    pub lines: Vec<String>,
    /// Every fighter's health after the turn, by seat.
    pub hp: Vec<u32>,
}

/// How a finished battle ended, as the page and the live feed show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Ending {
    pub version: u64,
    pub verdict: String,
    pub turns: u32,
    /// Public once the battle is over: anyone may verify it.
    pub seed: String,
}

/// Whom a battle's seats are: names for the lines, owners for the links.
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    pub seats: Vec<String>,
    pub owners: Vec<Option<PlayerId>>,
}

impl Names {
    pub fn of(&self, seat: u8) -> String {
        self.seats
            .get(usize::from(seat))
            .cloned()
            .unwrap_or_else(|| "Nobody".to_string())
    }
}

/// A battle's history read as one durable point: its stream's records and its card.
pub(crate) struct Loaded {
    pub records: Vec<RecordedEvent>,
    pub card: Card,
    pub names: Names,
}

impl Loaded {
    pub fn history(&self) -> Vec<BattleEvent> {
        battle_events(&self.records)
    }
}

pub(crate) fn battle_events(records: &[RecordedEvent]) -> Vec<BattleEvent> {
    records
        .iter()
        .filter_map(|recorded| match &recorded.event {
            Event::Battle(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

/// Reads a battle as of the durable point; `Ok(None)` if no such battle started.
pub(crate) async fn load(app: &App, battle: BattleId) -> Result<Option<Loaded>, Response> {
    let read = app
        .engine
        .query(move |w| (w.last_seq, view::open_battle(w, battle)))
        .await;
    let Ok((durable, open)) = read else {
        return Err(unavailable());
    };
    let log = app.engine.log().clone();
    let records = tokio::task::spawn_blocking(move || {
        log.read_stream(&battle.stream(), 1, usize::MAX)
            .map(|records| {
                records
                    .into_iter()
                    .take_while(|recorded| recorded.seq <= durable)
                    .collect::<Vec<_>>()
            })
    })
    .await;
    let records = match records {
        Ok(Ok(records)) => records,
        Ok(Err(error)) => {
            tracing::error!(%error, "web: cannot read the log");
            return Err(unavailable());
        }
        Err(_) => return Err(unavailable()),
    };
    let history = battle_events(&records);
    let Some(card) = view::card(open, &history) else {
        return Ok(None);
    };
    let names = names(app, &card).await;
    Ok(Some(Loaded {
        records,
        card,
        names,
    }))
}

/// The seats' names: a pet by its name (a character by its own in an adventure's battle), the
/// enemy by its content name.
pub(crate) async fn names(app: &App, card: &Card) -> Names {
    let pets = crate::battle::pet_names(app, card)
        .await
        .unwrap_or_default();
    let enemy = card
        .enemy
        .as_ref()
        .and_then(|enemy| content::get().enemies.get(&enemy.id))
        .map(|def| def.name.clone());
    let mut names = Names::default();
    for fighter in &card.sim.fighters {
        match fighter.who {
            Who::Pet { player, .. } => {
                names
                    .seats
                    .push(pet_named(&pets, player, || "A pet".to_string()));
                names.owners.push(Some(player));
            }
            Who::Enemy => {
                names
                    .seats
                    .push(enemy.clone().unwrap_or_else(|| "The enemy".to_string()));
                names.owners.push(None);
            }
        }
    }
    names
}

/// The turns of a history so far, each with the version that resolved it; `None` if the
/// history does not re-simulate.
pub(crate) fn turns(records: &[RecordedEvent], names: &Names) -> Option<Vec<TurnEntry>> {
    let history = battle_events(records);
    let views = timeline_so_far(history.iter()).ok()?;
    let mut versions = Vec::new();
    let mut timed_out = Vec::new();
    for recorded in records {
        match &recorded.event {
            Event::Battle(BattleEvent::Started { .. }) => {
                versions.push(recorded.stream_version);
                timed_out.push(Vec::new());
            }
            Event::Battle(BattleEvent::TurnResolved {
                timed_out: late, ..
            }) => {
                versions.push(recorded.stream_version);
                timed_out.push(late.clone());
            }
            _ => {}
        }
    }
    Some(
        views
            .iter()
            .zip(versions.iter().zip(&timed_out))
            .map(|(view, (version, late))| entry(view, *version, late, names))
            .collect(),
    )
}

fn entry(view: &TurnView, version: u64, late: &[u8], names: &Names) -> TurnEntry {
    let name = |seat: u8| names.of(seat);
    let mut lines: Vec<String> = late
        .iter()
        .map(|&seat| format!("{} ran out of time", name(seat)))
        .collect();
    lines.extend(
        view.log
            .iter()
            .filter_map(|hit| crate::battle::render::describe_hit(hit, &name)),
    );
    if view.turn == 0 {
        lines.push("The battle begins.".to_string());
    }
    TurnEntry {
        version,
        turn: view.turn,
        lines,
        hp: view.fighters.iter().map(|f| f.hp).collect(),
    }
}

/// How the battle ended, once it has.
pub(crate) fn ending(records: &[RecordedEvent], card: &Card, names: &Names) -> Option<Ending> {
    records.iter().find_map(|recorded| match &recorded.event {
        Event::Battle(BattleEvent::Ended { turns, seed, .. }) => Some(Ending {
            version: recorded.stream_version,
            verdict: crate::battle::render::verdict_with(card, &|seat| names.of(seat as u8)),
            turns: *turns,
            seed: format!("{:032x}", seed.value),
        }),
        _ => None,
    })
}

fn page(site: &Site, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · AllSpark" }
                link rel="stylesheet" href=(site.css());
                script src=(site.js()) defer {}
            }
            body {
                header.site {
                    a.home href="/battles" { "AllSpark" }
                    nav {
                        a href="/battles" { "Battles" }
                        a href="/ladder" { "Ladder" }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn respond(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

pub(crate) fn not_found(site: &Site, what: &str) -> Response {
    respond(
        StatusCode::NOT_FOUND,
        page(
            site,
            "Not found",
            html! { h1 { "Not found" } p { (what) } p { a href="/battles" { "See the battles" } } },
        ),
    )
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "The game is not answering right now; try again shortly.",
    )
        .into_response()
}

fn bad_request(site: &Site, what: &str) -> Response {
    respond(
        StatusCode::BAD_REQUEST,
        page(
            site,
            "Bad request",
            html! { h1 { "Bad request" } p { (what) } },
        ),
    )
}

/// A UTC instant as a page prints it.
fn when(at: Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(at.0).map_or_else(String::new, |at| {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    })
}

fn hp_list(hp: &[u32]) -> String {
    hp.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// `/battles/<id>`.
pub(crate) async fn battle(site: &Site, battle: BattleId) -> Response {
    let loaded = match load(&site.app, battle).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return not_found(site, "There is no such battle."),
        Err(response) => return response,
    };
    let Some(turns) = turns(&loaded.records, &loaded.names) else {
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            page(
                site,
                "Battle",
                html! { h1 { "This battle does not replay" } p { "Its history does not re-simulate, so it is not shown." } },
            ),
        );
    };
    let card = &loaded.card;
    let ending = ending(&loaded.records, card, &loaded.names);
    let version = loaded.records.last().map_or(0, |r| r.stream_version);
    let worn = loaded.history().iter().find_map(|e| match e {
        BattleEvent::Setup { worn, .. } => Some(worn.clone()),
        _ => None,
    });
    let started = loaded.records.first().map(|r| r.recorded_at);
    let now_hp: Vec<u32> = card.sim.fighters.iter().map(|f| f.hp).collect();
    let last_turn = turns.last().map_or(0, |t| t.turn);
    let title = format!("{} battle", capitalised(card.mode.label()));
    let items = &content::get().items;
    let body = html! {
        article #battle data-turns=(last_turn) data-version=(version)
            data-live=[ending.is_none().then(|| format!("/battles/{battle}/live"))] {
            h1 { (title) }
            p.meta {
                @if let Some(at) = started { "Started " (when(at)) ". " }
                (if card.rated { "Rated. " } else { "Unrated. " })
                @if card.stake > 0 { "Stake: " (card.stake) " energon each. " }
                span #status {
                    @match &ending {
                        Some(end) => { "Over after " (end.turns) " turns." }
                        None => { "Running: turn " (card.sim.turn) "." }
                    }
                }
            }
            p #verdict.verdict hidden[ending.is_none()] {
                @if let Some(end) = &ending { (end.verdict) }
            }
            section.fighters {
                h2 { "Fighters" }
                ul #fighters {
                    @for (seat, fighter) in card.sim.fighters.iter().enumerate() {
                        li.fighter data-seat=(seat) data-hp-max=(fighter.hp_max) {
                            span.name {
                                @match loaded.names.owners[seat] {
                                    Some(owner) => a href=(format!("/players/{owner}")) { (loaded.names.seats[seat]) },
                                    None => (loaded.names.seats[seat]),
                                }
                            }
                            " "
                            span.side { "side " (fighter.side + 1) ", level " (fighter.level) }
                            progress max=(fighter.hp_max) value=(now_hp[seat]) {}
                            span.hp { (now_hp[seat]) " / " (fighter.hp_max) }
                            span.stats { "attack " (fighter.attack) ", defense " (fighter.defense) }
                            @let gear: Vec<&str> = worn.as_ref().and_then(|w| w.get(seat)).map(|ids| ids.iter().filter_map(|id| items.get(id)).map(|item| item.name.as_str()).collect()).unwrap_or_default();
                            @if !gear.is_empty() {
                                span.gear { "wears " (gear.join(", ")) }
                            }
                        }
                    }
                }
            }
            section #controls.controls hidden {
                button #first type="button" { "« First" }
                button #previous type="button" { "◀ Previous" }
                button #play type="button" { "▶ Play" }
                button #next type="button" { "Next ▶" }
                button #last type="button" { "Last »" }
                label { "Speed "
                    select #speed {
                        option value="1600" { "½×" }
                        option value="800" selected { "1×" }
                        option value="400" { "2×" }
                        option value="200" { "4×" }
                    }
                }
                label { "Turn "
                    input #jump type="range" min="0" max=(last_turn) value=(last_turn);
                    output #shown { (last_turn) }
                }
            }
            section.log {
                h2 { "Turns" }
                ol #turns {
                    @for turn in &turns {
                        li.turn id=(format!("turn-{}", turn.turn)) data-turn=(turn.turn) data-hp=(hp_list(&turn.hp)) {
                            h3 { @if turn.turn == 0 { "Start" } @else { "Turn " (turn.turn) } }
                            ul { @for line in &turn.lines { li { (line) } } }
                        }
                    }
                }
            }
            @if let Some(end) = &ending {
                p.seed { "Seed " code { (end.seed) } ": verify it with " code { "allspark-replay" } "." }
            }
        }
    };
    respond(StatusCode::OK, page(site, &title, body))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The modes a list may be filtered by, by their labels.
const MODES: [&str; 6] = [
    "solo",
    "group",
    "duel",
    "team",
    "free-for-all",
    "tournament",
];

/// `/battles`.
pub(crate) async fn battles(site: &Site, query: ListQuery) -> Response {
    let mode = match query.mode.as_deref().filter(|m| !m.is_empty()) {
        None => None,
        Some(mode) if MODES.contains(&mode) => Some(mode.to_string()),
        Some(_) => {
            return bad_request(
                site,
                &format!("Filter by one of these modes: {}.", MODES.join(", ")),
            )
        }
    };
    let player = match query
        .player
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(text) => match text.parse::<u64>() {
            Ok(id) => Some(PlayerId(id)),
            Err(_) => return bad_request(site, "A player is given by their numeric id."),
        },
    };
    let wanted = mode.clone();
    let read = site
        .app
        .engine
        .query(move |w| {
            let listed = view::recent(w, LIST_MAX, |b| {
                wanted.as_deref().is_none_or(|m| b.mode.label() == m)
                    && player.is_none_or(|p| b.players.contains(&p))
            });
            (listed, view::n_running(w))
        })
        .await;
    let Ok((listed, n_running)) = read else {
        return unavailable();
    };
    let rows = rows(&site.app, &listed).await;
    let body = html! {
        h1 { "Battles" }
        p { (n_running) " running now. The latest " (LIST_MAX) " that match, newest first." }
        form.filter method="get" action="/battles" {
            label { "Mode "
                select name="mode" {
                    option value="" { "any" }
                    @for m in MODES { option value=(m) selected[mode.as_deref() == Some(m)] { (m) } }
                }
            }
            label { "Player id " input name="player" inputmode="numeric" value=[player.map(|p| p.0)]; }
            button type="submit" { "Filter" }
        }
        (battle_table(&rows))
    };
    respond(StatusCode::OK, page(site, "Battles", body))
}

/// A row of a battle list.
struct Row {
    battle: RecentBattle,
    who: String,
}

async fn rows(app: &App, listed: &[RecentBattle]) -> Vec<Row> {
    let mut players: Vec<PlayerId> = listed.iter().flat_map(|b| b.players.clone()).collect();
    players.sort();
    players.dedup();
    let pets = crate::battle::pet_names_of(app, players)
        .await
        .unwrap_or_default();
    let enemies = &content::get().enemies;
    listed
        .iter()
        .map(|battle| {
            let mut names: Vec<String> = battle
                .players
                .iter()
                .map(|p| pet_named(&pets, *p, || "A pet".to_string()))
                .collect();
            if let Some(enemy) = &battle.enemy {
                names.push(
                    enemies
                        .get(enemy)
                        .map_or_else(|| "an enemy".to_string(), |e| e.name.clone()),
                );
            }
            Row {
                battle: battle.clone(),
                who: names.join(" vs "),
            }
        })
        .collect()
}

fn battle_table(rows: &[Row]) -> Markup {
    html! {
        @if rows.is_empty() {
            p.empty { "No battles yet." }
        } @else {
            table.battles {
                thead { tr { th { "Started" } th { "Mode" } th { "Who" } th { "State" } } }
                tbody {
                    @for row in rows {
                        tr {
                            td { a href=(format!("/battles/{}", row.battle.id)) { (when(row.battle.started_at)) } }
                            td { (row.battle.mode.label()) }
                            td { (row.who) }
                            td {
                                @match row.battle.outcome {
                                    None => { "running" }
                                    Some(SimOutcome::Draw) => { "a draw, " (row.battle.turns) " turns" }
                                    Some(SimOutcome::Won { side }) => { "side " (side + 1) " won, " (row.battle.turns) " turns" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/ladder`.
pub(crate) async fn ladder(site: &Site) -> Response {
    let read = site
        .app
        .engine
        .query(|w| {
            view::ladder(w, LADDER_MAX)
                .into_iter()
                .map(|(player, elo)| (player, elo, view::record(w, player)))
                .collect::<Vec<_>>()
        })
        .await;
    let Ok(places) = read else {
        return unavailable();
    };
    let pets = crate::battle::pet_names_of(&site.app, places.iter().map(|p| p.0).collect())
        .await
        .unwrap_or_default();
    let body = html! {
        h1 { "The ladder" }
        p { "Rated duels move these ratings (Elo)." }
        @if places.is_empty() {
            p.empty { "Nobody is rated yet." }
        } @else {
            table.ladder {
                thead { tr { th { "#" } th { "Player" } th { "Rating" } th { "Rated games" } th { "Wins" } } }
                tbody {
                    @for (rank, (player, elo, record)) in places.iter().enumerate() {
                        tr {
                            td { (rank + 1) }
                            td { a href=(format!("/players/{player}")) { (pet_of(&pets, *player)) } }
                            td { (elo) }
                            td { (record.rating.games) }
                            td { (record.stats.pvp_wins) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(site, "Ladder", body))
}

/// A player by their pet's name, or by their id when they have no pet.
fn pet_of(pets: &[(PlayerId, String)], player: PlayerId) -> String {
    pet_named(pets, player, || format!("Player {player}"))
}

/// `player`'s pet name among `pets` (from `battle::pet_names_of`), or `otherwise`.
fn pet_named(
    pets: &[(PlayerId, String)],
    player: PlayerId,
    otherwise: impl FnOnce() -> String,
) -> String {
    pets.iter()
        .find(|(p, _)| *p == player)
        .map_or_else(otherwise, |(_, name)| name.clone())
}

/// `/players/<id>`.
pub(crate) async fn player(site: &Site, player: PlayerId) -> Response {
    let read = site
        .app
        .engine
        .query(move |w| {
            let history = view::history(w, player);
            let known: Vec<RecentBattle> =
                view::recent(w, usize::MAX, |b| b.players.contains(&player));
            (view::record(w, player), history, known)
        })
        .await;
    let Ok((record, history, known)) = read else {
        return unavailable();
    };
    if history.is_empty() && record.stats.battles == 0 {
        return not_found(site, "That player has fought no battle.");
    }
    let pets = crate::battle::pet_names_of(&site.app, vec![player])
        .await
        .unwrap_or_default();
    // The list of recent battles says what each was; older ones are only linked.
    let shown: Vec<BattleId> = history.iter().take(PLAYER_BATTLES).copied().collect();
    let listed: Vec<RecentBattle> = shown
        .iter()
        .filter_map(|id| known.iter().find(|b| b.id == *id).cloned())
        .collect();
    let older: Vec<BattleId> = shown
        .iter()
        .filter(|id| !listed.iter().any(|b| b.id == **id))
        .copied()
        .collect();
    let rows = rows(&site.app, &listed).await;
    let stats = &record.stats;
    let name = pet_of(&pets, player);
    let body = html! {
        h1 { (name) }
        p { "Player " (player) "." }
        dl.record {
            dt { "Battles" } dd { (stats.battles) }
            dt { "Wins" } dd { (stats.wins) " (" (stats.win_rate_percent()) " %)" }
            dt { "Losses" } dd { (stats.losses) }
            dt { "Draws" } dd { (stats.draws) }
            dt { "Against enemies" } dd { (stats.pve_wins) " won" }
            dt { "Against players" } dd { (stats.pvp_wins) " won" }
            dt { "Damage dealt" } dd { (stats.damage_dealt) }
            dt { "Damage taken" } dd { (stats.damage_taken) }
            dt { "Rating" } dd { (record.rating.elo) " after " (record.rating.games) " rated games" }
        }
        h2 { "Latest battles" }
        (battle_table(&rows))
        @if !older.is_empty() {
            p { "Older: "
                @for (i, id) in older.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/battles/{id}")) { (id.to_string()[..8]) }
                }
            }
        }
    };
    respond(StatusCode::OK, page(site, &name, body))
}
