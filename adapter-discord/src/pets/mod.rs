//! The pets area in Discord: adopting, the dashboard and its buttons, care, training,
//! missions, equipment, renaming and the two-step release.
//!
//! `/pet` runs: [`slash`] → `dashboard` (the engine's `pets::view::dashboard`) →
//! [`render::pet_dashboard`]; its buttons come back through [`press`].

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Pets";

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::pets::content::{ItemId, Slot};
use allspark_engine::pets::{self, CareAction, CareLevel, Faction, PetCommand, PetEvent};
use allspark_engine::{Command, Event, PlayerId};

use crate::app::{refuse, App, Handled, VIEW_TTL_MINUTES};
use crate::commands::{amount, choice, command, option, text, CommandSpec, Kind, OptionSpec};
use crate::custom_id::Encode;
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Modal, Reply, Response};
use crate::view::{outcome_summary, truncate};
use ids::Press;

crate::commands::slash_commands! {
    /// The pets area's slash commands.
    pub enum Slash {
        GetPet = "get_pet",
        Pet = "pet",
        RenamePet = "rename_pet",
        Kill = "kill",
        ChargePet = "charge_pet",
        RepairPet = "repair_pet",
        Play = "play",
        Train = "train",
        Mission = "mission",
        PetEquip = "pet_equip",
        PetUnequip = "pet_unequip",
        PetEquipment = "pet_equipment",
    }
}

const FACTIONS: &[(&str, &str)] = &[("Autobot", "autobot"), ("Decepticon", "decepticon")];
const FACTION_WORDS: &[(&str, Faction)] = &[
    ("autobot", Faction::Autobot),
    ("decepticon", Faction::Decepticon),
];
const DURATIONS: &[(&str, &str)] = &[
    ("Quick (15 min)", "quick"),
    ("Standard (30 min)", "standard"),
    ("Full (1 hour)", "full"),
];
const DURATION_WORDS: &[(&str, CareLevel)] = &[
    ("quick", CareLevel::Quick),
    ("standard", CareLevel::Standard),
    ("full", CareLevel::Full),
];
/// The choices say what each costs, so nobody learns it from a refusal (a test keeps the
/// words equal to the engine's tuning).
const INTENSITIES: &[(&str, &str)] = &[
    ("Average (75 energy, 38 happiness)", "average"),
    ("Intense (150 energy, 75 happiness)", "intense"),
    ("Godmode (300 energy, 150 happiness)", "godmode"),
];
const MISSIONS: &[(&str, &str)] = &[
    ("Easy (25 energy)", "easy"),
    ("Average (120 energy)", "average"),
    ("Hard (400 energy)", "hard"),
];
const SLOTS: &[(&str, &str)] = &[
    ("Chassis plating", "chassis_plating"),
    ("Energy core", "energy_core"),
    ("Utility module", "utility_module"),
];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::GetPet => command(
            name,
            "Adopt your robot pet",
            vec![choice(
                "faction",
                "Autobot (sturdy) or Decepticon (fierce)",
                FACTIONS,
                true,
            )],
        ),
        Slash::Pet => command(name, "Your pet's dashboard", vec![]),
        Slash::RenamePet => command(
            name,
            "Give your pet a name",
            vec![text(
                "name",
                "1 to 24 letters, digits or spaces",
                true,
                pets::NAME_LEN_MAX_CHARS,
            )],
        ),
        Slash::Kill => command(name, "Release your pet for good (asks to confirm)", vec![]),
        Slash::ChargePet => command(
            name,
            "Recharge your pet's energy",
            vec![choice("duration", "How long to charge", DURATIONS, true)],
        ),
        Slash::RepairPet => command(
            name,
            "Repair your pet's maintenance",
            vec![choice("duration", "How thorough a repair", DURATIONS, true)],
        ),
        Slash::Play => command(
            name,
            "Play with your pet",
            vec![choice("duration", "How long to play", DURATIONS, true)],
        ),
        Slash::Train => command(
            name,
            "Train your pet",
            vec![choice("intensity", "How hard to train", INTENSITIES, true)],
        ),
        Slash::Mission => command(
            name,
            "Send your pet on a mission",
            vec![choice(
                "difficulty",
                "Harder pays more and risks more",
                MISSIONS,
                true,
            )],
        ),
        Slash::PetEquip => command(
            name,
            "Equip an item from your pet's inventory",
            vec![
                choice("slot", "Which slot", SLOTS, true),
                OptionSpec {
                    autocomplete: true,
                    ..option(
                        "item",
                        "The item (leave empty to pick from a list)",
                        Kind::Text,
                        false,
                    )
                },
            ],
        ),
        Slash::PetUnequip => command(
            name,
            "Take an item off your pet (it goes back to the inventory)",
            vec![choice("slot", "Which slot", SLOTS, true)],
        ),
        Slash::PetEquipment => command(
            name,
            "Your pet's equipment and inventory",
            vec![amount("page", "Inventory page", false, 1, 1_000)],
        ),
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
        Slash::GetPet => {
            let faction = options
                .required_choice("faction", FACTION_WORDS)
                .map_err(bad)?;
            app.execute(inv, Command::Pet(PetCommand::Adopt { faction }))
                .await?;
            dashboard(app, me).await
        }
        Slash::Pet => dashboard(app, me).await,
        Slash::RenamePet => {
            let name = options.required("name").map_err(bad)?.to_string();
            app.execute(inv, Command::Pet(PetCommand::Rename { name }))
                .await?;
            dashboard(app, me).await
        }
        Slash::Kill => {
            let events = app
                .execute(inv, Command::Pet(PetCommand::RequestRelease))
                .await?;
            let token = events.iter().find_map(|e| match e {
                Event::Pet(PetEvent::ReleaseRequested { token, .. }) => Some(*token),
                _ => None,
            });
            Ok(Response::Message(render::release_confirmation(
                me.0,
                token.unwrap_or_default(),
            )))
        }
        Slash::ChargePet | Slash::RepairPet | Slash::Play => {
            let action = match slash {
                Slash::ChargePet => CareAction::Charge,
                Slash::RepairPet => CareAction::Repair,
                _ => CareAction::Play,
            };
            let level = options
                .required_choice("duration", DURATION_WORDS)
                .map_err(bad)?;
            let events = app
                .execute(inv, Command::Pet(PetCommand::Care { action, level }))
                .await?;
            Ok(Response::Message(outcome_summary("Pet care", &events)))
        }
        Slash::Train => {
            let intensity = options
                .required_choice("intensity", ids::INTENSITIES)
                .map_err(bad)?;
            let events = app
                .execute(inv, Command::Pet(PetCommand::Train { intensity }))
                .await?;
            Ok(Response::Message(outcome_summary("Training", &events)))
        }
        Slash::Mission => {
            let difficulty = options
                .required_choice("difficulty", ids::MISSIONS)
                .map_err(bad)?;
            let events = app
                .execute(inv, Command::Pet(PetCommand::Mission { difficulty }))
                .await?;
            Ok(Response::Message(outcome_summary(
                "Mission report",
                &events,
            )))
        }
        Slash::PetUnequip => {
            let slot = equipment_slot(options).map_err(bad)?;
            let events = app
                .execute(inv, Command::Pet(PetCommand::Unequip { slot }))
                .await?;
            Ok(Response::Message(outcome_summary("Equipment", &events)))
        }
        Slash::PetEquip => {
            let slot = equipment_slot(options).map_err(bad)?;
            match options.get("item") {
                Some(item) => {
                    let item = ItemId(item.trim().to_string());
                    let events = app
                        .execute(inv, Command::Pet(PetCommand::Equip { slot, item }))
                        .await?;
                    Ok(Response::Message(outcome_summary("Equipment", &events)))
                }
                None => {
                    let pet = app.read(move |w| pets::view::pet(w, me)).await?;
                    let Some(pet) = pet else {
                        return Err(no_pet());
                    };
                    Ok(Response::Message(render::equip_picker(me.0, &pet, slot)))
                }
            }
        }
        Slash::PetEquipment => {
            let page = options.integer("page").map_err(bad)?.unwrap_or(1).max(1) as usize - 1;
            equipment(app, me, page).await.map(Response::Message)
        }
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
    let me = inv.player();
    if let Press::Inventory { minute, .. } = press {
        if crate::expiry::view_expired(app.engine.now(), minute, VIEW_TTL_MINUTES) {
            return Err(refuse("This view has expired; run /pet_equipment again."));
        }
    }
    match press {
        Press::Care { action, level, .. } => {
            let events = app
                .execute(inv, Command::Pet(PetCommand::Care { action, level }))
                .await?;
            Ok(Response::Message(Reply {
                ephemeral: true,
                ..outcome_summary("Pet care", &events)
            }))
        }
        Press::Train { intensity, .. } => {
            let events = app
                .execute(inv, Command::Pet(PetCommand::Train { intensity }))
                .await?;
            Ok(Response::Message(Reply {
                ephemeral: true,
                ..outcome_summary("Training", &events)
            }))
        }
        Press::Mission { difficulty, .. } => {
            let events = app
                .execute(inv, Command::Pet(PetCommand::Mission { difficulty }))
                .await?;
            Ok(Response::Message(Reply {
                ephemeral: true,
                ..outcome_summary("Mission report", &events)
            }))
        }
        Press::Inventory { page, .. } => equipment(app, me, page).await.map(Response::Update),
        Press::Equip { slot, .. } => {
            let Some(item) = values.first() else {
                return Err(refuse("Pick an item from the list."));
            };
            let command = PetCommand::Equip {
                slot,
                item: ItemId(item.clone()),
            };
            let events = app.execute(inv, Command::Pet(command)).await?;
            Ok(Response::Update(Reply {
                ephemeral: true,
                ..outcome_summary("Equipment", &events)
            }))
        }
        Press::Release { token, .. } => {
            let events = app
                .execute(inv, Command::Pet(PetCommand::ConfirmRelease { token }))
                .await?;
            Ok(Response::Update(outcome_summary("Farewell", &events)))
        }
        Press::KeepPet { .. } => {
            // Keeping consumes the pending token in the engine, so Release pressed later on the
            // same message releases nothing. With no release pending the answer is the same.
            let envelope =
                app.engine
                    .envelope(inv.id, inv.actor(), Command::Pet(PetCommand::CancelRelease));
            if let Err(error) = app.engine.execute(envelope).await {
                return Err(crate::app::engine_trouble(&error));
            }
            Ok(Response::Update(Reply::refusal("Your pet stays with you.")))
        }
        Press::Rename { owner } => Ok(Response::Modal(Modal {
            custom_id: Press::Rename { owner }.encode(),
            title: "Rename your pet".into(),
            inputs: vec![crate::reply::Input::short(
                "name",
                "New name",
                "1 to 24 letters, digits or spaces",
            )],
        })),
    }
}

/// A submitted form: the rename form is the area's only one.
pub async fn form(
    app: &App,
    inv: &Invocation,
    press: Press,
    fields: &BTreeMap<String, String>,
) -> Handled {
    match press {
        Press::Rename { .. } => {
            let name = fields.get("name").cloned().unwrap_or_default();
            app.execute(inv, Command::Pet(PetCommand::Rename { name }))
                .await?;
            dashboard(app, inv.player()).await
        }
        _ => Err(refuse("This form has expired; run the command again.")),
    }
}

/// Suggestions for `/pet_equip item:`: the items the pet holds whose name or id matches.
pub async fn autocomplete(
    app: &App,
    inv: &Invocation,
    slash: Slash,
    option: &str,
    partial: &str,
) -> Vec<Choice> {
    if !(slash == Slash::PetEquip && option == "item") {
        return Vec::new();
    }
    let partial = partial.to_lowercase();
    let me = inv.player();
    let inventory: Vec<ItemId> = app
        .read(move |w| pets::view::inventory(w, me))
        .await
        .unwrap_or_default();
    let items = &allspark_engine::content::get().items;
    inventory
        .iter()
        .filter_map(|id| items.get(id))
        .filter(|item| item.name.to_lowercase().contains(&partial) || item.id.0.contains(&partial))
        .take(25)
        .map(|item| Choice {
            name: truncate(&format!("{} ({})", item.name, item.slot.label()), 100),
            value: item.id.0.clone(),
        })
        .collect()
}

fn no_pet() -> Response {
    refuse("You don't have a pet yet; adopt one with /get_pet.")
}

async fn dashboard(app: &App, player: PlayerId) -> Handled {
    let now = app.engine.now();
    let pet = app
        .read(move |w| pets::view::dashboard(w, player, now))
        .await?;
    let Some(pet) = pet else {
        return Err(no_pet());
    };
    let name = app.pet_name(player, pet.generated_name(), pet.custom_name);
    Ok(Response::Message(render::pet_dashboard(
        player.0, &pet, &name, now,
    )))
}

async fn equipment(app: &App, player: PlayerId, page: usize) -> Result<Reply, Response> {
    let now = app.engine.now();
    let pet = app
        .read(move |w| pets::view::dashboard(w, player, now))
        .await?;
    let Some(pet) = pet else {
        return Err(no_pet());
    };
    let name = app.pet_name(player, pet.generated_name(), pet.custom_name);
    Ok(render::equipment_view(player.0, &pet, &name, page, now))
}

/// The `slot` option of the equipment commands.
fn equipment_slot(options: &Options<'_>) -> Result<Slot, InvocationError> {
    options.required_choice("slot", ids::SLOTS)
}

#[cfg(test)]
mod tests {
    use allspark_engine::pets::tuning;

    use super::{ids, INTENSITIES, MISSIONS};

    #[test]
    fn the_training_and_mission_choices_name_what_the_engine_charges() {
        for (name, value) in INTENSITIES {
            let intensity = crate::custom_id::parse(ids::INTENSITIES, value)
                .unwrap_or_else(|| panic!("no intensity {value}"));
            let cost = tuning::train(intensity);
            assert!(
                name.ends_with(&format!(
                    "({} energy, {} happiness)",
                    cost.energy_cost, cost.happiness_cost
                )),
                "{name}"
            );
        }
        for (name, value) in MISSIONS {
            let difficulty = crate::custom_id::parse(ids::MISSIONS, value)
                .unwrap_or_else(|| panic!("no mission {value}"));
            let cost = tuning::mission(difficulty);
            assert!(
                name.ends_with(&format!("({} energy)", cost.energy_cost)),
                "{name}"
            );
        }
    }
}
