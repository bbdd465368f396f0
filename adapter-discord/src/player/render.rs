//! The player area's views: help, the tour of features, the operator's erasure steps, a
//! player's own (`/forget_me`) and their data as files (`/my_data`), and the words for joining
//! and erasure. Pure: engine read models in, [`Reply`] out.

use allspark_engine::player::view::{ErasureBlock, ErasurePreview};
use allspark_engine::player::PlayerEvent;

use crate::custom_id::Encode;
use crate::player::ids::{Press, CLEAR_MAX_PLAYERS};
use crate::reply::{
    color, limits, Attachment, Button, ButtonStyle, Embed, EmbedField, Reply, Row, UserSelect,
};
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
        PlayerEvent::Imported { player, .. } => {
            format!("<@{player}> was brought over from the original bot")
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
    // One field per area (split where an area's lines outgrow a field), so no description
    // limit cuts the list short; the message commands close it.
    const FIELD_MAX: usize = 1_024;
    let mut fields = Vec::new();
    for (area, commands) in crate::areas::commands_by_area() {
        let lines: Vec<String> = commands
            .iter()
            .filter(|c| !c.operator)
            .map(|c| format!("`/{}` — {}", c.name, c.description))
            .collect();
        let mut chunk = String::new();
        let mut part = 0;
        for line in lines {
            if !chunk.is_empty() && chunk.chars().count() + 1 + line.chars().count() > FIELD_MAX {
                part += 1;
                fields.push(field(
                    help_title(area, part),
                    std::mem::take(&mut chunk),
                    false,
                ));
            }
            if !chunk.is_empty() {
                chunk.push('\n');
            }
            chunk.push_str(&crate::view::truncate(&line, FIELD_MAX));
        }
        if !chunk.is_empty() {
            fields.push(field(
                help_title(area, part + usize::from(part > 0)),
                chunk,
                false,
            ));
        }
    }
    let apps: Vec<String> = crate::social::MessageCommand::ALL
        .iter()
        .map(|m| format!("Right-click a message → Apps → **{}**", m.name()))
        .collect();
    Reply::embed(Embed {
        title: Some("AllSpark commands".into()),
        description: Some(apps.join("\n")),
        color: Some(color::NEUTRAL),
        fields,
        ..Embed::default()
    })
}

/// The heading of an area's part of `/help` (`part` from 1 when it takes several fields).
fn help_title(area: &str, part: usize) -> String {
    let title = crate::areas::help_title(area);
    if part == 0 {
        title.to_string()
    } else {
        format!("{title} ({part})")
    }
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
            field("🔁 Trading", "/trade with another player: energon, CyberCoin and pet items, both confirm, then it all swaps at once", false),
            field("📈 CyberCoin", "/cybercoin_market (price, news, chart; buy and sell), /cybercoin_profile, /cybercoin_leaderboard", false),
            field("💬 Talk", "/joke, /roast, /compliment, /blessing, /what_is; /hello, /ping, /grump", false),
            field("✨ You", "/spark (your Transformer identity), /analysis (the faction quiz), /profile with achievements, /battle_history, /user_says (opt-in)", false),
            field("🎯 Games", "/range (the shooting range: reaction times, ranks, records), /rangestats, /range_leaderboard; /trivia for the whole channel (300 questions, five categories); /walktru: six branching stories; /combiner: six pets form one giant; /cybertron_games: a battle royale for up to 50", false),
            field("📜 Lore", "your server's own: /add_lore, right-click a message → Apps → Add message to lore, /view_lore, /random_lore, /lore_stats", false),
            field("🤝 Recruitment", "for Politics & War alliance leaders: /recruit, /recruitment_stats", false),
            field("🔒 Your data", "/my_data sends you everything kept about you; /forget_me erases you for good", false),
        ],
        footer: Some("Every action is recorded; battles can be replayed turn by turn.".into()),
        image: None,
    })
}

const CLEAR_WARNING: &str = "Erasing a player is permanent. Their energon (wallet, bank and \
rush) is burned, their pet, items, stats, ratings and leaderboard places are dropped, and the \
text they wrote (their pet's name, their lore and the words of theirs it quotes, their word counts) is deleted from disk. Their finished battles stay in the \
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

/// `, 1.5 CC` when the player holds CyberCoin (burned with the rest), else nothing.
fn coins_going(coins: u64) -> String {
    if coins == 0 {
        String::new()
    } else {
        format!(", {}", crate::market::render::coins(coins))
    }
}

pub fn clear_confirm(previews: &[ErasurePreview], confirmation: u64) -> Reply {
    let fields = previews
        .iter()
        .map(|p| EmbedField {
            name: format!("Player {}", p.player),
            value: match &p.blocked {
                Some(why) => format!("<@{}>: can't be erased: {}", p.player, blocked(*why)),
                None => format!(
                    "<@{}>: {} energon in the wallet, {} in the bank, {} in the rush{}; {}",
                    p.player,
                    p.wallet,
                    p.bank,
                    p.rush,
                    coins_going(p.coins),
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

const FORGET_WARNING: &str = "This erases you from the AllSpark for good. Your energon (wallet, \
bank and rush) is burned, your pet, items, stats, ratings and leaderboard places are dropped, \
and the text you wrote (your pet's name) is deleted from disk. Your finished battles stay in the \
log under your id, with no name. There is no undo; if you play again, you start over. \
`/my_data` first if you want a copy.";

/// `/forget_me`, step one: what it would burn, with Erase me and Keep me.
pub fn forget_confirm(preview: &ErasurePreview, confirmation: u64) -> Reply {
    let owner = preview.player.0;
    let erase = Button {
        label: "Erase me".into(),
        custom_id: Press::ForgetConfirm {
            confirmation,
            owner,
        }
        .encode(),
        style: ButtonStyle::Danger,
        disabled: false,
    };
    let keep = Button {
        label: "Keep me".into(),
        custom_id: Press::ForgetCancel {
            confirmation,
            owner,
        }
        .encode(),
        style: ButtonStyle::Secondary,
        disabled: false,
    };
    let mut reply = Reply::embed(Embed {
        title: Some("Erase yourself?".into()),
        description: Some(FORGET_WARNING.into()),
        color: Some(color::REFUSED),
        fields: vec![field(
            "What goes",
            format!(
                "{} energon in the wallet, {} in the bank, {} in the rush{}; {}",
                preview.wallet,
                preview.bank,
                preview.rush,
                coins_going(preview.coins),
                match preview.pet_level {
                    Some(level) => format!("a level {level} pet"),
                    None => "no pet".to_string(),
                }
            ),
            false,
        )],
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![erase, keep])]);
    reply.ephemeral = true;
    reply
}

/// Why `/forget_me` can't go ahead now, in the player's words.
pub fn forget_blocked(why: ErasureBlock) -> String {
    match why {
        ErasureBlock::Unknown => "There's nothing to erase: you have no data here.".to_string(),
        ErasureBlock::Busy(engagement) => format!(
            "You can't be erased while you are {engagement}; finish or leave it, then run \
             /forget_me again."
        ),
    }
}

/// `/forget_me`, done.
pub fn forgotten(burned: u128) -> Reply {
    Reply::text(format!(
        "You have been erased from the AllSpark; {burned} energon was burned. Goodbye, and \
         welcome back any time."
    ))
}

/// `/my_data`: the summary line above the file(s).
pub fn my_data(files: Vec<Attachment>, n_events: usize, n_texts: usize) -> Reply {
    let parts = if files.len() > 1 {
        format!(" in {} files", files.len())
    } else {
        String::new()
    };
    let mut reply = Reply::text(format!(
        "Your data in the AllSpark{parts}: {} and {} you wrote. Ids are strings; times are UTC.",
        crate::view::plural(n_events as u64, "event", "events"),
        crate::view::plural(n_texts as u64, "text", "texts"),
    ));
    reply.files = files.into_boxed_slice();
    reply.ephemeral = true;
    reply
}

/// Room left in each file for the document around the events (player, part, texts).
const FILE_OVERHEAD_BYTES: usize = 64 * 1024;

/// `document` (from `data_export::player_data`) as JSON files of at most `limit_bytes` each:
/// one file when it fits, otherwise its events split in order over several parts (each a
/// complete document; the texts in the first). `Err` with the size when even
/// [`limits::FILES`] files can't hold it.
pub fn data_files(
    document: &serde_json::Value,
    limit_bytes: usize,
) -> Result<Vec<Attachment>, usize> {
    let player = document["player"].as_str().unwrap_or("unknown").to_string();
    let whole = serde_json::to_vec_pretty(document).unwrap_or_default();
    if whole.len() <= limit_bytes {
        return Ok(vec![Attachment {
            filename: format!("allspark-data-{player}.json"),
            description: "Your AllSpark data".into(),
            bytes: whole,
        }]);
    }
    let events = document["events"].as_array().cloned().unwrap_or_default();
    let budget = limit_bytes.saturating_sub(FILE_OVERHEAD_BYTES).max(1);
    let mut parts: Vec<Vec<serde_json::Value>> = vec![Vec::new()];
    let mut used = 0;
    for event in events {
        let size = serde_json::to_vec_pretty(&event).map_or(0, |bytes| bytes.len()) + 8;
        if size > budget {
            return Err(whole.len());
        }
        if used + size > budget {
            parts.push(Vec::new());
            used = 0;
        }
        used += size;
        if let Some(part) = parts.last_mut() {
            part.push(event);
        }
    }
    if parts.len() > limits::FILES {
        return Err(whole.len());
    }
    let n_parts = parts.len();
    let mut files = Vec::with_capacity(n_parts);
    for (idx, events) in parts.into_iter().enumerate() {
        let mut part = serde_json::json!({
            "player": player,
            "part": idx + 1,
            "parts": n_parts,
            "since_seq": document["since_seq"],
            "events": events,
        });
        if idx == 0 {
            part["personal_text"] = document["personal_text"].clone();
        }
        let bytes = serde_json::to_vec_pretty(&part).unwrap_or_default();
        if bytes.len() > limit_bytes {
            return Err(whole.len());
        }
        files.push(Attachment {
            filename: format!("allspark-data-{player}-part{}.json", idx + 1),
            description: format!("Your AllSpark data, part {} of {n_parts}", idx + 1),
            bytes,
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(n_events: usize, event_bytes: usize) -> serde_json::Value {
        let events: Vec<serde_json::Value> = (0..n_events)
            .map(
                |seq| serde_json::json!({ "seq": seq.to_string(), "pad": "x".repeat(event_bytes) }),
            )
            .collect();
        serde_json::json!({
            "player": "41",
            "since_seq": "1",
            "personal_text": [{ "key": "pet.name", "text": "Glimmerwick" }],
            "events": events,
        })
    }

    #[test]
    fn an_export_past_the_upload_limit_is_split_in_order_into_files_under_it() {
        let limit = 100 * 1024;
        let files = data_files(&document(300, 1_000), limit).expect("fits in parts");
        assert!(
            files.len() > 1 && files.len() <= limits::FILES,
            "{}",
            files.len()
        );
        let mut seqs = Vec::new();
        for (idx, file) in files.iter().enumerate() {
            assert!(file.bytes.len() <= limit, "{} bytes", file.bytes.len());
            let part: serde_json::Value = serde_json::from_slice(&file.bytes).expect("JSON");
            assert_eq!(part["part"], idx + 1);
            assert_eq!(part["personal_text"].is_array(), idx == 0);
            for event in part["events"].as_array().expect("events") {
                seqs.push(
                    event["seq"]
                        .as_str()
                        .unwrap_or_default()
                        .parse::<usize>()
                        .unwrap_or(0),
                );
            }
        }
        assert_eq!(
            seqs,
            (0..300).collect::<Vec<_>>(),
            "every event once, in order"
        );
        // A small export stays one file; one too big for ten files is refused.
        assert_eq!(data_files(&document(3, 10), limit).expect("fits").len(), 1);
        assert!(data_files(&document(3_000, 1_000), limit).is_err());
    }
}

#[cfg(test)]
mod features_tests {
    /// Every command the tour names is a registered one (a renamed command can't linger here).
    #[test]
    fn the_tour_names_only_registered_commands() {
        let names: Vec<String> = crate::areas::commands()
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        let tour =
            serde_json::to_string(&super::features_view().to_discord_data()).unwrap_or_default();
        let mut mentioned = 0;
        for word in tour.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '/')) {
            if let Some(name) = word.strip_prefix('/') {
                assert!(names.iter().any(|n| n == name), "/{name} is not a command");
                mentioned += 1;
            }
        }
        assert!(mentioned > 20, "{tour}");
    }
}
