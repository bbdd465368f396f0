//! The player area in Discord: help, the tour of features, and the operator's erasure of
//! players (`/admin_clear`: a user picker, a preview that says who can't be erased and why,
//! then one `Erase` per player with per-player results).

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::player::{self, PlayerCommand, PlayerEvent};
use allspark_engine::{Command, Event, Outcome, PlayerId};

use crate::app::{engine_trouble, operator_only, refuse, App, Handled};
use crate::commands::{command, CommandSpec};
use crate::invocation::{Invocation, Options};
use crate::reply::{Choice, Reply, Response};
use ids::{Press, CLEAR_MAX_PLAYERS};

crate::commands::slash_commands! {
    /// The player area's slash commands.
    pub enum Slash {
        Help = "help",
        Features = "features",
        AdminClear = "admin_clear",
    }
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Help => command(name, "What you can do in the AllSpark", vec![]),
        Slash::Features => command(name, "A tour of the AllSpark's games", vec![]),
        Slash::AdminClear => CommandSpec {
            operator: true,
            ..command(
                name,
                "Operator: erase players for good (asks you to pick them, then to confirm)",
                Vec::new(),
            )
        },
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(_app: &App, inv: &Invocation, slash: Slash, _options: &Options<'_>) -> Handled {
    match slash {
        Slash::Help => Ok(Response::Message(render::help_view())),
        Slash::Features => Ok(Response::Message(render::features_view())),
        Slash::AdminClear => {
            if !inv.operator {
                return Err(operator_only());
            }
            Ok(Response::Message(render::clear_picker()))
        }
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
    if !inv.operator {
        return Err(operator_only());
    }
    match press {
        Press::ClearPick => clear_preview(app, inv, values).await.map(Response::Update),
        Press::ClearConfirm {
            confirmation,
            players,
        } => clear(app, inv, confirmation, &players)
            .await
            .map(Response::Update),
        Press::ClearCancel {
            confirmation,
            players,
        } => {
            // Cancelling consumes the confirmation in the engine: its Erase button, pressed
            // later, erases nobody.
            let command = PlayerCommand::CancelErasure {
                players: players.into_iter().map(PlayerId).collect(),
                confirmation,
            };
            app.execute_as(inv.id, inv.operator_actor(), Command::Player(command))
                .await?;
            Ok(Response::Update(Reply::text("Nothing was erased.")))
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

/// Erasure, step two: what each picked player holds, or why they can't be erased now.
async fn clear_preview(app: &App, inv: &Invocation, values: &[String]) -> Result<Reply, Response> {
    let mut players: Vec<u64> = Vec::new();
    for value in values {
        match value.parse::<u64>() {
            Ok(id) if id > 0 => {
                if !players.contains(&id) {
                    players.push(id);
                }
            }
            _ => {
                return Err(refuse(format!(
                    "`{}` is not a user id.",
                    crate::view::truncate(value, 40)
                )))
            }
        }
    }
    if players.is_empty() {
        return Err(refuse("Pick at least one player."));
    }
    if players.len() > CLEAR_MAX_PLAYERS {
        return Err(refuse(format!(
            "Pick at most {CLEAR_MAX_PLAYERS} players at a time."
        )));
    }
    // The confirmation's number: from this press's id, so each preview has its own.
    let confirmation = (inv.id.0 % u128::from(ids::CONFIRMATION_LIMIT)) as u64;
    let previews = app
        .read(move |w| {
            players
                .iter()
                .map(|&id| player::view::erasure_preview(w, PlayerId(id)))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(render::clear_confirm(&previews, confirmation))
}

/// Erasure, step three: one `Erase` per player, with per-player results. Each command id is
/// derived from the press and the player, so a redelivered press erases nobody twice and
/// answers the same.
async fn clear(
    app: &App,
    inv: &Invocation,
    confirmation: u64,
    players: &[u64],
) -> Result<Reply, Response> {
    let mut results = Vec::with_capacity(players.len());
    for &id in players {
        let player = PlayerId(id);
        let command_id = crate::worker::derived_id("erase", &[inv.id.0, u128::from(id)]);
        let envelope = app.engine.envelope(
            command_id,
            inv.operator_actor(),
            Command::Player(PlayerCommand::EraseConfirmed {
                player,
                confirmation,
            }),
        );
        let result = match app.engine.execute(envelope).await {
            Ok(reply) => match reply.outcome {
                Outcome::Accepted(events) => Ok(events
                    .iter()
                    .find_map(|e| match &e.event {
                        Event::Player(PlayerEvent::Erased {
                            wallet, bank, rush, ..
                        }) => Some(u128::from(*wallet) + u128::from(*bank) + u128::from(*rush)),
                        _ => None,
                    })
                    .unwrap_or(0)),
                Outcome::Rejected(rejection) => Err(rejection.to_string()),
                Outcome::RejectedEarlier => Err("refused earlier".to_string()),
            },
            Err(error) => return Err(engine_trouble(&error)),
        };
        tracing::info!(player = id, erased = result.is_ok(), "operator erasure");
        results.push((id, result));
    }
    Ok(render::clear_results(&results))
}
