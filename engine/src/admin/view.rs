//! Read models of the admin area: the audit log, read from the event log.
//!
//! An entry is an event an operator's command caused (`Actor::Operator`), or a sensitive one
//! whoever caused it: an erasure (also a player's own), a recruitment send and its outcome, a
//! grant or fine recorded by the system in old logs. Entries recorded at or before the latest
//! clearing are hidden, except clearings themselves. Filters: a user (the actor, or a player
//! the event names) and a kind (`grant`, `fine`, `erasure`, `recruit`, `logs_clear`, or an
//! event's area and variant as `area.variant`).

use crate::admin::AdminEvent;
use crate::energon::{EnergonEvent, LedgerRule};
use crate::envelope::RecordedEvent;
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::log::{EventLog, LogError};
use crate::player::PlayerEvent;
use crate::recruit::RecruitEvent;
use crate::world::{Event, World};

/// Entries on one page of `/logs`.
pub const PAGE_SIZE: usize = 10;

/// What `/logs` filters by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub user: Option<PlayerId>,
    pub kind: Option<String>,
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub event: RecordedEvent,
    /// The entry's kind, as the filter takes it.
    pub kind: String,
}

/// One page of the audit log, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The page shown, from 0 (clamped to the last page).
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    /// Entries hidden by clearings (before the filter).
    pub hidden: usize,
}

/// The kinds of events the filter names by word.
pub const KINDS: &[&str] = &[
    "grant",
    "fine",
    "erasure",
    "recruit",
    "logs_clear",
    "import",
];

/// The kind of an event, and whether it is sensitive whoever caused it.
fn kind_of(event: &Event) -> (String, bool) {
    match event {
        Event::Energon(EnergonEvent::Credited {
            rule: LedgerRule::OperatorGrant,
            ..
        }) => ("grant".into(), true),
        Event::Energon(EnergonEvent::Debited {
            rule: LedgerRule::OperatorFine,
            ..
        }) => ("fine".into(), true),
        Event::Player(PlayerEvent::Erased { .. }) => ("erasure".into(), true),
        Event::Recruit(
            RecruitEvent::Attempted { .. }
            | RecruitEvent::Confirmed { .. }
            | RecruitEvent::Failed { .. },
        ) => ("recruit".into(), true),
        Event::Admin(AdminEvent::LogsCleared { .. }) => ("logs_clear".into(), true),
        // An import from the original bot mints what the player brings: audited like a grant.
        Event::Player(PlayerEvent::Imported { .. })
        | Event::Energon(EnergonEvent::Credited {
            rule: LedgerRule::LegacyImport,
            ..
        }) => ("import".into(), true),
        other => (variant_name(other), false),
    }
}

/// `area.variant` of an event, from its serialized form (`{"Area": {"Variant": ...}}`).
fn variant_name(event: &Event) -> String {
    let name = |value: &serde_json::Value| match value {
        serde_json::Value::Object(map) => map.keys().next().cloned(),
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let value = serde_json::to_value(event).unwrap_or_default();
    let area = name(&value).unwrap_or_default();
    let variant = value.get(&area).and_then(name).unwrap_or_default();
    format!("{area}.{variant}").to_lowercase()
}

/// Whether the entry concerns this user: they acted, or the event names them.
fn names(entry: &RecordedEvent, user: PlayerId) -> bool {
    match entry.actor {
        Actor::Player(p) | Actor::Operator(p) if p == user => return true,
        _ => {}
    }
    crate::data_export::to_json(&entry.event).is_ok_and(|(_, named)| named.contains(&user))
}

/// The audit entry an event makes, if it makes one (before clearings and filters).
pub fn entry(event: &RecordedEvent) -> Option<AuditEntry> {
    let (kind, sensitive) = kind_of(&event.event);
    (sensitive || matches!(event.actor, Actor::Operator(_))).then(|| AuditEntry {
        event: event.clone(),
        kind,
    })
}

/// Events read from the log at a time while scanning.
const CHUNK: usize = 1_000;

/// How far back the audit log is hidden, and the seq the World is at: read these through
/// the core (`Engine::query`), then scan with [`audit_page`] off it.
pub fn audit_point(world: &World) -> (Option<Timestamp>, u64) {
    (world.admin.hidden_before(), world.last_seq)
}

/// One page of the audit log up to `last` (a seq), newest first: every entry of the log (read
/// in chunks), less those recorded at or before `hidden_before`, through the filter. Reads the
/// whole log: run it on a blocking thread, never on the core.
pub fn audit_page(
    log: &dyn EventLog,
    (hidden_before, last): (Option<Timestamp>, u64),
    filter: &AuditFilter,
    page: usize,
) -> Result<AuditPage, LogError> {
    let mut shown = Vec::new();
    let mut hidden = 0;
    let mut from = 1;
    while from <= last {
        let chunk = log.read_all(from, CHUNK)?;
        let Some(end) = chunk.last().map(|e| e.seq) else {
            break;
        };
        for event in chunk.into_iter().filter(|e| e.seq <= last) {
            let Some(entry) = entry(&event) else {
                continue;
            };
            let clearing = matches!(
                entry.event.event,
                Event::Admin(AdminEvent::LogsCleared { .. })
            );
            if !clearing && hidden_before.is_some_and(|before| entry.event.recorded_at <= before) {
                hidden += 1;
                continue;
            }
            if filter.user.is_some_and(|user| !names(&entry.event, user)) {
                continue;
            }
            if filter
                .kind
                .as_deref()
                .is_some_and(|kind| entry.kind != kind)
            {
                continue;
            }
            shown.push(entry);
        }
        from = end + 1;
    }
    shown.reverse();
    let total = shown.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let entries = shown
        .into_iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Ok(AuditPage {
        entries,
        page,
        pages,
        total,
        hidden,
    })
}

/// Clearings so far.
pub fn clearings(world: &World) -> u64 {
    world.admin.clearings()
}
