//! The battle area's views: a battle's card with its moves, lobbies, challenges, the enemy
//! pickers, records, the ladder, announcements, and the words for battle events. Pure: engine
//! read models in, [`Reply`] out.

use allspark_engine::battle::sim::{Action, Hit, SimOutcome, StatusKind, Who};
use allspark_engine::battle::view::{Card, Moves};
use allspark_engine::battle::{
    BattleEvent, BattleId, BattleMode, BattleStats, Challenge, Lobby, LobbyKind, Rating,
};
use allspark_engine::content;
use allspark_engine::PlayerId;

use crate::battle::ids::{move_value, Answer, LobbyVerb, Press};
use crate::custom_id::Encode;
use crate::reply::{
    color, Button, ButtonStyle, Embed, EmbedField, Reply, Row, Select, SelectOption,
};
use crate::view::{bar, button, field, plural, truncate, when};

/// A line of words for a battle event; `None` for the turn-by-turn ones the battle view draws.
pub fn describe(event: &BattleEvent) -> Option<String> {
    Some(match event {
        BattleEvent::Ended { .. } => "The battle is over".to_string(),
        BattleEvent::RatingChanged {
            player,
            before,
            after,
            ..
        } => format!("<@{player}> rating {before} → {after}"),
        BattleEvent::TournamentWon { winner, .. } => {
            format!("<@{winner}> wins the tournament!")
        }
        BattleEvent::TournamentCancelled { round, .. } => format!(
            "The tournament is called off: round {round} could not start (a player has no pet)"
        ),
        _ => return None,
    })
}

/// The name a fighter goes by, given the names of the pets' owners' pets.
pub fn fighter_label(card: &Card, index: usize, pet_names: &[(PlayerId, String)]) -> String {
    let Some(fighter) = card.sim.fighters.get(index) else {
        return "Nobody".to_string();
    };
    match fighter.who {
        Who::Pet { player, .. } => pet_names.iter().find(|(p, _)| *p == player).map_or_else(
            || format!("<@{player}>'s pet"),
            |(_, name)| format!("{name} (<@{player}>)"),
        ),
        Who::Enemy => card
            .enemy
            .as_ref()
            .and_then(|enemy| content::get().enemies.get(&enemy.id))
            .map_or("The enemy".to_string(), |def| def.name.clone()),
    }
}

/// A line for one thing that happened in a turn, with fighters named by `name` (the web pages
/// name them without Discord's mentions).
pub fn describe_hit(hit: &Hit, name: &dyn Fn(u8) -> String) -> Option<String> {
    Some(match hit {
        Hit::Charged { fighter, charge } => {
            format!("{} charges up (×{})", name(*fighter), 1u32 << charge)
        }
        Hit::Guarding { guard, target } if guard == target => format!("{} braces", name(*guard)),
        Hit::Guarding { guard, target } => format!("{} guards {}", name(*guard), name(*target)),
        Hit::Stunned { fighter } => format!("{} is stunned", name(*fighter)),
        Hit::PhaseEntered { phase } => format!("The enemy enters phase {}!", phase + 1),
        Hit::AbilityUsed { user, .. } => format!("{} unleashes an ability", name(*user)),
        Hit::Strike {
            attacker,
            target,
            roll,
            guard,
            damage,
            parry,
            special,
            ..
        } => {
            let verb = if *special {
                "uses a special on"
            } else {
                "hits"
            };
            let mut line = match (roll, guard) {
                (1, _) => format!("{} fumbles against {}", name(*attacker), name(*target)),
                (_, Some(guard)) if *damage == 0 => format!(
                    "{} strikes at {}, blocked by {} (d20: {roll})",
                    name(*attacker),
                    name(*target),
                    if guard == target {
                        "its guard".to_string()
                    } else {
                        name(*guard)
                    }
                ),
                (20, _) => format!(
                    "{} lands a critical on {} for {damage}",
                    name(*attacker),
                    name(*target)
                ),
                _ => format!(
                    "{} {verb} {} for {damage} (d20: {roll})",
                    name(*attacker),
                    name(*target)
                ),
            };
            if *parry > 0 {
                line.push_str(&format!(", parried for {parry}"));
            }
            line
        }
        Hit::StatusApplied {
            fighter,
            kind,
            turns,
        } => format!(
            "{} gains {} for {}",
            name(*fighter),
            status_label(*kind),
            plural(u64::from(*turns), "turn", "turns")
        ),
        Hit::Healed { fighter, amount } => format!("{} recovers {amount}", name(*fighter)),
        Hit::Burned { fighter, amount } => format!("{} burns for {amount}", name(*fighter)),
        Hit::Fainted { fighter } => format!("{} is down!", name(*fighter)),
        Hit::Absorbed { fighter, amount } => {
            format!("{}'s shield absorbs {amount} of the damage", name(*fighter))
        }
    })
}

/// A status as players read it (never the Rust name: issue 13).
pub fn status_label(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::Stun => "a stun",
        StatusKind::ArmorUp => "armor up",
        StatusKind::Weaken => "weakness",
        StatusKind::Burn => "a burn",
        StatusKind::Shield => "a shield",
        StatusKind::Enrage => "rage",
    }
}

/// How a finished battle ended, in the words of its mode: who won (the players, or the enemy),
/// never a side number where sides mean nothing (solo, group, free-for-all, duels).
pub fn verdict(card: &Card, pet_names: &[(PlayerId, String)]) -> String {
    verdict_with(card, &|i| fighter_label(card, i, pet_names))
}

/// [`verdict`], with fighters named by `label` (by seat).
pub fn verdict_with(card: &Card, label: &dyn Fn(usize) -> String) -> String {
    let Some(SimOutcome::Won { side }) = card.end else {
        if matches!(card.mode, BattleMode::Tournament { .. }) {
            return "A draw.".to_string();
        }
        return "A draw: nobody wins.".to_string();
    };
    let winners: Vec<usize> = card
        .sim
        .fighters
        .iter()
        .enumerate()
        .filter(|(_, f)| f.side == side)
        .map(|(i, _)| i)
        .collect();
    let names: Vec<String> = winners.iter().map(|&i| label(i)).collect();
    let enemy_won = winners
        .iter()
        .any(|&i| matches!(card.sim.fighters[i].who, Who::Enemy));
    match card.mode {
        _ if enemy_won => format!("{} wins. Your party is defeated.", names.join(" and ")),
        BattleMode::Solo | BattleMode::Group => format!("Victory! {} won.", and_list(&names)),
        BattleMode::Team => format!("Side {} wins: {}!", side + 1, and_list(&names)),
        _ => format!("{} wins!", and_list(&names)),
    }
}

/// Who fights whom, by side: teammates are joined with "and", sides with "vs" (a team battle is
/// never "A vs B vs C vs D").
pub fn matchup(card: &Card, pet_names: &[(PlayerId, String)]) -> String {
    let mut sides: Vec<(u8, Vec<String>)> = Vec::new();
    for (i, fighter) in card.sim.fighters.iter().enumerate() {
        let label = match fighter.who {
            Who::Pet { player, .. } => format!("<@{player}>"),
            Who::Enemy => fighter_label(card, i, pet_names),
        };
        match sides.iter_mut().find(|(side, _)| *side == fighter.side) {
            Some((_, names)) => names.push(label),
            None => sides.push((fighter.side, vec![label])),
        }
    }
    sides
        .iter()
        .map(|(_, names)| and_list(names))
        .collect::<Vec<_>>()
        .join(" vs ")
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The battle view: health bars, the last turn's log, and the action buttons for the turn.
/// Everyone sees the same view; a press is checked by the engine (only participants, only once
/// per turn).
pub fn battle_view(card: &Card, pet_names: &[(PlayerId, String)]) -> Reply {
    let ended = card.is_over();
    let name = |i: u8| fighter_label(card, usize::from(i), pet_names);
    let fields: Vec<EmbedField> = card
        .sim
        .fighters
        .iter()
        .enumerate()
        .take(24)
        .map(|(i, f)| {
            let mut value = bar(u64::from(f.hp), u64::from(f.hp_max));
            if f.charge > 0 {
                value.push_str(&format!(" · charge ×{}", 1u32 << f.charge));
            }
            if f.surrendered {
                value.push_str(" · surrendered");
            }
            if card.ready.get(i).copied().unwrap_or(false) {
                value.push_str(" · ready");
            }
            field(
                truncate(&format!("{} [side {}]", name(i as u8), f.side + 1), 256),
                value,
                false,
            )
        })
        .collect();
    let log: Vec<String> = card
        .last_log
        .iter()
        .filter_map(|hit| describe_hit(hit, &name))
        .collect();
    let description = if log.is_empty() && ended {
        "The battle ended before a turn was played.".to_string()
    } else if log.is_empty() {
        "Choose your action.".to_string()
    } else {
        truncate(&log.join("\n"), 3_000)
    };
    let rated = match (card.mode, card.rated) {
        (BattleMode::Duel, true) => " (rated)",
        (BattleMode::Duel, false) => " (not rated)",
        _ => "",
    };
    let title = if ended {
        format!("{} battle{rated} — over", card.mode.label())
    } else {
        format!(
            "{} battle{rated} — turn {}",
            card.mode.label(),
            card.sim.turn
        )
    };
    let embed = Embed {
        title: Some(title),
        description: Some(description),
        color: Some(color::BATTLE),
        fields,
        footer: card
            .deadline
            .map(|deadline| format!("Turn ends {}", when(deadline))),
        image: None,
    };
    if ended {
        return Reply::embed(embed);
    }
    let id = card.id;
    let mut rows = Vec::new();
    if card.moves_are_shared() {
        // One set of moves serves every seat (solo and group PvE: everyone faces the enemy).
        let seat = card
            .players()
            .first()
            .and_then(|player| card.seat_of(*player));
        if let Some(seat) = seat {
            rows.extend(move_rows(card, &card.moves_for(seat), &name));
        }
    } else {
        // Seats differ (whom one may hit is whom another must guard): each player picks in a
        // private picker that offers only their own moves.
        rows.push(Row::Buttons(vec![button(
            "Choose my move",
            Press::Moves {
                battle: id,
                update: false,
            },
            ButtonStyle::Primary,
        )]));
    }
    let controls = vec![
        button(
            "Surrender",
            Press::Surrender { battle: id },
            ButtonStyle::Secondary,
        ),
        button(
            "Refresh",
            Press::Watch { battle: id },
            ButtonStyle::Secondary,
        ),
    ];
    match rows.last_mut() {
        Some(Row::Buttons(last)) if last.len() + controls.len() <= 5 => last.extend(controls),
        _ => rows.push(Row::Buttons(controls)),
    }
    Reply::embed(embed).with_rows(rows)
}

/// A player's own move picker (private): only the moves their seat may make this turn, or what
/// they are waiting for. It carries no Refresh button, so it is never taken for the shared
/// battle message that live updates keep fresh.
pub fn move_picker(card: &Card, seat: u8, pet_names: &[(PlayerId, String)]) -> Reply {
    let name = |i: u8| fighter_label(card, usize::from(i), pet_names);
    let moves = card.moves_for(seat);
    let me = card.sim.fighters.get(usize::from(seat));
    let health = me.map_or(String::new(), |f| bar(u64::from(f.hp), u64::from(f.hp_max)));
    let deadline = card
        .deadline
        .map_or(String::new(), |at| format!(" The turn ends {}.", when(at)));
    let (content, mut rows) = if card.is_over() {
        ("The battle is over.".to_string(), Vec::new())
    } else if moves.chosen {
        (
            format!(
                "Turn {}: your move is in; waiting for the others.{deadline}\n{health}",
                card.sim.turn
            ),
            Vec::new(),
        )
    } else if moves.targets.is_empty() {
        ("You are out of this battle.".to_string(), Vec::new())
    } else {
        (
            format!(
                "Turn {}: your move, {}.{deadline}\n{health}",
                card.sim.turn,
                name(seat)
            ),
            move_rows(card, &moves, &name),
        )
    };
    rows.push(Row::Buttons(vec![button(
        "Update",
        Press::Moves {
            battle: card.id,
            update: true,
        },
        ButtonStyle::Secondary,
    )]));
    Reply {
        content: Some(truncate(&content, 2_000)),
        ephemeral: true,
        ..Reply::default()
    }
    .with_rows(rows)
}

/// The buttons (and the move menu) for one seat's legal moves. Buttons are quickest; whatever
/// does not fit in a row of five (and Special, when there is more than one target) goes into
/// the move menu, which holds every remaining (move, target) pair: at most 8 fighters, so at
/// most 24 options.
fn move_rows(card: &Card, moves: &Moves, name: &dyn Fn(u8) -> String) -> Vec<Row> {
    let id = card.id;
    let turn = card.sim.turn;
    let act = |label: String, action: Action, style| {
        button(
            truncate(&label, 80),
            Press::Act {
                battle: id,
                turn,
                action,
            },
            style,
        )
    };
    let short = |i: u8| name(i).split(" (").next().unwrap_or("").to_string();
    let mut rows = Vec::new();
    let mut menu = Vec::new();
    let option = |action: Action, i: u8, verb: &str| SelectOption {
        label: truncate(&format!("{verb} {}", short(i)), 100),
        value: move_value(action),
        description: None,
    };
    let attacks: Vec<Action> = moves
        .targets
        .iter()
        .map(|&target| Action::Attack { target })
        .collect();
    let guarding: Vec<Action> = moves
        .guards
        .iter()
        .map(|&guard| Action::Defend { guard })
        .collect();
    for (verb, style, fighters, actions) in [
        ("Attack", ButtonStyle::Danger, &moves.targets, &attacks),
        ("Guard", ButtonStyle::Primary, &moves.guards, &guarding),
    ] {
        let action = |n: usize| actions[n];
        if fighters.len() <= 5 {
            let buttons: Vec<Button> = fighters
                .iter()
                .enumerate()
                .map(|(n, &i)| act(format!("{verb} {}", short(i)), action(n), style))
                .collect();
            if !buttons.is_empty() {
                rows.push(Row::Buttons(buttons));
            }
        } else {
            menu.extend(
                fighters
                    .iter()
                    .enumerate()
                    .map(|(n, &i)| option(action(n), i, verb)),
            );
        }
    }
    let mut last = vec![act("Charge".into(), Action::Charge, ButtonStyle::Success)];
    match moves.targets.as_slice() {
        [] => {}
        // Without charge a special is shown, but can't be pressed, so players learn it exists.
        [first, ..] if !moves.special => last.push(Button {
            disabled: true,
            ..act(
                "Special (charge first)".into(),
                Action::Special { target: *first },
                ButtonStyle::Success,
            )
        }),
        [only] => last.push(act(
            "Special".into(),
            Action::Special { target: *only },
            ButtonStyle::Success,
        )),
        many => menu.extend(
            many.iter()
                .map(|&i| option(Action::Special { target: i }, i, "Special")),
        ),
    }
    if !menu.is_empty() {
        rows.push(Row::Select(Select {
            custom_id: Press::ActPick { battle: id, turn }.encode(),
            placeholder: "More moves: pick a move and its target".into(),
            options: menu,
        }));
    }
    rows.push(Row::Buttons(last));
    rows
}

/// Adds a line above a view that notifies `pings` (battles starting, a tournament won).
pub fn announce(mut reply: Reply, line: String, pings: &[PlayerId]) -> Reply {
    reply.content = Some(match reply.content.take() {
        Some(existing) => truncate(&format!("{line}\n{existing}"), 2_000),
        None => truncate(&line, 2_000),
    });
    for player in pings {
        if !reply.pings.contains(&player.0) {
            reply.pings.push(player.0);
        }
    }
    reply
}

/// What the battle's end led to, one line per player who got anything, as a field of the
/// battle view: energon, experience, a level, loot, the pot, the rating change.
pub fn with_results(
    mut reply: Reply,
    results: &[allspark_engine::battle::view::PlayerResult],
) -> Reply {
    let lines: Vec<String> = results
        .iter()
        .filter_map(|r| {
            let mut parts = Vec::new();
            if r.energon > 0 {
                parts.push(format!("+{} energon", r.energon));
            }
            if r.pot > 0 {
                parts.push(if r.refund {
                    format!("stake of {} refunded", r.pot)
                } else {
                    format!("+{} from the pot", r.pot)
                });
            }
            if r.xp > 0 {
                parts.push(format!("+{} XP", r.xp));
            }
            if let Some(level) = r.level {
                parts.push(format!("reached level {level}"));
            }
            for item in &r.items {
                let name = content::get()
                    .items
                    .get(item)
                    .map_or(item.0.clone(), |i| i.name.clone());
                parts.push(format!("found {name}"));
            }
            if let Some((before, after)) = r.rating {
                parts.push(format!("rating {before} → {after}"));
            }
            (!parts.is_empty()).then(|| format!("<@{}>: {}", r.player, parts.join(", ")))
        })
        .collect();
    if lines.is_empty() {
        return reply;
    }
    if let Some(embed) = reply.embeds.first_mut() {
        embed
            .fields
            .push(field("Results", truncate(&lines.join("\n"), 1_024), false));
    }
    reply
}

/// The players of a match, as mentions: `<@1> vs <@2>`.
pub fn pairing(players: &[PlayerId]) -> String {
    players
        .iter()
        .map(|p| format!("<@{p}>"))
        .collect::<Vec<_>>()
        .join(" vs ")
}

/// Matches that just started (a tournament round), each with a button that posts its view.
/// Added to `reply` (a view of the battle that led here, or nothing), pinging the players.
pub fn with_matches(reply: Reply, title: &str, matches: &[(BattleId, Vec<PlayerId>)]) -> Reply {
    if matches.is_empty() {
        return reply;
    }
    let lines: Vec<String> = matches
        .iter()
        .enumerate()
        .map(|(i, (_, players))| format!("Match {}: {}", i + 1, pairing(players)))
        .collect();
    let players: Vec<PlayerId> = matches.iter().flat_map(|(_, p)| p.clone()).collect();
    let mut reply = announce(
        reply,
        format!("**{title}**\n{}", lines.join("\n")),
        &players,
    );
    let buttons: Vec<Button> = matches
        .iter()
        .enumerate()
        .map(|(i, (battle, _))| {
            button(
                format!("Open match {}", i + 1),
                Press::Open { battle: *battle },
                ButtonStyle::Primary,
            )
        })
        .collect();
    for chunk in buttons.chunks(5) {
        if reply.rows.len() < 5 {
            reply.rows.push(Row::Buttons(chunk.to_vec()));
        }
    }
    reply
}

pub fn lobby_view(lobby: &Lobby) -> Reply {
    let what = match &lobby.kind {
        LobbyKind::GroupPve { enemy } => {
            let name = content::get()
                .enemies
                .get(enemy)
                .map_or(enemy.as_str(), |e| e.name.as_str());
            format!("Group battle against {name}")
        }
        LobbyKind::Team { per_side } => format!("Team battle, {per_side} vs {per_side}"),
        LobbyKind::FreeForAll => "Free-for-all".to_string(),
        LobbyKind::Tournament { size } => format!("Tournament for {size}"),
    };
    let members: Vec<String> = lobby
        .members
        .iter()
        .map(|m| {
            let side = m
                .side
                .map_or(String::new(), |s| format!(" (side {})", s + 1));
            let ready = if m.ready || m.player == lobby.creator {
                "✅"
            } else {
                "⏳"
            };
            format!("{ready} <@{}>{side}", m.player)
        })
        .collect();
    let mut fields = vec![field("Players", members.join("\n"), false)];
    if lobby.stake > 0 {
        fields.push(field(
            "Stake",
            format!("{} energon each", lobby.stake),
            true,
        ));
    }
    let embed = Embed {
        title: Some(what),
        description: Some(format!(
            "Opened by <@{}>. Join, get ready, and the creator starts.",
            lobby.creator
        )),
        color: Some(color::BATTLE),
        fields,
        footer: Some(format!("Closes {}", when(lobby.expires_at))),
        image: None,
    };
    let verb = |label: &str, verb: LobbyVerb, style| {
        button(
            label,
            Press::Lobby {
                verb,
                lobby: lobby.id,
            },
            style,
        )
    };
    let mut first = vec![verb("Join", LobbyVerb::Join, ButtonStyle::Primary)];
    if matches!(lobby.kind, LobbyKind::Team { .. }) {
        first = vec![
            verb("Join side 1", LobbyVerb::JoinSide(0), ButtonStyle::Primary),
            verb("Join side 2", LobbyVerb::JoinSide(1), ButtonStyle::Primary),
        ];
    }
    first.push(verb("Ready", LobbyVerb::Ready, ButtonStyle::Success));
    first.push(verb(
        "Not ready",
        LobbyVerb::Unready,
        ButtonStyle::Secondary,
    ));
    first.push(verb("Leave", LobbyVerb::Leave, ButtonStyle::Secondary));
    Reply::embed(embed).with_rows(vec![
        Row::Buttons(first),
        Row::Buttons(vec![
            verb("Start", LobbyVerb::Start, ButtonStyle::Success),
            verb("Cancel", LobbyVerb::Cancel, ButtonStyle::Danger),
        ]),
    ])
}

/// What a duel is played for: rated or not, and why not.
pub fn rated_line(rated: bool) -> &'static str {
    if rated {
        "Rated: the result moves both ratings."
    } else {
        "Not rated: you two played a rated duel less than a day ago."
    }
}

pub fn challenge_view(challenge: &Challenge, rated: bool) -> Reply {
    let stake = if challenge.stake > 0 {
        format!(" for {} energon each", challenge.stake)
    } else {
        String::new()
    };
    let verb = |label: &str, answer: Answer, style| {
        button(
            label,
            Press::Challenge {
                answer,
                challenge: challenge.id,
            },
            style,
        )
    };
    Reply {
        content: Some(format!(
            "<@{}> challenges <@{}> to a duel{stake}!\n{}",
            challenge.challenger,
            challenge.opponent,
            rated_line(rated)
        )),
        ..Reply::default()
    }
    .with_rows(vec![Row::Buttons(vec![
        verb("Accept", Answer::Accept, ButtonStyle::Success),
        verb("Decline", Answer::Decline, ButtonStyle::Danger),
    ])])
}

/// Step one of choosing an enemy: kind and rarity, with the level each is meant for.
/// The warning before a fight on little health (`pets::view::low_health`).
pub fn low_health_warning(player: PlayerId, hp: u32, hp_max: u32) -> String {
    if hp == 0 {
        return format!(
            "⚠️ <@{player}>, your pet has no battle health left and can't fight until \
             /charge_pet, /repair_pet or /play restores some."
        );
    }
    format!(
        "⚠️ <@{player}>, your pet has only {hp} of {hp_max} battle health and will go down \
         fast: /charge_pet, /repair_pet and /play restore it first."
    )
}

pub fn enemy_kinds_view(owner: u64) -> Reply {
    let enemies = &content::get().enemies;
    let mut options = Vec::new();
    for kind in allspark_engine::battle::content::EnemyKind::ALL {
        for rarity in allspark_engine::pets::content::Rarity::ALL {
            let levels: Vec<u32> = enemies
                .values()
                .filter(|e| e.kind == kind && e.rarity == rarity)
                .map(|e| e.recommended_level)
                .collect();
            let (Some(low), Some(high)) = (levels.iter().min(), levels.iter().max()) else {
                continue;
            };
            options.push(SelectOption {
                label: format!("{} {}", rarity.label(), kind.label()),
                value: format!("{}:{}", kind.label(), rarity.label()),
                description: Some(format!(
                    "{} enemies, recommended level {low}–{high}",
                    levels.len()
                )),
            });
        }
    }
    options.truncate(25);
    Reply {
        content: Some("Choose what to fight:".into()),
        ephemeral: true,
        ..Reply::default()
    }
    .with_rows(vec![Row::Select(Select {
        custom_id: Press::PickKindRarity { owner }.encode(),
        placeholder: "Kind and rarity".into(),
        options,
    })])
}

/// Step two: the enemies of one kind and rarity.
/// `faced` is each enemy's health as it would face the player's pet (the engine's
/// `enemy_as_faced`, the battle's own scaling); an enemy missing from it shows its base health.
pub fn enemy_list_view(
    owner: u64,
    kind: &str,
    rarity: &str,
    faced: &std::collections::BTreeMap<String, u32>,
) -> Reply {
    let options: Vec<SelectOption> = content::get()
        .enemies
        .values()
        .filter(|e| e.kind.label() == kind && e.rarity.label() == rarity)
        .take(25)
        .map(|e| SelectOption {
            label: truncate(&e.name, 100),
            value: e.id.clone(),
            description: Some(truncate(
                &format!(
                    "level {} · {} hp · {}",
                    e.recommended_level,
                    faced.get(&e.id).copied().unwrap_or(e.hp),
                    e.description
                ),
                100,
            )),
        })
        .collect();
    if options.is_empty() {
        return Reply::refusal("No enemies of that kind.");
    }
    Reply {
        content: Some(format!("{rarity} {kind}s:")),
        ephemeral: true,
        ..Reply::default()
    }
    .with_rows(vec![Row::Select(Select {
        custom_id: Press::PickEnemy { owner }.encode(),
        placeholder: "Choose your opponent".into(),
        options,
    })])
}

/// The ranked ladder: ratings, best first.
pub fn ladder_view(entries: &[(PlayerId, u64)]) -> Reply {
    let lines: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(i, (player, elo))| format!("{}. <@{player}> — {elo}", i + 1))
        .collect();
    Reply::embed(Embed {
        title: Some("Ranked ladder".into()),
        description: Some(if lines.is_empty() {
            "No rated duels yet: /ranked action:join".into()
        } else {
            lines.join("\n")
        }),
        color: Some(color::BATTLE),
        fields: Vec::new(),
        footer: Some("Elo from 1000; the first ten games are provisional.".into()),
        image: None,
    })
}

pub fn stats_view(player: PlayerId, stats: &BattleStats, rating: Rating) -> Reply {
    let provisional = if rating.games < allspark_engine::battle::elo::PROVISIONAL_GAMES {
        " (provisional)"
    } else {
        ""
    };
    Reply::embed(Embed {
        title: Some("Battle record".into()),
        description: Some(format!("<@{player}>")),
        color: Some(color::BATTLE),
        fields: vec![
            field("Battles", stats.battles.to_string(), true),
            field(
                "Wins",
                format!(
                    "{} ({} PvE, {} PvP)",
                    stats.wins, stats.pve_wins, stats.pvp_wins
                ),
                true,
            ),
            field("Losses", stats.losses.to_string(), true),
            field("Draws", stats.draws.to_string(), true),
            field("Win rate", format!("{}%", stats.win_rate_percent()), true),
            field("Rating", format!("{}{provisional}", rating.elo), true),
            field("Damage dealt", stats.damage_dealt.to_string(), true),
            field("Damage taken", stats.damage_taken.to_string(), true),
        ],
        footer: None,
        image: None,
    })
}

pub fn battle_info_view() -> Reply {
    Reply::embed(Embed {
        title: Some("How battles work".into()),
        description: Some(
            [
                "Everyone picks an action each turn; the turn resolves when all have chosen or the deadline passes (idle fighters defend).",
                "**Attack** rolls a d20: a 1 misses, 2–7 hits ×2, 8–13 ×3, 14–19 ×4, a 20 is a critical ×8 that ignores guards.",
                "**Guard** yourself or an ally: attacks on them meet a defense roll; a strong defense parries damage back.",
                "**Charge** doubles your next strike (up to ×8), but you take 25% more damage while charging.",
                "**Special** needs charge: a double strike, plus a shield (Autobot) or a burn (Decepticon).",
                "Health is energy + happiness + maintenance; a third of the damage you take wears your pet afterwards.",
            ]
            .join("\n"),
        ),
        color: Some(color::BATTLE),
        ..Embed::default()
    })
}

#[cfg(test)]
mod tests {
    use allspark_engine::battle::sim::{Fighter, Sim, SimOutcome, Who, RULES_VERSION};
    use allspark_engine::battle::view::Card;
    use allspark_engine::battle::{BattleId, BattleMode};
    use allspark_engine::dice::Seed;
    use allspark_engine::pets::Faction;
    use allspark_engine::PlayerId;

    use super::{matchup, verdict};

    fn card(mode: BattleMode, sides: &[u8], end: Option<SimOutcome>) -> Card {
        let fighters = sides
            .iter()
            .enumerate()
            .map(|(i, side)| {
                let who = Who::Pet {
                    player: PlayerId(i as u64 + 1),
                    faction: Faction::Autobot,
                };
                Fighter::new(who, *side, 1, 10, 10, 5, 5)
            })
            .collect();
        Card {
            id: BattleId(1),
            mode,
            sim: Sim {
                fighters,
                turn: 3,
                seed: Seed::pcg(1),
                kit: None,
                outcome: end,
                rules: RULES_VERSION,
            },
            ready: vec![false; sides.len()],
            deadline: None,
            enemy: None,
            last_log: Vec::new(),
            end,
            rated: false,
            stake: 0,
        }
    }

    /// Issue 13: team battles began "A vs B vs C vs D", and every battle ended "Side 1 wins!".
    #[test]
    fn teams_are_announced_by_side_and_winners_by_name() {
        let team = card(
            BattleMode::Team,
            &[0, 1, 0, 1],
            Some(SimOutcome::Won { side: 1 }),
        );
        assert_eq!(matchup(&team, &[]), "<@1> and <@3> vs <@2> and <@4>");
        assert_eq!(
            verdict(&team, &[]),
            "Side 2 wins: <@2>'s pet and <@4>'s pet!"
        );
        let ffa = card(
            BattleMode::FreeForAll,
            &[0, 1, 2],
            Some(SimOutcome::Won { side: 2 }),
        );
        assert_eq!(matchup(&ffa, &[]), "<@1> vs <@2> vs <@3>");
        let names = [(PlayerId(3), "Zap".to_string())];
        assert_eq!(verdict(&ffa, &names), "Zap (<@3>) wins!");
        assert_eq!(
            verdict(
                &card(BattleMode::Duel, &[0, 1], Some(SimOutcome::Draw)),
                &[]
            ),
            "A draw: nobody wins."
        );
    }
}
