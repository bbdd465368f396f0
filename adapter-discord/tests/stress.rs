//! The operator's stress test (issue 21), started from `/monitor`: it runs on a scratch engine
//! of its own and never touches the live store, counts an outcome for every command it sends,
//! deletes its scratch store, refuses anyone but the operator and a second run while one goes,
//! and shows its progress live on Discord (HTTP endpoint) and as lines in the console. Nothing
//! here asserts on a timing: the counts, the shapes and the store are checked; the goldens
//! draw fixed numbers. Every reply is checked against Discord's description by the table.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use allspark_discord::admin::render::{stress_line, stress_menu, stress_view};
use allspark_discord::reply::Response;
use allspark_discord::stress::{Progress, Run, Size, State, Work, WorkCount};
use serde_json::{json, Value};
use support::{check_callback, first_component, Table};

/// A generous bound on a run, so a broken run fails the test instead of hanging it.
const RUN_BOUND: Duration = Duration::from_secs(300);

async fn finished(run: &Run) {
    if tokio::time::timeout(RUN_BOUND, run.finished())
        .await
        .is_err()
    {
        panic!("the stress run did not end: {:?}", run.progress());
    }
}

fn text(body: &Value) -> String {
    body.to_string()
}

/// Every count adds up: each command done has exactly one outcome, and the kinds sum to it.
fn assert_counts_add_up(progress: &Progress) {
    assert_eq!(
        progress.accepted + progress.rejected + progress.errors,
        progress.done,
        "{progress:?}"
    );
    let by_work: u64 = progress.by_work.iter().map(|w| w.done).sum();
    assert_eq!(by_work, progress.done, "{progress:?}");
    let accepted: u64 = progress.by_work.iter().map(|w| w.accepted).sum();
    assert_eq!(accepted, progress.accepted, "{progress:?}");
}

fn done_of(progress: &Progress, work: Work) -> u64 {
    progress
        .by_work
        .iter()
        .find(|w| w.work == work)
        .map_or(0, |w| w.done)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stress_run_from_the_monitor_plays_on_a_scratch_store_and_leaves_the_live_one_alone() {
    let mut table = Table::new();
    table.slash(5, "get_pet faction:autobot").await;
    let live_events = table.engine.engine.log().last_seq();
    assert!(live_events > 0);

    let monitor = table.slash(999, "monitor").await;
    let (menu_id, _) = first_component(&monitor, "Stress test");
    let refused = table.press(5, &menu_id, &[]).await;
    assert!(text(&refused).contains("Only the operator"), "{refused}");
    let menu = table.press(999, &menu_id, &[]).await;
    assert_eq!(menu["type"], 7, "{menu}");
    assert_eq!(menu["data"]["flags"], 64, "private: {menu}");
    let (small, _) = first_component(&menu, "50 players");
    let (large, _) = first_component(&menu, "1,000 players");
    let refused = table.press(5, &small, &[]).await;
    assert!(text(&refused).contains("Only the operator"), "{refused}");
    assert!(
        table.app.stress.latest().is_none(),
        "a player started a run"
    );

    // A large run, then a second press while it goes: refused, and Cancel stops the first.
    let started = table.press(999, &large, &[]).await;
    assert_eq!(started["type"], 7, "{started}");
    assert!(text(&started).contains("Stress test (large"), "{started}");
    let run = table
        .app
        .stress
        .latest()
        .unwrap_or_else(|| panic!("no run started"));
    assert_eq!(run.owner, 999);
    let shown = Response::Update(stress_view(&run.progress()));
    assert!(allspark_discord::stress::shown_run(&table.app, &shown));
    let again = table.press(999, &small, &[]).await;
    assert!(text(&again).contains("already running"), "{again}");
    let menu_now = table.press(999, &menu_id, &[]).await;
    assert!(text(&menu_now).contains("A run is going"), "{menu_now}");
    let (cancel, _) = first_component(&started, "Cancel");
    let refused = table.press(5, &cancel, &[]).await;
    assert!(text(&refused).contains("Only the operator"), "{refused}");
    let cancelling = table.press(999, &cancel, &[]).await;
    assert_eq!(cancelling["type"], 7, "{cancelling}");
    finished(&run).await;
    let cancelled = run.progress();
    assert_eq!(cancelled.state, State::Cancelled, "{cancelled:?}");
    assert!(cancelled.done < cancelled.planned, "{cancelled:?}");
    assert_counts_add_up(&cancelled);
    assert!(cancelled.scratch_removed);
    let no_run = table.press(999, &cancel, &[]).await;
    assert!(
        text(&no_run).contains("No stress test is running"),
        "{no_run}"
    );

    // A small run to its end: every planned command got an outcome.
    let started = table.press(999, &small, &[]).await;
    assert!(text(&started).contains("Stress test (small"), "{started}");
    let run = table
        .app
        .stress
        .latest()
        .unwrap_or_else(|| panic!("no run started"));
    finished(&run).await;
    // The run keeps the path of the directory it made.
    let scratch = run.scratch();
    let progress = run.progress();
    assert_eq!(progress.state, State::Finished, "{progress:?}");
    assert_eq!(progress.planned, Size::Small.commands());
    assert_eq!(progress.done, progress.planned, "{progress:?}");
    assert_counts_add_up(&progress);
    assert_eq!(progress.errors, 0, "{progress:?}");
    assert!(progress.accepted > 0, "{progress:?}");
    let players = u64::from(Size::Small.players());
    for work in [Work::Join, Work::Adopt, Work::Grant] {
        assert_eq!(done_of(&progress, work), players, "{work:?}: {progress:?}");
    }
    for work in [Work::BattleStart, Work::BattleMove, Work::Slots] {
        assert!(done_of(&progress, work) > 0, "{work:?}: {progress:?}");
    }
    assert!(progress.p50.is_some() && progress.p99.is_some());
    // The scratch store was somewhere else, and it is gone; the live log did not move.
    let scratch = scratch.unwrap_or_else(|| panic!("no scratch directory"));
    assert!(!scratch.exists(), "{} is still there", scratch.display());
    assert!(progress.scratch_removed);
    assert_eq!(table.engine.engine.log().last_seq(), live_events);

    // Refresh shows the summary; Run again is the menu with its sizes usable again.
    let (refresh, _) = first_component(&started, "Refresh");
    let summary = table.press(999, &refresh, &[]).await;
    let summary_text = text(&summary);
    assert!(summary_text.contains("finished"), "{summary}");
    assert!(summary_text.contains("2,000 of 2,000"), "{summary}");
    assert!(summary_text.contains("By command"), "{summary}");
    assert!(!allspark_discord::stress::shown_run(
        &table.app,
        &Response::Update(stress_view(&progress))
    ));
    let (again, _) = first_component(&summary, "Run again");
    let menu = table.press(999, &again, &[]).await;
    first_component(&menu, "200 players");
}

/// Shutting the bot down cancels a run going and waits until its scratch store is gone.
#[tokio::test(flavor = "multi_thread")]
async fn stopping_cancels_a_run_and_deletes_its_scratch_store() {
    let parent = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stress = allspark_discord::stress::Stress::default();
    stress.stop().await;
    let run = stress
        .start_in(Size::Large, 999, None, parent.path().to_path_buf())
        .unwrap_or_else(|_| panic!("a run was going"));
    stress.stop().await;
    assert!(run.is_over());
    let progress = run.progress();
    assert_eq!(progress.state, State::Cancelled, "{progress:?}");
    assert_counts_add_up(&progress);
    assert!(progress.scratch_removed, "{progress:?}");
    let left: Vec<_> = std::fs::read_dir(parent.path())
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

/// A scratch directory that would land inside the live data directory (a `TMPDIR` there) is
/// refused before any engine opens on it, and nothing is left there.
#[tokio::test(flavor = "multi_thread")]
async fn a_scratch_store_inside_the_live_data_is_refused() {
    let live = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stress = allspark_discord::stress::Stress::default();
    let run = stress
        .start_in(
            Size::Small,
            999,
            Some(live.path().to_path_buf()),
            live.path().to_path_buf(),
        )
        .unwrap_or_else(|_| panic!("a run was going"));
    finished(&run).await;
    let progress = run.progress();
    assert_eq!(
        progress.state,
        State::Failed("the scratch directory overlaps the live data".into())
    );
    assert_eq!(progress.done, 0, "{progress:?}");
    assert!(progress.scratch_removed, "{progress:?}");
    let left: Vec<_> = std::fs::read_dir(live.path())
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

fn fixed(state: State) -> Progress {
    let over = state.is_over();
    Progress {
        size: Size::Medium,
        state,
        cancelling: false,
        planned: 10_000,
        done: if over { 10_000 } else { 4_321 },
        accepted: if over { 7_000 } else { 3_000 },
        rejected: if over { 2_990 } else { 1_316 },
        errors: if over { 10 } else { 5 },
        // The kinds add up to the totals, as a real run's do.
        by_work: if over {
            let done = [
                200, 200, 200, 900, 400, 400, 2_000, 900, 900, 900, 600, 2_400,
            ];
            let accepted = [
                200, 200, 200, 300, 150, 150, 2_000, 300, 900, 700, 400, 1_500,
            ];
            Work::ALL
                .iter()
                .zip(done.iter().zip(accepted))
                .map(|(work, (done, accepted))| WorkCount {
                    work: *work,
                    done: *done,
                    accepted,
                })
                .collect()
        } else {
            Vec::new()
        },
        elapsed: Duration::from_millis(if over { 2_345 } else { 1_234 }),
        per_second: if over { 4_264 } else { 3_501 },
        p50: Some(Duration::from_micros(1_000)),
        p95: Some(Duration::from_micros(5_000)),
        p99: Some(Duration::from_micros(10_000)),
        scratch_removed: over,
    }
}

#[test]
fn the_stress_views_match_their_goldens_and_fit_discord() {
    let going = fixed(State::Running);
    let cancelling = Progress {
        cancelling: true,
        ..going.clone()
    };
    let goldens: Vec<(&str, allspark_discord::reply::Reply)> = vec![
        ("stress_menu", stress_menu(None)),
        ("stress_menu_while_running", stress_menu(Some(&going))),
        ("stress_running", stress_view(&going)),
        ("stress_cancelling", stress_view(&cancelling)),
        ("stress_finished", stress_view(&fixed(State::Finished))),
        ("stress_cancelled", stress_view(&fixed(State::Cancelled))),
        (
            "stress_failed",
            stress_view(&fixed(State::Failed(
                "no scratch directory: disk full".into(),
            ))),
        ),
    ];
    assert_counts_add_up(&fixed(State::Finished));
    for (name, reply) in goldens {
        let body = Response::Update(reply).to_discord();
        check_callback(&body);
        insta::assert_json_snapshot!(name, body);
    }
    assert_eq!(
        stress_line(&going),
        "stress: 4,321 of 10,000 commands · accepted 3,000, rejected 1,316, errors 5 · \
         3,501 commands/s · p50 ≤ 1 ms, p95 ≤ 5 ms, p99 ≤ 10 ms · 1.2 s\n"
    );
}

/// Over the HTTP endpoint, the press that starts a run is deferred (as any slow answer), the
/// deferral is edited into the progress view, and the same message is edited live until it
/// shows the summary.
#[tokio::test(flavor = "multi_thread")]
async fn over_http_the_progress_message_is_edited_live_until_the_summary() {
    use allspark_discord::http::{self, Endpoint};
    let edits: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let seen = edits.clone();
    let discord = support::serve_fake(axum::Router::new().fallback(
        move |method: axum::http::Method, uri: axum::http::Uri, body: String| {
            let seen = seen.clone();
            async move {
                let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                if let Ok(mut seen) = seen.lock() {
                    seen.push((format!("{method} {}", uri.path()), body));
                }
                axum::Json(json!({ "id": "1" }))
            }
        },
    ))
    .await;
    let engine = allspark_engine::testing::TestEngine::new();
    let app = allspark_discord::app::App::new(engine.engine.clone());
    let live =
        allspark_discord::live::Live::new(app.clone(), reqwest::Client::new(), discord.clone());
    let endpoint = Endpoint {
        app: app.clone(),
        public_key: support::signing_key().verifying_key(),
        operator: Some(999),
        api_base: discord,
        defer_after: Duration::ZERO,
        http: reqwest::Client::new(),
        live: Some(live),
        tasks: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, http::router(endpoint)).await;
    });
    let url = format!("http://{address}/interactions");
    let client = reqwest::Client::new();
    let post = |payload: Value| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let body = serde_json::to_vec(&payload).unwrap_or_default();
            let answer = client
                .post(&url)
                .header("content-type", "application/json")
                .header("x-signature-timestamp", "1767225600")
                .header("x-signature-ed25519", support::sign("1767225600", &body))
                .body(body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("request: {e}"));
            assert_eq!(answer.status().as_u16(), 200);
            let reply: Value = answer.json().await.unwrap_or(Value::Null);
            check_callback(&reply);
            reply
        }
    };
    let start = allspark_discord::admin::ids::Press::StressStart { size: Size::Small };
    let custom_id = allspark_discord::custom_id::Encode::encode(&start);
    let deferred = post(support::press(77, 999, &custom_id, &[])).await;
    assert_eq!(deferred, json!({ "type": 6 }));
    let run = loop {
        if let Some(run) = app.stress.latest() {
            break run;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    finished(&run).await;
    let original = "PATCH /webhooks/1100000000000000001/token-77/messages/@original";
    let mut last = Value::Null;
    for _ in 0..300 {
        let edits = edits.lock().map(|e| e.clone()).unwrap_or_default();
        assert!(
            edits.iter().all(|(to, _)| to == original),
            "an edit went elsewhere: {edits:?}"
        );
        if let Some((_, body)) = edits.last() {
            last = body.clone();
            if last.to_string().contains("finished") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check_callback(&json!({ "type": 7, "data": last.clone() }));
    assert!(last.to_string().contains("finished"), "{last}");
    assert!(last.to_string().contains("2,000 of 2,000"), "{last}");
    let first = edits
        .lock()
        .map(|e| e.first().cloned())
        .unwrap_or_default()
        .map(|(_, body)| body)
        .unwrap_or_default();
    assert!(
        first.to_string().contains("Stress test (small"),
        "the deferral was not edited into the progress view: {first}"
    );
    assert_eq!(engine.engine.log().last_seq(), 0, "the live store moved");
}

/// The console follows a run it started: a line that it follows, then the summary, whose
/// buttons work like any reply's. The scratch store goes to `TMPDIR` and is gone afterwards;
/// the console's own store holds exactly what the player did.
#[test]
fn the_console_prints_a_run_to_its_summary() {
    let run = |data: &std::path::Path, tmp: &std::path::Path, script: &str| -> String {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_allspark"))
            .arg("console")
            .arg("--data")
            .arg(data)
            .env("TMPDIR", tmp)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start allspark: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(script.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let output = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("allspark did not finish: {e}"));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    let dir = || tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (plain, stressed, tmp) = (dir(), dir(), dir());
    let player = "as 5\n/get_pet faction:autobot\n";
    run(plain.path(), tmp.path(), player);
    let script = format!(
        "{player}as operator\n/monitor\npress Stress test\npress 50 players\npress Back to the monitor\n"
    );
    let out = run(stressed.path(), tmp.path(), &script);
    let after = |text: &str| {
        out.find(text)
            .unwrap_or_else(|| panic!("no `{text}` in:\n{out}"))
    };
    let following = after("(following the stress test until it ends)");
    let summary = after("== Stress test (small, 50 players): finished ==");
    assert!(following < summary, "{out}");
    let summary_text = &out[summary..];
    assert!(summary_text.contains("2,000 of 2,000"), "{out}");
    assert!(summary_text.contains("Scratch store: deleted"), "{out}");
    assert!(summary_text.contains("[1] Run again"), "{out}");
    // `press Back to the monitor` pressed the summary's button: the monitor again.
    assert!(out[summary..].contains("== AllSpark monitor =="), "{out}");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "left in TMPDIR: {leftovers:?}");
    let events = |data: &std::path::Path| {
        let engine = allspark_engine::Engine::open_dir(data, Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let n = engine.log().last_seq();
        engine.shutdown();
        n
    };
    assert!(events(plain.path()) > 0);
    assert_eq!(events(stressed.path()), events(plain.path()));
}
