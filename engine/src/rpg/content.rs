//! The RPG's content: the eight classes and their stat templates (`engine/content/rpg_classes.json`),
//! the gear characters find and wear (`rpg_items.json`) and the offline storyteller's material
//! (`rpg_tales.json`: places, sentence pools, skill challenges and story crossroads). All
//! original to this project, checked at load, each problem naming its entry.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::pets::content::Rarity;
use crate::pets::Faction;

/// One of the five stats a skill check rolls against (health is the sixth stat, never rolled).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    Attack,
    Defense,
    Dexterity,
    Intelligence,
    Charisma,
}

impl Stat {
    pub const ALL: [Stat; 5] = [
        Stat::Attack,
        Stat::Defense,
        Stat::Dexterity,
        Stat::Intelligence,
        Stat::Charisma,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stat::Attack => "attack",
            Stat::Defense => "defense",
            Stat::Dexterity => "dexterity",
            Stat::Intelligence => "intelligence",
            Stat::Charisma => "charisma",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Stat::Attack => "ATT",
            Stat::Defense => "DEF",
            Stat::Dexterity => "DEX",
            Stat::Intelligence => "INT",
            Stat::Charisma => "CHA",
        }
    }

    pub fn parse(word: &str) -> Option<Stat> {
        Stat::ALL.into_iter().find(|stat| stat.label() == word)
    }
}

/// A character's six numbers (or an item's bonus to them).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub attack: u32,
    pub defense: u32,
    pub dexterity: u32,
    pub intelligence: u32,
    pub charisma: u32,
    pub hp: u32,
}

impl Stats {
    pub fn get(&self, stat: Stat) -> u32 {
        match stat {
            Stat::Attack => self.attack,
            Stat::Defense => self.defense,
            Stat::Dexterity => self.dexterity,
            Stat::Intelligence => self.intelligence,
            Stat::Charisma => self.charisma,
        }
    }

    pub fn add_to(&mut self, stat: Stat, amount: u32) {
        let value = match stat {
            Stat::Attack => &mut self.attack,
            Stat::Defense => &mut self.defense,
            Stat::Dexterity => &mut self.dexterity,
            Stat::Intelligence => &mut self.intelligence,
            Stat::Charisma => &mut self.charisma,
        };
        *value = value.saturating_add(amount);
    }

    /// The sum of two (saturating: content is bounded, but sums never wrap).
    pub fn plus(self, other: Stats) -> Stats {
        Stats {
            attack: self.attack.saturating_add(other.attack),
            defense: self.defense.saturating_add(other.defense),
            dexterity: self.dexterity.saturating_add(other.dexterity),
            intelligence: self.intelligence.saturating_add(other.intelligence),
            charisma: self.charisma.saturating_add(other.charisma),
            hp: self.hp.saturating_add(other.hp),
        }
    }

    /// The five rolled stats added up (health left out).
    pub fn total(&self) -> u32 {
        Stat::ALL.iter().map(|stat| self.get(*stat)).sum()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassTemplates {
    pub autobot: Stats,
    pub decepticon: Stats,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassDef {
    /// Stored in events: lowercase letters only, never renamed.
    pub id: String,
    pub name: String,
    pub emoji: String,
    /// The stat the class leans on: it grows fastest and sets how much health a level adds.
    pub main_stat: Stat,
    pub description: String,
    pub templates: ClassTemplates,
}

impl ClassDef {
    pub fn template(&self, faction: Faction) -> Stats {
        match faction {
            Faction::Autobot => self.templates.autobot,
            Faction::Decepticon => self.templates.decepticon,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassesFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub classes: Vec<ClassDef>,
}

/// What a piece of gear is, and so how many of its kind a character may wear.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GearKind {
    BeastMode,
    Transformation,
    Weapon,
    Armor,
}

impl GearKind {
    pub const ALL: [GearKind; 4] = [
        GearKind::BeastMode,
        GearKind::Transformation,
        GearKind::Weapon,
        GearKind::Armor,
    ];

    /// How many of this kind a character wears at once: two weapons, one of everything else.
    pub fn worn_max(self) -> usize {
        match self {
            GearKind::Weapon => 2,
            GearKind::BeastMode | GearKind::Transformation | GearKind::Armor => 1,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GearKind::BeastMode => "beast mode",
            GearKind::Transformation => "transformation",
            GearKind::Weapon => "weapon",
            GearKind::Armor => "armor",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GearDef {
    /// Stored in events: never renamed.
    pub id: String,
    pub name: String,
    pub kind: GearKind,
    pub rarity: Rarity,
    pub bonus: Stats,
    pub description: String,
    pub unlock_message: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GearFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub items: Vec<GearDef>,
}

/// How hard a skill challenge is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
    Extreme,
}

impl Difficulty {
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
            Difficulty::Extreme => "extreme",
        }
    }
}

/// What each of the five approaches to a challenge looks like.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approaches {
    pub attack: String,
    pub defense: String,
    pub dexterity: String,
    pub intelligence: String,
    pub charisma: String,
}

impl Approaches {
    pub fn get(&self, stat: Stat) -> &str {
        match stat {
            Stat::Attack => &self.attack,
            Stat::Defense => &self.defense,
            Stat::Dexterity => &self.dexterity,
            Stat::Intelligence => &self.intelligence,
            Stat::Charisma => &self.charisma,
        }
    }
}

/// A skill challenge: an event segment.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub scene: String,
    pub approaches: Approaches,
    pub success: String,
    pub failure: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossroadChoice {
    pub label: String,
    pub outcome: String,
}

/// A story segment: a scene that ends in a three-way vote.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Crossroad {
    pub id: String,
    pub scene: String,
    /// Exactly three.
    pub choices: Vec<CrossroadChoice>,
}

/// The offline storyteller's material. Texts may hold `{party}`, `{lead}`, `{enemy}` and
/// `{place}`, which the storyteller fills.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TalesFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub places: Vec<String>,
    pub openings: Vec<String>,
    pub complications: Vec<String>,
    pub battle_intros: Vec<String>,
    pub victories: Vec<String>,
    pub defeats: Vec<String>,
    pub closings: Vec<String>,
    pub challenges: Vec<Challenge>,
    pub crossroads: Vec<Crossroad>,
    pub chapter_hooks: Vec<String>,
}

/// Everything the RPG reads, indexed.
#[derive(Debug)]
pub struct RpgContent {
    pub classes: BTreeMap<String, ClassDef>,
    /// Class ids in file order (the order `/character_new` offers them).
    pub class_order: Vec<String>,
    pub gear: BTreeMap<String, GearDef>,
    /// Gear ids by (kind, rarity), each list sorted, for loot.
    pub gear_by_kind: BTreeMap<(GearKind, Rarity), Vec<String>>,
    pub tales: TalesFile,
    pub challenges: BTreeMap<String, Challenge>,
    pub crossroads: BTreeMap<String, Crossroad>,
}

/// Fewest pieces of gear shipped.
pub const GEAR_MIN: usize = 120;
/// Fewest challenges and crossroads shipped (so ten segments in a row never repeat one).
pub const SEGMENTS_MIN: usize = 12;
/// Fewest sentences in each pool the offline storyteller draws from.
pub const POOL_MIN: usize = 12;
/// The placeholders a tale may hold.
pub const PLACEHOLDERS: [&str; 4] = ["{party}", "{lead}", "{enemy}", "{place}"];

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

/// Problems with a text: empty, too long, or holding something a Discord message would turn
/// into a mention, a link or markup, or a placeholder the storyteller does not fill.
fn text_problems(text: &str, len_max: usize) -> Option<String> {
    if text.trim().is_empty() {
        return Some("is empty".into());
    }
    if text.chars().count() > len_max {
        return Some(format!("is longer than {len_max} characters"));
    }
    if text.contains('@') || text.contains('`') || text.contains("://") {
        return Some("holds a mention, code or a link".into());
    }
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Some("has an unclosed brace".into());
        };
        let token = &rest[open..open + close + 1];
        if !PLACEHOLDERS.contains(&token) {
            return Some(format!("has an unknown placeholder {token}"));
        }
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Some("has a stray brace".into());
    }
    None
}

/// Checks the three files and indexes them; the problems are (entry, problem).
pub fn check(
    classes: ClassesFile,
    gear: GearFile,
    tales: TalesFile,
) -> (Option<RpgContent>, Vec<(String, String)>) {
    let mut problems = Vec::new();
    let mut by_id = BTreeMap::new();
    let mut class_order = Vec::new();
    for class in classes.classes {
        let entry = format!("class/{}", class.id);
        if !class.id.bytes().all(|b| b.is_ascii_lowercase()) || class.id.is_empty() {
            problems.push((entry.clone(), "id must be lowercase letters".into()));
        }
        if let Some(problem) = text_problems(&class.description, 200) {
            problems.push((entry.clone(), format!("description {problem}")));
        }
        for (faction, template) in [
            ("autobot", class.templates.autobot),
            ("decepticon", class.templates.decepticon),
        ] {
            if template.hp == 0 || template.total() == 0 {
                problems.push((entry.clone(), format!("{faction} template is empty")));
            }
        }
        class_order.push(class.id.clone());
        if by_id.insert(class.id.clone(), class).is_some() {
            problems.push((entry, "duplicate id".into()));
        }
    }
    if by_id.len() != 8 {
        problems.push((
            "classes".into(),
            format!("{} classes; the game has eight", by_id.len()),
        ));
    }

    let mut gear_by_id = BTreeMap::new();
    let mut gear_by_kind: BTreeMap<(GearKind, Rarity), Vec<String>> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for item in gear.items {
        let entry = format!("item/{}", item.id);
        if !is_id(&item.id) {
            problems.push((
                entry.clone(),
                "id must be lowercase, digits, _ and .".into(),
            ));
        }
        if item.name.is_empty() || item.name.chars().count() > 40 {
            problems.push((entry.clone(), "name must be 1 to 40 characters".into()));
        }
        if !names.insert(item.name.clone()) {
            problems.push((entry.clone(), "duplicate name".into()));
        }
        if item.bonus.total() == 0 && item.bonus.hp == 0 {
            problems.push((entry.clone(), "gives no bonus".into()));
        }
        for (field, text) in [
            ("description", &item.description),
            ("unlock_message", &item.unlock_message),
        ] {
            if let Some(problem) = text_problems(text, 200) {
                problems.push((entry.clone(), format!("{field} {problem}")));
            }
        }
        gear_by_kind
            .entry((item.kind, item.rarity))
            .or_default()
            .push(item.id.clone());
        if gear_by_id.insert(item.id.clone(), item).is_some() {
            problems.push((entry, "duplicate id".into()));
        }
    }
    if gear_by_id.len() < GEAR_MIN {
        problems.push((
            "items".into(),
            format!("{} items; at least {GEAR_MIN} are needed", gear_by_id.len()),
        ));
    }
    for kind in GearKind::ALL {
        for rarity in Rarity::ALL {
            if gear_by_kind.get(&(kind, rarity)).is_none_or(Vec::is_empty) {
                problems.push((
                    format!("items/{}/{}", kind.label(), rarity.label()),
                    "no item of this kind and rarity (loot needs one)".into(),
                ));
            }
        }
    }
    for ids in gear_by_kind.values_mut() {
        ids.sort();
    }

    let mut sentences = BTreeSet::new();
    let mut seen = |entry: &str, text: &str, problems: &mut Vec<(String, String)>| {
        if !sentences.insert(text.to_string()) {
            problems.push((entry.to_string(), format!("repeats a sentence: {text}")));
        }
    };
    for (pool, texts, needs) in [
        ("places", &tales.places, None),
        ("openings", &tales.openings, Some("{place}")),
        ("complications", &tales.complications, None),
        ("battle_intros", &tales.battle_intros, Some("{enemy}")),
        ("victories", &tales.victories, Some("{enemy}")),
        ("defeats", &tales.defeats, Some("{enemy}")),
        ("closings", &tales.closings, None),
        ("chapter_hooks", &tales.chapter_hooks, None),
    ] {
        if texts.len() < POOL_MIN {
            problems.push((
                pool.to_string(),
                format!("{} entries; at least {POOL_MIN} are needed", texts.len()),
            ));
        }
        for (index, text) in texts.iter().enumerate() {
            let entry = format!("{pool}/{index}");
            if let Some(problem) = text_problems(text, 220) {
                problems.push((entry.clone(), problem));
            }
            if let Some(needed) = needs {
                if !text.contains(needed) {
                    problems.push((entry.clone(), format!("must name {needed}")));
                }
            }
            if pool == "places" && text.contains('{') {
                problems.push((entry.clone(), "a place holds no placeholder".into()));
            }
            seen(&entry, text, &mut problems);
        }
    }
    let mut challenges = BTreeMap::new();
    for challenge in &tales.challenges {
        let entry = format!("challenge/{}", challenge.id);
        if !is_id(&challenge.id) {
            problems.push((entry.clone(), "id must be lowercase, digits and _".into()));
        }
        let mut texts = vec![
            ("title", challenge.title.as_str(), 80),
            ("scene", challenge.scene.as_str(), 400),
            ("success", challenge.success.as_str(), 220),
            ("failure", challenge.failure.as_str(), 220),
        ];
        for stat in Stat::ALL {
            texts.push((stat.label(), challenge.approaches.get(stat), 80));
        }
        for (field, text, len_max) in texts {
            if let Some(problem) = text_problems(text, len_max) {
                problems.push((entry.clone(), format!("{field} {problem}")));
            }
        }
        seen(&entry, &challenge.scene, &mut problems);
        if challenges
            .insert(challenge.id.clone(), challenge.clone())
            .is_some()
        {
            problems.push((entry, "duplicate id".into()));
        }
    }
    let mut crossroads = BTreeMap::new();
    for crossroad in &tales.crossroads {
        let entry = format!("crossroad/{}", crossroad.id);
        if !is_id(&crossroad.id) {
            problems.push((entry.clone(), "id must be lowercase, digits and _".into()));
        }
        if crossroad.choices.len() != 3 {
            problems.push((entry.clone(), "needs exactly three choices".into()));
        }
        if let Some(problem) = text_problems(&crossroad.scene, 450) {
            problems.push((entry.clone(), format!("scene {problem}")));
        }
        for (index, choice) in crossroad.choices.iter().enumerate() {
            if let Some(problem) = text_problems(&choice.label, 80) {
                problems.push((entry.clone(), format!("choice {index} label {problem}")));
            }
            if let Some(problem) = text_problems(&choice.outcome, 240) {
                problems.push((entry.clone(), format!("choice {index} outcome {problem}")));
            }
        }
        seen(&entry, &crossroad.scene, &mut problems);
        if crossroads
            .insert(crossroad.id.clone(), crossroad.clone())
            .is_some()
        {
            problems.push((entry, "duplicate id".into()));
        }
    }
    for (what, n) in [
        ("challenges", challenges.len()),
        ("crossroads", crossroads.len()),
    ] {
        if n < SEGMENTS_MIN {
            problems.push((
                what.to_string(),
                format!("{n} entries; at least {SEGMENTS_MIN} are needed"),
            ));
        }
    }
    for difficulty in [
        Difficulty::Easy,
        Difficulty::Medium,
        Difficulty::Hard,
        Difficulty::Extreme,
    ] {
        if !challenges.values().any(|c| c.difficulty == difficulty) {
            problems.push((
                format!("challenges/{}", difficulty.label()),
                "no challenge of this difficulty".into(),
            ));
        }
    }
    let content = RpgContent {
        classes: by_id,
        class_order,
        gear: gear_by_id,
        gear_by_kind,
        tales,
        challenges,
        crossroads,
    };
    (Some(content), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks_catch_what_discord_would_misread() {
        assert!(text_problems("A quiet {place}.", 100).is_none());
        assert!(text_problems("Hi @everyone", 100).is_some());
        assert!(text_problems("see https://x", 100).is_some());
        assert!(text_problems("{name} waves", 100).is_some());
        assert!(text_problems("open { brace", 100).is_some());
        assert!(text_problems("stray } brace", 100).is_some());
        assert!(text_problems("", 100).is_some());
        assert!(text_problems(&"x".repeat(101), 100).is_some());
    }
}
