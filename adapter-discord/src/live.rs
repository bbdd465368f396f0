//! Live battle and trade messages: every posted battle view (and trade view) is kept up to
//! date from the battle's (trade's) own event stream, so a turn resolved by someone else's
//! press or by the timer, or the other player's change to a trade, shows up in every player's
//! and spectator's message without anyone pressing Refresh.
//!
//! The only state here is a cache: which interaction tokens show which battle (Discord lets an
//! interaction's token edit its message for 15 minutes). Losing it loses nothing but
//! freshness; the views themselves are rendered from the engine.
//!
//! A follower ends when its battle has ended (also when the battle was already over when the
//! view was posted) or when none of its messages can be edited any more. Every edit goes
//! through one [`EditLimiter`]: one request at a time, a 429 pauses every edit for its
//! `retry_after`, and edits of a message still waiting are replaced by its latest one.
//!
//! Progress messages (a recruitment run or fetch, the operator's stress test) are redrawn from
//! their job every [`RUN_REFRESH`] until it is over ([`Live::watch_response`] picks what a
//! reply shows).

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use allspark_engine::battle::{view, BattleEvent, BattleId};
use allspark_engine::trade::{TradeEvent, TradeId};
use allspark_engine::{Engine, Event, StreamId};
use dashmap::DashMap;
use serde_json::Value;
use tokio::sync::Notify;

use crate::app::App;

/// Discord keeps an interaction token usable for 15 minutes; stop a little before.
pub const TOKEN_TTL: Duration = Duration::from_secs(14 * 60);
/// Messages kept fresh per battle (the latest ones win).
pub const MESSAGES_PER_BATTLE_MAX: usize = 8;

#[derive(Clone)]
struct Target {
    application_id: String,
    token: String,
    since: Instant,
}

impl Target {
    fn editable(&self) -> bool {
        self.since.elapsed() < TOKEN_TTL
    }
}

/// What a live message shows: a battle or a trade, each followed on its own stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Watched {
    Battle(BattleId),
    Trade(TradeId),
}

impl Watched {
    fn stream(self) -> StreamId {
        match self {
            Watched::Battle(battle) => battle.stream(),
            Watched::Trade(trade) => trade.stream(),
        }
    }

    /// Whether the event changes the view, and whether it is the last one.
    fn classify(event: &Event) -> (bool, bool) {
        match event {
            Event::Battle(BattleEvent::Ended { .. }) => (true, true),
            Event::Battle(BattleEvent::TurnResolved { .. } | BattleEvent::ActionChosen { .. }) => {
                (true, false)
            }
            Event::Trade(
                TradeEvent::Completed { .. }
                | TradeEvent::Cancelled { .. }
                | TradeEvent::Expired { .. }
                | TradeEvent::Withdrawn { .. },
            ) => (true, true),
            Event::Trade(_) => (true, false),
            _ => (false, false),
        }
    }
}

pub struct Live {
    app: App,
    edits: Arc<EditLimiter>,
    api_base: String,
    watching: DashMap<Watched, Vec<Target>>,
    n_followers: AtomicUsize,
}

/// Counts a follower while it runs.
struct Following<'a>(&'a AtomicUsize);

impl Drop for Following<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Live {
    pub fn new(app: App, http: reqwest::Client, api_base: String) -> Arc<Live> {
        Arc::new(Live {
            app,
            edits: EditLimiter::new(http),
            api_base,
            watching: DashMap::new(),
            n_followers: AtomicUsize::new(0),
        })
    }

    /// Followers running now (one per battle with messages to keep fresh).
    pub fn n_followers(&self) -> usize {
        self.n_followers.load(Ordering::SeqCst)
    }

    /// The limiter every live edit goes through.
    pub fn edits(&self) -> &Arc<EditLimiter> {
        &self.edits
    }

    /// Keeps the message of interaction `token` showing `battle` fresh until the battle ends.
    pub fn watch(self: &Arc<Live>, battle: BattleId, application_id: String, token: String) {
        self.watch_view(Watched::Battle(battle), application_id, token);
    }

    /// Keeps the message of interaction `token` showing `trade` fresh until the trade ends.
    pub fn watch_trade(self: &Arc<Live>, trade: TradeId, application_id: String, token: String) {
        self.watch_view(Watched::Trade(trade), application_id, token);
    }

    fn watch_view(self: &Arc<Live>, battle: Watched, application_id: String, token: String) {
        let target = Target {
            application_id,
            token,
            since: Instant::now(),
        };
        let mut first = false;
        {
            let mut entry = self.watching.entry(battle).or_insert_with(|| {
                first = true;
                Vec::new()
            });
            entry.retain(|t| t.since.elapsed() < TOKEN_TTL);
            entry.push(target);
            let excess = entry.len().saturating_sub(MESSAGES_PER_BATTLE_MAX);
            entry.drain(..excess);
        }
        if first {
            // Where to follow from is fixed now, before the view is answered, so no event that
            // follows the view can slip past the follower.
            let start = self
                .app
                .engine
                .log()
                .stream_version(&battle.stream())
                .unwrap_or(0)
                + 1;
            let live = self.clone();
            self.n_followers.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let _counted = Following(&live.n_followers);
                live.follow(battle, start).await;
            });
        }
    }

    async fn follow(self: &Arc<Live>, battle: Watched, start: u64) {
        let engine: &Engine = &self.app.engine;
        let mut subscription = engine.follow(battle.stream(), start);
        // A battle that is over by now (it may have ended before the view was even posted) has
        // nothing more to show: one last refresh if it changed since `start`, then stop. Reads
        // run after the batch is durable, so an `Ended` seen as closed here is in the log.
        match engine
            .query(move |w| match battle {
                Watched::Battle(id) => view::open_battle(w, id).is_some(),
                Watched::Trade(id) => {
                    allspark_engine::trade::view::trade(w, id).is_some_and(|t| t.ended.is_none())
                }
            })
            .await
        {
            Ok(true) => {}
            Ok(false) | Err(_) => {
                let changed = engine
                    .log()
                    .stream_version(&battle.stream())
                    .is_ok_and(|version| version >= start);
                if changed {
                    self.refresh(battle).await;
                }
                self.watching.remove(&battle);
                return;
            }
        }
        loop {
            // Wake up when the first of the messages stops being editable, to let go of it.
            let expiry = self
                .watching
                .get(&battle)
                .and_then(|targets| targets.iter().map(|t| t.since + TOKEN_TTL).min());
            let Some(expiry) = expiry else { break };
            let next = tokio::time::timeout_at(expiry.into(), subscription.next()).await;
            let event = match next {
                Err(_) => {
                    // Nobody left to edit: stop (a new view starts a new follower).
                    if self
                        .watching
                        .remove_if(&battle, |_, targets| !targets.iter().any(Target::editable))
                        .is_some()
                    {
                        return;
                    }
                    continue;
                }
                Ok(Ok(Some(event))) => event,
                Ok(Ok(None)) | Ok(Err(_)) => break,
            };
            let (changed, ended) = Watched::classify(&event.event);
            if changed {
                self.refresh(battle).await;
            }
            if ended {
                break;
            }
        }
        self.watching.remove(&battle);
    }

    async fn refresh(&self, battle: Watched) {
        let targets: Vec<Target> = self
            .watching
            .get(&battle)
            .map(|t| t.clone())
            .unwrap_or_default();
        let view = match battle {
            Watched::Battle(id) => self.app.battle_view(id).await,
            Watched::Trade(id) => self.app.trade_view(id).await,
        };
        let Ok(view) = view else {
            return;
        };
        let body = view.to_discord_data();
        for target in targets.iter().filter(|t| t.editable()) {
            let url = format!(
                "{}/messages/@original",
                crate::http::webhook_url(&self.api_base, &target.application_id, &target.token)
            );
            self.edits.edit(url, body.clone());
        }
    }
}

/// How often a recruitment run's progress message is redrawn.
pub const RUN_REFRESH: Duration = Duration::from_secs(2);

impl Live {
    /// Keeps the message of interaction `token`, a recruitment run's progress view, showing the
    /// run's live counts (sent, failed, remaining) until the run is over or the token expires.
    pub fn watch_run(self: &Arc<Live>, application_id: String, token: String) {
        let interval = self.app.recruit.settings.send_interval.as_millis() as u64;
        self.redraw_original(application_id, token, move |app| {
            let progress = app.recruit.job()?.progress();
            let view = crate::recruit::render::progress_view(&progress, interval);
            Some((view.to_discord_data(), progress.done))
        });
    }

    /// Keeps the message of interaction `token`, a `/recruit` fetch's progress view, showing
    /// the pages read until the fetch of browse `session` is over, then the list it made (or
    /// why it failed).
    pub fn watch_fetch(self: &Arc<Live>, session: u64, application_id: String, token: String) {
        self.redraw_original(application_id, token, move |app| {
            let fetch = app.recruit.fetch(session)?;
            let done = fetch.outcome().is_some();
            let view = match crate::recruit::fetch_or_list(app, session, &fetch) {
                Ok(view) => view,
                Err(refusal) => refusal.reply()?.clone(),
            };
            Some((view.to_discord_data(), done))
        });
    }

    /// Keeps the message of interaction `token`, a stress run's progress view, showing the
    /// run's counts, throughput and latency until it is over, then its summary.
    pub fn watch_stress(self: &Arc<Live>, application_id: String, token: String) {
        self.redraw_original(application_id, token, move |app| {
            let run = app.stress.latest()?;
            let over = run.is_over();
            let view = crate::admin::render::stress_view(&run.progress());
            Some((view.to_discord_data(), over))
        });
    }

    /// Keeps whatever `response` showed in the message of interaction `token` fresh, if it
    /// is a live view: a battle, a trade, a recruitment run or fetch going, a stress run going. `app`
    /// is the app that answered (the transports' own).
    pub fn watch_response(
        self: &Arc<Live>,
        app: &App,
        response: &crate::reply::Response,
        application_id: String,
        token: String,
    ) {
        if let Some(battle) = crate::battle::shown_battle(response) {
            self.watch(battle, application_id, token);
        } else if let Some(trade) = crate::trade::shown_trade(response) {
            self.watch_trade(trade, application_id, token);
        } else if crate::recruit::shown_run(app, response) {
            self.watch_run(application_id, token);
        } else if let Some(session) = crate::recruit::shown_fetch(app, response) {
            self.watch_fetch(session, application_id, token);
        } else if crate::stress::shown_run(app, response) {
            self.watch_stress(application_id, token);
        }
    }

    /// Every [`RUN_REFRESH`], edits the original message of interaction `token` to what `frame`
    /// draws (the message body and whether it is the last one), skipping a frame equal to the
    /// one before; ends on the last frame, when `frame` has nothing to draw, or when the token
    /// expires.
    fn redraw_original<F>(self: &Arc<Live>, application_id: String, token: String, mut frame: F)
    where
        F: FnMut(&App) -> Option<(Value, bool)> + Send + 'static,
    {
        let live = self.clone();
        tokio::spawn(async move {
            let since = Instant::now();
            let url = format!(
                "{}/messages/@original",
                crate::http::webhook_url(&live.api_base, &application_id, &token)
            );
            let mut last: Option<Value> = None;
            while since.elapsed() < TOKEN_TTL {
                tokio::time::sleep(RUN_REFRESH).await;
                let Some((body, done)) = frame(&live.app) else {
                    return;
                };
                if last.as_ref() != Some(&body) {
                    live.edits.edit(url.clone(), body.clone());
                }
                if done {
                    return;
                }
                last = Some(body);
            }
        });
    }
}

/// Longest pause a 429 may impose; a longer `retry_after` is read as this.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(60);
/// The pause after a 429 that says nothing about how long to wait.
const RETRY_AFTER_DEFAULT: Duration = Duration::from_secs(1);

/// Message edits (PATCH of a webhook message) sent one at a time by one task. A 429 pauses every
/// edit for the `retry_after` Discord asks for (its JSON body, or the `Retry-After` header) and
/// the refused edit is sent again afterwards; an edit of a message whose previous edit is still
/// waiting replaces it, so the latest view wins and no stale frames are sent.
pub struct EditLimiter {
    http: reqwest::Client,
    queue: Mutex<EditQueue>,
    wake: Notify,
    started: AtomicBool,
    n_sent: AtomicUsize,
}

#[derive(Default)]
struct EditQueue {
    /// URLs in the order their first waiting edit arrived.
    order: VecDeque<String>,
    /// The latest body waiting for each URL in `order`.
    latest: BTreeMap<String, Value>,
}

impl EditLimiter {
    pub fn new(http: reqwest::Client) -> Arc<EditLimiter> {
        Arc::new(EditLimiter {
            http,
            queue: Mutex::new(EditQueue::default()),
            wake: Notify::new(),
            started: AtomicBool::new(false),
            n_sent: AtomicUsize::new(0),
        })
    }

    /// Queues `body` as the new content of the message at `url` (PATCH). Call from within a
    /// tokio runtime: the first edit starts the sending task.
    pub fn edit(self: &Arc<EditLimiter>, url: String, body: Value) {
        {
            let mut queue = self.lock();
            if let Some(waiting) = queue.latest.get_mut(&url) {
                *waiting = body;
            } else {
                queue.order.push_back(url.clone());
                queue.latest.insert(url, body);
            }
        }
        if !self.started.swap(true, Ordering::SeqCst) {
            let limiter = self.clone();
            tokio::spawn(async move { limiter.run().await });
        }
        self.wake.notify_one();
    }

    /// Edits sent and accepted so far.
    pub fn n_sent(&self) -> usize {
        self.n_sent.load(Ordering::SeqCst)
    }

    /// Edits waiting to be sent.
    pub fn n_waiting(&self) -> usize {
        self.lock().order.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, EditQueue> {
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn next(&self) -> Option<(String, Value)> {
        let mut queue = self.lock();
        let url = queue.order.pop_front()?;
        let body = queue.latest.remove(&url)?;
        Some((url, body))
    }

    async fn run(self: Arc<EditLimiter>) {
        loop {
            let Some((url, body)) = self.next() else {
                self.wake.notified().await;
                continue;
            };
            let answer = match self.http.patch(&url).json(&body).send().await {
                Ok(answer) => answer,
                Err(error) => {
                    tracing::debug!(%error, "live update failed");
                    continue;
                }
            };
            let status = answer.status();
            if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                let wait = retry_after(answer).await;
                tracing::debug!(?wait, "live updates rate limited");
                {
                    // Sent again after the pause, unless a newer edit of it is waiting already.
                    let mut queue = self.lock();
                    if !queue.latest.contains_key(&url) {
                        queue.order.push_front(url.clone());
                        queue.latest.insert(url, body);
                    }
                }
                tokio::time::sleep(wait).await;
            } else if status.is_success() {
                self.n_sent.fetch_add(1, Ordering::SeqCst);
            } else {
                tracing::debug!(%status, "live update refused");
            }
        }
    }
}

/// How long a 429 asks to wait: `retry_after` (seconds, fractional) from the JSON body, else
/// the `Retry-After` header, else a second; at most [`RETRY_AFTER_MAX`].
async fn retry_after(answer: reqwest::Response) -> Duration {
    let header = answer
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<f64>().ok());
    let body = answer
        .json::<Value>()
        .await
        .ok()
        .and_then(|body| body.get("retry_after").and_then(Value::as_f64));
    body.or(header)
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        .map_or(RETRY_AFTER_DEFAULT, |secs| {
            Duration::from_secs_f64(secs.min(RETRY_AFTER_MAX.as_secs_f64()))
        })
}
