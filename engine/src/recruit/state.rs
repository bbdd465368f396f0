//! The recruit area's state: every send by id, and per nation the instants that its
//! cooldowns run from.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::recruit::{FailReason, NationId, RecruitEvent, SendId};

/// Where a send stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SendStatus {
    /// Recorded before the request left; no outcome yet (or none will ever come: a crash).
    Attempted,
    Confirmed,
    Failed(FailReason),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SendRecord {
    pub nation: NationId,
    pub template: u16,
    /// The leader the send was made for; `None` once that leader was erased.
    pub leader: Option<PlayerId>,
    pub at: Timestamp,
    pub status: SendStatus,
}

impl SendRecord {
    /// Whether the send holds the nation's cooldowns: everything but a definite refusal.
    pub fn counts(&self) -> bool {
        !matches!(self.status, SendStatus::Failed(_))
    }
}

/// What the cooldowns of one nation run from: its latest counting send, and per template the
/// latest counting send of that template.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NationRecord {
    pub last_at: Option<Timestamp>,
    pub templates: BTreeMap<u16, Timestamp>,
    /// Every send to the nation, in order (so a refusal can recompute the instants above).
    pub sends: Vec<SendId>,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Totals {
    pub attempted: u64,
    pub confirmed: u64,
    pub failed: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Recruitment {
    pub(crate) sends: BTreeMap<SendId, SendRecord>,
    pub(crate) nations: BTreeMap<NationId, NationRecord>,
    /// Sends without an outcome, oldest first.
    pub(crate) awaiting: BTreeSet<SendId>,
    pub(crate) totals: Totals,
    /// The id of the latest send (0 before the first).
    pub(crate) last_send: u64,
}

impl Recruitment {
    pub fn nation(&self, nation: NationId) -> Option<&NationRecord> {
        self.nations.get(&nation)
    }

    pub fn send(&self, send: SendId) -> Option<&SendRecord> {
        self.sends.get(&send)
    }

    pub fn next_send_id(&self) -> SendId {
        SendId(self.last_send + 1)
    }

    /// An erased leader's sends stay (they still hold the nations' cooldowns) but no longer
    /// name them.
    pub(crate) fn forget_leader(&mut self, player: PlayerId) {
        for record in self.sends.values_mut() {
            if record.leader == Some(player) {
                record.leader = None;
            }
        }
    }

    pub fn evolve(&mut self, event: &RecruitEvent, at: Timestamp) {
        match event {
            RecruitEvent::Attempted {
                send,
                nation,
                template,
                leader,
            } => {
                self.sends.insert(
                    *send,
                    SendRecord {
                        nation: *nation,
                        template: *template,
                        leader: Some(*leader),
                        at,
                        status: SendStatus::Attempted,
                    },
                );
                self.awaiting.insert(*send);
                self.last_send = self.last_send.max(send.0);
                self.totals.attempted += 1;
                let record = self.nations.entry(*nation).or_default();
                record.sends.push(*send);
                record.last_at = Some(record.last_at.map_or(at, |last| last.max(at)));
                let latest = record.templates.entry(*template).or_insert(at);
                *latest = (*latest).max(at);
            }
            RecruitEvent::Confirmed { send, .. } => {
                if let Some(record) = self.sends.get_mut(send) {
                    if record.status == SendStatus::Attempted {
                        record.status = SendStatus::Confirmed;
                        self.awaiting.remove(send);
                        self.totals.confirmed += 1;
                    }
                }
            }
            RecruitEvent::Failed { send, reason, .. } => {
                let Some(record) = self.sends.get_mut(send) else {
                    return;
                };
                if record.status != SendStatus::Attempted {
                    return;
                }
                record.status = SendStatus::Failed(*reason);
                let nation = record.nation;
                self.awaiting.remove(send);
                self.totals.failed += 1;
                self.recompute(nation);
            }
        }
    }

    /// The nation's cooldown instants from its sends that still count.
    fn recompute(&mut self, nation: NationId) {
        let Some(record) = self.nations.get_mut(&nation) else {
            return;
        };
        record.last_at = None;
        record.templates.clear();
        for id in &record.sends {
            let Some(send) = self.sends.get(id) else {
                continue;
            };
            if !send.counts() {
                continue;
            }
            record.last_at = Some(record.last_at.map_or(send.at, |last| last.max(send.at)));
            let latest = record.templates.entry(send.template).or_insert(send.at);
            *latest = (*latest).max(send.at);
        }
    }
}
