//! Decisions of the admin area: only the operator clears the audit log, and the point is
//! never in the future.

use serde::{Deserialize, Serialize};

use crate::admin::{AdminCommand, AdminEvent};
use crate::ids::Timestamp;
use crate::world::{Ctx, Event, Rejection, World};

/// The longest a clearing may keep: ten years (beyond, it would hide nothing anyway).
pub const KEEP_SECS_MAX: u64 = 10 * 366 * 24 * 60 * 60;

/// Why an admin command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum AdminRejection {
    #[error("only the operator can do that")]
    NotAllowed,
    #[error("keep at most {max} seconds (ten years)")]
    KeepTooLong { max: u64 },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &AdminCommand,
) -> Result<Vec<Event>, Rejection> {
    match command {
        AdminCommand::ClearLogs { keep_secs } => decide_clear_logs(world, ctx, *keep_secs),
    }
}

fn decide_clear_logs(
    _world: &World,
    ctx: &mut Ctx,
    keep_secs: u64,
) -> Result<Vec<Event>, Rejection> {
    if !ctx.actor.is_operator() {
        return Err(AdminRejection::NotAllowed.into());
    }
    if keep_secs > KEEP_SECS_MAX {
        return Err(AdminRejection::KeepTooLong { max: KEEP_SECS_MAX }.into());
    }
    // Within ten years of milliseconds: no overflow.
    let keep_millis = i64::try_from(keep_secs).unwrap_or(i64::MAX / 1000) * 1000;
    let before = Timestamp(ctx.now.0.saturating_sub(keep_millis));
    Ok(vec![Event::Admin(AdminEvent::LogsCleared { before })])
}
