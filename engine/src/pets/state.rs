//! The pets projection: one pet per player, with its resources, stats, cooldowns, equipment and
//! inventory. `evolve` first decays a pet to the event's instant, then applies the event.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content;
use crate::ids::{PlayerId, Timestamp};
use crate::pets::command::{CareAction, Faction};
use crate::pets::content::{ItemId, Slot, StatBonus};
use crate::pets::tuning::{self, LEVEL_MAX};
use crate::pets::PetEvent;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pets {
    pets: BTreeMap<PlayerId, Pet>,
}

/// Something a pet does that has a cooldown.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Activity {
    Care(CareAction),
    Train,
    Mission,
}

/// The three resources; together they are the pet's health in battle.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Resource {
    Energy,
    Happiness,
    Maintenance,
}

impl Resource {
    pub fn label(self) -> &'static str {
        match self {
            Resource::Energy => "energy",
            Resource::Happiness => "happiness",
            Resource::Maintenance => "maintenance",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pet {
    pub faction: Faction,
    /// Index of the generated name in the faction's name list.
    pub name_index: u16,
    /// True once the owner chose a name (kept in the personal store, not here).
    pub custom_name: bool,
    pub level: u32,
    /// Experience towards the next level.
    pub xp: u64,
    /// Base attack and defense, without equipment.
    pub attack: u32,
    pub defense: u32,
    pub energy: u32,
    pub happiness: u32,
    pub maintenance: u32,
    /// Base maxima, without equipment.
    pub energy_max: u32,
    pub happiness_max: u32,
    pub maintenance_max: u32,
    pub adopted_at: Timestamp,
    /// Per resource, the instant decay has been counted up to.
    decay_anchors: [Timestamp; 3],
    /// Per resource, milliseconds per point lost (recorded at adoption).
    decay_intervals_ms: [i64; 3],
    /// When each activity may be done again.
    pub ready_at: BTreeMap<Activity, Timestamp>,
    pub equipment: BTreeMap<Slot, ItemId>,
    /// Item counts; never holds a zero.
    pub inventory: BTreeMap<ItemId, u32>,
    /// A pending release: its token and when it expires.
    pub release: Option<(u32, Timestamp)>,
    pub stats: PetStats,
}

/// Lifetime counters, for profiles and leaderboards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetStats {
    pub xp_total: u64,
    pub trainings: u32,
    pub missions_succeeded: u32,
    pub missions_failed: u32,
    pub items_found: u32,
}

/// What a pet brings to a battle: equipment included, health is the sum of the resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BattleProfile {
    pub level: u32,
    pub attack: u32,
    pub defense: u32,
    pub hp: u32,
    pub hp_max: u32,
}

/// One page of a pet's inventory, ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryPage {
    pub items: Vec<(ItemId, u32)>,
    /// 0-based page shown (clamped to the last page).
    pub page: usize,
    pub n_pages: usize,
    pub n_items: usize,
}

impl Pets {
    pub fn get(&self, player: PlayerId) -> Option<&Pet> {
        self.pets.get(&player)
    }

    pub fn len(&self) -> usize {
        self.pets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pets.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (PlayerId, &Pet)> {
        self.pets.iter().map(|(player, pet)| (*player, pet))
    }

    /// Total: an event about a missing pet (other than `Adopted`) changes nothing.
    /// Forgets an erased player's pet, with its equipment and inventory.
    /// Puts a pet in place as it is (scratch copies for `rules::record_decisions`).
    pub(crate) fn insert(&mut self, player: PlayerId, pet: Pet) {
        self.pets.insert(player, pet);
    }

    pub(crate) fn forget(&mut self, player: PlayerId) {
        self.pets.remove(&player);
    }

    pub fn evolve(&mut self, event: &PetEvent, at: Timestamp) {
        let player = event.player();
        if let PetEvent::Adopted {
            faction,
            name_index,
            ..
        } = event
        {
            self.pets
                .insert(player, Pet::adopt(*faction, *name_index, at));
            return;
        }
        if let PetEvent::Imported {
            name_index,
            pet,
            decay_intervals_ms,
            ..
        } = event
        {
            self.pets.insert(
                player,
                Pet::imported(*name_index, pet, *decay_intervals_ms, at),
            );
            return;
        }
        if matches!(event, PetEvent::Released { .. }) {
            self.pets.remove(&player);
            return;
        }
        if let Some(pet) = self.pets.get_mut(&player) {
            pet.decay_to(at);
            pet.apply(event, at);
        }
    }
}

impl Pet {
    /// A pet as `Adopted` alone makes it: the starting numbers of logs before schema 5
    /// (`tuning::frozen_v4`); from schema 5 on, `Founded` follows with the decided ones.
    pub fn adopt(faction: Faction, name_index: u16, at: Timestamp) -> Pet {
        let [attack, defense, energy_max, happiness_max, maintenance_max] =
            tuning::frozen_v4::base_stats(faction);
        Pet {
            faction,
            name_index,
            custom_name: false,
            level: 1,
            xp: 0,
            attack,
            defense,
            energy: energy_max,
            happiness: happiness_max,
            maintenance: maintenance_max,
            energy_max,
            happiness_max,
            maintenance_max,
            adopted_at: at,
            decay_anchors: [at; 3],
            decay_intervals_ms: tuning::frozen_v4::DECAY_INTERVALS_MS,
            ready_at: BTreeMap::new(),
            equipment: BTreeMap::new(),
            inventory: BTreeMap::new(),
            release: None,
            stats: PetStats::default(),
        }
    }

    /// A pet as `Imported` makes it: the original bot's numbers as the import decided them,
    /// decay counted from the import.
    pub fn imported(
        name_index: u16,
        legacy: &crate::pets::LegacyPet,
        decay_intervals_ms: [i64; 3],
        at: Timestamp,
    ) -> Pet {
        let mut pet = Pet::adopt(legacy.faction, name_index, at);
        pet.level = legacy.level;
        pet.xp = legacy.xp;
        pet.attack = legacy.attack;
        pet.defense = legacy.defense;
        pet.energy = legacy.energy;
        pet.happiness = legacy.happiness;
        pet.maintenance = legacy.maintenance;
        pet.energy_max = legacy.energy_max;
        pet.happiness_max = legacy.happiness_max;
        pet.maintenance_max = legacy.maintenance_max;
        pet.decay_intervals_ms = decay_intervals_ms;
        pet.equipment = legacy.equipment.clone();
        pet.inventory = legacy
            .inventory
            .iter()
            .filter(|(_, &n)| n > 0)
            .map(|(item, &n)| (item.clone(), n))
            .collect();
        pet.stats.missions_succeeded = legacy.missions_succeeded;
        pet.stats.missions_failed = legacy.missions_failed;
        pet
    }

    /// The generated name (the custom one, if any, lives in the personal store).
    pub fn generated_name(&self) -> &'static str {
        let names = &content::get().pet_names;
        let list = match self.faction {
            Faction::Autobot => &names.autobot,
            Faction::Decepticon => &names.decepticon,
        };
        list.get(usize::from(self.name_index))
            .map_or("Unnamed", String::as_str)
    }

    pub fn stage_name(&self) -> &'static str {
        tuning::stage_name(self.level)
    }

    /// Experience still needed for the next level; `None` at the maximum level.
    pub fn xp_to_next(&self) -> Option<u64> {
        (self.level < LEVEL_MAX).then(|| tuning::xp_to_next_level(self.level))
    }

    /// The sum of the equipped items' bonuses.
    pub fn equipment_bonus(&self) -> StatBonus {
        let items = &content::get().items;
        self.equipment
            .values()
            .filter_map(|id| items.get(id))
            .fold(StatBonus::default(), |sum, item| sum.plus(item.bonus))
    }

    pub fn resource(&self, resource: Resource) -> u32 {
        match resource {
            Resource::Energy => self.energy,
            Resource::Happiness => self.happiness,
            Resource::Maintenance => self.maintenance,
        }
    }

    /// A resource's maximum, equipment included.
    pub fn resource_max(&self, resource: Resource) -> u32 {
        let bonus = self.equipment_bonus();
        match resource {
            Resource::Energy => self.energy_max + bonus.energy_max,
            Resource::Happiness => self.happiness_max + bonus.happiness_max,
            Resource::Maintenance => self.maintenance_max + bonus.maintenance_max,
        }
    }

    pub fn battle_profile(&self) -> BattleProfile {
        let bonus = self.equipment_bonus();
        BattleProfile {
            level: self.level,
            attack: self.attack + bonus.attack,
            defense: self.defense + bonus.defense,
            hp: self.energy + self.happiness + self.maintenance,
            hp_max: self.resource_max(Resource::Energy)
                + self.resource_max(Resource::Happiness)
                + self.resource_max(Resource::Maintenance),
        }
    }

    /// When `activity` is next allowed (`None`: now).
    pub fn ready_at(&self, activity: Activity) -> Option<Timestamp> {
        self.ready_at.get(&activity).copied()
    }

    /// The pet as it is at `at`: decayed from its last recorded instant.
    pub fn decayed(&self, at: Timestamp) -> Pet {
        let mut pet = self.clone();
        pet.decay_to(at);
        pet
    }

    /// One page of the inventory, sorted by item id.
    pub fn inventory_page(&self, page: usize) -> InventoryPage {
        let per_page = tuning::INVENTORY_PAGE_ITEMS;
        let n_items = self.inventory.len();
        let n_pages = n_items.div_ceil(per_page).max(1);
        let page = page.min(n_pages - 1);
        let items = self
            .inventory
            .iter()
            .skip(page * per_page)
            .take(per_page)
            .map(|(id, count)| (id.clone(), *count))
            .collect();
        InventoryPage {
            items,
            page,
            n_pages,
            n_items,
        }
    }

    /// Loses one point of each resource per whole decay interval since its anchor. Counting
    /// whole intervals from an anchor makes decay independent of how often it is computed.
    fn decay_to(&mut self, at: Timestamp) {
        let intervals = self.decay_intervals_ms.map(|interval| interval.max(1));
        let values = [&mut self.energy, &mut self.happiness, &mut self.maintenance];
        for ((value, anchor), interval) in values
            .into_iter()
            .zip(&mut self.decay_anchors)
            .zip(intervals)
        {
            if at.0 <= anchor.0 {
                continue;
            }
            let units = (at.0 - anchor.0) / interval;
            *value = value.saturating_sub(u32::try_from(units).unwrap_or(u32::MAX));
            anchor.0 += units * interval;
        }
    }

    fn clamp_to_maxima(&mut self) {
        self.energy = self.energy.min(self.resource_max(Resource::Energy));
        self.happiness = self.happiness.min(self.resource_max(Resource::Happiness));
        self.maintenance = self
            .maintenance
            .min(self.resource_max(Resource::Maintenance));
    }

    fn take_from_inventory(&mut self, item: &ItemId) {
        if let Some(count) = self.inventory.get_mut(item) {
            *count -= 1;
            if *count == 0 {
                self.inventory.remove(item);
            }
        }
    }

    fn apply(&mut self, event: &PetEvent, at: Timestamp) {
        match event {
            PetEvent::Adopted { .. } | PetEvent::Released { .. } | PetEvent::Imported { .. } => {}
            PetEvent::Renamed { .. } => self.custom_name = true,
            PetEvent::ReleaseRequested {
                token, expires_at, ..
            } => self.release = Some((*token, *expires_at)),
            PetEvent::ReleaseCancelled { .. } => self.release = None,
            PetEvent::Cared {
                action,
                level,
                restored,
                energy_spent,
                ..
            } => {
                self.energy = self.energy.saturating_sub(*energy_spent);
                let target = match action {
                    CareAction::Charge => &mut self.energy,
                    CareAction::Repair => &mut self.maintenance,
                    CareAction::Play => &mut self.happiness,
                };
                *target = target.saturating_add(*restored);
                self.clamp_to_maxima();
                let cooldown = tuning::frozen_v4::care_cooldown_secs(*level);
                self.ready_at
                    .insert(Activity::Care(*action), at.plus_secs(cooldown));
            }
            PetEvent::Trained {
                intensity,
                energy_spent,
                happiness_spent,
                attack_gain,
                defense_gain,
                ..
            } => {
                self.energy = self.energy.saturating_sub(*energy_spent);
                self.happiness = self.happiness.saturating_sub(*happiness_spent);
                self.attack += attack_gain;
                self.defense += defense_gain;
                self.stats.trainings += 1;
                let cooldown = tuning::frozen_v4::train_cooldown_secs(*intensity);
                self.ready_at
                    .insert(Activity::Train, at.plus_secs(cooldown));
            }
            PetEvent::MissionEnded {
                difficulty,
                succeeded,
                energy_spent,
                happiness_gained,
                happiness_lost,
                maintenance_lost,
                ..
            } => {
                self.energy = self.energy.saturating_sub(*energy_spent);
                self.happiness = self
                    .happiness
                    .saturating_add(*happiness_gained)
                    .saturating_sub(*happiness_lost);
                self.maintenance = self.maintenance.saturating_sub(*maintenance_lost);
                self.clamp_to_maxima();
                if *succeeded {
                    self.stats.missions_succeeded += 1;
                } else {
                    self.stats.missions_failed += 1;
                }
                let cooldown = tuning::frozen_v4::mission_cooldown_secs(*difficulty);
                self.ready_at
                    .insert(Activity::Mission, at.plus_secs(cooldown));
            }
            PetEvent::ExperienceGained { xp, .. } => {
                self.xp = self.xp.saturating_add(*xp);
                self.stats.xp_total = self.stats.xp_total.saturating_add(*xp);
            }
            PetEvent::LeveledUp {
                level,
                attack_gain,
                defense_gain,
                energy_max_gain,
                happiness_max_gain,
                maintenance_max_gain,
                ..
            } => {
                let cost = tuning::frozen_v4::xp_to_next_level(self.level);
                self.xp = self.xp.saturating_sub(cost);
                self.level = *level;
                self.attack += attack_gain;
                self.defense += defense_gain;
                self.energy_max += energy_max_gain;
                self.happiness_max += happiness_max_gain;
                self.maintenance_max += maintenance_max_gain;
            }
            PetEvent::ItemFound { item, .. } => {
                *self.inventory.entry(item.clone()).or_insert(0) += 1;
                self.stats.items_found += 1;
            }
            PetEvent::Equipped { slot, item, .. } => {
                self.take_from_inventory(item);
                if let Some(previous) = self.equipment.insert(*slot, item.clone()) {
                    *self.inventory.entry(previous).or_insert(0) += 1;
                }
                self.clamp_to_maxima();
            }
            PetEvent::Unequipped { slot, .. } => {
                if let Some(previous) = self.equipment.remove(slot) {
                    *self.inventory.entry(previous).or_insert(0) += 1;
                }
                self.clamp_to_maxima();
            }
            PetEvent::Damaged {
                energy_lost,
                happiness_lost,
                maintenance_lost,
                ..
            } => {
                self.energy = self.energy.saturating_sub(*energy_lost);
                self.happiness = self.happiness.saturating_sub(*happiness_lost);
                self.maintenance = self.maintenance.saturating_sub(*maintenance_lost);
            }
            PetEvent::CooldownSet {
                activity, ready_at, ..
            } => {
                self.ready_at.insert(*activity, *ready_at);
            }
            PetEvent::Founded { foundation, .. } => {
                self.attack = foundation.attack;
                self.defense = foundation.defense;
                self.energy_max = foundation.energy_max;
                self.happiness_max = foundation.happiness_max;
                self.maintenance_max = foundation.maintenance_max;
                self.energy = foundation.energy_max;
                self.happiness = foundation.happiness_max;
                self.maintenance = foundation.maintenance_max;
                self.decay_intervals_ms = foundation.decay_intervals_ms;
            }
            PetEvent::ExperienceSet { xp, .. } => self.xp = *xp,
            PetEvent::ItemGivenAway { item, count, .. } => {
                if let Some(held) = self.inventory.get_mut(item) {
                    *held = held.saturating_sub(*count);
                    if *held == 0 {
                        self.inventory.remove(item);
                    }
                }
            }
            PetEvent::ItemReceived { item, count, .. } => {
                if *count > 0 {
                    let held = self.inventory.entry(item.clone()).or_insert(0);
                    *held = held.saturating_add(*count);
                }
            }
            PetEvent::VitalsSet {
                energy,
                happiness,
                maintenance,
                ..
            } => {
                self.energy = *energy;
                self.happiness = *happiness;
                self.maintenance = *maintenance;
            }
        }
    }
}
