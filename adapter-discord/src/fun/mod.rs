//! The fun area in Discord: `/hello` and `/ping` (their replies climb a ladder while someone
//! keeps at it; a ping shows how long the interaction took to reach the bot, from its id's
//! timestamp), `/grump` (greets the server's configured grump, `ALLSPARK_GRUMP_USER`, with a
//! cooldown) and `/grump_optout` (the grump says no more, or yes again).

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::fun::{FunCommand, FunEvent};
use allspark_engine::{Command, Event, PlayerId};

use crate::app::{refuse, App, Handled};
use crate::commands::{choice, command, CommandSpec};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Response};
use ids::Press;

crate::commands::slash_commands! {
    /// The fun area's slash commands.
    pub enum Slash {
        Hello = "hello",
        Ping = "ping",
        Grump = "grump",
        GrumpOptout = "grump_optout",
    }
}

const OPT_ACTIONS: &[(&str, &str)] = &[("Stop grumps at me", "out"), ("Allow them again", "in")];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Hello => command(name, "Say hello to the AllSpark (it remembers)", vec![]),
        Slash::Ping => command(name, "Is the bot awake? How fast does it answer?", vec![]),
        Slash::Grump => command(
            name,
            "Wake the server's grump with a grumpy hello (once an hour)",
            vec![],
        ),
        Slash::GrumpOptout => command(
            name,
            "Stop (or allow again) grumps aimed at you",
            vec![choice(
                "action",
                "Stop them (default) or allow them",
                OPT_ACTIONS,
                false,
            )],
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

/// The event of `kind` a command recorded.
fn recorded(events: &[Event]) -> Option<FunEvent> {
    events.iter().find_map(|e| match e {
        Event::Fun(event) => Some(event.clone()),
        _ => None,
    })
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    let command = match slash {
        Slash::Hello => FunCommand::Hello,
        Slash::Ping => FunCommand::Ping,
        Slash::Grump => match app.grump {
            Some(target) => FunCommand::Grump {
                target: PlayerId(target),
            },
            None => {
                return Err(refuse(
                    "No grump is configured here (the operator sets ALLSPARK_GRUMP_USER).",
                ))
            }
        },
        Slash::GrumpOptout => FunCommand::GrumpOptOut {
            out: options.word("action", &["out", "in"]).map_err(bad)? != Some("in"),
        },
    };
    let latency = latency_text(app, inv);
    let events = app.execute(inv, Command::Fun(command.clone())).await?;
    let event = recorded(&events).ok_or_else(|| refuse("Nothing happened; try again."))?;
    Ok(Response::Message(match command {
        FunCommand::Hello | FunCommand::Ping => render::greeting(&event, &latency),
        FunCommand::Grump { .. } => render::grump(&event),
        FunCommand::GrumpOptOut { out } => render::opted(inv.player(), out),
    }))
}

/// How long the interaction took to reach the bot: from the instant its Discord id was made
/// (a snowflake's timestamp) to now; the console's ids are no snowflakes, so it says so.
fn latency_text(app: &App, inv: &Invocation) -> String {
    const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
    let made = i64::try_from(inv.id.0 >> 22).unwrap_or(0) + DISCORD_EPOCH_MS;
    let now = app.engine.now().0;
    match now.checked_sub(made) {
        // A real snowflake of the last minute.
        Some(ms) if inv.id.0 >> 22 > 0 && (0..60_000).contains(&ms) => format!("{ms} ms"),
        _ => "under a second".into(),
    }
}

pub async fn press(_app: &App, _inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    match press {}
}

pub async fn form(
    _app: &App,
    _inv: &Invocation,
    press: Press,
    _fields: &BTreeMap<String, String>,
) -> Handled {
    match press {}
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
