//! Read models of the recruit area, for the adapter: which fetched nations may be messaged
//! now, where a send stands, and the statistics `/recruitment_stats` shows.

use crate::ids::{PlayerId, Timestamp};
use crate::recruit::content::RecruitTemplate;
use crate::recruit::rules::{available_templates, nation_ready_at};
use crate::recruit::{
    NationId, SendId, SendRecord, SendStatus, Totals, ADMIN_NATION, NATION_COOLDOWN_SECS,
    TEMPLATE_COOLDOWN_SECS,
};
use crate::world::World;

/// What the filter needs to know about a fetched nation (names stay in the adapter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub nation: NationId,
    /// When the nation was last active, as the game reported it.
    pub last_active: Timestamp,
    pub vacation_turns: u32,
    /// 0 when the nation is in no alliance.
    pub alliance: u64,
}

/// How many fetched nations each filter removed, and the indexes of those left, in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    pub eligible: Vec<usize>,
    pub admin: usize,
    pub allied: usize,
    pub vacation: usize,
    pub inactive: usize,
    pub on_cooldown: usize,
}

/// The fetched nations that may be messaged at `now`: not the game's admin nation, in no
/// alliance, not in vacation mode, active within `inactive_days`, and off both cooldowns (a
/// template left for them). O(n log m) for n candidates and m nations ever messaged.
pub fn eligible(
    world: &World,
    candidates: &[Candidate],
    now: Timestamp,
    inactive_days: u32,
) -> Filtered {
    let active_since = now.plus_secs(-i64::from(inactive_days) * 24 * 60 * 60);
    let mut out = Filtered::default();
    for (index, candidate) in candidates.iter().enumerate() {
        if candidate.nation == ADMIN_NATION || candidate.nation.0 == 0 {
            out.admin += 1;
        } else if candidate.alliance != 0 {
            out.allied += 1;
        } else if candidate.vacation_turns > 0 {
            out.vacation += 1;
        } else if candidate.last_active < active_since {
            out.inactive += 1;
        } else if !can_message(world, candidate.nation, now) {
            out.on_cooldown += 1;
        } else {
            out.eligible.push(index);
        }
    }
    out
}

/// Whether the nation could get a message at `now` (both cooldowns). Looks the nation up once
/// and counts only its own blocked templates: fewer blocked than there are templates means one
/// is free.
pub fn can_message(world: &World, nation: NationId, now: Timestamp) -> bool {
    let Some(record) = world.recruit.nation(nation) else {
        // Never messaged: every template is free.
        return true;
    };
    if record
        .last_at
        .is_some_and(|last| now < last.plus_secs(NATION_COOLDOWN_SECS))
    {
        return false;
    }
    let blocked = record
        .templates
        .values()
        .filter(|at| now < at.plus_secs(TEMPLATE_COOLDOWN_SECS))
        .count();
    blocked < crate::content::get().recruit.len()
}

/// When the nation may be messaged again, if not now.
pub fn ready_at(world: &World, nation: NationId, now: Timestamp) -> Option<Timestamp> {
    if let Some(ready) = nation_ready_at(world, nation, now) {
        return Some(ready);
    }
    available_templates(world, nation, now).err()
}

/// One send, as the views list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendLine {
    pub send: SendId,
    pub nation: NationId,
    pub template: u16,
    pub leader: Option<PlayerId>,
    pub at: Timestamp,
    pub status: SendStatus,
}

fn line(send: SendId, record: &SendRecord) -> SendLine {
    SendLine {
        send,
        nation: record.nation,
        template: record.template,
        leader: record.leader,
        at: record.at,
        status: record.status,
    }
}

/// A send by id.
pub fn send(world: &World, send: SendId) -> Option<SendLine> {
    world.recruit.send(send).map(|record| line(send, record))
}

/// A template by id, from the embedded content.
pub fn template(id: u16) -> Option<&'static RecruitTemplate> {
    crate::content::get().recruit.get(&id)
}

/// Most sends listed in [`Stats::recent`] and [`Stats::awaiting`].
pub const STATS_LIST_MAX: usize = 10;

/// What `/recruitment_stats` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    pub totals: Totals,
    /// Nations that were ever sent a message that still counts.
    pub unique_nations: usize,
    /// Nations that can't be messaged at `now` because of their 60-hour cooldown.
    pub on_cooldown: usize,
    /// The earliest instant one of those becomes free again.
    pub next_available: Option<Timestamp>,
    /// The latest sends, newest first (at most [`STATS_LIST_MAX`]).
    pub recent: Vec<SendLine>,
    /// Sends without an outcome, oldest first (at most [`STATS_LIST_MAX`]).
    pub awaiting: Vec<SendLine>,
    /// All sends without an outcome.
    pub awaiting_total: usize,
}

pub fn stats(world: &World, now: Timestamp) -> Stats {
    let recruit = &world.recruit;
    let mut unique_nations = 0;
    let mut on_cooldown = 0;
    let mut next_available: Option<Timestamp> = None;
    for record in recruit.nations.values() {
        let Some(last) = record.last_at else {
            continue;
        };
        unique_nations += 1;
        let ready = last.plus_secs(NATION_COOLDOWN_SECS);
        if now < ready {
            on_cooldown += 1;
            next_available = Some(next_available.map_or(ready, |n| n.min(ready)));
        }
    }
    Stats {
        totals: recruit.totals,
        unique_nations,
        on_cooldown,
        next_available,
        recent: recruit
            .sends
            .iter()
            .rev()
            .take(STATS_LIST_MAX)
            .map(|(id, record)| line(*id, record))
            .collect(),
        awaiting: recruit
            .awaiting
            .iter()
            .take(STATS_LIST_MAX)
            .filter_map(|id| recruit.sends.get(id).map(|record| line(*id, record)))
            .collect(),
        awaiting_total: recruit.awaiting.len(),
    }
}
