//! The admin area's views: the operator's dashboard (`/monitor`, `/uptime`), the audit log's
//! pages (`/logs`), a clearing's answer (`/logs_clear`), and the words for admin events.
//! Pure: samples and engine read models in, [`Reply`] out.

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
    .with_rows(vec![Row::Buttons(vec![Button {
        label: "Refresh".into(),
        custom_id: Press::MonitorRefresh { full }.encode(),
        style: ButtonStyle::Secondary,
        disabled: false,
    }])])
}
