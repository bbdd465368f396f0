//! Trivia's rules. One session per channel; `TriviaStart` records the session (its length cut
//! to the questions its category has) and asks the first question, drawn by the dice from the
//! category's questions not asked yet in the session. Each player answers a question once;
//! the first right answer wins it, closes it and asks the next (or ends the session after the
//! last). A question left [`TRIVIA_QUESTION_SECS`] times out (the worker's `TriviaTimeout`);
//! after [`TRIVIA_QUIET_MAX`] questions in a row without a single answer the session ends, as
//! nobody is playing. The host, a moderator or the operator may stop it.
//!
//! Checks run in this order: for a start, `TriviaRunning` (one session a channel),
//! `TriviaCategory` (not a category), `TriviaLength` (not 1 to [`TRIVIA_QUESTIONS_MAX`]);
//! for an answer, `NoTrivia`, `TriviaClosed` (not the open question), `TriviaChoice` (not
//! one of four), `TriviaAnsweredAlready`; for a stop, `NoTrivia`, `TriviaNotHost`; for a
//! timeout (the system's), `NoTrivia`, `TriviaClosed`, `TriviaNotDue`.

use crate::content;
use crate::fun::{FunEvent, FunRejection, TriviaSession};
use crate::ids::{Actor, PlayerId, Snowflake};
use crate::world::{Ctx, World};

/// How long a question stays open.
pub const TRIVIA_QUESTION_SECS: i64 = 60;
/// The longest and shortest sessions, and the length when none is asked for.
pub const TRIVIA_QUESTIONS_MIN: u8 = 1;
pub const TRIVIA_QUESTIONS_MAX: u8 = 30;
pub const TRIVIA_QUESTIONS_DEFAULT: u8 = 10;
/// Questions in a row without an answer that end a session.
pub const TRIVIA_QUIET_MAX: u8 = 2;

/// The next question of `session` (`None`: its category has no question left).
fn ask(
    ctx: &mut Ctx,
    channel: Snowflake,
    category: Option<&str>,
    asked: &std::collections::BTreeSet<u16>,
    number: u8,
) -> Option<FunEvent> {
    let left: Vec<u16> = content::get()
        .trivia
        .pool(category)
        .into_iter()
        .filter(|q| !asked.contains(q))
        .collect();
    if left.is_empty() {
        return None;
    }
    let pick = left[ctx.dice.below(left.len() as u64) as usize];
    Some(FunEvent::TriviaAsked {
        channel,
        number,
        question: pick,
        closes_at: ctx.now.plus_secs(TRIVIA_QUESTION_SECS),
    })
}

/// After question `session.number` closed: the next one, or the end.
fn next(ctx: &mut Ctx, channel: Snowflake, session: &TriviaSession, ended: bool) -> FunEvent {
    let end = FunEvent::TriviaEnded {
        channel,
        stopped_by: None,
    };
    if ended || session.number >= session.questions {
        return end;
    }
    ask(
        ctx,
        channel,
        session.category.as_deref(),
        &session.asked,
        session.number + 1,
    )
    .unwrap_or(end)
}

pub(crate) fn start(
    world: &World,
    ctx: &mut Ctx,
    host: PlayerId,
    (channel, category, questions): (Snowflake, Option<&str>, u8),
) -> Result<Vec<FunEvent>, FunRejection> {
    if world.fun.trivia.contains_key(&channel) {
        return Err(FunRejection::TriviaRunning);
    }
    let trivia = &content::get().trivia;
    if let Some(category) = category {
        if trivia.category(category).is_none() {
            return Err(FunRejection::TriviaCategory {
                category: category.to_string(),
            });
        }
    }
    if !(TRIVIA_QUESTIONS_MIN..=TRIVIA_QUESTIONS_MAX).contains(&questions) {
        return Err(FunRejection::TriviaLength {
            max: TRIVIA_QUESTIONS_MAX,
        });
    }
    let available = u8::try_from(trivia.pool(category).len()).unwrap_or(u8::MAX);
    let questions = questions.min(available);
    let first = ask(ctx, channel, category, &Default::default(), 1).ok_or(
        FunRejection::TriviaCategory {
            category: category.unwrap_or("random").to_string(),
        },
    )?;
    Ok(vec![
        FunEvent::TriviaStarted {
            channel,
            host,
            category: category.map(str::to_string),
            questions,
        },
        first,
    ])
}

fn open(world: &World, channel: Snowflake) -> Result<&TriviaSession, FunRejection> {
    world.fun.trivia.get(&channel).ok_or(FunRejection::NoTrivia)
}

pub(crate) fn answer(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    (channel, number, choice): (Snowflake, u8, u8),
) -> Result<Vec<FunEvent>, FunRejection> {
    let session = open(world, channel)?;
    if number != session.number || ctx.now >= session.closes_at {
        return Err(FunRejection::TriviaClosed { number });
    }
    if choice >= 4 {
        return Err(FunRejection::TriviaChoice { choice });
    }
    if session.answered.contains(&player) {
        return Err(FunRejection::TriviaAnsweredAlready { number });
    }
    let right = content::get()
        .trivia
        .questions
        .get(usize::from(session.question))
        .map(|q| q.answer);
    let correct = right == Some(choice);
    let mut events = vec![FunEvent::TriviaAnswered {
        channel,
        number,
        player,
        choice,
        correct,
    }];
    if correct {
        events.push(next(ctx, channel, session, false));
    }
    Ok(events)
}

pub(crate) fn stop(
    world: &World,
    ctx: &Ctx,
    (channel, moderator): (Snowflake, bool),
) -> Result<Vec<FunEvent>, FunRejection> {
    let session = open(world, channel)?;
    let by = match ctx.actor {
        Actor::Player(player) => {
            if session.host != Some(player) && !moderator {
                return Err(FunRejection::TriviaNotHost);
            }
            Some(player)
        }
        Actor::Operator(player) => Some(player),
        Actor::System => None,
    };
    Ok(vec![FunEvent::TriviaEnded {
        channel,
        stopped_by: by,
    }])
}

pub(crate) fn timeout(
    world: &World,
    ctx: &mut Ctx,
    (channel, number): (Snowflake, u8),
) -> Result<Vec<FunEvent>, FunRejection> {
    let session = open(world, channel)?;
    if number != session.number {
        return Err(FunRejection::TriviaClosed { number });
    }
    if ctx.now < session.closes_at {
        return Err(FunRejection::TriviaNotDue { number });
    }
    let quiet = session.answered.is_empty() && session.quiet + 1 >= TRIVIA_QUIET_MAX;
    Ok(vec![
        FunEvent::TriviaTimedOut { channel, number },
        next(ctx, channel, session, quiet),
    ])
}

/// Questions that ran out of time at `now`, as (channel, number, when their session started).
pub fn due(
    world: &World,
    now: crate::ids::Timestamp,
) -> Vec<(Snowflake, u8, crate::ids::Timestamp)> {
    world
        .fun
        .trivia
        .iter()
        .filter(|(_, s)| now >= s.closes_at)
        .map(|(channel, s)| (*channel, s.number, s.started_at))
        .collect()
}
