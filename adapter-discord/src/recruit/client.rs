//! The Politics & War client: pages of unallied nations from the GraphQL API, and one message
//! through the send endpoint. Async (reqwest with rustls), with a timeout on every request.
//!
//! Fetching reads the rate-limit headers (`X-RateLimit-Remaining`, `X-RateLimit-Reset`,
//! `X-RateLimit-Reset-After`, `Retry-After`), waits out a 429 and backs off from server errors
//! and timeouts with jitter (at most [`TRIES`] tries a page), and stops cleanly, keeping what it
//! has, when the wait would be longer than [`WAIT_MAX`]: the daily budget is spent. Sending is
//! never retried here: a send's outcome is either definite (delivered, or refused and nothing
//! sent) or unknown, and an unknown one is left for a leader to review.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use allspark_engine::recruit::FailReason;
use allspark_engine::Timestamp;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::config::Pnw;

/// Nations per page: the API's maximum.
pub const PAGE_SIZE: usize = 500;
/// Tries per page before a fetch gives up on it.
pub const TRIES: u32 = 4;
/// Longest wait for a rate limit; a longer one means the budget is spent for now.
pub const WAIT_MAX: Duration = Duration::from_secs(60);

/// A nation as fetched. The names are the game's public data, kept in memory for the views
/// and the templates only; the engine sees the id.
#[derive(Clone, Debug, PartialEq)]
pub struct Nation {
    pub id: u64,
    pub nation_name: String,
    pub leader_name: String,
    pub score: f64,
    pub cities: u32,
    pub last_active: Timestamp,
    pub vacation_turns: u32,
    pub alliance: u64,
}

/// Why a fetch stopped or failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the game's API did not answer in time")]
    Timeout,
    #[error("cannot reach the game's API: {0}")]
    Transport(String),
    #[error("the game's API refused the key (check PNW_API_KEY)")]
    Unauthorized,
    #[error("the game's API is rate-limiting and its budget is spent until {reset}")]
    BudgetSpent { reset: String },
    #[error("the game's API answered with an error: {0}")]
    Api(String),
    #[error("the game's API answered HTTP {0}")]
    Status(u16),
    #[error("the game's API answered something that is not the expected JSON")]
    Malformed,
}

/// A fetch: the nations read (sorted by last activity, newest first), and why it stopped
/// early, if it did.
#[derive(Clone, Debug, Default)]
pub struct Fetched {
    pub nations: Vec<Nation>,
    pub pages: usize,
    pub stopped: Option<FetchError>,
}

/// What came of one send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    Delivered,
    /// Definitely not delivered. `retry_after`: how long a 429 asked to wait.
    Failed {
        reason: FailReason,
        detail: String,
        retry_after: Option<Duration>,
    },
    /// It may or may not have been delivered (a timeout after the request left, a server
    /// error, an answer that can't be read).
    Unknown {
        detail: String,
    },
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    settings: Pnw,
    /// The first backoff after a server error or a timeout (doubled each try, plus jitter).
    pub backoff: Duration,
}

/// A random duration in `0..=max`, for jitter.
fn jitter(max: Duration) -> Duration {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let millis = max.as_millis().max(1) as u64;
    Duration::from_millis(u64::from_le_bytes(bytes) % (millis + 1))
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers
        .get(name)?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

/// How long a rate limit asks to wait: `Retry-After`, `X-RateLimit-Reset-After` (seconds), or
/// `X-RateLimit-Reset` (epoch seconds) against `now_secs`.
pub fn rate_limit_wait(headers: &HeaderMap, now_secs: i64) -> Option<Duration> {
    if let Some(secs) = header_number(headers, "retry-after")
        .or_else(|| header_number(headers, "x-ratelimit-reset-after"))
    {
        return Some(Duration::from_millis((secs * 1000.0) as u64));
    }
    let reset = header_number(headers, "x-ratelimit-reset")? as i64;
    Some(Duration::from_secs(
        reset.saturating_sub(now_secs).max(0) as u64
    ))
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn reset_words(wait: Duration) -> String {
    let at = chrono::Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A number the API may send as a JSON number or as a string (`ID` fields).
fn id_value(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null => Some(0),
        _ => None,
    }
}

/// `last_active` in either form the API is known to use (ISO-8601 with an offset, or
/// `YYYY-MM-DD HH:MM:SS` in UTC); the game's "never" values read as the epoch.
pub fn parse_last_active(text: &str) -> Timestamp {
    let text = text.trim();
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Timestamp(at.timestamp_millis());
    }
    if let Ok(at) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Timestamp(at.and_utc().timestamp_millis());
    }
    Timestamp(0)
}

fn nation(value: &Value) -> Option<Nation> {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Some(Nation {
        id: id_value(value.get("id"))?,
        nation_name: text("nation_name"),
        leader_name: text("leader_name"),
        score: value.get("score").and_then(Value::as_f64).unwrap_or(0.0),
        cities: value.get("num_cities").and_then(Value::as_u64).unwrap_or(0) as u32,
        last_active: parse_last_active(value.get("last_active").and_then(Value::as_str)?),
        // Unreadable vacation turns count as vacation (the nation is left out).
        vacation_turns: match value.get("vacation_mode_turns") {
            Some(Value::Number(n)) => n
                .as_u64()
                .map_or(u32::MAX, |n| n.min(u32::MAX.into()) as u32),
            Some(Value::Null) | None => 0,
            _ => u32::MAX,
        },
        alliance: id_value(value.get("alliance_id")).unwrap_or(u64::MAX),
    })
}

/// GraphQL errors of a body, joined; `None` when there are none.
fn graphql_errors(body: &Value) -> Option<String> {
    let errors = body.get("errors")?.as_array()?;
    if errors.is_empty() {
        return None;
    }
    let messages: Vec<String> = errors
        .iter()
        .map(|e| {
            e.get("message")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .to_string()
        })
        .collect();
    Some(crate::view::truncate(&messages.join("; "), 300))
}

/// One page's nations and whether more pages follow.
struct Page {
    nations: Vec<Nation>,
    more: bool,
    /// The wait the limit headers ask before another request, when the budget is at 0.
    exhausted: Option<Duration>,
}

impl Client {
    pub fn new(settings: Pnw) -> Client {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .user_agent("AllSpark-Recruitment/1.0")
            .build()
            .unwrap_or_default();
        Client {
            http,
            settings,
            backoff: Duration::from_millis(500),
        }
    }

    pub fn settings(&self) -> &Pnw {
        &self.settings
    }

    fn key(&self) -> &str {
        self.settings.api_key.as_deref().unwrap_or_default()
    }

    /// Up to `max_nations` unallied nations, page by page; `pages_done` counts pages as they
    /// arrive (for a progress view). Fails only if the first page fails; a later failure ends
    /// the fetch with what it has and the reason in `stopped`.
    pub async fn fetch_nations(&self, pages_done: &AtomicUsize) -> Result<Fetched, FetchError> {
        let mut fetched = Fetched::default();
        let max = self.settings.max_nations;
        let mut page = 1;
        while fetched.nations.len() < max {
            match self.page(page).await {
                Ok(body) => {
                    let n = body.nations.len();
                    fetched.nations.extend(body.nations);
                    fetched.pages += 1;
                    pages_done.fetch_add(1, Ordering::Relaxed);
                    if !body.more || n == 0 {
                        break;
                    }
                    if let Some(wait) = body.exhausted.filter(|wait| *wait > WAIT_MAX) {
                        fetched.stopped = Some(FetchError::BudgetSpent {
                            reset: reset_words(wait),
                        });
                        break;
                    }
                }
                Err(error) if fetched.pages == 0 => return Err(error),
                Err(error) => {
                    fetched.stopped = Some(error);
                    break;
                }
            }
            page += 1;
        }
        fetched.nations.truncate(max);
        fetched
            .nations
            .sort_by(|a, b| b.last_active.cmp(&a.last_active).then(a.id.cmp(&b.id)));
        Ok(fetched)
    }

    async fn page(&self, page: usize) -> Result<Page, FetchError> {
        let query = format!(
            "{{ nations(first: {PAGE_SIZE}, page: {page}, alliance_id: [0], orderBy: [{{column: DATE, order: DESC}}]) \
             {{ paginatorInfo {{ currentPage lastPage hasMorePages }} \
             data {{ id nation_name leader_name score num_cities last_active vacation_mode_turns alliance_id }} }} }}"
        );
        let mut last = FetchError::Malformed;
        for attempt in 0..TRIES {
            let backoff = self.backoff * 2u32.pow(attempt);
            let sent = self
                .http
                .post(&self.settings.graphql_url)
                .query(&[("api_key", self.key())])
                .header("X-Api-Key", self.key())
                .json(&serde_json::json!({ "query": query }))
                .send()
                .await;
            let answer = match sent {
                Ok(answer) => answer,
                Err(error) => {
                    last = if error.is_timeout() {
                        FetchError::Timeout
                    } else {
                        FetchError::Transport(crate::view::truncate(
                            &error.without_url().to_string(),
                            200,
                        ))
                    };
                    tracing::warn!(page, attempt, %last, "PnW fetch failed; backing off");
                    tokio::time::sleep(backoff + jitter(backoff)).await;
                    continue;
                }
            };
            let status = answer.status().as_u16();
            let headers = answer.headers().clone();
            if status == 429 {
                let wait = rate_limit_wait(&headers, now_secs()).unwrap_or(backoff);
                if wait > WAIT_MAX {
                    return Err(FetchError::BudgetSpent {
                        reset: reset_words(wait),
                    });
                }
                tracing::warn!(page, ?wait, "PnW rate limit; waiting");
                last = FetchError::Status(429);
                tokio::time::sleep(wait + jitter(Duration::from_millis(250))).await;
                continue;
            }
            if status == 401 || status == 403 {
                return Err(FetchError::Unauthorized);
            }
            let text = match answer.text().await {
                Ok(text) => text,
                Err(error) if error.is_timeout() => {
                    last = FetchError::Timeout;
                    tokio::time::sleep(backoff + jitter(backoff)).await;
                    continue;
                }
                Err(_) => return Err(FetchError::Malformed),
            };
            if status >= 500 {
                last = FetchError::Status(status);
                tracing::warn!(page, status, "PnW server error; backing off");
                tokio::time::sleep(backoff + jitter(backoff)).await;
                continue;
            }
            let body: Value = serde_json::from_str(&text).map_err(|_| FetchError::Malformed)?;
            if let Some(errors) = graphql_errors(&body) {
                return Err(FetchError::Api(errors));
            }
            if status >= 400 {
                return Err(FetchError::Status(status));
            }
            let nations = body.pointer("/data/nations").ok_or(FetchError::Malformed)?;
            let list = nations
                .get("data")
                .and_then(Value::as_array)
                .ok_or(FetchError::Malformed)?;
            let more = nations
                .pointer("/paginatorInfo/hasMorePages")
                .and_then(Value::as_bool)
                .unwrap_or(list.len() >= PAGE_SIZE);
            let exhausted = (header_number(&headers, "x-ratelimit-remaining") == Some(0.0))
                .then(|| rate_limit_wait(&headers, now_secs()))
                .flatten();
            return Ok(Page {
                nations: list.iter().filter_map(nation).collect(),
                more,
                exhausted,
            });
        }
        Err(last)
    }

    /// Sends one message. Never retried: see the module's words.
    pub async fn send(&self, to: u64, subject: &str, message: &str) -> SendOutcome {
        let sent = self
            .http
            .post(&self.settings.send_url)
            .form(&[
                ("key", self.key()),
                ("to", &to.to_string()),
                ("subject", subject),
                ("message", message),
            ])
            .send()
            .await;
        let answer = match sent {
            Ok(answer) => answer,
            Err(error) if error.is_connect() => {
                return SendOutcome::Failed {
                    reason: FailReason::Unreachable,
                    detail: crate::view::truncate(&error.without_url().to_string(), 200),
                    retry_after: None,
                }
            }
            Err(error) => {
                return SendOutcome::Unknown {
                    detail: if error.is_timeout() {
                        "no answer in time".to_string()
                    } else {
                        crate::view::truncate(&error.without_url().to_string(), 200)
                    },
                }
            }
        };
        let status = answer.status().as_u16();
        let retry_after = rate_limit_wait(answer.headers(), now_secs());
        let text = answer.text().await.unwrap_or_default();
        let detail = |text: &str| crate::view::truncate(text.trim(), 200);
        match status {
            429 => SendOutcome::Failed {
                reason: FailReason::RateLimited,
                detail: "HTTP 429".to_string(),
                retry_after,
            },
            401 | 403 => SendOutcome::Failed {
                reason: FailReason::Unauthorized,
                detail: format!("HTTP {status}"),
                retry_after: None,
            },
            500.. => SendOutcome::Unknown {
                detail: format!("HTTP {status}"),
            },
            400..=499 => SendOutcome::Failed {
                reason: FailReason::Refused,
                detail: format!("HTTP {status}: {}", detail(&text)),
                retry_after: None,
            },
            _ => match serde_json::from_str::<Value>(&text) {
                Ok(body) if body.get("success").and_then(Value::as_bool) == Some(true) => {
                    SendOutcome::Delivered
                }
                Ok(body) => {
                    let said = ["general_message", "error", "message"]
                        .iter()
                        .find_map(|key| body.get(*key).and_then(Value::as_str))
                        .unwrap_or("no success in the answer")
                        .to_string();
                    let reason = if said.to_ascii_lowercase().contains("invalid api key") {
                        FailReason::Unauthorized
                    } else {
                        FailReason::Refused
                    };
                    if body.get("success").and_then(Value::as_bool) == Some(false)
                        || body.get("general_message").is_some()
                        || body.get("error").is_some()
                    {
                        SendOutcome::Failed {
                            reason,
                            detail: detail(&said),
                            retry_after: None,
                        }
                    } else {
                        SendOutcome::Unknown {
                            detail: detail(&said),
                        }
                    }
                }
                Err(_) if text.contains("Invalid API key") => SendOutcome::Failed {
                    reason: FailReason::Unauthorized,
                    detail: "Invalid API key".to_string(),
                    retry_after: None,
                },
                Err(_) => SendOutcome::Unknown {
                    detail: "an answer that is not JSON".to_string(),
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_active_reads_both_forms_and_never_is_the_epoch() {
        let iso = parse_last_active("2024-09-08T17:03:16+00:00");
        let plain = parse_last_active("2024-09-08 17:03:16");
        assert_eq!(iso, plain);
        assert_eq!(iso.0, 1_725_814_996_000);
        assert_eq!(parse_last_active("0000-00-00"), Timestamp(0));
        assert_eq!(parse_last_active("-0001-11-30"), Timestamp(0));
    }

    #[test]
    fn ids_come_as_numbers_or_strings_and_rate_limit_waits_from_any_header() {
        let n = nation(
            &serde_json::json!({"id":"77","alliance_id":0,"last_active":"2024-09-08 17:03:16","vacation_mode_turns":0}),
        );
        assert_eq!(n.map(|n| (n.id, n.alliance)), Some((77, 0)));
        let n = nation(
            &serde_json::json!({"id":78,"alliance_id":"12","last_active":"2024-09-08 17:03:16","vacation_mode_turns":"x"}),
        );
        assert_eq!(
            n.map(|n| (n.alliance, n.vacation_turns)),
            Some((12, u32::MAX))
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-ratelimit-reset",
            "1000".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(
            rate_limit_wait(&headers, 990),
            Some(Duration::from_secs(10))
        );
        headers.insert(
            "retry-after",
            "2".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(rate_limit_wait(&headers, 990), Some(Duration::from_secs(2)));
        assert_eq!(rate_limit_wait(&HeaderMap::new(), 0), None);
    }
}
