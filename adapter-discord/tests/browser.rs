//! The web pages in a real headless Chromium, driven through chromedriver (WebDriver): a
//! finished battle stepped back to its start and on to its last turn, a running battle that
//! shows a turn played through the engine without a reload, and a screenshot of each page for
//! review (under the test's target directory, `web-screenshots/`).
//!
//! Chromium and chromedriver are Debian's packages; on a machine without them this test runs
//! `.ci/install-chromium` first, and fails if that fails: it never skips.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use allspark_discord::web::Limits;
use fantoccini::{Client, Locator};
use serde_json::json;

use crate::support::{attack, serve_web};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn ensure_chromium() {
    if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists() {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/install-chromium");
    let status = Command::new("bash")
        .arg(script)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {script}: {e}"));
    assert!(
        status.success(),
        "{script} failed ({status}): the browser tests need Debian's chromium and chromium-driver"
    );
}

async fn start_driver() -> (Driver, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
    let driver = Driver(child);
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{url}/status")).await.is_ok() {
            return (driver, url);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

async fn browser(driver: &str, profile: &std::path::Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1000,1400",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(driver)
        .await
        .unwrap_or_else(|e| panic!("no browser session: {e}"))
}

async fn text(client: &Client, id: &str) -> String {
    client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .text()
        .await
        .unwrap_or_default()
}

async fn shown(client: &Client, id: &str) -> bool {
    client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .is_displayed()
        .await
        .unwrap_or(false)
}

/// Waits until `#shown` says `turn` (the page draws asynchronously).
async fn until_shown(client: &Client, turn: u32) {
    for _ in 0..150 {
        if text(client, "shown").await == turn.to_string() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed turn {turn}");
}

/// The first fighter's health bar as the page shows it now.
async fn first_bar(client: &Client) -> String {
    client
        .execute(
            "return String(document.querySelector('#fighters .fighter progress').value)",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn screenshot(client: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let png = client
        .screenshot()
        .await
        .unwrap_or_else(|e| panic!("screenshot: {e}"));
    assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_steps_through_a_finished_battle_and_follows_a_running_one() {
    ensure_chromium();
    let (mut table, finished, running, view) = crate::web::two_battles().await;
    let base = serve_web(table.app.clone(), Limits::default()).await;
    let (_driver, driver_url) = start_driver().await;
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let client = browser(&driver_url, profile.path()).await;

    // A finished battle: the script shows the controls (the policy let it run), the style
    // sheet applies (the policy let it load), and stepping moves through the turns.
    client
        .goto(&format!("{base}/battles/{finished}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let last: u32 = client
        .find(Locator::Id("battle"))
        .await
        .unwrap()
        .attr("data-turns")
        .await
        .unwrap()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no data-turns"));
    assert!(last >= 1);
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("#controls:not([hidden])"))
        .await
        .unwrap_or_else(|e| panic!("the script did not run: {e}"));
    let width = client
        .execute("return getComputedStyle(document.body).maxWidth", vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(width, json!("896px"), "the stylesheet is applied");
    client
        .find(Locator::Id("first"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until_shown(&client, 0).await;
    assert!(shown(&client, "turn-0").await && !shown(&client, "turn-1").await);
    let start_hp = first_bar(&client).await;
    let hp_max = client
        .find(Locator::Css("#fighters .fighter"))
        .await
        .unwrap()
        .attr("data-hp-max")
        .await
        .unwrap();
    assert_eq!(
        Some(start_hp),
        hp_max,
        "at the start the first fighter is whole"
    );
    client
        .find(Locator::Id("next"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until_shown(&client, 1).await;
    assert!(shown(&client, "turn-1").await);
    client
        .find(Locator::Id("last"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until_shown(&client, last).await;
    let last_hp: Vec<String> = client
        .find(Locator::Id(&format!("turn-{last}")))
        .await
        .unwrap()
        .attr("data-hp")
        .await
        .unwrap()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    let bar = first_bar(&client).await;
    assert_eq!(bar, last_hp[0], "the bars follow the turn");
    assert!(
        text(&client, "verdict").await.len() > 3,
        "the verdict is shown"
    );
    screenshot(&client, "battle-finished").await;

    // A running battle: a turn played through the engine appears without a reload.
    client
        .goto(&format!("{base}/battles/{running}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    until_shown(&client, 1).await;
    assert!(
        client.find(Locator::Id("turn-2")).await.is_err(),
        "turn 2 isn't played yet"
    );
    attack(&mut table, 2, &view).await;
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id("turn-2"))
        .await
        .unwrap_or_else(|e| panic!("the new turn never appeared: {e}"));
    until_shown(&client, 2).await;
    assert!(
        text(&client, "status").await.contains("turn 3"),
        "{}",
        text(&client, "status").await
    );
    screenshot(&client, "battle-running").await;

    for (page, name) in [
        ("/battles".to_string(), "battles"),
        ("/ladder".to_string(), "ladder"),
        ("/players/1".to_string(), "player"),
    ] {
        client
            .goto(&format!("{base}{page}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        screenshot(&client, name).await;
    }
    // A phone's width: the page still fits, nothing wider than the screen.
    client
        .set_window_size(390, 844)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .goto(&format!("{base}/battles/{finished}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(overflow, json!(true), "no sideways scrolling on a phone");
    screenshot(&client, "battle-phone").await;
    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}
