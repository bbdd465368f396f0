//! What the operator did to their own records. Stored: never reorder or change a variant.

use serde::{Deserialize, Serialize};

use crate::ids::Timestamp;

/// Events of the admin area, on the stream `admin`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AdminEvent {
    /// Schema 8: audit entries recorded at or before `before` are hidden from `/logs` (the events
    /// stay in the log; only the audit view skips them).
    LogsCleared { before: Timestamp },
}
