//! Read models of the fun area: the text of a greeting or a grump, who opted out, and the
//! shooting range (open sessions, records, leaderboards, lapsed sessions for the worker).

use crate::content;
use crate::fun::Ladder;
use crate::ids::PlayerId;
use crate::world::World;

/// Line `line` of rung `level` of a ladder (`None` if the content no longer has it).
pub fn greeting(ladder: Ladder, level: u8, line: u16) -> Option<&'static str> {
    content::get().greetings.line(ladder, level, line)
}

/// Grump line `line`.
pub fn grump_line(line: u16) -> Option<&'static str> {
    content::get()
        .greetings
        .grump
        .get(usize::from(line))
        .map(String::as_str)
}

/// Whether the player asked not to be grumped at.
pub fn opted_out(world: &World, player: PlayerId) -> bool {
    world.fun.opted_out.contains(&player)
}

/// `player`'s open range session, if any.
pub fn range(world: &World, player: PlayerId) -> Option<&crate::fun::RangeSession> {
    world.fun.ranges.get(&player)
}

/// `player`'s range record (empty when they never finished a session).
pub fn range_stats(world: &World, player: PlayerId) -> crate::fun::RangeStats {
    world
        .fun
        .range_stats
        .get(&player)
        .cloned()
        .unwrap_or_default()
}

/// Rank `rank`'s name and line.
pub fn range_rank(rank: u8) -> Option<&'static crate::fun::content::RangeRank> {
    content::get().range.ranks.get(usize::from(rank))
}

/// One row of a range leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeLeader {
    pub player: PlayerId,
    pub best_hits: u8,
    /// The best session's mean reaction per hit, in milliseconds.
    pub mean_ms: u64,
    pub played: u32,
}

/// The best `limit` players at sessions of `rounds` rounds: most hits, then quickest hits,
/// then the lower id (players with no hit in such a session are not listed).
pub fn range_leaders(world: &World, rounds: u8, limit: usize) -> Vec<RangeLeader> {
    let mut rows: Vec<RangeLeader> = world
        .fun
        .range_stats
        .iter()
        .filter_map(|(player, stats)| {
            let best = stats.by_rounds.get(&rounds)?;
            (best.best_hits > 0).then(|| RangeLeader {
                player: *player,
                best_hits: best.best_hits,
                mean_ms: best.best_hit_ms / u64::from(best.best_hits),
                played: best.played,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.best_hits
            .cmp(&a.best_hits)
            .then(a.mean_ms.cmp(&b.mean_ms))
            .then(a.player.cmp(&b.player))
    });
    rows.truncate(limit);
    rows
}

/// Open range sessions that sat idle long enough to lapse at `now`, as (player, session,
/// when it started).
pub fn lapsed_ranges(
    world: &World,
    now: crate::ids::Timestamp,
) -> Vec<(PlayerId, u32, crate::ids::Timestamp)> {
    world
        .fun
        .ranges
        .iter()
        .filter(|(_, range)| crate::fun::lapsed(range, now))
        .map(|(player, range)| (*player, range.session, range.started_at))
        .collect()
}

/// The trivia session open in `channel`, or else the last one that ended there.
pub fn trivia(world: &World, channel: crate::ids::Snowflake) -> Option<&crate::fun::TriviaSession> {
    world
        .fun
        .trivia
        .get(&channel)
        .or_else(|| world.fun.trivia_done.get(&channel))
}

/// Trivia questions that ran out of time at `now`, as (channel, number, when their session
/// started).
pub fn trivia_due(
    world: &World,
    now: crate::ids::Timestamp,
) -> Vec<(crate::ids::Snowflake, u8, crate::ids::Timestamp)> {
    crate::fun::trivia::due(world, now)
}

/// Content question `index`.
pub fn trivia_question(index: u16) -> Option<&'static crate::fun::content::TriviaQuestion> {
    content::get().trivia.questions.get(usize::from(index))
}

/// A session's scores, best first: most right answers, then fewest answers, then the lower
/// id; as (player, right, answered).
pub fn trivia_board(session: &crate::fun::TriviaSession) -> Vec<(PlayerId, u16, u16)> {
    let mut rows: Vec<(PlayerId, u16, u16)> = session
        .scores
        .iter()
        .map(|(player, (right, answered))| (*player, *right, *answered))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
    rows
}

/// `player`'s latest walk of `story` (going, or how it ended).
pub fn walk<'w>(world: &'w World, player: PlayerId, story: &str) -> Option<&'w crate::fun::Walk> {
    world.fun.walks.get(&(player, story.to_string()))
}

/// The walks `player` has going, as story ids.
pub fn walks_going(world: &World, player: PlayerId) -> Vec<String> {
    world
        .fun
        .walks
        .range((player, String::new())..)
        .take_while(|((who, _), _)| *who == player)
        .filter(|(_, walk)| walk.ended.is_none())
        .map(|((_, story), _)| story.clone())
        .collect()
}

/// The endings of `story` that `player` has reached.
pub fn walk_endings(world: &World, player: PlayerId, story: &str) -> Vec<String> {
    world
        .fun
        .walk_endings
        .get(&player)
        .and_then(|stories| stories.get(story))
        .map(|endings| endings.iter().cloned().collect())
        .unwrap_or_default()
}

/// Story `id` of WalkTru.
pub fn story(id: &str) -> Option<&'static crate::fun::story::Story> {
    content::get().walktru.story(id)
}

/// Combiner team `team` (open or formed).
pub fn team(world: &World, team: u32) -> Option<&crate::fun::CombinerTeam> {
    world.fun.teams.get(&team)
}

/// The team `player` is in, with its number.
pub fn team_of(world: &World, player: PlayerId) -> Option<(u32, &crate::fun::CombinerTeam)> {
    let team = *world.fun.team_of.get(&player)?;
    Some((team, world.fun.teams.get(&team)?))
}

/// A formed team's name.
pub fn team_name(team: &crate::fun::CombinerTeam) -> Option<String> {
    let (_, prefix, suffix) = team.formed?;
    content::get().combiners.name(prefix, suffix)
}

/// Open teams past their expiry at `now`.
pub fn teams_due(world: &World, now: crate::ids::Timestamp) -> Vec<u32> {
    crate::fun::combiner::due(world, now)
}

/// Cybertron Games `game` (open, under way or over).
pub fn game(world: &World, game: u32) -> Option<&crate::fun::Game> {
    world.fun.games.get(&game)
}
