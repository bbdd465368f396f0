//! The recruit area in Discord: `/recruit` (leaders and the operator: browse the nations that
//! may be messaged, send a page or everything shown, stop a run, watch its progress) and
//! `/recruitment_stats`. Two extra files: `client.rs` (the game's GraphQL API and send
//! endpoint) and `worker.rs` (browses in memory and the at-most-once send run).

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Recruitment";

pub mod client;
pub mod ids;
pub mod render;
pub mod worker;

use std::collections::BTreeMap;

use allspark_engine::recruit::view;

use crate::app::{refuse, App, Handled};
use crate::commands::{command, CommandSpec};
use crate::invocation::{Invocation, Options};
use crate::reply::{Choice, Response};
use ids::Press;
use worker::PAGE_LEN;

crate::commands::slash_commands! {
    /// The recruit area's slash commands.
    pub enum Slash {
        Recruit = "recruit",
        RecruitmentStats = "recruitment_stats",
    }
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Recruit => command(
            name,
            "Politics & War: browse unallied nations and send recruitment messages (leaders)",
            Vec::new(),
        ),
        Slash::RecruitmentStats => command(
            name,
            "Politics & War recruitment: totals, cooldowns, latest sends, sends to review",
            Vec::new(),
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

/// Refuses anyone who may not recruit, and everyone while recruitment is not configured.
fn check_leader(app: &App, inv: &Invocation) -> Result<(), Response> {
    if !app.recruit.configured() {
        return Err(Response::Message(render::not_configured()));
    }
    if !app.recruit.is_leader(inv.user, &inv.roles, inv.operator) {
        return Err(Response::Message(render::leaders_only()));
    }
    Ok(())
}

/// A browse id from the interaction that asked for it (unique per interaction).
fn session_id(inv: &Invocation) -> u64 {
    inv.id.0 as u64
}

/// How long `/recruit` waits for its fetch before answering with the fetch's progress instead
/// (Discord wants an answer within 3 seconds; a long fetch is then kept live).
pub const FETCH_WAIT: std::time::Duration = std::time::Duration::from_millis(1_500);

async fn fresh_browse(app: &App, inv: &Invocation) -> Result<crate::reply::Reply, Response> {
    let id = session_id(inv);
    let fetch = app.recruit.start_browse(&app.engine, inv.user, id);
    let finished = fetch.finished.notified();
    if fetch.outcome().is_none() {
        let _ = tokio::time::timeout(FETCH_WAIT, finished).await;
    }
    fetch_or_list(app, id, &fetch)
}

/// The list of a finished fetch, its failure, or (while it runs) how far it has got.
pub fn fetch_or_list(
    app: &App,
    id: u64,
    fetch: &worker::Fetch,
) -> Result<crate::reply::Reply, Response> {
    match fetch.outcome() {
        Some(Ok(session)) => Ok(render::browse_view(id, &session, 0, app.engine.now())),
        Some(Err(error)) => Err(refuse(format!(
            "Could not fetch nations: {error}. Nothing was sent."
        ))),
        None => Ok(render::fetch_view(
            fetch.owner,
            id,
            fetch.pages.load(std::sync::atomic::Ordering::Relaxed),
            fetch.pages_max,
        )),
    }
}

/// The browse a fetch-progress view shows, if that fetch is still running (the transports
/// keep such a message live until the list is there).
pub fn shown_fetch(app: &App, response: &Response) -> Option<u64> {
    let reply = response.reply()?;
    reply.rows.iter().find_map(|row| match row {
        crate::reply::Row::Buttons(buttons) => {
            buttons
                .iter()
                .find_map(|b| match crate::areas::Press::decode(&b.custom_id) {
                    Some(crate::areas::Press::Recruit(Press::Page { session, .. }))
                        if reply
                            .content
                            .as_deref()
                            .is_some_and(|c| c.starts_with(render::FETCHING))
                            && app
                                .recruit
                                .fetch(session)
                                .is_some_and(|f| f.outcome().is_none()) =>
                    {
                        Some(session)
                    }
                    _ => None,
                })
        }
        _ => None,
    })
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, _options: &Options<'_>) -> Handled {
    match slash {
        Slash::Recruit => {
            check_leader(app, inv)?;
            fresh_browse(app, inv).await.map(Response::Message)
        }
        Slash::RecruitmentStats => {
            let now = app.engine.now();
            let stats = app.read(move |w| view::stats(w, now)).await?;
            Ok(Response::Message(render::stats_view(
                &stats,
                app.recruit.configured(),
            )))
        }
    }
}

fn expired() -> Response {
    refuse("This list has expired; run /recruit again.")
}

pub async fn press(app: &App, inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    check_leader(app, inv)?;
    let interval = app.recruit.settings.send_interval.as_millis() as u64;
    match press {
        Press::Page { session, page, .. } => {
            if let Some(fetch) = app.recruit.fetch(session).filter(|f| f.outcome().is_none()) {
                return fetch_or_list(app, session, &fetch).map(Response::Update);
            }
            let found = app.recruit.session(session).ok_or_else(expired)?;
            Ok(Response::Update(render::browse_view(
                session,
                &found,
                page,
                app.engine.now(),
            )))
        }
        Press::SendPage { session, .. } | Press::SendAll { session, .. } => {
            let found = app.recruit.session(session).ok_or_else(expired)?;
            let nations = match press {
                Press::SendPage { .. } => found
                    .nations
                    .iter()
                    .skip(usize::from(page_of(&press)) * PAGE_LEN)
                    .take(PAGE_LEN)
                    .cloned()
                    .collect(),
                _ => found.nations.clone(),
            };
            if nations.is_empty() {
                return Err(refuse("There is nobody on this list to message."));
            }
            let job = app
                .recruit
                .start(app.engine.clone(), inv.player(), inv.id.0, nations)
                .map_err(|why| refuse(format!("Not started: {why}.")))?;
            Ok(Response::Update(render::progress_view(
                &job.progress(),
                interval,
            )))
        }
        Press::Refresh { .. } => fresh_browse(app, inv).await.map(Response::Update),
        Press::Stop { .. } => {
            let Some(job) = app.recruit.job() else {
                return Err(refuse("No send run is going."));
            };
            job.stop.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(Response::Update(render::progress_view(
                &job.progress(),
                interval,
            )))
        }
        Press::Progress { .. } => {
            let Some(job) = app.recruit.job() else {
                return Err(refuse("No send run has started since AllSpark started."));
            };
            Ok(Response::Update(render::progress_view(
                &job.progress(),
                interval,
            )))
        }
    }
}

/// Whether `response` shows a send run that is still going (a progress view: its Progress
/// button and no list to send from), so the transport keeps it live.
pub fn shown_run(app: &App, response: &Response) -> bool {
    let Some(reply) = response.reply() else {
        return false;
    };
    let presses: Vec<Press> = reply
        .rows
        .iter()
        .flat_map(|row| match row {
            crate::reply::Row::Buttons(buttons) => buttons.clone(),
            crate::reply::Row::Select(_)
            | crate::reply::Row::Users(_)
            | crate::reply::Row::Links(_) => Vec::new(),
        })
        .filter_map(|b| match crate::areas::Press::decode(&b.custom_id) {
            Some(crate::areas::Press::Recruit(press)) => Some(press),
            _ => None,
        })
        .collect();
    let progress = presses.iter().any(|p| matches!(p, Press::Progress { .. }));
    let list = presses
        .iter()
        .any(|p| matches!(p, Press::SendPage { .. } | Press::SendAll { .. }));
    progress && !list && app.recruit.job().is_some_and(|j| !j.progress().done)
}

fn page_of(press: &Press) -> u8 {
    match press {
        Press::SendPage { page, .. } | Press::Page { page, .. } => *page,
        _ => 0,
    }
}

pub async fn form(
    _app: &App,
    _inv: &Invocation,
    _press: Press,
    _fields: &BTreeMap<String, String>,
) -> Handled {
    Err(refuse("This form has expired; run the command again."))
}

pub async fn autocomplete(
    _app: &App,
    _inv: &Invocation,
    _slash: Slash,
    _option: &str,
    _partial: &str,
) -> Vec<Choice> {
    Vec::new()
}
