//! The public web pages: every battle as it happened or as it runs, the recent and running
//! battles, the rated ladder and each player's record (`--web-listen ADDR`).
//!
//! What a page shows is public by design: it is drawn from the same read models as Discord's
//! views (no seed of an open battle, no text of an erased player: names come from the erasable
//! store, which forgets them) and only battles that started exist here. Pages are whole without
//! scripts (the turn log is in the HTML); `battle.js` adds stepping, playback and live follow
//! over Server-Sent Events (`live.rs`). The stylesheet and the script are embedded in the binary
//! and served under names that carry their digest, so they are cached for good; every response
//! gets a Content-Security-Policy with no inline scripts or styles, `nosniff`, and no framing.
//! Requests with a body, an overlong target or past a peer's rate are refused before routing.

mod live;
mod pages;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::app::App;

pub use live::Spectators;

/// How much one peer (by address) may ask: a bucket of `burst` requests refilled at `per_second`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub per_second: u32,
    pub burst: u32,
}

impl Default for Limits {
    /// A page and its assets are four requests; a person reading pages stays far below this.
    fn default() -> Self {
        Limits {
            per_second: 10,
            burst: 60,
        }
    }
}

/// The longest request target served (path and query).
pub const TARGET_MAX: usize = 2_048;

/// Peers the rate limiter remembers at most; past this the fullest buckets are forgotten.
const PEERS_MAX: usize = 10_000;

/// An embedded asset: its name as served (with its digest) and its bytes.
struct Asset {
    path: String,
    content_type: &'static str,
    body: &'static str,
}

fn asset(stem: &str, ext: &str, content_type: &'static str, body: &'static str) -> Asset {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
    Asset {
        path: format!("/assets/{stem}-{digest}.{ext}"),
        content_type,
        body,
    }
}

/// The site's shared state.
#[derive(Clone)]
pub(crate) struct Site {
    pub app: App,
    pub spectators: Arc<Spectators>,
    assets: Arc<[Asset; 2]>,
    limiter: Arc<Limiter>,
}

impl Site {
    pub fn css(&self) -> &str {
        &self.assets[0].path
    }

    pub fn js(&self) -> &str {
        &self.assets[1].path
    }
}

/// The web pages over `app`'s engine.
pub fn router(app: App, limits: Limits) -> Router {
    let spectators = Arc::new(Spectators::new(app.clone()));
    let site = Site {
        app,
        spectators,
        assets: Arc::new([
            asset(
                "site",
                "css",
                "text/css; charset=utf-8",
                include_str!("assets/site.css"),
            ),
            asset(
                "battle",
                "js",
                "text/javascript; charset=utf-8",
                include_str!("assets/battle.js"),
            ),
        ]),
        limiter: Arc::new(Limiter::new(limits)),
    };
    Router::new()
        .route("/", get(|| async { Redirect::to("/battles") }))
        .route("/battles", get(battles))
        .route("/battles/{id}", get(battle))
        .route("/battles/{id}/live", get(live::stream))
        .route("/ladder", get(ladder))
        .route("/players/{id}", get(player))
        .route("/assets/{name}", get(asset_file))
        .fallback(|State(site): State<Site>| async move {
            pages::not_found(&site, "There is no such page.")
        })
        .layer(axum::middleware::from_fn_with_state(site.clone(), guard))
        .layer(axum::middleware::from_fn(headers))
        .with_state(site)
}

/// Serves the pages on a socket already bound, with these limits, until `shutdown` resolves.
pub async fn serve_on(
    app: App,
    listener: tokio::net::TcpListener,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router(app, limits).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Links Discord shows may be this long at most; the published address leaves room for ids.
pub const PUBLIC_URL_MAX: usize = 400;

/// The published address as given, checked: an http(s) URL short enough for Discord's links.
pub fn check_public_url(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("`{url}` is not an http:// or https:// address"));
    }
    if url.len() > PUBLIC_URL_MAX || url.chars().any(char::is_whitespace) {
        return Err(format!(
            "an address without spaces and at most {PUBLIC_URL_MAX} characters, please"
        ));
    }
    Ok(url.to_string())
}

/// The link to a battle's page, when the bot knows its public address.
pub fn battle_url(base: &str, battle: allspark_engine::battle::BattleId) -> String {
    format!("{}/battles/{battle}", base.trim_end_matches('/'))
}

/// The link to a player's page.
pub fn player_url(base: &str, player: allspark_engine::PlayerId) -> String {
    format!("{}/players/{player}", base.trim_end_matches('/'))
}

/// Refuses what no page needs before it is routed: a body, a target past [`TARGET_MAX`], and
/// a peer past its rate.
async fn guard(State(site): State<Site>, request: Request, next: Next) -> Response {
    let has_body = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|length| length.as_bytes() != b"0")
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        return plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "These pages take no request body.",
        );
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target > TARGET_MAX {
        return plain(StatusCode::URI_TOO_LONG, "That address is too long.");
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        if let Err(wait) = site.limiter.take(peer, Instant::now()) {
            let mut response = plain(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests; slow down a little.",
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(wait.as_secs().max(1)),
            );
            return response;
        }
    }
    next.run(request).await
}

/// The headers every response carries.
async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-cache");
    }
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

async fn asset_file(State(site): State<Site>, Path(name): Path<String>) -> Response {
    let wanted = format!("/assets/{name}");
    match site.assets.iter().find(|asset| asset.path == wanted) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                // The name carries the digest: a changed file is a new name.
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.body,
        )
            .into_response(),
        None => pages::not_found(&site, "There is no such file."),
    }
}

/// The filters of the battle list.
#[derive(serde::Deserialize, Default)]
pub(crate) struct ListQuery {
    pub mode: Option<String>,
    pub player: Option<String>,
}

async fn battles(State(site): State<Site>, Query(query): Query<ListQuery>) -> Response {
    pages::battles(&site, query).await
}

async fn battle(State(site): State<Site>, Path(id): Path<String>) -> Response {
    match pages::battle_id(&id) {
        Some(battle) => pages::battle(&site, battle).await,
        None => pages::not_found(&site, "There is no such battle."),
    }
}

async fn ladder(State(site): State<Site>) -> Response {
    pages::ladder(&site).await
}

async fn player(State(site): State<Site>, Path(id): Path<String>) -> Response {
    match id.parse::<u64>() {
        Ok(player) => pages::player(&site, allspark_engine::PlayerId(player)).await,
        Err(_) => pages::not_found(&site, "There is no such player."),
    }
}

/// A token bucket per peer address.
struct Limiter {
    limits: Limits,
    buckets: Mutex<std::collections::BTreeMap<std::net::IpAddr, (f64, Instant)>>,
}

impl Limiter {
    fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            buckets: Mutex::new(Default::default()),
        }
    }

    /// Takes one request from `peer`'s bucket, or says how long until one is there.
    fn take(&self, peer: std::net::IpAddr, now: Instant) -> Result<(), std::time::Duration> {
        let burst = f64::from(self.limits.burst.max(1));
        let rate = f64::from(self.limits.per_second.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= PEERS_MAX && !buckets.contains_key(&peer) {
            // Full buckets are peers that have been quiet: forgetting them changes nothing.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(peer).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(std::time::Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_gets_its_burst_then_waits_for_the_refill() {
        let limiter = Limiter::new(Limits {
            per_second: 2,
            burst: 3,
        });
        let peer: std::net::IpAddr = [127, 0, 0, 1].into();
        let other: std::net::IpAddr = [127, 0, 0, 2].into();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take(peer, start).is_ok());
        }
        let wait = limiter.take(peer, start).unwrap_err();
        assert!(wait.as_millis() > 0 && wait.as_millis() <= 500, "{wait:?}");
        // Another peer has its own bucket.
        assert!(limiter.take(other, start).is_ok());
        // Half a second refills one request at two a second.
        let later = start + std::time::Duration::from_millis(500);
        assert!(limiter.take(peer, later).is_ok());
        assert!(limiter.take(peer, later).is_err());
    }

    #[test]
    fn links_join_the_base_without_doubling_its_slash() {
        let battle = allspark_engine::battle::BattleId(0xab);
        assert_eq!(
            battle_url("https://example.org/", battle),
            format!("https://example.org/battles/{battle}")
        );
        assert_eq!(
            player_url("https://example.org", allspark_engine::PlayerId(7)),
            "https://example.org/players/7"
        );
    }
}
