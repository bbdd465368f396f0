//! What the operator asks of the admin area.

use serde::{Deserialize, Serialize};

/// Commands of the admin area; the operator's only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AdminCommand {
    /// Hides the audit entries recorded `keep_secs` or more before now (0: every entry
    /// so far). The clearing itself is an entry, never hidden.
    ClearLogs { keep_secs: u64 },
}
