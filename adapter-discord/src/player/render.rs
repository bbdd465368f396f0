//! The player area's views: help, the tour of features, the operator's erasure steps, and the
//! words for joining and erasure. Pure: engine read models in, [`Reply`] out.

use allspark_engine::player::view::{ErasureBlock, ErasurePreview};
use allspark_engine::player::PlayerEvent;

use crate::custom_id::Encode;
use crate::player::ids::{Press, CLEAR_MAX_PLAYERS};
use crate::reply::{color, Button, ButtonStyle, Embed, EmbedField, Reply, Row, UserSelect};
use crate::view::{field, truncate};

/// A line of words for a player event.
pub fn describe(event: &PlayerEvent) -> Option<String> {
    Some(match event {
        PlayerEvent::Joined { .. } => "Welcome to the AllSpark!".to_string(),
        PlayerEvent::Erased {
            player,
            wallet,
            bank,
            rush,
        } => format!(
            "<@{player}> was erased; {} energon burned",
            u128::from(*wallet) + u128::from(*bank) + u128::from(*rush)
        ),
        PlayerEvent::ErasureCancelled { player, .. } => {
            format!("<@{player}> will not be erased by that confirmation")
        }
    })
}

/// Why a player can't be erased, in the operator's words.
fn blocked(why: ErasureBlock) -> String {
    match why {
        ErasureBlock::Unknown => "not known here (never played, or already erased)".to_string(),
        ErasureBlock::Busy(engagement) => engagement.to_string(),
    }
}

pub fn help_view() -> Reply {
    let lines: Vec<String> = crate::commands::all()
        .iter()
        .filter(|c| !c.operator)
        .map(|c| format!("`/{}` — {}", c.name, c.description))
        .collect();
    Reply::embed(Embed {
        title: Some("AllSpark commands".into()),
        description: Some(lines.join("\n")),
        color: Some(color::NEUTRAL),
        ..Embed::default()
    })
}

pub fn features_view() -> Reply {
    Reply::embed(Embed {
        title: Some("The AllSpark".into()),
        description: Some("Raise a robot pet, send it on missions, and battle enemies and friends.".into()),
        color: Some(color::NEUTRAL),
        fields: vec![
            field("🤖 Pets", "/get_pet, /pet, /train, /mission, /charge_pet, /repair_pet, /play, /pet_equip", false),
            field("⚔️ Battles", "/battle, /group_battle, /pvp, /group_pvp, /ffa_battle, /tournament, /ranked, /spectate", false),
            field("💠 Energon", "/bank, /send, /energon_history, /energon_stats, and the Energon Rush: /scout, /search, /rush_info", false),
            field("🎰 Slots", "/slots with a bet, or free for fun", false),
        ],
        footer: Some("Every action is recorded; battles can be replayed turn by turn.".into()),
    })
}

const CLEAR_WARNING: &str = "Erasing a player is permanent. Their energon (wallet, bank and \
rush) is burned, their pet, items, stats, ratings and leaderboard places are dropped, and the \
text they wrote (their pet's name) is deleted from disk. Their finished battles stay in the \
log under their id. If they play again, they start over.";

pub fn clear_picker() -> Reply {
    let mut reply = Reply::embed(Embed {
        title: Some("Erase players".into()),
        description: Some(format!(
            "{CLEAR_WARNING}\n\nPick up to {CLEAR_MAX_PLAYERS} players; you'll confirm on the next step."
        )),
        color: Some(color::REFUSED),
        ..Embed::default()
    })
    .with_rows(vec![Row::Users(UserSelect {
        custom_id: Press::ClearPick.encode(),
        placeholder: "Players to erase".into(),
        max_values: CLEAR_MAX_PLAYERS as u8,
    })]);
    reply.ephemeral = true;
    reply
}

pub fn clear_confirm(previews: &[ErasurePreview], confirmation: u64) -> Reply {
    let fields = previews
        .iter()
        .map(|p| EmbedField {
            name: format!("Player {}", p.player),
            value: match &p.blocked {
                Some(why) => format!("<@{}>: can't be erased: {}", p.player, blocked(*why)),
                None => format!(
                    "<@{}>: {} energon in the wallet, {} in the bank, {} in the rush; {}",
                    p.player,
                    p.wallet,
                    p.bank,
                    p.rush,
                    match p.pet_level {
                        Some(level) => format!("a level {level} pet"),
                        None => "no pet".to_string(),
                    }
                ),
            },
            inline: false,
        })
        .collect();
    let erasable: Vec<u64> = previews
        .iter()
        .filter(|p| p.blocked.is_none())
        .map(|p| p.player.0)
        .collect();
    let confirm = Button {
        label: match erasable.len() {
            0 => "Nobody to erase".to_string(),
            1 => "Erase 1 player".to_string(),
            n => format!("Erase {n} players"),
        },
        custom_id: Press::ClearConfirm {
            confirmation,
            players: if erasable.is_empty() {
                vec![0]
            } else {
                erasable.clone()
            },
        }
        .encode(),
        style: ButtonStyle::Danger,
        disabled: erasable.is_empty(),
    };
    let cancel = Button {
        label: "Cancel".into(),
        custom_id: Press::ClearCancel {
            confirmation,
            players: if erasable.is_empty() {
                vec![0]
            } else {
                erasable.clone()
            },
        }
        .encode(),
        style: ButtonStyle::Secondary,
        disabled: false,
    };
    // Shown as an update of the (ephemeral) picker, so it stays visible to the operator only.
    Reply::embed(Embed {
        title: Some("Erase these players?".into()),
        description: Some(CLEAR_WARNING.into()),
        color: Some(color::REFUSED),
        fields,
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![confirm, cancel])])
}

/// One line per player the operator asked to erase: burned energon, or why it was refused.
pub fn clear_results(results: &[(u64, Result<u128, String>)]) -> Reply {
    let lines: Vec<String> = results
        .iter()
        .map(|(player, result)| match result {
            Ok(burned) => format!("✅ <@{player}> erased; {burned} energon burned"),
            Err(why) => format!("❌ <@{player}> not erased: {why}"),
        })
        .collect();
    let n_erased = results.iter().filter(|(_, r)| r.is_ok()).count();
    Reply::embed(Embed {
        title: Some(format!("Erased {n_erased} of {}", results.len())),
        description: Some(truncate(&lines.join("\n"), 4_000)),
        color: Some(if n_erased == results.len() {
            color::NEUTRAL
        } else {
            color::REFUSED
        }),
        ..Embed::default()
    })
}
