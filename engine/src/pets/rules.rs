//! Decisions of the pets area.
//!
//! Checks run in this order, so two violations always produce the same rejection:
//! 1. who may ask: `OperatorOnly` (give item), `PlayersOnly` (everything else);
//! 2. the pet exists (`NoPet`), or for adoption doesn't (`AlreadyHasPet`);
//! 3. the input itself: name rules, unknown item, wrong slot, empty slot, not in inventory,
//!    release token;
//! 4. the activity's cooldown: `OnCooldown`;
//! 5. the pet's resources: `AlreadyFull`, `BeyondCapacity` (the action costs more than the pet
//!    can ever hold at its level), `NotEnoughEnergy`, `NotEnoughHappiness`;
//! 6. the wallet: `InsufficientEnergon` (from the energon area).

use serde::{Deserialize, Serialize};

use crate::content;
use crate::dice::Dice;
use crate::energon::{EnergonEvent, EnergonRejection, LedgerRule};
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::pets::command::{
    CareAction, CareLevel, Faction, Intensity, MissionDifficulty, PetCommand,
};
use crate::pets::content::{ItemId, Rarity, Slot};
use crate::pets::state::{Activity, Pet, Resource};
use crate::pets::tuning::{self, LEVEL_MAX};
use crate::pets::PetEvent;
use crate::world::{Ctx, Event, Rejection, World};

/// Longest custom pet name, in characters.
pub const NAME_LEN_MAX_CHARS: usize = 24;

/// Why a pet command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum PetRejection {
    #[error("only the operator can do that")]
    OperatorOnly,
    #[error("only players have pets")]
    PlayersOnly,
    #[error("you don't have a pet yet; adopt one with /get_pet")]
    NoPet,
    #[error("that player doesn't have a pet")]
    PlayerHasNoPet { player: PlayerId },
    #[error("you already have a pet; release it first if you want another")]
    AlreadyHasPet,
    #[error("a pet name needs 1 to {max} letters, digits, spaces or simple punctuation")]
    NameInvalid { max: usize },
    #[error("there is no item called `{item}`")]
    UnknownItem { item: ItemId },
    #[error("{item} is {item_slot_label}, not {slot_label}")]
    WrongSlot {
        item: ItemId,
        item_slot_label: String,
        slot_label: String,
    },
    #[error("your pet has no {item} in its inventory")]
    NotInInventory { item: ItemId },
    #[error("nothing is equipped as {slot_label}")]
    SlotEmpty { slot_label: String },
    #[error("no release is pending; ask for one first")]
    NoReleasePending,
    #[error("that confirmation code is not the one you were given")]
    ReleaseTokenMismatch,
    #[error("the release confirmation expired; ask again")]
    ReleaseExpired,
    #[error("your pet is still recovering from that; try again at {ready_at}")]
    OnCooldown { ready_at: Timestamp },
    #[error("your pet's {resource} is already full")]
    AlreadyFull { resource: String },
    #[error("your pet needs {need} energy but has {have}; /charge_pet restores energy (a quick charge is free)")]
    NotEnoughEnergy { need: u32, have: u32 },
    #[error("your pet needs {need} happiness but has {have}; /play restores happiness")]
    NotEnoughHappiness { need: u32, have: u32 },
    /// Schema 4. A pet that is fighting, waiting in a lobby or the ranked queue, or still in a
    /// tournament can't be released: the activity would go on with no pet.
    #[error("you can't release your pet while {activity}; finish or leave it first")]
    Engaged { activity: crate::area::Engagement },
    /// Schema 5. The action costs more of `resource` than the pet can hold at its level, so no
    /// amount of care makes it possible now (issue 13: a new pet met such dead ends without a
    /// word of why). `at_level` is the first level whose maximum, grown by the level-up gains
    /// alone, covers the cost (`None`: not before the last level; gear may still help).
    #[error("{}", beyond_capacity_text(*resource, *need, *max, *at_level))]
    BeyondCapacity {
        resource: Resource,
        need: u32,
        max: u32,
        at_level: Option<u32>,
    },
    /// Schema 10. Every piece of the item the pet holds is on offer in an open trade: it stays
    /// in the inventory until the trade ends.
    #[error("your {item} is on offer in a trade; remove it from the offer (or end the trade) to equip it")]
    OnOffer { item: ItemId },
}

fn beyond_capacity_text(resource: Resource, need: u32, max: u32, at_level: Option<u32>) -> String {
    let what = resource.label();
    let when = match at_level {
        Some(level) => format!("it can from level {level}, as its maximum grows with each level"),
        None => format!("gear that adds max {what} is the only way"),
    };
    format!("that needs {need} {what}, but your pet holds at most {max} {what}: {when}")
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &PetCommand,
) -> Result<Vec<Event>, Rejection> {
    if let PetCommand::GiveItem { player, item } = command {
        return decide_give_item(world, ctx, *player, item);
    }
    let Actor::Player(player) = ctx.actor else {
        return Err(PetRejection::PlayersOnly.into());
    };
    if let PetCommand::Adopt { faction } = command {
        return decide_adopt(world, ctx, player, *faction);
    }
    let pet = world
        .pets
        .get(player)
        .ok_or(PetRejection::NoPet)?
        .decayed(ctx.now);
    match command {
        PetCommand::Adopt { .. } | PetCommand::GiveItem { .. } => Ok(Vec::new()),
        PetCommand::Rename { name } => decide_rename(player, name),
        PetCommand::RequestRelease => {
            check_not_engaged(world, player)?;
            decide_request_release(ctx, player)
        }
        PetCommand::ConfirmRelease { token } => {
            check_not_engaged(world, player)?;
            decide_confirm_release(ctx, player, &pet, *token)
        }
        PetCommand::Care { action, level } => {
            decide_care(world, ctx, player, &pet, *action, *level)
        }
        PetCommand::Train { intensity } => decide_train(ctx, player, &pet, *intensity),
        PetCommand::Mission { difficulty } => decide_mission(ctx, player, &pet, *difficulty),
        PetCommand::Equip { slot, item } => decide_equip(world, player, &pet, *slot, item),
        PetCommand::Unequip { slot } => decide_unequip(player, &pet, *slot),
        PetCommand::CancelRelease => decide_cancel_release(player, &pet),
    }
}

fn decide_adopt(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    faction: Faction,
) -> Result<Vec<Event>, Rejection> {
    if world.pets.get(player).is_some() {
        return Err(PetRejection::AlreadyHasPet.into());
    }
    let names = &content::get().pet_names;
    let n_names = match faction {
        Faction::Autobot => names.autobot.len(),
        Faction::Decepticon => names.decepticon.len(),
    };
    let name_index = ctx.dice.below(n_names as u64) as u16;
    Ok(vec![Event::Pet(PetEvent::Adopted {
        player,
        faction,
        name_index,
    })])
}

fn decide_rename(player: PlayerId, name: &str) -> Result<Vec<Event>, Rejection> {
    if !is_valid_name(name) {
        return Err(PetRejection::NameInvalid {
            max: NAME_LEN_MAX_CHARS,
        }
        .into());
    }
    Ok(vec![Event::Pet(PetEvent::Renamed { player })])
}

/// Letters, digits, spaces and a little punctuation; nothing that mentions or formats.
pub fn is_valid_name(name: &str) -> bool {
    is_valid_name_within(name, NAME_LEN_MAX_CHARS)
}

/// [`is_valid_name`] for a name of at most `max` characters (an RPG character's is longer).
pub fn is_valid_name_within(name: &str, max: usize) -> bool {
    let trimmed = name.trim();
    let n_chars = trimmed.chars().count();
    (1..=max).contains(&n_chars)
        && trimmed == name
        && trimmed
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | '!' | '?'))
}

/// Releasing is refused while the pet is needed elsewhere, or while items it holds are on
/// offer in a trade (they would go with it). An open challenge doesn't count: anyone can
/// challenge anyone, and accepting checks the challenger still has a pet.
fn check_not_engaged(world: &World, player: PlayerId) -> Result<(), Rejection> {
    let trading = world
        .engagements(player)
        .into_iter()
        .find(|e| *e == crate::area::Engagement::Trade);
    match world.activity(player).or(trading) {
        None => Ok(()),
        Some(activity) => Err(PetRejection::Engaged { activity }.into()),
    }
}

fn decide_request_release(ctx: &mut Ctx, player: PlayerId) -> Result<Vec<Event>, Rejection> {
    let token = 100_000 + ctx.dice.below(900_000) as u32;
    Ok(vec![Event::Pet(PetEvent::ReleaseRequested {
        player,
        token,
        expires_at: ctx.now.plus_secs(tuning::RELEASE_TOKEN_TTL_SECS),
    })])
}

fn decide_confirm_release(
    ctx: &Ctx,
    player: PlayerId,
    pet: &Pet,
    token: u32,
) -> Result<Vec<Event>, Rejection> {
    let Some((expected, expires_at)) = pet.release else {
        return Err(PetRejection::NoReleasePending.into());
    };
    if token != expected {
        return Err(PetRejection::ReleaseTokenMismatch.into());
    }
    if ctx.now > expires_at {
        return Err(PetRejection::ReleaseExpired.into());
    }
    Ok(vec![Event::Pet(PetEvent::Released { player })])
}

/// Keeping the pet consumes the pending token: the confirmation is single-use.
fn decide_cancel_release(player: PlayerId, pet: &Pet) -> Result<Vec<Event>, Rejection> {
    if pet.release.is_none() {
        return Err(PetRejection::NoReleasePending.into());
    }
    Ok(vec![Event::Pet(PetEvent::ReleaseCancelled { player })])
}

fn check_ready(pet: &Pet, activity: Activity, now: Timestamp) -> Result<(), Rejection> {
    match pet.ready_at(activity) {
        Some(ready_at) if now < ready_at => Err(PetRejection::OnCooldown { ready_at }.into()),
        _ => Ok(()),
    }
}

/// `need` of `resource` is more than the pet can hold: the rejection says from which level
/// the level-up gains alone make room for it.
fn check_capacity(pet: &Pet, resource: Resource, need: u32) -> Result<(), Rejection> {
    let max = pet.resource_max(resource);
    if need <= max {
        return Ok(());
    }
    let gains = tuning::level_gains(pet.faction);
    let per_level = match resource {
        Resource::Energy => gains.energy_max,
        Resource::Happiness => gains.happiness_max,
        Resource::Maintenance => gains.maintenance_max,
    };
    let at_level = (per_level > 0)
        .then(|| pet.level.saturating_add((need - max).div_ceil(per_level)))
        .filter(|level| *level <= LEVEL_MAX);
    Err(PetRejection::BeyondCapacity {
        resource,
        need,
        max,
        at_level,
    }
    .into())
}

fn check_energy(pet: &Pet, need: u32) -> Result<(), Rejection> {
    check_capacity(pet, Resource::Energy, need)?;
    if pet.energy < need {
        return Err(PetRejection::NotEnoughEnergy {
            need,
            have: pet.energy,
        }
        .into());
    }
    Ok(())
}

fn decide_care(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    pet: &Pet,
    action: CareAction,
    level: CareLevel,
) -> Result<Vec<Event>, Rejection> {
    check_ready(pet, Activity::Care(action), ctx.now)?;
    let tuning = tuning::care(action, level);
    let resource = match action {
        CareAction::Charge => Resource::Energy,
        CareAction::Repair => Resource::Maintenance,
        CareAction::Play => Resource::Happiness,
    };
    let max = pet.resource_max(resource);
    let current = pet.resource(resource);
    if current >= max {
        return Err(PetRejection::AlreadyFull {
            resource: resource.label().to_string(),
        }
        .into());
    }
    check_energy(pet, tuning.energy_cost)?;
    let have = world.energon.balance(player);
    if have < tuning.energon_cost {
        return Err(EnergonRejection::InsufficientEnergon {
            need: tuning.energon_cost,
            have,
        }
        .into());
    }
    let restored = (max * tuning.restore_percent / 100).clamp(1, max - current);
    let mut events = vec![Event::Pet(PetEvent::Cared {
        player,
        action,
        level,
        restored,
        energy_spent: tuning.energy_cost,
    })];
    if tuning.energon_cost > 0 {
        events.push(Event::Energon(EnergonEvent::Debited {
            player,
            amount: tuning.energon_cost,
            rule: LedgerRule::CareSupplies,
        }));
    }
    events.extend(experience_events(player, pet, tuning.xp, &mut ctx.dice));
    Ok(events)
}

fn decide_train(
    ctx: &mut Ctx,
    player: PlayerId,
    pet: &Pet,
    intensity: Intensity,
) -> Result<Vec<Event>, Rejection> {
    check_ready(pet, Activity::Train, ctx.now)?;
    let tuning = tuning::train(intensity);
    check_energy(pet, tuning.energy_cost)?;
    check_capacity(pet, Resource::Happiness, tuning.happiness_cost)?;
    if pet.happiness < tuning.happiness_cost {
        return Err(PetRejection::NotEnoughHappiness {
            need: tuning.happiness_cost,
            have: pet.happiness,
        }
        .into());
    }
    let dice = &mut ctx.dice;
    let xp = dice.between(tuning.xp.0 as i64, tuning.xp.1 as i64) as u64;
    let energon = dice.between(tuning.energon.0 as i64, tuning.energon.1 as i64) as u64;
    let (attack_gain, defense_gain) = if dice.percent(tuning.stat_chance_percent) {
        if dice.chance(1, 2) {
            (tuning.stat_gain, 0)
        } else {
            (0, tuning.stat_gain)
        }
    } else {
        (0, 0)
    };
    let mut events = vec![
        Event::Pet(PetEvent::Trained {
            player,
            intensity,
            energy_spent: tuning.energy_cost,
            happiness_spent: tuning.happiness_cost,
            attack_gain,
            defense_gain,
        }),
        Event::Energon(EnergonEvent::Credited {
            player,
            amount: energon,
            rule: LedgerRule::TrainingReward,
        }),
    ];
    events.extend(experience_events(player, pet, xp, dice));
    Ok(events)
}

fn decide_mission(
    ctx: &mut Ctx,
    player: PlayerId,
    pet: &Pet,
    difficulty: MissionDifficulty,
) -> Result<Vec<Event>, Rejection> {
    check_ready(pet, Activity::Mission, ctx.now)?;
    let tuning = tuning::mission(difficulty);
    check_energy(pet, tuning.energy_cost)?;
    let dice = &mut ctx.dice;
    let success_permille = tuning::mission_success_permille(
        &tuning,
        pet.happiness,
        pet.resource_max(Resource::Happiness),
        pet.maintenance,
        pet.resource_max(Resource::Maintenance),
    );
    let succeeded = dice.chance(success_permille, 1_000);
    let texts = &content::get().missions;
    let n_texts = match difficulty {
        MissionDifficulty::Easy => texts.easy.len(),
        MissionDifficulty::Average => texts.average.len(),
        MissionDifficulty::Hard => texts.hard.len(),
    };
    let text_index = dice.below(n_texts as u64) as u16;
    let roll =
        |dice: &mut Dice, (low, high): (u64, u64)| dice.between(low as i64, high as i64) as u64;
    let full_xp = roll(dice, tuning.xp);
    let (xp, happiness_gained, happiness_lost) = if succeeded {
        (full_xp, roll(dice, tuning.happiness_gain) as u32, 0)
    } else {
        (full_xp / 3, 0, roll(dice, tuning.happiness_loss) as u32)
    };
    let maintenance_lost = roll(dice, tuning.maintenance_loss) as u32;
    let mut events = vec![Event::Pet(PetEvent::MissionEnded {
        player,
        difficulty,
        text_index,
        succeeded,
        energy_spent: tuning.energy_cost,
        happiness_gained,
        happiness_lost,
        maintenance_lost,
    })];
    if succeeded {
        events.push(Event::Energon(EnergonEvent::Credited {
            player,
            amount: roll(dice, tuning.energon),
            rule: LedgerRule::MissionReward,
        }));
        if dice.percent(tuning.item_chance_percent) {
            if let Some(item) = pick_item(dice, &tuning.item_rarity_weights) {
                events.push(Event::Pet(PetEvent::ItemFound { player, item }));
            }
        }
    }
    events.extend(experience_events(player, pet, xp, dice));
    Ok(events)
}

/// Picks an item: a rarity by weight, then a slot, then an item of that kind, all by dice.
pub fn pick_item(dice: &mut Dice, rarity_weights: &[u64; 6]) -> Option<ItemId> {
    let rarity = Rarity::from_index(dice.weighted_index(rarity_weights)?);
    pick_item_of_rarity(dice, rarity)
}

/// Picks a uniformly random slot, then an item of that slot and `rarity`.
pub fn pick_item_of_rarity(dice: &mut Dice, rarity: Rarity) -> Option<ItemId> {
    let slot = Slot::ALL[dice.below(Slot::ALL.len() as u64) as usize];
    pick_item_in(dice, slot, rarity)
}

/// Picks an item of `slot` and `rarity`, uniformly.
pub fn pick_item_in(dice: &mut Dice, slot: Slot, rarity: Rarity) -> Option<ItemId> {
    let ids = content::get().items_by_kind.get(&(slot, rarity))?;
    ids.get(dice.below(ids.len() as u64) as usize).cloned()
}

fn decide_equip(
    world: &World,
    player: PlayerId,
    pet: &Pet,
    slot: Slot,
    item: &ItemId,
) -> Result<Vec<Event>, Rejection> {
    let definition = content::get()
        .items
        .get(item)
        .ok_or_else(|| PetRejection::UnknownItem {
            item: ItemId(crate::ids::quote(&item.0)),
        })?;
    if definition.slot != slot {
        return Err(PetRejection::WrongSlot {
            item: item.clone(),
            item_slot_label: definition.slot.label().to_string(),
            slot_label: slot.label().to_string(),
        }
        .into());
    }
    let Some(held) = pet.inventory.get(item) else {
        return Err(PetRejection::NotInInventory { item: item.clone() }.into());
    };
    let offered =
        crate::trade::view::on_offer(world, player, &crate::trade::Asset::Item(item.clone()));
    if u64::from(*held) <= offered {
        return Err(PetRejection::OnOffer { item: item.clone() }.into());
    }
    Ok(vec![Event::Pet(PetEvent::Equipped {
        player,
        slot,
        item: item.clone(),
    })])
}

fn decide_unequip(player: PlayerId, pet: &Pet, slot: Slot) -> Result<Vec<Event>, Rejection> {
    if !pet.equipment.contains_key(&slot) {
        return Err(PetRejection::SlotEmpty {
            slot_label: slot.label().to_string(),
        }
        .into());
    }
    Ok(vec![Event::Pet(PetEvent::Unequipped { player, slot })])
}

fn decide_give_item(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    item: &ItemId,
) -> Result<Vec<Event>, Rejection> {
    if !ctx.actor.is_operator() {
        return Err(PetRejection::OperatorOnly.into());
    }
    if world.pets.get(player).is_none() {
        return Err(PetRejection::PlayerHasNoPet { player }.into());
    }
    if !content::get().items.contains_key(item) {
        return Err(PetRejection::UnknownItem {
            item: ItemId(crate::ids::quote(&item.0)),
        }
        .into());
    }
    Ok(vec![Event::Pet(PetEvent::ItemFound {
        player,
        item: item.clone(),
    })])
}

/// The events for a pet gaining `xp`: the gain, then one `LeveledUp` per level reached, each
/// with the faction's fixed gains and a bonus point (1 or 2) to attack or defense by dice.
pub fn experience_events(player: PlayerId, pet: &Pet, xp: u64, dice: &mut Dice) -> Vec<Event> {
    if xp == 0 {
        return Vec::new();
    }
    let mut events = vec![Event::Pet(PetEvent::ExperienceGained { player, xp })];
    let gains = tuning::level_gains(pet.faction);
    let mut level = pet.level;
    let mut banked = pet.xp.saturating_add(xp);
    while level < LEVEL_MAX && banked >= tuning::xp_to_next_level(level) {
        banked -= tuning::xp_to_next_level(level);
        level += 1;
        let bonus = dice.die(2);
        let (attack_bonus, defense_bonus) = if dice.chance(1, 2) {
            (bonus, 0)
        } else {
            (0, bonus)
        };
        events.push(Event::Pet(PetEvent::LeveledUp {
            player,
            level,
            attack_gain: gains.attack + attack_bonus,
            defense_gain: gains.defense + defense_bonus,
            energy_max_gain: gains.energy_max,
            happiness_max_gain: gains.happiness_max,
            maintenance_max_gain: gains.maintenance_max,
        }));
    }
    events
}

/// Records what the pet rules decided from today's numbers right after each event that needs
/// it (see `Area::record_decisions`): the cooldown an activity starts, an adopted pet's starting
/// stats and decay, the experience left after a level, the resources after a clamp. Pet events
/// come from several areas (battles pay experience, a search can damage), so this sees the
/// whole command. A scratch copy of each pet involved follows the events, so a second level-up
/// in one command starts from the first one's result.
pub(crate) fn record_decisions(world: &World, now: Timestamp, events: Vec<Event>) -> Vec<Event> {
    if !events.iter().any(|e| matches!(e, Event::Pet(_))) {
        return events;
    }
    let mut scratch = crate::pets::Pets::default();
    let mut seen: Vec<PlayerId> = Vec::new();
    let mut out = Vec::with_capacity(events.len() + 4);
    for event in events {
        let Event::Pet(pet_event) = &event else {
            out.push(event);
            continue;
        };
        let player = pet_event.player();
        if !seen.contains(&player) {
            seen.push(player);
            if let Some(pet) = world.pets.get(player) {
                scratch.insert(player, pet.clone());
            }
        }
        let before = scratch.get(player).cloned();
        let mut facts = Vec::new();
        match pet_event {
            PetEvent::Adopted { faction, .. } => {
                let base = tuning::base_stats(*faction);
                facts.push(PetEvent::Founded {
                    player,
                    foundation: crate::pets::Foundation {
                        attack: base.attack,
                        defense: base.defense,
                        energy_max: base.energy_max,
                        happiness_max: base.happiness_max,
                        maintenance_max: base.maintenance_max,
                        decay_intervals_ms: tuning::decay_intervals_ms(),
                    },
                });
            }
            PetEvent::Cared { action, level, .. } => facts.push(PetEvent::CooldownSet {
                player,
                activity: Activity::Care(*action),
                ready_at: now.plus_secs(tuning::care(*action, *level).cooldown_secs),
            }),
            PetEvent::Trained { intensity, .. } => facts.push(PetEvent::CooldownSet {
                player,
                activity: Activity::Train,
                ready_at: now.plus_secs(tuning::train(*intensity).cooldown_secs),
            }),
            PetEvent::MissionEnded { difficulty, .. } => facts.push(PetEvent::CooldownSet {
                player,
                activity: Activity::Mission,
                ready_at: now.plus_secs(tuning::mission(*difficulty).cooldown_secs),
            }),
            PetEvent::LeveledUp { .. } => {
                if let Some(pet) = &before {
                    facts.push(PetEvent::ExperienceSet {
                        player,
                        xp: pet.xp.saturating_sub(tuning::xp_to_next_level(pet.level)),
                    });
                }
            }
            _ => {}
        }
        scratch.evolve(pet_event, now);
        for fact in &facts {
            scratch.evolve(fact, now);
        }
        // Resources clamped to maxima that depend on today's items: record the result.
        let clamps = matches!(
            pet_event,
            PetEvent::Cared { .. }
                | PetEvent::MissionEnded { .. }
                | PetEvent::Equipped { .. }
                | PetEvent::Unequipped { .. }
        );
        if let (true, Some(pet)) = (clamps, scratch.get(player)) {
            let vitals = PetEvent::VitalsSet {
                player,
                energy: pet.energy,
                happiness: pet.happiness,
                maintenance: pet.maintenance,
            };
            scratch.evolve(&vitals, now);
            facts.push(vitals);
        }
        out.push(event);
        out.extend(facts.into_iter().map(Event::Pet));
    }
    out
}
