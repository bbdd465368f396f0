//! `allspark-replay`: reads an AllSpark store back, never writing to it. `main` parses the
//! arguments and calls `run`, which returns the exit status; each subcommand lives in `cmd`.

mod battles;
mod cmd;
mod tui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Read an AllSpark store back: battles turn by turn, verification, exports, the raw log, and
/// anyone's state at any point in history.
///
/// BATTLE arguments accept a battle id, a unique prefix of one, a file written by `export`, or
/// the URL of a battle on a running bot's replay feed (`allspark run --replay-listen
/// 127.0.0.1:7878`, then `http://127.0.0.1:7878/battles/<id>`): the way to read and follow a
/// battle while the bot holds the store.
///
/// EXIT STATUS: 0 when everything went well; 1 for a verify or fixture mismatch; 2 for an error
/// (missing store, unknown battle, store written by a newer schema).
#[derive(Parser)]
#[command(name = "allspark-replay", version)]
pub struct Cli {
    /// The store to read (the bot's `--data` directory). Stop the bot first: sled lets one
    /// process open a store at a time (a running bot's battles are read through its replay
    /// feed instead).
    #[arg(
        long,
        env = "ALLSPARK_DATA",
        default_value = "allspark-data",
        global = true
    )]
    pub data: PathBuf,
    #[command(subcommand)]
    pub command: Action,
}

#[derive(Subcommand)]
pub enum Action {
    /// List battles, newest first.
    Battles {
        /// Only battles this player fought in.
        #[arg(long)]
        player: Option<u64>,
        /// Only this mode (solo, group, duel, team, free-for-all, tournament).
        #[arg(long)]
        mode: Option<String>,
        /// Only battles started on or after this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<String>,
        /// Only battles started before this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        until: Option<String>,
    },
    /// Print a battle turn by turn with health bars and rolls.
    Show {
        battle: String,
        /// Print only this turn (0 is the start).
        #[arg(long)]
        turn: Option<u32>,
    },
    /// Step through a battle interactively: full screen in a terminal (arrows or n/p, j to
    /// jump, f to follow live until it ends, q to quit); one command per line (n, p, j N,
    /// f to re-read, q) when piped.
    Step { battle: String },
    /// Re-simulate battles from their recorded start and inputs and compare every turn.
    Verify {
        battle: Option<String>,
        /// Every battle in the store.
        #[arg(long, conflicts_with = "battle")]
        all: bool,
    },
    /// Write a self-contained battle file.
    Export {
        battle: String,
        #[arg(long, default_value = "json")]
        format: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
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
    /// Run scenario files and compare them with their golden outcomes.
    Fixtures {
        dir: PathBuf,
        /// Rewrite the goldens instead of comparing.
        #[arg(long)]
        update: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    match cmd::run(cli, &mut out) {
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
