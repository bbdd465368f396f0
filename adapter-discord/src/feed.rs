//! The replay feed: a small HTTP endpoint on the running bot that serves one battle's history
//! as a battle file (`GET /battles/<id>`, where `<id>` may be a unique prefix as in the store
//! commands; the format `allspark-replay export` writes), read up
//! to what is durable. sled lets one process open a store, so this is how `allspark-replay`
//! shows, steps through and follows a battle while the bot is running:
//! `allspark-replay step http://127.0.0.1:7878/battles/<id>`.
//!
//! The history includes the seed of a battle that is still open, which players must not see,
//! so the feed is for the operator: it listens on a loopback address only.
//!
//! `GET /backup` serves a backup of the whole store (`allspark_engine::backup`: the log up to a
//! point the core hands out between two batches, and every personal text as it stood then) to
//! `allspark backup`, without stopping the bot. A backup holds people's text, so it also asks for
//! `Authorization: Bearer <token>`, where the token ([`backup_token`]) is derived from the
//! server secret: only someone who can read the bot's secret (its data directory, or its
//! `ALLSPARK_SECRET`) gets one, not just anyone on the machine.

use std::net::SocketAddr;

use allspark_engine::battle::replay::{battle_file, resolve_battle, started_battles, Unresolved};
use allspark_engine::battle::BattleId;
use allspark_engine::Engine;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

#[derive(Clone)]
struct Feed {
    engine: Engine,
    /// The token `/backup` asks for; none: no backups served.
    backup_token: Option<String>,
}

pub fn router(engine: Engine) -> Router {
    router_with(engine, None)
}

/// The feed, serving backups to whoever shows `backup_token`.
pub fn router_with(engine: Engine, backup_token: Option<String>) -> Router {
    Router::new()
        .route("/battles/{id}", get(battle))
        .route("/backup", get(backup))
        .with_state(Feed {
            engine,
            backup_token,
        })
}

/// The token `/backup` asks for: SHA-256 over a purpose and the server secret, in hex.
pub fn backup_token(secret: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(b"allspark/backup-token/v1");
    hasher.update(secret);
    hex::encode(hasher.finalize())
}

/// Compares without stopping at the first different byte.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn backup(State(feed): State<Feed>, headers: axum::http::HeaderMap) -> Response {
    let Some(expected) = &feed.backup_token else {
        return (StatusCode::NOT_FOUND, "backups are not served here").into_response();
    };
    let shown = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same(shown, expected) {
        return (
            StatusCode::UNAUTHORIZED,
            "a backup needs the operator's token",
        )
            .into_response();
    }
    let point = match feed.engine.backup_point().await {
        Ok(point) => point,
        Err(error) => {
            return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response();
        }
    };
    let log = feed.engine.log().clone();
    let written = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        allspark_engine::backup::write(log.as_ref(), &point, &mut bytes).map(|_| bytes)
    })
    .await;
    match written {
        Ok(Ok(bytes)) => {
            tracing::info!(bytes = bytes.len(), "backup served");
            ([("content-type", "application/octet-stream")], bytes).into_response()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "backup failed");
            (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the backup writer failed",
        )
            .into_response(),
    }
}

async fn battle(State(feed): State<Feed>, Path(id): Path<String>) -> Response {
    let engine = feed.engine;
    let Ok(durable) = engine.query(|w| w.last_seq).await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "the engine has stopped").into_response();
    };
    let log = engine.log().clone();
    let found = tokio::task::spawn_blocking(move || {
        // A whole id is read at once; anything shorter is a prefix, resolved over the battles
        // started so far the way `allspark-replay`'s store commands resolve one.
        let battle = match id.parse::<BattleId>() {
            Ok(battle) if id.len() == 32 => battle,
            _ => {
                let ids: Vec<BattleId> = started_battles(log.as_ref(), durable)?
                    .into_iter()
                    .map(|(battle, _)| battle)
                    .collect();
                match resolve_battle(&ids, &id) {
                    Ok(battle) => battle,
                    Err(unresolved) => return Ok(Err(unresolved)),
                }
            }
        };
        battle_file(log.as_ref(), battle, durable).map(|file| Ok((battle, file)))
    })
    .await;
    match found {
        Ok(Ok(Ok((_, Some(file))))) => Json(file).into_response(),
        Ok(Ok(Ok((battle, None)))) => {
            (StatusCode::NOT_FOUND, format!("no battle {battle}")).into_response()
        }
        Ok(Ok(Err(unresolved @ Unresolved::NotFound { .. }))) => {
            (StatusCode::NOT_FOUND, unresolved.to_string()).into_response()
        }
        Ok(Ok(Err(unresolved @ Unresolved::Ambiguous { .. }))) => {
            (StatusCode::BAD_REQUEST, unresolved.to_string()).into_response()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "replay feed: cannot read the log");
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the log").into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the reader failed").into_response(),
    }
}

/// Refuses an address that isn't loopback: the feed serves the seeds of open battles.
pub fn check_listen(listen: SocketAddr) -> anyhow::Result<()> {
    if !listen.ip().is_loopback() {
        anyhow::bail!(
            "the replay feed serves the seeds of open battles, so it listens on loopback only \
             (127.0.0.1 or ::1), not {listen}"
        );
    }
    Ok(())
}

/// Serves the feed on `listen` (a loopback address) until `shutdown` resolves; backups to
/// whoever shows `backup_token`.
pub async fn serve(
    engine: Engine,
    listen: SocketAddr,
    backup_token: Option<String>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    check_listen(listen)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "replay feed listening");
    axum::serve(listener, router_with(engine, backup_token))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// [`serve`] on a socket already bound.
pub async fn serve_on(
    engine: Engine,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router(engine))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
