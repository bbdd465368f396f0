//! The recruit area's presses (see `custom_id.rs` for the format): browse a page, send a page
//! or everything shown, refresh, stop the run, see its progress. Every press names the leader
//! whose view it is; a session or a page that doesn't parse is no press at all.

use crate::custom_id::{Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &["rcpage", "rcsend", "rcall", "rcnew", "rcstop", "rcjob"];

/// Pages a browse has (10 nations each, up to 100).
pub const PAGES_MAX: u8 = 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Show page `page` (from 0) of browse `session`.
    Page { owner: u64, session: u64, page: u8 },
    /// Send to the nations of that page.
    SendPage { owner: u64, session: u64, page: u8 },
    /// Send to every nation the browse shows.
    SendAll { owner: u64, session: u64 },
    /// Fetch again.
    Refresh { owner: u64 },
    /// Stop the send run in progress.
    Stop { owner: u64 },
    /// Show the send run's progress.
    Progress { owner: u64 },
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Page {
                owner,
                session,
                page,
            } => format!("{VERSION}:rcpage:{owner}:{session}:{page}"),
            Press::SendPage {
                owner,
                session,
                page,
            } => format!("{VERSION}:rcsend:{owner}:{session}:{page}"),
            Press::SendAll { owner, session } => format!("{VERSION}:rcall:{owner}:{session}"),
            Press::Refresh { owner } => format!("{VERSION}:rcnew:{owner}"),
            Press::Stop { owner } => format!("{VERSION}:rcstop:{owner}"),
            Press::Progress { owner } => format!("{VERSION}:rcjob:{owner}"),
        }
    }
}

fn page(text: &str) -> Option<u8> {
    text.parse().ok().filter(|page| *page < PAGES_MAX)
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        Some(match (verb, rest) {
            ("rcpage", [owner, session, p]) => Press::Page {
                owner: owner.parse().ok()?,
                session: session.parse().ok()?,
                page: page(p)?,
            },
            ("rcsend", [owner, session, p]) => Press::SendPage {
                owner: owner.parse().ok()?,
                session: session.parse().ok()?,
                page: page(p)?,
            },
            ("rcall", [owner, session]) => Press::SendAll {
                owner: owner.parse().ok()?,
                session: session.parse().ok()?,
            },
            ("rcnew", [owner]) => Press::Refresh {
                owner: owner.parse().ok()?,
            },
            ("rcstop", [owner]) => Press::Stop {
                owner: owner.parse().ok()?,
            },
            ("rcjob", [owner]) => Press::Progress {
                owner: owner.parse().ok()?,
            },
            _ => return None,
        })
    }

    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::Page { owner, .. }
            | Press::SendPage { owner, .. }
            | Press::SendAll { owner, .. }
            | Press::Refresh { owner }
            | Press::Stop { owner }
            | Press::Progress { owner } => Some(*owner),
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
    fn presses_round_trip_and_forged_ids_are_no_press() {
        let (owner, session) = (u64::MAX, u64::MAX);
        for press in [
            Press::Page {
                owner,
                session,
                page: 9,
            },
            Press::SendPage {
                owner,
                session,
                page: 0,
            },
            Press::SendAll { owner, session },
            Press::Refresh { owner },
            Press::Stop { owner },
            Press::Progress { owner },
        ] {
            let id = press.encode();
            assert!(id.len() <= 100, "{id}");
            assert_eq!(decode(&id), Some(press.clone()), "{id}");
            assert_eq!(press.owner(), Some(owner));
        }
        for id in [
            "1:rcpage:1:2:10",
            "1:rcpage:1:2",
            "1:rcsend:1:x:0",
            "1:rcall:1",
            "1:rcstop:-1",
            "1:rcnew:1:2",
            "1:rcjob:",
        ] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
