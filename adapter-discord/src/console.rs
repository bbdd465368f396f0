//! The terminal transport: one line at a time, replies printed as text. Works with piped input,
//! so scripts and tests drive it.
//!
//! Lines:
//! - `/name option:value option:"two words"`: a slash command;
//! - `press 2` or `press Attack`: press a button or pick a menu option of the last reply, by its
//!   number or label;
//! - `pick 42 43`: choose users in the last reply's user picker;
//! - `submit name:"Bolt"`: answer the last form;
//! - `as 42` to act as player 42, `as operator` for operator commands;
//! - `help`, `quit`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use allspark_engine::CommandId;

use crate::app::App;
use crate::invocation::{Invocation, Kind};
use crate::reply::{Reply, Response};

/// Console command ids live far above Discord snowflakes (< 2^64) and start from the store's
/// log length, so a restarted console never reuses one.
const CONSOLE_ID_BASE: u128 = 1 << 100;

/// The console's stand-in for "the operator's user id".
pub const CONSOLE_OPERATOR_ID: u64 = 1;

pub struct Console {
    app: App,
    user: u64,
    operator: bool,
    next_id: u128,
    /// The last reply with components, so `press` can find them.
    last: Option<Reply>,
    /// The last form opened, so `submit` can answer it.
    form: Option<String>,
}

impl Console {
    pub fn new(app: App) -> Console {
        let start = app.engine.log().last_seq();
        Console {
            app,
            user: 1,
            operator: false,
            next_id: CONSOLE_ID_BASE
                + (u128::from(start) << 20)
                + u128::from(std::process::id() & 0xF_FFFF),
            last: None,
            form: None,
        }
    }

    /// Reads lines until end of input or `quit`, writing every reply to `out`.
    pub async fn run(&mut self, input: impl BufRead, mut out: impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "AllSpark console. Type help for commands, quit to leave. You are player {}.",
            self.user
        )?;
        for line in input.lines() {
            let line = line?;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line == "quit" || line == "exit" {
                break;
            }
            let text = self.line(line).await;
            write!(out, "{text}")?;
            out.flush()?;
        }
        Ok(())
    }

    fn next_id(&mut self) -> CommandId {
        self.next_id += 1;
        CommandId(self.next_id)
    }

    /// Handles one line and returns what to print. Deadlines that passed are applied first,
    /// as the bot's timer worker would.
    pub async fn line(&mut self, line: &str) -> String {
        let text = self.line_as_discord(line).await;
        relative_times(&text, self.app.engine.now())
    }

    async fn line_as_discord(&mut self, line: &str) -> String {
        crate::worker::tick(&self.app.engine).await;
        if let Some(who) = line.strip_prefix("as ") {
            return self.switch(who.trim());
        }
        if let Some(what) = line.strip_prefix("press ") {
            return self.press(what.trim()).await;
        }
        if let Some(users) = line.strip_prefix("pick ") {
            return self.pick(users).await;
        }
        if let Some(fields) = line.strip_prefix("submit ") {
            return self.submit(fields).await;
        }
        let line = if line == "help" { "/help" } else { line };
        let Some(rest) = line.strip_prefix('/') else {
            return "commands start with / (try /help); press N picks a button\n".to_string();
        };
        let (name, options) = match parse_options(rest) {
            Ok(parsed) => parsed,
            Err(message) => return format!("{message}\n"),
        };
        let kind = Kind::Slash { name, options };
        self.send(kind).await
    }

    async fn send(&mut self, kind: Kind) -> String {
        let invocation = Invocation {
            id: self.next_id(),
            user: self.user,
            operator: self.operator,
            roles: Vec::new(),
            kind,
        };
        let response = self.app.handle(invocation).await;
        match &response {
            Response::Message(reply) | Response::Update(reply) if !reply.rows.is_empty() => {
                self.last = Some(reply.clone())
            }
            Response::Modal(modal) => self.form = Some(modal.custom_id.clone()),
            _ => {}
        }
        response.to_text()
    }

    async fn press(&mut self, what: &str) -> String {
        let Some(last) = &self.last else {
            return "nothing to press yet\n".to_string();
        };
        let pressables = last.pressables();
        let found = match what.parse::<usize>() {
            Ok(n) if n >= 1 => pressables.get(n - 1).cloned(),
            _ => match pick_label(&pressables, what) {
                Ok(found) => found,
                Err(message) => return message,
            },
        };
        match found {
            Some((_, custom_id, _)) if custom_id.is_empty() => {
                "that button is disabled\n".to_string()
            }
            Some((_, custom_id, value)) => {
                self.send(Kind::Press {
                    custom_id,
                    values: value.into_iter().collect(),
                })
                .await
            }
            None => format!("no button or option `{what}` in the last reply\n"),
        }
    }

    /// Answers a user picker as Discord would: the values are the picked user ids.
    async fn pick(&mut self, users: &str) -> String {
        let Some(select) = self.last.as_ref().and_then(|last| last.user_select()) else {
            return "the last reply has no user picker\n".to_string();
        };
        let custom_id = select.custom_id.clone();
        let max = usize::from(select.max_values);
        let mut values = Vec::new();
        for word in users.split_whitespace() {
            let id = word.trim_start_matches("<@").trim_end_matches('>');
            match id.parse::<u64>() {
                Ok(id) if id > 0 => values.push(id.to_string()),
                _ => return format!("`{word}` is not a user id (a positive number)\n"),
            }
        }
        if values.is_empty() || values.len() > max {
            return format!("pick 1 to {max} user ids\n");
        }
        self.send(Kind::Press { custom_id, values }).await
    }

    async fn submit(&mut self, fields: &str) -> String {
        let Some(custom_id) = self.form.take() else {
            return "no form is open\n".to_string();
        };
        match parse_options(&format!("form {fields}")) {
            Ok((_, fields)) => self.send(Kind::Form { custom_id, fields }).await,
            Err(message) => format!("{message}\n"),
        }
    }

    /// `as 42`, `as 42 alice` (the name is only echoed: names are Discord's, not the game's),
    /// or `as operator`.
    fn switch(&mut self, who: &str) -> String {
        let mut words = who.split_whitespace();
        let who = words.next().unwrap_or("");
        let name = words.collect::<Vec<_>>().join(" ");
        match who {
            "operator" => {
                self.operator = true;
                self.user = CONSOLE_OPERATOR_ID;
                "you are now the operator (player 1 with operator rights)\n".to_string()
            }
            id => match id.parse::<u64>() {
                Ok(id) if id > 0 => {
                    self.user = id;
                    self.operator = false;
                    if name.is_empty() {
                        format!("you are now player {id}\n")
                    } else {
                        format!("you are now player {id} ({name})\n")
                    }
                }
                _ => format!("`{id}` is not a player id (a positive number) or `operator`\n"),
            },
        }
    }
}

/// Splits `name opt:value opt:"quoted value"` into the name and its options.
/// Discord timestamps (`<t:UNIX:R>`) in the words a Discord client would show at `now`:
/// "in 9 minutes", "2 hours ago", "now".
pub fn relative_times(text: &str, now: allspark_engine::Timestamp) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<t:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let parsed = after.split_once(":R>").and_then(|(secs, tail)| {
            let secs: i64 = secs.parse().ok()?;
            Some((secs, tail))
        });
        match parsed {
            Some((secs, tail)) => {
                out.push_str(&relative(secs - now.0.div_euclid(1_000)));
                rest = tail;
            }
            None => {
                out.push_str("<t:");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn relative(delta_secs: i64) -> String {
    let distance = delta_secs.unsigned_abs();
    let amount = match distance {
        0..=44 => return "now".to_string(),
        45..=3_599 => crate::view::plural(distance.div_ceil(60), "minute", "minutes"),
        3_600..=86_399 => crate::view::plural(distance / 3_600, "hour", "hours"),
        _ => crate::view::plural(distance / 86_400, "day", "days"),
    };
    if delta_secs > 0 {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

pub fn parse_options(text: &str) -> Result<(String, BTreeMap<String, String>), String> {
    let mut chars = text.trim().chars().peekable();
    let mut name = String::new();
    while let Some(c) = chars.peek() {
        if c.is_whitespace() {
            break;
        }
        name.push(*c);
        chars.next();
    }
    if name.is_empty() {
        return Err("missing command name after /".into());
    }
    let mut options = BTreeMap::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        for c in chars.by_ref() {
            if c == ':' {
                break;
            }
            if c.is_whitespace() {
                return Err(format!("option `{key}` needs a value: write {key}:value"));
            }
            key.push(c);
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                value.push(c);
            }
            if !closed {
                return Err(format!("option `{key}` has an unclosed quote"));
            }
        } else {
            while let Some(c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        if key.is_empty() {
            return Err("an option is missing its name before `:`".into());
        }
        options.insert(key, value);
    }
    Ok((name, options))
}

/// Finds a button or menu option by label: an exact match (ignoring case) wins; otherwise the
/// one label that starts with the given words (`Attack` for `Attack Drone`). Several matches
/// are listed instead of guessing.
fn pick_label(
    pressables: &[(String, String, Option<String>)],
    what: &str,
) -> Result<Option<(String, String, Option<String>)>, String> {
    let what = what.trim();
    if let Some(found) = pressables
        .iter()
        .find(|(label, _, _)| label.eq_ignore_ascii_case(what))
    {
        return Ok(Some(found.clone()));
    }
    let prefix = format!("{} ", what.to_lowercase());
    let matches: Vec<_> = pressables
        .iter()
        .filter(|(label, _, _)| label.to_lowercase().starts_with(&prefix))
        .collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        many => {
            let labels: Vec<&str> = many.iter().map(|(label, _, _)| label.as_str()).collect();
            Err(format!("`{what}` could be: {}\n", labels.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{pick_label, relative_times};

    fn pressables(labels: &[&str]) -> Vec<(String, String, Option<String>)> {
        labels
            .iter()
            .enumerate()
            .map(|(i, label)| (label.to_string(), format!("id{i}"), None))
            .collect()
    }

    #[test]
    fn discord_timestamps_print_as_relative_times() {
        let now = allspark_engine::Timestamp(1_000_000_000);
        let text = "ends <t:1000540:R>, began <t:992800:R>, <t:1000000:R>, <t:x:R>";
        assert_eq!(
            relative_times(text, now),
            "ends in 9 minutes, began 2 hours ago, now, <t:x:R>"
        );
    }

    #[test]
    fn labels_match_exactly_or_by_their_first_words() {
        let solo = pressables(&["Attack Gloomfang", "Guard Lampwright", "Charge", "Special"]);
        let id = |found: Result<Option<(String, String, Option<String>)>, String>| {
            found.ok().flatten().map(|(_, id, _)| id)
        };
        assert_eq!(id(pick_label(&solo, "attack")), Some("id0".into()));
        assert_eq!(id(pick_label(&solo, "special")), Some("id3".into()));
        assert_eq!(
            id(pick_label(&solo, "Guard Lampwright")),
            Some("id1".into())
        );
        // A prefix must end at a word: `Att` is not `Attack`.
        assert_eq!(id(pick_label(&solo, "Att")), None);
        let duel = pressables(&["Attack Lampwright", "Attack Pincerdread", "Charge"]);
        let ambiguous = pick_label(&duel, "Attack").err().unwrap_or_default();
        assert!(
            ambiguous.contains("Attack Lampwright, Attack Pincerdread"),
            "{ambiguous}"
        );
    }
}
