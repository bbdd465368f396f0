//! The admin area's views: the operator's dashboard (`/monitor`, `/uptime`), the stress test
//! started from it (its sizes, its progress and summary), the audit log's pages (`/logs`), a
//! clearing's answer (`/logs_clear`), and the words for admin events. Pure: samples, progress
//! and engine read models in, [`Reply`] out.

use allspark_engine::admin::view::{AuditFilter, AuditPage};
use allspark_engine::admin::AdminEvent;
use allspark_engine::Actor;

use crate::admin::ids::Press;
use crate::custom_id::Encode;
use crate::reply::{color, limits, Button, ButtonStyle, Embed, Reply, Row};
use crate::view::{field, truncate, when};

/// A line of words for an admin event.
pub fn describe(event: &AdminEvent) -> Option<String> {
    Some(match event {
        AdminEvent::LogsCleared { before } => {
            format!("audit entries from before {} hidden", when(*before))
        }
    })
}

/// Who did it, as the audit log names them (mentions never ping: the reply pings nobody).
fn actor(actor: Actor) -> String {
    match actor {
        Actor::System => "the system".to_string(),
        Actor::Player(player) => format!("<@{player}>"),
        Actor::Operator(operator) => format!("operator <@{operator}>"),
    }
}

/// Characters of one entry's line at most (ten fit a description with room to spare).
const ENTRY_CHARS: usize = 300;

/// One page of the audit log with its filters, Previous and Next.
pub fn logs_view(page: &AuditPage, filter: &AuditFilter) -> Reply {
    let mut filters = Vec::new();
    if let Some(user) = filter.user {
        filters.push(format!("user <@{user}>"));
    }
    if let Some(kind) = &filter.kind {
        filters.push(format!("kind `{kind}`"));
    }
    let lines: Vec<String> = page
        .entries
        .iter()
        .map(|entry| {
            let words = crate::areas::describe(&entry.event.event).unwrap_or_default();
            truncate(
                &format!(
                    "`#{}` {} **{}** by {}: {}",
                    entry.event.seq,
                    when(entry.event.recorded_at),
                    entry.kind,
                    actor(entry.event.actor),
                    words
                ),
                ENTRY_CHARS,
            )
        })
        .collect();
    let description = if lines.is_empty() {
        "No audit entries match.".to_string()
    } else {
        lines.join("\n")
    };
    let mut footer = format!(
        "Page {} of {} · {} entries",
        page.page + 1,
        page.pages,
        page.total
    );
    if page.hidden > 0 {
        footer.push_str(&format!(" · {} hidden by clearings", page.hidden));
    }
    let press = |to: usize| Press::LogsPage {
        page: to,
        user: filter.user.map(|u| u.0),
        kind: filter.kind.clone(),
    };
    let reply = Reply {
        ephemeral: true,
        ..Reply::embed(Embed {
            title: Some(if filters.is_empty() {
                "Audit log".to_string()
            } else {
                truncate(
                    &format!("Audit log: {}", filters.join(", ")),
                    limits::EMBED_TITLE_CHARS,
                )
            }),
            description: Some(truncate(&description, limits::EMBED_DESCRIPTION_CHARS)),
            color: Some(color::NEUTRAL),
            fields: Vec::new(),
            footer: Some(footer),
            image: None,
        })
    };
    reply.with_rows(vec![Row::Buttons(vec![
        Button {
            label: "Previous".into(),
            custom_id: press(page.page.saturating_sub(1)).encode(),
            style: ButtonStyle::Secondary,
            disabled: page.page == 0,
        },
        Button {
            label: "Next".into(),
            custom_id: press(page.page + 1).encode(),
            style: ButtonStyle::Secondary,
            disabled: page.page + 1 >= page.pages,
        },
    ])])
}

/// `/logs_clear` done: what is hidden now, and that the clearing itself stays.
pub fn cleared(before: Option<allspark_engine::Timestamp>) -> Reply {
    let point = before.map_or("now".to_string(), when);
    Reply {
        ephemeral: true,
        ..Reply::text(format!(
            "Audit entries from before {point} are hidden from /logs. The events stay in the \
             log, and this clearing is itself an entry."
        ))
    }
}

/// `/sync_commands` done: what changed, name by name (cut to fit).
pub fn synced(report: &crate::config::SyncReport, guild: Option<u64>) -> Reply {
    let list = |names: &[String]| {
        if names.is_empty() {
            "none".to_string()
        } else {
            truncate(
                &names
                    .iter()
                    .map(|n| format!("/{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                limits::FIELD_VALUE_CHARS,
            )
        }
    };
    let fields = vec![
        field(
            format!("Added ({})", report.added.len()),
            list(&report.added),
            false,
        ),
        field(
            format!("Changed ({})", report.changed.len()),
            list(&report.changed),
            false,
        ),
        field(
            format!("Removed ({})", report.removed.len()),
            list(&report.removed),
            false,
        ),
        field("Unchanged", report.unchanged.to_string(), false),
    ];
    Reply {
        ephemeral: true,
        ..Reply::embed(Embed {
            title: Some(match guild {
                Some(guild) => format!("Commands registered in server {guild}"),
                None => "Commands registered everywhere".to_string(),
            }),
            description: Some(
                "Discord may take a moment to show the changes in its clients.".to_string(),
            ),
            color: Some(color::NEUTRAL),
            fields,
            footer: None,
            image: None,
        })
    }
}

/// Bytes in the largest fitting unit, with one decimal.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    let mut tenths = u128::from(n) * 10;
    while tenths >= 10 * 1024 && unit + 1 < UNITS.len() {
        tenths /= 1024;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
    }
}

/// A duration as days, hours, minutes and seconds (the leading zero units left out).
fn span(d: std::time::Duration) -> String {
    let s = d.as_secs();
    let (days, hours, minutes, seconds) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    if days > 0 {
        format!("{days}d {hours}h {minutes}m")
    } else if hours > 0 {
        format!("{hours}h {minutes}m {seconds}s")
    } else if minutes > 0 {
        format!("{minutes}m {seconds}s")
    } else {
        format!("{seconds}s")
    }
}

fn millis(d: Option<std::time::Duration>) -> String {
    match d {
        None => "no answers yet".to_string(),
        Some(d) if d.as_micros() < 1_000 => format!("≤ {} µs", d.as_micros()),
        Some(d) => format!("≤ {} ms", d.as_millis()),
    }
}

fn known(n: Option<u64>) -> String {
    n.map_or("unknown here".to_string(), |n| n.to_string())
}

/// `/monitor` (`full`) or `/uptime`: one sample, its health lights and a Refresh button.
pub fn monitor_view(sample: &crate::monitor::Sample, full: bool) -> Reply {
    use crate::monitor::{health, Light};
    let lights = health(sample);
    let worst = lights
        .iter()
        .map(|(_, light)| *light)
        .max_by_key(|light| match light {
            Light::Green => 0,
            Light::Yellow => 1,
            Light::Red => 2,
        })
        .unwrap_or(Light::Green);
    let colour = match worst {
        Light::Green => 0x2e_cc_71,
        Light::Yellow => 0xf1_c4_0f,
        Light::Red => color::REFUSED,
    };
    let memory = if sample.total_memory == 0 {
        bytes(sample.memory)
    } else {
        format!(
            "{} of {} ({}%)",
            bytes(sample.memory),
            bytes(sample.total_memory),
            u128::from(sample.memory) * 100 / u128::from(sample.total_memory)
        )
    };
    let cpu = format!(
        "{:.1}% of one core ({} cores)",
        sample.cpu_percent, sample.cores
    );
    let latency = format!("p50 {}, p99 {}", millis(sample.p50), millis(sample.p99));
    let mut fields = vec![
        field("Uptime", span(sample.uptime), true),
        field("Memory", memory, true),
        field("CPU", cpu, true),
        field("Command latency", latency, true),
    ];
    if full {
        let store = sample.store_bytes.map_or("in memory".to_string(), bytes);
        let snapshot = sample
            .snapshot_seq
            .map_or("none yet".to_string(), |seq| format!("at event {seq}"));
        fields.extend([
            field(
                "Process",
                format!(
                    "threads: {}\nopen files: {}",
                    known(sample.threads),
                    known(sample.open_files)
                ),
                true,
            ),
            field("Store on disk", store, true),
            field(
                "Discord",
                format!(
                    "guilds seen: {}\nusers seen: {}\nplayers: {}",
                    sample.guilds_seen, sample.users_seen, sample.players
                ),
                true,
            ),
            field(
                "Commands",
                format!(
                    "last minute: {}\nanswered: {}\nrefused: {}",
                    sample.per_minute, sample.answered, sample.refused
                ),
                true,
            ),
            field(
                "Log",
                format!("{} events\nsnapshot: {snapshot}", sample.log_events),
                true,
            ),
            field(
                "Core",
                truncate(&sample.core.to_string(), limits::FIELD_VALUE_CHARS),
                true,
            ),
        ]);
    }
    fields.push(field(
        "Health",
        lights
            .iter()
            .map(|(name, light)| format!("{} {name}", light.emoji()))
            .collect::<Vec<_>>()
            .join("  "),
        false,
    ));
    Reply {
        ephemeral: true,
        ..Reply::embed(Embed {
            title: Some(
                if full {
                    "AllSpark monitor"
                } else {
                    "AllSpark uptime"
                }
                .into(),
            ),
            description: None,
            color: Some(colour),
            fields,
            footer: None,
            image: None,
        })
    }
    .with_rows(vec![Row::Buttons(monitor_buttons(full))])
}

fn monitor_buttons(full: bool) -> Vec<Button> {
    let mut buttons = vec![Button {
        label: "Refresh".into(),
        custom_id: Press::MonitorRefresh { full }.encode(),
        style: ButtonStyle::Secondary,
        disabled: false,
    }];
    if full {
        buttons.push(Button {
            label: "Stress test".into(),
            custom_id: Press::StressMenu.encode(),
            style: ButtonStyle::Secondary,
            disabled: false,
        });
    }
    buttons
}

/// A number with thousands separated: `50,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a stress run works, said on its menu.
const STRESS_ABOUT: &str = "Synthetic players play a realistic mix of real commands (first \
    contact, adopting, care, training, missions, slots, the Rush, the bank, transfers, solo \
    battles move by move) through a second engine on a scratch store in a temporary \
    directory, beside the live bot. The live data is never touched; the scratch store is \
    deleted afterwards. One run at a time; a run ends after its commands, when cancelled, or \
    after 10 minutes.";

/// `/monitor`'s Stress test: the sizes, or (while one goes) the run going and a way to it.
pub fn stress_menu(latest: Option<&crate::stress::Progress>) -> Reply {
    use crate::stress::Size;
    let going = latest.filter(|p| !p.state.is_over());
    let fields = Size::ALL
        .iter()
        .map(|size| {
            field(
                format!("{} players", thousands(u64::from(size.players()))),
                format!(
                    "{} commands, {} at a time",
                    thousands(size.commands()),
                    size.tasks()
                ),
                true,
            )
        })
        .collect();
    let mut description = STRESS_ABOUT.to_string();
    if let Some(run) = going {
        description.push_str(&format!(
            "\n\nA run is going: {} of {} commands done.",
            thousands(run.done),
            thousands(run.planned)
        ));
    }
    let mut buttons: Vec<Button> = Size::ALL
        .iter()
        .map(|size| Button {
            label: format!("{} players", thousands(u64::from(size.players()))),
            custom_id: Press::StressStart { size: *size }.encode(),
            style: ButtonStyle::Primary,
            disabled: going.is_some(),
        })
        .collect();
    if going.is_some() {
        buttons.push(Button {
            label: "Show the run".into(),
            custom_id: Press::StressShow.encode(),
            style: ButtonStyle::Secondary,
            disabled: false,
        });
    }
    buttons.push(Button {
        label: "Back".into(),
        custom_id: Press::MonitorRefresh { full: true }.encode(),
        style: ButtonStyle::Secondary,
        disabled: false,
    });
    Reply {
        ephemeral: true,
        ..Reply::embed(Embed {
            title: Some("Stress test".into()),
            description: Some(description),
            color: Some(color::NEUTRAL),
            fields,
            footer: Some("Choose a size to start.".into()),
            image: None,
        })
    }
    .with_rows(vec![Row::Buttons(buttons)])
}

/// A wall-clock duration as a stress view shows it: `850 ms`, `12.3 s`, `4m 05s`.
fn elapsed(d: std::time::Duration) -> String {
    let millis = d.as_millis();
    if millis < 1_000 {
        format!("{millis} ms")
    } else if millis < 60_000 {
        format!("{}.{} s", millis / 1_000, millis % 1_000 / 100)
    } else {
        format!("{}m {:02}s", millis / 60_000, millis % 60_000 / 1_000)
    }
}

/// A stress run going (its counts so far, Cancel and Refresh) or over (its summary, by kind of
/// command, and a way to run again).
pub fn stress_view(progress: &crate::stress::Progress) -> Reply {
    use crate::stress::State;
    let size = progress.size;
    let (status, colour) = match &progress.state {
        State::Preparing => ("preparing the scratch store".to_string(), color::NEUTRAL),
        State::Running if progress.cancelling => ("cancelling".to_string(), color::NEUTRAL),
        State::Running => ("running".to_string(), color::ENERGON),
        State::Finished => ("finished".to_string(), 0x2e_cc_71),
        State::Cancelled => ("cancelled".to_string(), 0xf1_c4_0f),
        State::TimedOut => ("stopped at the 10-minute limit".to_string(), 0xf1_c4_0f),
        State::Failed(why) => (format!("failed: {why}"), color::REFUSED),
    };
    let over = progress.state.is_over();
    let share = |n: u64| {
        (n * 100)
            .checked_div(progress.done)
            .map_or(String::new(), |percent| format!(" ({percent}%)"))
    };
    let mut fields = vec![
        field(
            "Commands",
            format!(
                "{}\n{} of {}",
                crate::view::bar(progress.done, progress.planned)
                    .split(' ')
                    .next()
                    .unwrap_or_default(),
                thousands(progress.done),
                thousands(progress.planned)
            ),
            true,
        ),
        field(
            "Outcomes",
            format!(
                "accepted: {}{}\nrejected: {}{}\nerrors: {}",
                thousands(progress.accepted),
                share(progress.accepted),
                thousands(progress.rejected),
                share(progress.rejected),
                thousands(progress.errors)
            ),
            true,
        ),
        field(
            "Throughput",
            format!(
                "{} commands/s\nelapsed: {}",
                thousands(progress.per_second),
                elapsed(progress.elapsed)
            ),
            true,
        ),
        field(
            "Latency",
            format!(
                "p50 {}\np95 {}\np99 {}",
                millis(progress.p50),
                millis(progress.p95),
                millis(progress.p99)
            ),
            true,
        ),
        field(
            "Scratch store",
            if !over {
                "a temporary directory, deleted afterwards".to_string()
            } else if progress.scratch_removed {
                "deleted".to_string()
            } else {
                "not deleted: see the bot's log".to_string()
            },
            true,
        ),
    ];
    if over && !progress.by_work.is_empty() {
        let lines: Vec<String> = progress
            .by_work
            .iter()
            .map(|count| {
                format!(
                    "{}: {} ({} accepted)",
                    count.work.label(),
                    thousands(count.done),
                    thousands(count.accepted)
                )
            })
            .collect();
        fields.push(field(
            "By command",
            truncate(&lines.join("\n"), limits::FIELD_VALUE_CHARS),
            false,
        ));
    }
    let buttons = if over {
        vec![
            Button {
                label: "Run again".into(),
                custom_id: Press::StressMenu.encode(),
                style: ButtonStyle::Primary,
                disabled: false,
            },
            Button {
                label: "Back to the monitor".into(),
                custom_id: Press::MonitorRefresh { full: true }.encode(),
                style: ButtonStyle::Secondary,
                disabled: false,
            },
        ]
    } else {
        vec![
            Button {
                label: "Cancel".into(),
                custom_id: Press::StressCancel.encode(),
                style: ButtonStyle::Danger,
                disabled: progress.cancelling,
            },
            Button {
                label: "Refresh".into(),
                custom_id: Press::StressShow.encode(),
                style: ButtonStyle::Secondary,
                disabled: false,
            },
        ]
    };
    Reply {
        ephemeral: true,
        ..Reply::embed(Embed {
            title: Some(truncate(
                &format!(
                    "Stress test ({}, {} players): {status}",
                    size.label(),
                    thousands(u64::from(size.players()))
                ),
                limits::EMBED_TITLE_CHARS,
            )),
            description: None,
            color: Some(colour),
            fields,
            footer: Some(
                "Wall-clock timings taken in the adapter around each command; the live store \
                 is never touched."
                    .into(),
            ),
            image: None,
        })
    }
    .with_rows(vec![Row::Buttons(buttons)])
}

/// One line of a stress run's progress, for the console between its frames.
pub fn stress_line(progress: &crate::stress::Progress) -> String {
    format!(
        "stress: {} of {} commands · accepted {}, rejected {}, errors {} · {} commands/s · \
         p50 {}, p95 {}, p99 {} · {}\n",
        thousands(progress.done),
        thousands(progress.planned),
        thousands(progress.accepted),
        thousands(progress.rejected),
        thousands(progress.errors),
        thousands(progress.per_second),
        millis(progress.p50),
        millis(progress.p95),
        millis(progress.p99),
        elapsed(progress.elapsed)
    )
}
