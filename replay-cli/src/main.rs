//! `allspark-replay`: reads an AllSpark store back. Never writes to it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use allspark_engine::{EventLog, PlayerId, SledLog, StreamId, World};
use clap::{Parser, Subcommand};

/// Read an AllSpark store back: its log, and anyone's state at any point in history.
///
/// EXIT STATUS: 0 when everything went well, 1 for a mismatch (verify, fixtures),
/// 2 for an error (missing store, unknown stream, store written by a newer schema).
#[derive(Parser)]
#[command(name = "allspark-replay", version)]
struct Cli {
    /// The store to read (the bot's `--data` directory). Stop the bot first: sled allows one
    /// process at a time.
    #[arg(
        long,
        env = "ALLSPARK_DATA",
        default_value = "allspark-data",
        global = true
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Print events readably, oldest first.
    Log {
        /// Start at this seq.
        #[arg(long, default_value_t = 1)]
        from: u64,
        /// Only this stream (e.g. `user/42`).
        #[arg(long)]
        stream: Option<String>,
        /// Print at most this many events.
        #[arg(long, default_value_t = u64::MAX)]
        limit: u64,
    },
    /// Show what a player's projections were just after event SEQ.
    State {
        /// The seq to stop at (inclusive); defaults to the end of the log.
        #[arg(long)]
        at: Option<u64>,
        #[arg(long)]
        player: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    match run(cli, &mut out) {
        Ok(code) => code,
        Err(error) => {
            if let Some(io) = error.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("allspark-replay: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let log_dir = allspark_engine::runtime::log_dir(&cli.data);
    if !log_dir.join("db").exists() && !log_dir.join("conf").exists() {
        anyhow::bail!("no store at {} (pass --data DIR)", cli.data.display());
    }
    let log = SledLog::open(&log_dir).map_err(|error| {
        anyhow::anyhow!("cannot open the store at {}: {error}", cli.data.display())
    })?;
    match cli.command {
        Action::Log {
            from,
            stream,
            limit,
        } => print_log(&log, from, stream, limit, out)?,
        Action::State { at, player } => print_state(&log, at, PlayerId(player), out)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_log(
    log: &SledLog,
    from: u64,
    stream: Option<String>,
    limit: u64,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    const PAGE_EVENTS: usize = 1_024;
    let mut printed = 0u64;
    match stream {
        Some(name) => {
            let stream = StreamId::new(name.clone())
                .ok_or_else(|| anyhow::anyhow!("`{name}` is not a valid stream name"))?;
            if log.stream_version(&stream)? == 0 {
                anyhow::bail!("stream {stream} has no events");
            }
            let mut version = 1;
            loop {
                let page = log.read_stream(&stream, version, PAGE_EVENTS)?;
                if page.is_empty() {
                    break;
                }
                for event in &page {
                    version = event.stream_version + 1;
                    if event.seq < from {
                        continue;
                    }
                    if printed == limit {
                        return Ok(());
                    }
                    writeln!(out, "{}", describe(event))?;
                    printed += 1;
                }
            }
        }
        None => {
            let mut seq = from.max(1);
            loop {
                let page = log.read_all(seq, PAGE_EVENTS)?;
                if page.is_empty() {
                    break;
                }
                for event in &page {
                    seq = event.seq + 1;
                    if printed == limit {
                        return Ok(());
                    }
                    writeln!(out, "{}", describe(event))?;
                    printed += 1;
                }
            }
        }
    }
    Ok(())
}

fn describe(event: &allspark_engine::RecordedEvent) -> String {
    format!(
        "#{seq} {at} {stream}@{version} by {actor} (command {command}): {payload:?}",
        seq = event.seq,
        at = event.recorded_at,
        stream = event.stream,
        version = event.stream_version,
        actor = event.actor,
        command = event.command_id,
        payload = event.event,
    )
}

fn print_state(
    log: &SledLog,
    at: Option<u64>,
    player: PlayerId,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let end = at.unwrap_or_else(|| log.last_seq());
    if end > log.last_seq() {
        anyhow::bail!(
            "the log ends at seq {}; --at {end} is past it",
            log.last_seq()
        );
    }
    let mut world = World::default();
    let mut seq = 1;
    while seq <= end {
        let page = log.read_all(seq, 4_096)?;
        if page.is_empty() {
            break;
        }
        for event in page.iter().take_while(|event| event.seq <= end) {
            world.evolve(event);
            seq = event.seq + 1;
        }
        if page.last().is_some_and(|event| event.seq >= end) {
            break;
        }
    }
    writeln!(out, "player {player} at seq {}", world.last_seq)?;
    match world.players.get(player) {
        Some(profile) => writeln!(out, "  joined: {}", profile.joined_at)?,
        None => writeln!(out, "  not joined yet")?,
    }
    writeln!(out, "  energon: {}", world.energon.balance(player))?;
    Ok(())
}
