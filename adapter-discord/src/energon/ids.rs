//! The energon area's presses: ledger pages and the boards' tabs (see `custom_id.rs` for the
//! format). Decoding is strict: an unknown board is no press at all.

use allspark_engine::energon::Period;

use crate::custom_id::{Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["history", "board"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// A page of the owner's ledger, newest first.
    History {
        owner: u64,
        page: usize,
    },
    Board {
        board: Board,
    },
}

/// The boards of `/energon_stats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Board {
    Richest,
    Earned(Period),
}

/// Each board's word, in ids and in `/energon_stats board:`.
pub const BOARDS: &[(&str, Board)] = &[
    ("global", Board::Richest),
    ("daily", Board::Earned(Period::Daily)),
    ("weekly", Board::Earned(Period::Weekly)),
    ("all_time", Board::Earned(Period::AllTime)),
];

impl Board {
    pub fn parse(word: &str) -> Option<Board> {
        BOARDS.iter().find(|(w, _)| *w == word).map(|(_, b)| *b)
    }

    pub fn word(self) -> &'static str {
        BOARDS
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("global", |(w, _)| w)
    }
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::History { owner, page } => format!("{VERSION}:history:{owner}:{page}"),
            Press::Board { board } => format!("{VERSION}:board:{}", board.word()),
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("history", [owner, page]) => Some(Press::History {
                owner: owner.parse().ok()?,
                page: page.parse().ok()?,
            }),
            ("board", [board]) => Some(Press::Board {
                board: Board::parse(board)?,
            }),
            _ => None,
        }
    }

    /// Ledger pages are private to their owner; boards are for everyone.
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::History { owner, .. } => Some(*owner),
            Press::Board { .. } => None,
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
    fn every_press_round_trips_and_unknown_boards_are_refused() {
        let mut presses = vec![Press::History {
            owner: u64::MAX,
            page: 3,
        }];
        presses.extend(
            BOARDS
                .iter()
                .map(|(_, board)| Press::Board { board: *board }),
        );
        for press in presses {
            let id = press.encode();
            assert!(id.len() <= 100);
            assert_eq!(decode(&id), Some(press), "{id}");
        }
        assert_eq!(
            Press::Board {
                board: Board::Earned(Period::AllTime)
            }
            .encode(),
            "1:board:all_time"
        );
        for id in ["1:board:monthly", "1:board", "1:history:1", "1:history:1:x"] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
