//! The pets area's views: the dashboard, the equipment pages and picker, the release
//! confirmation, and the words for pet events. Pure: engine read models in, [`Reply`] out.

use allspark_engine::content;
use allspark_engine::pets::content::Slot;
use allspark_engine::pets::{
    CareAction, CareLevel, Faction, Intensity, MissionDifficulty, Pet, PetEvent, Resource,
};
use allspark_engine::Timestamp;

use crate::custom_id::Encode;
use crate::pets::ids::Press;
use crate::reply::{
    color, Button, ButtonStyle, Embed, EmbedField, Reply, Row, Select, SelectOption,
};
use crate::view::{bar, button, field, minute, plural, truncate, when};

/// An item's bonus in words ("+3 attack, +10 max energy"); `None` when it gives nothing.
pub fn bonus_text(bonus: allspark_engine::pets::content::StatBonus) -> Option<String> {
    let parts: Vec<String> = [
        (bonus.attack, "attack"),
        (bonus.defense, "defense"),
        (bonus.energy_max, "max energy"),
        (bonus.happiness_max, "max happiness"),
        (bonus.maintenance_max, "max maintenance"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("+{n} {what}"))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A line of words for a pet event, for the pet's owner; `None` for what nobody needs to read.
pub fn describe(event: &PetEvent) -> Option<String> {
    Some(match event {
        PetEvent::Adopted { faction, .. } => format!(
            "A new {} sparkling has joined you!",
            faction_label(*faction)
        ),
        PetEvent::Renamed { .. } => "Your pet has a new name".to_string(),
        PetEvent::ReleaseRequested { .. }
        | PetEvent::CooldownSet { .. }
        | PetEvent::Founded { .. }
        | PetEvent::ExperienceSet { .. }
        | PetEvent::VitalsSet { .. } => return None,
        PetEvent::Released { .. } => "Your pet has been released. Farewell, friend.".to_string(),
        PetEvent::ReleaseCancelled { .. } => "Your pet stays with you.".to_string(),
        PetEvent::ItemGivenAway {
            item, count, to, ..
        } => format!(
            "{} went to <@{to}>'s pet in a trade",
            crate::trade::render::line(
                &allspark_engine::trade::Asset::Item(item.clone()),
                u64::from(*count)
            )
        ),
        PetEvent::ItemReceived {
            item, count, from, ..
        } => format!(
            "{} came from <@{from}>'s pet in a trade",
            crate::trade::render::line(
                &allspark_engine::trade::Asset::Item(item.clone()),
                u64::from(*count)
            )
        ),
        PetEvent::Imported { pet, .. } => format!(
            "Your level {} pet came over from the original bot",
            pet.level
        ),
        PetEvent::Cared {
            action,
            restored,
            energy_spent,
            ..
        } => {
            let what = match action {
                CareAction::Charge => "energy",
                CareAction::Repair => "maintenance",
                CareAction::Play => "happiness",
            };
            let mut text = format!("+{restored} {what}");
            if *energy_spent > 0 {
                text.push_str(&format!(", -{energy_spent} energy"));
            }
            text
        }
        PetEvent::Trained {
            energy_spent,
            happiness_spent,
            attack_gain,
            defense_gain,
            ..
        } => {
            let mut text =
                format!("Training complete: -{energy_spent} energy, -{happiness_spent} happiness");
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
            energy_spent,
            happiness_gained,
            happiness_lost,
            maintenance_lost,
            ..
        } => {
            let texts = &content::get().missions;
            let list = match difficulty {
                MissionDifficulty::Easy => &texts.easy,
                MissionDifficulty::Average => &texts.average,
                MissionDifficulty::Hard => &texts.hard,
            };
            let line = list
                .get(usize::from(*text_index))
                .map_or("A mission", String::as_str);
            let verdict = if *succeeded {
                "success!"
            } else {
                "it didn't go to plan."
            };
            let mut costs = vec![format!("-{energy_spent} energy")];
            if *happiness_gained > 0 {
                costs.push(format!("+{happiness_gained} happiness"));
            }
            if *happiness_lost > 0 {
                costs.push(format!("-{happiness_lost} happiness"));
            }
            if *maintenance_lost > 0 {
                costs.push(format!("-{maintenance_lost} maintenance"));
            }
            format!("{line} — {verdict}\n{}", costs.join(", "))
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
        PetEvent::Equipped { item, .. } => match content::get().items.get(item) {
            Some(def) => match bonus_text(def.bonus) {
                Some(bonus) => format!("Equipped {} ({bonus})", def.name),
                None => format!("Equipped {}", def.name),
            },
            None => format!("Equipped {}", item.0),
        },
        PetEvent::Unequipped { slot, .. } => format!("Unequipped the {}", slot.label()),
        PetEvent::Damaged {
            energy_lost,
            happiness_lost,
            maintenance_lost,
            ..
        } => {
            format!("Wear and tear: -{energy_lost} energy, -{happiness_lost} happiness, -{maintenance_lost} maintenance")
        }
    })
}

/// What a cooldown is for, in players' words (never `Care(Charge)`: issue 13).
pub fn activity_label(activity: allspark_engine::pets::Activity) -> &'static str {
    use allspark_engine::pets::Activity;
    match activity {
        Activity::Care(CareAction::Charge) => "Charge",
        Activity::Care(CareAction::Repair) => "Repair",
        Activity::Care(CareAction::Play) => "Play",
        Activity::Train => "Training",
        Activity::Mission => "Missions",
    }
}

pub fn faction_label(faction: Faction) -> &'static str {
    match faction {
        Faction::Autobot => "Autobot",
        Faction::Decepticon => "Decepticon",
    }
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
        .map(|(activity, ready)| format!("{}: ready {}", activity_label(*activity), when(*ready)))
        .collect();
    if !waits.is_empty() {
        fields.push(field("Cooldowns", waits.join("\n"), false));
    }
    fields.push(field("Adopted", when(pet.adopted_at), true));
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
        // A footer can't hold a Discord timestamp (clients show it raw), so the adoption date
        // is a field and the footer explains the bars.
        footer: Some(
            "Energy + happiness + maintenance = battle health. Care restores them; training, \
             missions and battles use them."
                .to_string(),
        ),
        image: None,
    };
    let care = |label: &str, action: CareAction| {
        button(
            label,
            Press::Care {
                owner,
                action,
                level: CareLevel::Standard,
            },
            ButtonStyle::Primary,
        )
    };
    Reply::embed(embed).with_rows(vec![
        Row::Buttons(vec![
            care("Charge (standard)", CareAction::Charge),
            care("Repair (standard)", CareAction::Repair),
            care("Play (standard)", CareAction::Play),
        ]),
        Row::Buttons(vec![
            button(
                "Train (average)",
                Press::Train {
                    owner,
                    intensity: Intensity::Average,
                },
                ButtonStyle::Success,
            ),
            button(
                "Mission (easy)",
                Press::Mission {
                    owner,
                    difficulty: MissionDifficulty::Easy,
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
                Some(id) => {
                    items
                        .get(id)
                        .map_or(id.0.clone(), |item| match bonus_text(item.bonus) {
                            Some(bonus) => {
                                format!("{} ({}): {bonus}", item.name, item.rarity.label())
                            }
                            None => format!("{} ({})", item.name, item.rarity.label()),
                        })
                }
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
                "{} ×{count} — {} {}: {} ({})",
                item.name,
                item.rarity.label(),
                item.slot.label(),
                bonus_text(item.bonus).unwrap_or_else(|| "no bonus".to_string()),
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
            "Page {} of {} · {}",
            listing.page + 1,
            listing.n_pages,
            plural(listing.n_items as u64, "kind of item", "kinds of item")
        )),
        image: None,
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
    let slot_id = crate::custom_id::word(crate::pets::ids::SLOTS, slot);
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
        custom_id: Press::Equip { owner, slot }.encode(),
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

#[cfg(test)]
mod equip_tests {
    use allspark_engine::pets::content::StatBonus;
    use allspark_engine::pets::PetEvent;
    use allspark_engine::{content, PlayerId};

    use super::{bonus_text, describe};

    fn item_with_a_bonus() -> &'static allspark_engine::pets::content::ItemDef {
        let found = content::get()
            .items
            .values()
            .find(|d| bonus_text(d.bonus).is_some());
        found.unwrap_or_else(|| panic!("no item with a bonus"))
    }

    #[test]
    fn equipping_says_what_the_item_gives() {
        let bonus = StatBonus {
            attack: 3,
            defense: 0,
            energy_max: 10,
            happiness_max: 0,
            maintenance_max: 0,
        };
        assert_eq!(
            bonus_text(bonus).as_deref(),
            Some("+3 attack, +10 max energy")
        );
        let def = item_with_a_bonus();
        let line = describe(&PetEvent::Equipped {
            player: PlayerId(1),
            slot: def.slot,
            item: def.id.clone(),
        })
        .unwrap_or_default();
        assert!(line.contains('+'), "{line}");
    }

    /// Issue 13: replies said what an action gave but not what it cost.
    #[test]
    fn training_missions_and_play_say_what_they_cost() {
        use allspark_engine::pets::{CareAction, CareLevel, Intensity, MissionDifficulty};
        let player = PlayerId(1);
        let trained = describe(&PetEvent::Trained {
            player,
            intensity: Intensity::Average,
            energy_spent: 75,
            happiness_spent: 38,
            attack_gain: 1,
            defense_gain: 0,
        })
        .unwrap_or_default();
        assert_eq!(
            trained,
            "Training complete: -75 energy, -38 happiness, +1 attack"
        );
        let mission = describe(&PetEvent::MissionEnded {
            player,
            difficulty: MissionDifficulty::Easy,
            text_index: 0,
            succeeded: false,
            energy_spent: 25,
            happiness_gained: 0,
            happiness_lost: 7,
            maintenance_lost: 4,
        })
        .unwrap_or_default();
        assert!(
            mission.ends_with("\n-25 energy, -7 happiness, -4 maintenance"),
            "{mission}"
        );
        let played = describe(&PetEvent::Cared {
            player,
            action: CareAction::Play,
            level: CareLevel::Quick,
            restored: 50,
            energy_spent: 5,
        })
        .unwrap_or_default();
        assert_eq!(played, "+50 happiness, -5 energy");
    }

    /// Issue 13: the inventory listed items without what they give.
    #[test]
    fn the_inventory_shows_each_items_stats() {
        use allspark_engine::pets::{Faction, PetEvent, Pets};
        use allspark_engine::Timestamp;
        let def = item_with_a_bonus();
        let mut pets = Pets::default();
        let player = PlayerId(1);
        pets.evolve(
            &PetEvent::Adopted {
                player,
                faction: Faction::Autobot,
                name_index: 0,
            },
            Timestamp(0),
        );
        pets.evolve(
            &PetEvent::ItemFound {
                player,
                item: def.id.clone(),
            },
            Timestamp(0),
        );
        let Some(pet) = pets.get(player) else {
            panic!("no pet")
        };
        let view = super::equipment_view(1, pet, "Bolt", 0, Timestamp(0));
        let text = serde_json::to_string(&view.to_discord_data()).unwrap_or_default();
        let bonus = bonus_text(def.bonus).unwrap_or_default();
        assert!(text.contains(&bonus), "{bonus} missing from {text}");
    }
}
