//! View helpers every area's views share: bars, embed fields, buttons, truncation, the minute
//! a view was drawn, and the one-embed summary of what a command did.

use allspark_engine::{Event, Timestamp};

use crate::custom_id::Encode;
use crate::reply::{color, Button, ButtonStyle, Embed, EmbedField, Reply, Row};

/// A ten-cell bar with the numbers: `▰▰▰▱▱▱▱▱▱▱ 30/100`.
pub fn bar(value: u64, max: u64) -> String {
    format!("{} {value}/{}", cells(value, max), max.max(1))
}

/// The ten cells of [`bar`] alone: `▰▰▰▱▱▱▱▱▱▱`.
pub fn cells(value: u64, max: u64) -> String {
    let max = max.max(1);
    let filled = (value.min(max) * 10 / max) as usize;
    format!("{}{}", "▰".repeat(filled), "▱".repeat(10 - filled))
}

pub(crate) fn field(name: impl Into<String>, value: impl Into<String>, inline: bool) -> EmbedField {
    EmbedField {
        name: name.into(),
        value: value.into(),
        inline,
    }
}

/// The first button of `response` whose press `pick` accepts, decoded through the registry:
/// how an area tells which of its live views a response shows.
pub(crate) fn shown<T>(
    response: &crate::reply::Response,
    pick: impl Fn(crate::areas::Press) -> Option<T>,
) -> Option<T> {
    response.reply()?.rows.iter().find_map(|row| match row {
        Row::Buttons(buttons) => buttons
            .iter()
            .find_map(|b| pick(crate::areas::Press::decode(&b.custom_id)?)),
        _ => None,
    })
}

pub(crate) fn button(label: impl Into<String>, press: impl Encode, style: ButtonStyle) -> Button {
    Button {
        label: label.into(),
        custom_id: press.encode(),
        style,
        disabled: false,
    }
}

/// Previous and Next for page `page` (from 0) of `n_pages`, each pressing `press(page)`;
/// the one that would leave the range is disabled.
pub(crate) fn pager<P: Encode>(page: usize, n_pages: usize, press: impl Fn(usize) -> P) -> Row {
    let go = |label: &str, to: usize, disabled: bool| Button {
        disabled,
        ..button(label, press(to), ButtonStyle::Secondary)
    };
    Row::Buttons(vec![
        go("Previous", page.saturating_sub(1), page == 0),
        go("Next", page + 1, page + 1 >= n_pages),
    ])
}

pub(crate) fn minute(now: Timestamp) -> i64 {
    now.0 / 60_000
}

/// A count with its noun in the right number: `1 turn`, `2 turns`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A Discord timestamp that every client shows in its reader's words ("in 9 minutes"); the
/// console prints the same relative form (`console::relative_times`).
pub fn when(at: Timestamp) -> String {
    format!("<t:{}:R>", at.0.div_euclid(1_000))
}

pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// What a batch of events means to the player, as one embed.
pub fn outcome_summary(title: &str, events: &[Event]) -> Reply {
    let lines: Vec<String> = events.iter().filter_map(crate::areas::describe).collect();
    let description = if lines.is_empty() {
        "Done.".to_string()
    } else {
        lines.join("\n")
    };
    Reply::embed(Embed {
        title: Some(title.to_string()),
        description: Some(truncate(&description, 4_000)),
        color: Some(color::ENERGON),
        ..Embed::default()
    })
}
