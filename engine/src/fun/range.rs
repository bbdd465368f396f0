//! The shooting range's rules. A session opens with a countdown; the countdown's end
//! (`RangeReady`) shows the first round: one target on one of five buttons, placed by the
//! dice. The first press of a round settles it, measured from the instant the round showed
//! (in its event) to the press's own timestamp, clamped into [shown, now] so that no clock
//! can make a press faster than possible or later than its arrival; a press after
//! [`ROUND_WINDOW_MS`] is late, a miss. Each settled round shows the next, until the last
//! ends the session with its rank and whether it set a record. A session left alone for
//! [`RANGE_IDLE_SECS`] lapses (the worker's `RangeLapse`, or the player's next `/range`):
//! every round not pressed is a miss.
//!
//! Checks run in this order: `RangeRounds` (not a session length), then `RangeOpen` (one
//! session at a time, unless the open one lapsed); for presses and the countdown,
//! `NoRange`/`RangeGone` (no session, or another one than the press's), `RangeCountdown`
//! (pressed before the first target showed), `RangeRoundGone` (a round already settled or
//! not yet shown), `RangeButton` (not one of the five).

use crate::content;
use crate::fun::{FunEvent, FunRejection, RangeSession, ShotOutcome};
use crate::ids::{PlayerId, Timestamp};
use crate::world::{Ctx, World};

/// The session lengths the range offers.
pub const RANGE_ROUNDS: [u8; 5] = [5, 15, 25, 50, 100];
/// Buttons per round.
pub const RANGE_BUTTONS: u8 = 5;
/// How long a round waits for its press before a press is late.
pub const ROUND_WINDOW_MS: i64 = 2_500;
/// The countdown before the first round (the adapter shows it; the engine only waits for
/// `RangeReady`).
pub const RANGE_COUNTDOWN_SECS: i64 = 3;
/// A session with no press (or no first round) for this long lapses.
pub const RANGE_IDLE_SECS: i64 = 60;

/// Whether `range` sat idle long enough to lapse at `now`.
pub fn lapsed(range: &RangeSession, now: Timestamp) -> bool {
    now >= range.shown_at.plus_secs(RANGE_IDLE_SECS)
}

/// The rank (an index into the content's ranks) of `hits` out of `rounds`: the last whose
/// threshold the accuracy reaches, compared exactly in integers.
pub fn rank(hits: u8, rounds: u8) -> u8 {
    let ranks = &content::get().range.ranks;
    let reached = ranks
        .iter()
        .rposition(|r| u32::from(hits) * 100 >= u32::from(r.min_percent) * u32::from(rounds))
        .unwrap_or(0);
    u8::try_from(reached).unwrap_or(0)
}

/// The rounds of `range` settled so far (the showing one counts once pressed).
fn settled(range: &RangeSession) -> u8 {
    range.round.saturating_sub(u8::from(!range.pressed))
}

/// The event that ends `range` after `settled` rounds with `hits` (their reactions summed in
/// `hit_ms`), the rounds it still owes counted as misses.
fn end(
    world: &World,
    player: PlayerId,
    range: &RangeSession,
    (settled, hits, hit_ms): (u8, u8, u64),
) -> FunEvent {
    let unpressed = range.rounds.saturating_sub(settled);
    let best = world
        .fun
        .range_stats
        .get(&player)
        .and_then(|s| s.by_rounds.get(&range.rounds));
    let record = hits > 0
        && best.is_none_or(|b| {
            b.played == 0 || hits > b.best_hits || (hits == b.best_hits && hit_ms < b.best_hit_ms)
        });
    FunEvent::RangeEnded {
        player,
        session: range.session,
        rounds: range.rounds,
        hits,
        unpressed,
        rank: rank(hits, range.rounds),
        record,
    }
}

fn show(ctx: &mut Ctx, player: PlayerId, round: u8) -> FunEvent {
    FunEvent::RangeRoundShown {
        player,
        round,
        target: ctx.dice.below(u64::from(RANGE_BUTTONS)) as u8,
        shown_at: ctx.now,
    }
}

pub(crate) fn start(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    rounds: u8,
) -> Result<Vec<FunEvent>, FunRejection> {
    if !RANGE_ROUNDS.contains(&rounds) {
        return Err(FunRejection::RangeRounds { rounds });
    }
    let mut events = Vec::new();
    let mut finished = world.fun.range_stats.get(&player).map_or(0, |s| s.sessions);
    if let Some(open) = world.fun.ranges.get(&player) {
        if !lapsed(open, ctx.now) {
            return Err(FunRejection::RangeOpen {
                session: open.session,
            });
        }
        events.push(end(
            world,
            player,
            open,
            (settled(open), open.hits, open.hit_ms),
        ));
        finished = finished.saturating_add(1);
    }
    events.push(FunEvent::RangeStarted {
        player,
        session: finished.saturating_add(1),
        rounds,
    });
    Ok(events)
}

fn open(world: &World, player: PlayerId, session: u32) -> Result<&RangeSession, FunRejection> {
    let range = world.fun.ranges.get(&player).ok_or(FunRejection::NoRange)?;
    if range.session != session {
        return Err(FunRejection::RangeGone { session });
    }
    Ok(range)
}

pub(crate) fn ready(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    session: u32,
) -> Result<Vec<FunEvent>, FunRejection> {
    let range = open(world, player, session)?;
    if range.round != 0 {
        return Err(FunRejection::RangeRoundGone { round: 1 });
    }
    Ok(vec![show(ctx, player, 1)])
}

pub(crate) fn shoot(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    (session, round, button, pressed_at): (u32, u8, u8, Timestamp),
) -> Result<Vec<FunEvent>, FunRejection> {
    let range = open(world, player, session)?;
    if range.round == 0 {
        return Err(FunRejection::RangeCountdown);
    }
    if round != range.round || range.pressed {
        return Err(FunRejection::RangeRoundGone { round });
    }
    if button >= RANGE_BUTTONS {
        return Err(FunRejection::RangeButton { button });
    }
    let pressed = pressed_at
        .0
        .clamp(range.shown_at.0, ctx.now.0.max(range.shown_at.0));
    let reaction = pressed - range.shown_at.0;
    let reaction_ms = u32::try_from(reaction).unwrap_or(u32::MAX);
    let outcome = if reaction > ROUND_WINDOW_MS {
        ShotOutcome::Late
    } else if button == range.target {
        ShotOutcome::Hit
    } else {
        ShotOutcome::Miss
    };
    let mut events = vec![FunEvent::RangeShot {
        player,
        round,
        button,
        reaction_ms,
        outcome,
    }];
    let (hits, hit_ms) = match outcome {
        ShotOutcome::Hit => (
            range.hits.saturating_add(1),
            range.hit_ms.saturating_add(u64::from(reaction_ms)),
        ),
        ShotOutcome::Miss | ShotOutcome::Late => (range.hits, range.hit_ms),
    };
    if round >= range.rounds {
        events.push(end(world, player, range, (round, hits, hit_ms)));
    } else {
        events.push(show(ctx, player, round + 1));
    }
    Ok(events)
}

pub(crate) fn lapse(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    session: u32,
) -> Result<Vec<FunEvent>, FunRejection> {
    let range = open(world, player, session)?;
    if !lapsed(range, ctx.now) {
        return Err(FunRejection::RangeNotIdle { session });
    }
    Ok(vec![end(
        world,
        player,
        range,
        (settled(range), range.hits, range.hit_ms),
    )])
}
