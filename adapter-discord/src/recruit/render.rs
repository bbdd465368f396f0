//! The recruit area's views: the nations a leader may message (10 a page, up to 100), a send
//! run's progress, `/recruitment_stats`, what to configure, and the words for its events.
//! Pure: fetched nations, engine read models and progress counts in, [`Reply`] out.

use allspark_engine::recruit::view::{SendLine, Stats};
use allspark_engine::recruit::{RecruitEvent, SendStatus};
use allspark_engine::Timestamp;

use crate::recruit::client::Nation;
use crate::recruit::ids::Press;
use crate::recruit::worker::{Progress, Session, PAGE_LEN};
use crate::reply::{color, ButtonStyle, Embed, Reply, Row};
use crate::view::{button, field, plural, truncate, when};

/// A line of words for a recruitment event.
pub fn describe(event: &RecruitEvent) -> Option<String> {
    Some(match event {
        RecruitEvent::Attempted { send, nation, .. } => {
            format!("Recruitment message {send} to nation {nation} is on its way")
        }
        RecruitEvent::Confirmed { send, .. } => format!("Recruitment message {send} delivered"),
        RecruitEvent::Failed { send, reason, .. } => {
            format!(
                "Recruitment message {send} not delivered ({})",
                reason.label()
            )
        }
    })
}

/// What to set up before recruiting works.
pub fn not_configured() -> Reply {
    Reply::refusal(
        "Recruitment is off: set PNW_API_KEY (a Politics & War API key allowed to send \
         messages) and PNW_LEADERS (Discord user ids) or PNW_LEADER_ROLES (role ids), \
         comma-separated; optionally PNW_ALLIANCE_NAME. Then restart AllSpark.",
    )
}

pub fn leaders_only() -> Reply {
    Reply::refusal(
        "Only the alliance's recruitment leaders can do that (PNW_LEADERS or PNW_LEADER_ROLES).",
    )
}

/// A name from the game, safe to put in an embed: no markdown, at most 40 characters.
fn clean(text: &str) -> String {
    let plain: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '*' | '_' | '~' | '`' | '|' | '[' | ']' | '(' | ')' | '<' | '>' | '@' | '#'
            )
        })
        .filter(|c| !c.is_control())
        .collect();
    let plain = plain.trim();
    truncate(if plain.is_empty() { "?" } else { plain }, 40)
}

/// How recently a nation was active, as a coloured dot.
pub fn badge(last_active: Timestamp, now: Timestamp) -> &'static str {
    let hours = (now.0 - last_active.0).max(0) / 3_600_000;
    match hours {
        0 => "🟢",
        1..=23 => "🟡",
        24..=167 => "🟠",
        _ => "🔴",
    }
}

fn nation_line(nation: &Nation, now: Timestamp) -> String {
    format!(
        "{} **[{}](https://politicsandwar.com/nation/id={})**: {} · {} · score {:.0} · active {}",
        badge(nation.last_active, now),
        clean(&nation.nation_name),
        nation.id,
        clean(&nation.leader_name),
        plural(u64::from(nation.cities), "city", "cities"),
        nation.score.max(0.0),
        when(nation.last_active),
    )
}

pub fn pages(session: &Session) -> u8 {
    session.nations.len().div_ceil(PAGE_LEN).max(1) as u8
}

/// One page of a browse.
pub fn browse_view(session_id: u64, session: &Session, page: u8, now: Timestamp) -> Reply {
    let owner = session.owner;
    let n_pages = pages(session);
    let page = page.min(n_pages - 1);
    let start = usize::from(page) * PAGE_LEN;
    let shown: Vec<&Nation> = session.nations.iter().skip(start).take(PAGE_LEN).collect();
    let description = if shown.is_empty() {
        "No nation can be messaged right now: every one fetched is allied, in vacation mode, \
         inactive or on cooldown. Try Refresh later."
            .to_string()
    } else {
        shown
            .iter()
            .map(|n| nation_line(n, now))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let f = &session.filtered;
    let mut footer = format!(
        "Fetched {} · hidden: {} on cooldown, {} inactive, {} in vacation mode, {} allied or admin",
        session.fetched,
        f.on_cooldown,
        f.inactive,
        f.vacation,
        f.allied + f.admin
    );
    if let Some(stopped) = &session.stopped {
        footer.push_str(&format!(" · the fetch stopped early: {stopped}"));
    }
    let embed = Embed {
        title: Some(format!(
            "🎯 Recruitable nations · page {} of {n_pages}",
            page + 1
        )),
        description: Some(truncate(&description, 4_000)),
        color: Some(color::AUTOBOT),
        fields: Vec::new(),
        footer: Some(truncate(&footer, 2_000)),
        image: None,
    };
    // Only the ways that lead somewhere: two buttons to one page would share a custom_id.
    let nav = |label: &str, to: u8| {
        button(
            label,
            Press::Page {
                owner,
                session: session_id,
                page: to,
            },
            ButtonStyle::Secondary,
        )
    };
    let mut first_row = Vec::new();
    if page > 0 {
        first_row.push(nav("◀ Previous", page - 1));
    }
    if page + 1 < n_pages {
        first_row.push(nav("Next ▶", page + 1));
    }
    first_row.push(button(
        "🔄 Refresh",
        Press::Refresh { owner },
        ButtonStyle::Secondary,
    ));
    let mut send_page = button(
        format!("🎯 Recruit This Page ({})", shown.len()),
        Press::SendPage {
            owner,
            session: session_id,
            page,
        },
        ButtonStyle::Primary,
    );
    send_page.disabled = shown.is_empty();
    let mut send_all = button(
        format!("🚀 Mass Recruit All Shown ({})", session.nations.len()),
        Press::SendAll {
            owner,
            session: session_id,
        },
        ButtonStyle::Danger,
    );
    send_all.disabled = session.nations.is_empty();
    Reply::embed(embed).with_rows(vec![
        Row::Buttons(first_row),
        Row::Buttons(vec![
            send_page,
            send_all,
            button("⏹ Stop", Press::Stop { owner }, ButtonStyle::Secondary),
            button(
                "📊 Progress",
                Press::Progress { owner },
                ButtonStyle::Secondary,
            ),
        ]),
    ])
}

/// A send run's live counts, with Stop and a refresh of the counts.
/// How a fetch-progress view begins (how the transports recognise one).
pub const FETCHING: &str = "Fetching nations from Politics & War";

/// A fetch still running: pages read so far of the most it may read, and a button that shows
/// the list once it is there (the message also updates itself).
pub fn fetch_view(owner: u64, session: u64, pages: usize, pages_max: usize) -> Reply {
    Reply {
        content: Some(format!(
            "{FETCHING}: page {pages} of at most {pages_max} read (500 nations a page). The \
             list appears here when the fetch is done."
        )),
        ephemeral: true,
        ..Reply::default()
    }
    .with_rows(vec![Row::Buttons(vec![button(
        "Show the list",
        Press::Page {
            owner,
            session,
            page: 0,
        },
        ButtonStyle::Secondary,
    )])])
}

pub fn progress_view(progress: &Progress, interval_ms: u64) -> Reply {
    let owner = progress.owner;
    let state = if progress.done {
        match &progress.ended {
            Some(why) => format!("Finished early: {why}."),
            None => "Finished.".to_string(),
        }
    } else if progress.stopping {
        "Stopping after the send in flight…".to_string()
    } else {
        let secs = (progress.remaining as u64 * interval_ms).div_ceil(1000);
        format!("Sending, one every {interval_ms} ms: about {secs} s left.")
    };
    let mut fields = vec![
        field("Sent", progress.sent.to_string(), true),
        field("Failed", progress.failed.to_string(), true),
        field("Remaining", progress.remaining.to_string(), true),
        field("Skipped (cooldown)", progress.skipped.to_string(), true),
    ];
    if progress.unknown > 0 {
        fields.push(field(
            "Outcome unknown",
            format!(
                "{}: never retried; listed in /recruitment_stats for review",
                progress.unknown
            ),
            false,
        ));
    }
    let embed = Embed {
        title: Some(format!("📨 Recruitment run · {} nations", progress.total)),
        description: Some(state),
        color: Some(color::AUTOBOT),
        fields,
        footer: None,
        image: None,
    };
    let mut stop = button("⏹ Stop", Press::Stop { owner }, ButtonStyle::Danger);
    stop.disabled = progress.done || progress.stopping;
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![
        stop,
        button(
            "📊 Progress",
            Press::Progress { owner },
            ButtonStyle::Secondary,
        ),
        button(
            "🔄 Browse again",
            Press::Refresh { owner },
            ButtonStyle::Secondary,
        ),
    ])])
}

fn status_word(status: SendStatus) -> String {
    match status {
        SendStatus::Attempted => "⏳ awaiting review".to_string(),
        SendStatus::Confirmed => "✅ delivered".to_string(),
        SendStatus::Failed(reason) => format!("❌ {}", reason.label()),
    }
}

fn send_line(line: &SendLine) -> String {
    let leader = line
        .leader
        .map_or("an erased leader".to_string(), |l| format!("<@{l}>"));
    format!(
        "#{} [nation {}](https://politicsandwar.com/nation/id={}) · {} · {} · {}",
        line.send,
        line.nation,
        line.nation,
        leader,
        when(line.at),
        status_word(line.status)
    )
}

/// `/recruitment_stats`.
pub fn stats_view(stats: &Stats, configured: bool) -> Reply {
    let t = &stats.totals;
    let mut fields = vec![
        field(
            "Messages",
            format!(
                "{} attempted · {} delivered · {} not delivered",
                t.attempted, t.confirmed, t.failed
            ),
            false,
        ),
        field("Unique nations", stats.unique_nations.to_string(), true),
        field("On cooldown", stats.on_cooldown.to_string(), true),
        field(
            "Next available",
            stats.next_available.map_or("now".to_string(), |at| {
                format!("<t:{}:f> ({})", at.0.div_euclid(1000), when(at))
            }),
            true,
        ),
    ];
    let recent = if stats.recent.is_empty() {
        "None yet.".to_string()
    } else {
        stats
            .recent
            .iter()
            .map(send_line)
            .collect::<Vec<_>>()
            .join("\n")
    };
    if stats.awaiting_total > 0 {
        let mut lines: Vec<String> = stats.awaiting.iter().map(send_line).collect();
        if stats.awaiting_total > stats.awaiting.len() {
            lines.push(format!(
                "…and {} more",
                stats.awaiting_total - stats.awaiting.len()
            ));
        }
        fields.push(field(
            format!(
                "Awaiting review ({}): sent or not, nobody knows; never retried",
                stats.awaiting_total
            ),
            truncate(&lines.join("\n"), 1_024),
            false,
        ));
    }
    let footer = (!configured).then(|| {
        "Sending is off: set PNW_API_KEY and PNW_LEADERS or PNW_LEADER_ROLES.".to_string()
    });
    Reply::embed(Embed {
        title: Some("📈 Recruitment statistics".to_string()),
        description: Some(truncate(
            &format!(
                "No nation gets a message within 60 hours of its last one, nor the same \
                 template within 60 days.\n\n**Last ten sends**\n{recent}"
            ),
            4_000,
        )),
        color: Some(color::AUTOBOT),
        fields,
        footer,
        image: None,
    })
}
