//! Game content (items, names, texts, slot themes) embedded in the binary, validated once at
//! load, and its version hash.
//!
//! The hash is recorded in snapshots (and, for battles, in their start events), so a replay
//! knows which content it ran on and a snapshot taken under other content is never trusted.
//! Broken content is reported all at once, each problem naming its file, entry and field.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use crate::battle::content::{AbilityDef, EnemiesFile, EnemyDef, EnemyKind};
use crate::fun::content::{GreetingsFile, RangeFile, TriviaFile};
use crate::market::content::{Holiday, HolidaysFile, NewsBucket, NewsFile};
use crate::pets::content::{ItemDef, ItemId, ItemsFile, MissionsFile, PetNamesFile, Rarity, Slot};
use crate::recruit::content::{RecruitFile, RecruitTemplate};
use crate::slots::content::{SlotTheme, SlotsFile};
use crate::slots::Difficulty;
use crate::social::content::{
    AchievementsFile, IdentityFile, QuizFile, SocialContent, TalkFile, TopicsFile,
};

/// Every content file the engine embeds, by its path under `engine/content/`.
pub const FILES: &[(&str, &str)] = &[
    ("items.json", include_str!("../content/items.json")),
    ("pet_names.json", include_str!("../content/pet_names.json")),
    ("missions.json", include_str!("../content/missions.json")),
    ("slots.json", include_str!("../content/slots.json")),
    ("enemies.json", include_str!("../content/enemies.json")),
    ("recruit.json", include_str!("../content/recruit.json")),
    (
        "market_news.json",
        include_str!("../content/market_news.json"),
    ),
    (
        "market_holidays.json",
        include_str!("../content/market_holidays.json"),
    ),
    ("talk.json", include_str!("../content/talk.json")),
    (
        "lore_topics.json",
        include_str!("../content/lore_topics.json"),
    ),
    ("identity.json", include_str!("../content/identity.json")),
    ("quiz.json", include_str!("../content/quiz.json")),
    (
        "achievements.json",
        include_str!("../content/achievements.json"),
    ),
    ("greetings.json", include_str!("../content/greetings.json")),
    ("range.json", include_str!("../content/range.json")),
    ("trivia.json", include_str!("../content/trivia.json")),
    ("walktru.json", include_str!("../content/walktru.json")),
    ("combiners.json", include_str!("../content/combiners.json")),
    ("games.json", include_str!("../content/games.json")),
    (
        "rpg_classes.json",
        include_str!("../content/rpg_classes.json"),
    ),
    ("rpg_items.json", include_str!("../content/rpg_items.json")),
    ("rpg_tales.json", include_str!("../content/rpg_tales.json")),
];

/// All content, validated and indexed.
#[derive(Debug)]
pub struct Content {
    pub items: BTreeMap<ItemId, ItemDef>,
    /// Item ids by (slot, rarity), each list sorted, for drop tables.
    pub items_by_kind: BTreeMap<(Slot, Rarity), Vec<ItemId>>,
    pub pet_names: PetNamesFile,
    pub missions: MissionsFile,
    pub slots: BTreeMap<Difficulty, SlotTheme>,
    pub enemies: BTreeMap<String, EnemyDef>,
    pub abilities: BTreeMap<String, AbilityDef>,
    /// Recruitment message templates by id.
    pub recruit: BTreeMap<u16, RecruitTemplate>,
    /// Market news buckets, in file order (a tick draws by weight in this order).
    pub market_news: Vec<NewsBucket>,
    /// Dated market holidays.
    pub market_holidays: Vec<Holiday>,
    /// Talk lines, the encyclopedia, identity tables and the quiz.
    pub social: SocialContent,
    /// The hello and ping ladders and the grump's lines.
    pub greetings: GreetingsFile,
    /// The shooting range's ranks.
    pub range: RangeFile,
    /// Trivia categories and questions.
    pub trivia: TriviaFile,
    /// WalkTru's stories.
    pub walktru: crate::fun::story::WalkFile,
    /// Combiner names.
    pub combiners: crate::fun::combiner::CombinerNamesFile,
    /// The Cybertron Games arena.
    pub games: crate::fun::games::GamesFile,
    /// The RPG's classes, gear and tales.
    pub rpg: crate::rpg::content::RpgContent,
    pub version: [u8; 32],
}

/// One thing wrong with the content: which file, which entry, what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentProblem {
    pub file: &'static str,
    pub entry: String,
    pub problem: String,
}

impl std::fmt::Display for ContentProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]: {}", self.file, self.entry, self.problem)
    }
}

/// SHA-256 over every embedded content file's name and bytes, in [`FILES`] order.
pub fn version() -> [u8; 32] {
    static VERSION: OnceLock<[u8; 32]> = OnceLock::new();
    *VERSION.get_or_init(|| {
        let mut hasher = Sha256::new();
        hasher.update(b"allspark/content/v1");
        for (name, text) in FILES {
            hasher.update((name.len() as u64).to_be_bytes());
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_be_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.finalize().into()
    })
}

/// The embedded content. Validated by [`load`] (which `Engine::open` calls first, so a broken
/// build refuses to start with the full list of problems instead of failing here).
pub fn get() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| match load() {
        Ok(content) => content,
        Err(problems) => {
            let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("embedded content is invalid:\n{}", listed.join("\n"))
        }
    })
}

/// Parses and validates every embedded file, returning all problems found.
pub fn load() -> Result<Content, Vec<ContentProblem>> {
    let mut problems = Vec::new();
    let items_file: Option<ItemsFile> = parse("items.json", FILES[0].1, &mut problems);
    let pet_names: Option<PetNamesFile> = parse("pet_names.json", FILES[1].1, &mut problems);
    let missions: Option<MissionsFile> = parse("missions.json", FILES[2].1, &mut problems);
    let slots_file: Option<SlotsFile> = parse("slots.json", FILES[3].1, &mut problems);
    let enemies_file: Option<EnemiesFile> = parse("enemies.json", FILES[4].1, &mut problems);
    let recruit_file: Option<RecruitFile> = parse("recruit.json", FILES[5].1, &mut problems);
    let news_file: Option<NewsFile> = parse("market_news.json", FILES[6].1, &mut problems);
    let holidays_file: Option<HolidaysFile> =
        parse("market_holidays.json", FILES[7].1, &mut problems);
    let talk_file: Option<TalkFile> = parse("talk.json", FILES[8].1, &mut problems);
    let topics_file: Option<TopicsFile> = parse("lore_topics.json", FILES[9].1, &mut problems);
    let identity_file: Option<IdentityFile> = parse("identity.json", FILES[10].1, &mut problems);
    let quiz_file: Option<QuizFile> = parse("quiz.json", FILES[11].1, &mut problems);
    let achievements_file: Option<AchievementsFile> =
        parse("achievements.json", FILES[12].1, &mut problems);
    let greetings: Option<GreetingsFile> = parse("greetings.json", FILES[13].1, &mut problems);
    if let Some(greetings) = &greetings {
        for (entry, text) in crate::fun::content::check(greetings) {
            problems.push(problem("greetings.json", &entry, &text));
        }
    }
    let range: Option<RangeFile> = parse("range.json", FILES[14].1, &mut problems);
    if let Some(range) = &range {
        for (entry, text) in crate::fun::content::check_range(range) {
            problems.push(problem("range.json", &entry, &text));
        }
    }
    let trivia: Option<TriviaFile> = parse("trivia.json", FILES[15].1, &mut problems);
    if let Some(trivia) = &trivia {
        for (entry, text) in crate::fun::content::check_trivia(trivia) {
            problems.push(problem("trivia.json", &entry, &text));
        }
    }
    let walktru: Option<crate::fun::story::WalkFile> =
        parse("walktru.json", FILES[16].1, &mut problems);
    if let Some(walktru) = &walktru {
        for (entry, text) in crate::fun::story::check(walktru) {
            problems.push(problem("walktru.json", &entry, &text));
        }
    }
    let combiners: Option<crate::fun::combiner::CombinerNamesFile> =
        parse("combiners.json", FILES[17].1, &mut problems);
    if let Some(combiners) = &combiners {
        for (entry, text) in crate::fun::combiner::check_names(combiners) {
            problems.push(problem("combiners.json", &entry, &text));
        }
    }
    let games: Option<crate::fun::games::GamesFile> =
        parse("games.json", FILES[18].1, &mut problems);
    if let Some(games) = &games {
        for (entry, text) in crate::fun::games::check(games) {
            problems.push(problem("games.json", &entry, &text));
        }
    }
    let rpg = rpg_content(&mut problems);

    let mut items = BTreeMap::new();
    let mut items_by_kind: BTreeMap<(Slot, Rarity), Vec<ItemId>> = BTreeMap::new();
    if let Some(file) = items_file {
        for item in file.items {
            check_item(&item, &mut problems);
            items_by_kind
                .entry((item.slot, item.rarity))
                .or_default()
                .push(item.id.clone());
            if items.insert(item.id.clone(), item.clone()).is_some() {
                problems.push(problem("items.json", &item.id.0, "duplicate id"));
            }
        }
        for slot in Slot::ALL {
            for rarity in Rarity::ALL {
                if items_by_kind.get(&(slot, rarity)).is_none_or(Vec::is_empty) {
                    problems.push(problem(
                        "items.json",
                        &format!("{}/{}", slot.label(), rarity.label()),
                        "no item of this slot and rarity (drop tables need one)",
                    ));
                }
            }
        }
        for ids in items_by_kind.values_mut() {
            ids.sort();
        }
    }
    if let Some(names) = &pet_names {
        check_texts(
            "pet_names.json",
            "autobot",
            &names.autobot,
            20,
            &mut problems,
        );
        check_texts(
            "pet_names.json",
            "decepticon",
            &names.decepticon,
            20,
            &mut problems,
        );
    }
    if let Some(missions) = &missions {
        check_texts("missions.json", "easy", &missions.easy, 120, &mut problems);
        check_texts(
            "missions.json",
            "average",
            &missions.average,
            120,
            &mut problems,
        );
        check_texts("missions.json", "hard", &missions.hard, 120, &mut problems);
    }
    let mut slots = BTreeMap::new();
    if let Some(file) = slots_file {
        for theme in file.themes {
            let entry = format!("{:?}", theme.difficulty);
            if theme.symbols.len() != theme.difficulty.n_symbols() {
                problems.push(problem(
                    "slots.json",
                    &entry,
                    &format!(
                        "needs exactly {} symbols, has {}",
                        theme.difficulty.n_symbols(),
                        theme.symbols.len()
                    ),
                ));
            }
            let ids: BTreeSet<&str> = theme.symbols.iter().map(|s| s.id.as_str()).collect();
            if ids.len() != theme.symbols.len() {
                problems.push(problem("slots.json", &entry, "duplicate symbol id"));
            }
            if slots.insert(theme.difficulty, theme).is_some() {
                problems.push(problem(
                    "slots.json",
                    &entry,
                    "two themes for one difficulty",
                ));
            }
        }
        for difficulty in Difficulty::ALL {
            if !slots.contains_key(&difficulty) {
                problems.push(problem(
                    "slots.json",
                    &format!("{difficulty:?}"),
                    "missing theme",
                ));
            }
        }
    }

    let (enemies, abilities) = match enemies_file {
        Some(file) => check_enemies(file, &items, &mut problems),
        None => (BTreeMap::new(), BTreeMap::new()),
    };

    let recruit = match recruit_file {
        Some(file) => check_recruit(file, &mut problems),
        None => BTreeMap::new(),
    };

    let (market_news, market_holidays) = match (news_file, holidays_file) {
        (Some(news), Some(holidays)) => {
            for (entry, text) in crate::market::content::check(&news, &holidays) {
                let file = if entry.starts_with("holiday") {
                    "market_holidays.json"
                } else {
                    "market_news.json"
                };
                problems.push(problem(file, &entry, &text));
            }
            (news.buckets, holidays.holidays)
        }
        _ => (Vec::new(), Vec::new()),
    };

    let social = match (
        talk_file,
        topics_file,
        identity_file,
        quiz_file,
        achievements_file,
    ) {
        (Some(talk), Some(topics), Some(identity), Some(quiz), Some(achievements)) => {
            let social = SocialContent {
                talk,
                topics: topics.topics,
                identity,
                quiz,
                achievements: achievements.achievements,
            };
            for (entry, text) in crate::social::content::check(&social) {
                let file = match entry.split('/').next().unwrap_or_default() {
                    "topic" | "topics" => "lore_topics.json",
                    "identity" | "class" => "identity.json",
                    "quiz" => "quiz.json",
                    "achievement" | "achievements" => "achievements.json",
                    _ => "talk.json",
                };
                problems.push(problem(file, &entry, &text));
            }
            Some(social)
        }
        _ => None,
    };

    match (
        pet_names, missions, social, greetings, range, trivia, walktru, combiners, games, rpg,
    ) {
        (
            Some(pet_names),
            Some(missions),
            Some(social),
            Some(greetings),
            Some(range),
            Some(trivia),
            Some(walktru),
            Some(combiners),
            Some(games),
            Some(rpg),
        ) if problems.is_empty() => Ok(Content {
            items,
            items_by_kind,
            pet_names,
            missions,
            slots,
            enemies,
            abilities,
            recruit,
            market_news,
            market_holidays,
            social,
            greetings,
            range,
            trivia,
            walktru,
            combiners,
            games,
            rpg,
            version: version(),
        }),
        _ => Err(problems),
    }
}

/// The RPG's three files, checked together (the tales name classes and enemies only by id).
fn rpg_content(problems: &mut Vec<ContentProblem>) -> Option<crate::rpg::content::RpgContent> {
    use crate::rpg::content::{check, ClassesFile, GearFile, TalesFile};
    let classes: Option<ClassesFile> = parse("rpg_classes.json", FILES[19].1, problems);
    let gear: Option<GearFile> = parse("rpg_items.json", FILES[20].1, problems);
    let tales: Option<TalesFile> = parse("rpg_tales.json", FILES[21].1, problems);
    let (content, found) = check(classes?, gear?, tales?);
    for (entry, text) in found {
        let file = match entry.split('/').next().unwrap_or_default() {
            "class" | "classes" => "rpg_classes.json",
            "item" | "items" => "rpg_items.json",
            _ => "rpg_tales.json",
        };
        problems.push(problem(file, &entry, &text));
    }
    content
}

/// Fewest recruitment templates shipped: with a 60-hour gap between messages a nation can get
/// 24 in 60 days, so 50 never run out.
pub const RECRUIT_TEMPLATES_MIN: usize = 50;

fn check_recruit(
    file: RecruitFile,
    problems: &mut Vec<ContentProblem>,
) -> BTreeMap<u16, RecruitTemplate> {
    let mut templates = BTreeMap::new();
    for template in file.templates {
        let entry = format!("template {}", template.id);
        for (field, text) in crate::recruit::content::check(&template) {
            problems.push(problem("recruit.json", &entry, &format!("{field} {text}")));
        }
        if templates.insert(template.id, template).is_some() {
            problems.push(problem("recruit.json", &entry, "duplicate id"));
        }
    }
    if templates.len() < RECRUIT_TEMPLATES_MIN {
        problems.push(problem(
            "recruit.json",
            "templates",
            &format!(
                "{} templates; at least {RECRUIT_TEMPLATES_MIN} are needed",
                templates.len()
            ),
        ));
    }
    templates
}

fn problem(file: &'static str, entry: &str, text: &str) -> ContentProblem {
    ContentProblem {
        file,
        entry: entry.to_string(),
        problem: text.to_string(),
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    file: &'static str,
    text: &str,
    problems: &mut Vec<ContentProblem>,
) -> Option<T> {
    match serde_json::from_str(text) {
        Ok(value) => Some(value),
        Err(error) => {
            problems.push(problem(file, "(file)", &error.to_string()));
            None
        }
    }
}

fn check_item(item: &ItemDef, problems: &mut Vec<ContentProblem>) {
    let id = item.id.0.as_str();
    let prefix = match item.slot {
        Slot::ChassisPlating => "plating.",
        Slot::EnergyCore => "core.",
        Slot::UtilityModule => "module.",
    };
    if !id.starts_with(prefix) {
        problems.push(problem(
            "items.json",
            id,
            &format!("id must start with `{prefix}`"),
        ));
    }
    if item.name.trim().is_empty() || item.name.chars().count() > 40 {
        problems.push(problem("items.json", id, "name must be 1 to 40 characters"));
    }
    if item.description.trim().is_empty() {
        problems.push(problem("items.json", id, "description is empty"));
    }
    let bonus = item.bonus;
    let total = bonus.attack
        + bonus.defense
        + bonus.energy_max
        + bonus.happiness_max
        + bonus.maintenance_max;
    if total == 0 {
        problems.push(problem("items.json", id, "an item must give some bonus"));
    }
}

fn check_enemies(
    file: EnemiesFile,
    items: &BTreeMap<ItemId, ItemDef>,
    problems: &mut Vec<ContentProblem>,
) -> (BTreeMap<String, EnemyDef>, BTreeMap<String, AbilityDef>) {
    const FILE: &str = "enemies.json";
    let mut abilities = BTreeMap::new();
    for ability in file.abilities {
        if abilities
            .insert(ability.id.clone(), ability.clone())
            .is_some()
        {
            problems.push(problem(FILE, &ability.id, "duplicate ability id"));
        }
    }
    let mut enemies = BTreeMap::new();
    for enemy in file.enemies {
        let id = enemy.id.as_str();
        let prefix = format!("{}.", enemy.kind.label());
        if !id.starts_with(&prefix) {
            problems.push(problem(FILE, id, &format!("id must start with `{prefix}`")));
        }
        if enemy.hp == 0 || enemy.attack == 0 {
            problems.push(problem(FILE, id, "hp and attack must be positive"));
        }
        if enemy.abilities.len() > 8 {
            problems.push(problem(FILE, id, "at most 8 abilities"));
        }
        for ability in enemy
            .abilities
            .iter()
            .chain(enemy.phases.iter().map(|p| &p.ability))
        {
            if !abilities.contains_key(ability) {
                problems.push(problem(FILE, id, &format!("unknown ability `{ability}`")));
            }
        }
        let thresholds: Vec<u32> = enemy.phases.iter().map(|p| p.at_hp_percent).collect();
        if thresholds.windows(2).any(|pair| pair[1] >= pair[0])
            || thresholds.iter().any(|t| *t == 0 || *t >= 100)
        {
            problems.push(problem(
                FILE,
                id,
                "phase thresholds must be strictly decreasing, between 1 and 99",
            ));
        }
        if enemy.kind != EnemyKind::Monster && enemy.phases.is_empty() {
            problems.push(problem(
                FILE,
                id,
                "bosses and titans need at least one phase",
            ));
        }
        if enemy.loot.slots.values().all(|weight| *weight == 0) {
            problems.push(problem(FILE, id, "the loot table needs a slot with weight"));
        }
        if let Some(signature) = &enemy.loot.signature {
            let most = (enemy.rarity.index() as i64
                + crate::battle::tuning::kind_loot_bonus(enemy.kind)
                + 1)
            .clamp(0, 5) as usize;
            match items.get(signature) {
                None => problems.push(problem(
                    FILE,
                    id,
                    &format!("unknown signature item `{}`", signature.0),
                )),
                Some(item) if item.rarity.index() > most => problems.push(problem(
                    FILE,
                    id,
                    "the signature item is rarer than this enemy's table allows",
                )),
                Some(_) => {}
            }
        }
        if enemies.insert(enemy.id.clone(), enemy.clone()).is_some() {
            problems.push(problem(FILE, &enemy.id, "duplicate enemy id"));
        }
    }
    for kind in EnemyKind::ALL {
        for rarity in Rarity::ALL {
            if !enemies
                .values()
                .any(|e: &EnemyDef| e.kind == kind && e.rarity == rarity)
            {
                problems.push(problem(
                    FILE,
                    &format!("{}/{}", kind.label(), rarity.label()),
                    "no enemy of this kind and rarity",
                ));
            }
        }
    }
    (enemies, abilities)
}

fn check_texts(
    file: &'static str,
    entry: &str,
    texts: &[String],
    len_max_chars: usize,
    problems: &mut Vec<ContentProblem>,
) {
    if texts.is_empty() {
        problems.push(problem(file, entry, "list is empty"));
    }
    if texts.len() > usize::from(u16::MAX) {
        problems.push(problem(file, entry, "more entries than an index can name"));
    }
    let mut seen = BTreeSet::new();
    for text in texts {
        if text.trim().is_empty() || text.chars().count() > len_max_chars {
            problems.push(problem(
                file,
                entry,
                &format!("`{text}` must be 1 to {len_max_chars} characters"),
            ));
        }
        if !seen.insert(text) {
            problems.push(problem(file, entry, &format!("`{text}` appears twice")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped enemies with one change, checked against the shipped items.
    fn problems_after(change: impl FnOnce(&mut EnemyDef)) -> Vec<String> {
        let mut file: EnemiesFile =
            serde_json::from_str(FILES[4].1).unwrap_or_else(|e| panic!("{e}"));
        change(&mut file.enemies[0]);
        let items = get().items.clone();
        let mut problems = Vec::new();
        check_enemies(file, &items, &mut problems);
        problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_shipped_enemies_pass_and_broken_loot_tables_are_named() {
        assert!(problems_after(|_| {}).is_empty());
        let unknown = problems_after(|e| e.loot.signature = Some(ItemId("core.nope".into())));
        assert!(
            unknown.iter().any(|p| p.contains("unknown signature item")),
            "{unknown:?}"
        );
        let empty = problems_after(|e| e.loot.slots.values_mut().for_each(|w| *w = 0));
        assert!(
            empty.iter().any(|p| p.contains("needs a slot with weight")),
            "{empty:?}"
        );
        // The first enemy is a common monster: a mythic signature is far above its table.
        let mythic = get()
            .items
            .values()
            .find(|item| item.rarity == Rarity::Mythic)
            .map(|item| item.id.clone());
        let too_rare = problems_after(|e| e.loot.signature = mythic);
        assert!(
            too_rare.iter().any(|p| p.contains("rarer than")),
            "{too_rare:?}"
        );
    }

    #[test]
    fn the_shipped_recruit_templates_pass_and_problems_are_named_by_template() {
        let file = || -> RecruitFile {
            serde_json::from_str(FILES[5].1).unwrap_or_else(|e| panic!("{e}"))
        };
        let mut problems = Vec::new();
        let templates = check_recruit(file(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(templates.len() >= RECRUIT_TEMPLATES_MIN);
        let mut broken = file();
        broken.templates[1].id = broken.templates[0].id;
        broken.templates[2].subject = "S".repeat(51);
        broken.templates.truncate(10);
        let mut problems = Vec::new();
        check_recruit(broken, &mut problems);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|p| p.contains("duplicate id")), "{text:?}");
        assert!(
            text.iter()
                .any(|p| p.contains("template 3") && p.contains("subject")),
            "{text:?}"
        );
        assert!(text.iter().any(|p| p.contains("at least 50")), "{text:?}");
    }
}
