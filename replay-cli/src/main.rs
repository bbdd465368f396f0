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
        /// Only battles of this kind (a duel is a challenge's or the ranked queue's).
        #[arg(long, value_parser = mode_labels())]
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
        /// The battle: an id, a unique prefix of one, an exported file, or a feed URL.
        battle: String,
        /// Print only this turn (0 is the start).
        #[arg(long)]
        turn: Option<u32>,
    },
    /// Step through a battle interactively: full screen in a terminal (arrows or n/p, j to
    /// jump, f to follow live until it ends, q to quit); one command per line (n, p, j N,
    /// f to re-read, q) when piped.
    Step {
        /// The battle: an id, a unique prefix of one, an exported file, or a feed URL.
        battle: String,
    },
    /// Re-simulate battles from their recorded start and inputs and compare every turn.
    Verify {
        /// The battle: an id, a unique prefix of one, an exported file, or a feed URL.
        battle: Option<String>,
        /// Every battle in the store.
        #[arg(long, conflicts_with = "battle")]
        all: bool,
    },
    /// Write a self-contained battle file.
    Export {
        /// The battle: an id, a unique prefix of one, an exported file, or a feed URL.
        battle: String,
        /// The file format (only json: ids and seeds are strings, for JavaScript's sake).
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
        /// Print at most this many events (all of them when absent).
        #[arg(long)]
        limit: Option<u64>,
    },
    /// Show what a player's projections were just after event SEQ.
    State {
        /// The seq to stop at (inclusive); defaults to the end of the log.
        #[arg(long)]
        at: Option<u64>,
        /// The player (their Discord user id).
        #[arg(long)]
        player: u64,
    },
    /// Run scenario files and compare them with their golden outcomes.
    Fixtures {
        /// The folder to search for scenarios (`*.json`), in it and every folder below it.
        dir: PathBuf,
        /// Rewrite the goldens instead of comparing.
        #[arg(long)]
        update: bool,
    },
}

/// `--mode`'s choices: the engine's one table of battle kinds.
fn mode_labels() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        allspark_engine::battle::BattleKind::ALL
            .iter()
            .map(|kind| kind.label()),
    )
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every subcommand and every argument, all the way down, says what it is for.
    #[test]
    fn every_subcommand_and_argument_has_help() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                let sub_path = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() && sub.get_long_about().is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let command = super::Cli::command();
        command.clone().debug_assert();
        let mut missing = Vec::new();
        walk(&command, "allspark-replay", &mut missing);
        assert!(missing.is_empty(), "no help for: {missing:?}");
        // The walk does see arguments (it would pass on an empty tree).
        assert!(command.get_subcommands().count() >= 8);
    }

    /// `--limit` has no default to show (it used to show u64::MAX).
    #[test]
    fn the_log_limit_shows_no_default() {
        let mut command = super::Cli::command();
        let help = command
            .find_subcommand_mut("log")
            .map(|log| log.render_long_help().to_string())
            .unwrap_or_default();
        assert!(help.contains("--limit"), "{help}");
        assert!(
            !help.contains(&u64::MAX.to_string()) && !help.contains("[default: 18"),
            "{help}"
        );
    }

    /// `--mode` offers every kind of battle in the engine's table, ranked and challenge too.
    #[test]
    fn the_mode_choices_are_the_engines_battle_kinds() {
        let command = super::Cli::command();
        let battles = command
            .get_subcommands()
            .find(|sub| sub.get_name() == "battles")
            .unwrap_or_else(|| panic!("no battles subcommand"));
        let mode = battles
            .get_arguments()
            .find(|arg| arg.get_id() == "mode")
            .unwrap_or_else(|| panic!("no --mode"));
        let offered: Vec<String> = mode
            .get_possible_values()
            .iter()
            .map(|value| value.get_name().to_string())
            .collect();
        let kinds: Vec<String> = allspark_engine::battle::BattleKind::ALL
            .iter()
            .map(|kind| kind.label().to_string())
            .collect();
        assert_eq!(offered, kinds);
        assert!(
            offered.contains(&"ranked".to_string()) && offered.contains(&"challenge".to_string())
        );
    }
}
