//! The social area's presses (see `custom_id.rs` for the format): tell another line of the same
//! kind, category, style and target, and answer the quiz (the answers so far, one digit each,
//! ride in the id). Both are the presser's own. Decoding is strict: anything malformed is no
//! press at all.

use allspark_engine::battle::BattleId;
use allspark_engine::social::TalkKind;

use allspark_engine::social::content::{POOL_ID_MAX, STYLE_ID_MAX};

use crate::custom_id::{hex_id, number, parse, word, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &[
    "tell", "qz", "prof", "bh", "bhp", "bst", "lform", "ll", "lpick", "lo", "ldel", "ldok",
];

/// The longest search a lore list's buttons carry.
pub const SEARCH_MAX: usize = 40;

/// Each kind's word, in ids.
pub const KINDS: &[(&str, TalkKind)] = &[
    ("joke", TalkKind::Joke),
    ("roast", TalkKind::Roast),
    ("compliment", TalkKind::Compliment),
    ("blessing", TalkKind::Blessing),
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Another line like the one shown (`None`: any category, any style).
    Again {
        owner: u64,
        kind: TalkKind,
        pool: Option<String>,
        style: Option<String>,
        about: Option<u64>,
    },
    /// The quiz, answered so far (answer indexes in question order; 1 to 5 of them).
    Quiz { owner: u64, answers: Vec<u8> },
    /// A tab of `player`'s profile, for whoever asked for it.
    Profile { owner: u64, player: u64, tab: Tab },
    /// A page of `player`'s battle history.
    History { owner: u64, player: u64, page: u32 },
    /// The history's picker: the chosen battle (the value) opens at its start.
    PickBattle { owner: u64 },
    /// A battle of the history after `turn` resolved turns; `button` tells the four
    /// stepping buttons apart (a message's ids must differ, and First and Previous may both
    /// lead to the start).
    Step {
        owner: u64,
        battle: BattleId,
        turn: u32,
        button: u8,
    },
    /// The `/add_lore` form (title and text), for whoever opened it.
    LoreForm { owner: u64 },
    /// Page `page` of the server's lore, titles matching `search` (`None`: all).
    LoreList {
        owner: u64,
        page: u32,
        search: Option<String>,
    },
    /// The lore list's picker: the chosen entry (the value) opens.
    LorePick { owner: u64 },
    /// Entry `number` of the server's lore, for anyone.
    LoreOpen { number: u32 },
    /// Delete entry `number`: asks first.
    LoreDelete { number: u32 },
    /// Delete entry `number`: confirmed by whoever asked.
    LoreDeleteConfirmed { owner: u64, number: u32 },
}

/// A search as a lore list's buttons carry it: lower-case letters and digits in words joined
/// by `_`, at most [`SEARCH_MAX`] characters (`None` when nothing is left).
pub fn search_field(search: &str) -> Option<String> {
    let words: Vec<String> = search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut joined = words.join("_");
    joined.truncate(SEARCH_MAX);
    let joined = joined.trim_end_matches('_').to_string();
    (!joined.is_empty()).then_some(joined)
}

/// The profile's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Identity,
    Pet,
    Battles,
    CyberCoin,
    Achievements,
    Combiner,
    Rpg,
}

/// Each tab's word in ids, in the order the buttons show them.
pub const TABS: &[(&str, Tab)] = &[
    ("id", Tab::Identity),
    ("pet", Tab::Pet),
    ("bat", Tab::Battles),
    ("cc", Tab::CyberCoin),
    ("ach", Tab::Achievements),
    ("cmb", Tab::Combiner),
    ("rpg", Tab::Rpg),
];

impl Tab {
    /// The tab's button label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Identity => "Identity",
            Tab::Pet => "Pet",
            Tab::Battles => "Battles",
            Tab::CyberCoin => "CyberCoin",
            Tab::Achievements => "Achievements",
            Tab::Combiner => "Combiner",
            Tab::Rpg => "RPG",
        }
    }
}

/// An id field: lowercase snake case, 1 to `max` characters (a content id), or `-` for none.
fn id_field(text: &str, max: usize) -> Option<Option<String>> {
    if text == "-" {
        return Some(None);
    }
    (!text.is_empty()
        && text.len() <= max
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
    .then(|| Some(text.to_string()))
}

impl Encode for Press {
    fn encode(&self) -> String {
        let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".into());
        match self {
            Press::Again {
                owner,
                kind,
                pool,
                style,
                about,
            } => format!(
                "{VERSION}:tell:{owner}:{}:{}:{}:{}",
                word(KINDS, *kind),
                or_dash(pool),
                or_dash(style),
                about.map_or_else(|| "-".into(), |a| a.to_string())
            ),
            Press::Quiz { owner, answers } => {
                let digits: String = answers.iter().map(|a| char::from(b'0' + a)).collect();
                format!("{VERSION}:qz:{owner}:{digits}")
            }
            Press::Profile { owner, player, tab } => {
                format!("{VERSION}:prof:{owner}:{player}:{}", word(TABS, *tab))
            }
            Press::History {
                owner,
                player,
                page,
            } => format!("{VERSION}:bh:{owner}:{player}:{page}"),
            Press::PickBattle { owner } => format!("{VERSION}:bhp:{owner}"),
            Press::Step {
                owner,
                battle,
                turn,
                button,
            } => format!("{VERSION}:bst:{owner}:{battle}:{turn}:{button}"),
            Press::LoreForm { owner } => format!("{VERSION}:lform:{owner}"),
            Press::LoreList {
                owner,
                page,
                search,
            } => format!("{VERSION}:ll:{owner}:{page}:{}", or_dash(search)),
            Press::LorePick { owner } => format!("{VERSION}:lpick:{owner}"),
            Press::LoreOpen { number } => format!("{VERSION}:lo:{number}"),
            Press::LoreDelete { number } => format!("{VERSION}:ldel:{number}"),
            Press::LoreDeleteConfirmed { owner, number } => {
                format!("{VERSION}:ldok:{owner}:{number}")
            }
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("tell", [owner, kind, pool, style, about]) => Some(Press::Again {
                owner: number(owner)?,
                kind: parse(KINDS, kind)?,
                pool: id_field(pool, POOL_ID_MAX)?,
                style: id_field(style, STYLE_ID_MAX)?,
                about: match *about {
                    "-" => None,
                    other => Some(number(other)?),
                },
            }),
            ("qz", [owner, digits]) => {
                let valid = (1..=5).contains(&digits.len())
                    && digits.bytes().all(|b| (b'0'..=b'4').contains(&b));
                if !valid {
                    return None;
                }
                Some(Press::Quiz {
                    owner: number(owner)?,
                    answers: digits.bytes().map(|b| b - b'0').collect(),
                })
            }
            ("bh", [owner, player, page]) => Some(Press::History {
                owner: number(owner)?,
                player: number(player)?,
                page: u32::try_from(number(page)?).ok()?,
            }),
            ("bhp", [owner]) => Some(Press::PickBattle {
                owner: number(owner)?,
            }),
            ("bst", [owner, battle, turn, button]) => Some(Press::Step {
                owner: number(owner)?,
                battle: hex_id(battle)?,
                turn: u32::try_from(number(turn)?).ok()?,
                button: u8::try_from(number(button)?).ok().filter(|b| *b < 4)?,
            }),
            ("prof", [owner, player, tab]) => Some(Press::Profile {
                owner: number(owner)?,
                player: number(player)?,
                tab: parse(TABS, tab)?,
            }),
            ("lform", [owner]) => Some(Press::LoreForm {
                owner: number(owner)?,
            }),
            ("ll", [owner, page, search]) => Some(Press::LoreList {
                owner: number(owner)?,
                page: u32::try_from(number(page)?).ok()?,
                search: match *search {
                    "-" => None,
                    text => Some(search_field(text).filter(|t| t == text)?),
                },
            }),
            ("lpick", [owner]) => Some(Press::LorePick {
                owner: number(owner)?,
            }),
            ("lo", [n]) => Some(Press::LoreOpen {
                number: u32::try_from(number(n)?).ok()?,
            }),
            ("ldel", [n]) => Some(Press::LoreDelete {
                number: u32::try_from(number(n)?).ok()?,
            }),
            ("ldok", [owner, n]) => Some(Press::LoreDeleteConfirmed {
                owner: number(owner)?,
                number: u32::try_from(number(n)?).ok()?,
            }),
            _ => None,
        }
    }

    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::Again { owner, .. }
            | Press::Quiz { owner, .. }
            | Press::Profile { owner, .. }
            | Press::History { owner, .. }
            | Press::PickBattle { owner }
            | Press::Step { owner, .. }
            | Press::LoreForm { owner }
            | Press::LoreList { owner, .. }
            | Press::LorePick { owner }
            | Press::LoreDeleteConfirmed { owner, .. } => Some(*owner),
            Press::LoreOpen { .. } | Press::LoreDelete { .. } => None,
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
    fn every_press_round_trips_and_fits_discords_limit() {
        for press in [
            Press::Again {
                owner: u64::MAX,
                kind: TalkKind::Compliment,
                pool: Some("a".repeat(POOL_ID_MAX)),
                style: Some("b".repeat(STYLE_ID_MAX)),
                about: Some(u64::MAX),
            },
            Press::Again {
                owner: 1,
                kind: TalkKind::Joke,
                pool: None,
                style: None,
                about: None,
            },
            Press::Quiz {
                owner: u64::MAX,
                answers: vec![4, 3, 2, 1, 0],
            },
            Press::Quiz {
                owner: 7,
                answers: vec![0],
            },
            Press::Profile {
                owner: u64::MAX,
                player: u64::MAX,
                tab: Tab::Achievements,
            },
            Press::Profile {
                owner: 1,
                player: 2,
                tab: Tab::Identity,
            },
            Press::History {
                owner: u64::MAX,
                player: u64::MAX,
                page: u32::MAX,
            },
            Press::PickBattle { owner: u64::MAX },
            Press::Step {
                owner: u64::MAX,
                battle: BattleId(u128::MAX),
                turn: u32::MAX,
                button: 3,
            },
            Press::LoreForm { owner: u64::MAX },
            Press::LoreList {
                owner: u64::MAX,
                page: u32::MAX,
                search: Some("a".repeat(SEARCH_MAX)),
            },
            Press::LoreList {
                owner: 1,
                page: 0,
                search: None,
            },
            Press::LorePick { owner: u64::MAX },
            Press::LoreOpen { number: u32::MAX },
            Press::LoreDelete { number: 1 },
            Press::LoreDeleteConfirmed {
                owner: u64::MAX,
                number: u32::MAX,
            },
        ] {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(decode(&id), Some(press), "{id}");
        }
    }

    #[test]
    fn a_search_rides_in_an_id_as_plain_words() {
        assert_eq!(
            search_field("  The Great  JAM! "),
            Some("the_great_jam".into())
        );
        assert_eq!(search_field("Ünïcode ok"), Some("ncode_ok".into()));
        assert_eq!(search_field("!!!"), None);
        assert_eq!(search_field(&"ab ".repeat(30)).map(|s| s.len()), Some(40));
    }

    #[test]
    fn malformed_presses_are_no_press() {
        for id in [
            "1:tell:1:joke:-:-",
            "1:tell:x:joke:-:-:-",
            "1:tell:1:pun:-:-:-",
            "1:tell:1:joke:Puns:-:-",
            "1:tell:1:joke:aaaaaaaaaaaaaaaaaaaaaaaaa:-:-",
            "1:tell:1:joke:-:-:+5",
            "1:qz:1:",
            "1:qz:1:012345",
            "1:qz:1:5",
            "1:qz:-1:0",
            "1:qz:1",
            "2:qz:1:0",
            "1:prof:1:2:stats",
            "1:prof:1:x:id",
            "1:prof:1:2",
            "1:bh:1:2:4294967296",
            "1:bst:1:ABCDEF0123456789abcdef0123456789:1:0",
            "1:bst:1:abcdef0123456789abcdef0123456789:1:4",
            "1:bst:1:abcdef0123456789abcdef0123456789:1",
            "1:bst:1:abcdef:1",
            "1:bhp:1:2",
            "1:ll:1:0:Big Title",
            "1:ll:1:0:a_",
            "1:ll:1:4294967296:-",
            "1:lo:-1",
            "1:lo:1:2",
            "1:ldok:1",
            "1:ldel:x",
        ] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
