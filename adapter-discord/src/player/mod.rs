//! The player area in Discord: help, the tour of features, a player's own data (`/my_data`, a
//! JSON file) and self-erasure (`/forget_me`: a preview with Erase me and Keep me, then the same
//! `EraseConfirmed` the operator's erasure uses, decided as the player's own), and the
//! operator's erasure of players (`/admin_clear`: a user picker, a preview that says who can't
//! be erased and why, then one `Erase` per player with per-player results).

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "You and your data";

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
        MyData = "my_data",
        ForgetMe = "forget_me",
        AdminClear = "admin_clear",
    }
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Help => command(name, "What you can do in the AllSpark", vec![]),
        Slash::Features => command(name, "A tour of the AllSpark's games", vec![]),
        Slash::MyData => command(
            name,
            "Your own data here (what you did, what you wrote) as a JSON file",
            vec![],
        ),
        Slash::ForgetMe => command(
            name,
            "Erase yourself from the AllSpark for good (asks you to confirm)",
            vec![],
        ),
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

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, _options: &Options<'_>) -> Handled {
    match slash {
        Slash::Help => Ok(Response::Message(render::help_view())),
        Slash::Features => Ok(Response::Message(render::features_view())),
        Slash::MyData => my_data(app, inv).await.map(Response::Message),
        Slash::ForgetMe => {
            let player = inv.player();
            let preview = app
                .read(move |w| player::view::erasure_preview(w, player))
                .await?;
            if let Some(why) = preview.blocked {
                return Err(refuse(render::forget_blocked(why)));
            }
            Ok(Response::Message(render::forget_confirm(
                &preview,
                confirmation_of(inv),
            )))
        }
        Slash::AdminClear => {
            if !inv.operator {
                return Err(operator_only());
            }
            Ok(Response::Message(render::clear_picker()))
        }
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
    // A player's own erasure (the owner was checked by `App::decode`), decided as theirs.
    match press {
        Press::ForgetConfirm { confirmation, .. } => {
            let command = PlayerCommand::EraseConfirmed {
                player: inv.player(),
                confirmation,
            };
            let events = app
                .execute_as(inv.id, inv.actor(), Command::Player(command))
                .await?;
            tracing::info!(player = inv.user, "self-erasure");
            return Ok(Response::Update(render::forgotten(burned(&events))));
        }
        Press::ForgetCancel { confirmation, .. } => {
            let command = PlayerCommand::CancelErasure {
                players: vec![inv.player()],
                confirmation,
            };
            app.execute_as(inv.id, inv.actor(), Command::Player(command))
                .await?;
            return Ok(Response::Update(Reply::text(
                "Nothing was erased; you're still here.",
            )));
        }
        Press::ClearPick | Press::ClearConfirm { .. } | Press::ClearCancel { .. } => {}
    }
    if !inv.operator {
        return Err(operator_only());
    }
    match press {
        Press::ForgetConfirm { .. } | Press::ForgetCancel { .. } => {
            Err(refuse("This view has expired; run the command again."))
        }
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

/// A confirmation's number: from the interaction's id, so each preview has its own.
fn confirmation_of(inv: &Invocation) -> u64 {
    (inv.id.0 % u128::from(ids::CONFIRMATION_LIMIT)) as u64
}

/// The energon an erasure burned, from its `Erased` event.
fn burned(events: &[Event]) -> u128 {
    events
        .iter()
        .find_map(|e| match e {
            Event::Player(PlayerEvent::Erased {
                wallet, bank, rush, ..
            }) => Some(u128::from(*wallet) + u128::from(*bank) + u128::from(*rush)),
            _ => None,
        })
        .unwrap_or(0)
}

/// `/my_data`: the events naming the player and their text, read on the blocking pool (the
/// whole log is scanned), as one JSON file or, past Discord's upload limit, several.
async fn my_data(app: &App, inv: &Invocation) -> Result<Reply, Response> {
    let engine = app.engine.clone();
    let player = inv.player();
    let read = tokio::task::spawn_blocking(move || {
        let texts = engine.personal_texts(player)?;
        let document =
            allspark_engine::data_export::player_data(engine.log().as_ref(), player, &texts)?;
        Ok::<_, allspark_engine::EngineError>((document, texts.len()))
    })
    .await;
    let (document, n_texts) = match read {
        Ok(Ok(found)) => found,
        Ok(Err(error)) => return Err(engine_trouble(&error)),
        Err(error) => {
            tracing::error!(%error, "the data export failed");
            return Err(refuse(
                "Your data could not be gathered right now; try again in a moment.",
            ));
        }
    };
    let n_events = document["events"].as_array().map_or(0, Vec::len);
    match render::data_files(&document, crate::reply::limits::FILE_BYTES) {
        Ok(files) => Ok(render::my_data(files, n_events, n_texts)),
        Err(bytes) => Err(refuse(format!(
            "Your data ({} MB) is more than Discord lets me send in one message; ask the              operator for a copy.",
            bytes / (1024 * 1024)
        ))),
    }
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
    let confirmation = confirmation_of(inv);
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
