//! WalkTru's stories as content (`engine/content/walktru.json`) and the validator that proves
//! each story graph sound before the engine opens: every next stage exists, every stage and
//! every ending can be reached, no path loops (so every path ends in an ending), every meter
//! starts inside its bounds and no change can step over them, and every text fits Discord.
//! (The original crashed on stages its stories pointed at but never wrote.)

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The stories, in the order `/walktru` offers them.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub stories: Vec<Story>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// The genre: lowercase letters, at most [`KEY_MAX`].
    pub id: String,
    pub title: String,
    pub emoji: String,
    pub intro: String,
    pub meter: Meter,
    /// The first stage's key.
    pub start: String,
    /// The ending when the meter reaches its losing bound.
    pub meter_loss: String,
    pub stages: BTreeMap<String, Stage>,
    pub endings: BTreeMap<String, Ending>,
}

/// The story's meter (fear, heat, honor, power, health, mana).
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meter {
    pub name: String,
    pub emoji: String,
    pub start: i32,
    pub min: i32,
    pub max: i32,
    /// Which bound loses the story.
    pub lose_at: Bound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    Min,
    Max,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub text: String,
    /// One to three (they are buttons 1 to 3).
    pub choices: Vec<Choice>,
    /// A chance (percent) that any choice here ends the story at once.
    #[serde(default)]
    pub total_failure: Option<TotalFailure>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub label: String,
    /// The chance of success, in percent (1 to 100).
    pub chance: u8,
    pub success: Outcome,
    pub failure: Outcome,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub text: String,
    /// A stage's key or an ending's.
    pub next: String,
    /// What it does to the meter.
    pub change: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TotalFailure {
    /// In percent (1 to 50).
    pub chance: u8,
    pub text: String,
    pub ending: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub title: String,
    pub text: String,
    pub kind: EndingKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndingKind {
    Victory,
    Survival,
    Defeat,
}

/// The six genres, in order.
pub const GENRES: [&str; 6] = ["horror", "gangster", "knight", "robot", "western", "wizard"];
/// The fewest stages and endings a story has.
pub const STAGES_MIN: usize = 20;
pub const ENDINGS_MIN: usize = 3;
/// The longest stage or ending key (it rides in button ids).
pub const KEY_MAX: usize = 24;
/// Text limits: a stage's text, an outcome's, a choice's label (a button's, with its number).
pub const STAGE_MAX_CHARS: usize = 600;
pub const OUTCOME_MAX_CHARS: usize = 300;
pub const LABEL_MAX_CHARS: usize = 70;

impl WalkFile {
    pub fn story(&self, id: &str) -> Option<&Story> {
        self.stories.iter().find(|s| s.id == id)
    }
}

impl Meter {
    /// `value` moved by `change`, kept inside the bounds.
    pub fn apply(&self, value: i32, change: i32) -> i32 {
        value.saturating_add(change).clamp(self.min, self.max)
    }

    /// Whether `value` is the losing bound.
    pub fn lost(&self, value: i32) -> bool {
        match self.lose_at {
            Bound::Min => value <= self.min,
            Bound::Max => value >= self.max,
        }
    }

    /// How far `value` has gone toward the losing bound, in percent (0: safest).
    pub fn danger_percent(&self, value: i32) -> u8 {
        let span = i64::from(self.max) - i64::from(self.min);
        if span <= 0 {
            return 0;
        }
        let toward = match self.lose_at {
            Bound::Max => i64::from(value) - i64::from(self.min),
            Bound::Min => i64::from(self.max) - i64::from(value),
        };
        u8::try_from((toward.clamp(0, span) * 100) / span).unwrap_or(100)
    }
}

fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= KEY_MAX
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn text_ok(text: &str, max: usize) -> bool {
    !text.trim().is_empty()
        && text.chars().count() <= max
        && !text.contains('@')
        && !text.contains("http")
}

/// Every problem with the stories, as (entry, problem).
pub fn check(file: &WalkFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let ids: Vec<&str> = file.stories.iter().map(|s| s.id.as_str()).collect();
    if ids != GENRES {
        problems.push((
            "stories".into(),
            format!("needs the six genres in order: {}", GENRES.join(", ")),
        ));
    }
    for story in &file.stories {
        check_story(story, &mut problems);
    }
    problems
}

fn check_story(story: &Story, problems: &mut Vec<(String, String)>) {
    let id = &story.id;
    let mut problem = |entry: String, text: &str| problems.push((entry, text.to_string()));
    if !text_ok(&story.title, 80) || !text_ok(&story.intro, STAGE_MAX_CHARS) {
        problem(
            id.to_string(),
            "a title of 1 to 80 characters and an intro of 1 to 600",
        );
    }
    if story.stages.len() < STAGES_MIN {
        problem(format!("{id}/stages"), "needs at least 20 stages");
    }
    if story.endings.len() < ENDINGS_MIN {
        problem(format!("{id}/endings"), "needs at least 3 endings");
    }
    let kinds: BTreeSet<_> = story.endings.values().map(|e| e.kind as u8).collect();
    if !kinds.contains(&(EndingKind::Victory as u8)) || !kinds.contains(&(EndingKind::Defeat as u8))
    {
        problem(format!("{id}/endings"), "needs a victory and a defeat");
    }
    let meter = &story.meter;
    if meter.min >= meter.max
        || !(meter.min..=meter.max).contains(&meter.start)
        || meter.lost(meter.start)
    {
        problem(
            format!("{id}/meter"),
            "the meter starts within its bounds, not on the losing one",
        );
    }
    let span = i64::from(meter.max) - i64::from(meter.min);
    if !story
        .endings
        .get(&story.meter_loss)
        .is_some_and(|e| e.kind == EndingKind::Defeat)
    {
        problem(format!("{id}/meter_loss"), "names a defeat ending");
    }
    if !story.stages.contains_key(&story.start) {
        problem(format!("{id}/start"), "names no stage");
    }
    for key in story.stages.keys().chain(story.endings.keys()) {
        if !key_ok(key) {
            problem(
                format!("{id}/{key}"),
                "a key of 1 to 24 lowercase letters, digits and _",
            );
        }
        if story.stages.contains_key(key) && story.endings.contains_key(key) {
            problem(format!("{id}/{key}"), "is both a stage and an ending");
        }
    }
    for (key, ending) in &story.endings {
        if !text_ok(&ending.title, 80) || !text_ok(&ending.text, STAGE_MAX_CHARS) {
            problem(format!("{id}/{key}"), "an ending's title and text fit");
        }
    }
    let exists = |next: &str| story.stages.contains_key(next) || story.endings.contains_key(next);
    for (key, stage) in &story.stages {
        let entry = format!("{id}/{key}");
        if !text_ok(&stage.text, STAGE_MAX_CHARS) {
            problem(entry.clone(), "a text of 1 to 600 characters");
        }
        if stage.choices.is_empty() || stage.choices.len() > 3 {
            problem(entry.clone(), "one to three choices");
        }
        if let Some(total) = &stage.total_failure {
            if !(1..=50).contains(&total.chance)
                || !text_ok(&total.text, OUTCOME_MAX_CHARS)
                || !story.endings.contains_key(&total.ending)
            {
                problem(
                    entry.clone(),
                    "a total failure of 1 to 50 % with a text, ending in an ending",
                );
            }
        }
        for (n, choice) in stage.choices.iter().enumerate() {
            let entry = format!("{id}/{key}/{}", n + 1);
            if !text_ok(&choice.label, LABEL_MAX_CHARS) || !(1..=100).contains(&choice.chance) {
                problem(
                    entry.clone(),
                    "a label of 1 to 70 characters and a chance of 1 to 100 %",
                );
            }
            for outcome in [&choice.success, &choice.failure] {
                if !exists(&outcome.next) {
                    problem(
                        entry.clone(),
                        &format!("leads to `{}`, which is no stage or ending", outcome.next),
                    );
                }
                if !text_ok(&outcome.text, OUTCOME_MAX_CHARS) {
                    problem(entry.clone(), "an outcome text of 1 to 300 characters");
                }
                if i64::from(outcome.change).abs() > span {
                    problem(
                        entry.clone(),
                        "a change larger than the meter's whole range",
                    );
                }
            }
        }
    }
    // Reachability from the start, over choices, total failures and the meter's loss.
    let mut reached = BTreeSet::new();
    let mut todo = vec![story.start.as_str()];
    while let Some(key) = todo.pop() {
        if !reached.insert(key) {
            continue;
        }
        if let Some(stage) = story.stages.get(key) {
            for choice in &stage.choices {
                todo.push(&choice.success.next);
                todo.push(&choice.failure.next);
            }
            if let Some(total) = &stage.total_failure {
                todo.push(&total.ending);
            }
        }
    }
    reached.insert(story.meter_loss.as_str());
    for key in story.stages.keys().chain(story.endings.keys()) {
        if !reached.contains(key.as_str()) {
            problem(format!("{id}/{key}"), "can never be reached from the start");
        }
    }
    // No loops: a depth-first walk that meets a stage still on its path found one.
    if let Some(key) = find_cycle(story) {
        problem(
            format!("{id}/{key}"),
            "is on a loop: a path through it might never end",
        );
    }
}

/// A stage on a loop of the story graph, if there is one.
fn find_cycle(story: &Story) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for root in story.stages.keys() {
        if marks.contains_key(root.as_str()) {
            continue;
        }
        // (stage, index of the next successor to look at)
        let mut stack: Vec<(&str, usize)> = vec![(root.as_str(), 0)];
        marks.insert(root, Mark::OnPath);
        while let Some((key, i)) = stack.pop() {
            let successors: Vec<&str> = story.stages.get(key).map_or(Vec::new(), |s| {
                s.choices
                    .iter()
                    .flat_map(|c| [c.success.next.as_str(), c.failure.next.as_str()])
                    .filter(|n| story.stages.contains_key(*n))
                    .collect()
            });
            match successors.get(i) {
                None => {
                    marks.insert(key, Mark::Done);
                }
                Some(next) => {
                    stack.push((key, i + 1));
                    match marks.get(next) {
                        Some(Mark::OnPath) => return Some((*next).to_string()),
                        Some(Mark::Done) => {}
                        None => {
                            marks.insert(next, Mark::OnPath);
                            stack.push((next, 0));
                        }
                    }
                }
            }
        }
    }
    None
}
