//! Decisions of the recruit area: who may record sends, the two cooldowns, the template pick.
//!
//! Checks run in this order: operator or system only; the game's admin nation and nation 0
//! are never messaged; the nation's 60-hour cooldown; a template the nation has not had in
//! 60 days (picked uniformly with the command's dice). Both cooldowns end exactly at their
//! length: a send at `last + 60 h` is allowed, one a millisecond earlier is not. An attempted
//! send without an outcome counts like a delivered one; a definite refusal (`Failed`) does not.

use serde::{Deserialize, Serialize};

use crate::ids::Timestamp;
use crate::recruit::{FailReason, NationId, RecruitCommand, RecruitEvent, SendId, SendStatus};
use crate::world::{Ctx, Event, Rejection, World};

/// No nation gets any message within this long of its last one.
pub const NATION_COOLDOWN_SECS: i64 = 60 * 60 * 60;
/// No nation gets the same template within this long.
pub const TEMPLATE_COOLDOWN_SECS: i64 = 60 * 24 * 60 * 60;
/// The game's admin nation, never messaged.
pub const ADMIN_NATION: NationId = NationId(1);

/// Why a recruitment command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum RecruitRejection {
    #[error("only the recruitment worker or the operator records sends")]
    NotAllowed,
    #[error("nation {nation} is never messaged")]
    Excluded { nation: NationId },
    #[error("nation {nation} was messaged recently; it can be messaged again at {ready_at}")]
    NationOnCooldown {
        nation: NationId,
        ready_at: Timestamp,
    },
    #[error("nation {nation} has had every template within 60 days; next one at {ready_at}")]
    NoTemplateAvailable {
        nation: NationId,
        ready_at: Timestamp,
    },
    #[error("there is no send {send}")]
    UnknownSend { send: SendId },
    #[error("send {send} already has its outcome")]
    AlreadySettled { send: SendId },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &RecruitCommand,
) -> Result<Vec<Event>, Rejection> {
    if !ctx.actor.is_operator() {
        return Err(RecruitRejection::NotAllowed.into());
    }
    match command {
        RecruitCommand::Attempt { nation, leader } => {
            decide_attempt(world, ctx, *nation).map(|(send, template)| {
                vec![Event::Recruit(RecruitEvent::Attempted {
                    send,
                    nation: *nation,
                    template,
                    leader: *leader,
                })]
            })
        }
        RecruitCommand::Confirm { send } => decide_confirm(world, *send),
        RecruitCommand::Fail { send, reason } => decide_fail(world, *send, *reason),
    }
}

/// When the nation may be messaged again (any template), if it is on cooldown at `now`.
pub(crate) fn nation_ready_at(
    world: &World,
    nation: NationId,
    now: Timestamp,
) -> Option<Timestamp> {
    let last = world.recruit.nation(nation)?.last_at?;
    let ready = last.plus_secs(NATION_COOLDOWN_SECS);
    (now < ready).then_some(ready)
}

/// The templates the nation may receive at `now`, in id order; with the earliest instant one
/// becomes free again when there is none.
pub(crate) fn available_templates(
    world: &World,
    nation: NationId,
    now: Timestamp,
) -> Result<Vec<u16>, Timestamp> {
    let used = world.recruit.nation(nation).map(|record| &record.templates);
    let mut free = Vec::new();
    let mut earliest: Option<Timestamp> = None;
    for id in crate::content::get().recruit.keys() {
        match used.and_then(|used| used.get(id)) {
            Some(at) if now < at.plus_secs(TEMPLATE_COOLDOWN_SECS) => {
                let ready = at.plus_secs(TEMPLATE_COOLDOWN_SECS);
                earliest = Some(earliest.map_or(ready, |e| e.min(ready)));
            }
            _ => free.push(*id),
        }
    }
    if free.is_empty() {
        Err(earliest.unwrap_or(now))
    } else {
        Ok(free)
    }
}

fn decide_attempt(
    world: &World,
    ctx: &mut Ctx,
    nation: NationId,
) -> Result<(SendId, u16), Rejection> {
    if nation == ADMIN_NATION || nation.0 == 0 {
        return Err(RecruitRejection::Excluded { nation }.into());
    }
    if let Some(ready_at) = nation_ready_at(world, nation, ctx.now) {
        return Err(RecruitRejection::NationOnCooldown { nation, ready_at }.into());
    }
    let free = available_templates(world, nation, ctx.now)
        .map_err(|ready_at| RecruitRejection::NoTemplateAvailable { nation, ready_at })?;
    let pick = ctx.dice.below(free.len() as u64) as usize;
    Ok((world.recruit.next_send_id(), free[pick]))
}

fn pending(world: &World, send: SendId) -> Result<NationId, Rejection> {
    let record = world
        .recruit
        .send(send)
        .ok_or(RecruitRejection::UnknownSend { send })?;
    if record.status != SendStatus::Attempted {
        return Err(RecruitRejection::AlreadySettled { send }.into());
    }
    Ok(record.nation)
}

fn decide_confirm(world: &World, send: SendId) -> Result<Vec<Event>, Rejection> {
    let nation = pending(world, send)?;
    Ok(vec![Event::Recruit(RecruitEvent::Confirmed {
        send,
        nation,
    })])
}

fn decide_fail(world: &World, send: SendId, reason: FailReason) -> Result<Vec<Event>, Rejection> {
    let nation = pending(world, send)?;
    Ok(vec![Event::Recruit(RecruitEvent::Failed {
        send,
        nation,
        reason,
    })])
}
