//! The market's content: news buckets (`engine/content/market_news.json`) and dated holidays
//! (`engine/content/market_holidays.json`). A tick records which bucket, holiday and line it
//! drew (by id and index) and the multiplier it applied, so the price never depends on the
//! content after the fact; the lines are only shown.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// The longest line, so that a headline always fits an embed field with its decorations.
pub const LINE_MAX_CHARS: usize = 200;
/// Fewest lines in all the news buckets together.
pub const NEWS_LINES_MIN: usize = 200;
/// Fewest holidays.
pub const HOLIDAYS_MIN: usize = 30;
/// Fewest lines on each side (surge, crash) of a holiday.
pub const HOLIDAY_LINES_MIN: usize = 3;
/// The news buckets' weighted mean multiplier must be within this of 1 (basis points): news
/// moves the price, it doesn't make holding pay on average.
pub const NEWS_MEAN_TOLERANCE_BP: u64 = 50;

/// A kind of news: how often it comes, how far it moves the price, how long it stays in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsBucket {
    /// Stable id, recorded in `NewsStarted`.
    pub id: String,
    pub name: String,
    /// Relative chance among the buckets.
    pub weight: u32,
    /// The multiplier drawn uniformly in this range, in basis points (10,000 leaves the price).
    pub multiplier_bp: [u32; 2],
    /// Ticks the news stays in force, the one it starts at included (no other news meanwhile).
    pub duration_ticks: u32,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub buckets: Vec<NewsBucket>,
}

/// A dated holiday: on its first tick the price swings up or down (even odds) by a percentage
/// drawn in `swing_pct`, with a line from the matching side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// Stable id, recorded in `HolidayStarted`.
    pub id: String,
    pub name: String,
    pub month: u8,
    pub day: u8,
    pub emoji: String,
    pub swing_pct: [u32; 2],
    pub surge: Vec<String>,
    pub crash: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidaysFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub holidays: Vec<Holiday>,
}

/// Every problem with the two files: `(entry, problem)`.
pub fn check(news: &NewsFile, holidays: &HolidaysFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut seen_lines = BTreeSet::new();
    let mut line_check = |entry: &str, line: &str, problems: &mut Vec<(String, String)>| {
        let chars = line.chars().count();
        if line.trim().is_empty() || chars > LINE_MAX_CHARS {
            problems.push((
                entry.to_string(),
                format!("a line must have 1 to {LINE_MAX_CHARS} characters: {line:?}"),
            ));
        }
        if line.contains(['*', '_', '`', '~', '|', '@']) {
            problems.push((
                entry.to_string(),
                format!("markdown or mention characters in {line:?}"),
            ));
        }
        if !seen_lines.insert(line.to_string()) {
            problems.push((entry.to_string(), format!("duplicate line {line:?}")));
        }
    };
    let mut ids = BTreeSet::new();
    let mut lines = 0;
    let (mut weight_total, mut weighted_mean) = (0u64, 0u64);
    for bucket in &news.buckets {
        let entry = format!("bucket {}", bucket.id);
        if !ids.insert(bucket.id.as_str()) {
            problems.push((entry.clone(), "duplicate id".into()));
        }
        let [low, high] = bucket.multiplier_bp;
        if low == 0 || low > high {
            problems.push((
                entry.clone(),
                "multiplier range must be 0 < low <= high".into(),
            ));
        }
        if bucket.weight == 0 || bucket.duration_ticks == 0 {
            problems.push((entry.clone(), "weight and duration must be positive".into()));
        }
        if bucket.lines.is_empty() || bucket.lines.len() > usize::from(u16::MAX) {
            problems.push((entry.clone(), "needs lines".into()));
        }
        for line in &bucket.lines {
            line_check(&entry, line, &mut problems);
        }
        lines += bucket.lines.len();
        weight_total += u64::from(bucket.weight);
        weighted_mean += u64::from(bucket.weight) * (u64::from(low) + u64::from(high)) / 2;
    }
    if news.buckets.is_empty() || news.buckets.len() > usize::from(u8::MAX) {
        problems.push(("buckets".into(), "needs 1 to 255 buckets".into()));
    } else {
        let mean = weighted_mean / weight_total.max(1);
        if mean.abs_diff(10_000) > NEWS_MEAN_TOLERANCE_BP {
            problems.push((
                "buckets".into(),
                format!("the weighted mean multiplier is {mean} bp; it must be 10000 ± {NEWS_MEAN_TOLERANCE_BP}"),
            ));
        }
    }
    if lines < NEWS_LINES_MIN {
        problems.push((
            "buckets".into(),
            format!("{lines} lines in all; at least {NEWS_LINES_MIN} are needed"),
        ));
    }
    let mut ids = BTreeSet::new();
    let mut dates = BTreeSet::new();
    for holiday in &holidays.holidays {
        let entry = format!("holiday {}", holiday.id);
        if !ids.insert(holiday.id.as_str()) {
            problems.push((entry.clone(), "duplicate id".into()));
        }
        let valid_date =
            chrono::NaiveDate::from_ymd_opt(2025, holiday.month.into(), holiday.day.into())
                .is_some();
        if !valid_date {
            problems.push((entry.clone(), "not a date in every year".into()));
        }
        if !dates.insert((holiday.month, holiday.day)) {
            problems.push((entry.clone(), "another holiday has this date".into()));
        }
        if holiday.name.trim().is_empty() || holiday.name.chars().count() > 40 {
            problems.push((entry.clone(), "name must have 1 to 40 characters".into()));
        }
        if holiday.emoji.trim().is_empty() || holiday.emoji.chars().count() > 2 {
            problems.push((entry.clone(), "emoji must be one emoji".into()));
        }
        let [low, high] = holiday.swing_pct;
        if low == 0 || low > high || high > 50 {
            problems.push((entry.clone(), "swing must be 0 < low <= high <= 50".into()));
        }
        for side in [&holiday.surge, &holiday.crash] {
            if side.len() < HOLIDAY_LINES_MIN || side.len() > usize::from(u16::MAX) {
                problems.push((
                    entry.clone(),
                    format!("each side needs at least {HOLIDAY_LINES_MIN} lines"),
                ));
            }
            for line in side {
                line_check(&entry, line, &mut problems);
            }
        }
    }
    if holidays.holidays.len() < HOLIDAYS_MIN || holidays.holidays.len() > usize::from(u16::MAX) {
        problems.push((
            "holidays".into(),
            format!(
                "{} holidays; at least {HOLIDAYS_MIN} are needed",
                holidays.holidays.len()
            ),
        ));
    }
    problems
}
