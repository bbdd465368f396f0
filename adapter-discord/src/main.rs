//! `allspark`: the AllSpark game over Discord, or in a terminal. Arguments and wiring only;
//! everything else is in the library (`src/lib.rs`).
//!
//! Exit status: 0 after a clean shutdown, 1 when `check` finds a difference, 2 for an error,
//! including the engine stopping under a running transport (a storage fault or a panic in the
//! core, see `halt`): a supervisor restarts the bot and the restart recovers from the log.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use allspark_discord::halt::{exit_error, unless_engine_stops};
use allspark_discord::{app, commands, config, console, gateway, http};
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
    /// Connect to Discord's gateway and play (needs DISCORD_TOKEN).
    Run {
        #[command(flatten)]
        feed: Feed,
    },
    /// Check a stopped store: every projection rebuilt from the log and compared with the
    /// snapshot and with what opening gives, and the energon ledger audited. Exit 1 on any
    /// difference.
    Check,
    /// Back up the store of the running bot (through its --replay-listen feed, no stop
    /// needed), or of a stopped one with --stopped, into the new file DEST.
    Backup {
        dest: PathBuf,
        /// The running bot's feed address (its --replay-listen).
        #[arg(long, env = "ALLSPARK_REPLAY_LISTEN", default_value = "127.0.0.1:7878")]
        feed: std::net::SocketAddr,
        /// The store is stopped: open it here instead of asking the bot.
        #[arg(long)]
        stopped: bool,
    },
    /// Restore the backup file SRC into the data directory, which must be empty or new.
    Restore { src: PathBuf },
    /// Import the original bot's per-player files (`<user id>.json`) from DIR: its
    /// Systems/Data/Users or Systems/Users folder, or its checkout (both are read). The store
    /// must be stopped. Prints what was imported, skipped and why; a second run changes
    /// nothing. Exit 2 only for an error (a bad file is a line of the report, not an error).
    ImportLegacy { dir: PathBuf },
    /// Serve Discord's HTTP interactions endpoint (needs DISCORD_PUBLIC_KEY).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ALLSPARK_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        feed: Feed,
    },
    /// Slash command registration.
    Commands {
        #[command(subcommand)]
        action: CommandsAction,
    },
}

#[derive(clap::Args)]
struct Feed {
    /// Also serve battle histories to `allspark-replay` on this loopback address (e.g.
    /// 127.0.0.1:7878), so battles can be stepped through and followed while the bot runs.
    #[arg(long, env = "ALLSPARK_REPLAY_LISTEN")]
    replay_listen: Option<std::net::SocketAddr>,
    /// Serve Prometheus metrics at http://ADDR/metrics.
    #[arg(long, env = "ALLSPARK_METRICS_LISTEN")]
    metrics_listen: Option<std::net::SocketAddr>,
    /// Serve the public web pages (every battle, live or afterwards; the ladder; players) on
    /// this address.
    #[arg(long, env = "ALLSPARK_WEB_LISTEN")]
    web_listen: Option<std::net::SocketAddr>,
    /// The address the web pages are published at (e.g. https://allspark.example.org), for
    /// the Watch links on battle views.
    #[arg(long, env = "ALLSPARK_PUBLIC_URL")]
    public_url: Option<String>,
}

impl Feed {
    /// Starts the replay feed (which also serves backups to the holder of the secret) and the
    /// metrics if asked for; a bad address stops the bot before it connects.
    fn start(
        &self,
        runtime: &tokio::runtime::Runtime,
        engine: &Engine,
        secret: &[u8],
    ) -> anyhow::Result<()> {
        if let Some(listen) = self.metrics_listen {
            let engine = engine.clone();
            runtime.spawn(async move {
                if let Err(error) =
                    allspark_discord::metrics::serve(engine, listen, config::shutdown_signal())
                        .await
                {
                    tracing::error!(%error, "metrics stopped");
                }
            });
        }
        let Some(listen) = self.replay_listen else {
            return Ok(());
        };
        allspark_discord::feed::check_listen(listen)
            .map_err(|error| anyhow::anyhow!("--replay-listen: {error}"))?;
        let engine = engine.clone();
        let token = allspark_discord::feed::backup_token(secret);
        runtime.spawn(async move {
            if let Err(error) = allspark_discord::feed::serve(
                engine,
                listen,
                Some(token),
                config::shutdown_signal(),
            )
            .await
            {
                tracing::error!(%error, "replay feed stopped");
            }
        });
        Ok(())
    }
}

#[derive(Subcommand)]
enum CommandsAction {
    /// Print the registration payload (the body of PUT /applications/{id}/commands) as JSON.
    Export,
    /// Register the commands with Discord (needs DISCORD_TOKEN and DISCORD_APPLICATION_ID).
    Sync {
        /// Register in one guild only (instant; for development).
        #[arg(long, env = "ALLSPARK_DEV_GUILD")]
        guild: Option<u64>,
    },
}

fn main() -> ExitCode {
    config::load_dotenv();
    let _debug_log = match init_tracing() {
        Ok(guard) => guard,
        Err(error) => {
            eprintln!("allspark: {error:#}");
            return ExitCode::from(2);
        }
    };
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("allspark: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The standard-error log (`ALLSPARK_LOG`), and the rolling debug log when
/// `ALLSPARK_DEBUG_LOG` names a file; the guard flushes the debug log when dropped.
fn init_tracing() -> anyhow::Result<Option<tracing_appender::non_blocking::WorkerGuard>> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in a log file or a journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(
            tracing_subscriber::EnvFilter::try_from_env("ALLSPARK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        );
    let debug_path = std::env::var_os("ALLSPARK_DEBUG_LOG").filter(|path| !path.is_empty());
    let Some(path) = debug_path else {
        tracing_subscriber::registry().with(stderr).init();
        return Ok(None);
    };
    let debug_log = allspark_discord::debug_log::DebugLog::at(std::path::Path::new(&path))?;
    let (writer, guard) = tracing_appender::non_blocking(debug_log.appender()?);
    debug_log.install();
    let file = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(tracing_subscriber::EnvFilter::new(
            allspark_discord::debug_log::FILTER,
        ));
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .init();
    Ok(Some(guard))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Mode::Check => {
            let report = allspark_discord::ops::check(&cli.data)?;
            print!("{}", allspark_discord::ops::report_text(&report));
            Ok(if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Mode::Backup {
            dest,
            feed,
            stopped,
        } => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let backup = if stopped {
                runtime.block_on(allspark_discord::ops::backup_stopped(&cli.data, &dest))?
            } else {
                let secret = config::existing_secret(&cli.data)?;
                let token = allspark_discord::feed::backup_token(&secret);
                runtime.block_on(allspark_discord::ops::backup_from_feed(feed, &token, &dest))?
            };
            println!(
                "backed up {} events (up to seq {}) and {} texts to {}",
                backup.events.len(),
                backup.seq,
                backup.texts.len(),
                dest.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::Restore { src } => {
            let restored = allspark_discord::ops::restore(&src, &cli.data)?;
            println!(
                "restored {} events and {} texts into {} ({} players); the server secret is \
                 not in a backup: set ALLSPARK_SECRET or copy the old secret file, or a new one \
                 is made",
                restored.n_events,
                restored.n_texts,
                cli.data.display(),
                restored.n_players
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::ImportLegacy { dir } => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let engine = open(&cli.data, secret_for(&cli.data)?)?;
            let report = runtime.block_on(allspark_discord::ops::import_legacy(&engine, &dir));
            runtime.block_on(engine.shutdown_async());
            print!("{}", report?.text());
            Ok(ExitCode::SUCCESS)
        }
        Mode::Console => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let engine = open(&cli.data, secret_for(&cli.data)?)?;
            let app = recruiting(&engine)?.with_data_dir(&cli.data);
            let mut console = console::Console::new(app);
            let stdin = std::io::stdin();
            // A prompt and line editing only for a person at a terminal: piped input (scripts,
            // tests) is read as it comes, and nothing but the replies is printed.
            let session = async {
                if stdin.is_terminal() {
                    console.run_interactive(std::io::stdout()).await
                } else {
                    console.run(stdin.lock(), std::io::stdout()).await
                }
            };
            runtime
                .block_on(unless_engine_stops(&engine, session))
                .map_err(|state| exit_error(&state))??;
            engine.shutdown();
            Ok(ExitCode::SUCCESS)
        }
        Mode::Commands {
            action: CommandsAction::Export,
        } => {
            println!(
                "{}",
                serde_json::to_string_pretty(&commands::registration_payload())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::Commands {
            action: CommandsAction::Sync { guild },
        } => {
            let settings = config::Discord::from_env(false)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let n = runtime.block_on(config::sync_commands(&settings, guild))?;
            println!(
                "registered {n} commands{}",
                guild.map_or(String::new(), |g| format!(" in guild {g}"))
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::Run { feed } => {
            let settings = config::Discord::from_env(false)?;
            let token = settings.token.clone().ok_or_else(|| {
                anyhow::anyhow!(
                    "DISCORD_TOKEN is not set (the bot token, from the developer portal)"
                )
            })?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let (engine, app) = bot(&cli.data, &runtime, &feed, &settings)?;
            // `/user_says` counts words only with the Message Content intent, which the
            // operator switches on in the developer portal and here.
            let app = if config::flag("ALLSPARK_MESSAGE_CONTENT") {
                app.with_word_counting()
            } else {
                app
            };
            let base = std::env::var("DISCORD_PROXY_BASE").ok();
            runtime.spawn(allspark_discord::worker::run(engine.clone()));
            let live = allspark_discord::live::Live::with_bot_token(
                app.clone(),
                reqwest::Client::new(),
                settings.api_base.clone(),
                Some(token.clone()),
            );
            runtime
                .block_on(unless_engine_stops(
                    &engine,
                    gateway::run(
                        app.clone(),
                        &token,
                        settings.owner,
                        base,
                        Some(live),
                        allspark_discord::http::DEFER_AFTER,
                        config::shutdown_signal(),
                    ),
                ))
                .map_err(|state| exit_error(&state))?
                .map_err(|error| anyhow::anyhow!("gateway: {error}"))?;
            runtime.block_on(app.stress.stop());
            runtime.block_on(engine.shutdown_async());
            Ok(ExitCode::SUCCESS)
        }
        Mode::Serve { listen, feed } => {
            let settings = config::Discord::from_env(true)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let (engine, app) = bot(&cli.data, &runtime, &feed, &settings)?;
            let client = reqwest::Client::new();
            // With DISCORD_TOKEN set, posted market dashboards stay fresh past the interaction
            // token's 15 minutes.
            let live = allspark_discord::live::Live::with_bot_token(
                app.clone(),
                client.clone(),
                settings.api_base.clone(),
                settings.token.clone(),
            );
            let endpoint = http::Endpoint {
                app: app.clone(),
                public_key: http::public_key(&settings.public_key).map_err(anyhow::Error::msg)?,
                operator: settings.owner,
                api_base: settings.api_base.clone(),
                defer_after: http::DEFER_AFTER,
                http: client,
                live: Some(live),
                tasks: Default::default(),
            };
            runtime.spawn(allspark_discord::worker::run(engine.clone()));
            runtime
                .block_on(unless_engine_stops(
                    &engine,
                    http::serve(endpoint, listen, config::shutdown_signal()),
                ))
                .map_err(|state| exit_error(&state))??;
            runtime.block_on(app.stress.stop());
            runtime.block_on(engine.shutdown_async());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `run` and `serve` both start: the engine on the store (with its secret), the replay
/// feed if asked for, and the app with recruitment, its data folder and the Discord settings.
fn bot(
    data: &std::path::Path,
    runtime: &tokio::runtime::Runtime,
    feed: &Feed,
    settings: &config::Discord,
) -> anyhow::Result<(Engine, app::App)> {
    let secret = secret_for(data)?;
    let engine = open(data, secret.clone())?;
    feed.start(runtime, &engine, &secret)?;
    let public_url = feed
        .public_url
        .as_deref()
        .map(allspark_discord::web::check_public_url)
        .transpose()
        .map_err(|error| anyhow::anyhow!("ALLSPARK_PUBLIC_URL: {error}"))?;
    let app = recruiting(&engine)?
        .with_data_dir(data)
        .with_discord(settings.clone())
        .with_web_url(public_url);
    if let Some(listen) = feed.web_listen {
        let web = app.clone();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(listen))
            .map_err(|error| anyhow::anyhow!("--web-listen {listen}: {error}"))?;
        runtime.spawn(async move {
            tracing::info!(%listen, "web pages listening");
            if let Err(error) = allspark_discord::web::serve_on(
                web,
                listener,
                allspark_discord::web::Limits::default(),
                config::shutdown_signal(),
            )
            .await
            {
                tracing::error!(%error, "web pages stopped");
            }
        });
    }
    // Words the storyteller still owes (a restart, a battle's end that opened a segment).
    runtime.spawn(allspark_discord::rpg::story::run(
        engine.clone(),
        app.narrator.clone(),
        allspark_discord::worker::TICK,
    ));
    // Quiz roles a stop left ungiven are given now.
    let sweeping = app.clone();
    runtime.spawn(async move {
        let worker = sweeping.role_worker();
        let n = allspark_discord::social::roles::sweep(&sweeping, worker.as_ref()).await;
        if n > 0 {
            tracing::info!(n, "quiz roles left pending were carried out");
        }
    });
    Ok((engine, app))
}

/// The app, recruiting with the `PNW_*` settings (recruitment stays off without a key), with
/// the grump `ALLSPARK_GRUMP_USER` names (none without it).
fn recruiting(engine: &Engine) -> anyhow::Result<app::App> {
    let settings = config::Pnw::from_env()?;
    Ok(app::App::new(engine.clone())
        .with_recruitment(allspark_discord::recruit::worker::Recruiter::new(settings))
        .with_grump(config::grump_user()?)
        .with_narrator(allspark_discord::rpg::story::Narrator::from_env()))
}

/// The data directory, made if needed, and its server secret.
fn secret_for(data: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    if data.is_file() {
        anyhow::bail!(
            "--data {} is a file, not a directory: the store is a directory (made if it does \
             not exist yet), so pass a directory's path",
            data.display()
        );
    }
    std::fs::create_dir_all(data).map_err(|error| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {error}",
            data.display()
        )
    })?;
    config::server_secret(data)
}

fn open(data: &std::path::Path, secret: Vec<u8>) -> anyhow::Result<Engine> {
    let config = EngineConfig {
        server_secret: secret,
        ..EngineConfig::default()
    };
    Engine::open_dir(data, config).map_err(|error| match error {
        allspark_engine::EngineError::Log(allspark_engine::log::LogError::Locked { .. }) => {
            anyhow::anyhow!(
                "the store in {} is already open in another process (sled lets one process \
                 open a store at a time): is a bot, a console or allspark-replay already running \
                 on it? Stop that one, or give this one its own --data. To read battles while a \
                 bot runs, start it with --replay-listen 127.0.0.1:7878 and point \
                 allspark-replay at http://127.0.0.1:7878/battles/<id>",
                data.display()
            )
        }
        error => anyhow::anyhow!("cannot open the store in {}: {error}", data.display()),
    })
}
