//! `allspark serve`: Discord's HTTP interactions endpoint.
//!
//! Every request must carry a valid Ed25519 signature (over timestamp and body, with the
//! application's public key) or it is answered 401 before anything else happens; Discord probes
//! this with bad signatures and disables endpoints that accept them. PING gets PONG; a body that
//! is not an interaction gets 400; bodies over [`BODY_LIMIT_BYTES`] get 413. Work that takes
//! longer than [`DEFER_AFTER`] is deferred (type 5) and finished with a follow-up through the
//! REST API, whose base URL is configurable so tests point it at a local fake.

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
}

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
    axum::serve(listener, router(endpoint))
        .with_graceful_shutdown(shutdown)
        .await
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
        } => (invocation, token, application_id),
    };
    let app = endpoint.app.clone();
    let mut work = tokio::spawn(async move { app.handle(invocation).await });
    // A zero threshold always defers (operators use it to force follow-ups; tests rely on it).
    let answered = if endpoint.defer_after.is_zero() {
        Err(())
    } else {
        tokio::time::timeout(endpoint.defer_after, &mut work)
            .await
            .map_err(|_| ())
    };
    match answered {
        Ok(Ok(response)) => {
            if let (Some(live), Some(battle)) = (&endpoint.live, response.battle()) {
                live.watch(battle, application_id, token);
            }
            Json(response.to_discord()).into_response()
        }
        Ok(Err(_)) => (StatusCode::INTERNAL_SERVER_ERROR, "the handler failed").into_response(),
        Err(()) => {
            // Too slow for the 3-second window: defer now, follow up when done.
            let endpoint = endpoint.clone();
            tokio::spawn(async move {
                if let Ok(response) = work.await {
                    follow_up(&endpoint, &application_id, &token, &response).await;
                }
            });
            Json(json!({ "type": 5 })).into_response()
        }
    }
}

/// Edits the deferred reply (`PATCH /webhooks/{application}/{token}/messages/@original`).
async fn follow_up(endpoint: &Endpoint, application_id: &str, token: &str, response: &Response) {
    let Some(reply) = response.reply() else {
        return;
    };
    let url = format!(
        "{}/webhooks/{application_id}/{token}/messages/@original",
        endpoint.api_base.trim_end_matches('/')
    );
    match endpoint
        .http
        .patch(&url)
        .json(&reply.to_discord_data())
        .send()
        .await
    {
        Ok(answer) if answer.status().is_success() => {}
        Ok(answer) => tracing::warn!(status = %answer.status(), "follow-up refused"),
        Err(error) => tracing::warn!(%error, "follow-up failed"),
    }
}
