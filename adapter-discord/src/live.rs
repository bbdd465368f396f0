//! Live battle messages: every posted battle view is kept up to date from the battle's own
//! event stream, so a turn resolved by someone else's press or by the timer shows up in every
//! player's and spectator's message without anyone pressing Refresh.
//!
//! The only state here is a cache: which interaction tokens show which battle (Discord lets an
//! interaction's token edit its message for 15 minutes). Losing it loses nothing but
//! freshness; the views themselves are rendered from the engine.

use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_engine::battle::{BattleEvent, BattleId};
use allspark_engine::{Engine, Event};
use dashmap::DashMap;

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

pub struct Live {
    app: App,
    http: reqwest::Client,
    api_base: String,
    watching: DashMap<BattleId, Vec<Target>>,
}

impl Live {
    pub fn new(app: App, http: reqwest::Client, api_base: String) -> Arc<Live> {
        Arc::new(Live {
            app,
            http,
            api_base,
            watching: DashMap::new(),
        })
    }

    /// Keeps the message of interaction `token` showing `battle` fresh until the battle ends.
    pub fn watch(self: &Arc<Live>, battle: BattleId, application_id: String, token: String) {
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
            tokio::spawn(async move { live.follow(battle, start).await });
        }
    }

    async fn follow(self: Arc<Live>, battle: BattleId, start: u64) {
        let engine: &Engine = &self.app.engine;
        let mut subscription = engine.follow(battle.stream(), start);
        loop {
            let event = match subscription.next().await {
                Ok(Some(event)) => event,
                Ok(None) | Err(_) => break,
            };
            let ended = matches!(event.event, Event::Battle(BattleEvent::Ended { .. }));
            let changed = matches!(
                event.event,
                Event::Battle(
                    BattleEvent::TurnResolved { .. }
                        | BattleEvent::Ended { .. }
                        | BattleEvent::ActionChosen { .. }
                )
            );
            if changed {
                self.refresh(battle).await;
            }
            if ended {
                break;
            }
        }
        self.watching.remove(&battle);
    }

    async fn refresh(&self, battle: BattleId) {
        let targets: Vec<Target> = self
            .watching
            .get(&battle)
            .map(|t| t.clone())
            .unwrap_or_default();
        let Ok(view) = self.app.battle_view(battle).await else {
            return;
        };
        let body = view.to_discord_data();
        for target in targets.iter().filter(|t| t.since.elapsed() < TOKEN_TTL) {
            let url = format!(
                "{}/messages/@original",
                crate::http::webhook_url(&self.api_base, &target.application_id, &target.token)
            );
            match self.http.patch(&url).json(&body).send().await {
                Ok(answer) if answer.status().is_success() => {}
                Ok(answer) => tracing::debug!(status = %answer.status(), "live update refused"),
                Err(error) => tracing::debug!(%error, "live update failed"),
            }
        }
    }
}
