//! The terminal transport: one slash command per line, replies printed as text. Works with
//! piped input, so scripts and tests drive it.
//!
//! Lines: `/name option:value option:"two words"`, `as <player id>` to switch player,
//! `as operator` for operator commands, `help`, `quit`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use allspark_engine::{Actor, CommandId, Engine, PlayerId};

use crate::app;
use crate::invocation::Invocation;

/// Console command ids live in their own range, far above Discord snowflakes (< 2^64), and
/// start from the store's log length so a restarted console never reuses one.
const CONSOLE_ID_BASE: u128 = 1 << 100;

pub struct Console {
    engine: Engine,
    actor: Actor,
    next_id: u128,
}

impl Console {
    pub fn new(engine: Engine) -> Console {
        let start = engine.log().last_seq();
        Console {
            engine,
            actor: Actor::Player(PlayerId(1)),
            next_id: CONSOLE_ID_BASE + (u128::from(start) << 20) + u128::from(nonce()),
        }
    }

    /// Reads lines until end of input or `quit`, writing every reply to `out`.
    pub async fn run(&mut self, input: impl BufRead, mut out: impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "AllSpark console. Type help for commands, quit to leave. You are {}.",
            self.actor
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

    /// Handles one line and returns what to print.
    pub async fn line(&mut self, line: &str) -> String {
        if let Some(who) = line.strip_prefix("as ") {
            return self.switch(who.trim());
        }
        let line = if line == "help" { "/help" } else { line };
        let Some(rest) = line.strip_prefix('/') else {
            return "commands start with / (try /help)\n".to_string();
        };
        let (name, options) = match parse_options(rest) {
            Ok(parsed) => parsed,
            Err(message) => return format!("{message}\n"),
        };
        let invocation = Invocation {
            id: CommandId(self.next_id),
            actor: self.actor,
            name,
            options,
        };
        self.next_id += 1;
        app::handle(&self.engine, invocation).await.to_text()
    }

    fn switch(&mut self, who: &str) -> String {
        let mut words = who.split_whitespace();
        match words.next() {
            Some("operator") => {
                self.actor = Actor::System;
                "you are now the operator\n".to_string()
            }
            Some(id) => match id.parse::<u64>() {
                Ok(id) => {
                    self.actor = Actor::Player(PlayerId(id));
                    format!("you are now player {id}\n")
                }
                Err(_) => format!("`{id}` is not a player id (a number) or `operator`\n"),
            },
            None => "usage: as <player id> | as operator\n".to_string(),
        }
    }
}

/// Splits `name opt:value opt:"quoted value"` into the name and its options.
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

/// A per-process nonce so two consoles started on the same log length don't share ids.
fn nonce() -> u32 {
    std::process::id() & 0xF_FFFF
}
