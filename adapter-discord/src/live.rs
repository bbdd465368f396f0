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
//!
//! Posted market dashboards are redrawn, chart and all, after each tick (and after news or a
//! holiday), by one follower of the `market` stream: ticks that arrive together (a catch-up
//! after downtime) are drawn once, each range's chart is drawn once for all the messages that
//! show it, and the edits go through the same limiter as multipart uploads. A market tick is
//! hourly, beyond an interaction token's 15 minutes, so a public dashboard is edited as a
//! channel message with the bot token (`PATCH /channels/{c}/messages/{m}`, the ids from the
//! edit that delivered it) for [`MARKET_MESSAGE_TTL`]; without a bot token (an HTTP endpoint
//! set up without one) or for a private one, through its interaction token while that lives.
//! At most [`MARKET_MESSAGES_MAX`] are kept (the latest win); one Discord says is gone (404)
//! is dropped.

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
use crate::market::ids::Range;
use crate::reply::Attachment;

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
    /// A channel's trivia.
    Trivia(u64),
    /// A combiner team forming.
    Combiner(u32),
    /// A Cybertron Games, from its lobby to its end.
    Games(u32),
    /// An RPG adventure, from its party forming to its end.
    Adventure(u32),
}

impl Watched {
    fn stream(self) -> StreamId {
        match self {
            Watched::Battle(battle) => battle.stream(),
            Watched::Trade(trade) => trade.stream(),
            Watched::Trivia(channel) => StreamId::trivia(allspark_engine::Snowflake(channel)),
            Watched::Combiner(team) => StreamId::combiner(team),
            Watched::Games(game) => StreamId::games(game),
            Watched::Adventure(adventure) => StreamId::adventure(adventure),
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
            Event::Fun(allspark_engine::fun::FunEvent::TriviaEnded { .. }) => (true, true),
            Event::Fun(
                allspark_engine::fun::FunEvent::CombinerDisbanded { .. }
                | allspark_engine::fun::FunEvent::CombinerExpired { .. },
            ) => (true, true),
            Event::Fun(allspark_engine::fun::FunEvent::GamesEnded { .. }) => (true, true),
            Event::Rpg(
                allspark_engine::rpg::RpgEvent::AdventureEnded { .. }
                | allspark_engine::rpg::RpgEvent::PartyDisbanded { .. },
            ) => (true, true),
            Event::Rpg(event) if event.stream().as_str().starts_with("adventure/") => (true, false),
            Event::Fun(
                allspark_engine::fun::FunEvent::GamesJoined { .. }
                | allspark_engine::fun::FunEvent::GamesStarted { .. }
                | allspark_engine::fun::FunEvent::GamesRound { .. },
            ) => (true, false),
            Event::Fun(
                allspark_engine::fun::FunEvent::CombinerJoined { .. }
                | allspark_engine::fun::FunEvent::CombinerFormed { .. }
                | allspark_engine::fun::FunEvent::CombinerLeft { .. },
            ) => (true, false),
            Event::Fun(event) if event.trivia_channel().is_some() => (true, false),
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
    /// `Bot <token>`, to edit posted messages after their interaction token has expired.
    bot_auth: Option<String>,
    markets: Mutex<Vec<PostedMarket>>,
    market_follower: AtomicBool,
}

/// A posted message, by its ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageRef {
    pub channel_id: u64,
    pub message_id: u64,
}

impl MessageRef {
    /// The ids of a message object as Discord returns it (`id` and `channel_id`, snowflakes as
    /// strings); `None` if either is missing.
    pub fn of(message: &Value) -> Option<MessageRef> {
        let id = |key: &str| message.get(key)?.as_str()?.parse::<u64>().ok();
        Some(MessageRef {
            channel_id: id("channel_id")?,
            message_id: id("id")?,
        })
    }
}

/// Market dashboards kept fresh at once; the latest posted win.
pub const MARKET_MESSAGES_MAX: usize = 25;
/// How long a posted public dashboard is kept fresh after it was last posted or refreshed by a
/// press.
pub const MARKET_MESSAGE_TTL: Duration = Duration::from_secs(24 * 3_600);
/// Market events closer together than this (a catch-up after downtime) make one redraw.
pub const MARKET_SETTLE: Duration = Duration::from_millis(250);

/// How a posted dashboard is edited.
#[derive(Clone, Debug, PartialEq, Eq)]
enum MarketEdit {
    /// As a channel message, with the bot token.
    Channel(MessageRef),
    /// Through its interaction's token, while that lives.
    Webhook {
        application_id: String,
        token: String,
    },
}

#[derive(Clone, Debug)]
struct PostedMarket {
    range: Range,
    edit: MarketEdit,
    since: Instant,
}

impl PostedMarket {
    fn editable(&self) -> bool {
        let ttl = match self.edit {
            MarketEdit::Channel(_) => MARKET_MESSAGE_TTL,
            MarketEdit::Webhook { .. } => TOKEN_TTL,
        };
        self.since.elapsed() < ttl
    }
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
        Live::with_bot_token(app, http, api_base, None)
    }

    /// Live views that may also edit posted messages as the bot (`bot_token`, without the
    /// `Bot ` prefix), which outlives interaction tokens: the market dashboards.
    pub fn with_bot_token(
        app: App,
        http: reqwest::Client,
        api_base: String,
        bot_token: Option<String>,
    ) -> Arc<Live> {
        Arc::new(Live {
            app,
            edits: EditLimiter::new(http),
            api_base,
            watching: DashMap::new(),
            n_followers: AtomicUsize::new(0),
            bot_auth: bot_token.map(|token| format!("Bot {token}")),
            markets: Mutex::new(Vec::new()),
            market_follower: AtomicBool::new(false),
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
                Watched::Trivia(channel) => {
                    allspark_engine::fun::view::trivia(w, allspark_engine::Snowflake(channel))
                        .is_some_and(|s| s.ended_at.is_none())
                }
                Watched::Combiner(team) => allspark_engine::fun::view::team(w, team).is_some(),
                Watched::Games(game) => {
                    allspark_engine::fun::view::game(w, game).is_some_and(|g| !g.ended)
                }
                Watched::Adventure(adventure) => {
                    allspark_engine::rpg::view::adventure(w, adventure)
                        .is_some_and(|a| a.ended.is_none())
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
            Watched::Trivia(channel) => crate::fun::trivia_view(&self.app, channel).await,
            Watched::Combiner(team) => crate::fun::team_view(&self.app, team).await,
            Watched::Games(game) => crate::fun::games_view(&self.app, game).await,
            Watched::Adventure(adventure) => crate::rpg::adventure_view(&self.app, adventure).await,
        };
        let Ok(view) = view else {
            return;
        };
        let body = view.to_discord_data();
        for target in targets.iter().filter(|t| t.editable()) {
            let url =
                crate::http::original_url(&self.api_base, &target.application_id, &target.token);
            if view.files.is_empty() {
                self.edits.edit(url, body.clone());
            } else {
                // A view with a picture (the arena's map) is uploaded with it: the body lists
                // the attachment and the embed shows it.
                self.edits
                    .upload(url, body.clone(), view.files.to_vec(), None);
            }
        }
    }
}

impl Live {
    /// Market dashboards being kept fresh now.
    pub fn n_markets(&self) -> usize {
        self.lock_markets().len()
    }

    fn lock_markets(&self) -> std::sync::MutexGuard<'_, Vec<PostedMarket>> {
        self.markets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn watch_market(self: &Arc<Live>, range: Range, edit: MarketEdit) {
        {
            let mut markets = self.lock_markets();
            // The same message again (a press on it): it shows the new range from now on.
            markets.retain(|posted| posted.edit != edit && posted.editable());
            markets.push(PostedMarket {
                range,
                edit,
                since: Instant::now(),
            });
            let excess = markets.len().saturating_sub(MARKET_MESSAGES_MAX);
            markets.drain(..excess);
        }
        if !self.market_follower.swap(true, Ordering::SeqCst) {
            // Where to follow from is fixed now, so no tick after this view slips past.
            let stream = StreamId::market();
            let start = self.app.engine.log().stream_version(&stream).unwrap_or(0) + 1;
            let live = self.clone();
            tokio::spawn(async move {
                let mut start = start;
                loop {
                    live.follow_market(start).await;
                    live.market_follower.store(false, Ordering::SeqCst);
                    // A dashboard posted while this follower was letting go saw it still
                    // running and started none: follow again for it.
                    if live.n_markets() == 0 || live.market_follower.swap(true, Ordering::SeqCst) {
                        break;
                    }
                    start = live
                        .app
                        .engine
                        .log()
                        .stream_version(&StreamId::market())
                        .unwrap_or(0)
                        + 1;
                }
            });
        }
    }

    /// Whether a market event changes what the dashboard shows.
    fn moves_dashboard(event: &Event) -> bool {
        use allspark_engine::market::MarketEvent;
        matches!(
            event,
            Event::Market(
                MarketEvent::Opened { .. }
                    | MarketEvent::Ticked { .. }
                    | MarketEvent::TicksMissed { .. }
                    | MarketEvent::NewsStarted { .. }
                    | MarketEvent::NewsEnded { .. }
                    | MarketEvent::HolidayStarted { .. }
                    | MarketEvent::HolidayEnded { .. }
            )
        )
    }

    async fn follow_market(self: &Arc<Live>, start: u64) {
        let mut subscription = self.app.engine.follow(StreamId::market(), start);
        loop {
            match subscription.next().await {
                Ok(Some(event)) if Live::moves_dashboard(&event.event) => {}
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => return,
            }
            // Let a burst (the catch-up after downtime) settle into one redraw.
            loop {
                match tokio::time::timeout(MARKET_SETTLE, subscription.next()).await {
                    Ok(Ok(Some(_))) => continue,
                    Ok(Ok(None)) | Ok(Err(_)) => return,
                    Err(_) => break,
                }
            }
            if !self.refresh_markets().await {
                return;
            }
        }
    }

    /// Redraws every posted dashboard (each range's chart once); false once none is left.
    async fn refresh_markets(&self) -> bool {
        let targets: Vec<PostedMarket> = {
            let mut markets = self.lock_markets();
            markets.retain(|posted| {
                posted.editable() && !self.edits.is_gone(&self.market_url(&posted.edit))
            });
            markets.clone()
        };
        if targets.is_empty() {
            return false;
        }
        for range in crate::market::ids::RANGES.iter().map(|(_, range)| *range) {
            if !targets.iter().any(|posted| posted.range == range) {
                continue;
            }
            let Ok(view) = crate::market::dashboard(&self.app, range).await else {
                continue;
            };
            let body = view.to_discord_data();
            for posted in targets.iter().filter(|posted| posted.range == range) {
                let auth = match posted.edit {
                    MarketEdit::Channel(_) => self.bot_auth.clone(),
                    MarketEdit::Webhook { .. } => None,
                };
                self.edits.upload(
                    self.market_url(&posted.edit),
                    body.clone(),
                    view.files.to_vec(),
                    auth,
                );
            }
        }
        true
    }

    fn market_url(&self, edit: &MarketEdit) -> String {
        match edit {
            MarketEdit::Channel(message) => format!(
                "{}/channels/{}/messages/{}",
                self.api_base, message.channel_id, message.message_id
            ),
            MarketEdit::Webhook {
                application_id,
                token,
            } => crate::http::original_url(&self.api_base, application_id, token),
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
    /// is a live view: a battle, a trade, a recruitment run or fetch going, a stress run going,
    /// the market dashboard. `app` is the app that answered (the transports' own); `message` is
    /// the posted message's ids when the delivering call returned them.
    pub fn watch_response(
        self: &Arc<Live>,
        app: &App,
        response: &crate::reply::Response,
        application_id: String,
        token: String,
        message: Option<MessageRef>,
    ) {
        if let Some(range) = crate::market::shown_dashboard(response) {
            let private = response.reply().is_some_and(|reply| reply.ephemeral);
            let edit = match (message, &self.bot_auth, private) {
                (Some(message), Some(_), false) => MarketEdit::Channel(message),
                _ => MarketEdit::Webhook {
                    application_id,
                    token,
                },
            };
            self.watch_market(range, edit);
        } else if let Some(battle) = crate::battle::shown_battle(response) {
            self.watch(battle, application_id, token);
        } else if let Some(trade) = crate::trade::shown_trade(response) {
            self.watch_trade(trade, application_id, token);
        } else if crate::recruit::shown_run(app, response) {
            self.watch_run(application_id, token);
        } else if let Some(session) = crate::recruit::shown_fetch(app, response) {
            self.watch_fetch(session, application_id, token);
        } else if crate::stress::shown_run(app, response) {
            self.watch_stress(application_id, token);
        } else if let Some(adventure) = crate::rpg::shown_adventure(response) {
            self.watch_view(Watched::Adventure(adventure), application_id, token);
        } else if let Some(game) = crate::fun::shown_game(response) {
            self.watch_view(Watched::Games(game), application_id, token);
        } else if let Some(team) = crate::fun::shown_team(response) {
            self.watch_view(Watched::Combiner(team), application_id, token);
        } else if let Some(channel) = crate::fun::shown_trivia(response) {
            self.watch_view(Watched::Trivia(channel), application_id, token);
        } else if let Some((player, session)) = crate::fun::shown_countdown(response) {
            self.run_countdown(player, session, application_id, token);
        }
    }

    /// Runs the shooting range's countdown in the message of interaction `token`: a second a
    /// step, then the first round (recorded as shown when the countdown ends).
    fn run_countdown(
        self: &Arc<Live>,
        player: allspark_engine::PlayerId,
        session: u32,
        application_id: String,
        token: String,
    ) {
        let live = self.clone();
        tokio::spawn(async move {
            let url = crate::http::original_url(&live.api_base, &application_id, &token);
            let rounds = live
                .app
                .engine
                .query(move |w| allspark_engine::fun::view::range(w, player).map(|r| r.rounds))
                .await
                .ok()
                .flatten()
                .unwrap_or(0);
            for left in (1..allspark_engine::fun::RANGE_COUNTDOWN_SECS).rev() {
                tokio::time::sleep(COUNTDOWN_STEP).await;
                let frame = crate::fun::render::range_countdown(player, session, rounds, left);
                live.edits.edit(url.clone(), frame.to_discord_data());
            }
            tokio::time::sleep(COUNTDOWN_STEP).await;
            if let Some(round) = crate::fun::begin_range(&live.app, player, session).await {
                live.edits.edit(url, round.to_discord_data());
            }
        });
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
            let url = crate::http::original_url(&live.api_base, &application_id, &token);
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

/// One step of the shooting range's countdown.
const COUNTDOWN_STEP: Duration = Duration::from_secs(1);

/// Longest pause a 429 may impose; a longer `retry_after` is read as this.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(60);
/// The pause after a 429 that says nothing about how long to wait.
const RETRY_AFTER_DEFAULT: Duration = Duration::from_secs(1);

/// Message edits (PATCH of a webhook or channel message, JSON or a multipart upload) sent one
/// at a time by one task. A 429 pauses every edit for the `retry_after` Discord asks for (its
/// JSON body, or the `Retry-After` header) and the refused edit is sent again afterwards; an
/// edit of a message whose previous edit is still waiting replaces it, so the latest view wins
/// and no stale frames are sent. A message Discord answers 404 for is remembered as gone (the
/// latest [`GONE_MAX`]).
pub struct EditLimiter {
    http: reqwest::Client,
    queue: Mutex<EditQueue>,
    wake: Notify,
    started: AtomicBool,
    n_sent: AtomicUsize,
    gone: Mutex<VecDeque<String>>,
}

/// Messages remembered as gone.
pub const GONE_MAX: usize = 64;

/// One waiting edit: the message JSON, its files (a multipart upload when any), and the
/// `Authorization` header a channel message needs.
#[derive(Clone)]
struct Pending {
    body: Value,
    files: Vec<Attachment>,
    auth: Option<String>,
}

#[derive(Default)]
struct EditQueue {
    /// URLs in the order their first waiting edit arrived.
    order: VecDeque<String>,
    /// The latest edit waiting for each URL in `order`.
    latest: BTreeMap<String, Pending>,
}

impl EditLimiter {
    pub fn new(http: reqwest::Client) -> Arc<EditLimiter> {
        Arc::new(EditLimiter {
            http,
            queue: Mutex::new(EditQueue::default()),
            wake: Notify::new(),
            started: AtomicBool::new(false),
            n_sent: AtomicUsize::new(0),
            gone: Mutex::new(VecDeque::new()),
        })
    }

    /// Queues `body` as the new content of the message at `url` (PATCH). Call from within a
    /// tokio runtime: the first edit starts the sending task.
    pub fn edit(self: &Arc<EditLimiter>, url: String, body: Value) {
        self.submit(
            url,
            Pending {
                body,
                files: Vec::new(),
                auth: None,
            },
        );
    }

    /// Queues `body` with `files` (replacing the message's attachments: `body` lists them) as
    /// the new content of the message at `url`, sent with `auth` as its `Authorization`.
    pub fn upload(
        self: &Arc<EditLimiter>,
        url: String,
        body: Value,
        files: Vec<Attachment>,
        auth: Option<String>,
    ) {
        self.submit(url, Pending { body, files, auth });
    }

    /// Whether Discord said the message at `url` is gone (404).
    pub fn is_gone(&self, url: &str) -> bool {
        self.gone
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .any(|gone| gone == url)
    }

    fn submit(self: &Arc<EditLimiter>, url: String, edit: Pending) {
        {
            let mut queue = self.lock();
            if let Some(waiting) = queue.latest.get_mut(&url) {
                *waiting = edit;
            } else {
                queue.order.push_back(url.clone());
                queue.latest.insert(url, edit);
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

    fn next(&self) -> Option<(String, Pending)> {
        let mut queue = self.lock();
        let url = queue.order.pop_front()?;
        let edit = queue.latest.remove(&url)?;
        Some((url, edit))
    }

    async fn run(self: Arc<EditLimiter>) {
        loop {
            let Some((url, edit)) = self.next() else {
                self.wake.notified().await;
                continue;
            };
            let mut request = self.http.patch(&url);
            if let Some(auth) = &edit.auth {
                request = request.header(reqwest::header::AUTHORIZATION, auth);
            }
            request = if edit.files.is_empty() {
                request.json(&edit.body)
            } else {
                let (content_type, bytes) = crate::reply::multipart(&edit.body, &edit.files);
                request
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .body(bytes)
            };
            let answer = match request.send().await {
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
                        queue.latest.insert(url, edit);
                    }
                }
                tokio::time::sleep(wait).await;
            } else if status.is_success() {
                self.n_sent.fetch_add(1, Ordering::SeqCst);
            } else if status == reqwest::StatusCode::NOT_FOUND {
                tracing::debug!("live update: the message is gone");
                let mut gone = self
                    .gone
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if gone.len() == GONE_MAX {
                    gone.pop_front();
                }
                gone.push_back(url);
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
