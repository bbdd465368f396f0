//! Decisions of the social area. Checks run in this order. `QuizRoleResult` is the system's
//! (`OperatorOnly`; then `NoSuchRequest`); `DeleteLore` is a player's or the operator's;
//! everything else is players only (`PlayersOnly`). Then for `Tell` the category
//! (`UnknownCategory`), the style (`StyleNotHere` for jokes and blessings, `UnknownStyle`), and
//! `AboutNotHere` (jokes and blessings are about nobody); for `Spark`, `AlreadyForged` without
//! `reforge`, then `ReforgeTooSoon`; for `TakeQuiz`, `QuizIncomplete`, then
//! `QuizAnswerInvalid`; for `AddLore`, the title (`EmptyTitle`, `TitleTooLong`), the text
//! (`EmptyText`, `TextTooLong`), `LoreFull`, `TitleTaken`, then `AlreadyQuoted`; for
//! `DeleteLore`, `NoSuchLore`, then `NotYourLore` (a player who neither kept it, is
//! quoted in it, nor moderates); for `MapQuizRole`, `RoleTaken` (the role is another result's), then
//! `NoRoleMapped` (clearing what isn't set); for `CountMyWords`, `AlreadyCounting` or
//! `NotCounting`.
//!
//! A line is drawn uniformly from the asked category (every category when none is asked),
//! leaving out the last [`RECENT_MAX`] lines of that kind the player was told; when every
//! candidate was told lately, the one told longest ago is told again, so lines come round in
//! turn rather than at random.
//!
//! A quiz taken in a server that gives its result a role also asks for that role
//! (`QuizRoleRequested`, its id derived from the command's seed), taking away the roles of the
//! other results; lore entries are numbered from 1 in each server, a number never reused.

use serde::{Deserialize, Serialize};

use crate::content;
use crate::ids::{Actor, PlayerId, Snowflake, Timestamp};
use crate::social::content::SocialContent;
use crate::social::state::LineKey;
use crate::social::{Quote, SocialCommand, SocialEvent, SparkFaction, TalkKind};
use crate::world::{Ctx, Event, Rejection, World};

/// Lines of one kind remembered per player, so they are not told again soon.
pub const RECENT_MAX: usize = 40;
/// A spark may be reforged once a day (recorded as `reforge_at` in `SparkForged`).
pub const SPARK_REFORGE_SECS: i64 = 24 * 3_600;
/// The longest lore title, in characters (a Discord modal's short field allows this much).
pub const LORE_TITLE_MAX: usize = 100;
/// The longest lore text, in characters (a Discord message is at most 4,000 for Nitro; an
/// entry's text fits an embed's description with its title and credit).
pub const LORE_TEXT_MAX: usize = 4_000;
/// The most entries a server's lore holds at once.
pub const LORE_PER_GUILD_MAX: usize = 10_000;
/// The longest reason a role worker's failure keeps, in characters.
pub const ROLE_REASON_MAX: usize = 200;

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
    #[error("only the operator can do that")]
    OperatorOnly,
    #[error("a lore entry needs a title")]
    EmptyTitle,
    #[error("a lore title is at most {max} characters")]
    TitleTooLong { max: usize },
    #[error("a lore entry needs some text")]
    EmptyText,
    #[error("a lore entry's text is at most {max} characters")]
    TextTooLong { max: usize },
    #[error("this server's lore already has an entry with that title (#{number})")]
    TitleTaken { number: u32 },
    #[error("that message is in this server's lore already (#{number})")]
    AlreadyQuoted { number: u32 },
    #[error("this server's lore is full ({max} entries); delete some first")]
    LoreFull { max: usize },
    #[error("this server's lore has no entry #{number}")]
    NoSuchLore { number: u32 },
    #[error(
        "only whoever kept lore entry #{number}, whoever it quotes, or a moderator, can delete it"
    )]
    NotYourLore { number: u32 },
    #[error("that role is given for {} already", faction.name())]
    RoleTaken { faction: SparkFaction },
    #[error("no role is given for {} here", faction.name())]
    NoRoleMapped { faction: SparkFaction },
    #[error("there is no role request {request:032x} waiting")]
    NoSuchRequest { request: u128 },
    #[error("your words are counted already")]
    AlreadyCounting,
    #[error("your words are not being counted")]
    NotCounting,
    #[error("only roasts and compliments can be written by a model")]
    WordsNotHere { kind: TalkKind },
    #[error("the model's words can't be shown; try again")]
    UnusableWords,
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &SocialCommand,
) -> Result<Vec<Event>, Rejection> {
    let events = match (command, ctx.actor) {
        (
            SocialCommand::QuizRoleResult {
                request,
                granted,
                reason,
            },
            actor,
        ) => {
            if !actor.is_operator() {
                return Err(SocialRejection::OperatorOnly.into());
            }
            vec![settle_role(world, *request, *granted, reason)?]
        }
        (
            SocialCommand::DeleteLore {
                guild,
                number,
                moderator,
            },
            Actor::Player(by) | Actor::Operator(by),
        ) => {
            let entry = world
                .social
                .lore
                .get(guild)
                .and_then(|lore| lore.entries.get(number))
                .ok_or(SocialRejection::NoSuchLore { number: *number })?;
            if matches!(ctx.actor, Actor::Player(_))
                && entry.author != by
                && entry.writer() != by
                && !moderator
            {
                return Err(SocialRejection::NotYourLore { number: *number }.into());
            }
            vec![SocialEvent::LoreDeleted {
                guild: *guild,
                number: *number,
                by,
            }]
        }
        (command, Actor::Player(player)) => decide_player(world, ctx, command, player)?,
        (_, _) => return Err(SocialRejection::PlayersOnly.into()),
    };
    Ok(events.into_iter().map(Event::Social).collect())
}

fn decide_player(
    world: &World,
    ctx: &mut Ctx,
    command: &SocialCommand,
    player: PlayerId,
) -> Result<Vec<SocialEvent>, SocialRejection> {
    let content = &content::get().social;
    let event = match command {
        SocialCommand::Tell {
            kind,
            pool,
            style,
            about,
            words,
        } => match words {
            None => decide_tell(world, ctx, content, player, *kind, pool, style, *about)?,
            Some(words) => {
                decide_told_by_model(content, player, *kind, pool, style, *about, words)?
            }
        },
        SocialCommand::Spark { reforge } => decide_spark(world, ctx, content, player, *reforge)?,
        SocialCommand::TakeQuiz { answers, guild } => {
            let faction = quiz_faction(content, answers)?;
            let mut events = vec![SocialEvent::QuizTaken {
                player,
                answers: answers.clone(),
                faction,
            }];
            let roles = guild.and_then(|g| world.social.quiz_roles.get(&g).map(|r| (g, r)));
            if let Some((guild, roles)) = roles {
                if let Some(role) = roles.get(&faction) {
                    events.push(SocialEvent::QuizRoleRequested {
                        request: ctx.derive("quiz-role"),
                        guild,
                        player,
                        role: *role,
                        remove: roles
                            .iter()
                            .filter(|(f, _)| **f != faction)
                            .map(|(_, r)| *r)
                            .collect(),
                    });
                }
            }
            return Ok(events);
        }
        SocialCommand::AddLore {
            guild,
            title_key,
            title,
            text,
            quote,
        } => decide_add_lore(world, player, *guild, *title_key, title, text, *quote)?,
        SocialCommand::MapQuizRole {
            guild,
            faction,
            role,
        } => {
            let roles = world.social.quiz_roles.get(guild);
            match role {
                Some(role) => {
                    let other = roles
                        .into_iter()
                        .flatten()
                        .find(|(f, r)| *r == role && *f != faction);
                    if let Some((other, _)) = other {
                        return Err(SocialRejection::RoleTaken { faction: *other });
                    }
                }
                None => {
                    if roles.is_none_or(|r| !r.contains_key(faction)) {
                        return Err(SocialRejection::NoRoleMapped { faction: *faction });
                    }
                }
            }
            SocialEvent::QuizRoleMapped {
                guild: *guild,
                faction: *faction,
                role: *role,
                by: player,
            }
        }
        SocialCommand::CountMyWords { on } => {
            let counting = world.social.counting_words.contains(&player);
            match (on, counting) {
                (true, true) => return Err(SocialRejection::AlreadyCounting),
                (false, false) => return Err(SocialRejection::NotCounting),
                _ => SocialEvent::WordsCounting { player, on: *on },
            }
        }
        SocialCommand::DeleteLore { .. } | SocialCommand::QuizRoleResult { .. } => {
            // Decided above, whoever asks.
            return Err(SocialRejection::PlayersOnly);
        }
    };
    Ok(vec![event])
}

fn decide_add_lore(
    world: &World,
    author: PlayerId,
    guild: Snowflake,
    title_key: u128,
    title: &str,
    text: &str,
    quote: Option<Quote>,
) -> Result<SocialEvent, SocialRejection> {
    let title = title.trim();
    if title.is_empty() {
        return Err(SocialRejection::EmptyTitle);
    }
    if title.chars().count() > LORE_TITLE_MAX {
        return Err(SocialRejection::TitleTooLong {
            max: LORE_TITLE_MAX,
        });
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(SocialRejection::EmptyText);
    }
    if text.chars().count() > LORE_TEXT_MAX {
        return Err(SocialRejection::TextTooLong { max: LORE_TEXT_MAX });
    }
    let lore = world.social.lore.get(&guild);
    let entries = lore.map(|l| &l.entries);
    if entries.is_some_and(|e| e.len() >= LORE_PER_GUILD_MAX) {
        return Err(SocialRejection::LoreFull {
            max: LORE_PER_GUILD_MAX,
        });
    }
    for entry in entries.into_iter().flat_map(|e| e.values()) {
        if entry.title_key == title_key {
            return Err(SocialRejection::TitleTaken {
                number: entry.number,
            });
        }
        if let (Some(old), Some(new)) = (entry.quote, quote) {
            if old.channel == new.channel && old.message == new.message {
                return Err(SocialRejection::AlreadyQuoted {
                    number: entry.number,
                });
            }
        }
    }
    Ok(SocialEvent::LoreAdded {
        guild,
        number: lore.map_or(1, |l| l.next.max(1)),
        author,
        title_key,
        quote,
    })
}

fn settle_role(
    world: &World,
    request: u128,
    granted: bool,
    reason: &Option<String>,
) -> Result<SocialEvent, SocialRejection> {
    let pending = world
        .social
        .role_requests
        .get(&request)
        .ok_or(SocialRejection::NoSuchRequest { request })?;
    Ok(SocialEvent::QuizRoleSettled {
        request,
        player: pending.player,
        granted,
        reason: reason
            .as_ref()
            .map(|r| r.trim().chars().take(ROLE_REASON_MAX).collect()),
    })
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
        let pools = styled_pools(content, kind, pool, style)?;
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

/// The pools of a kind about someone, once the category and style asked for are known to be in
/// them.
fn styled_pools<'c>(
    content: &'c SocialContent,
    kind: TalkKind,
    pool: &Option<String>,
    style: &Option<String>,
) -> Result<&'c [crate::social::content::StyledPool], SocialRejection> {
    let pools = content.styled(kind);
    if let Some(id) = pool {
        if !pools.iter().any(|p| &p.id == id) {
            return Err(SocialRejection::UnknownCategory {
                kind,
                category: crate::ids::quote(id),
            });
        }
    }
    if let Some(style) = style {
        if !pools.iter().any(|p| p.styles.contains_key(style)) {
            return Err(SocialRejection::UnknownStyle {
                style: crate::ids::quote(style),
            });
        }
    }
    Ok(pools)
}

/// A model's roast or compliment: the same category and style checks as a line from the book,
/// and the words checked again (the adapter sanitized them; a rule trusts no input).
fn decide_told_by_model(
    content: &SocialContent,
    player: PlayerId,
    kind: TalkKind,
    pool: &Option<String>,
    style: &Option<String>,
    about: Option<PlayerId>,
    words: &str,
) -> Result<SocialEvent, SocialRejection> {
    if !kind.is_about() {
        return Err(SocialRejection::WordsNotHere { kind });
    }
    styled_pools(content, kind, pool, style)?;
    if !crate::social::story::is_valid_words(words) {
        return Err(SocialRejection::UnusableWords);
    }
    Ok(SocialEvent::ToldByModel {
        player,
        kind,
        pool: pool.clone(),
        style: style.clone(),
        about: about.unwrap_or(player),
        text: words.to_string(),
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
