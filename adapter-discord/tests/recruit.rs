//! Recruitment against a loopback stub of the Politics & War GraphQL API and send endpoint:
//! paging to 15,000 nations, the filters, a 429 with its headers then success, a spent budget,
//! timeouts, malformed JSON, an error body, server errors, sends that fail or whose outcome is
//! unknown, the Discord views (goldens checked against Discord's description), and a process
//! killed between `Attempted` and the outcome, then restarted: no second send to that nation.

use crate::support;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use allspark_discord::config::Pnw;
use allspark_discord::recruit::client::{Client, FetchError, SendOutcome};
use allspark_discord::recruit::worker::{send_one, Recruiter, Sent};
use allspark_engine::recruit::view;
use allspark_engine::recruit::{FailReason, NationId, SendStatus};
use allspark_engine::testing::{TestEngine, EPOCH};
use allspark_engine::{PlayerId, Timestamp};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{json, Value};
use support::{first_component, serve_fake, Table};

/// A scripted answer for the next GraphQL request.
#[derive(Clone)]
enum Scripted {
    Status(u16, Vec<(&'static str, String)>, String),
    Sleep(Duration),
}

/// What the stub serves and what it saw.
struct Stub {
    nations: usize,
    /// Instant the nations' activity counts back from.
    base: Timestamp,
    script: Mutex<VecDeque<Scripted>>,
    graphql_requests: AtomicUsize,
    /// Every `to` the send endpoint got, in order.
    sends: Mutex<Vec<u64>>,
    /// Nations whose send is refused, answered 500, or never answered.
    refuse: BTreeSet<u64>,
    error: BTreeSet<u64>,
    hang: BTreeSet<u64>,
    /// Nations whose send is answered 429 with this `Retry-After`.
    limited: BTreeMap<u64, u64>,
    /// A send's form fields, the last one.
    last_form: Mutex<BTreeMap<String, String>>,
}

impl Stub {
    fn new(nations: usize) -> Stub {
        Stub {
            nations,
            base: EPOCH,
            script: Mutex::new(VecDeque::new()),
            graphql_requests: AtomicUsize::new(0),
            sends: Mutex::new(Vec::new()),
            refuse: BTreeSet::new(),
            error: BTreeSet::new(),
            hang: BTreeSet::new(),
            limited: BTreeMap::new(),
            last_form: Mutex::new(BTreeMap::new()),
        }
    }

    fn sends(&self) -> Vec<u64> {
        self.sends.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Nation `i` (from 0): id 1 is the admin nation; every 97th is in vacation mode; nation `i`
/// was last active `i` minutes before the base, so past index 10,080 they are inactive for
/// more than 7 days. Ids are sent as strings, as the API's `ID` type is.
fn nation_json(i: usize, base: Timestamp) -> Value {
    let last = Timestamp(base.0 - i as i64 * 60_000).to_chrono();
    json!({
        "id": (if i == 0 { 1 } else { 1000 + i }).to_string(),
        "nation_name": format!("Nation {i}"),
        "leader_name": format!("Leader {i}"),
        "score": 100.5 + i as f64,
        "num_cities": 1 + i % 20,
        "last_active": last.format("%Y-%m-%dT%H:%M:%S+00:00").to_string(),
        "vacation_mode_turns": if i % 97 == 5 { 3 } else { 0 },
        "alliance_id": "0",
    })
}

fn page_of(query: &str) -> usize {
    query
        .split("page: ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

async fn graphql(State(stub): State<Arc<Stub>>, body: String) -> Response {
    stub.graphql_requests.fetch_add(1, Ordering::SeqCst);
    let scripted = stub.script.lock().ok().and_then(|mut s| s.pop_front());
    match scripted {
        Some(Scripted::Status(status, headers, body)) => {
            let mut map = HeaderMap::new();
            for (name, value) in headers {
                if let Ok(value) = value.parse() {
                    map.insert(name, value);
                }
            }
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            return (status, map, body).into_response();
        }
        Some(Scripted::Sleep(wait)) => tokio::time::sleep(wait).await,
        None => {}
    }
    let query: Value = serde_json::from_str(&body).unwrap_or_default();
    let page = page_of(query["query"].as_str().unwrap_or_default());
    let start = (page - 1) * 500;
    let end = (start + 500).min(stub.nations);
    let data: Vec<Value> = (start..end.max(start))
        .map(|i| nation_json(i, stub.base))
        .collect();
    let more = end < stub.nations;
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-ratelimit-remaining",
        "1000".parse().unwrap_or_else(|_| unreachable!()),
    );
    (
        headers,
        json!({"data":{"nations":{"paginatorInfo":{"currentPage":page,"lastPage":stub.nations.div_ceil(500),"hasMorePages":more},"data":data}}})
            .to_string(),
    )
        .into_response()
}

async fn send(
    State(stub): State<Arc<Stub>>,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Response {
    let to: u64 = form.get("to").and_then(|t| t.parse().ok()).unwrap_or(0);
    if let Ok(mut sends) = stub.sends.lock() {
        sends.push(to);
    }
    if let Ok(mut last) = stub.last_form.lock() {
        *last = form.clone();
    }
    if stub.hang.contains(&to) {
        tokio::time::sleep(Duration::from_secs(3_600)).await;
    }
    if let Some(secs) = stub.limited.get(&to) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            "Too Many Attempts.",
        )
            .into_response();
    }
    if stub.error.contains(&to) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response();
    }
    if stub.refuse.contains(&to) {
        return json!({"success": false, "general_message": "This nation cannot receive messages."})
            .to_string()
            .into_response();
    }
    json!({"success": true, "to": to.to_string(), "cc": null, "subject": form.get("subject")})
        .to_string()
        .into_response()
}

async fn serve(stub: Arc<Stub>) -> String {
    serve_fake(
        axum::Router::new()
            .route("/graphql", post(graphql))
            .route("/send", post(send))
            .with_state(stub),
    )
    .await
}

fn settings(base: &str) -> Pnw {
    Pnw {
        api_key: Some("test-key".to_string()),
        graphql_url: format!("{base}/graphql"),
        send_url: format!("{base}/send"),
        send_interval: Duration::from_millis(5),
        leaders: [7].into_iter().collect(),
        leader_roles: BTreeSet::new(),
        alliance_name: "Iacon Vanguard".to_string(),
        timeout: Duration::from_millis(500),
        ..Pnw::default()
    }
}

fn client(base: &str) -> Client {
    let mut client = Client::new(settings(base));
    client.backoff = Duration::from_millis(10);
    client
}

#[tokio::test]
async fn paging_stops_at_15000_nations_and_the_filters_leave_the_eligible_ones() {
    let stub = Arc::new(Stub::new(16_000));
    let base = serve(stub.clone()).await;
    let pages = AtomicUsize::new(0);
    let fetched = client(&base)
        .fetch_nations(&pages)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fetched.nations.len(), 15_000);
    assert_eq!(fetched.pages, 30);
    assert_eq!(pages.load(Ordering::SeqCst), 30);
    assert_eq!(stub.graphql_requests.load(Ordering::SeqCst), 30);
    assert!(fetched.stopped.is_none());
    // Sorted by last activity, newest first.
    assert!(fetched
        .nations
        .windows(2)
        .all(|w| w[0].last_active >= w[1].last_active));
    // Filtered through the engine, with one nation on cooldown.
    let engine = TestEngine::new();
    let recruiter =
        Arc::new(Recruiter::new(settings(&base)).with_backoff(Duration::from_millis(10)));
    let sent = send_one(
        &engine.engine,
        &client(&base),
        1,
        &fetched.nations[3],
        PlayerId(7),
        "Iacon Vanguard",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(sent, Sent::Delivered(_)));
    let session = recruiter
        .browse(&engine.engine, 7, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let f = &session.filtered;
    assert_eq!(f.admin, 1);
    // Indexes 0..15,000, active within 7 days: 0..=10,080 (10,080 minutes is exactly 7 days).
    // Each nation counts under the first filter that drops it: vacation before inactivity.
    let vacation = |i: &usize| i % 97 == 5;
    assert_eq!(
        f.inactive,
        (10_081..15_000).filter(|i| !vacation(i)).count()
    );
    assert_eq!(f.vacation, (0..15_000).filter(vacation).count());
    let vacation_active = (0..=10_080).filter(vacation).count();
    assert_eq!(f.on_cooldown, 1);
    assert_eq!(
        f.eligible.len(),
        10_081 - 1 - vacation_active - 1,
        "admin, vacation and the nation on cooldown are gone"
    );
    assert_eq!(session.nations.len(), 100);
    assert!(session
        .nations
        .iter()
        .all(|n| n.id != 1 && n.id != fetched.nations[3].id));
}

#[tokio::test]
async fn a_429_is_waited_out_from_its_headers_then_the_fetch_succeeds() {
    let stub = Arc::new(Stub::new(600));
    stub.script
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .push_back(Scripted::Status(
            429,
            vec![
                ("retry-after", "1".to_string()),
                ("x-ratelimit-remaining", "0".to_string()),
            ],
            "Too Many Attempts.".to_string(),
        ));
    let base = serve(stub.clone()).await;
    let started = Instant::now();
    let fetched = client(&base)
        .fetch_nations(&AtomicUsize::new(0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the wait was honoured"
    );
    assert_eq!(fetched.nations.len(), 600);
    assert_eq!(
        stub.graphql_requests.load(Ordering::SeqCst),
        3,
        "429, page 1, page 2"
    );
}

#[tokio::test]
async fn a_spent_budget_stops_the_fetch_cleanly_with_what_it_has() {
    let reset = (chrono::Utc::now().timestamp() + 3_600).to_string();
    let stub = Arc::new(Stub::new(600));
    stub.script
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .push_back(Scripted::Status(
            429,
            vec![("x-ratelimit-reset", reset.clone())],
            String::new(),
        ));
    let base = serve(stub.clone()).await;
    let error = client(&base).fetch_nations(&AtomicUsize::new(0)).await;
    assert!(
        matches!(error, Err(FetchError::BudgetSpent { .. })),
        "{error:?}"
    );
    // A page that spends the budget: it is kept, the fetch stops before the next request
    // and says why.
    let stub2 = Arc::new(Stub::new(600));
    {
        let mut script = stub2.script.lock().unwrap_or_else(|e| panic!("{e}"));
        script.push_back(Scripted::Status(
            200,
            vec![("x-ratelimit-remaining", "0".to_string()), ("x-ratelimit-reset", reset)],
            json!({"data":{"nations":{"paginatorInfo":{"hasMorePages":true},"data":[nation_json(3, EPOCH)]}}}).to_string(),
        ));
    }
    let base2 = serve(stub2.clone()).await;
    let fetched = client(&base2)
        .fetch_nations(&AtomicUsize::new(0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fetched.nations.len(), 1);
    assert!(matches!(
        fetched.stopped,
        Some(FetchError::BudgetSpent { .. })
    ));
    assert_eq!(
        stub2.graphql_requests.load(Ordering::SeqCst),
        1,
        "no request past the budget"
    );
}

#[tokio::test]
async fn timeouts_malformed_json_error_bodies_and_server_errors_are_told_apart() {
    // A timeout on every try.
    let stub = Arc::new(Stub::new(10));
    for _ in 0..4 {
        stub.script
            .lock()
            .unwrap_or_else(|e| panic!("{e}"))
            .push_back(Scripted::Sleep(Duration::from_secs(2)));
    }
    let base = serve(stub.clone()).await;
    let error = client(&base).fetch_nations(&AtomicUsize::new(0)).await;
    assert!(matches!(error, Err(FetchError::Timeout)), "{error:?}");
    assert_eq!(stub.graphql_requests.load(Ordering::SeqCst), 4);
    // Malformed JSON.
    let stub = Arc::new(Stub::new(10));
    stub.script
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .push_back(Scripted::Status(
            200,
            Vec::new(),
            "{\"data\": {\"nations\": [".to_string(),
        ));
    let base = serve(stub.clone()).await;
    let error = client(&base).fetch_nations(&AtomicUsize::new(0)).await;
    assert!(matches!(error, Err(FetchError::Malformed)), "{error:?}");
    // A GraphQL error body with HTTP 200.
    let stub = Arc::new(Stub::new(10));
    stub.script.lock().unwrap_or_else(|e| panic!("{e}")).push_back(Scripted::Status(
        200,
        Vec::new(),
        json!({"errors":[{"message":"The API key you provided does not allow whitelisted access.","extensions":{"code":"x"}}]}).to_string(),
    ));
    let base = serve(stub.clone()).await;
    match client(&base).fetch_nations(&AtomicUsize::new(0)).await {
        Err(FetchError::Api(message)) => assert!(message.contains("whitelisted"), "{message}"),
        other => panic!("expected the API's error, got {other:?}"),
    }
    // A server error, then success: retried.
    let stub = Arc::new(Stub::new(10));
    stub.script
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .push_back(Scripted::Status(502, Vec::new(), "bad gateway".to_string()));
    let base = serve(stub.clone()).await;
    let fetched = client(&base)
        .fetch_nations(&AtomicUsize::new(0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fetched.nations.len(), 10);
    assert_eq!(stub.graphql_requests.load(Ordering::SeqCst), 2);
    // An invalid key.
    let stub = Arc::new(Stub::new(10));
    stub.script
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .push_back(Scripted::Status(401, Vec::new(), String::new()));
    let base = serve(stub.clone()).await;
    let error = client(&base).fetch_nations(&AtomicUsize::new(0)).await;
    assert!(matches!(error, Err(FetchError::Unauthorized)), "{error:?}");
    // Nobody listening: the error never quotes the URL, which carries the key.
    let error = client("http://127.0.0.1:9")
        .fetch_nations(&AtomicUsize::new(0))
        .await;
    match error {
        Err(FetchError::Transport(text)) => assert!(!text.contains("test-key"), "{text}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_send_releases_the_nation_and_an_unknown_one_holds_it_for_review() {
    let mut stub = Stub::new(10);
    stub.refuse.insert(1_002);
    stub.error.insert(1_003);
    let stub = Arc::new(stub);
    let base = serve(stub.clone()).await;
    let engine = TestEngine::new();
    let c = client(&base);
    let fetched = c
        .fetch_nations(&AtomicUsize::new(0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let nation = |id: u64| {
        fetched
            .nations
            .iter()
            .find(|n| n.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("no nation {id}"))
    };
    let send = |n| {
        let engine = engine.engine.clone();
        let c = c.clone();
        async move {
            send_one(&engine, &c, 9, &n, PlayerId(7), "Iacon Vanguard")
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let delivered = send(nation(1_001)).await;
    let refused = send(nation(1_002)).await;
    let unknown = send(nation(1_003)).await;
    assert!(matches!(delivered, Sent::Delivered(_)));
    assert!(matches!(refused, Sent::Failed(_)));
    assert!(matches!(unknown, Sent::Unknown(_)));
    // The form carried the key, the nation and a filled template.
    let form = stub.last_form.lock().map(|f| f.clone()).unwrap_or_default();
    assert_eq!(form.get("key").map(String::as_str), Some("test-key"));
    assert_eq!(form.get("to").map(String::as_str), Some("1003"));
    assert!(
        form.get("message").is_some_and(|m| m.contains("Leader 3")),
        "{form:?}"
    );
    assert!(form.get("subject").is_some_and(|s| s.chars().count() <= 50));
    let now = engine.engine.now();
    let (stats, free) = engine
        .engine
        .query(move |w| {
            (
                view::stats(w, now),
                [1_001, 1_002, 1_003].map(|n| view::can_message(w, NationId(n), now)),
            )
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        free,
        [false, true, false],
        "only the refused nation is free again"
    );
    assert_eq!(stats.awaiting_total, 1);
    assert_eq!(stats.awaiting[0].nation, NationId(1_003));
    assert_eq!(stats.awaiting[0].status, SendStatus::Attempted);
    assert_eq!(
        stats.recent[1].status,
        SendStatus::Failed(FailReason::Refused)
    );
    // The same attempt asked again (a redelivered press) sends nothing.
    let again = send(nation(1_001)).await;
    assert_eq!(again, Sent::Skipped);
    assert_eq!(stub.sends(), vec![1_001, 1_002, 1_003]);
    // A definite send failure from the client's side: nobody listening.
    let nobody = client("http://127.0.0.1:9");
    assert!(matches!(
        nobody.send(5, "s", "b").await,
        SendOutcome::Failed {
            reason: FailReason::Unreachable,
            ..
        }
    ));
}

async fn wait_for_run(table: &Table) {
    for _ in 0..500 {
        if table.app.recruit.job().is_some_and(|j| j.progress().done) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the send run did not finish");
}

#[tokio::test]
async fn leaders_browse_recruit_a_page_and_mass_recruit_from_discord() {
    let mut goldens: Vec<(&str, Value)> = Vec::new();
    let mut table = Table::new();
    goldens.push(("recruit_not_configured", table.slash(7, "recruit").await));
    goldens.push((
        "recruitment_stats_empty",
        table.slash(7, "recruitment_stats").await,
    ));
    let mut stub = Stub::new(40);
    stub.refuse.insert(1_004);
    let stub = Arc::new(stub);
    let base = serve(stub.clone()).await;
    table.app = table
        .app
        .clone()
        .with_recruitment(Recruiter::new(settings(&base)).with_backoff(Duration::from_millis(10)));
    goldens.push(("recruit_not_a_leader", table.slash(8, "recruit").await));
    let browse = table.slash(7, "recruit").await;
    goldens.push(("recruit_browse", browse.clone()));
    let (next, _) = first_component(&browse, "Next");
    let page2 = table.press(7, &next, &[]).await;
    goldens.push(("recruit_browse_page_2", page2));
    // Someone else's list is not theirs to press, even for another leader.
    let (send_page, _) = first_component(&browse, "🎯 Recruit This Page");
    let theirs = table.press(8, &send_page, &[]).await;
    assert_eq!(theirs["data"]["flags"], 64, "{theirs}");
    table.press(7, &send_page, &[]).await;
    wait_for_run(&table).await;
    let (progress, _) = first_component(&browse, "📊 Progress");
    goldens.push(("recruit_page_sent", table.press(7, &progress, &[]).await));
    // Nations 1 (admin) and 0..: the first page holds 10 eligible nations.
    assert_eq!(stub.sends().len(), 10);
    // Pressing the same page again sends nothing: every nation on it is on cooldown, except
    // the one the game refused, which is free again.
    table.press(7, &send_page, &[]).await;
    wait_for_run(&table).await;
    assert_eq!(stub.sends().len(), 11);
    assert_eq!(stub.sends().iter().filter(|n| **n == 1_004).count(), 2);
    // Mass recruit from a fresh list: the rest.
    let fresh = table.slash(7, "recruit").await;
    let (all, _) = first_component(&fresh, "🚀 Mass Recruit All Shown");
    table.press(7, &all, &[]).await;
    wait_for_run(&table).await;
    let sent = stub.sends();
    let unique: BTreeSet<u64> = sent.iter().copied().collect();
    assert_eq!(
        unique.len(),
        38,
        "every nation but the admin and one in vacation"
    );
    assert_eq!(
        sent.len(),
        38 + 2,
        "only the refused nation was sent to again"
    );
    let stats = table.slash(7, "recruitment_stats").await;
    goldens.push(("recruitment_stats", stats));
    for (name, body) in goldens {
        insta::assert_json_snapshot!(name, body);
    }
}

#[tokio::test]
async fn stop_ends_a_mass_recruit_between_sends() {
    let stub = Arc::new(Stub::new(40));
    let base = serve(stub.clone()).await;
    let mut table = Table::new();
    let mut slow = settings(&base);
    slow.send_interval = Duration::from_millis(200);
    table.app = table.app.clone().with_recruitment(Recruiter::new(slow));
    let browse = table.slash(7, "recruit").await;
    let (all, _) = first_component(&browse, "🚀 Mass Recruit All Shown");
    let started = table.press(7, &all, &[]).await;
    let (stop, _) = first_component(&started, "⏹ Stop");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopping = table.press(7, &stop, &[]).await;
    assert!(stopping.to_string().contains("Stopping"), "{stopping}");
    wait_for_run(&table).await;
    let p = table.app.recruit.job().map(|j| j.progress());
    let p = p.unwrap_or_else(|| panic!("no run"));
    assert!(p.done && p.remaining > 0, "{p:?}");
    assert_eq!(stub.sends().len(), p.sent);
    assert!(p.sent < 38);
}

#[tokio::test]
async fn a_rate_limited_send_pauses_the_run_and_a_long_limit_ends_it() {
    let mut stub = Stub::new(12);
    stub.limited.insert(1_002, 1);
    stub.limited.insert(1_006, 3_600);
    let stub = Arc::new(stub);
    let base = serve(stub.clone()).await;
    let mut table = Table::new();
    table.app = table
        .app
        .clone()
        .with_recruitment(Recruiter::new(settings(&base)));
    let browse = table.slash(7, "recruit").await;
    let (all, _) = first_component(&browse, "🚀 Mass Recruit All Shown");
    let started = Instant::now();
    table.press(7, &all, &[]).await;
    wait_for_run(&table).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the 429 was waited out"
    );
    // 1001, 1002 (429, wait 1 s), 1003, 1004, then 1006 asks for an hour: the run ends there.
    assert_eq!(stub.sends(), vec![1_001, 1_002, 1_003, 1_004, 1_006]);
    let p = table.app.recruit.job().map(|j| j.progress());
    let p = p.unwrap_or_else(|| panic!("no run"));
    assert_eq!((p.sent, p.failed), (3, 2), "{p:?}");
    assert!(p.ended.is_some_and(|e| e.contains("rate-limiting")));
    // A 429 delivered nothing: both nations are free again.
    let now = table.engine.engine.now();
    let free = table
        .engine
        .engine
        .query(move |w| [1_002, 1_006].map(|n| view::can_message(w, NationId(n), now)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(free, [true, true]);
}

/// Runs `allspark console` on `data` with the stub's URLs, feeding `lines` one at a time.
/// The list has one page here, so its buttons are Refresh (1), Recruit This Page (2) and Mass
/// Recruit All Shown (3).
fn console(data: &std::path::Path, base: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_allspark"))
        .arg("console")
        .arg("--data")
        .arg(data)
        .env("ALLSPARK_SECRET", "recruitment-crash-test-secret")
        .env("PNW_API_KEY", "test-key")
        .env("PNW_GRAPHQL_URL", format!("{base}/graphql"))
        .env("PNW_SEND_URL", format!("{base}/send"))
        .env("PNW_SEND_INTERVAL_MS", "5")
        .env("PNW_LEADERS", "1")
        .env("PNW_INACTIVE_DAYS", "100000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"))
}

#[tokio::test]
async fn a_process_killed_between_attempt_and_outcome_never_sends_to_that_nation_again() {
    use std::io::Write;
    let mut stub = Stub::new(12);
    // Nation 1003 is the third on the list (the most recently active first); its send never
    // gets an answer.
    stub.hang.insert(1_003);
    let stub = Arc::new(stub);
    let base = serve(stub.clone()).await;
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut child = console(data.path(), &base);
    {
        let stdin = child.stdin.as_mut().unwrap_or_else(|| panic!("stdin"));
        let _ = stdin.write_all(b"/recruit\npress 2\n");
        let _ = stdin.flush();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while !stub.sends().contains(&1_003) {
        assert!(
            Instant::now() < deadline,
            "the send to 1003 never left: {:?}",
            stub.sends()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The request is in flight: SIGKILL, no chance to record anything more.
    let _ = child.kill();
    let _ = child.wait();
    let before = stub.sends();
    assert_eq!(before.iter().filter(|n| **n == 1_003).count(), 1);
    // Restart and recruit everything shown, then read the stats.
    let mut child = console(data.path(), &base);
    {
        let stdin = child.stdin.as_mut().unwrap_or_else(|| panic!("stdin"));
        let _ = stdin.write_all(b"/recruit\npress 3\n");
        let _ = stdin.flush();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    // 10 nations can be messaged (not the admin, not 1005 in vacation mode); 1001, 1002 and
    // 1003 were attempted before the kill, so 7 are left.
    while stub.sends().len() < before.len() + 7 {
        assert!(
            Instant::now() < deadline,
            "the run did not finish: {:?}",
            stub.sends()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let output = {
        let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("stdin"));
        let _ = stdin.write_all(b"/recruitment_stats\nquit\n");
        drop(stdin);
        child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
    };
    let sends = stub.sends();
    assert_eq!(
        sends.iter().filter(|n| **n == 1_003).count(),
        1,
        "no second send to the nation whose outcome was lost: {sends:?}"
    );
    let unique: BTreeSet<u64> = sends.iter().copied().collect();
    assert_eq!(
        unique.len(),
        sends.len(),
        "nobody was messaged twice: {sends:?}"
    );
    assert_eq!(unique.len(), 10);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Awaiting review (1)"), "{text}");
    assert!(text.contains("nation 1003"), "{text}");
}

#[test]
fn a_member_with_a_leader_role_may_recruit_and_others_may_not() {
    use allspark_discord::interaction::{parse, Incoming};
    let mut payload = support::slash(55, 300, "recruit", &[]);
    payload["member"]["roles"] = json!(["900", "901"]);
    let Ok(Incoming::Invocation { invocation, .. }) = parse(payload.to_string().as_bytes(), None)
    else {
        panic!("not an invocation")
    };
    assert_eq!(invocation.roles, vec![900, 901]);
    let mut pnw = settings("http://127.0.0.1:9");
    pnw.leader_roles = [901].into_iter().collect();
    let recruiter = Recruiter::new(pnw);
    assert!(recruiter.is_leader(300, &invocation.roles, false));
    assert!(!recruiter.is_leader(300, &[900], false));
    assert!(recruiter.is_leader(7, &[], false), "a listed leader");
    assert!(recruiter.is_leader(1, &[], true), "the operator");
}

#[tokio::test]
async fn a_running_send_keeps_its_progress_message_live_until_it_is_done() {
    let stub = Arc::new(Stub::new(12));
    let base = serve(stub.clone()).await;
    let mut table = Table::new();
    let mut paced = settings(&base);
    paced.send_interval = Duration::from_millis(300);
    table.app = table.app.clone().with_recruitment(Recruiter::new(paced));
    // A fake of Discord's webhook endpoint, keeping every edit.
    let edits: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let seen = edits.clone();
    let discord = serve_fake(axum::Router::new().fallback(
        move |uri: axum::http::Uri, body: String| {
            let seen = seen.clone();
            async move {
                if let Ok(mut seen) = seen.lock() {
                    seen.push((uri.path().to_string(), body));
                }
                "{}"
            }
        },
    ))
    .await;
    let live =
        allspark_discord::live::Live::new(table.app.clone(), reqwest::Client::new(), discord);
    let browse = table.slash(7, "recruit").await;
    let (all, _) = first_component(&browse, "🚀 Mass Recruit All Shown");
    let started = table
        .app
        .handle(allspark_discord::invocation::Invocation {
            id: allspark_engine::CommandId(5_000),
            user: 7,
            operator: false,
            roles: Vec::new(),
            place: Default::default(),
            kind: allspark_discord::invocation::Kind::Press {
                custom_id: all,
                values: Vec::new(),
            },
        })
        .await;
    assert!(allspark_discord::recruit::shown_run(&table.app, &started));
    assert!(!allspark_discord::recruit::shown_run(
        &table.app,
        &allspark_discord::reply::Response::Message(allspark_discord::reply::Reply::text("x"))
    ));
    live.watch_run("1100".to_string(), "tok".to_string());
    wait_for_run(&table).await;
    tokio::time::sleep(allspark_discord::live::RUN_REFRESH + Duration::from_millis(800)).await;
    let edits = edits.lock().map(|e| e.clone()).unwrap_or_default();
    assert!(!edits.is_empty(), "no live edit");
    assert!(edits
        .iter()
        .all(|(path, _)| path == "/webhooks/1100/tok/messages/@original"));
    let (_, last) = edits.last().cloned().unwrap_or_default();
    let last: Value = serde_json::from_str(&last).unwrap_or_default();
    assert_eq!(last["embeds"][0]["description"], "Finished.", "{last}");
    assert_eq!(last["embeds"][0]["fields"][0]["value"], "10", "{last}");
}

/// Issue 22: a fetch in progress shows progress. A slow fetch (30 pages) answers within
/// Discord's window with how far it has got; pressing Show the list before it is done shows it
/// further along; the live message ends on the list itself.
#[tokio::test]
async fn a_slow_fetch_shows_its_progress_then_the_list() {
    let stub = Arc::new(Stub::new(15_000));
    if let Ok(mut script) = stub.script.lock() {
        for _ in 0..30 {
            script.push_back(Scripted::Sleep(Duration::from_millis(150)));
        }
    }
    let base = serve(stub.clone()).await;
    let mut table = Table::new();
    table.app = table
        .app
        .clone()
        .with_recruitment(Recruiter::new(settings(&base)));
    let edits: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = edits.clone();
    let discord = serve_fake(axum::Router::new().fallback(move |body: String| {
        let seen = seen.clone();
        async move {
            if let Ok(mut seen) = seen.lock() {
                seen.push(body);
            }
            "{}"
        }
    }))
    .await;
    let live =
        allspark_discord::live::Live::new(table.app.clone(), reqwest::Client::new(), discord);
    let response = table
        .app
        .handle(allspark_discord::invocation::Invocation {
            id: allspark_engine::CommandId(6_000),
            user: 7,
            operator: false,
            roles: Vec::new(),
            place: Default::default(),
            kind: allspark_discord::invocation::Kind::Slash {
                name: "recruit".into(),
                options: Default::default(),
            },
        })
        .await;
    let first = response.to_discord();
    let content = first["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(content.starts_with("Fetching nations"), "{first}");
    assert!(content.contains("of at most 30"), "{first}");
    let pages = |text: &str| -> usize {
        text.split("page ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(usize::MAX)
    };
    let at_first = pages(&content);
    assert!(at_first < 30, "{content}");
    let session = allspark_discord::recruit::shown_fetch(&table.app, &response)
        .unwrap_or_else(|| panic!("a fetch view is not kept live: {first}"));
    live.watch_fetch(session, "1200".to_string(), "tok".to_string());
    // Pressed a little later, the button shows the fetch further along.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let (show, _) = first_component(&first, "Show the list");
    let later = table.press(7, &show, &[]).await;
    let later_text = later["data"]["content"].as_str().unwrap_or_default();
    assert!(pages(later_text) > at_first, "{later_text} after {content}");
    // Once done, the same button shows the list, and so does the live message's last edit.
    let mut list = Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        list = table.press(7, &show, &[]).await;
        if !list.to_string().contains("Fetching nations") {
            break;
        }
    }
    assert!(list.to_string().contains("Recruit This Page"), "{list}");
    tokio::time::sleep(allspark_discord::live::RUN_REFRESH + Duration::from_millis(800)).await;
    let edits = edits.lock().map(|e| e.clone()).unwrap_or_default();
    assert!(
        edits.iter().any(|e| e.contains("Fetching nations")),
        "no progress edit: {edits:?}"
    );
    assert!(
        edits
            .last()
            .is_some_and(|e| e.contains("Recruit This Page")),
        "the live message did not end on the list: {edits:?}"
    );
}
