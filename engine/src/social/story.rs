//! Roasts and compliments by a model: what it is asked (the kind, category and style, and one
//! line of this project's own as the tone to match; never a name, since it calls the person
//! `{target}`), how its answer is made safe to record and show, and the check the rule makes
//! again before the words go into an event.
//!
//! The adapter asks before the command and the command carries the words, like any other input:
//! a replay reads them from the event and never asks again. Without a model, or when it fails,
//! the line comes from the book as always.

use crate::content;
use crate::social::TalkKind;

/// The longest words a model's roast or compliment may leave in an event.
pub const WORDS_MAX_CHARS: usize = 600;

/// The placeholder the words call the person by; the adapter fills it with a mention.
pub const TARGET: &str = "{target}";

/// What a model is asked for a `kind` line about someone (system message, user message), or
/// `None` when `kind` is not about anyone or the category or style is not in the book (the rule
/// then refuses the command as it would without a model).
pub fn prompt(kind: TalkKind, pool: Option<&str>, style: Option<&str>) -> Option<(String, String)> {
    if !kind.is_about() {
        return None;
    }
    let pools = content::get().social.styled(kind);
    let category = match pool {
        Some(id) => Some(pools.iter().find(|p| p.id == id)?),
        None => None,
    };
    if let Some(style) = style {
        if !pools.iter().any(|p| p.styles.contains_key(style)) {
            return None;
        }
    }
    let word = kind.word();
    let system = format!(
        "You write one {word} for players of a Transformers-themed game on Discord. One to \
         three sentences, at most 60 words, in English; no lists, no markdown, no links, no \
         mentions, no emoji. Call the person {TARGET}, exactly so, once, and never invent a \
         name. Keep it good-natured: tease or praise them as a Cybertronian (their circuits, \
         their transformations, their battles), never their body, identity or real life."
    );
    let example = category
        .into_iter()
        .chain(pools.iter())
        .flat_map(|p| {
            p.styles
                .iter()
                .filter(|(s, _)| style.is_none_or(|want| s.as_str() == want))
                .flat_map(|(_, lines)| lines.first())
        })
        .next();
    let mut user = format!(
        "Category: {}. Style: {}.",
        category.map_or("any you like", |p| p.name.as_str()),
        style.map_or_else(|| "any you like".to_string(), |s| s.replace('_', " ")),
    );
    if let Some(example) = example {
        user.push_str(&format!(" A line in the tone wanted: \"{example}\"."));
    }
    user.push_str(&format!(" Write a new {word}, only the {word} itself."));
    Some((system, user))
}

/// A model's answer made safe: no mentions, links, code or markup, no placeholder but
/// `{target}`, at most [`WORDS_MAX_CHARS`]. Empty when nothing usable is left.
pub fn sanitize(text: &str) -> String {
    let clean = crate::rpg::story::sanitize_keeping(
        text.trim().trim_matches('"'),
        &[TARGET],
        WORDS_MAX_CHARS,
    );
    clean.trim_matches('"').trim().to_string()
}

/// Whether `text` may be recorded as a model's words: what [`sanitize`] leaves.
pub fn is_valid_words(text: &str) -> bool {
    let n = text.chars().count();
    (1..=WORDS_MAX_CHARS).contains(&n)
        && text.trim() == text
        && !text.contains(['@', '`', '<', '>'])
        && !text.contains("](")
        && !text.contains("://")
        && text
            .replace(TARGET, "")
            .chars()
            .all(|c| c != '{' && c != '}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roast_prompt_names_no_one_and_unknown_categories_ask_nothing() {
        let roasts = content::get().social.styled(TalkKind::Roast);
        let pool = &roasts[0];
        let style = pool.styles.keys().next().map(String::as_str);
        let (system, user) = prompt(TalkKind::Roast, Some(&pool.id), style).expect("a prompt");
        assert!(
            system.contains("{target}") && system.contains("roast"),
            "{system}"
        );
        assert!(user.contains(&pool.name), "{user}");
        assert!(prompt(TalkKind::Roast, None, None).is_some());
        assert!(prompt(TalkKind::Compliment, Some("no_such_pool"), None).is_none());
        assert!(prompt(TalkKind::Compliment, None, Some("no_such_style")).is_none());
        assert!(prompt(TalkKind::Joke, None, None).is_none());
    }

    #[test]
    fn answers_are_made_safe_and_checked() {
        let clean =
            sanitize("\"Sure! {target} transforms @everyone into a {toaster} <@1> https://x.y\"");
        assert_eq!(clean, "{target} transforms everyone into a toaster 1");
        assert!(is_valid_words(&clean));
        assert!(!is_valid_words(""));
        assert!(!is_valid_words("hi @here"));
        assert!(!is_valid_words("{lead} is slow"));
        assert!(!is_valid_words(&"a".repeat(WORDS_MAX_CHARS + 1)));
        assert!(sanitize(&"Slow. ".repeat(300)).chars().count() <= WORDS_MAX_CHARS);
    }
}
