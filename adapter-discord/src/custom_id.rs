//! The `custom_id` format of buttons, menus and forms: compact, versioned, self-contained.
//!
//! A component's id carries everything needed to rebuild its command (`1:act:<battle>:<turn>:
//! <action>:<target>`), so the adapter keeps no view state. Ids start with the format version
//! (`1`), then a verb that names the area the press belongs to (each area's `ids.rs` lists its
//! verbs and owns their fields; `areas.rs` routes by verb). A press with an unknown version,
//! verb or field is no press at all: the person is told the view expired, and nothing
//! happens. Views that belong to one person carry their owner's id, so a press by anyone else
//! gets a polite refusal; views that can go stale carry the minute they were drawn. Every id
//! is at most 100 characters (Discord's limit), checked by each area's tests.
//!
//! **API boundary:** ids already sent to Discord live on in old messages; change the format only
//! by adding a new version.

/// The format version written into every id.
pub const VERSION: &str = "1";

/// A press that can be written into a component's `custom_id`.
pub trait Encode {
    fn encode(&self) -> String;
}

/// The value a word stands for in a table of `(word, value)`.
pub fn parse<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    table.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

/// The word for a value in a table of `(word, value)`.
pub fn word<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(w, _)| w)
}

/// A 128-bit id field as ids print it: exactly 32 lowercase hex digits (anything else, a
/// shorter or upper-case spelling included, is no id).
pub fn hex_id<T: std::str::FromStr>(text: &str) -> Option<T> {
    (text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    .then(|| text.parse().ok())
    .flatten()
}

/// A number field: 1 to 20 ASCII digits that fit a u64 (no sign, no spaces).
pub fn number(text: &str) -> Option<u64> {
    (!text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// An id's verb and the fields after it; `None` for another version or no verb.
pub fn split(id: &str) -> Option<(&str, Vec<&str>)> {
    let mut parts = id.split(':');
    if parts.next()? != VERSION {
        return None;
    }
    let verb = parts.next()?;
    Some((verb, parts.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_version_with_a_verb_splits() {
        assert_eq!(split("1:keep:7"), Some(("keep", vec!["7"])));
        assert_eq!(split("1:clr:go:"), Some(("clr", vec!["go", ""])));
        for id in ["", "1", "2:keep:1", "keep:1"] {
            assert_eq!(split(id), None, "{id}");
        }
    }
}
