//! Decisions of the fun area. Checks run in this order: players only; for `Grump`,
//! `GrumpSelf`, `OptedOut` (the grump said no), `OnCooldown` (the asker grumped within the
//! hour), `GrumpResting` (someone grumped at them within ten minutes). The shooting range's
//! rules and their order are in `range.rs`, trivia's in `trivia.rs`, WalkTru's in `walk.rs`; `RangeLapse` and
//! `TriviaTimeout` and `CombinerExpire` are the system's alone (combiner teams: `combiner.rs`), `TriviaStop` also the operator's.
//!
//! A ladder climbs one rung per use while uses come within its quiet window of each other,
//! stays on its top rung, and starts again from the first after a quiet window.

use serde::{Deserialize, Serialize};

use crate::content;
use crate::fun::{combiner, games, mega, range, trivia, walk, FunCommand, FunEvent, Ladder};
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

/// A hello within two minutes of the last one climbs the ladder.
pub const HELLO_QUIET_SECS: i64 = 120;
/// A ping within a minute of the last one climbs the ladder.
pub const PING_QUIET_SECS: i64 = 60;
/// A player may grump once an hour.
pub const GRUMP_COOLDOWN_SECS: i64 = 3_600;
/// The grump is grumped at once every ten minutes at most, by anyone.
pub const GRUMP_TARGET_COOLDOWN_SECS: i64 = 600;

/// Why a fun command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum FunRejection {
    #[error("only players can do that")]
    PlayersOnly,
    #[error("you can't grump at yourself; you are grumpy enough")]
    GrumpSelf,
    #[error("<@{target}> asked not to be grumped at")]
    OptedOut { target: PlayerId },
    #[error("you can grump again from {ready_at}")]
    OnCooldown { ready_at: Timestamp },
    #[error("<@{target}> was grumped at a moment ago; let them rest until {ready_at}")]
    GrumpResting {
        target: PlayerId,
        ready_at: Timestamp,
    },
    #[error("only the system does that")]
    SystemOnly,
    #[error("a range session is 5, 15, 25, 50 or 100 rounds, not {rounds}")]
    RangeRounds { rounds: u8 },
    #[error("your range session #{session} is still open: finish it first (it lapses after a minute left alone)")]
    RangeOpen { session: u32 },
    #[error("you have no range session open; start one with /range")]
    NoRange,
    #[error("range session #{session} is over; start a new one with /range")]
    RangeGone { session: u32 },
    #[error("wait for the countdown: no target is up yet")]
    RangeCountdown,
    #[error("round {round} is already settled (only the first press counts)")]
    RangeRoundGone { round: u8 },
    #[error("there is no button {button}")]
    RangeButton { button: u8 },
    #[error("range session #{session} is still in play")]
    RangeNotIdle { session: u32 },
    #[error("a trivia session is already running in this channel")]
    TriviaRunning,
    #[error("there is no trivia category `{category}`")]
    TriviaCategory { category: String },
    #[error("a trivia session asks 1 to {max} questions")]
    TriviaLength { max: u8 },
    #[error("no trivia session is running in this channel; start one with /trivia")]
    NoTrivia,
    #[error("question {number} is closed")]
    TriviaClosed { number: u8 },
    #[error("there is no option {choice}")]
    TriviaChoice { choice: u8 },
    #[error("you already answered question {number}: one answer per question")]
    TriviaAnsweredAlready { number: u8 },
    #[error("only whoever started this trivia, a moderator or the operator can stop it")]
    TriviaNotHost,
    #[error("question {number} is still open")]
    TriviaNotDue { number: u8 },
    #[error("there is no story `{story}`")]
    NoStory { story: String },
    #[error("your {story} story is still going: carry on, or start over")]
    WalkGoing { story: String },
    #[error("you have no {story} story going; start one with /walktru")]
    NoWalk { story: String },
    #[error("your {story} story has moved on since that was shown")]
    WalkMoved { story: String },
    #[error("there is no choice {choice} here")]
    NoChoice { choice: u8 },
    #[error("there is no combiner team #{team}")]
    NoTeam { team: u32 },
    #[error("combiner team #{team} is already formed")]
    TeamFormed { team: u32 },
    #[error("combiner team #{team} ran out of time; open a new one with /combiner")]
    TeamExpired { team: u32 },
    #[error("you need a pet to be part of a combiner: /get_pet adopts one")]
    NeedPet,
    #[error("you are already in combiner team #{team}; /combiner_leave leaves it")]
    InTeam { team: u32 },
    #[error("that part ({part:?}) is taken")]
    PartTaken { part: crate::fun::combiner::Part },
    #[error("you are not in a combiner team")]
    NotInTeam,
    #[error("combiner team #{team} still has time")]
    TeamNotDue { team: u32 },
    #[error("a Cybertron Games has at most {entrants} contestants, no factions or 2 to {factions}, and 1 to {districts} districts")]
    GamesSize {
        entrants: u8,
        factions: u8,
        districts: u8,
    },
    #[error("there is no Cybertron Games #{game}")]
    NoGame { game: u32 },
    #[error("Cybertron Games #{game} is already under way")]
    GamesUnderway { game: u32 },
    #[error("you are already in Cybertron Games #{game}")]
    GamesIn { game: u32 },
    #[error("Cybertron Games #{game} is full")]
    GamesFull { game: u32 },
    #[error("only whoever opened Cybertron Games #{game} runs it")]
    GamesNotCreator { game: u32 },
    #[error("Cybertron Games #{game} has not started")]
    GamesNotStarted { game: u32 },
    #[error("Cybertron Games #{game} is over")]
    GamesOver { game: u32 },
    #[error("Cybertron Games #{game} needs at least two contestants")]
    GamesTooFew { game: u32 },
    #[error("combiner team #{team} is not formed yet")]
    NotFormed { team: u32 },
    #[error("only the head of combiner team #{team} speaks for it")]
    NotHead { team: u32 },
    #[error("a team can't fight itself")]
    SameTeam,
    #[error("combiner team #{team} is in a mega-fight already")]
    MegaFighting { team: u32 },
    #[error("combiner team #{team} has not challenged your team")]
    NoMegaChallenge { team: u32 },
    #[error("<@{player}> has no pet to bring to the fight")]
    MemberWithoutPet { player: PlayerId },
    #[error("<@{player}>'s pet is too weak to fight")]
    MemberTooWeak { player: PlayerId },
    #[error("the sorter takes 2 to {players} different players and 1 to {districts} districts, no more districts than players")]
    SortSize { players: u8, districts: u8 },
    #[error("give at most one name per district or faction, each 1 to {max} letters, digits, spaces or - ' .")]
    GamesNames { max: u8 },
    #[error("Cybertron Games #{game} is open to members with <@&{role}> only")]
    GamesRoleNeeded {
        game: u32,
        role: crate::ids::Snowflake,
    },
    #[error("round {round} of Cybertron Games #{game} can't be retold so (played, once, in at most {max} plain characters)")]
    GamesNarrationRefused { game: u32, round: u16, max: u16 },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &FunCommand,
) -> Result<Vec<Event>, Rejection> {
    if let FunCommand::RangeLapse { player, session } = command {
        if ctx.actor != Actor::System {
            return Err(FunRejection::SystemOnly.into());
        }
        return wrap(range::lapse(world, ctx, *player, *session));
    }
    match command {
        FunCommand::TriviaTimeout { channel, number } => {
            if ctx.actor != Actor::System {
                return Err(FunRejection::SystemOnly.into());
            }
            return wrap(trivia::timeout(world, ctx, (*channel, *number)));
        }
        FunCommand::TriviaStop { channel, moderator } => {
            return wrap(trivia::stop(world, ctx, (*channel, *moderator)));
        }
        FunCommand::CombinerExpire { team } => {
            if ctx.actor != Actor::System {
                return Err(FunRejection::SystemOnly.into());
            }
            return wrap(combiner::expire(world, ctx, *team));
        }
        FunCommand::GamesNarrate { game, round, text } => {
            if ctx.actor != Actor::System {
                return Err(FunRejection::SystemOnly.into());
            }
            return wrap(games::rules::narrated(world, *game, *round, text));
        }
        _ => {}
    }
    let Actor::Player(player) = ctx.actor else {
        return Err(FunRejection::PlayersOnly.into());
    };
    let event = match command {
        FunCommand::Hello => greet(world, ctx, player, Ladder::Hello, HELLO_QUIET_SECS),
        FunCommand::Ping => greet(world, ctx, player, Ladder::Ping, PING_QUIET_SECS),
        FunCommand::Grump { target } => grump(world, ctx, player, *target)?,
        FunCommand::GrumpOptOut { out } => FunEvent::GrumpOptOutSet { player, out: *out },
        FunCommand::RangeStart { rounds } => {
            return wrap(range::start(world, ctx, player, *rounds))
        }
        FunCommand::RangeReady { session } => {
            return wrap(range::ready(world, ctx, player, *session))
        }
        FunCommand::RangeShoot {
            session,
            round,
            button,
            pressed_at,
        } => {
            return wrap(range::shoot(
                world,
                ctx,
                player,
                (*session, *round, *button, *pressed_at),
            ))
        }
        FunCommand::TriviaStart {
            channel,
            category,
            questions,
        } => {
            return wrap(trivia::start(
                world,
                ctx,
                player,
                (*channel, category.as_deref(), *questions),
            ))
        }
        FunCommand::TriviaAnswer {
            channel,
            number,
            choice,
        } => {
            return wrap(trivia::answer(
                world,
                ctx,
                player,
                (*channel, *number, *choice),
            ))
        }
        FunCommand::WalkStart { story, restart } => {
            return wrap(walk::start(world, player, story, *restart))
        }
        FunCommand::WalkChoose {
            story,
            stage,
            choice,
        } => return wrap(walk::choose(world, ctx, player, (story, stage, *choice))),
        FunCommand::CombinerOpen => return wrap(combiner::open(world, ctx, player)),
        FunCommand::CombinerTake { team, part } => {
            return wrap(combiner::take(world, ctx, player, (*team, *part)))
        }
        FunCommand::CombinerLeave => return wrap(combiner::leave(world, player)),
        FunCommand::GamesOpen {
            channel,
            named,
            drones,
            factions,
            districts,
            district_names,
            faction_names,
            role,
        } => {
            games::check_names(district_names, *districts)?;
            games::check_names(faction_names, *factions)?;
            let mut events = games::rules::open(
                world,
                player,
                (*channel, named, *drones, *factions, *districts),
            )?;
            if let (Some(role), Some(FunEvent::GamesOpened { game, .. })) = (role, events.first()) {
                let game = *game;
                events.push(FunEvent::GamesRoleSet { game, role: *role });
            }
            return wrap(Ok(events));
        }
        FunCommand::GamesJoin { game, roles } => {
            return wrap(games::rules::join(world, player, *game, roles))
        }
        FunCommand::GamesStart { game } => {
            return wrap(games::rules::start(world, ctx, player, *game))
        }
        FunCommand::GamesNextRound { game } => {
            return wrap(games::rules::next_round(world, player, *game))
        }
        FunCommand::GamesEnd { game } => return wrap(games::rules::end(world, player, *game)),
        FunCommand::MegaChallenge { team } => return wrap(mega::challenge(world, player, *team)),
        FunCommand::MegaDecline { team } => return wrap(mega::decline(world, player, *team)),
        FunCommand::MegaAccept { team } => return mega::accept(world, ctx, player, *team),
        FunCommand::SortDistricts { players, districts } => {
            games::rules::sort(ctx, player, players, *districts)?
        }
        FunCommand::RangeLapse { .. }
        | FunCommand::CombinerExpire { .. }
        | FunCommand::TriviaTimeout { .. }
        | FunCommand::GamesNarrate { .. }
        | FunCommand::TriviaStop { .. } => return Err(FunRejection::SystemOnly.into()),
    };
    Ok(vec![Event::Fun(event)])
}

fn wrap(events: Result<Vec<FunEvent>, FunRejection>) -> Result<Vec<Event>, Rejection> {
    Ok(events?.into_iter().map(Event::Fun).collect())
}

fn greet(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    ladder: Ladder,
    quiet_secs: i64,
) -> FunEvent {
    let rungs = content::get().greetings.ladder(ladder);
    let top = u8::try_from(rungs.len()).unwrap_or(u8::MAX).max(1);
    let level = match world.fun.rungs.get(&(player, ladder)) {
        Some((level, at)) if ctx.now.0 < at.0.saturating_add(quiet_secs * 1_000) => {
            level.saturating_add(1).min(top)
        }
        _ => 1,
    };
    let lines = rungs.get(usize::from(level) - 1).map_or(0, Vec::len);
    let line = ctx.dice.below(lines.max(1) as u64) as u16;
    FunEvent::Greeted {
        player,
        ladder,
        level,
        line,
    }
}

fn grump(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    target: PlayerId,
) -> Result<FunEvent, FunRejection> {
    if target == player {
        return Err(FunRejection::GrumpSelf);
    }
    if world.fun.opted_out.contains(&target) {
        return Err(FunRejection::OptedOut { target });
    }
    if let Some(ready_at) = world.fun.grump_ready.get(&player) {
        if ctx.now < *ready_at {
            return Err(FunRejection::OnCooldown {
                ready_at: *ready_at,
            });
        }
    }
    if let Some(ready_at) = world.fun.grumped_ready.get(&target) {
        if ctx.now < *ready_at {
            return Err(FunRejection::GrumpResting {
                target,
                ready_at: *ready_at,
            });
        }
    }
    let lines = content::get().greetings.grump.len();
    Ok(FunEvent::Grumped {
        player,
        target,
        line: ctx.dice.below(lines.max(1) as u64) as u16,
        player_ready_at: ctx.now.plus_secs(GRUMP_COOLDOWN_SECS),
        target_ready_at: ctx.now.plus_secs(GRUMP_TARGET_COOLDOWN_SECS),
    })
}
