//! The storyteller's pure parts: the offline storyteller (a segment's words from this project's
//! templates, by the lines its brief names), what a model is asked (facts only), and the
//! sanitizer every model answer goes through before it may be recorded.
//!
//! Texts keep `{party}` and `{lead}`: the adapter fills them with the characters' names from
//! the erasable store when it draws, so no name reaches an event or a model.

use crate::content;
use crate::rpg::tuning::NARRATION_MAX_CHARS;
use crate::rpg::{AdventureKind, Brief, Line, Moment, Pool, SegmentPlan};

/// One sentence of the tales, or `None` if the content no longer has it.
pub fn line(line: Line) -> Option<&'static str> {
    let tales = &content::get().rpg.tales;
    let pool = match line.pool {
        Pool::Opening => &tales.openings,
        Pool::Complication => &tales.complications,
        Pool::BattleIntro => &tales.battle_intros,
        Pool::Hook => &tales.chapter_hooks,
        Pool::Closing => &tales.closings,
        Pool::Victory => &tales.victories,
        Pool::Defeat => &tales.defeats,
    };
    pool.get(usize::from(line.index)).map(String::as_str)
}

/// An enemy's name, by its id.
pub fn enemy_name(enemy: &str) -> &str {
    content::get()
        .enemies
        .get(enemy)
        .map_or(enemy, |def| def.name.as_str())
}

/// Fills the placeholders the storyteller knows (the place and the enemy), leaving `{party}`
/// and `{lead}` for the adapter.
pub fn fill_scene(text: &str, place: &str, enemy: &str) -> String {
    text.replace("{place}", place).replace("{enemy}", enemy)
}

/// The offline storyteller: the brief's lines, the segment's own scene, and (for a
/// chronicle) a teaser of what comes next.
pub fn offline(brief: &Brief) -> String {
    let rpg = &content::get().rpg;
    let enemy = match &brief.plan {
        SegmentPlan::Battle { enemy, .. } => enemy_name(enemy),
        _ => "",
    };
    let mut parts: Vec<String> = Vec::new();
    let hooks: Vec<&Line> = brief
        .lines
        .iter()
        .filter(|l| l.pool == Pool::Hook)
        .collect();
    for l in brief.lines.iter().filter(|l| l.pool != Pool::Hook) {
        if let Some(text) = line(*l) {
            parts.push(fill_scene(text, &brief.place, enemy));
        }
    }
    match &brief.plan {
        SegmentPlan::Event { challenge, .. } => {
            if let Some(c) = rpg.challenges.get(challenge) {
                parts.push(fill_scene(&c.scene, &brief.place, enemy));
            }
        }
        SegmentPlan::Story { crossroad } => {
            if let Some(c) = rpg.crossroads.get(crossroad) {
                parts.push(fill_scene(&c.scene, &brief.place, enemy));
            }
        }
        SegmentPlan::Battle { .. } => {}
    }
    for l in hooks {
        if let Some(text) = line(*l) {
            parts.push(format!(
                "Coming next: {}",
                fill_scene(text, &brief.place, enemy)
            ));
        }
    }
    let text = parts.join(" ");
    cut(&text, NARRATION_MAX_CHARS)
}

/// What a chat-completion model is asked for a segment: a system message and a user message,
/// holding only facts (classes, factions, levels, the place, the subject, the last moments).
pub fn prompt(brief: &Brief) -> (String, String) {
    let rpg = &content::get().rpg;
    let system = format!(
        "You narrate a Transformers-style science-fiction role-playing game on Cybertron. \
         Write one vivid paragraph of 80 to 140 words in English, present tense, no lists, no \
         markdown, no links, no mentions. Call the group {{party}} and its first member \
         {{lead}}, exactly so, and never invent names for them. Do not decide how the scene \
         ends; stop where the players must act. At most {NARRATION_MAX_CHARS} characters."
    );
    let seats: Vec<String> = brief
        .seats
        .iter()
        .map(|seat| {
            let class = rpg
                .classes
                .get(&seat.class)
                .map_or(seat.class.as_str(), |c| c.name.as_str());
            format!("a level {} {:?} {}", seat.level, seat.faction, class)
        })
        .collect();
    let subject = match &brief.plan {
        SegmentPlan::Event { challenge, .. } => {
            rpg.challenges.get(challenge).map_or_else(String::new, |c| {
                format!(
                    "A {} skill challenge, \"{}\": {}",
                    c.difficulty.label(),
                    c.title,
                    c.scene
                )
            })
        }
        SegmentPlan::Story { crossroad } => {
            rpg.crossroads.get(crossroad).map_or_else(String::new, |c| {
                let choices: Vec<&str> = c.choices.iter().map(|ch| ch.label.as_str()).collect();
                format!(
                    "A crossroads: {} The party will vote between: {}.",
                    c.scene,
                    choices.join("; ")
                )
            })
        }
        SegmentPlan::Battle { enemy, .. } => {
            format!("A battle is about to begin against {}.", enemy_name(enemy))
        }
    };
    let moments: Vec<String> = brief.moments.iter().map(describe_moment).collect();
    let mut user = format!(
        "Adventure kind: {}. Segment {}. Place: {}. The party: {}.\n{}",
        brief.kind.label(),
        brief.segment + 1,
        brief.place,
        seats.join(", "),
        subject
    );
    if !moments.is_empty() {
        user.push_str(&format!("\nEarlier: {}", moments.join(" ")));
    }
    if brief.kind == AdventureKind::Chronicle {
        user.push_str("\nEnd with one sentence hinting at the next chapter.");
    }
    (system, user)
}

/// A past moment in a sentence, for a model's context.
pub fn describe_moment(moment: &Moment) -> String {
    let rpg = &content::get().rpg;
    match moment {
        Moment::Challenge { challenge, success } => {
            let title = rpg
                .challenges
                .get(challenge)
                .map_or(challenge.as_str(), |c| c.title.as_str());
            let how = if *success { "overcame" } else { "failed" };
            format!("The party {how} \"{title}\".")
        }
        Moment::Story { crossroad, choice } => {
            let label = rpg
                .crossroads
                .get(crossroad)
                .and_then(|c| c.choices.get(usize::from(*choice)))
                .map_or("a path", |c| c.label.as_str());
            format!("The party chose: {label}.")
        }
        Moment::Battle { enemy, won } => {
            let how = if *won { "defeated" } else { "fell to" };
            format!("The party {how} {}.", enemy_name(enemy))
        }
    }
}

/// Makes a model's answer safe to record and show: no mentions, links, code or markup, no
/// placeholder but `{party}` and `{lead}`, no chatty preamble, whitespace folded, and at most
/// `NARRATION_MAX_CHARS` characters, cut after a sentence where possible. Empty when nothing
/// usable is left (the worker then falls back to the offline storyteller).
pub fn sanitize(text: &str) -> String {
    sanitize_keeping(text, &["{party}", "{lead}"], NARRATION_MAX_CHARS)
}

/// [`sanitize`] with other placeholders kept (`keep`) and another bound (`max` characters):
/// what every model answer goes through, whatever area asked for it.
pub fn sanitize_keeping(text: &str, keep: &[&str], max: usize) -> String {
    let mut out = String::with_capacity(text.len());
    // Markdown links keep their words: `[words](target)` becomes `words`.
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match (after.find(']'), after.find("](")) {
            (Some(close), Some(link)) if close == link => {
                out.push_str(&after[..close]);
                let target = &after[close + 2..];
                rest = match target.find(')') {
                    Some(end) => &target[end + 1..],
                    None => "",
                };
            }
            _ => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let words: Vec<String> = out
        .split_whitespace()
        .filter(|word| !word.contains("://") && !word.starts_with("www."))
        .map(|word| {
            let kept: String = word
                .chars()
                .filter(|c| !matches!(c, '@' | '`' | '*' | '_' | '~' | '|' | '#' | '>' | '<'))
                .collect();
            strip_braces(&kept, keep)
        })
        .filter(|word| !word.is_empty())
        .collect();
    let mut text = words.join(" ");
    for preamble in [
        "Of course!",
        "Of course.",
        "Of course,",
        "Sure!",
        "Sure,",
        "Certainly!",
        "Certainly,",
        "Here is the narration:",
        "Here's the narration:",
        "Here you go:",
        "Here's one:",
    ] {
        if let Some(stripped) = text.strip_prefix(preamble) {
            text = stripped.trim_start().to_string();
        }
    }
    cut(&text, max)
}

/// Keeps the placeholders in `keep`, drops every other brace.
fn strip_braces(word: &str, keep: &[&str]) -> String {
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open].replace('}', ""));
        let after = &rest[open..];
        if let Some(token) = keep.iter().find(|t| after.starts_with(**t)) {
            out.push_str(token);
            rest = &after[token.len()..];
        } else {
            rest = &after[1..];
        }
    }
    out.push_str(&rest.replace('}', ""));
    out
}

/// At most `max` characters: cut after the last full sentence that fits, else at a word, with
/// an ellipsis.
pub fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let prefix: String = text.chars().take(max).collect();
    if let Some(end) = prefix.rfind(['.', '!', '?']) {
        if end > max / 2 {
            return prefix[..=end].to_string();
        }
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

/// Fills `{party}` and `{lead}` with names (the adapter's last step before drawing).
pub fn fill_names(text: &str, party: &str, lead: &str) -> String {
    text.replace("{party}", party).replace("{lead}", lead)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_what_discord_would_act_on() {
        let dirty = "Of course! @everyone [click](https://x.y) **bold** `code` {name} {party} <@1> see https://evil";
        let clean = sanitize(dirty);
        assert!(!clean.contains('@'), "{clean}");
        assert!(!clean.contains("://"), "{clean}");
        assert!(!clean.contains('`') && !clean.contains('*'), "{clean}");
        assert!(clean.contains("click"), "{clean}");
        assert!(clean.contains("{party}"), "{clean}");
        assert!(!clean.contains("{name}"), "{clean}");
        assert!(!clean.starts_with("Of course"), "{clean}");
        assert!(crate::rpg::rules::is_valid_narration(&clean));
    }

    #[test]
    fn cut_keeps_whole_sentences_within_the_limit() {
        let long = "One two three. ".repeat(200);
        let cut_text = cut(&long, NARRATION_MAX_CHARS);
        assert!(cut_text.chars().count() <= NARRATION_MAX_CHARS);
        assert!(cut_text.ends_with('.'));
        let words = "word ".repeat(400);
        let cut_words = cut(&words, 50);
        assert!(cut_words.chars().count() <= 50 && cut_words.ends_with('…'));
    }
}
