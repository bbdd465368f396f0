//! Projections into replies: pure functions from engine state (already read) to [`Reply`].
//! Nothing here talks to the engine or a network, so every view is tested against Discord's
//! schema and limits without either.

use allspark_engine::battle::sim::{Hit, Who};
use allspark_engine::battle::{
    Battle, BattleEvent, BattleId, BattleStats, Challenge, Lobby, LobbyKind, Rating,
};
use allspark_engine::content;
use allspark_engine::energon::{EnergonEvent, Period, Rush, RushFind, RUSH_TARGET};
use allspark_engine::history::{Account, LedgerPage};
use allspark_engine::pets::content::Slot;
use allspark_engine::pets::{Faction, Pet, PetEvent, Resource};
use allspark_engine::player::PlayerEvent;
use allspark_engine::slots::{Difficulty, SlotStats, SlotsEvent};
use allspark_engine::{Event, PlayerId, Timestamp};

use crate::custom_id::{Press, CLEAR_MAX_PLAYERS};
use crate::reply::{
    color, Button, ButtonStyle, Embed, EmbedField, Reply, Row, Select, SelectOption, UserSelect,
};

/// A ten-cell bar with the numbers: `▰▰▰▱▱▱▱▱▱▱ 30/100`.
pub fn bar(value: u64, max: u64) -> String {
    let max = max.max(1);
    let filled = (value.min(max) * 10 / max) as usize;
    format!(
        "{}{} {value}/{max}",
        "▰".repeat(filled),
        "▱".repeat(10 - filled)
    )
}

fn field(name: impl Into<String>, value: impl Into<String>, inline: bool) -> EmbedField {
    EmbedField {
        name: name.into(),
        value: value.into(),
        inline,
    }
}

fn button(label: impl Into<String>, press: Press, style: ButtonStyle) -> Button {
    Button {
        label: label.into(),
        custom_id: press.encode(),
        style,
        disabled: false,
    }
}

fn minute(now: Timestamp) -> i64 {
    now.0 / 60_000
}

pub fn faction_label(faction: Faction) -> &'static str {
    match faction {
        Faction::Autobot => "Autobot",
        Faction::Decepticon => "Decepticon",
    }
}

/// A line of words for an event, from the point of view of the people involved; `None` for
/// events nobody needs to read about.
pub fn describe(event: &Event) -> Option<String> {
    Some(match event {
        Event::Player(PlayerEvent::Joined { .. }) => "Welcome to the AllSpark!".to_string(),
        Event::Player(PlayerEvent::Erased {
            player,
            wallet,
            bank,
            rush,
        }) => format!(
            "<@{player}> was erased; {} energon burned",
            u128::from(*wallet) + u128::from(*bank) + u128::from(*rush)
        ),
        Event::Energon(event) => match event {
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
        },
        Event::Pet(event) => match event {
            PetEvent::Adopted { faction, .. } => format!(
                "A new {} sparkling has joined you!",
                faction_label(*faction)
            ),
            PetEvent::Renamed { .. } => "Your pet has a new name".to_string(),
            PetEvent::ReleaseRequested { .. } => return None,
            PetEvent::Released { .. } => {
                "Your pet has been released. Farewell, friend.".to_string()
            }
            PetEvent::Cared {
                action, restored, ..
            } => {
                let what = match action {
                    allspark_engine::pets::CareAction::Charge => "energy",
                    allspark_engine::pets::CareAction::Repair => "maintenance",
                    allspark_engine::pets::CareAction::Play => "happiness",
                };
                format!("+{restored} {what}")
            }
            PetEvent::Trained {
                attack_gain,
                defense_gain,
                ..
            } => {
                let mut text = "Training complete".to_string();
                if *attack_gain > 0 {
                    text.push_str(&format!(", +{attack_gain} attack"));
                }
                if *defense_gain > 0 {
                    text.push_str(&format!(", +{defense_gain} defense"));
                }
                text
            }
            PetEvent::MissionEnded {
                difficulty,
                text_index,
                succeeded,
                ..
            } => {
                let texts = &content::get().missions;
                let list = match difficulty {
                    allspark_engine::pets::MissionDifficulty::Easy => &texts.easy,
                    allspark_engine::pets::MissionDifficulty::Average => &texts.average,
                    allspark_engine::pets::MissionDifficulty::Hard => &texts.hard,
                };
                let line = list
                    .get(usize::from(*text_index))
                    .map_or("A mission", String::as_str);
                format!(
                    "{line} — {}",
                    if *succeeded {
                        "success!"
                    } else {
                        "it didn't go to plan."
                    }
                )
            }
            PetEvent::ExperienceGained { xp, .. } => format!("+{xp} XP"),
            PetEvent::LeveledUp { level, .. } => {
                format!(
                    "Level up! Now level {level} ({})",
                    allspark_engine::pets::tuning::stage_name(*level)
                )
            }
            PetEvent::ItemFound { item, .. } => {
                let name = content::get()
                    .items
                    .get(item)
                    .map_or(item.0.as_str(), |i| i.name.as_str());
                format!("Found an item: {name}")
            }
            PetEvent::Equipped { item, .. } => {
                let name = content::get()
                    .items
                    .get(item)
                    .map_or(item.0.as_str(), |i| i.name.as_str());
                format!("Equipped {name}")
            }
            PetEvent::Unequipped { slot, .. } => format!("Unequipped the {}", slot.label()),
            PetEvent::Damaged {
                energy_lost,
                happiness_lost,
                maintenance_lost,
                ..
            } => {
                format!("Wear and tear: -{energy_lost} energy, -{happiness_lost} happiness, -{maintenance_lost} maintenance")
            }
        },
        Event::Slots(SlotsEvent::Spun { payout, bet, .. }) => {
            if *bet == 0 {
                "A free spin".to_string()
            } else {
                format!("Bet {bet}, won {payout}")
            }
        }
        Event::Battle(event) => match event {
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
            _ => return None,
        },
    })
}

/// What a batch of events means to the player, as one embed.
pub fn outcome_summary(title: &str, events: &[Event]) -> Reply {
    let lines: Vec<String> = events.iter().filter_map(describe).collect();
    let description = if lines.is_empty() {
        "Done.".to_string()
    } else {
        lines.join("\n")
    };
    Reply::embed(Embed {
        title: Some(title.to_string()),
        description: Some(truncate(&description, 4_000)),
        color: Some(color::ENERGON),
        ..Embed::default()
    })
}

pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub fn pet_dashboard(owner: u64, pet: &Pet, name: &str, now: Timestamp) -> Reply {
    let profile = pet.battle_profile();
    let bonus = pet.equipment_bonus();
    let xp = match pet.xp_to_next() {
        Some(next) => bar(pet.xp, next),
        None => "MAX".to_string(),
    };
    let mut fields = vec![
        field(
            "Level",
            format!("{} · {}", pet.level, pet.stage_name()),
            true,
        ),
        field("Faction", faction_label(pet.faction), true),
        field("Experience", xp, false),
    ];
    for resource in [Resource::Energy, Resource::Happiness, Resource::Maintenance] {
        let label = match resource {
            Resource::Energy => "⚡ Energy",
            Resource::Happiness => "😊 Happiness",
            Resource::Maintenance => "🔧 Maintenance",
        };
        fields.push(field(
            label,
            bar(
                u64::from(pet.resource(resource)),
                u64::from(pet.resource_max(resource)),
            ),
            false,
        ));
    }
    fields.push(field(
        "⚔️ Attack",
        format!("{} (+{} gear)", profile.attack, bonus.attack),
        true,
    ));
    fields.push(field(
        "🛡️ Defense",
        format!("{} (+{} gear)", profile.defense, bonus.defense),
        true,
    ));
    fields.push(field(
        "❤️ Battle health",
        bar(u64::from(profile.hp), u64::from(profile.hp_max)),
        false,
    ));
    let waits: Vec<String> = pet
        .ready_at
        .iter()
        .filter(|(_, ready)| **ready > now)
        .map(|(activity, ready)| format!("{activity:?}: ready at {ready}"))
        .collect();
    if !waits.is_empty() {
        fields.push(field("Cooldowns", waits.join("\n"), false));
    }
    let embed = Embed {
        title: Some(truncate(
            &format!("{name} — your {}", faction_label(pet.faction)),
            256,
        )),
        description: None,
        color: Some(match pet.faction {
            Faction::Autobot => color::AUTOBOT,
            Faction::Decepticon => color::DECEPTICON,
        }),
        fields,
        footer: Some(format!("Adopted {}", pet.adopted_at)),
    };
    let care = |label: &str, action: &str| {
        button(
            label,
            Press::Care {
                owner,
                action: action.into(),
                level: "s".into(),
            },
            ButtonStyle::Primary,
        )
    };
    Reply::embed(embed).with_rows(vec![
        Row::Buttons(vec![
            care("Charge", "charge"),
            care("Repair", "repair"),
            care("Play", "play"),
        ]),
        Row::Buttons(vec![
            button(
                "Train",
                Press::Train {
                    owner,
                    intensity: "average".into(),
                },
                ButtonStyle::Success,
            ),
            button(
                "Mission",
                Press::Mission {
                    owner,
                    difficulty: "easy".into(),
                },
                ButtonStyle::Success,
            ),
            button(
                "Equipment",
                Press::Inventory {
                    owner,
                    page: 0,
                    minute: minute(now),
                },
                ButtonStyle::Secondary,
            ),
            button("Rename", Press::Rename { owner }, ButtonStyle::Secondary),
        ]),
    ])
}

pub fn equipment_view(owner: u64, pet: &Pet, name: &str, page: usize, now: Timestamp) -> Reply {
    let items = &content::get().items;
    let equipped: Vec<EmbedField> = Slot::ALL
        .iter()
        .map(|slot| {
            let value = match pet.equipment.get(slot) {
                Some(id) => items.get(id).map_or(id.0.clone(), |item| {
                    format!("{} ({})", item.name, item.rarity.label())
                }),
                None => "empty".to_string(),
            };
            field(slot.label(), value, true)
        })
        .collect();
    let listing = pet.inventory_page(page);
    let lines: Vec<String> = listing
        .items
        .iter()
        .map(|(id, count)| match items.get(id) {
            Some(item) => format!(
                "{} ×{count} — {} {} ({})",
                item.name,
                item.rarity.label(),
                item.slot.label(),
                id
            ),
            None => format!("{id} ×{count}"),
        })
        .collect();
    let description = if lines.is_empty() {
        "The inventory is empty: win battles and missions to find items.".to_string()
    } else {
        lines.join("\n")
    };
    let embed = Embed {
        title: Some(truncate(&format!("{name}'s equipment"), 256)),
        description: Some(description),
        color: Some(color::NEUTRAL),
        fields: equipped,
        footer: Some(format!(
            "Page {} of {} · {} kinds of item",
            listing.page + 1,
            listing.n_pages,
            listing.n_items
        )),
    };
    let m = minute(now);
    let previous = Button {
        disabled: listing.page == 0,
        ..button(
            "◀ Previous",
            Press::Inventory {
                owner,
                page: listing.page.saturating_sub(1),
                minute: m,
            },
            ButtonStyle::Secondary,
        )
    };
    let next = Button {
        disabled: listing.page + 1 >= listing.n_pages,
        ..button(
            "Next ▶",
            Press::Inventory {
                owner,
                page: listing.page + 1,
                minute: m,
            },
            ButtonStyle::Secondary,
        )
    };
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![previous, next])])
}

/// A select menu of the inventory items that fit `slot` (at most 25).
/// The items a menu can list at once (Discord's limit).
const PICKER_ITEMS: usize = 25;

pub fn equip_picker(owner: u64, pet: &Pet, slot: Slot) -> Reply {
    let items = &content::get().items;
    // Rarest first, so when there are more than a menu holds, the best are the ones shown.
    let mut fitting: Vec<_> = pet
        .inventory
        .keys()
        .filter_map(|id| items.get(id))
        .filter(|item| item.slot == slot)
        .collect();
    fitting.sort_by(|a, b| b.rarity.cmp(&a.rarity).then_with(|| a.name.cmp(&b.name)));
    let total = fitting.len();
    let options: Vec<SelectOption> = fitting
        .into_iter()
        .take(PICKER_ITEMS)
        .map(|item| SelectOption {
            label: truncate(&item.name, 100),
            value: item.id.0.clone(),
            description: Some(truncate(
                &format!("{} · {}", item.rarity.label(), item.description),
                100,
            )),
        })
        .collect();
    if options.is_empty() {
        return Reply::refusal(format!("Your pet has no {} to equip yet.", slot.label()));
    }
    let slot_id = match slot {
        Slot::ChassisPlating => "chassis_plating",
        Slot::EnergyCore => "energy_core",
        Slot::UtilityModule => "utility_module",
    };
    let content = if total > PICKER_ITEMS {
        format!(
            "Choose a {} to equip (the {PICKER_ITEMS} rarest of {total}; for any other, type \
             /pet_equip slot:{slot_id} item: and pick from the suggestions):",
            slot.label()
        )
    } else {
        format!("Choose a {} to equip:", slot.label())
    };
    Reply {
        content: Some(content),
        ephemeral: true,
        ..Reply::default()
    }
    .with_rows(vec![Row::Select(Select {
        custom_id: Press::Equip {
            owner,
            slot: slot_id.into(),
        }
        .encode(),
        placeholder: "Pick an item".into(),
        options,
    })])
}

pub fn release_confirmation(owner: u64, token: u32) -> Reply {
    Reply {
        content: Some(
            "Release your pet for good? Its items go with it. This can't be undone.".into(),
        ),
        ephemeral: true,
        ..Reply::default()
    }
    .with_rows(vec![Row::Buttons(vec![
        button(
            "Release forever",
            Press::Release { owner, token },
            ButtonStyle::Danger,
        ),
        button(
            "Keep my pet",
            Press::KeepPet { owner },
            ButtonStyle::Secondary,
        ),
    ])])
}

/// The name a fighter goes by, given the names of the pets' owners' pets.
pub fn fighter_label(battle: &Battle, index: usize, pet_names: &[(PlayerId, String)]) -> String {
    let fighter = battle.sim.fighters[index];
    match fighter.who {
        Who::Pet { player, .. } => pet_names.iter().find(|(p, _)| *p == player).map_or_else(
            || format!("<@{player}>'s pet"),
            |(_, name)| format!("{name} (<@{player}>)"),
        ),
        Who::Enemy => battle
            .enemy
            .as_ref()
            .and_then(|enemy| content::get().enemies.get(&enemy.id))
            .map_or("The enemy".to_string(), |def| def.name.clone()),
    }
}

fn describe_hit(hit: &Hit, name: &dyn Fn(u8) -> String) -> Option<String> {
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
            let mut line = match roll {
                1 => format!("{} fumbles against {}", name(*attacker), name(*target)),
                20 => format!(
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
        } => format!("{} gains {kind:?} for {turns} turns", name(*fighter)),
        Hit::Healed { fighter, amount } => format!("{} recovers {amount}", name(*fighter)),
        Hit::Burned { fighter, amount } => format!("{} burns for {amount}", name(*fighter)),
        Hit::Fainted { fighter } => format!("{} is down!", name(*fighter)),
    })
}

/// The battle view: health bars, the last turn's log, and the action buttons for the turn.
/// Everyone sees the same view; a press is checked by the engine (only participants, only once
/// per turn).
pub fn battle_view(
    battle: &Battle,
    last_log: &[Hit],
    pet_names: &[(PlayerId, String)],
    ended: bool,
) -> Reply {
    let name = |i: u8| fighter_label(battle, usize::from(i), pet_names);
    let fields: Vec<EmbedField> = battle
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
            if battle.pending.get(i).copied().flatten().is_some() {
                value.push_str(" · ready");
            }
            field(
                truncate(&format!("{} [side {}]", name(i as u8), f.side + 1), 256),
                value,
                false,
            )
        })
        .collect();
    let log: Vec<String> = last_log
        .iter()
        .filter_map(|hit| describe_hit(hit, &name))
        .collect();
    let description = if log.is_empty() {
        "Choose your action.".to_string()
    } else {
        truncate(&log.join("\n"), 3_000)
    };
    let title = if ended {
        format!("{} battle — over", battle.mode.label())
    } else {
        format!("{} battle — turn {}", battle.mode.label(), battle.sim.turn)
    };
    let embed = Embed {
        title: Some(title),
        description: Some(description),
        color: Some(color::BATTLE),
        fields,
        footer: (!ended).then(|| format!("Turn deadline {}", battle.deadline)),
    };
    if ended {
        return Reply::embed(embed);
    }
    let id = battle.id;
    let turn = battle.sim.turn;
    let act = |label: String, action: char, target: u8, style| {
        button(
            truncate(&label, 80),
            Press::Act {
                battle: id,
                turn,
                action,
                target,
            },
            style,
        )
    };
    // One message serves every fighter, so every living fighter is offered as a target and
    // the engine refuses a move against one's own side. Against an enemy only the enemy is
    // attacked. Buttons are quickest; whatever does not fit in a row of five (and Special,
    // when there is more than one target) goes into the move menu, which holds every
    // remaining (move, target) pair: at most 8 fighters, so at most 24 options.
    let short = |i: usize| name(i as u8).split(" (").next().unwrap_or("").to_string();
    let against_enemy = battle.enemy.is_some();
    let living = || {
        battle
            .sim
            .fighters
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_alive())
    };
    let targets: Vec<usize> = living()
        .filter(|(_, f)| !against_enemy || matches!(f.who, Who::Enemy))
        .map(|(i, _)| i)
        .collect();
    let guards: Vec<usize> = living()
        .filter(|(_, f)| matches!(f.who, Who::Pet { .. }))
        .map(|(i, _)| i)
        .collect();
    let mut rows = Vec::new();
    let mut menu = Vec::new();
    let option = |action: char, i: usize, verb: &str| SelectOption {
        label: truncate(&format!("{verb} {}", short(i)), 100),
        value: format!("{action}{i}"),
        description: None,
    };
    for (action, verb, style, fighters) in [
        ('a', "Attack", ButtonStyle::Danger, &targets),
        ('d', "Guard", ButtonStyle::Primary, &guards),
    ] {
        if fighters.len() <= 5 {
            let buttons: Vec<Button> = fighters
                .iter()
                .map(|&i| act(format!("{verb} {}", short(i)), action, i as u8, style))
                .collect();
            if !buttons.is_empty() {
                rows.push(Row::Buttons(buttons));
            }
        } else {
            menu.extend(fighters.iter().map(|&i| option(action, i, verb)));
        }
    }
    let mut last = vec![act("Charge".into(), 'c', 0, ButtonStyle::Success)];
    match targets.as_slice() {
        [only] => last.push(act(
            "Special".into(),
            's',
            *only as u8,
            ButtonStyle::Success,
        )),
        many => menu.extend(many.iter().map(|&i| option('s', i, "Special"))),
    }
    last.push(button(
        "Surrender",
        Press::Surrender { battle: id },
        ButtonStyle::Secondary,
    ));
    last.push(button(
        "Refresh",
        Press::Watch { battle: id },
        ButtonStyle::Secondary,
    ));
    if !menu.is_empty() {
        rows.push(Row::Select(Select {
            custom_id: Press::ActPick { battle: id, turn }.encode(),
            placeholder: "More moves: pick a move and its target".into(),
            options: menu,
        }));
    }
    rows.push(Row::Buttons(last));
    Reply::embed(embed).with_rows(rows)
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
        footer: Some(format!("Closes at {}", lobby.expires_at)),
    };
    let verb = |label: &str, verb: &str, style| {
        button(
            label,
            Press::Lobby {
                verb: verb.into(),
                lobby: lobby.id,
            },
            style,
        )
    };
    let mut first = vec![verb("Join", "join", ButtonStyle::Primary)];
    if matches!(lobby.kind, LobbyKind::Team { .. }) {
        first = vec![
            verb("Join side 1", "join0", ButtonStyle::Primary),
            verb("Join side 2", "join1", ButtonStyle::Primary),
        ];
    }
    first.push(verb("Ready", "ready", ButtonStyle::Success));
    first.push(verb("Not ready", "unready", ButtonStyle::Secondary));
    first.push(verb("Leave", "leave", ButtonStyle::Secondary));
    Reply::embed(embed).with_rows(vec![
        Row::Buttons(first),
        Row::Buttons(vec![
            verb("Start", "start", ButtonStyle::Success),
            verb("Cancel", "cancel", ButtonStyle::Danger),
        ]),
    ])
}

pub fn challenge_view(challenge: &Challenge) -> Reply {
    let stake = if challenge.stake > 0 {
        format!(" for {} energon each", challenge.stake)
    } else {
        String::new()
    };
    let verb = |label: &str, verb: &str, style| {
        button(
            label,
            Press::Challenge {
                verb: verb.into(),
                challenge: challenge.id,
            },
            style,
        )
    };
    Reply {
        content: Some(format!(
            "<@{}> challenges <@{}> to a duel{stake}!",
            challenge.challenger, challenge.opponent
        )),
        ..Reply::default()
    }
    .with_rows(vec![Row::Buttons(vec![
        verb("Accept", "accept", ButtonStyle::Success),
        verb("Decline", "decline", ButtonStyle::Danger),
    ])])
}

/// Step one of choosing an enemy: kind and rarity, with the level each is meant for.
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
pub fn enemy_list_view(owner: u64, kind: &str, rarity: &str) -> Reply {
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
                    e.recommended_level, e.hp, e.description
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

pub fn slots_view(owner: u64, spun: &SlotsEvent, balance: u64) -> Reply {
    let SlotsEvent::Spun {
        difficulty,
        bet,
        reels,
        multiplier,
        payout,
        ..
    } = spun;
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
        (_, m) => format!("×{m}: you win {payout}!"),
    };
    let difficulty_id = match difficulty {
        Difficulty::Easy => "easy",
        Difficulty::Medium => "medium",
        Difficulty::Hard => "hard",
    };
    let embed = Embed {
        title: Some(format!("🎰 {}", theme.map_or("Slots", |t| t.name.as_str()))),
        description: Some(format!("**[ {line} ]**\n{verdict}")),
        color: Some(color::ENERGON),
        fields: vec![field("Wallet", format!("{balance} energon"), true)],
        footer: None,
    };
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![button(
        "Spin again",
        Press::SlotsAgain {
            owner,
            difficulty: difficulty_id.into(),
            bet: *bet,
        },
        ButtonStyle::Primary,
    )])])
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
    };
    let board = |label: &str, period: &str| {
        button(
            label,
            Press::Board {
                period: period.into(),
            },
            ButtonStyle::Secondary,
        )
    };
    Reply::embed(embed).with_rows(vec![Row::Buttons(vec![
        board("Richest", "global"),
        board("Today", "daily"),
        board("This week", "weekly"),
        board("All time", "all_time"),
    ])])
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
    })
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
            "Paid spins won / lost",
            format!("{} / {}", stats.wins, stats.losses),
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
    })
}

pub fn period_of(word: &str) -> Option<Period> {
    match word {
        "daily" => Some(Period::Daily),
        "weekly" => Some(Period::Weekly),
        "all_time" => Some(Period::AllTime),
        _ => None,
    }
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
            "The first to gather {RUSH_TARGET} energon with /scout and /search wins the round and a prize; then every rush balance resets."
        )),
        color: Some(color::ENERGON),
        fields,
        footer: (rush.round_started_at.0 > 0).then(|| format!("Round started {}", rush.round_started_at)),
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
    })
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

// Operator views: erasing players (`/admin_clear`).

/// What the operator is shown about one picked player before erasing them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearPreview {
    pub player: u64,
    /// `None` when the player can be erased; otherwise why not.
    pub blocked: Option<String>,
    pub wallet: u64,
    pub bank: u64,
    pub rush: u64,
    pub pet_level: Option<u32>,
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

pub fn clear_confirm(previews: &[ClearPreview]) -> Reply {
    let fields = previews
        .iter()
        .map(|p| EmbedField {
            name: format!("Player {}", p.player),
            value: match &p.blocked {
                Some(why) => format!("<@{}>: can't be erased: {why}", p.player),
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
        .map(|p| p.player)
        .collect();
    let confirm = Button {
        label: match erasable.len() {
            0 => "Nobody to erase".to_string(),
            1 => "Erase 1 player".to_string(),
            n => format!("Erase {n} players"),
        },
        custom_id: Press::ClearConfirm {
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
        custom_id: Press::ClearCancel.encode(),
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
