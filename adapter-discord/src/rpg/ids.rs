//! The RPG's presses (see `custom_id.rs` for the format): a party's join, leave, start and
//! stop buttons, a challenge's five approaches, a story's three votes, the way into a battle
//! segment, and a character deletion's confirm and cancel. Adventure buttons are anyone's (the
//! engine checks membership and who formed the party); the deletion's are its owner's.
//! Decoding is strict: anything malformed is no press at all.

use allspark_engine::rpg::Stat;

use crate::custom_id::{number, parse, word, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &[
    "rpj", "rpl", "rps", "rpx", "rpa", "rpv", "rpb", "rpk", "rpw", "rpf",
];

/// The five approaches' words in ids.
pub const STATS: &[(&str, Stat)] = &[
    ("att", Stat::Attack),
    ("def", Stat::Defense),
    ("dex", Stat::Dexterity),
    ("int", Stat::Intelligence),
    ("cha", Stat::Charisma),
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Join adventure `adventure` with the presser's strongest character.
    Join {
        adventure: u32,
    },
    Leave {
        adventure: u32,
    },
    Start {
        adventure: u32,
    },
    Stop {
        adventure: u32,
    },
    /// Take on segment `segment`'s challenge by `stat`.
    Approach {
        adventure: u32,
        segment: u8,
        stat: Stat,
    },
    /// Vote for choice `choice` (0 to 2) of segment `segment`.
    Vote {
        adventure: u32,
        segment: u8,
        choice: u8,
    },
    /// Open segment `segment`'s battle.
    Battle {
        adventure: u32,
        segment: u8,
    },
    /// Confirm (or cancel) deleting `owner`'s character `character`.
    Kill {
        owner: u64,
        character: u32,
        confirm: bool,
    },
    /// Show the adventure as it stands.
    Watch {
        adventure: u32,
    },
    /// Make an RPG character of `owner`'s spark (its name, faction and class).
    FromSpark {
        owner: u64,
    },
}

fn small(text: &str) -> Option<u32> {
    u32::try_from(number(text)?).ok()
}

fn segment(text: &str) -> Option<u8> {
    u8::try_from(number(text)?).ok()
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Join { adventure } => format!("{VERSION}:rpj:{adventure}"),
            Press::Leave { adventure } => format!("{VERSION}:rpl:{adventure}"),
            Press::Start { adventure } => format!("{VERSION}:rps:{adventure}"),
            Press::Stop { adventure } => format!("{VERSION}:rpx:{adventure}"),
            Press::Approach {
                adventure,
                segment,
                stat,
            } => format!("{VERSION}:rpa:{adventure}:{segment}:{}", word(STATS, *stat)),
            Press::Vote {
                adventure,
                segment,
                choice,
            } => format!("{VERSION}:rpv:{adventure}:{segment}:{choice}"),
            Press::Battle { adventure, segment } => {
                format!("{VERSION}:rpb:{adventure}:{segment}")
            }
            Press::Kill {
                owner,
                character,
                confirm,
            } => format!("{VERSION}:rpk:{owner}:{character}:{}", u8::from(*confirm)),
            Press::Watch { adventure } => format!("{VERSION}:rpw:{adventure}"),
            Press::FromSpark { owner } => format!("{VERSION}:rpf:{owner}"),
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("rpj", [a]) => Some(Press::Join {
                adventure: small(a)?,
            }),
            ("rpl", [a]) => Some(Press::Leave {
                adventure: small(a)?,
            }),
            ("rps", [a]) => Some(Press::Start {
                adventure: small(a)?,
            }),
            ("rpx", [a]) => Some(Press::Stop {
                adventure: small(a)?,
            }),
            ("rpw", [a]) => Some(Press::Watch {
                adventure: small(a)?,
            }),
            ("rpa", [a, s, stat]) => Some(Press::Approach {
                adventure: small(a)?,
                segment: segment(s)?,
                stat: parse(STATS, stat)?,
            }),
            ("rpv", [a, s, c]) => Some(Press::Vote {
                adventure: small(a)?,
                segment: segment(s)?,
                choice: segment(c).filter(|c| *c < 3)?,
            }),
            ("rpb", [a, s]) => Some(Press::Battle {
                adventure: small(a)?,
                segment: segment(s)?,
            }),
            ("rpf", [owner]) => Some(Press::FromSpark {
                owner: number(owner)?,
            }),
            ("rpk", [owner, c, confirm]) => Some(Press::Kill {
                owner: number(owner)?,
                character: small(c)?,
                confirm: match *confirm {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                },
            }),
            _ => None,
        }
    }

    /// Whose press it is (`None`: anyone's).
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::Kill { owner, .. } | Press::FromSpark { owner } => Some(*owner),
            Press::Join { .. }
            | Press::Leave { .. }
            | Press::Start { .. }
            | Press::Stop { .. }
            | Press::Approach { .. }
            | Press::Vote { .. }
            | Press::Battle { .. }
            | Press::Watch { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_id::split;

    fn round_trip(press: Press) {
        let id = press.encode();
        assert!(id.len() <= 100, "{id}");
        let (verb, rest) = split(&id).expect("an id of ours");
        assert_eq!(Press::decode(verb, &rest), Some(press), "{id}");
    }

    #[test]
    fn every_press_round_trips_within_discords_limit() {
        let adventure = u32::MAX;
        for press in [
            Press::Join { adventure },
            Press::Leave { adventure },
            Press::Start { adventure },
            Press::Stop { adventure },
            Press::Watch { adventure },
            Press::Battle {
                adventure,
                segment: u8::MAX,
            },
            Press::Kill {
                owner: u64::MAX,
                character: u32::MAX,
                confirm: true,
            },
            Press::FromSpark { owner: u64::MAX },
            Press::Kill {
                owner: 1,
                character: 2,
                confirm: false,
            },
        ] {
            round_trip(press);
        }
        for (_, stat) in STATS {
            round_trip(Press::Approach {
                adventure,
                segment: 11,
                stat: *stat,
            });
        }
        for choice in 0..3 {
            round_trip(Press::Vote {
                adventure,
                segment: 2,
                choice,
            });
        }
    }

    #[test]
    fn malformed_ids_are_no_press() {
        for id in [
            "1:rpa:1:0:luck",
            "1:rpv:1:0:3",
            "1:rpk:1:2:yes",
            "1:rpj:-1",
            "1:rpj:99999999999",
            "1:rpb:1",
            "1:rpw:1:2",
        ] {
            let (verb, rest) = split(id).expect("our format");
            assert_eq!(Press::decode(verb, &rest), None, "{id}");
        }
    }
}
