//! The import from the original bot (`allspark import-legacy DIR`).
//!
//! The original Python bot kept one JSON file per player, `<discord user id>.json` (its README
//! puts them in `Systems/Users/`, its code writes `Systems/Data/Users/`). Each file is read
//! whole into a typed [`LegacyImport`] first ([`read_file`]): a file that is not JSON, has a
//! field of the wrong type, a negative amount, a pet in a shape this reader does not know, or a
//! name that is not a Discord id is skipped with its reason, and nothing of it is imported.
//! A valid record then goes to the engine as one command, `PlayerCommand::ImportLegacy`, whose
//! events are appended in one atomic batch ([`decide_import`]): the player joins, their wallet
//! and bank are minted under `LedgerRule::LegacyImport`, their pet, slot record and CyberCoin
//! holding are recorded whole. So a player is imported entirely or not at all.
//!
//! Idempotent twice over: the command id derives from the player and the file's SHA-256, so a
//! second run with the same file gets the recorded outcome and appends nothing; and the rule
//! refuses a player who already plays here (joined on this bot, or imported from another copy
//! of their file), so a changed file or a run after the outcomes were compacted changes
//! nothing either. A player who already played on this bot is skipped with that reason: their
//! new history is theirs, and merging an old file into it would mint energon twice.
//!
//! What has no place here yet is reported, not invented: the original's items are matched to
//! this bot's items by id or name (this bot's catalogue is its own, so most do not match and
//! are listed as not kept); RPG characters come over with their class, level, experience,
//! stats and record (up to three; their gear is the original's and is not kept), each name into
//! the erasable store; the pet's name is not brought over (it may be text the person wrote),
//! the pet gets a generated one; the username is never read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::energon::{EnergonEvent, LedgerRule, AMOUNT_MAX};
use crate::ids::{Actor, CommandId, PlayerId};
use crate::market::MarketEvent;
use crate::pets::content::{ItemId, Slot};
use crate::pets::{tuning, Faction, LegacyPet, Pet, PetEvent, Resource};
use crate::player::{PlayerEvent, PlayerRejection};
use crate::runtime::{Engine, Outcome};
use crate::slots::{Difficulty, LegacySlots, SlotsEvent};
use crate::world::{Ctx, Event, Rejection, World};

/// Micro-units a coin or an energon is counted in by the market.
const MICRO: u64 = crate::market::tuning::MICRO;

/// Most micro-coins one imported holding may hold (a thousand million coins).
pub const COINS_MAX: u64 = 1_000_000_000 * MICRO;

/// Largest file read, in bytes (the original capped its saves at 50 MB).
pub const FILE_LEN_MAX: u64 = 50 * 1024 * 1024;

/// One player from the original bot, in this bot's terms: what `PlayerCommand::ImportLegacy`
/// carries (schema 11). No name of any kind is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LegacyImport {
    pub player: PlayerId,
    /// The first 16 bytes of the file's SHA-256, as 32 hex digits in JSON.
    #[serde(
        serialize_with = "crate::ids::json_ids::serialize_hex",
        deserialize_with = "crate::ids::json_ids::deserialize_hex"
    )]
    #[schemars(schema_with = "crate::ids::json_ids::hex_schema")]
    pub source: u128,
    /// `energon.energon`.
    pub wallet: u64,
    /// `energon.energon_bank`.
    pub bank: u64,
    pub pet: Option<LegacyPet>,
    pub slots: Option<LegacySlots>,
    /// CyberCoin held, in micro-coins.
    pub coins: u64,
    /// What the coins cost (`total_invested`), in micro-energon.
    pub basis: u64,
    /// RPG characters (at most [`crate::rpg::tuning::CHARACTERS_MAX`]), schema 22.
    #[serde(default)]
    pub characters: Vec<LegacyCharacter>,
}

/// An RPG character of the original bot, in this bot's terms. Its `name` is the one personal
/// text an import carries: it goes to the erasable store, never into an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LegacyCharacter {
    pub name: String,
    pub faction: Faction,
    /// A class of `rpg_classes.json` (the original's eight, by the same ids).
    pub class: String,
    pub level: u32,
    /// Total experience, at least what `level` takes.
    pub xp: u64,
    /// Without gear (the original's gear is not this bot's).
    pub stats: crate::rpg::Stats,
    pub battles_won: u32,
    pub battles_lost: u32,
    pub energon_earned: u64,
}

/// The highest stat (or health) an imported character may bring.
pub const CHARACTER_STAT_MAX: u32 = 100_000;

/// The most wins or losses an imported character's record may bring.
pub const CHARACTER_RECORD_MAX: u32 = 1_000_000;

/// The import rule: the operator only; refused for a player who already plays here; every
/// number checked again (a scenario or a hand-made command did not go through [`read_file`]).
/// Decided here: the pet's generated name and the decay rates it lives under, its resources
/// clamped to the maxima its items give.
pub(crate) fn decide_import(
    world: &World,
    ctx: &mut Ctx,
    import: &LegacyImport,
) -> Result<Vec<Event>, PlayerRejection> {
    let invalid = |what: &str| PlayerRejection::ImportInvalid { what: what.into() };
    if !ctx.actor.is_operator() {
        return Err(invalid("only the operator can import players"));
    }
    let player = import.player;
    if world.players.contains(player) {
        return Err(PlayerRejection::AlreadyHere { player });
    }
    let total = import
        .wallet
        .checked_add(import.bank)
        .filter(|&total| total <= AMOUNT_MAX)
        .ok_or_else(|| invalid("more energon than one import may bring"))?;
    if import.coins > COINS_MAX {
        return Err(invalid("more CyberCoin than one import may bring"));
    }
    let mut events = vec![
        Event::Player(PlayerEvent::Joined { player }),
        Event::Player(PlayerEvent::Imported {
            player,
            source: import.source,
        }),
    ];
    if total > 0 {
        events.push(Event::Energon(EnergonEvent::Credited {
            player,
            amount: total,
            rule: LedgerRule::LegacyImport,
        }));
    }
    if import.bank > 0 {
        events.push(Event::Energon(EnergonEvent::Deposited {
            player,
            amount: import.bank,
        }));
    }
    if let Some(legacy) = &import.pet {
        let pet = checked_pet(legacy).map_err(|what| invalid(&what))?;
        let names = &crate::content::get().pet_names;
        let n_names = match pet.faction {
            Faction::Autobot => names.autobot.len(),
            Faction::Decepticon => names.decepticon.len(),
        };
        events.push(Event::Pet(PetEvent::Imported {
            player,
            name_index: ctx.dice.below(n_names as u64) as u16,
            pet,
            decay_intervals_ms: tuning::decay_intervals_ms(),
        }));
    }
    if let Some(record) = import.slots.as_ref().filter(|r| r.spins > 0) {
        events.push(Event::Slots(SlotsEvent::Imported {
            player,
            record: record.clone(),
        }));
    }
    if import.coins > 0 {
        events.push(Event::Market(MarketEvent::Imported {
            player,
            coins: import.coins,
            basis: import.basis,
        }));
    }
    events.extend(imported_characters(world, player, &import.characters).map_err(|w| invalid(&w))?);
    Ok(events)
}

/// The characters' events, numbered after every character made so far, each checked again:
/// a known class, a level within the cap with the experience it takes, stats within bounds, a
/// name by the rule every character's name follows.
fn imported_characters(
    world: &World,
    player: PlayerId,
    characters: &[LegacyCharacter],
) -> Result<Vec<Event>, String> {
    use crate::rpg::tuning::{
        level_for_xp, xp_for_level, CHARACTERS_MAX, LEVEL_CAP, NAME_LEN_MAX_CHARS,
    };
    if characters.len() > CHARACTERS_MAX {
        return Err(format!("more than {CHARACTERS_MAX} RPG characters"));
    }
    let first = crate::rpg::view::next_character_number(world);
    let mut events = Vec::new();
    for (n, c) in (first..).zip(characters) {
        if !crate::pets::is_valid_name_within(&c.name, NAME_LEN_MAX_CHARS) {
            return Err("an RPG character's name breaks the naming rule".into());
        }
        if !crate::content::get().rpg.classes.contains_key(&c.class) {
            return Err(format!("no RPG class {}", crate::ids::quote(&c.class)));
        }
        if !(1..=LEVEL_CAP).contains(&c.level)
            || c.xp < xp_for_level(c.level)
            || level_for_xp(c.xp) != c.level
        {
            return Err("an RPG character's level and experience disagree".into());
        }
        let s = &c.stats;
        if [
            s.attack,
            s.defense,
            s.dexterity,
            s.intelligence,
            s.charisma,
            s.hp,
        ]
        .iter()
        .any(|&v| v > CHARACTER_STAT_MAX)
            || s.hp == 0
        {
            return Err("an RPG character's stats are out of bounds".into());
        }
        if c.battles_won > CHARACTER_RECORD_MAX || c.battles_lost > CHARACTER_RECORD_MAX {
            return Err("an RPG character's record is out of bounds".into());
        }
        events.push(Event::Rpg(crate::rpg::RpgEvent::CharacterImported {
            player,
            character: n,
            faction: c.faction,
            class: c.class.clone(),
            level: c.level,
            xp: c.xp,
            stats: c.stats,
            record: crate::rpg::Record {
                battles_won: c.battles_won,
                battles_lost: c.battles_lost,
                ..crate::rpg::Record::default()
            },
            energon_earned: c.energon_earned,
        }));
    }
    Ok(events)
}

/// The erasable-store writes of an import: each imported character's name.
pub(crate) fn personal_writes(
    import: &LegacyImport,
    events: &[Event],
) -> Vec<crate::personal::PersonalWrite> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Rpg(crate::rpg::RpgEvent::CharacterImported { character, .. }) => {
                Some(*character)
            }
            _ => None,
        })
        .zip(&import.characters)
        .map(|(character, c)| crate::personal::PersonalWrite::Put {
            player: import.player,
            key: crate::rpg::name_key(character),
            text: c.name.clone(),
        })
        .collect()
}

/// The pet as it will be recorded: a known level, items this bot has in their own slots, and
/// resources no higher than the maxima with its equipment.
fn checked_pet(legacy: &LegacyPet) -> Result<LegacyPet, String> {
    if !(1..=tuning::LEVEL_MAX).contains(&legacy.level) {
        return Err(format!(
            "pet level {} is not between 1 and {}",
            legacy.level,
            tuning::LEVEL_MAX
        ));
    }
    let items = &crate::content::get().items;
    for (slot, item) in &legacy.equipment {
        match items.get(item) {
            Some(def) if def.slot == *slot => {}
            _ => return Err(format!("item {item} cannot be worn as {}", slot.label())),
        }
    }
    if let Some((item, _)) = legacy
        .inventory
        .iter()
        .find(|(item, &n)| n == 0 || !items.contains_key(*item))
    {
        return Err(format!("inventory item {item} is not one of this bot's"));
    }
    let mut pet = legacy.clone();
    let whole = Pet::imported(
        0,
        legacy,
        tuning::decay_intervals_ms(),
        crate::ids::Timestamp(0),
    );
    pet.energy = pet.energy.min(whole.resource_max(Resource::Energy));
    pet.happiness = pet.happiness.min(whole.resource_max(Resource::Happiness));
    pet.maintenance = pet
        .maintenance
        .min(whole.resource_max(Resource::Maintenance));
    Ok(pet)
}

/// What one file turned into, before the engine decides it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFile {
    pub import: LegacyImport,
    /// What was left out or changed on the way in, and why.
    pub notes: Vec<String>,
}

/// The command id a file's import is decided under: from the player and the file's SHA-256,
/// so the same file is decided once, however many runs there are.
pub fn command_id(player: PlayerId, digest: &[u8; 32]) -> CommandId {
    let mut hasher = Sha256::new();
    hasher.update(b"allspark/legacy-import/v1");
    hasher.update(player.0.to_be_bytes());
    hasher.update(digest);
    let out = hasher.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&out[..16]);
    CommandId(u128::from_be_bytes(id))
}

/// Reads one file of the original bot (its name, for the player id, and its bytes) into an
/// import record, or says why it can't be imported. Pure.
pub fn read_file(file_name: &str, bytes: &[u8]) -> Result<ReadFile, String> {
    let stem = file_name.strip_suffix(".json").ok_or("not a .json file")?;
    let player = parse_id(stem).ok_or("the file name is not a Discord user id")?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".into());
    }
    let root: Value =
        serde_json::from_slice(bytes).map_err(|error| format!("not valid JSON ({error})"))?;
    let root = root.as_object().ok_or("the file is not a JSON object")?;
    let digest: [u8; 32] = Sha256::digest(bytes).into();
    let mut source = [0u8; 16];
    source.copy_from_slice(&digest[..16]);
    let mut notes = Vec::new();

    if let Some(id) = root.get("user_id").filter(|v| !v.is_null()) {
        let inside = match id {
            Value::String(s) => parse_id(s),
            Value::Number(n) => n.as_u64().filter(|&n| n > 0).map(PlayerId),
            _ => None,
        };
        match inside {
            Some(inside) if inside == player => {}
            Some(inside) => {
                return Err(format!(
                    "user_id {inside} inside does not match the file name"
                ))
            }
            None => return Err("user_id is not a Discord user id".into()),
        }
    }

    let mut reader = Reader { notes: &mut notes };
    let (wallet, bank) = match object_at(root, "energon")? {
        None => (0, 0),
        Some(energon) => (
            reader.amount(energon, "energon", "energon.energon")?,
            reader.amount(energon, "energon_bank", "energon.energon_bank")?,
        ),
    };
    if wallet
        .checked_add(bank)
        .is_none_or(|total| total > AMOUNT_MAX)
    {
        return Err(format!("more energon than this bot allows ({AMOUNT_MAX})"));
    }
    let pet = match pet_record(root)? {
        None => None,
        Some(record) => Some(reader.pet(record)?),
    };
    let slots = match object_at(root, "slot_machine")? {
        None => None,
        Some(record) => Some(reader.slots(record)?),
    };
    let (coins, basis) = reader.coins(root)?;

    let characters = reader.characters(root)?;
    let mut no_place = Vec::new();
    for (key, counter, words) in [
        ("shooting_range", "games_played", "shooting range"),
        ("mega_fights", "total_fights", "mega fights"),
        ("energon_rush", "games_played", "old Energon Rush scores"),
    ] {
        let played = root
            .get(key)
            .and_then(|v| v.get(counter))
            .and_then(Value::as_f64)
            .is_some_and(|n| n > 0.0);
        if played {
            no_place.push(words);
        }
    }
    if !no_place.is_empty() {
        notes.push(format!(
            "not brought over (no place for it here): {}",
            no_place.join(", ")
        ));
    }
    Ok(ReadFile {
        import: LegacyImport {
            player,
            source: u128::from_be_bytes(source),
            wallet,
            bank,
            pet,
            slots,
            coins,
            basis,
            characters,
        },
        notes,
    })
}

/// A Discord id: decimal digits, not zero, fitting 64 bits.
fn parse_id(text: &str) -> Option<PlayerId> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|&n| n > 0).map(PlayerId)
}

type Object = serde_json::Map<String, Value>;

/// The object under `key`: `None` when absent or null, an error for any other type.
fn object_at<'a>(parent: &'a Object, key: &str) -> Result<Option<&'a Object>, String> {
    match parent.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(format!("{key} is not an object")),
    }
}

/// Where the pet record is. Today's files keep it at `pets.pet_data`; older ones kept the
/// record itself at `pets`, or at a top-level `pet` or `pet_data`. A record is an object with
/// a `level`; anything else where a pet should be is an unknown pet format.
fn pet_record(root: &Object) -> Result<Option<&Object>, String> {
    let is_record = |map: &Object| map.contains_key("level");
    let unknown = |at: &str| Err(format!("unknown pet format at {at}"));
    if let Some(pets) = root.get("pets").filter(|v| !v.is_null()) {
        let Value::Object(pets) = pets else {
            return unknown("pets");
        };
        match pets.get("pet_data") {
            Some(Value::Null) => return Ok(None),
            Some(Value::Object(record)) if is_record(record) => return Ok(Some(record)),
            Some(_) => return unknown("pets.pet_data"),
            None if is_record(pets) => return Ok(Some(pets)),
            None => {}
        }
    }
    for key in ["pet_data", "pet"] {
        match root.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(record)) if is_record(record) => return Ok(Some(record)),
            Some(_) => return unknown(key),
        }
    }
    Ok(None)
}

struct Reader<'a> {
    notes: &'a mut Vec<String>,
}

impl Reader<'_> {
    /// A whole, non-negative number at `key` (0 when absent or null). A fraction is rounded
    /// down, with a note; a negative number or another type makes the file invalid.
    fn number(&mut self, parent: &Object, key: &str, path: &str) -> Result<u64, String> {
        match parent.get(key) {
            None | Some(Value::Null) => Ok(0),
            Some(Value::Number(n)) => {
                if let Some(n) = n.as_u64() {
                    return Ok(n);
                }
                if n.as_i64().is_some() {
                    return Err(format!("{path} is negative ({n})"));
                }
                let x = n.as_f64().unwrap_or(f64::NAN);
                if !x.is_finite() || x < 0.0 {
                    return Err(format!("{path} is negative ({n})"));
                }
                if x >= 1.0e18 {
                    return Err(format!("{path} is too large ({n})"));
                }
                if x.fract() != 0.0 {
                    self.notes.push(format!("{path} {n} rounded down"));
                }
                Ok(x.floor() as u64)
            }
            Some(_) => Err(format!("{path} is not a number")),
        }
    }

    fn amount(&mut self, parent: &Object, key: &str, path: &str) -> Result<u64, String> {
        self.number(parent, key, path)
    }

    fn small(&mut self, parent: &Object, key: &str, path: &str) -> Result<Option<u32>, String> {
        if parent.get(key).is_none_or(Value::is_null) {
            return Ok(None);
        }
        let n = self.number(parent, key, path)?;
        u32::try_from(n)
            .map(Some)
            .map_err(|_| format!("{path} is too large ({n})"))
    }

    /// The RPG characters: `rpg.characters` (where the original's `save_rpg_character`
    /// wrote them) or an older top-level `rpg_characters`, each an object. Up to three are
    /// kept (the most the original's command allowed); what this bot has no place for (the
    /// original's gear) is noted.
    fn characters(&mut self, root: &Object) -> Result<Vec<LegacyCharacter>, String> {
        use crate::rpg::tuning::{level_for_xp, xp_for_level, CHARACTERS_MAX, LEVEL_CAP};
        let listed = match (root.get("rpg"), root.get("rpg_characters")) {
            (Some(Value::Object(rpg)), _) if rpg.contains_key("characters") => {
                ("rpg.characters", rpg.get("characters"))
            }
            (_, Some(list)) => ("rpg_characters", Some(list)),
            _ => ("", None),
        };
        let (path, list) = match listed {
            (_, None | Some(Value::Null)) => return Ok(Vec::new()),
            (path, Some(Value::Array(list))) => (path, list),
            (path, Some(_)) => return Err(format!("{path} is not a list")),
        };
        if list.len() > CHARACTERS_MAX {
            self.notes.push(format!(
                "{} RPG character(s) past the first {CHARACTERS_MAX} not brought over",
                list.len() - CHARACTERS_MAX
            ));
        }
        let mut characters = Vec::new();
        for (i, value) in list.iter().take(CHARACTERS_MAX).enumerate() {
            let at = format!("{path}[{i}]");
            let record = value
                .as_object()
                .ok_or_else(|| format!("{at} is not an object"))?;
            let name = match record.get("name") {
                Some(Value::String(name)) => character_name(name, i + 1),
                _ => return Err(format!("{at}.name is missing")),
            };
            if name.1 {
                self.notes.push(format!(
                    "RPG character {}: name changed to fit this bot's naming rule",
                    i + 1
                ));
            }
            let faction = match record.get("faction") {
                Some(Value::String(f)) if f.eq_ignore_ascii_case("autobot") => Faction::Autobot,
                Some(Value::String(f)) if f.eq_ignore_ascii_case("decepticon") => {
                    Faction::Decepticon
                }
                _ => return Err(format!("{at}.faction is neither Autobot nor Decepticon")),
            };
            let class = match record.get("class_type").or_else(|| record.get("class")) {
                Some(Value::String(c)) => c.to_ascii_lowercase(),
                _ => return Err(format!("{at}.class_type is missing")),
            };
            let Some(def) = crate::content::get().rpg.classes.get(&class) else {
                return Err(format!(
                    "{at}.class_type `{}` is not a class here",
                    crate::ids::quote(&class)
                ));
            };
            let mut level = self
                .small(record, "level", &format!("{at}.level"))?
                .unwrap_or(1)
                .max(1);
            if level > LEVEL_CAP {
                self.notes.push(format!(
                    "RPG character {}: level {level} capped at {LEVEL_CAP}",
                    i + 1
                ));
                level = LEVEL_CAP;
            }
            let xp = self
                .number(record, "experience", &format!("{at}.experience"))?
                .max(xp_for_level(level));
            let level = level_for_xp(xp).max(level);
            let stats = match object_at(record, "base_stats")? {
                Some(stats) => {
                    let mut stat = |key: &str| -> Result<u32, String> {
                        let n = self.number(stats, key, &format!("{at}.base_stats.{key}"))?;
                        u32::try_from(n)
                            .ok()
                            .filter(|&n| n <= CHARACTER_STAT_MAX)
                            .ok_or_else(|| format!("{at}.base_stats.{key} is too large ({n})"))
                    };
                    let hp = stat("HP")?;
                    crate::rpg::Stats {
                        attack: stat("ATT")?,
                        defense: stat("DEF")?,
                        dexterity: stat("DEX")?,
                        intelligence: stat("INT")?,
                        charisma: stat("CHA")?,
                        hp: if hp == 0 {
                            def.template(faction).hp
                        } else {
                            hp
                        },
                    }
                }
                None => {
                    self.notes.push(format!(
                        "RPG character {}: no stats in the file, the class's starting ones given",
                        i + 1
                    ));
                    crate::rpg::rules::starting_stats(def, faction)
                }
            };
            let (battles_won, battles_lost) = match object_at(record, "combat_record")? {
                Some(combat) => (
                    self.small(
                        combat,
                        "total_wins",
                        &format!("{at}.combat_record.total_wins"),
                    )?
                    .unwrap_or(0),
                    self.small(
                        combat,
                        "total_losses",
                        &format!("{at}.combat_record.total_losses"),
                    )?
                    .unwrap_or(0),
                ),
                None => (0, 0),
            };
            let capped = |n: u32| n.min(CHARACTER_RECORD_MAX);
            let (battles_won, battles_lost) = (capped(battles_won), capped(battles_lost));
            let energon_earned =
                self.number(record, "energon_earned", &format!("{at}.energon_earned"))?;
            let gear: usize = ["beast_modes", "transformations", "weapons", "armor"]
                .iter()
                .filter_map(|key| record.get(*key).and_then(Value::as_array))
                .map(Vec::len)
                .sum();
            if gear > 0 {
                self.notes.push(format!(
                    "RPG character {}: {gear} piece(s) of gear not kept (this bot's gear is its own)",
                    i + 1
                ));
            }
            characters.push(LegacyCharacter {
                name: name.0,
                faction,
                class: def.id.clone(),
                level,
                xp,
                stats,
                battles_won,
                battles_lost,
                energon_earned,
            });
        }
        Ok(characters)
    }

    fn pet(&mut self, record: &Object) -> Result<LegacyPet, String> {
        let faction = match record.get("faction") {
            Some(Value::String(name)) if name.eq_ignore_ascii_case("autobot") => Faction::Autobot,
            Some(Value::String(name)) if name.eq_ignore_ascii_case("decepticon") => {
                Faction::Decepticon
            }
            Some(Value::String(_)) => return Err("pet.faction is not Autobot or Decepticon".into()),
            Some(_) => return Err("pet.faction is not text".into()),
            None => return Err("unknown pet format: the pet has no faction".into()),
        };
        let base = tuning::base_stats(faction);
        let mut level = self.small(record, "level", "pet.level")?.unwrap_or(1);
        if level == 0 {
            return Err("pet.level is 0".into());
        }
        // Older records counted experience as `xp`.
        let xp_key = if record.contains_key("experience") {
            "experience"
        } else {
            "xp"
        };
        let mut xp = self.number(record, xp_key, &format!("pet.{xp_key}"))?;
        if level > tuning::LEVEL_MAX {
            self.notes.push(format!(
                "pet level {level} capped at {}, this bot's highest",
                tuning::LEVEL_MAX
            ));
            level = tuning::LEVEL_MAX;
            xp = 0;
        } else if level < tuning::LEVEL_MAX {
            let need = tuning::xp_to_next_level(level);
            if xp >= need {
                self.notes.push(format!(
                    "pet experience {xp} is more than level {level} needs here; kept {}",
                    need - 1
                ));
                xp = need - 1;
            }
        } else {
            xp = 0;
        }
        let attack = self
            .small(record, "attack", "pet.attack")?
            .unwrap_or(base.attack);
        let defense = self
            .small(record, "defense", "pet.defense")?
            .unwrap_or(base.defense);
        let energy_max = self
            .small(record, "max_energy", "pet.max_energy")?
            .unwrap_or(base.energy_max);
        let happiness_max = self
            .small(record, "max_happiness", "pet.max_happiness")?
            .unwrap_or(base.happiness_max);
        let maintenance_max = self
            .small(record, "max_maintenance", "pet.max_maintenance")?
            .unwrap_or(base.maintenance_max);
        let energy = self
            .small(record, "energy", "pet.energy")?
            .unwrap_or(energy_max);
        let happiness = self
            .small(record, "happiness", "pet.happiness")?
            .unwrap_or(happiness_max);
        let maintenance = self
            .small(record, "maintenance", "pet.maintenance")?
            .unwrap_or(maintenance_max);
        let missions_succeeded = self
            .small(record, "missions_completed", "pet.missions_completed")?
            .unwrap_or(0);
        let missions_failed = self
            .small(record, "missions_failed", "pet.missions_failed")?
            .unwrap_or(0);

        let mut unmapped = Vec::new();
        let mut equipment = BTreeMap::new();
        match record.get("equipment") {
            None | Some(Value::Null) => {}
            Some(Value::Object(slots)) => {
                for (slot_key, item) in slots {
                    if item.is_null() {
                        continue;
                    }
                    let reference = item_reference(item)
                        .ok_or_else(|| format!("pet.equipment.{slot_key} is not an item"))?;
                    let Some(slot) = legacy_slot(slot_key) else {
                        unmapped.push(format!("{} (worn in an unknown slot)", reference[0]));
                        continue;
                    };
                    match map_item(&reference, Some(slot)) {
                        Some(id) => {
                            equipment.insert(slot, id);
                        }
                        None => unmapped.push(reference[0].clone()),
                    }
                }
            }
            Some(_) => return Err("pet.equipment is not an object".into()),
        }
        let mut inventory: BTreeMap<ItemId, u32> = BTreeMap::new();
        match record.get("inventory") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for (i, item) in list.iter().enumerate() {
                    let reference = item_reference(item)
                        .ok_or_else(|| format!("pet.inventory[{i}] is not an item"))?;
                    let slot = item
                        .get("type")
                        .and_then(Value::as_str)
                        .and_then(legacy_slot);
                    match map_item(&reference, slot) {
                        Some(id) => *inventory.entry(id).or_insert(0) += 1,
                        None => unmapped.push(reference[0].clone()),
                    }
                }
            }
            Some(_) => return Err("pet.inventory is not a list".into()),
        }
        if !unmapped.is_empty() {
            self.notes.push(format!(
                "{} item(s) not kept, no match among this bot's items: {}",
                unmapped.len(),
                unmapped.join(", ")
            ));
        }
        self.notes
            .push("pet name not brought over (it gets a generated one; /rename_pet)".into());
        let battles = ["battles_won", "battles_lost"]
            .iter()
            .filter_map(|key| record.get(*key).and_then(Value::as_f64))
            .any(|n| n > 0.0);
        if battles {
            self.notes
                .push("pet battle record not brought over (ratings start fresh)".into());
        }
        Ok(LegacyPet {
            faction,
            level,
            xp,
            attack,
            defense,
            energy,
            happiness,
            maintenance,
            energy_max,
            happiness_max,
            maintenance_max,
            equipment,
            inventory,
            missions_succeeded,
            missions_failed,
        })
    }

    fn slots(&mut self, record: &Object) -> Result<LegacySlots, String> {
        let p = |key: &str| format!("slot_machine.{key}");
        let spins = self
            .small(record, "total_games_played", &p("total_games_played"))?
            .unwrap_or(0);
        let jackpots = self
            .small(record, "jackpots_won", &p("jackpots_won"))?
            .unwrap_or(0);
        let pairs = self
            .small(record, "two_matches_won", &p("two_matches_won"))?
            .unwrap_or(0);
        let wins = jackpots.saturating_add(pairs);
        if wins > spins {
            return Err("slot_machine counts more wins than games".into());
        }
        let payout_total = self.number(record, "total_winnings", &p("total_winnings"))?;
        let highest_bet = self.number(record, "highest_bet", &p("highest_bet"))?;
        let highest_payout = self.number(record, "highest_win", &p("highest_win"))?;
        let mut spins_by_difficulty = BTreeMap::new();
        if let Some(by) = object_at(record, "games_by_difficulty")? {
            for (key, difficulty) in [
                ("easy", Difficulty::Easy),
                ("medium", Difficulty::Medium),
                ("hard", Difficulty::Hard),
            ] {
                let n = self
                    .small(by, key, &p(&format!("games_by_difficulty.{key}")))?
                    .unwrap_or(0);
                if n > 0 {
                    spins_by_difficulty.insert(difficulty, n);
                }
            }
        }
        Ok(LegacySlots {
            spins,
            wins,
            losses: spins - wins,
            jackpots,
            payout_total,
            highest_bet,
            highest_payout,
            spins_by_difficulty,
        })
    }

    /// `cybercoin.portfolio` (what the original's trades wrote), else the default shape's
    /// `cybercoin_market.portfolio`: coins (fractions allowed) to micro-coins, what was invested
    /// to micro-energon.
    fn coins(&mut self, root: &Object) -> Result<(u64, u64), String> {
        let mut found = None;
        for key in ["cybercoin", "cybercoin_market"] {
            let Some(section) = object_at(root, key)? else {
                continue;
            };
            let Some(portfolio) = object_at(section, "portfolio")? else {
                continue;
            };
            let path = format!("{key}.portfolio");
            let coins = micro(portfolio, "total_coins", &format!("{path}.total_coins"))?;
            let basis = micro(
                portfolio,
                "total_invested",
                &format!("{path}.total_invested"),
            )?;
            match found {
                None => found = Some((coins, basis)),
                Some((held, _)) if coins > 0 => {
                    if held > 0 {
                        self.notes.push(format!(
                            "{path} also holds coins; the cybercoin portfolio was used"
                        ));
                    } else {
                        found = Some((coins, basis));
                    }
                }
                Some(_) => {}
            }
        }
        let (coins, basis) = found.unwrap_or((0, 0));
        if coins > COINS_MAX {
            return Err(format!(
                "more CyberCoin than one import may bring ({coins} micro-coins)"
            ));
        }
        Ok(if coins == 0 { (0, 0) } else { (coins, basis) })
    }
}

/// A non-negative amount at `key` in millionths, rounded to the nearest.
fn micro(parent: &Object, key: &str, path: &str) -> Result<u64, String> {
    match parent.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(n)) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if !x.is_finite() || x < 0.0 {
                return Err(format!("{path} is negative ({n})"));
            }
            if x > 1.0e12 {
                return Err(format!("{path} is too large ({n})"));
            }
            Ok((x * MICRO as f64).round() as u64)
        }
        Some(_) => Err(format!("{path} is not a number")),
    }
}

/// The original's slot names.
fn legacy_slot(key: &str) -> Option<Slot> {
    match key {
        "chassis_plating" => Some(Slot::ChassisPlating),
        "energy_cores" | "energy_core" => Some(Slot::EnergyCore),
        "utility_modules" | "utility_module" => Some(Slot::UtilityModule),
        _ => None,
    }
}

/// How an item is named in the file: its `id` and its `name`, or the string itself (older
/// records kept ids only); the first is how the report names it.
fn item_reference(item: &Value) -> Option<Vec<String>> {
    let names: Vec<String> = match item {
        Value::String(id) => vec![id.clone()],
        Value::Object(map) => ["id", "name"]
            .iter()
            .filter_map(|key| map.get(*key).and_then(Value::as_str))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let names: Vec<String> = names.into_iter().filter(|s| !s.is_empty()).collect();
    (!names.is_empty()).then_some(names)
}

/// This bot's item for the original's: the same id (with or without this bot's slot
/// prefix), or the same name, case aside; in the same slot when the slot is known.
fn map_item(references: &[String], slot: Option<Slot>) -> Option<ItemId> {
    let items = &crate::content::get().items;
    references.iter().find_map(|reference| {
        let wanted = reference.to_ascii_lowercase();
        items
            .values()
            .filter(|def| slot.is_none_or(|slot| def.slot == slot))
            .find(|def| {
                let id = def.id.0.as_str();
                let bare = id.split_once('.').map_or(id, |(_, rest)| rest);
                id == wanted || bare == wanted || def.name.eq_ignore_ascii_case(reference)
            })
            .map(|def| def.id.clone())
    })
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOutcome {
    /// Imported now, in one batch of `events` events.
    Imported { events: usize },
    /// This very file was imported by an earlier run (the recorded outcome came back).
    AlreadyImported,
    /// Nothing of it was imported, for this reason.
    Skipped(String),
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLine {
    /// The file's path below the directory given.
    pub file: String,
    pub player: Option<PlayerId>,
    pub outcome: FileOutcome,
    /// What the record held, in short (for an imported file).
    pub summary: Option<String>,
    pub notes: Vec<String>,
}

/// The whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The folders read, below the directory given.
    pub folders: Vec<String>,
    pub lines: Vec<FileLine>,
}

impl ImportReport {
    pub fn imported(&self) -> usize {
        self.count(|o| matches!(o, FileOutcome::Imported { .. }))
    }

    pub fn already_imported(&self) -> usize {
        self.count(|o| matches!(o, FileOutcome::AlreadyImported))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, FileOutcome::Skipped(_)))
    }

    fn count(&self, which: impl Fn(&FileOutcome) -> bool) -> usize {
        self.lines.iter().filter(|l| which(&l.outcome)).count()
    }

    /// The report in words: one line per file (and its notes), then the counts.
    pub fn text(&self) -> String {
        let mut out = format!("read {}\n", self.folders.join(", "));
        for line in &self.lines {
            let (word, detail) = match &line.outcome {
                FileOutcome::Imported { events } => (
                    "imported",
                    format!(
                        "{} ({events} events)",
                        line.summary.clone().unwrap_or_default()
                    ),
                ),
                FileOutcome::AlreadyImported => {
                    ("unchanged", "already imported from this file".to_string())
                }
                FileOutcome::Skipped(reason) => ("skipped", reason.clone()),
            };
            out.push_str(&format!("{word} {}: {detail}\n", line.file));
            for note in &line.notes {
                out.push_str(&format!("  note: {note}\n"));
            }
        }
        out.push_str(&format!(
            "{} imported, {} already imported, {} skipped, of {} files\n",
            self.imported(),
            self.already_imported(),
            self.skipped(),
            self.lines.len()
        ));
        out
    }
}

/// Why a run could not go on (an operational error, never a bad file).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
    #[error("no player files in {0}: give the folder of the original bot's user files (Systems/Data/Users or Systems/Users) or its checkout")]
    NothingThere(PathBuf),
    #[error("cannot read {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Engine(#[from] crate::runtime::EngineError),
}

/// The folders to read in `dir`: the bot's checkout (both its `Systems/Data/Users`, which its
/// code writes, first, and `Systems/Users`, which its README names), either of those folders,
/// or any folder of `<id>.json` files.
pub fn folders(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::NotADirectory(dir.to_path_buf()));
    }
    let inside: Vec<PathBuf> = [
        ["Systems", "Data", "Users"].as_slice(),
        &["Systems", "Users"],
    ]
    .iter()
    .map(|parts| parts.iter().fold(dir.to_path_buf(), |p, part| p.join(part)))
    .filter(|p| p.is_dir())
    .collect();
    Ok(if inside.is_empty() {
        vec![dir.to_path_buf()]
    } else {
        inside
    })
}

/// Imports every `*.json` file in the folders of `dir` through the engine, one command per
/// file, in folder order and then by name; reports each. A bad file is a line of the report;
/// only I/O on the directory and the engine failing are errors.
pub async fn import_dir(engine: &Engine, dir: &Path) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let mut files = Vec::new();
    for folder in folders(dir)? {
        let shown = folder
            .strip_prefix(dir)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| ".".to_string(), |p| p.display().to_string());
        report.folders.push(shown);
        let entries = std::fs::read_dir(&folder).map_err(|error| ImportError::Io {
            path: folder.clone(),
            error,
        })?;
        let mut here = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|error| ImportError::Io {
                path: folder.clone(),
                error,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") && path.is_file() {
                here.push(path);
            }
        }
        here.sort();
        files.extend(here);
    }
    if files.is_empty() {
        return Err(ImportError::NothingThere(dir.to_path_buf()));
    }
    for path in files {
        let file = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut line = FileLine {
            file,
            player: None,
            outcome: FileOutcome::Skipped(String::new()),
            summary: None,
            notes: Vec::new(),
        };
        let bytes = match read_bounded(&path) {
            Ok(bytes) => bytes,
            Err(reason) => {
                line.outcome = FileOutcome::Skipped(reason);
                report.lines.push(line);
                continue;
            }
        };
        let read = match read_file(&name, &bytes) {
            Ok(read) => read,
            Err(reason) => {
                line.outcome = FileOutcome::Skipped(reason);
                report.lines.push(line);
                continue;
            }
        };
        let import = read.import;
        line.player = Some(import.player);
        line.summary = Some(summary(&import));
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        let id = command_id(import.player, &digest);
        let command = crate::world::Command::Player(crate::player::PlayerCommand::ImportLegacy(
            Box::new(import),
        ));
        let reply = engine
            .execute(engine.envelope(id, Actor::System, command))
            .await?;
        line.outcome = match reply.outcome {
            Outcome::Accepted(_) if reply.duplicate => FileOutcome::AlreadyImported,
            Outcome::Accepted(events) => {
                line.notes = read.notes;
                FileOutcome::Imported {
                    events: events.len(),
                }
            }
            Outcome::Rejected(Rejection::Player(PlayerRejection::AlreadyHere { player })) => {
                FileOutcome::Skipped(format!(
                    "player {player} already plays on this bot (joined or imported before); \
                     their file was left alone"
                ))
            }
            Outcome::Rejected(rejection) => FileOutcome::Skipped(rejection.to_string()),
            Outcome::RejectedEarlier => {
                FileOutcome::Skipped("refused by an earlier run".to_string())
            }
        };
        if !matches!(line.outcome, FileOutcome::Imported { .. }) {
            line.summary = None;
        }
        report.lines.push(line);
    }
    Ok(report)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let len = std::fs::metadata(path)
        .map_err(|error| format!("cannot read it ({error})"))?
        .len();
    if len > FILE_LEN_MAX {
        return Err(format!("larger than {FILE_LEN_MAX} bytes"));
    }
    std::fs::read(path).map_err(|error| format!("cannot read it ({error})"))
}

/// A character's name as this bot's rule allows it (letters, digits, spaces and a little
/// punctuation, at most 32 characters), and whether it had to change; `Character <n>` when
/// nothing of it is left.
fn character_name(name: &str, n: usize) -> (String, bool) {
    use crate::rpg::tuning::NAME_LEN_MAX_CHARS;
    let kept: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | '!' | '?'))
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    let mut clean: String = words.join(" ").chars().take(NAME_LEN_MAX_CHARS).collect();
    clean = clean.trim().to_string();
    if clean.is_empty() {
        clean = format!("Character {n}");
    }
    let changed = clean != name;
    (clean, changed)
}

/// What a record holds, in one line.
fn summary(import: &LegacyImport) -> String {
    let mut parts = vec![format!(
        "player {}: {} energon in the wallet, {} in the bank",
        import.player, import.wallet, import.bank
    )];
    if let Some(pet) = &import.pet {
        let items =
            pet.equipment.len() + pet.inventory.values().map(|&n| n as usize).sum::<usize>();
        parts.push(format!("a level {} pet with {items} item(s)", pet.level));
    }
    if let Some(slots) = import.slots.as_ref().filter(|s| s.spins > 0) {
        parts.push(format!("{} slot spins", slots.spins));
    }
    if !import.characters.is_empty() {
        parts.push(format!("{} RPG character(s)", import.characters.len()));
    }
    if import.coins > 0 {
        parts.push(format!(
            "{}.{:06} CyberCoin",
            import.coins / MICRO,
            import.coins % MICRO
        ));
    }
    parts.join(", ")
}
