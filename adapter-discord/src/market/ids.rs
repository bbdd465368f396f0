//! The market area's presses and forms (see `custom_id.rs` for the format). Decoding is strict:
//! an unknown range or board is no press at all.

use crate::custom_id::{parse, word, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["cc", "ccr", "ccbuy", "ccsell", "ccport", "cctop"];

/// A chart's span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    Day,
    Week,
    Month,
}

pub const RANGES: &[(&str, Range)] = &[
    ("24h", Range::Day),
    ("7d", Range::Week),
    ("30d", Range::Month),
];

impl Range {
    pub const ALL: [Range; 3] = [Range::Day, Range::Week, Range::Month];

    pub fn hours(self) -> i64 {
        match self {
            Range::Day => 24,
            Range::Week => 7 * 24,
            Range::Month => 30 * 24,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::Day => "24 h",
            Range::Week => "7 d",
            Range::Month => "30 d",
        }
    }

    pub fn word(self) -> &'static str {
        word(RANGES, self)
    }
}

/// The boards of `/cybercoin_leaderboard`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Board {
    Holdings,
    Profit,
}

pub const BOARDS: &[(&str, Board)] = &[("holdings", Board::Holdings), ("profit", Board::Profit)];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Draw the dashboard over a range.
    Market { range: Range },
    /// Draw it again over the same range, with what happened since.
    Refresh { range: Range },
    /// Open the buy form; submitting it is the same id.
    Buy,
    /// Open the sell form; submitting it is the same id.
    Sell,
    /// A page of a player's transactions.
    Portfolio { player: u64, page: usize },
    /// A page of a board.
    Top { board: Board, page: usize },
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Market { range } => format!("{VERSION}:cc:{}", range.word()),
            Press::Refresh { range } => format!("{VERSION}:ccr:{}", range.word()),
            Press::Buy => format!("{VERSION}:ccbuy"),
            Press::Sell => format!("{VERSION}:ccsell"),
            Press::Portfolio { player, page } => format!("{VERSION}:ccport:{player}:{page}"),
            Press::Top { board, page } => {
                format!("{VERSION}:cctop:{}:{page}", word(BOARDS, *board))
            }
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("cc", [range]) => Some(Press::Market {
                range: parse(RANGES, range)?,
            }),
            ("ccr", [range]) => Some(Press::Refresh {
                range: parse(RANGES, range)?,
            }),
            ("ccbuy", []) => Some(Press::Buy),
            ("ccsell", []) => Some(Press::Sell),
            ("ccport", [player, page]) => Some(Press::Portfolio {
                player: player.parse().ok()?,
                page: page.parse().ok()?,
            }),
            ("cctop", [board, page]) => Some(Press::Top {
                board: parse(BOARDS, board)?,
                page: page.parse().ok()?,
            }),
            _ => None,
        }
    }

    /// Nobody owns a market view: the dashboard and the boards are public, and a trade is the
    /// presser's own.
    pub fn owner(&self) -> Option<u64> {
        None
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
    fn presses_round_trip_and_forged_ids_are_refused() {
        let mut presses = vec![
            Press::Buy,
            Press::Sell,
            Press::Portfolio {
                player: u64::MAX,
                page: usize::MAX,
            },
        ];
        presses.extend(Range::ALL.map(|range| Press::Market { range }));
        presses.extend(Range::ALL.map(|range| Press::Refresh { range }));
        presses.extend([Board::Holdings, Board::Profit].map(|board| Press::Top { board, page: 3 }));
        for press in presses {
            let id = press.encode();
            assert!(id.len() <= 100);
            assert_eq!(decode(&id), Some(press), "{id}");
        }
        for id in [
            "1:cc:1y",
            "1:cc",
            "1:ccr:2d",
            "1:ccbuy:5",
            "1:ccport:x:0",
            "1:ccport:1:-1",
            "1:cctop:richest:0",
            "1:cctop:profit",
        ] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
