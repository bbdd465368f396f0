//! The admin area's presses: the dashboard's Refresh, the audit log's pages and the stress
//! test's buttons (see `custom_id.rs` for the format). Decoding is strict: a page number, a
//! user id in base 36 or `-`, a kind of at most [`KIND_MAX`] characters from `a-z`, `_` and
//! `.`, or `-`; a stress size is one of the three codes of [`Size`].

use crate::custom_id::{Encode, VERSION};
use crate::stress::Size;

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["mon", "log", "str"];

/// The longest kind a page button carries (the id stays under Discord's 100 characters).
pub const KIND_MAX: usize = 40;

/// Pages a page button may name.
pub const PAGE_MAX: usize = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// `/monitor` (`full`) or `/uptime`: take a new sample.
    MonitorRefresh { full: bool },
    /// `/logs`: show this page with these filters.
    LogsPage {
        page: usize,
        user: Option<u64>,
        kind: Option<String>,
    },
    /// `/monitor`'s Stress test: the sizes to choose from (or the run going).
    StressMenu,
    /// Start a stress run of this size.
    StressStart { size: Size },
    /// Show the latest stress run now.
    StressShow,
    /// Stop the stress run going.
    StressCancel,
}

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

/// Whether a kind may travel in an id (and be typed as the `command` filter).
pub fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= KIND_MAX
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.')
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::MonitorRefresh { full: true } => format!("{VERSION}:mon:full"),
            Press::MonitorRefresh { full: false } => format!("{VERSION}:mon:short"),
            Press::LogsPage { page, user, kind } => format!(
                "{VERSION}:log:{}:{}:{}",
                base36(*page as u64),
                user.map_or("-".to_string(), base36),
                kind.as_deref().unwrap_or("-")
            ),
            Press::StressMenu => format!("{VERSION}:str:menu"),
            Press::StressStart { size } => format!("{VERSION}:str:go:{}", size.code()),
            Press::StressShow => format!("{VERSION}:str:show"),
            Press::StressCancel => format!("{VERSION}:str:cancel"),
        }
    }
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 13 {
        return None;
    }
    u64::from_str_radix(text, 36).ok()
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("mon", ["full"]) => Some(Press::MonitorRefresh { full: true }),
            ("mon", ["short"]) => Some(Press::MonitorRefresh { full: false }),
            ("log", [page, user, kind]) => {
                let page = usize::try_from(number(page)?)
                    .ok()
                    .filter(|p| *p < PAGE_MAX)?;
                let user = match *user {
                    "-" => None,
                    user => Some(number(user)?),
                };
                let kind = match *kind {
                    "-" => None,
                    kind if valid_kind(kind) => Some(kind.to_string()),
                    _ => return None,
                };
                Some(Press::LogsPage { page, user, kind })
            }
            ("str", ["menu"]) => Some(Press::StressMenu),
            ("str", ["go", size]) => Size::from_code(size).map(|size| Press::StressStart { size }),
            ("str", ["show"]) => Some(Press::StressShow),
            ("str", ["cancel"]) => Some(Press::StressCancel),
            _ => None,
        }
    }

    /// The admin area's views are the operator's, which `press` checks instead of an owner.
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
    fn every_press_round_trips_and_fits_discords_limit() {
        for press in [
            Press::MonitorRefresh { full: true },
            Press::MonitorRefresh { full: false },
            Press::LogsPage {
                page: 0,
                user: None,
                kind: None,
            },
            Press::LogsPage {
                page: PAGE_MAX - 1,
                user: Some(u64::MAX),
                kind: Some("x".repeat(KIND_MAX)),
            },
            Press::LogsPage {
                page: 3,
                user: Some(42),
                kind: Some("pet.renamed".into()),
            },
            Press::StressMenu,
            Press::StressShow,
            Press::StressCancel,
            Press::StressStart { size: Size::Small },
            Press::StressStart { size: Size::Medium },
            Press::StressStart { size: Size::Large },
        ] {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(decode(&id), Some(press), "{id}");
        }
    }

    #[test]
    fn malformed_presses_are_no_press() {
        let too_long = format!("1:log:0:-:{}", "x".repeat(KIND_MAX + 1));
        for id in [
            "1:mon",
            "1:mon:",
            "1:mon:fullest",
            "1:mon:full:1",
            "1:log",
            "1:log:0",
            "1:log:0:-",
            "1:log::-:-",
            "1:log:0::-",
            "1:log:0:-:",
            "1:log:0:-:Grant",
            "1:log:0:-:gr ant",
            "1:log:lfls:-:-",
            "1:log:0:zzzzzzzzzzzzzz:-",
            "1:log:0:-:-:extra",
            "1:str",
            "1:str:",
            "1:str:go",
            "1:str:go:",
            "1:str:go:x",
            "1:str:go:S",
            "1:str:go:s:1",
            "1:str:cancel:now",
            "1:str:menus",
            too_long.as_str(),
        ] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
