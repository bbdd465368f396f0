//! The admin projection: how far back the audit log is hidden.

use serde::{Deserialize, Serialize};

use crate::admin::AdminEvent;
use crate::ids::Timestamp;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Admin {
    /// Audit entries recorded at or before this are hidden (the latest point of any clearing: a
    /// clearing with an earlier point hides nothing more and shows nothing again).
    hidden_before: Option<Timestamp>,
    /// Clearings so far.
    clearings: u64,
}

impl Admin {
    pub fn hidden_before(&self) -> Option<Timestamp> {
        self.hidden_before
    }

    pub fn clearings(&self) -> u64 {
        self.clearings
    }

    pub(crate) fn evolve(&mut self, event: &AdminEvent, _at: Timestamp) {
        match event {
            AdminEvent::LogsCleared { before } => {
                self.hidden_before = Some(self.hidden_before.map_or(*before, |b| b.max(*before)));
                self.clearings += 1;
            }
        }
    }
}
