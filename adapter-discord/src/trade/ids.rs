//! The trade area's presses (see `custom_id.rs` for the format): each carries the trade's id
//! (32 hex digits), and Confirm the revision its view showed. A trade view is shared by its
//! two parties, so no press has an owner: the engine refuses anyone else (`NotAParty`).
//! Decoding is strict: a malformed id or revision is no press at all.

use allspark_engine::trade::TradeId;

use crate::custom_id::{hex_id, number, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["tv", "tc", "tx", "te", "ti", "tip", "tr", "trp", "tk"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Redraw the trade as it stands.
    Show {
        trade: TradeId,
    },
    /// Agree to the offers at `revision`.
    Confirm {
        trade: TradeId,
        revision: u32,
    },
    Cancel {
        trade: TradeId,
    },
    /// Open the energon form; its submission adds the amount.
    AddEnergon {
        trade: TradeId,
    },
    /// Open the coin form; its submission adds the amount.
    AddCoins {
        trade: TradeId,
    },
    /// Open the presser's own item picker.
    AddItem {
        trade: TradeId,
    },
    /// The picker's choice: one piece of the item (the value) goes on offer.
    PickItem {
        trade: TradeId,
    },
    /// Open the picker of what the presser offers.
    Remove {
        trade: TradeId,
    },
    /// The picker's choice: the whole line (the value: `e`, `c` or `i:<item>`) comes off.
    PickRemove {
        trade: TradeId,
    },
}

impl Press {
    pub fn trade(&self) -> TradeId {
        match self {
            Press::Show { trade }
            | Press::Confirm { trade, .. }
            | Press::Cancel { trade }
            | Press::AddEnergon { trade }
            | Press::AddCoins { trade }
            | Press::AddItem { trade }
            | Press::PickItem { trade }
            | Press::Remove { trade }
            | Press::PickRemove { trade } => *trade,
        }
    }

    fn verb(&self) -> &'static str {
        match self {
            Press::Show { .. } => "tv",
            Press::Confirm { .. } => "tc",
            Press::Cancel { .. } => "tx",
            Press::AddEnergon { .. } => "te",
            Press::AddCoins { .. } => "tk",
            Press::AddItem { .. } => "ti",
            Press::PickItem { .. } => "tip",
            Press::Remove { .. } => "tr",
            Press::PickRemove { .. } => "trp",
        }
    }

    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        let trade = hex_id::<TradeId>;
        match (verb, rest) {
            ("tc", [id, revision]) => Some(Press::Confirm {
                trade: trade(id)?,
                revision: u32::try_from(number(revision)?).ok()?,
            }),
            ("tv", [id]) => Some(Press::Show { trade: trade(id)? }),
            ("tx", [id]) => Some(Press::Cancel { trade: trade(id)? }),
            ("te", [id]) => Some(Press::AddEnergon { trade: trade(id)? }),
            ("tk", [id]) => Some(Press::AddCoins { trade: trade(id)? }),
            ("ti", [id]) => Some(Press::AddItem { trade: trade(id)? }),
            ("tip", [id]) => Some(Press::PickItem { trade: trade(id)? }),
            ("tr", [id]) => Some(Press::Remove { trade: trade(id)? }),
            ("trp", [id]) => Some(Press::PickRemove { trade: trade(id)? }),
            _ => None,
        }
    }

    /// Trade views are shared by both parties: the engine says who may act.
    pub fn owner(&self) -> Option<u64> {
        None
    }
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Confirm { trade, revision } => format!("{VERSION}:tc:{trade}:{revision}"),
            other => format!("{VERSION}:{}:{}", other.verb(), other.trade()),
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
        let trade = TradeId(u128::MAX);
        for press in [
            Press::Show { trade },
            Press::Confirm {
                trade,
                revision: u32::MAX,
            },
            Press::Confirm {
                trade: TradeId(1),
                revision: 0,
            },
            Press::Cancel { trade },
            Press::AddEnergon { trade },
            Press::AddCoins { trade },
            Press::AddItem { trade },
            Press::PickItem { trade },
            Press::Remove { trade },
            Press::PickRemove { trade },
        ] {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(decode(&id), Some(press), "{id}");
        }
    }

    #[test]
    fn malformed_presses_are_no_press() {
        let hex = "0123456789abcdef0123456789abcdef";
        let upper = "0123456789ABCDEF0123456789ABCDEF";
        for id in [
            "1:tv".to_string(),
            "1:tv:".to_string(),
            format!("1:tv:{}", &hex[1..]),
            format!("1:tv:{hex}0"),
            format!("1:tv:{upper}"),
            format!("1:tv:{hex}:1"),
            format!("1:tc:{hex}"),
            format!("1:tc:{hex}:"),
            format!("1:tc:{hex}:-1"),
            format!("1:tc:{hex}:+1"),
            format!("1:tc:{hex}:4294967296"),
            format!("1:tc:{hex}:1:2"),
            format!("1:tq:{hex}"),
            format!("2:tv:{hex}"),
            "1:tx:zz23456789abcdef0123456789abcdef".to_string(),
        ] {
            assert_eq!(decode(&id), None, "{id}");
        }
    }
}
