//! The energon area's views: the ledger, the boards, the Energon Rush, and the words for
//! energon events. Pure: engine read models in, [`Reply`] out.

use allspark_engine::energon::{EnergonEvent, Period, Rush, RushFind, RUSH_PRIZE, RUSH_TARGET};
use allspark_engine::history::{Account, LedgerPage};
use allspark_engine::PlayerId;

use crate::energon::ids::{Board, Press};
use crate::reply::{color, Button, ButtonStyle, Embed, Reply, Row};
use crate::view::{bar, button, field};

/// A line of words for an energon event, for the people involved.
pub fn describe(event: &EnergonEvent) -> Option<String> {
    Some(match event {
        EnergonEvent::Credited {
            player,
            amount,
            rule,
        } => format!("+{amount} energon to <@{player}> ({})", rule.label()),
        EnergonEvent::Debited {
            player,
            amount,
            rule,
        } => format!("-{amount} energon from <@{player}> ({})", rule.label()),
        EnergonEvent::Deposited { amount, .. } => {
            format!("Deposited {amount} energon in the bank")
        }
        EnergonEvent::Withdrew { amount, .. } => {
            format!("Withdrew {amount} energon from the bank")
        }
        EnergonEvent::RushFound { amount, find, .. } => match find {
            RushFind::Scout => format!("Scouting turned up {amount} energon"),
            RushFind::SearchMajor => format!("A major find: {amount} energon!"),
            _ => format!("Found {amount} energon"),
        },
        EnergonEvent::RushLost { amount, find, .. } => match find {
            RushFind::SearchDisaster => {
                format!("Disaster! The dig collapsed and {amount} energon was lost")
            }
            _ => format!("Dropped {amount} energon on the way back"),
        },
        EnergonEvent::RushNothing { .. } => "The search turned up nothing".to_string(),
        EnergonEvent::RushCooldownSet { .. } => return None,
        EnergonEvent::RushRoundWon { round, winner } => {
            format!("<@{winner}> wins Energon Rush round {round}!")
        }
        EnergonEvent::EscrowHeld { amount, .. } => format!("{amount} energon held as a stake"),
        EnergonEvent::EscrowReleased {
            player,
            amount,
            refund,
            ..
        } => {
            if *refund {
                format!("{amount} energon stake returned to <@{player}>")
            } else {
                format!("<@{player}> wins {amount} energon from the stakes")
            }
        }
    })
}

pub fn history_view(owner: u64, page: &LedgerPage) -> Reply {
    let lines: Vec<String> = page
        .lines
        .iter()
        .map(|line| {
            let account = match line.account {
                Account::Wallet => "wallet",
                Account::Bank => "bank",
                Account::Rush => "rush",
            };
            format!(
                "`{:+}` {account} · {} · {}",
                line.delta, line.reason, line.at
            )
        })
        .collect();
    let embed = Embed {
        title: Some("Energon history".into()),
        description: Some(if lines.is_empty() {
            "No energon has moved yet.".into()
        } else {
            lines.join("\n")
        }),
        color: Some(color::ENERGON),
        fields: Vec::new(),
        footer: Some(format!("Page {} of {}", page.page + 1, page.n_pages)),
        image: None,
    };
    let previous = Button {
        disabled: page.page == 0,
        ..button(
            "◀ Newer",
            Press::History {
                owner,
                page: page.page.saturating_sub(1),
            },
            ButtonStyle::Secondary,
        )
    };
    let next = Button {
        disabled: page.page + 1 >= page.n_pages,
        ..button(
            "Older ▶",
            Press::History {
                owner,
                page: page.page + 1,
            },
            ButtonStyle::Secondary,
        )
    };
    Reply {
        ephemeral: true,
        ..Reply::embed(embed)
    }
    .with_rows(vec![Row::Buttons(vec![previous, next])])
}

pub fn board_view(title: &str, entries: &[(PlayerId, u64)], unit: &str) -> Reply {
    let lines: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(i, (player, value))| format!("{}. <@{player}> — {value} {unit}", i + 1))
        .collect();
    let embed = Embed {
        title: Some(title.to_string()),
        description: Some(if lines.is_empty() {
            "Nobody yet.".into()
        } else {
            lines.join("\n")
        }),
        color: Some(color::ENERGON),
        fields: Vec::new(),
        footer: (unit == "earned").then(|| {
            "Earned by play: training, missions, battles and the Rush (not slots or grants)."
                .to_string()
        }),
        image: None,
    };
    let board =
        |label: &str, board: Board| button(label, Press::Board { board }, ButtonStyle::Secondary);
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![
        board("Richest", Board::Richest),
        board("Today", Board::Earned(Period::Daily)),
        board("This week", Board::Earned(Period::Weekly)),
        board("All time", Board::Earned(Period::AllTime)),
    ])])
}

pub fn rush_view(rush: &Rush, you: PlayerId) -> Reply {
    let standings: Vec<String> = rush
        .standings(10)
        .iter()
        .enumerate()
        .map(|(i, (player, balance))| {
            format!("{}. <@{player}> — {}", i + 1, bar(*balance, RUSH_TARGET))
        })
        .collect();
    let mut fields = vec![
        field(
            "Your rush energon",
            bar(rush.balance(you), RUSH_TARGET),
            false,
        ),
        field(
            "Standings",
            if standings.is_empty() {
                "Nobody has found anything yet.".into()
            } else {
                standings.join("\n")
            },
            false,
        ),
    ];
    if let Some(last) = rush.results.last() {
        fields.push(field(
            "Last winner",
            format!("<@{}> (round {})", last.winner, last.round),
            true,
        ));
    }
    Reply::embed(Embed {
        title: Some(format!("Energon Rush — round {}", rush.round)),
        description: Some(format!(
            "The first to gather {RUSH_TARGET} energon with /scout and /search wins the round and {RUSH_PRIZE} energon, paid into their wallet; then every rush balance resets.\nRush energon is not wallet energon: it only counts towards the race, can't be spent, sent or banked, and is gone when the round ends."
        )),
        color: Some(color::ENERGON),
        fields,
        footer: (rush.round_started_at.0 > 0).then(|| format!("Round started {}", rush.round_started_at)),
        image: None,
    })
}
