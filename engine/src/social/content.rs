//! The social area's content: talk lines (`engine/content/talk.json`), the `/what_is`
//! encyclopedia (`lore_topics.json`), the name tables of a generated identity
//! (`identity.json`) and the faction quiz (`quiz.json`). All original to this project.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::social::{Metric, SparkFaction, TalkKind};

/// A category of lines (jokes, blessings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Stable id, lowercase snake case.
    pub id: String,
    pub name: String,
    pub lines: Vec<String>,
}

/// A category of lines about someone, in several styles (roasts, compliments). Every line
/// names its target once, as `{target}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StyledPool {
    pub id: String,
    pub name: String,
    /// Lines by style id.
    pub styles: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TalkFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub jokes: Vec<Pool>,
    pub roasts: Vec<StyledPool>,
    pub compliments: Vec<StyledPool>,
    pub blessings: Vec<Pool>,
    /// `/user_says`: short made-up exchanges built from a member's three most used words
    /// (`{first}`, `{second}`, `{third}`) with them speaking (`{speaker}`), each once.
    pub exchanges: Vec<String>,
}

/// One `/what_is` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub name: String,
    /// Other words a player may ask for, lowercase.
    pub aliases: Vec<String>,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub topics: Vec<Topic>,
}

/// A faction's name parts: a generated name is a prefix and a suffix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactionNames {
    pub id: SparkFaction,
    pub name: String,
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
    pub mottos: Vec<String>,
}

/// One of the eight classes (shared with the RPG's characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassDef {
    pub id: String,
    pub name: String,
    pub epithets: Vec<String>,
    pub blurb: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub factions: Vec<FactionNames>,
    pub classes: Vec<ClassDef>,
}

/// An answer of the quiz and how much it leans to each faction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizAnswer {
    pub id: String,
    pub label: String,
    pub weights: BTreeMap<SparkFaction, u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizQuestion {
    pub id: String,
    pub text: String,
    pub answers: Vec<QuizAnswer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizResult {
    pub faction: SparkFaction,
    pub title: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub questions: Vec<QuizQuestion>,
    pub results: Vec<QuizResult>,
}

/// An achievement: earned once `metric` reaches `at_least`. Derived from the projections,
/// never stored, so one added later is earned by everyone whose record already meets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AchievementDef {
    pub id: String,
    pub emoji: String,
    pub name: String,
    pub description: String,
    pub metric: Metric,
    pub at_least: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AchievementsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub achievements: Vec<AchievementDef>,
}

/// The social content, checked.
#[derive(Clone, Debug)]
pub struct SocialContent {
    pub talk: TalkFile,
    pub topics: Vec<Topic>,
    pub identity: IdentityFile,
    pub quiz: QuizFile,
    pub achievements: Vec<AchievementDef>,
}

/// Longest category id and style id (they ride in a button's id, which Discord caps at 100).
pub const POOL_ID_MAX: usize = 24;
pub const STYLE_ID_MAX: usize = 12;
/// Longest line (it goes into an embed description with room to spare).
pub const LINE_MAX_CHARS: usize = 300;
/// Fewest lines: jokes, blessings, roasts and compliments (each).
pub const JOKES_MIN: usize = 150;
pub const BLESSINGS_MIN: usize = 300;
pub const BLESSING_CATEGORIES: usize = 12;
pub const ABOUT_LINES_MIN: usize = 90;
pub const TOPICS_MIN: usize = 20;
pub const TOPIC_TEXT_MAX_CHARS: usize = 1_000;
pub const QUIZ_QUESTIONS: usize = 5;
/// Fewest `/user_says` exchanges, and the longest one.
pub const EXCHANGES_MIN: usize = 10;
pub const EXCHANGE_MAX_CHARS: usize = 500;
/// What an exchange fills in.
pub const EXCHANGE_SLOTS: [&str; 4] = ["{speaker}", "{first}", "{second}", "{third}"];
/// Discord's limits: choices of an option, a button's label.
pub const CHOICES_MAX: usize = 25;
pub const BUTTON_LABEL_MAX: usize = 80;
/// The classes, in order (the RPG's characters use the same eight).
pub const CLASSES: [&str; 8] = [
    "scientist",
    "warrior",
    "engineer",
    "mariner",
    "scout",
    "seeker",
    "commander",
    "medic",
];

impl SocialContent {
    /// The pools of a kind that has no styles (jokes, blessings).
    pub fn pools(&self, kind: TalkKind) -> &[Pool] {
        match kind {
            TalkKind::Joke => &self.talk.jokes,
            TalkKind::Blessing => &self.talk.blessings,
            TalkKind::Roast | TalkKind::Compliment => &[],
        }
    }

    /// The pools of a kind with styles (roasts, compliments).
    pub fn styled(&self, kind: TalkKind) -> &[StyledPool] {
        match kind {
            TalkKind::Roast => &self.talk.roasts,
            TalkKind::Compliment => &self.talk.compliments,
            TalkKind::Joke | TalkKind::Blessing => &[],
        }
    }

    /// The line `line` of pool `pool` (and `style`), if the content has it.
    pub fn line(&self, kind: TalkKind, pool: &str, style: Option<&str>, line: u16) -> Option<&str> {
        let index = usize::from(line);
        match style {
            None => self
                .pools(kind)
                .iter()
                .find(|p| p.id == pool)?
                .lines
                .get(index),
            Some(style) => self
                .styled(kind)
                .iter()
                .find(|p| p.id == pool)?
                .styles
                .get(style)?
                .get(index),
        }
        .map(String::as_str)
    }

    /// The topic whose id, name or alias is `query` (any case, surrounding spaces ignored).
    pub fn topic(&self, query: &str) -> Option<&Topic> {
        let query = query.trim().to_lowercase();
        self.topics.iter().find(|topic| {
            topic.id == query
                || topic.name.to_lowercase() == query
                || topic.aliases.contains(&query)
        })
    }

    pub fn faction(&self, faction: SparkFaction) -> Option<&FactionNames> {
        self.identity.factions.iter().find(|f| f.id == faction)
    }

    pub fn class(&self, id: &str) -> Option<&ClassDef> {
        self.identity.classes.iter().find(|c| c.id == id)
    }
}

/// Every problem with the social content, as (entry, problem).
pub fn check(content: &SocialContent) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut bad = |entry: String, problem: &str| problems.push((entry, problem.to_string()));
    let line_ok = |line: &str| {
        !line.trim().is_empty()
            && line.chars().count() <= LINE_MAX_CHARS
            && !line.contains("http")
            && !line.contains('@')
            && !line.contains("<#")
    };
    let id_ok = |id: &str| {
        !id.is_empty()
            && id.len() <= POOL_ID_MAX
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    // Jokes and blessings.
    for (kind, pools, min) in [
        ("jokes", &content.talk.jokes, JOKES_MIN),
        ("blessings", &content.talk.blessings, BLESSINGS_MIN),
    ] {
        let mut ids = BTreeSet::new();
        let mut total = 0;
        for pool in pools {
            let entry = format!("{kind}/{}", pool.id);
            if !id_ok(&pool.id) || !ids.insert(pool.id.as_str()) {
                bad(entry.clone(), "id must be unique lowercase snake case");
            }
            if pool.lines.is_empty() || pool.lines.len() > usize::from(u16::MAX) {
                bad(entry.clone(), "needs lines (and at most 65,535)");
            }
            let distinct: BTreeSet<&String> = pool.lines.iter().collect();
            if distinct.len() != pool.lines.len() {
                bad(entry.clone(), "a line is there twice");
            }
            for (n, line) in pool.lines.iter().enumerate() {
                if !line_ok(line) || line.contains("{target}") {
                    bad(
                        format!("{entry}/{n}"),
                        "a line is 1 to 300 characters, with no link, mention or {target}",
                    );
                }
            }
            total += pool.lines.len();
        }
        if total < min {
            bad(
                kind.to_string(),
                &format!("needs at least {min} lines, has {total}"),
            );
        }
        if pools.len() > CHOICES_MAX {
            bad(
                kind.to_string(),
                "at most 25 categories (one option's choices)",
            );
        }
    }
    if content.talk.exchanges.len() < EXCHANGES_MIN {
        bad(
            "exchanges".into(),
            &format!("needs at least {EXCHANGES_MIN} exchanges"),
        );
    }
    for (n, exchange) in content.talk.exchanges.iter().enumerate() {
        let filled = EXCHANGE_SLOTS
            .iter()
            .fold(exchange.clone(), |text, slot| text.replace(slot, "w"));
        if exchange.chars().count() > EXCHANGE_MAX_CHARS
            || filled.trim().is_empty()
            || filled.contains("http")
            || filled.contains('@')
            || filled.contains("<#")
            || filled.contains('{')
            || EXCHANGE_SLOTS
                .iter()
                .any(|slot| exchange.matches(slot).count() < 1)
        {
            bad(
                format!("exchanges/{n}"),
                "an exchange is at most 500 characters, fills {speaker}, {first}, {second} and {third}, and has no other slot, link or mention",
            );
        }
    }
    if content.talk.blessings.len() != BLESSING_CATEGORIES {
        bad("blessings".into(), "needs exactly 12 categories");
    }
    // Roasts and compliments.
    for (kind, pools) in [
        ("roasts", &content.talk.roasts),
        ("compliments", &content.talk.compliments),
    ] {
        let mut ids = BTreeSet::new();
        let mut total = 0;
        let styles: Option<BTreeSet<&String>> = pools.first().map(|p| p.styles.keys().collect());
        for pool in pools {
            let entry = format!("{kind}/{}", pool.id);
            if !id_ok(&pool.id) || !ids.insert(pool.id.as_str()) {
                bad(entry.clone(), "id must be unique lowercase snake case");
            }
            if Some(pool.styles.keys().collect()) != styles {
                bad(entry.clone(), "every category has the same styles");
            }
            for (style, lines) in &pool.styles {
                if !id_ok(style)
                    || style.len() > STYLE_ID_MAX
                    || lines.is_empty()
                    || lines.len() > usize::from(u16::MAX)
                {
                    bad(format!("{entry}/{style}"), "a style is an id with lines");
                }
                for (n, line) in lines.iter().enumerate() {
                    if !line_ok(line) || line.matches("{target}").count() != 1 {
                        bad(
                            format!("{entry}/{style}/{n}"),
                            "a line is 1 to 300 characters, names {target} once, no link or mention",
                        );
                    }
                }
                total += lines.len();
            }
        }
        if total < ABOUT_LINES_MIN {
            bad(
                kind.to_string(),
                &format!("needs at least {ABOUT_LINES_MIN} lines, has {total}"),
            );
        }
        if pools.is_empty()
            || pools.len() > CHOICES_MAX
            || styles.is_none_or(|s| s.len() > CHOICES_MAX)
        {
            bad(kind.to_string(), "1 to 25 categories and styles");
        }
    }
    // Topics.
    let mut words = BTreeSet::new();
    for topic in &content.topics {
        let entry = format!("topic/{}", topic.id);
        if !id_ok(&topic.id) {
            bad(entry.clone(), "id must be lowercase snake case");
        }
        let text = topic.text.chars().count();
        if !(1..=TOPIC_TEXT_MAX_CHARS).contains(&text) || topic.name.chars().count() > 100 {
            bad(
                entry.clone(),
                "text 1 to 1,000 characters, name at most 100",
            );
        }
        for word in std::iter::once(topic.id.clone())
            .chain(std::iter::once(topic.name.to_lowercase()))
            .chain(topic.aliases.iter().cloned())
        {
            if word != word.to_lowercase() || word.trim().is_empty() || word.chars().count() > 100 {
                bad(entry.clone(), "aliases are lowercase, 1 to 100 characters");
            }
            if !words.insert(word.clone()) && word != topic.name.to_lowercase() && word != topic.id
            {
                bad(entry.clone(), &format!("`{word}` names two topics"));
            }
        }
    }
    if content.topics.len() < TOPICS_MIN {
        bad(
            "topics".into(),
            &format!("needs at least {TOPICS_MIN} topics"),
        );
    }
    // Identity.
    for faction in SparkFaction::ALL {
        let Some(names) = content.faction(faction) else {
            bad(format!("identity/{faction:?}"), "missing faction");
            continue;
        };
        let entry = format!("identity/{}", faction.id());
        let part_ok = |part: &String| {
            (2..=10).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphabetic())
        };
        if names.prefixes.len() < 20
            || names.suffixes.len() < 20
            || !names.prefixes.iter().all(part_ok)
            || !names.suffixes.iter().all(part_ok)
        {
            bad(
                entry.clone(),
                "at least 20 prefixes and suffixes, 2 to 10 letters each",
            );
        }
        if names.mottos.is_empty() || !names.mottos.iter().all(|m| line_ok(m)) {
            bad(entry, "mottos are lines of 1 to 300 characters");
        }
    }
    if content.identity.factions.len() != SparkFaction::ALL.len() {
        bad("identity".into(), "exactly the three factions");
    }
    let classes: Vec<&str> = content
        .identity
        .classes
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    if classes != CLASSES {
        bad(
            "identity/classes".into(),
            "exactly the eight classes, in order",
        );
    }
    for class in &content.identity.classes {
        if class.epithets.is_empty()
            || !class
                .epithets
                .iter()
                .all(|e| line_ok(e) && e.chars().count() <= 60)
            || !line_ok(&class.blurb)
        {
            bad(
                format!("class/{}", class.id),
                "epithets (at most 60 characters) and a blurb",
            );
        }
    }
    // The quiz.
    if content.quiz.questions.len() != QUIZ_QUESTIONS {
        bad("quiz".into(), "exactly five questions");
    }
    for question in &content.quiz.questions {
        let entry = format!("quiz/{}", question.id);
        if !(2..=5).contains(&question.answers.len()) || !line_ok(&question.text) {
            bad(
                entry.clone(),
                "a question has 2 to 5 answers (one row of buttons)",
            );
        }
        for answer in &question.answers {
            if answer.label.is_empty()
                || answer.label.chars().count() > BUTTON_LABEL_MAX
                || answer.weights.len() != SparkFaction::ALL.len()
            {
                bad(
                    format!("{entry}/{}", answer.id),
                    "a label of 1 to 80 characters and a weight for every faction",
                );
            }
        }
    }
    for faction in SparkFaction::ALL {
        if !content.quiz.results.iter().any(|r| r.faction == faction) {
            bad(format!("quiz/result/{}", faction.id()), "missing result");
        }
    }
    // Achievements.
    let mut ids = BTreeSet::new();
    for achievement in &content.achievements {
        let entry = format!("achievement/{}", achievement.id);
        if !id_ok(&achievement.id) || !ids.insert(achievement.id.as_str()) {
            bad(entry.clone(), "id must be unique lowercase snake case");
        }
        if achievement.name.is_empty()
            || achievement.name.chars().count() > 60
            || !line_ok(&achievement.description)
            || achievement.emoji.is_empty()
            || achievement.emoji.chars().count() > 4
            || achievement.at_least == 0
        {
            bad(
                entry,
                "a name of 1 to 60 characters, a description line, one emoji, a threshold above 0",
            );
        }
    }
    if content.achievements.len() < 20 {
        bad("achievements".into(), "needs at least 20 achievements");
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> SocialContent {
        crate::content::get().social.clone()
    }

    #[test]
    fn the_shipped_content_passes_its_checks() {
        assert_eq!(check(&shipped()), Vec::<(String, String)>::new());
    }

    #[test]
    fn each_defect_is_reported_with_its_entry() {
        let mut content = shipped();
        // A roast that names nobody, a joke that names someone, a duplicate blessing, an
        // over-long button label, a topic alias taken twice, a missing class.
        let roast = &mut content.talk.roasts[0];
        let style = roast.styles.keys().next().cloned().unwrap_or_default();
        if let Some(lines) = roast.styles.get_mut(&style) {
            lines[0] = "Nobody named here.".into();
        }
        content.talk.jokes[0].lines[0] = "Hey {target}, knock knock.".into();
        let first = content.talk.blessings[0].lines[0].clone();
        content.talk.blessings[0].lines.push(first);
        content.quiz.questions[0].answers[0].label = "x".repeat(81);
        let alias = content.topics[0]
            .aliases
            .first()
            .cloned()
            .unwrap_or_default();
        content.topics[1].aliases.push(alias);
        content.identity.classes.pop();
        // An exchange without its third word, one with a slot nobody fills.
        content.talk.exchanges[0] = "{speaker}: {first} and {second}.".into();
        content.talk.exchanges[1] = "{speaker}: {first}, {second}, {third}, {fourth}.".into();
        let problems = check(&content);
        let entries: Vec<&str> = problems.iter().map(|(entry, _)| entry.as_str()).collect();
        for expected in [
            format!("roasts/{}/{style}/0", content.talk.roasts[0].id),
            format!("jokes/{}/0", content.talk.jokes[0].id),
            format!("blessings/{}", content.talk.blessings[0].id),
            format!(
                "quiz/{}/{}",
                content.quiz.questions[0].id, content.quiz.questions[0].answers[0].id
            ),
            format!("topic/{}", content.topics[1].id),
            "identity/classes".to_string(),
            "exchanges/0".to_string(),
            "exchanges/1".to_string(),
        ] {
            assert!(
                entries.contains(&expected.as_str()),
                "{expected} not in {problems:?}"
            );
        }
    }
}
