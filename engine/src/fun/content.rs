//! The fun area's content: the hello and ping ladders and the grump's lines
//! (`engine/content/greetings.json`), original to this project.

use serde::{Deserialize, Serialize};

use crate::fun::Ladder;

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GreetingsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// Rungs of the hello ladder, the first first; each a list of lines.
    pub hello: Vec<Vec<String>>,
    /// Rungs of the ping ladder; every first-rung line shows `{latency}` once.
    pub ping: Vec<Vec<String>>,
    /// Grumpy greetings, each naming `{target}` once.
    pub grump: Vec<String>,
}

impl GreetingsFile {
    pub fn ladder(&self, ladder: Ladder) -> &[Vec<String>] {
        match ladder {
            Ladder::Hello => &self.hello,
            Ladder::Ping => &self.ping,
        }
    }

    /// Line `line` of rung `level` (1-based), if the content has it.
    pub fn line(&self, ladder: Ladder, level: u8, line: u16) -> Option<&str> {
        self.ladder(ladder)
            .get(usize::from(level).checked_sub(1)?)?
            .get(usize::from(line))
            .map(String::as_str)
    }
}

/// Longest line.
pub const LINE_MAX_CHARS: usize = 200;

/// Every problem with the greetings, as (entry, problem).
pub fn check(file: &GreetingsFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let ok = |line: &str| {
        !line.trim().is_empty()
            && line.chars().count() <= LINE_MAX_CHARS
            && !line.contains('@')
            && !line.contains("http")
    };
    for (name, ladder, rungs) in [("hello", Ladder::Hello, 8usize), ("ping", Ladder::Ping, 6)] {
        let levels = file.ladder(ladder);
        if levels.len() != rungs {
            problems.push((name.to_string(), format!("needs exactly {rungs} rungs")));
        }
        for (n, lines) in levels.iter().enumerate() {
            let entry = format!("{name}/{}", n + 1);
            if lines.is_empty() || lines.len() > usize::from(u16::MAX) {
                problems.push((entry.clone(), "a rung needs lines".into()));
            }
            for (i, line) in lines.iter().enumerate() {
                let latency = line.matches("{latency}").count();
                let wants = usize::from(ladder == Ladder::Ping && n == 0);
                if !ok(line) || latency != wants || line.contains("{target}") {
                    problems.push((
                        format!("{entry}/{i}"),
                        "1 to 200 characters, no mention or link; {latency} once in the first ping rung only"
                            .into(),
                    ));
                }
            }
        }
    }
    if file.grump.len() < 30 {
        problems.push(("grump".into(), "needs at least 30 lines".into()));
    }
    for (i, line) in file.grump.iter().enumerate() {
        if !ok(line) || line.matches("{target}").count() != 1 || line.contains("{latency}") {
            problems.push((
                format!("grump/{i}"),
                "1 to 200 characters naming {target} once".into(),
            ));
        }
    }
    problems
}

/// The shooting range's content (`engine/content/range.json`): its accuracy ranks.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// Lowest first; the first reaches from 0 %, the last is a perfect session.
    pub ranks: Vec<RangeRank>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeRank {
    pub name: String,
    /// The accuracy (hits per hundred rounds) this rank starts at.
    pub min_percent: u8,
    /// What the range says to someone who finishes on this rank.
    pub line: String,
}

/// How many ranks the range has.
pub const RANGE_RANKS: usize = 9;

/// Every problem with the range's ranks, as (entry, problem).
pub fn check_range(file: &RangeFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if file.ranks.len() != RANGE_RANKS {
        problems.push(("ranks".into(), format!("needs exactly {RANGE_RANKS} ranks")));
    }
    if file.ranks.first().is_some_and(|r| r.min_percent != 0) {
        problems.push(("ranks/0".into(), "the first rank starts at 0 %".into()));
    }
    if file.ranks.last().is_some_and(|r| r.min_percent != 100) {
        problems.push((
            "ranks".into(),
            "the last rank is a perfect session (100 %)".into(),
        ));
    }
    for (i, pair) in file.ranks.windows(2).enumerate() {
        if pair[0].min_percent >= pair[1].min_percent {
            problems.push((format!("ranks/{}", i + 1), "ranks climb strictly".into()));
        }
    }
    for (i, rank) in file.ranks.iter().enumerate() {
        let name_ok = !rank.name.trim().is_empty() && rank.name.chars().count() <= 40;
        let line_ok = !rank.line.trim().is_empty() && rank.line.chars().count() <= LINE_MAX_CHARS;
        if !name_ok || !line_ok {
            problems.push((
                format!("ranks/{i}"),
                "a name of 1 to 40 characters and a line of 1 to 200".into(),
            ));
        }
    }
    problems
}

/// The trivia (`engine/content/trivia.json`): categories and their questions.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriviaFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub categories: Vec<TriviaCategory>,
    /// Every question; a session draws by index into this list.
    pub questions: Vec<TriviaQuestion>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriviaCategory {
    /// Lowercase snake case, at most [`TRIVIA_ID_MAX`] characters.
    pub id: String,
    pub name: String,
    pub emoji: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriviaQuestion {
    /// A category's id.
    pub category: String,
    pub question: String,
    /// Exactly four, all different.
    pub options: Vec<String>,
    /// The right option's index (0 to 3).
    pub answer: u8,
}

impl TriviaFile {
    /// The indexes of the questions of `category` (`None`: every question), in file order.
    pub fn pool(&self, category: Option<&str>) -> Vec<u16> {
        self.questions
            .iter()
            .enumerate()
            .filter(|(_, q)| category.is_none_or(|c| q.category == c))
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect()
    }

    pub fn category(&self, id: &str) -> Option<&TriviaCategory> {
        self.categories.iter().find(|c| c.id == id)
    }
}

/// The fewest questions shipped, and per category.
pub const TRIVIA_QUESTIONS_MIN: usize = 300;
pub const TRIVIA_PER_CATEGORY_MIN: usize = 40;
/// The number of categories.
pub const TRIVIA_CATEGORIES: usize = 5;
/// The longest category id.
pub const TRIVIA_ID_MAX: usize = 20;
/// The longest question, and option (an option is a button label with its letter before it).
pub const TRIVIA_QUESTION_MAX_CHARS: usize = 300;
pub const TRIVIA_OPTION_MAX_CHARS: usize = 70;

/// Every problem with the trivia, as (entry, problem).
pub fn check_trivia(file: &TriviaFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let clean = |text: &str, max: usize| {
        !text.trim().is_empty()
            && text.chars().count() <= max
            && !text.contains('@')
            && !text.contains("http")
    };
    if file.categories.len() != TRIVIA_CATEGORIES {
        problems.push((
            "categories".into(),
            format!("needs exactly {TRIVIA_CATEGORIES} categories"),
        ));
    }
    let mut ids = std::collections::BTreeSet::new();
    for (i, category) in file.categories.iter().enumerate() {
        let id_ok = !category.id.is_empty()
            && category.id.len() <= TRIVIA_ID_MAX
            && category
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_');
        if !id_ok || !ids.insert(category.id.as_str()) || category.id == "random" {
            problems.push((
                format!("categories/{i}"),
                "a unique snake-case id of at most 20 letters, not `random`".into(),
            ));
        }
        if !clean(&category.name, 40) || category.emoji.trim().is_empty() {
            problems.push((
                format!("categories/{i}"),
                "a name of 1 to 40 characters and an emoji".into(),
            ));
        }
    }
    if file.questions.len() < TRIVIA_QUESTIONS_MIN || file.questions.len() > usize::from(u16::MAX) {
        problems.push((
            "questions".into(),
            format!("needs at least {TRIVIA_QUESTIONS_MIN} questions"),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, q) in file.questions.iter().enumerate() {
        let entry = format!("questions/{i}");
        if !ids.contains(q.category.as_str()) {
            problems.push((entry.clone(), format!("unknown category `{}`", q.category)));
        }
        if !clean(&q.question, TRIVIA_QUESTION_MAX_CHARS) {
            problems.push((
                entry.clone(),
                "a question of 1 to 300 characters, no mention or link".into(),
            ));
        }
        if !seen.insert(q.question.trim().to_lowercase()) {
            problems.push((entry.clone(), "asked twice".into()));
        }
        let distinct: std::collections::BTreeSet<String> =
            q.options.iter().map(|o| o.trim().to_lowercase()).collect();
        if q.options.len() != 4
            || distinct.len() != 4
            || !q.options.iter().all(|o| clean(o, TRIVIA_OPTION_MAX_CHARS))
        {
            problems.push((
                entry.clone(),
                "four different options of 1 to 70 characters".into(),
            ));
        }
        if q.answer >= 4 {
            problems.push((entry, "the answer is an option's index, 0 to 3".into()));
        }
    }
    for category in &file.categories {
        let n = file.pool(Some(&category.id)).len();
        if n < TRIVIA_PER_CATEGORY_MIN {
            problems.push((
                format!("categories/{}", category.id),
                format!("has {n} questions; needs at least {TRIVIA_PER_CATEGORY_MIN}"),
            ));
        }
    }
    problems
}
