//! `allspark serve`: Discord's HTTP interactions endpoint.
//!
//! Every request must carry a valid Ed25519 signature (over timestamp and body, with the
//! application's public key) or it is answered 401 before anything else happens; Discord probes
//! this with bad signatures and disables endpoints that accept them. The signed timestamp must
//! also be within [`TIMESTAMP_TOLERANCE_SECS`] of the engine's clock (401 otherwise), so a
//! validly signed request recorded earlier can't be replayed later. PING gets PONG; a body that
//! is not an interaction gets 400; bodies over [`BODY_LIMIT_BYTES`] get 413. Work that takes
//! longer than [`DEFER_AFTER`] is deferred and finished through the REST API (whose base URL is
//! configurable so tests point it at a local fake), as Discord's rules for each kind allow:
//!
//! | interaction | deferred as | finished by |
//! |---|---|---|
//! | slash command | type 5 (a "thinking" message) | editing it; an ephemeral reply deletes it and follows up privately |
//! | button, menu, form | type 6 (nothing visible) | editing the pressed message for an update; a new or private reply is a follow-up message |
//! | autocomplete | never (no deferral exists) | empty suggestions if the answer is late |
//!
//! A form can't be opened after a deferral; the person is told to press again. An answer that
//! carries files (`/my_data`) is never inline, whatever its speed: Discord's inline multipart
//! replies are unreliable (see `external-apis.md`), so it is deferred at once (privately when
//! the answer is private) and finished by an edit or follow-up sent as `multipart/form-data`
//! (`payload_json` and `files[n]`). Battle views
//! finished this way are kept live like any other. Shutdown waits for follow-ups in flight.
//! The interaction token goes into REST paths escaped as one path segment ([`path_segment`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::post;
use axum::{Json, Router};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::json;

use crate::app::App;
use crate::interaction::{self, Incoming};
use crate::reply::Response;

/// Largest request body accepted; Discord's interactions are a few kilobytes.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// Discord wants an answer within 3 seconds; past this, the reply is deferred.
pub const DEFER_AFTER: Duration = Duration::from_millis(2_000);
/// How far (either way) a request's signed timestamp may be from the clock, in seconds.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 5 * 60;

/// What the endpoint needs besides the game.
#[derive(Clone)]
pub struct Endpoint {
    pub app: App,
    pub public_key: VerifyingKey,
    pub operator: Option<u64>,
    /// Discord's REST API root, e.g. `https://discord.com/api/v10`.
    pub api_base: String,
    pub defer_after: Duration,
    pub http: reqwest::Client,
    /// Keeps posted battle views fresh (None: views change only when pressed).
    pub live: Option<Arc<crate::live::Live>>,
    /// Follow-ups in flight, which shutdown waits for.
    pub tasks: tokio_util::task::TaskTracker,
}

/// How long shutdown waits for follow-ups still in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Parses the application's public key (64 hex characters).
pub fn public_key(hex_key: &str) -> Result<VerifyingKey, String> {
    let bytes =
        hex::decode(hex_key.trim()).map_err(|_| "DISCORD_PUBLIC_KEY is not hex".to_string())?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters)".to_string())?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|_| "DISCORD_PUBLIC_KEY is not a valid Ed25519 key".to_string())
}

/// True when `signature_hex` signs `timestamp ++ body` under `key`.
pub fn verify(key: &VerifyingKey, timestamp: &str, body: &[u8], signature_hex: &str) -> bool {
    let Ok(bytes) = hex::decode(signature_hex) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    let signature = Signature::from_bytes(&bytes);
    let mut message = Vec::with_capacity(timestamp.len() + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(body);
    key.verify(&message, &signature).is_ok()
}

/// True when `timestamp` (the `X-Signature-Timestamp` header: Unix seconds, digits only) is
/// within [`TIMESTAMP_TOLERANCE_SECS`] of `now`.
pub fn timestamp_is_fresh(timestamp: &str, now: allspark_engine::Timestamp) -> bool {
    if timestamp.is_empty()
        || timestamp.len() > 18
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let Ok(seconds) = timestamp.parse::<i64>() else {
        return false;
    };
    let now_seconds = now.0.div_euclid(1_000);
    now_seconds
        .checked_sub(seconds)
        .is_some_and(|skew| skew.unsigned_abs() <= TIMESTAMP_TOLERANCE_SECS.unsigned_abs())
}

/// `text` escaped as one URL path segment: every byte outside the unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so a token with `/`, `?`, `#` or `%` in it
/// stays one segment and can't reach another endpoint.
pub fn path_segment(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

/// The URL of an interaction's response (`.../messages/@original`), to edit or delete it.
pub fn original_url(api_base: &str, application_id: &str, token: &str) -> String {
    format!(
        "{}/messages/@original",
        webhook_url(api_base, application_id, token)
    )
}

/// The webhook URL of an interaction (its follow-ups).
pub fn webhook_url(api_base: &str, application_id: &str, token: &str) -> String {
    format!(
        "{}/webhooks/{}/{}",
        api_base.trim_end_matches('/'),
        path_segment(application_id),
        path_segment(token)
    )
}

pub fn router(endpoint: Endpoint) -> Router {
    Router::new()
        .route("/interactions", post(interactions))
        .route("/", post(interactions))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .with_state(Arc::new(endpoint))
}

/// Serves until `shutdown` resolves, finishing requests in flight.
pub async fn serve(
    endpoint: Endpoint,
    listen: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "interactions endpoint listening");
    serve_on(endpoint, listener, shutdown).await
}

/// [`serve`] on a socket already bound. Returns once requests in flight are answered and
/// follow-ups in flight are sent (or [`SHUTDOWN_GRACE`] has passed).
pub async fn serve_on(
    endpoint: Endpoint,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tasks = endpoint.tasks.clone();
    axum::serve(listener, router(endpoint))
        .with_graceful_shutdown(shutdown)
        .await?;
    tasks.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!(pending = tasks.len(), "shut down with follow-ups unsent");
    }
    Ok(())
}

async fn interactions(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let (signature, timestamp) = (
        header("x-signature-ed25519"),
        header("x-signature-timestamp"),
    );
    if signature.is_empty()
        || timestamp.is_empty()
        || !verify(&endpoint.public_key, timestamp, &body, signature)
    {
        return (StatusCode::UNAUTHORIZED, "invalid request signature").into_response();
    }
    if !timestamp_is_fresh(timestamp, endpoint.app.engine.now()) {
        return (
            StatusCode::UNAUTHORIZED,
            "request timestamp too far from now",
        )
            .into_response();
    }
    let incoming = match interaction::parse(&body, endpoint.operator) {
        Ok(incoming) => incoming,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let (invocation, token, application_id) = match incoming {
        Incoming::Ping => return Json(json!({ "type": 1 })).into_response(),
        Incoming::Invocation {
            invocation,
            token,
            application_id,
        } => (*invocation, token, application_id),
    };
    let deferral = Deferral::of(&invocation.kind);
    let app = endpoint.app.clone();
    let mut work = tokio::spawn(async move { app.handle(invocation).await });
    // A zero threshold always defers (tests use it to force follow-ups).
    let wait = wait_before_deferring(deferral, endpoint.defer_after);
    let answered = if wait.is_zero() {
        Err(())
    } else {
        tokio::time::timeout(wait, &mut work).await.map_err(|_| ())
    };
    match (answered, deferral) {
        (Ok(Ok(response)), Some(deferral)) if !response.files().is_empty() => {
            let private = private_deferral(deferral, &response);
            let body = if private {
                json!({ "type": deferral as u8, "data": { "flags": 64 } })
            } else {
                json!({ "type": deferral as u8 })
            };
            let endpoint = endpoint.clone();
            let tracker = endpoint.tasks.clone();
            tracker.spawn(async move {
                let plan = plan_after(deferral, private, &response);
                finish(&endpoint, plan, &application_id, &token, &response).await;
            });
            Json(body).into_response()
        }
        (Ok(Ok(response)), _) => {
            if let Some(live) = &endpoint.live {
                live.watch_response(&endpoint.app, &response, application_id, token, None);
            }
            Json(response.to_discord()).into_response()
        }
        (Ok(Err(_)), _) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "the handler failed").into_response()
        }
        (Err(()), None) => {
            work.abort();
            Json(json!({ "type": 8, "data": { "choices": [] } })).into_response()
        }
        (Err(()), Some(deferral)) => {
            // Too slow for the 3-second window: defer now, finish when done.
            let endpoint = endpoint.clone();
            let tracker = endpoint.tasks.clone();
            tracker.spawn(async move {
                if let Ok(response) = work.await {
                    let plan = finish_plan(deferral, &response);
                    finish(&endpoint, plan, &application_id, &token, &response).await;
                }
            });
            Json(json!({ "type": deferral as u8 })).into_response()
        }
    }
}

/// How long to wait for the answer before deferring: `defer_after` (zero: defer at once),
/// except for what can't be deferred (autocomplete), which gets at least [`DEFER_AFTER`].
pub fn wait_before_deferring(deferral: Option<Deferral>, defer_after: Duration) -> Duration {
    match deferral {
        None => defer_after.max(DEFER_AFTER),
        Some(_) => defer_after,
    }
}

/// How an interaction is deferred (the callback type), when it can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deferral {
    /// A slash command: a "thinking" message that the answer replaces.
    Message = 5,
    /// A component or a form: nothing visible; the pressed message is edited afterwards.
    Update = 6,
}

impl Deferral {
    pub fn of(kind: &crate::invocation::Kind) -> Option<Deferral> {
        use crate::invocation::Kind;
        match kind {
            Kind::Slash { .. } | Kind::Message { .. } => Some(Deferral::Message),
            Kind::Press { .. } | Kind::Form { .. } => Some(Deferral::Update),
            Kind::Autocomplete { .. } => None,
        }
    }
}

/// One REST call that finishes a deferred interaction.
#[derive(Clone, Debug, PartialEq)]
pub enum Finish {
    /// `PATCH /webhooks/{app}/{token}/messages/@original`
    EditOriginal(serde_json::Value),
    /// `DELETE /webhooks/{app}/{token}/messages/@original`
    DeleteOriginal,
    /// `POST /webhooks/{app}/{token}` (a follow-up message; flag 64 keeps it private)
    FollowUp(serde_json::Value),
}

/// The calls that deliver `response` after `deferral`.
pub fn finish_plan(deferral: Deferral, response: &Response) -> Vec<Finish> {
    let private = |text: &str| {
        Finish::FollowUp(crate::reply::Reply::refusal(text.to_string()).to_discord_data())
    };
    match (deferral, response) {
        (Deferral::Message, Response::Message(reply) | Response::Update(reply))
            if reply.ephemeral =>
        {
            // The thinking message is public; a private answer replaces it with a follow-up.
            vec![
                Finish::DeleteOriginal,
                Finish::FollowUp(reply.to_discord_data()),
            ]
        }
        (Deferral::Message, Response::Message(reply) | Response::Update(reply)) => {
            vec![Finish::EditOriginal(reply.to_discord_data())]
        }
        // An update replaces the pressed message, public or private (the app answers a
        // pressed public view privately only with a new message, never an update).
        (Deferral::Update, Response::Update(reply)) => {
            vec![Finish::EditOriginal(reply.to_discord_data())]
        }
        (Deferral::Update, Response::Message(reply)) => {
            vec![Finish::FollowUp(reply.to_discord_data())]
        }
        (Deferral::Message, Response::Modal(_)) => vec![
            Finish::DeleteOriginal,
            private("That opens a form, which took too long to prepare: run the command again."),
        ],
        (Deferral::Update, Response::Modal(_)) => vec![private(
            "That opens a form, which took too long to prepare: press the button again.",
        )],
        (_, Response::Choices(_)) => Vec::new(),
    }
}

/// Whether an answer with files is deferred privately: a private answer to a slash command,
/// whose "thinking" message can then be edited into the answer (files can't be added to a
/// follow-up of a deleted public one any better, and this keeps them private from the start).
pub fn private_deferral(deferral: Deferral, response: &Response) -> bool {
    deferral == Deferral::Message && response.reply().is_some_and(|reply| reply.ephemeral)
}

/// The calls that deliver `response` after `deferral`, when the deferral was already private
/// (`private`, see [`private_deferral`]): the answer simply edits it.
pub fn plan_after(deferral: Deferral, private: bool, response: &Response) -> Vec<Finish> {
    match (private, response.reply()) {
        (true, Some(reply)) => vec![Finish::EditOriginal(reply.to_discord_data())],
        _ => finish_plan(deferral, response),
    }
}

/// Delivers a deferred answer, then keeps a live view it posted (a battle, a progress
/// message) fresh. A message body goes as
/// multipart with the answer's files when it has any.
async fn finish(
    endpoint: &Endpoint,
    plan: Vec<Finish>,
    application_id: &str,
    token: &str,
    response: &Response,
) {
    let base = webhook_url(&endpoint.api_base, application_id, token);
    let original = original_url(&endpoint.api_base, application_id, token);
    let mut edited_original = false;
    // The posted message's ids, from the answer to the edit that delivered it.
    let mut message = None;
    let files = response.files();
    let with_body = |request: reqwest::RequestBuilder, body: &serde_json::Value| {
        if files.is_empty() {
            request.json(body)
        } else {
            let (content_type, bytes) = crate::reply::multipart(body, files);
            request.header("content-type", content_type).body(bytes)
        }
    };
    for call in plan {
        let editing = matches!(call, Finish::EditOriginal(_));
        let request = match &call {
            Finish::EditOriginal(body) => {
                edited_original = true;
                with_body(endpoint.http.patch(&original), body)
            }
            Finish::DeleteOriginal => endpoint.http.delete(&original),
            Finish::FollowUp(body) => with_body(endpoint.http.post(&base), body),
        };
        match request.send().await {
            Ok(answer) if answer.status().is_success() => {
                if editing {
                    message = answer
                        .json::<serde_json::Value>()
                        .await
                        .ok()
                        .as_ref()
                        .and_then(crate::live::MessageRef::of);
                }
            }
            Ok(answer) => tracing::warn!(status = %answer.status(), ?call, "follow-up refused"),
            Err(error) => tracing::warn!(%error, "follow-up failed"),
        }
    }
    if let (true, Some(live)) = (edited_original, &endpoint.live) {
        live.watch_response(
            &endpoint.app,
            response,
            application_id.to_string(),
            token.to_string(),
            message,
        );
    }
}
