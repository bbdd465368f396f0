//! Decisions of the social area. Checks run in this order: players only; then for `Tell` the
//! category (`UnknownCategory`), the style (`StyleNotHere` for jokes and blessings,
//! `UnknownStyle`), and `AboutNotHere` (jokes and blessings are about nobody); for `Spark`,
//! `AlreadyForged` without `reforge`, then `ReforgeTooSoon`; for `TakeQuiz`, `QuizIncomplete`,
//! then `QuizAnswerInvalid`.
//!
//! A line is drawn uniformly from the asked category (every category when none is asked),
//! leaving out the last [`RECENT_MAX`] lines of that kind the player was told; when every
//! candidate was told lately, the one told longest ago is told again, so lines come round in
//! turn rather than at random.

use serde::{Deserialize, Serialize};

use crate::content;
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::social::content::SocialContent;
use crate::social::state::LineKey;
use crate::social::{SocialCommand, SocialEvent, SparkFaction, TalkKind};
use crate::world::{Ctx, Event, Rejection, World};

/// Lines of one kind remembered per player, so they are not told again soon.
pub const RECENT_MAX: usize = 40;
/// A spark may be reforged once a day (recorded as `reforge_at` in `SparkForged`).
pub const SPARK_REFORGE_SECS: i64 = 24 * 3_600;

/// Why a social command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum SocialRejection {
    #[error("only players can do that")]
    PlayersOnly,
    #[error("there is no {} category `{category}`", kind.word())]
    UnknownCategory { kind: TalkKind, category: String },
    #[error("there is no style `{style}`")]
    UnknownStyle { style: String },
    #[error("{}s come in one style only", kind.word())]
    StyleNotHere { kind: TalkKind },
    #[error("{}s are not about anyone", kind.word())]
    AboutNotHere { kind: TalkKind },
    #[error("your spark is forged already; reforge it to get a new one")]
    AlreadyForged,
    #[error("a spark can be reforged once a day; yours can be from {at}")]
    ReforgeTooSoon { at: Timestamp },
    #[error("the quiz has {questions} questions; answer them all")]
    QuizIncomplete { questions: usize },
    #[error("question {question} has no such answer")]
    QuizAnswerInvalid { question: usize },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &SocialCommand,
) -> Result<Vec<Event>, Rejection> {
    let Actor::Player(player) = ctx.actor else {
        return Err(SocialRejection::PlayersOnly.into());
    };
    let content = &content::get().social;
    let event = match command {
        SocialCommand::Tell {
            kind,
            pool,
            style,
            about,
        } => decide_tell(world, ctx, content, player, *kind, pool, style, *about)?,
        SocialCommand::Spark { reforge } => decide_spark(world, ctx, content, player, *reforge)?,
        SocialCommand::TakeQuiz { answers } => SocialEvent::QuizTaken {
            player,
            answers: answers.clone(),
            faction: quiz_faction(content, answers)?,
        },
    };
    Ok(vec![Event::Social(event)])
}

#[allow(clippy::too_many_arguments)]
fn decide_tell(
    world: &World,
    ctx: &mut Ctx,
    content: &SocialContent,
    player: PlayerId,
    kind: TalkKind,
    pool: &Option<String>,
    style: &Option<String>,
    about: Option<PlayerId>,
) -> Result<SocialEvent, SocialRejection> {
    let unknown = |category: &str| SocialRejection::UnknownCategory {
        kind,
        category: crate::ids::quote(category),
    };
    let mut candidates: Vec<LineKey> = Vec::new();
    if kind.is_about() {
        let pools = content.styled(kind);
        if let Some(id) = pool {
            if !pools.iter().any(|p| &p.id == id) {
                return Err(unknown(id));
            }
        }
        if let Some(style) = style {
            if !pools.iter().any(|p| p.styles.contains_key(style)) {
                return Err(SocialRejection::UnknownStyle {
                    style: crate::ids::quote(style),
                });
            }
        }
        for p in pools
            .iter()
            .filter(|p| pool.as_ref().is_none_or(|id| &p.id == id))
        {
            for (s, lines) in p
                .styles
                .iter()
                .filter(|(s, _)| style.as_ref().is_none_or(|want| *s == want))
            {
                candidates
                    .extend((0..lines.len()).map(|n| (p.id.clone(), Some(s.clone()), n as u16)));
            }
        }
    } else {
        let pools = content.pools(kind);
        if let Some(id) = pool {
            if !pools.iter().any(|p| &p.id == id) {
                return Err(unknown(id));
            }
        }
        if style.is_some() {
            return Err(SocialRejection::StyleNotHere { kind });
        }
        if about.is_some() {
            return Err(SocialRejection::AboutNotHere { kind });
        }
        for p in pools
            .iter()
            .filter(|p| pool.as_ref().is_none_or(|id| &p.id == id))
        {
            candidates.extend((0..p.lines.len()).map(|n| (p.id.clone(), None, n as u16)));
        }
    }
    let recent = world.social.recent(player, kind);
    let told_at = |key: &LineKey| recent.and_then(|r| r.iter().rposition(|k| k == key));
    let fresh: Vec<&LineKey> = candidates.iter().filter(|k| told_at(k).is_none()).collect();
    let chosen = if fresh.is_empty() {
        // Everything here was told lately: the one told longest ago comes round again.
        candidates.iter().min_by_key(|k| told_at(k))
    } else {
        fresh.get(draw(ctx, fresh.len())).copied()
    };
    // Content is checked non-empty at load, so there is always a line.
    let (pool, style, line) = chosen.cloned().unwrap_or((String::new(), None, 0));
    Ok(SocialEvent::Told {
        player,
        kind,
        pool,
        style,
        line,
        about: kind.is_about().then_some(about.unwrap_or(player)),
    })
}

fn decide_spark(
    world: &World,
    ctx: &mut Ctx,
    content: &SocialContent,
    player: PlayerId,
    reforge: bool,
) -> Result<SocialEvent, SocialRejection> {
    if let Some(identity) = world.social.identities.get(&player) {
        if !reforge {
            return Err(SocialRejection::AlreadyForged);
        }
        if ctx.now < identity.reforge_at {
            return Err(SocialRejection::ReforgeTooSoon {
                at: identity.reforge_at,
            });
        }
    }
    // One draw each, in this order: faction, prefix, suffix, class, epithet, motto. Content is
    // checked non-empty at load; an empty list would draw an empty part, never panic.
    let faction = SparkFaction::ALL[draw(ctx, SparkFaction::ALL.len())];
    let names = content.faction(faction);
    let part = |ctx: &mut Ctx, parts: Option<&Vec<String>>| {
        let parts = parts.map_or(&[][..], Vec::as_slice);
        parts
            .get(draw(ctx, parts.len()))
            .cloned()
            .unwrap_or_default()
    };
    let prefix = part(ctx, names.map(|n| &n.prefixes));
    let suffix = part(ctx, names.map(|n| &n.suffixes));
    let classes = &content.identity.classes;
    let class = classes.get(draw(ctx, classes.len()));
    let epithet = part(ctx, class.map(|c| &c.epithets));
    let motto = part(ctx, names.map(|n| &n.mottos));
    Ok(SocialEvent::SparkForged {
        player,
        name: format!("{prefix}{}", suffix.to_lowercase()),
        faction,
        class: class.map(|c| c.id.clone()).unwrap_or_default(),
        epithet,
        motto,
        reforge_at: ctx.now.plus_secs(SPARK_REFORGE_SECS),
    })
}

/// An index below `n` (0 when `n` is 0) from the command's dice.
fn draw(ctx: &mut Ctx, n: usize) -> usize {
    ctx.dice.below(n.max(1) as u64) as usize
}

/// The faction a quiz's answers come out as: the highest total of the answers' weights, ties
/// broken in [`SparkFaction::ALL`] order.
pub fn quiz_faction(
    content: &SocialContent,
    answers: &[u8],
) -> Result<SparkFaction, SocialRejection> {
    let questions = &content.quiz.questions;
    if answers.len() != questions.len() {
        return Err(SocialRejection::QuizIncomplete {
            questions: questions.len(),
        });
    }
    let mut totals = [0u32; 3];
    for (n, (question, answer)) in questions.iter().zip(answers).enumerate() {
        let answer = question
            .answers
            .get(usize::from(*answer))
            .ok_or(SocialRejection::QuizAnswerInvalid { question: n + 1 })?;
        for (i, faction) in SparkFaction::ALL.iter().enumerate() {
            totals[i] += u32::from(answer.weights.get(faction).copied().unwrap_or(0));
        }
    }
    let best = (0..3).fold(0, |best, i| if totals[i] > totals[best] { i } else { best });
    Ok(SparkFaction::ALL[best])
}
