//! The fun area's presses: none. Its replies carry no buttons, so every id is no press.

use crate::custom_id::Encode;

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &[];

/// The fun area has no buttons; this type has no values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {}

impl Encode for Press {
    fn encode(&self) -> String {
        match *self {}
    }
}

impl Press {
    /// No id is a fun press.
    pub fn decode(_verb: &str, _rest: &[&str]) -> Option<Press> {
        None
    }

    pub fn owner(&self) -> Option<u64> {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_id_is_a_fun_press() {
        for (verb, rest) in [("hello", &[][..]), ("ping", &["1"][..]), ("", &[][..])] {
            assert_eq!(Press::decode(verb, rest), None);
        }
        assert!(VERBS.is_empty());
    }
}
