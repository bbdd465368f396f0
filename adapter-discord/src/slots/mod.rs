//! The slots area in Discord: spin (with a bet or free), spin again, and a player's record.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Slots";

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::slots::{self, Difficulty, SlotsCommand};
use allspark_engine::{energon, Command, Event, PlayerId};

use crate::app::{refuse, App, Handled};
use crate::commands::{amount, choice, command, option, CommandSpec, Kind};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Response};
use ids::Press;

crate::commands::slash_commands! {
    /// The slots area's slash commands.
    pub enum Slash {
        Slots = "slots",
        SlotsStats = "slots_stats",
    }
}

const SLOT_DIFFICULTIES: &[(&str, &str)] =
    &[("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Slots => command(
            name,
            "The energon slot machine",
            vec![
                choice(
                    "difficulty",
                    "More symbols, bigger wins",
                    SLOT_DIFFICULTIES,
                    true,
                ),
                amount("bet", "Leave empty for a free spin", false, 10, 1_000),
            ],
        ),
        Slash::SlotsStats => command(
            name,
            "Slot machine record: spins, wins, jackpots, net result",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    match slash {
        Slash::Slots => {
            let difficulty = options
                .required_choice("difficulty", ids::DIFFICULTIES)
                .map_err(bad)?;
            let bet = options.integer("bet").map_err(bad)?;
            spin(app, inv, difficulty, bet).await
        }
        Slash::SlotsStats => {
            let player = options
                .user("user")
                .map_err(bad)?
                .map_or(inv.player(), PlayerId);
            let stats = app.read(move |w| slots::view::stats(w, player)).await?;
            Ok(Response::Message(render::slot_stats_view(
                player,
                stats.as_ref(),
            )))
        }
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    match press {
        Press::SlotsAgain {
            difficulty, bet, ..
        } => {
            // A bet too big for the engine's range is refused there, never turned into another.
            let bet = (bet > 0).then(|| i64::try_from(bet).unwrap_or(i64::MAX));
            spin(app, inv, difficulty, bet).await
        }
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

async fn spin(app: &App, inv: &Invocation, difficulty: Difficulty, bet: Option<i64>) -> Handled {
    let events = app
        .execute(inv, Command::Slots(SlotsCommand::Spin { difficulty, bet }))
        .await?;
    let Some(Event::Slots(spun)) = events
        .iter()
        .find(|e| matches!(e, Event::Slots(slots::SlotsEvent::Spun { .. })))
        .cloned()
    else {
        return Err(refuse("The machine jammed; nothing was charged."));
    };
    let me = inv.player();
    let balance = app
        .read(move |w| energon::view::balances(w, me).wallet)
        .await?;
    Ok(Response::Message(render::slots_view(me.0, &spun, balance)))
}
