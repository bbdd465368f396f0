//! The replay feed: a small HTTP endpoint on the running bot that serves one battle's history
//! as a battle file (`GET /battles/<id>`, where `<id>` may be a unique prefix as in the store
//! commands; the format `allspark-replay export` writes), read up
//! to what is durable. sled lets one process open a store, so this is how `allspark-replay`
//! shows, steps through and follows a battle while the bot is running:
//! `allspark-replay step http://127.0.0.1:7878/battles/<id>`.
//!
//! The history includes the seed of a battle that is still open, which players must not see,
//! so the feed is for the operator: it listens on a loopback address only.

use std::net::SocketAddr;

use allspark_engine::battle::replay::{battle_file, resolve_battle, started_battles, Unresolved};
use allspark_engine::battle::BattleId;
use allspark_engine::Engine;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn router(engine: Engine) -> Router {
    Router::new()
        .route("/battles/{id}", get(battle))
        .with_state(engine)
}

async fn battle(State(engine): State<Engine>, Path(id): Path<String>) -> Response {
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

/// Serves the feed on `listen` (a loopback address) until `shutdown` resolves.
pub async fn serve(
    engine: Engine,
    listen: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    check_listen(listen)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "replay feed listening");
    serve_on(engine, listener, shutdown).await
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
