//! The operator's shell tools, behind `allspark check`, `allspark backup` and `allspark restore`:
//! arguments are parsed in `main.rs`, the work is the engine's (`check`, `backup`), and this is
//! the glue and the words.
//!
//! - `check` opens a stopped store for reading (sled allows one process, so a running bot makes
//!   it fail with a clear message) and reports every difference.
//! - `backup` asks the running bot's loopback feed for a backup (`GET /backup`, see `feed.rs`),
//!   or, with `--stopped`, opens the store itself; it writes DEST only once the whole backup has
//!   been read back and checked, and never over an existing file.
//! - `restore` writes a backup into an empty data directory and says what it holds.
//! - `import-legacy` reads the original bot's per-player files into the store, one command per
//!   file (the engine's `legacy`), on a store no bot holds.

use std::net::SocketAddr;
use std::path::Path;

use allspark_engine::backup::{self, Backup, Restored};
use allspark_engine::check::CheckReport;
use allspark_engine::{runtime, Engine, EngineConfig, SledLog};

/// Runs the integrity check on the stopped store in `data`.
pub fn check(data: &Path) -> anyhow::Result<CheckReport> {
    let dir = runtime::log_dir(data);
    if !dir.exists() {
        anyhow::bail!("there is no store in {}", data.display());
    }
    let log = SledLog::open_for_reading(&dir).map_err(|error| {
        anyhow::anyhow!(
            "cannot open the store in {} ({error}); is the bot still running? `check` needs it \
             stopped",
            data.display()
        )
    })?;
    Ok(allspark_engine::check::check(&log)?)
}

/// The check's report in words, problems first.
pub fn report_text(report: &CheckReport) -> String {
    let mut out = String::new();
    for problem in &report.problems {
        out.push_str(&format!("DIFFERENCE: {problem}\n"));
    }
    if report.problems.len() >= allspark_engine::check::PROBLEMS_MAX {
        out.push_str("(more differences were not listed)\n");
    }
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out.push_str(&format!(
        "{}: {} events, {} players, snapshot {}\n",
        if report.is_clean() {
            "ok".to_string()
        } else {
            format!("{} difference(s)", report.problems.len())
        },
        report.n_events,
        report.n_players,
        report
            .snapshot_seq
            .map_or("none compared".to_string(), |seq| format!(
                "at seq {seq} compared"
            ))
    ));
    out
}

/// Fetches a backup from the running bot's feed at `feed` and writes it to `dest`.
pub async fn backup_from_feed(
    feed: SocketAddr,
    token: &str,
    dest: &Path,
) -> anyhow::Result<Backup> {
    refuse_existing(dest)?;
    let url = format!("http://{feed}/backup");
    let answer = reqwest::Client::new()
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|error| {
            anyhow::anyhow!(
                "cannot reach the bot's feed at {feed} ({error}); is it running with \
                 --replay-listen {feed}? (or use --stopped on a stopped store)"
            )
        })?;
    let status = answer.status();
    let bytes = answer.bytes().await?;
    if !status.is_success() {
        anyhow::bail!(
            "the bot refused the backup ({status}): {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    write_checked(&bytes, dest)
}

/// Backs up the stopped store in `data` to `dest`, opening it here.
pub async fn backup_stopped(data: &Path, dest: &Path) -> anyhow::Result<Backup> {
    refuse_existing(dest)?;
    if !runtime::log_dir(data).exists() {
        anyhow::bail!("there is no store in {}", data.display());
    }
    let engine = Engine::open_dir(data, EngineConfig::default()).map_err(|error| {
        anyhow::anyhow!(
            "cannot open the store in {} ({error}); if the bot is running, leave out --stopped",
            data.display()
        )
    })?;
    let point = engine.backup_point().await?;
    let log = engine.log().clone();
    let bytes = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        backup::write(log.as_ref(), &point, &mut bytes).map(|_| bytes)
    })
    .await??;
    engine.shutdown_async().await;
    write_checked(&bytes, dest)
}

fn refuse_existing(dest: &Path) -> anyhow::Result<()> {
    if dest.exists() {
        anyhow::bail!("{} exists; a backup never overwrites", dest.display());
    }
    Ok(())
}

/// Reads the backup back (all of it must decode, without a gap), then writes it: to a sibling
/// first, renamed into place, so `dest` is a whole backup or nothing.
fn write_checked(bytes: &[u8], dest: &Path) -> anyhow::Result<Backup> {
    let backup = backup::read(&mut &bytes[..])?;
    let mut partial = dest.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    {
        use std::io::Write;
        let mut file = std::fs::File::create_new(&partial)
            .map_err(|error| anyhow::anyhow!("cannot create {}: {error}", partial.display()))?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    refuse_existing(dest)?;
    std::fs::rename(&partial, dest)?;
    Ok(backup)
}

/// Imports the original bot's files in `dir` through `engine` (opened on a stopped store) and
/// reports every file.
pub async fn import_legacy(
    engine: &Engine,
    dir: &Path,
) -> anyhow::Result<allspark_engine::legacy::ImportReport> {
    Ok(allspark_engine::legacy::import_dir(engine, dir).await?)
}

/// Restores the backup file `src` into `data` (empty or new).
pub fn restore(src: &Path, data: &Path) -> anyhow::Result<Restored> {
    let mut file = std::fs::File::open(src)
        .map_err(|error| anyhow::anyhow!("cannot open {}: {error}", src.display()))?;
    let backup = backup::read(&mut std::io::BufReader::new(&mut file))?;
    Ok(backup::restore(&backup, data)?)
}
