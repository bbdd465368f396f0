//! The slots area's views: a spin and a player's record, and the words for a spin. Pure:
//! engine read models in, [`Reply`] out.

use allspark_engine::content;
use allspark_engine::slots::{Difficulty, SlotStats, SlotsEvent};
use allspark_engine::PlayerId;

use crate::reply::{color, ButtonStyle, Embed, Reply, Row};
use crate::slots::ids::Press;
use crate::view::{button, field};

/// A line of words for a spin.
pub fn describe(event: &SlotsEvent) -> Option<String> {
    Some(match event {
        SlotsEvent::Spun { payout, bet, .. } => {
            if *bet == 0 {
                "A free spin".to_string()
            } else {
                format!("Bet {bet}, won {payout}")
            }
        }
        SlotsEvent::FreeSpinCooldownSet { .. } => return None,
        SlotsEvent::Imported { record, .. } => {
            format!("{} spins came over from the original bot", record.spins)
        }
    })
}

pub fn slots_view(owner: u64, spun: &SlotsEvent, balance: u64) -> Reply {
    let SlotsEvent::Spun {
        difficulty,
        bet,
        reels,
        multiplier,
        payout,
        ..
    } = spun
    else {
        return Reply::refusal("The machine jammed; nothing was charged.");
    };
    let theme = content::get().slots.get(difficulty);
    let symbol = |i: u8| {
        theme
            .and_then(|t| t.symbols.get(usize::from(i)))
            .map_or("?".to_string(), |s| s.emoji.clone())
    };
    let line = format!(
        "{} {} {}",
        symbol(reels[0]),
        symbol(reels[1]),
        symbol(reels[2])
    );
    let verdict = match (bet, multiplier) {
        (0, 0) => "No match. (Free spins pay nothing.)".to_string(),
        (0, _) => "A match! (Free spins pay nothing.)".to_string(),
        (_, 0) => format!("No match: you lose {bet}."),
        (_, 1) => format!("×1: break-even, your {bet} back."),
        (_, m) => format!("×{m}: you win {payout}!"),
    };
    let embed = Embed {
        title: Some(format!("🎰 {}", theme.map_or("Slots", |t| t.name.as_str()))),
        description: Some(format!("**[ {line} ]**\n{verdict}")),
        color: Some(color::ENERGON),
        fields: vec![field("Wallet", format!("{balance} energon"), true)],
        footer: None,
        image: None,
    };
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![button(
        "Spin again",
        Press::SlotsAgain {
            owner,
            difficulty: *difficulty,
            bet: *bet,
        },
        ButtonStyle::Primary,
    )])])
}

/// A player's slot machine record. Net is what the machine paid back minus what was bet, so
/// free spins count as pure gain and a losing streak shows as a negative number.
pub fn slot_stats_view(player: PlayerId, stats: Option<&SlotStats>) -> Reply {
    let Some(stats) = stats.filter(|s| s.spins > 0) else {
        return Reply::embed(Embed {
            title: Some("Slot machine record".into()),
            description: Some(format!(
                "<@{player}> hasn't pulled the lever yet: /slots difficulty:easy"
            )),
            color: Some(color::ENERGON),
            fields: Vec::new(),
            footer: None,
            image: None,
        });
    };
    let net = i128::from(stats.payout_total) - i128::from(stats.wagered_total);
    let by_difficulty: Vec<String> = Difficulty::ALL
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d.label(),
                stats.spins_by_difficulty.get(d).copied().unwrap_or(0)
            )
        })
        .collect();
    let fields = vec![
        field(
            "Spins",
            format!("{} ({} free)", stats.spins, stats.free_spins),
            true,
        ),
        field(
            "Paid spins won / even / lost",
            format!("{} / {} / {}", stats.wins, stats.break_evens, stats.losses),
            true,
        ),
        field("Jackpots", stats.jackpots.to_string(), true),
        field(
            "Bet in all",
            format!("{} energon", stats.wagered_total),
            true,
        ),
        field("Paid out", format!("{} energon", stats.payout_total), true),
        field("Net", format!("{net:+} energon"), true),
        field(
            "Biggest bet",
            format!("{} energon", stats.highest_bet),
            true,
        ),
        field(
            "Biggest payout",
            format!("{} energon", stats.highest_payout),
            true,
        ),
        field("By difficulty", by_difficulty.join(" · "), false),
    ];
    Reply::embed(Embed {
        title: Some("Slot machine record".into()),
        description: Some(format!("<@{player}>")),
        color: Some(color::ENERGON),
        fields,
        footer: None,
        image: None,
    })
}
