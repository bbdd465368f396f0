//! The storyteller, outside the core. The engine records `NarrationRequested` with a brief;
//! the [`Narrator`] asks a [`Storyteller`] for the words and records them with
//! `RpgCommand::Narrate` (its command id derived from the adventure and segment, so asking
//! twice records once). Two storytellers: [`Offline`] (this project's templates, no network,
//! the default) and [`ChatModel`] (an OpenAI-compatible chat completions API: OpenAI, Gemini's
//! compatible endpoint, llama.cpp's server, Ollama), which falls back to the offline words on
//! any failure: a timeout, a refusal, a body that isn't the expected JSON, or an answer with
//! nothing usable left after sanitizing.
//!
//! A model is told facts only (classes, factions, levels, the place, the segment's subject and
//! the last moments) and calls the party `{party}` and `{lead}`: no name or other personal
//! text leaves the bot, and none reaches an event.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use allspark_engine::rpg::{self, Brief, NarrationSource, RpgCommand};
use allspark_engine::{Actor, Command, Engine};
use dashmap::DashSet;
use serde_json::{json, Value};

/// What a storyteller answers: the text (sanitized, bounded) and who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Told {
    pub text: String,
    pub source: NarrationSource,
}

/// Something that turns a brief into a segment's words.
pub trait Storyteller: Send + Sync + 'static {
    fn tell<'a>(&'a self, brief: &'a Brief) -> Pin<Box<dyn Future<Output = Told> + Send + 'a>>;

    /// A short piece of words for another area (a roast, a compliment), from a prompt (system,
    /// user), unsanitized; `None` when this storyteller has none to give (the offline one: the
    /// area then uses its own book) or the model failed.
    fn write<'a>(
        &'a self,
        _prompt: &'a (String, String),
    ) -> Pin<Box<dyn Future<Output = Option<String>> + Send + 'a>> {
        Box::pin(async { None })
    }
}

/// The offline storyteller: the engine's templates, by the lines the brief names.
#[derive(Clone, Copy, Debug, Default)]
pub struct Offline;

impl Storyteller for Offline {
    fn tell<'a>(&'a self, brief: &'a Brief) -> Pin<Box<dyn Future<Output = Told> + Send + 'a>> {
        Box::pin(async move {
            Told {
                text: offline_text(brief),
                source: NarrationSource::Offline,
            }
        })
    }
}

/// The offline words, never empty (a segment always gets something to show).
fn offline_text(brief: &Brief) -> String {
    let text = rpg::story::offline(brief);
    if text.trim().is_empty() {
        "The road goes on.".to_string()
    } else {
        text
    }
}

/// Settings of a chat-completion model, from the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSettings {
    /// Up to and without `/chat/completions`, like `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    /// Sent as a bearer token when set (local servers need none).
    pub key: Option<String>,
    /// For each request.
    pub timeout: Duration,
    /// Attempts in all, the first included.
    pub attempts: u32,
}

impl ModelSettings {
    /// `ALLSPARK_MODEL_URL`, `ALLSPARK_MODEL` (default `gpt-4o-mini`), `ALLSPARK_MODEL_KEY`,
    /// `ALLSPARK_MODEL_TIMEOUT_SECS` (default 20); `None` without a URL (the offline
    /// storyteller then tells everything).
    pub fn from_env() -> Option<ModelSettings> {
        let base_url = std::env::var("ALLSPARK_MODEL_URL").ok()?;
        let base_url = base_url.trim().trim_end_matches('/').to_string();
        if base_url.is_empty() {
            return None;
        }
        let timeout = std::env::var("ALLSPARK_MODEL_TIMEOUT_SECS")
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok())
            .unwrap_or(20)
            .clamp(1, 120);
        Some(ModelSettings {
            base_url,
            model: std::env::var("ALLSPARK_MODEL")
                .ok()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "gpt-4o-mini".to_string()),
            key: std::env::var("ALLSPARK_MODEL_KEY")
                .ok()
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty()),
            timeout: Duration::from_secs(timeout),
            attempts: 3,
        })
    }
}

/// Longest pause a model's `Retry-After` may impose before the offline words are used.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(10);
/// The first backoff when a model says nothing about how long to wait (doubled each time).
const BACKOFF_FIRST: Duration = Duration::from_millis(500);
/// Tokens asked for: enough for the words a segment holds.
const MAX_TOKENS: u32 = 400;
/// Tokens asked for a roast or a compliment.
const WRITE_MAX_TOKENS: u32 = 160;

/// A chat-completion model, with the offline storyteller behind it.
pub struct ChatModel {
    settings: ModelSettings,
    http: reqwest::Client,
}

impl ChatModel {
    pub fn new(settings: ModelSettings) -> ChatModel {
        ChatModel {
            settings,
            http: reqwest::Client::new(),
        }
    }

    /// One segment's words from the model, sanitized; `Err` with why not.
    async fn ask(&self, brief: &Brief) -> Result<String, String> {
        let (system, user) = rpg::story::prompt(brief);
        let content = self.complete(&system, &user, MAX_TOKENS).await?;
        let clean = rpg::story::sanitize(&content);
        if clean.is_empty() || !rpg::is_valid_narration(&clean) {
            return Err("nothing usable in the answer".to_string());
        }
        Ok(clean)
    }

    /// The text of one chat completion, as the model wrote it; `Err` with why not. Retries a
    /// 408, 409, 429 or server error with backoff (or the pause the model asks for, up to
    /// [`RETRY_AFTER_MAX`]), never a refused quota.
    async fn complete(&self, system: &str, user: &str, max_tokens: u32) -> Result<String, String> {
        let body = json!({
            "model": self.settings.model,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user },
            ],
            "max_tokens": max_tokens,
            "temperature": 0.9,
        });
        let url = format!("{}/chat/completions", self.settings.base_url);
        let mut backoff = BACKOFF_FIRST;
        let mut last = String::from("no attempt");
        for attempt in 1..=self.settings.attempts.max(1) {
            let mut request = self
                .http
                .post(&url)
                .timeout(self.settings.timeout)
                .json(&body);
            if let Some(key) = &self.settings.key {
                request = request.bearer_auth(key);
            }
            let response = match request.send().await {
                Ok(response) => response,
                Err(error) => {
                    // A timeout or a refused connection: the words come from the templates
                    // rather than keeping a party waiting longer.
                    return Err(format!("request failed: {error}"));
                }
            };
            let status = response.status();
            let wait = retry_after(response.headers());
            let text = response.text().await.unwrap_or_default();
            if status.is_success() {
                return content_of(&text);
            }
            last = format!("status {status}");
            let retryable = matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error();
            if !retryable || quota_exhausted(&text) || attempt == self.settings.attempts {
                break;
            }
            let pause = wait.unwrap_or(backoff);
            if pause > RETRY_AFTER_MAX {
                break;
            }
            tokio::time::sleep(pause).await;
            backoff *= 2;
        }
        Err(last)
    }
}

/// A 429 that says the quota is gone: asking again won't help.
fn quota_exhausted(body: &str) -> bool {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v["error"]["code"]
                .as_str()
                .map(|c| c == "insufficient_quota")
        })
        .unwrap_or(false)
}

/// `retry-after-ms`, then `retry-after` in seconds.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok();
    if let Some(ms) = header("retry-after-ms").filter(|ms| ms.is_finite() && *ms >= 0.0) {
        return Some(Duration::from_millis(ms as u64));
    }
    header("retry-after")
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_millis((s * 1_000.0) as u64))
}

/// The text of the first choice of a chat completion, as written.
fn content_of(body: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "not JSON".to_string())?;
    value["choices"][0]["message"]["content"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "no message content".to_string())
}

impl Storyteller for ChatModel {
    fn tell<'a>(&'a self, brief: &'a Brief) -> Pin<Box<dyn Future<Output = Told> + Send + 'a>> {
        Box::pin(async move {
            match self.ask(brief).await {
                Ok(text) => Told {
                    text,
                    source: NarrationSource::Model,
                },
                Err(why) => {
                    tracing::warn!(%why, "the model did not answer; the offline storyteller did");
                    Told {
                        text: offline_text(brief),
                        source: NarrationSource::Fallback,
                    }
                }
            }
        })
    }

    fn write<'a>(
        &'a self,
        prompt: &'a (String, String),
    ) -> Pin<Box<dyn Future<Output = Option<String>> + Send + 'a>> {
        Box::pin(async move {
            match self.complete(&prompt.0, &prompt.1, WRITE_MAX_TOKENS).await {
                Ok(text) => Some(text),
                Err(why) => {
                    tracing::warn!(%why, "the model did not write; the book will");
                    None
                }
            }
        })
    }
}

/// Asks the storyteller for what the engine requested and records it, once per segment even
/// when a command's own answer and the worker's sweep ask at the same time.
pub struct Narrator {
    teller: Arc<dyn Storyteller>,
    in_flight: DashSet<(u32, u8)>,
}

impl Default for Narrator {
    fn default() -> Narrator {
        Narrator::new(Arc::new(Offline))
    }
}

impl Narrator {
    pub fn new(teller: Arc<dyn Storyteller>) -> Narrator {
        Narrator {
            teller,
            in_flight: DashSet::new(),
        }
    }

    /// The storyteller the environment configures: a model when `ALLSPARK_MODEL_URL` is set,
    /// else the offline one.
    pub fn from_env() -> Narrator {
        match ModelSettings::from_env() {
            Some(settings) => {
                tracing::info!(model = %settings.model, url = %settings.base_url, "the storyteller is a model");
                Narrator::new(Arc::new(ChatModel::new(settings)))
            }
            None => Narrator::default(),
        }
    }

    /// Tells segment `segment` of `adventure` and records it; whether this call recorded it.
    pub async fn narrate(
        &self,
        engine: &Engine,
        adventure: u32,
        segment: u8,
        brief: &Brief,
    ) -> bool {
        if !self.in_flight.insert((adventure, segment)) {
            return false;
        }
        let told = self.teller.tell(brief).await;
        let command = Command::Rpg(RpgCommand::Narrate {
            adventure,
            segment,
            text: told.text,
            source: told.source,
        });
        let id =
            crate::worker::derived_id("narrate", &[u128::from(adventure), u128::from(segment)]);
        let recorded = match engine
            .execute(engine.envelope(id, Actor::System, command))
            .await
        {
            Ok(reply) => reply.outcome.is_accepted() && !reply.duplicate,
            Err(error) => {
                tracing::warn!(%error, "recording a narration failed");
                false
            }
        };
        self.in_flight.remove(&(adventure, segment));
        recorded
    }

    /// A roast or compliment of `kind` in category `pool` and `style` (`None`: any), written
    /// by the storyteller and sanitized; `None` when the storyteller has none (offline), the
    /// model failed, the category or style is not in the book (the rule refuses that), or
    /// nothing usable is left of the answer.
    pub async fn talk(
        &self,
        kind: allspark_engine::social::TalkKind,
        pool: Option<&str>,
        style: Option<&str>,
    ) -> Option<String> {
        use allspark_engine::social::story;
        let prompt = story::prompt(kind, pool, style)?;
        let written = self.teller.write(&prompt).await?;
        let clean = story::sanitize(&written);
        story::is_valid_words(&clean).then_some(clean)
    }

    /// Retells round `round` of Cybertron Games `game` through the storyteller and records it
    /// (`FunCommand::GamesNarrate`, its id derived from game and round, so asking twice records
    /// once); whether it was recorded. Nothing without a model, or when it has nothing usable.
    pub async fn games_round(&self, engine: &Engine, game: u32, round: u16) -> bool {
        use allspark_engine::fun::{games, FunCommand};
        let Ok(Some((prompt, entrants))) = engine
            .query(move |w| {
                allspark_engine::fun::view::game(w, game).and_then(|g| {
                    let entrants = g.started.as_ref().map(|(_, e)| e.len())?;
                    Some((games::prompt(g, round)?, entrants))
                })
            })
            .await
        else {
            return false;
        };
        let Some(written) = self.teller.write(&prompt).await else {
            return false;
        };
        let text = games::sanitize_narration(&written, entrants);
        if !games::is_valid_narration(&text, entrants) {
            tracing::warn!(game, round, "the model's retelling was not usable");
            return false;
        }
        let id = crate::worker::derived_id("games-narrate", &[u128::from(game), u128::from(round)]);
        let command = Command::Fun(FunCommand::GamesNarrate { game, round, text });
        match engine
            .execute(engine.envelope(id, Actor::System, command))
            .await
        {
            Ok(reply) => reply.outcome.is_accepted() && !reply.duplicate,
            Err(error) => {
                tracing::warn!(%error, "recording a retelling failed");
                false
            }
        }
    }

    /// Tells every segment still owed (after a restart, or a battle's end that opened one).
    pub async fn narrate_pending(&self, engine: &Engine) -> usize {
        let Ok(pending) = engine.query(rpg::view::pending_narrations).await else {
            return 0;
        };
        let mut told = 0;
        for (adventure, segment, brief) in pending {
            told += usize::from(self.narrate(engine, adventure, segment, &brief).await);
        }
        told
    }
}

/// Tells what is owed, every `every`, forever (until the task is dropped).
pub async fn run(engine: Engine, narrator: Arc<Narrator>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        let n = narrator.narrate_pending(&engine).await;
        if n > 0 {
            tracing::info!(n, "narrations recorded");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_completion_is_read_as_written() {
        let body = r#"{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Of course! {party} walks in. @everyone"},"finish_reason":"stop"}]}"#;
        assert_eq!(
            content_of(body).expect("an answer"),
            "Of course! {party} walks in. @everyone"
        );
        assert!(content_of("not json").is_err());
        assert!(content_of(r#"{"choices":[]}"#).is_err());
    }

    #[test]
    fn quota_refusals_are_not_retried() {
        assert!(quota_exhausted(
            r#"{"error":{"message":"m","type":"t","param":null,"code":"insufficient_quota"}}"#
        ));
        assert!(!quota_exhausted(
            r#"{"error":{"message":"m","type":"t","param":null,"code":"rate_limit_exceeded"}}"#
        ));
    }
}
