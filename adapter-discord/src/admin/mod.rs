//! The admin area in Discord, the operator's only: the dashboard (`/monitor`, and `/uptime` its
//! short form, from `monitor::sample`, with Refresh), the audit log (`/logs [user] [command]`:
//! the engine's `admin::view::audit_page`, read on the blocking pool, ten entries a page with
//! Previous and Next) and its clearing (`/logs_clear [keep_days]`: `AdminCommand::ClearLogs`,
//! recorded as the operator's and itself an audit entry), and `/sync_commands [guild]`
//! (registers the command table and lists what changed against Discord's list), and
//! `/clear_debug_log` (truncates the rolling debug log file, `debug_log.rs`). `/monitor`'s
//! Stress test button opens the stress test (`stress.rs`): three sizes, a run's live
//! progress with Cancel, and its summary.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Operator";

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::admin::view::{audit_page, audit_point, AuditFilter};
use allspark_engine::admin::AdminCommand;
use allspark_engine::{Command, PlayerId};

use crate::app::{engine_trouble, operator_only, refuse, App, Handled};
use crate::commands::{amount, command, option, text, CommandSpec, Kind};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use ids::{valid_kind, Press, KIND_MAX};

crate::commands::slash_commands! {
    /// The admin area's slash commands.
    pub enum Slash {
        Uptime = "uptime",
        Monitor = "monitor",
        Logs = "logs",
        LogsClear = "logs_clear",
        SyncCommands = "sync_commands",
        ClearDebugLog = "clear_debug_log",
    }
}

/// Days `/logs_clear` may keep at most (the engine allows ten years).
pub const KEEP_DAYS_MAX: i64 = 3_650;

fn operator(spec: CommandSpec) -> CommandSpec {
    CommandSpec {
        operator: true,
        ..spec
    }
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    operator(match slash {
        Slash::Uptime => command(
            name,
            "Operator: uptime, memory, CPU and command latency",
            Vec::new(),
        ),
        Slash::Monitor => command(
            name,
            "Operator: the bot's dashboard (process, store, commands, health)",
            Vec::new(),
        ),
        Slash::Logs => command(
            name,
            "Operator: the audit log (operator actions, erasures, grants, fines, recruitment)",
            vec![
                option(
                    "user",
                    "Only entries by or about this user",
                    Kind::User,
                    false,
                ),
                text(
                    "command",
                    "Only this kind: grant, fine, erasure, recruit, logs_clear, or area.event",
                    false,
                    KIND_MAX,
                ),
            ],
        ),
        Slash::LogsClear => command(
            name,
            "Operator: hide audit entries older than some days (0: all so far); stays audited",
            vec![amount(
                "keep_days",
                "Keep the entries of the last this many days (default 0)",
                false,
                0,
                KEEP_DAYS_MAX,
            )],
        ),
        Slash::SyncCommands => command(
            name,
            "Operator: register the command table with Discord (everywhere, or in one server)",
            vec![text(
                "guild",
                "A server id to register in only (default: everywhere)",
                false,
                20,
            )],
        ),
        Slash::ClearDebugLog => command(
            name,
            "Operator: empty the rolling debug log file (ALLSPARK_DEBUG_LOG)",
            Vec::new(),
        ),
    })
}

/// The area's slash commands, in registry order.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    if !inv.operator {
        return Err(operator_only());
    }
    let bad = |error: InvocationError| refuse(error.to_string());
    match slash {
        Slash::Uptime | Slash::Monitor => {
            let sample = crate::monitor::sample(app).await;
            Ok(Response::Message(render::monitor_view(
                &sample,
                slash == Slash::Monitor,
            )))
        }
        Slash::Logs => {
            let user = options.user("user").map_err(bad)?.map(PlayerId);
            let kind = match options.get("command").map(|k| k.trim().to_lowercase()) {
                None => None,
                Some(kind) if valid_kind(&kind) => Some(kind),
                Some(kind) => {
                    return Err(refuse(format!(
                        "`command` is a kind of entry (grant, fine, erasure, recruit, \
                         logs_clear, or area.event such as pet.renamed), not {}",
                        allspark_engine::ids::quote(&kind)
                    )))
                }
            };
            logs(app, AuditFilter { user, kind }, 0)
                .await
                .map(Response::Message)
        }
        Slash::LogsClear => {
            let days = options.integer("keep_days").map_err(bad)?.unwrap_or(0);
            if !(0..=KEEP_DAYS_MAX).contains(&days) {
                return Err(refuse(format!("keep_days is from 0 to {KEEP_DAYS_MAX}")));
            }
            let keep_secs = u64::try_from(days).unwrap_or(0) * 86_400;
            app.execute_as(
                inv.id,
                inv.operator_actor(),
                Command::Admin(AdminCommand::ClearLogs { keep_secs }),
            )
            .await?;
            let (before, _) = app.read(audit_point).await?;
            tracing::info!(operator = inv.user, days, "audit log cleared");
            Ok(Response::Message(render::cleared(before)))
        }
        Slash::SyncCommands => {
            let guild = match options.get("guild").map(str::trim) {
                None => None,
                Some(text) => match text.parse::<u64>() {
                    Ok(id) if id > 0 => Some(id),
                    _ => {
                        return Err(refuse(format!(
                            "`guild` is a server id (digits), not {}",
                            allspark_engine::ids::quote(text)
                        )))
                    }
                },
            };
            let Some(settings) = app.discord.as_deref() else {
                return Err(refuse(
                    "This bot isn't connected to Discord here (the console): run                      `allspark commands sync` instead.",
                ));
            };
            match crate::config::sync_commands_report(settings, guild).await {
                Ok(report) => {
                    tracing::info!(operator = inv.user, ?guild, "commands synced");
                    Ok(Response::Message(render::synced(&report, guild)))
                }
                Err(error) => {
                    tracing::warn!(%error, "command sync failed");
                    Err(refuse(format!("Nothing was registered: {error}")))
                }
            }
        }
        Slash::ClearDebugLog => {
            let Some(log) = crate::debug_log::DebugLog::current() else {
                return Err(refuse(
                    "There is no debug log: start the bot with ALLSPARK_DEBUG_LOG=path to keep one.",
                ));
            };
            match tokio::task::spawn_blocking(move || log.clear()).await {
                Ok(Ok((files, bytes))) => {
                    tracing::info!(operator = inv.user, files, bytes, "debug log cleared");
                    Ok(Response::Message(Reply {
                        ephemeral: true,
                        ..Reply::text(format!(
                            "Debug log cleared: {bytes} bytes in {}.",
                            crate::view::plural(files as u64, "file", "files")
                        ))
                    }))
                }
                Ok(Err(error)) => Err(refuse(format!(
                    "The debug log could not be cleared: {error}"
                ))),
                Err(joined) => Err(refuse(format!(
                    "The debug log could not be cleared: {joined}"
                ))),
            }
        }
    }
}

/// One page of the audit log, read off the core (it scans the log).
async fn logs(app: &App, filter: AuditFilter, page: usize) -> Result<Reply, Response> {
    let point = app.read(audit_point).await?;
    let log = app.engine.log().clone();
    let wanted = filter.clone();
    let read =
        tokio::task::spawn_blocking(move || audit_page(log.as_ref(), point, &wanted, page)).await;
    match read {
        Ok(Ok(page)) => Ok(render::logs_view(&page, &filter)),
        Ok(Err(error)) => Err(engine_trouble(&error.into())),
        Err(joined) => Err(engine_trouble(&allspark_engine::EngineError::ReadPanicked(
            joined.to_string(),
        ))),
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    if !inv.operator {
        return Err(operator_only());
    }
    match press {
        Press::MonitorRefresh { full } => {
            let sample = crate::monitor::sample(app).await;
            Ok(Response::Update(render::monitor_view(&sample, full)))
        }
        Press::LogsPage { page, user, kind } => {
            let filter = AuditFilter {
                user: user.map(PlayerId),
                kind,
            };
            logs(app, filter, page).await.map(Response::Update)
        }
        Press::StressMenu => {
            let latest = app.stress.latest().map(|run| run.progress());
            Ok(Response::Update(render::stress_menu(latest.as_ref())))
        }
        Press::StressStart { size } => {
            let live = app.data.as_deref().cloned();
            match app.stress.start(size, inv.user, live) {
                Ok(run) => {
                    tracing::info!(
                        operator = inv.user,
                        size = size.label(),
                        "stress test asked for"
                    );
                    Ok(Response::Update(render::stress_view(&run.progress())))
                }
                Err(going) => {
                    let progress = going.progress();
                    Err(refuse(format!(
                        "A stress test is already running ({} of {} commands done); wait for \
                         it to end, or cancel it, before starting another.",
                        progress.done, progress.planned
                    )))
                }
            }
        }
        Press::StressShow => match app.stress.latest() {
            Some(run) => Ok(Response::Update(render::stress_view(&run.progress()))),
            None => Err(refuse(
                "No stress test has run since AllSpark started; start one from /monitor.",
            )),
        },
        Press::StressCancel => match app.stress.latest().filter(|run| !run.is_over()) {
            Some(run) => {
                run.cancel();
                tracing::info!(operator = inv.user, "stress test cancelled");
                Ok(Response::Update(render::stress_view(&run.progress())))
            }
            None => Err(refuse("No stress test is running.")),
        },
    }
}

pub async fn form(
    _app: &App,
    _inv: &Invocation,
    _press: Press,
    _fields: &BTreeMap<String, String>,
) -> Handled {
    Err(refuse("This form has expired; run the command again."))
}

pub async fn autocomplete(
    _app: &App,
    _inv: &Invocation,
    _slash: Slash,
    _option: &str,
    _partial: &str,
) -> Vec<Choice> {
    Vec::new()
}
