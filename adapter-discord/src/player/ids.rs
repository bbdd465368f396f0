//! The player area's presses: the operator's erasure steps and a player's own (`/forget_me`; see
//! `custom_id.rs` for the format). Decoding is strict: only these steps, and at most
//! [`CLEAR_MAX_PLAYERS`] ids.

use crate::custom_id::{Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["clr", "fgt"];

/// Players one erasure confirmation can carry: six ids in base 36 (at most 13 characters each)
/// keep the id under Discord's 100 characters.
pub const CLEAR_MAX_PLAYERS: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Operator erasure, step one: the users picked (the values carry their ids).
    ClearPick,
    /// Operator erasure, step two: confirm erasing these players. `confirmation` names this
    /// confirmation in the engine, so a Cancel pressed first makes it erase nobody.
    ClearConfirm {
        confirmation: u64,
        players: Vec<u64>,
    },
    /// Operator erasure, step two: cancel; consumes the confirmation for these players.
    ClearCancel {
        confirmation: u64,
        players: Vec<u64>,
    },
    /// `/forget_me`, step two: the player confirms erasing themselves (`owner` only).
    ForgetConfirm { confirmation: u64, owner: u64 },
    /// `/forget_me`, step two: the player keeps their data; consumes the confirmation.
    ForgetCancel { confirmation: u64, owner: u64 },
}

/// Confirmation numbers stay under this (six base-36 digits), so an id with six players still
/// fits Discord's 100 characters.
pub const CONFIRMATION_LIMIT: u64 = 36u64.pow(6);

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn players_of(text: &str) -> Option<Vec<u64>> {
    let players: Vec<u64> = text
        .split('.')
        .map(|id| u64::from_str_radix(id, 36).ok())
        .collect::<Option<_>>()?;
    (!players.is_empty() && players.len() <= CLEAR_MAX_PLAYERS).then_some(players)
}

fn ids_of(players: &[u64]) -> String {
    let ids: Vec<String> = players.iter().map(|p| base36(*p)).collect();
    ids.join(".")
}

fn confirmation_of(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 6 {
        return None;
    }
    u64::from_str_radix(text, 36)
        .ok()
        .filter(|n| *n < CONFIRMATION_LIMIT)
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::ClearPick => format!("{VERSION}:clr:pick"),
            Press::ClearConfirm {
                confirmation,
                players,
            } => format!(
                "{VERSION}:clr:go:{}:{}",
                base36(*confirmation),
                ids_of(players)
            ),
            Press::ClearCancel {
                confirmation,
                players,
            } => format!(
                "{VERSION}:clr:no:{}:{}",
                base36(*confirmation),
                ids_of(players)
            ),
            Press::ForgetConfirm {
                confirmation,
                owner,
            } => format!(
                "{VERSION}:fgt:go:{}:{}",
                base36(*confirmation),
                base36(*owner)
            ),
            Press::ForgetCancel {
                confirmation,
                owner,
            } => format!(
                "{VERSION}:fgt:no:{}:{}",
                base36(*confirmation),
                base36(*owner)
            ),
        }
    }
}

fn owner_of(text: &str) -> Option<u64> {
    match players_of(text)?.as_slice() {
        [owner] => Some(*owner),
        _ => None,
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("clr", ["pick"]) => Some(Press::ClearPick),
            ("clr", ["go", confirmation, players]) => Some(Press::ClearConfirm {
                confirmation: confirmation_of(confirmation)?,
                players: players_of(players)?,
            }),
            ("clr", ["no", confirmation, players]) => Some(Press::ClearCancel {
                confirmation: confirmation_of(confirmation)?,
                players: players_of(players)?,
            }),
            ("fgt", ["go", confirmation, owner]) => Some(Press::ForgetConfirm {
                confirmation: confirmation_of(confirmation)?,
                owner: owner_of(owner)?,
            }),
            ("fgt", ["no", confirmation, owner]) => Some(Press::ForgetCancel {
                confirmation: confirmation_of(confirmation)?,
                owner: owner_of(owner)?,
            }),
            _ => None,
        }
    }

    /// The operator's erasure views belong to the operator, which `press` checks instead of an
    /// owner; a player's own erasure view belongs to that player alone.
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::ForgetConfirm { owner, .. } | Press::ForgetCancel { owner, .. } => Some(*owner),
            Press::ClearPick | Press::ClearConfirm { .. } | Press::ClearCancel { .. } => None,
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
    fn every_step_round_trips_and_fits_discords_limit() {
        for press in [
            Press::ClearPick,
            Press::ClearConfirm {
                confirmation: CONFIRMATION_LIMIT - 1,
                players: vec![u64::MAX; CLEAR_MAX_PLAYERS],
            },
            Press::ClearConfirm {
                confirmation: 0,
                players: vec![0, 1, 35, 36, 1_234_567_890_123_456_789],
            },
            Press::ClearCancel {
                confirmation: CONFIRMATION_LIMIT - 1,
                players: vec![u64::MAX; CLEAR_MAX_PLAYERS],
            },
            Press::ForgetConfirm {
                confirmation: CONFIRMATION_LIMIT - 1,
                owner: u64::MAX,
            },
            Press::ForgetCancel {
                confirmation: 0,
                owner: 7,
            },
        ] {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(decode(&id), Some(press), "{id}");
        }
    }

    #[test]
    fn malformed_steps_are_no_press() {
        for id in [
            "1:clr:go:",
            "1:clr:go:1.2.3",
            "1:clr:go:a:1.2.3.4.5.6.7",
            "1:clr:go:1000000:1",
            "1:clr:go::1",
            "1:clr:no",
            "1:clr:no:a",
            "1:clr:go:zz!",
            "1:clr:maybe",
            "1:clr:pick:now",
            "1:clr",
            "1:fgt:go:1",
            "1:fgt:go:1:7.8",
            "1:fgt:go:1000000:7",
            "1:fgt:maybe:1:7",
            "1:fgt:no::7",
            "1:fgt:go:1:",
        ] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
