//! The slots area's press: spin again with the same difficulty and bet (see `custom_id.rs`
//! for the format). Decoding is strict: an unknown difficulty is no press at all.

use allspark_engine::slots::Difficulty;

use crate::custom_id::{Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["slots"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Spin again; a bet of 0 is a free spin.
    SlotsAgain {
        owner: u64,
        difficulty: Difficulty,
        bet: u64,
    },
}

/// Each difficulty's word, in ids and in `/slots difficulty:`.
pub const DIFFICULTIES: &[(&str, Difficulty)] = &[
    ("easy", Difficulty::Easy),
    ("medium", Difficulty::Medium),
    ("hard", Difficulty::Hard),
];

pub fn difficulty(word: &str) -> Option<Difficulty> {
    DIFFICULTIES
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, d)| *d)
}

pub fn difficulty_word(difficulty: Difficulty) -> &'static str {
    DIFFICULTIES
        .iter()
        .find(|(_, d)| *d == difficulty)
        .map_or("easy", |(w, _)| w)
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::SlotsAgain {
                owner,
                difficulty,
                bet,
            } => format!(
                "{VERSION}:slots:{owner}:{}:{bet}",
                difficulty_word(*difficulty)
            ),
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("slots", [owner, word, bet]) => Some(Press::SlotsAgain {
                owner: owner.parse().ok()?,
                difficulty: difficulty(word)?,
                bet: bet.parse().ok()?,
            }),
            _ => None,
        }
    }

    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::SlotsAgain { owner, .. } => Some(*owner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_id::split;

    fn decode(id: &str) -> Option<Press> {
        let (verb, rest) = split(id)?;
        Press::decode(verb, &rest)
    }

    #[test]
    fn the_press_round_trips_and_unknown_difficulties_are_refused() {
        for (_, difficulty) in DIFFICULTIES {
            let press = Press::SlotsAgain {
                owner: u64::MAX,
                difficulty: *difficulty,
                bet: 1_000,
            };
            let id = press.encode();
            assert!(id.len() <= 100);
            assert_eq!(decode(&id), Some(press), "{id}");
        }
        for id in ["1:slots:1:insane:5", "1:slots:1:easy", "1:slots:1:easy:-5"] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
