//! `allspark`: the AllSpark game over Discord, or in a terminal.

mod app;
mod console;
mod invocation;
mod reply;

use std::path::PathBuf;
use std::process::ExitCode;

use allspark_engine::{Engine, EngineConfig};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "allspark",
    version,
    about = "The AllSpark game engine and its Discord adapter"
)]
struct Cli {
    /// Where the game's store lives.
    #[arg(
        long,
        env = "ALLSPARK_DATA",
        default_value = "allspark-data",
        global = true
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Play in this terminal on the embedded store: one slash command per line.
    Console,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ALLSPARK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("allspark: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Mode::Console => {
            let engine = open(&cli.data)?;
            let mut console = console::Console::new(engine.clone());
            let stdin = std::io::stdin();
            runtime.block_on(console.run(stdin.lock(), std::io::stdout()))?;
            engine.shutdown();
            Ok(())
        }
    }
}

fn open(data: &std::path::Path) -> anyhow::Result<Engine> {
    std::fs::create_dir_all(data).map_err(|error| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {error}",
            data.display()
        )
    })?;
    Engine::open_dir(data, EngineConfig::default())
        .map_err(|error| anyhow::anyhow!("cannot open the store in {}: {error}", data.display()))
}
