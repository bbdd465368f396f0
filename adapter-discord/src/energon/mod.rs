//! The energon area in Discord: the Energon Rush (scout, search, the round's standings), the
//! bank, the ledger, the boards, sending energon, and the operator's grants and fines.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Energon";

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::energon::{self, EnergonCommand};
use allspark_engine::history::ledger_page_until;
use allspark_engine::{Command, PlayerId};

use crate::app::{engine_trouble, operator_only, refuse, App, Handled};
use crate::commands::{amount, choice, command, option, CommandSpec, Kind};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use crate::view::outcome_summary;
use ids::{Board, Press};

crate::commands::slash_commands! {
    /// The energon area's slash commands.
    pub enum Slash {
        Scout = "scout",
        Search = "search",
        RushInfo = "rush_info",
        Bank = "bank",
        EnergonHistory = "energon_history",
        EnergonStats = "energon_stats",
        Send = "send",
        Grant = "grant",
        Fine = "fine",
    }
}

const BANK_ACTIONS: &[(&str, &str)] = &[
    ("Deposit", "deposit"),
    ("Withdraw", "withdraw"),
    ("Balance", "balance"),
];
const BOARDS: &[(&str, &str)] = &[
    ("Richest", "global"),
    ("Today", "daily"),
    ("This week", "weekly"),
    ("All time", "all_time"),
];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Scout => command(name, "Energon Rush: a safe look around for energon", vec![]),
        Slash::Search => command(
            name,
            "Energon Rush: a risky dig for energon (pets help)",
            vec![],
        ),
        Slash::RushInfo => command(name, "The current Energon Rush round", vec![]),
        Slash::Bank => command(
            name,
            "Your energon bank",
            vec![
                choice("action", "What to do", BANK_ACTIONS, true),
                amount("amount", "How much", false, 1, 1_000_000_000_000),
            ],
        ),
        Slash::EnergonHistory => command(
            name,
            "Your energon ledger",
            vec![amount("page", "Page", false, 1, 1_000)],
        ),
        Slash::EnergonStats => command(
            name,
            "Energon leaderboards",
            vec![choice("board", "Which board", BOARDS, false)],
        ),
        Slash::Send => command(
            name,
            "Send energon to another player",
            vec![
                option("to", "Who gets it", Kind::User, true),
                amount("amount", "How much", true, 1, 1_000_000_000_000),
            ],
        ),
        Slash::Grant => CommandSpec {
            operator: true,
            ..command(
                name,
                "Operator: mint energon into a player's wallet",
                vec![
                    option("user", "Who", Kind::User, true),
                    amount("amount", "How much", true, 1, 1_000_000_000_000),
                ],
            )
        },
        Slash::Fine => CommandSpec {
            operator: true,
            ..command(
                name,
                "Operator: burn energon from a player's wallet",
                vec![
                    option("user", "Who", Kind::User, true),
                    amount("amount", "How much", true, 1, 1_000_000_000_000),
                ],
            )
        },
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    let me = inv.player();
    match slash {
        Slash::Scout | Slash::Search => {
            let command = if slash == Slash::Scout {
                EnergonCommand::Scout
            } else {
                EnergonCommand::Search
            };
            let events = app.execute(inv, Command::Energon(command)).await?;
            Ok(Response::Message(outcome_summary("Energon Rush", &events)))
        }
        Slash::RushInfo => {
            let rush = app.read(move |w| energon::view::rush(w, me)).await?;
            Ok(Response::Message(render::rush_view(&rush, me)))
        }
        Slash::Bank => {
            let action = options
                .required_word("action", &["deposit", "withdraw", "balance"])
                .map_err(bad)?;
            if action != "balance" {
                let amount = options.required_integer("amount").map_err(bad)?;
                let command = if action == "deposit" {
                    EnergonCommand::Deposit { amount }
                } else {
                    EnergonCommand::Withdraw { amount }
                };
                app.execute(inv, Command::Energon(command)).await?;
            }
            let balances = app.read(move |w| energon::view::balances(w, me)).await?;
            Ok(Response::Message(Reply::embed(crate::reply::Embed {
                title: Some("Your energon".into()),
                description: Some(format!(
                    "Wallet: **{}**\nBank: **{}**",
                    balances.wallet, balances.bank
                )),
                color: Some(crate::reply::color::ENERGON),
                ..Default::default()
            })))
        }
        Slash::EnergonHistory => {
            let page = options.integer("page").map_err(bad)?.unwrap_or(1).max(1) as usize - 1;
            history(app, me, page).await.map(Response::Message)
        }
        Slash::EnergonStats => {
            let board = options
                .choice("board", ids::BOARDS)
                .map_err(bad)?
                .unwrap_or(Board::Richest);
            board_view(app, board).await.map(Response::Message)
        }
        Slash::Send => {
            let to = PlayerId(options.required_user("to").map_err(bad)?);
            let amount = options.required_integer("amount").map_err(bad)?;
            let events = app
                .execute(
                    inv,
                    Command::Energon(EnergonCommand::Transfer { to, amount }),
                )
                .await?;
            Ok(Response::Message(outcome_summary("Energon sent", &events)))
        }
        Slash::Grant | Slash::Fine => {
            if !inv.operator {
                return Err(operator_only());
            }
            let player = PlayerId(options.required_user("user").map_err(bad)?);
            let amount = options.required_integer("amount").map_err(bad)?;
            let command = if slash == Slash::Grant {
                EnergonCommand::Credit { player, amount }
            } else {
                EnergonCommand::Debit { player, amount }
            };
            let events = app
                .execute_as(inv.id, inv.operator_actor(), Command::Energon(command))
                .await?;
            Ok(Response::Message(outcome_summary("Operator", &events)))
        }
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    match press {
        Press::History { page, .. } => history(app, inv.player(), page).await.map(Response::Update),
        Press::Board { board } => board_view(app, board).await.map(Response::Update),
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

async fn history(app: &App, player: PlayerId, page: usize) -> Result<Reply, Response> {
    // Only what is durable: the log may already hold a batch that is still being flushed.
    let durable = app.read(|w| w.last_seq).await?;
    // The ledger reads the player's whole stream from sled: on the blocking pool, not on a
    // runtime worker that other interactions are waiting for.
    let log = app.engine.log().clone();
    let read =
        tokio::task::spawn_blocking(move || ledger_page_until(log.as_ref(), player, page, durable))
            .await;
    match read {
        Ok(Ok(page)) => Ok(render::history_view(player.0, &page)),
        Ok(Err(error)) => Err(engine_trouble(&error.into())),
        Err(joined) => Err(engine_trouble(&allspark_engine::EngineError::ReadPanicked(
            joined.to_string(),
        ))),
    }
}

async fn board_view(app: &App, board: Board) -> Result<Reply, Response> {
    let now = app.engine.now();
    match board {
        Board::Earned(period) => {
            let entries = app
                .read(move |w| energon::view::top_earners(w, period, now, 10))
                .await?;
            let title = match period {
                energon::Period::Daily => "Top earners today",
                energon::Period::Weekly => "Top earners this week",
                energon::Period::AllTime => "Top earners of all time",
            };
            Ok(render::board_view(title, &entries, "earned"))
        }
        Board::Richest => {
            let entries = app.read(|w| energon::view::richest(w, 10)).await?;
            Ok(render::board_view("Richest players", &entries, "energon"))
        }
    }
}
