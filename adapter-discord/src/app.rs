//! One dispatch and one render for every transport: an [`Invocation`] becomes an engine command
//! or a read of a projection, and its outcome becomes a [`Reply`].
//!
//! Nothing here keeps game state: every answer is read from the engine.

use allspark_engine::energon::EnergonCommand;
use allspark_engine::player::PlayerCommand;
use allspark_engine::{Actor, Command, Engine, Outcome, PlayerId};

use crate::invocation::{Invocation, InvocationError};
use crate::reply::{color, Embed, EmbedField, Reply};

/// What an invocation asks for, decided without touching the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Send a command, then show the outcome.
    Execute(Command),
    /// Show a player's wallet.
    ShowBalance(PlayerId),
    Help,
}

/// Pure: maps an invocation to a plan, or says what's wrong with it.
pub fn dispatch(invocation: &Invocation) -> Result<Plan, InvocationError> {
    let plan = match invocation.name.as_str() {
        "help" => Plan::Help,
        "join" => Plan::Execute(Command::Player(PlayerCommand::Join)),
        "balance" => {
            let player = match invocation.option("user") {
                Some(_) => PlayerId(invocation.required_user("user")?),
                None => match invocation.actor {
                    Actor::Player(player) => player,
                    Actor::System => {
                        return Err(InvocationError::MissingOption {
                            command: "balance".into(),
                            option: "user".into(),
                        })
                    }
                },
            };
            Plan::ShowBalance(player)
        }
        "send" => Plan::Execute(Command::Energon(EnergonCommand::Transfer {
            to: PlayerId(invocation.required_user("to")?),
            amount: invocation.required_i64("amount")?,
        })),
        "grant" => Plan::Execute(Command::Energon(EnergonCommand::Credit {
            player: PlayerId(invocation.required_user("user")?),
            amount: invocation.required_i64("amount")?,
        })),
        "fine" => Plan::Execute(Command::Energon(EnergonCommand::Debit {
            player: PlayerId(invocation.required_user("user")?),
            amount: invocation.required_i64("amount")?,
        })),
        other => return Err(InvocationError::UnknownCommand(other.to_string())),
    };
    Ok(plan)
}

/// Runs an invocation against the engine and renders the answer. Never panics on input.
pub async fn handle(engine: &Engine, invocation: Invocation) -> Reply {
    let plan = match dispatch(&invocation) {
        Ok(plan) => plan,
        Err(error) => return Reply::refusal(error.to_string()),
    };
    match plan {
        Plan::Help => render_help(),
        Plan::ShowBalance(player) => {
            match engine
                .query(move |world| world.energon.balance(player))
                .await
            {
                Ok(balance) => render_balance(player, balance),
                Err(error) => render_engine_error(&error),
            }
        }
        Plan::Execute(command) => {
            let envelope = engine.envelope(invocation.id, invocation.actor, command);
            match engine.execute(envelope).await {
                Ok(reply) => render_outcome(&reply.outcome),
                Err(error) => render_engine_error(&error),
            }
        }
    }
}

fn render_help() -> Reply {
    Reply::embed(Embed {
        title: Some("AllSpark commands".into()),
        description: Some(
            [
                "/join: start playing",
                "/balance [user]: an energon wallet",
                "/send to amount: give energon to another player",
                "/grant user amount, /fine user amount: operator only",
            ]
            .join("\n"),
        ),
        color: Some(color::NEUTRAL),
        fields: Vec::new(),
    })
}

fn render_balance(player: PlayerId, balance: u64) -> Reply {
    Reply::embed(Embed {
        title: Some("Energon wallet".into()),
        description: Some(format!("<@{player}> holds **{balance}** energon")),
        color: Some(color::ENERGON),
        fields: Vec::new(),
    })
}

/// Describes accepted events in words; a rejection becomes an ephemeral refusal.
pub fn render_outcome(outcome: &Outcome) -> Reply {
    use allspark_engine::energon::EnergonEvent;
    use allspark_engine::player::PlayerEvent;
    use allspark_engine::Event;
    match outcome {
        Outcome::Rejected(rejection) => Reply::refusal(rejection.to_string()),
        Outcome::RejectedEarlier => Reply::refusal("that was already refused earlier"),
        Outcome::Accepted(events) if events.is_empty() => {
            Reply::text("Nothing to do: you're all set.")
        }
        Outcome::Accepted(events) => {
            let fields = events
                .iter()
                .map(|recorded| match &recorded.event {
                    Event::Player(PlayerEvent::Joined { player }) => EmbedField {
                        name: "Welcome".into(),
                        value: format!("<@{player}> joined the AllSpark"),
                        inline: false,
                    },
                    Event::Energon(EnergonEvent::Credited { player, amount, .. }) => EmbedField {
                        name: "Credited".into(),
                        value: format!("+{amount} energon to <@{player}>"),
                        inline: true,
                    },
                    Event::Energon(EnergonEvent::Debited { player, amount, .. }) => EmbedField {
                        name: "Debited".into(),
                        value: format!("-{amount} energon from <@{player}>"),
                        inline: true,
                    },
                    other => EmbedField {
                        name: "Event".into(),
                        value: format!("{other:?}"),
                        inline: false,
                    },
                })
                .collect();
            Reply::embed(Embed {
                title: Some("Done".into()),
                description: None,
                color: Some(color::ENERGON),
                fields,
            })
        }
    }
}

fn render_engine_error(error: &allspark_engine::EngineError) -> Reply {
    tracing::error!(%error, "engine error");
    Reply::refusal(
        "The AllSpark is having trouble right now; nothing was changed. Try again in a moment.",
    )
}
