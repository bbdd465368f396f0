//! The recruit area's content: recruitment message templates (`engine/content/recruit.json`),
//! and filling one in for a recipient.
//!
//! A template may name the recipient's leader (`{leader}`) and the recruiting alliance
//! (`{alliance}`). Names are cut to [`NAME_MAX_CHARS`] when filled, and the content check
//! measures every template with both names at that length, so a filled subject always fits the
//! endpoint's 50 characters and a body [`BODY_MAX_CHARS`]. The names are passed in by the
//! adapter from its fetch and settings; they never reach an event.

use serde::{Deserialize, Serialize};

/// The send endpoint refuses longer subjects.
pub const SUBJECT_MAX_CHARS: usize = 50;
/// The longest body a filled template may have (the endpoint documents no limit; the original
/// bot cut at 900, in-game messages are far longer).
pub const BODY_MAX_CHARS: usize = 1_500;
/// A name filled into a template is cut to this many characters.
pub const NAME_MAX_CHARS: usize = 30;
/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &["{leader}", "{alliance}"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecruitTemplate {
    /// Stable number (recorded in `Attempted`); never reused for another text.
    pub id: u16,
    /// Plain ASCII; at most 50 characters once filled.
    pub subject: String,
    /// Plain ASCII text (no HTML); must greet the recipient with `{leader}`.
    pub body: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecruitFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub templates: Vec<RecruitTemplate>,
}

/// A name as it goes into a message: trimmed, cut to [`NAME_MAX_CHARS`], never empty.
fn name(text: &str, fallback: &str) -> String {
    let trimmed = text.trim();
    let text = if trimmed.is_empty() {
        fallback
    } else {
        trimmed
    };
    text.chars().take(NAME_MAX_CHARS).collect()
}

/// The template filled in for a recipient: `(subject, body)`.
pub fn fill(template: &RecruitTemplate, leader: &str, alliance: &str) -> (String, String) {
    let leader = name(leader, "Commander");
    let alliance = name(alliance, "our alliance");
    let apply = |text: &str| {
        text.replace("{leader}", &leader)
            .replace("{alliance}", &alliance)
    };
    (apply(&template.subject), apply(&template.body))
}

/// What is wrong with one template, as `(field, problem)`.
pub fn check(template: &RecruitTemplate) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let longest = "X".repeat(NAME_MAX_CHARS);
    let (subject, body) = fill(template, &longest, &longest);
    if template.id == 0 {
        problems.push(("id", "ids start at 1".to_string()));
    }
    for (field, text, filled, max) in [
        ("subject", &template.subject, &subject, SUBJECT_MAX_CHARS),
        ("body", &template.body, &body, BODY_MAX_CHARS),
    ] {
        if text.trim().is_empty() {
            problems.push((field, "is empty".to_string()));
        }
        if filled.chars().count() > max {
            problems.push((
                field,
                format!(
                    "is {} characters with the longest names filled in; at most {max}",
                    filled.chars().count()
                ),
            ));
        }
        if !text.is_ascii() || text.contains('<') || text.contains('>') {
            problems.push((field, "must be plain ASCII text without HTML".to_string()));
        }
        if filled.contains('{') || filled.contains('}') {
            problems.push((
                field,
                format!(
                    "uses a placeholder other than {}",
                    PLACEHOLDERS.join(" and ")
                ),
            ));
        }
    }
    if !template.body.contains("{leader}") {
        problems.push(("body", "must greet the recipient with {leader}".to_string()));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(subject: &str, body: &str) -> RecruitTemplate {
        RecruitTemplate {
            id: 1,
            subject: subject.to_string(),
            body: body.to_string(),
        }
    }

    #[test]
    fn names_are_cut_so_a_checked_subject_always_fits() {
        let t = template("{leader}, join us", "Hello {leader}.");
        assert!(check(&t).is_empty(), "{:?}", check(&t));
        let (subject, body) = fill(&t, &"N".repeat(200), &"A".repeat(200));
        assert!(subject.chars().count() <= SUBJECT_MAX_CHARS, "{subject}");
        assert_eq!(body, format!("Hello {}.", "N".repeat(NAME_MAX_CHARS)));
        let (_, body) = fill(&t, "   ", "");
        assert_eq!(body, "Hello Commander.");
    }

    #[test]
    fn broken_templates_are_named_field_by_field() {
        let long = template(&"S".repeat(51), "Hi {leader}");
        assert!(check(&long).iter().any(|(f, _)| *f == "subject"));
        let html = template("Hi", "<b>Hi</b> {leader}");
        assert!(check(&html)
            .iter()
            .any(|(f, p)| *f == "body" && p.contains("HTML")));
        let unknown = template("Hi {nation}", "Hi {leader}");
        assert!(check(&unknown)
            .iter()
            .any(|(f, p)| *f == "subject" && p.contains("placeholder")));
        let no_greeting = template("Hi", "Hello there");
        assert!(check(&no_greeting).iter().any(|(f, _)| *f == "body"));
        let tight = template("{leader} and {alliance}", "Hi {leader}");
        assert!(
            !check(&tight).is_empty(),
            "30 + 5 + 30 = 65 > 50 must be refused"
        );
    }
}
