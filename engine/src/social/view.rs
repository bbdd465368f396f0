//! Read models of the social area, for the adapter: a player's identity and quiz faction,
//! the text of a told line, the encyclopedia's topics, a server's lore and quiz roles, and
//! whose words are counted.

use crate::content;
use crate::ids::{PlayerId, Snowflake};
use crate::social::content::{AchievementDef, Topic};
use crate::social::{Identity, LoreEntry, Metric, RoleRequest, SparkFaction, TalkKind};
use crate::world::World;

pub fn identity(world: &World, player: PlayerId) -> Option<Identity> {
    world.social.identities.get(&player).cloned()
}

/// The faction of the player's latest quiz.
pub fn quiz_faction(world: &World, player: PlayerId) -> Option<SparkFaction> {
    world.social.quiz.get(&player).copied()
}

/// Lines told of each kind, since the log began.
pub fn told(world: &World, kind: TalkKind) -> u64 {
    world.social.told.get(&kind).copied().unwrap_or(0)
}

/// The text of a told line (`None` if the content no longer has it).
pub fn line(kind: TalkKind, pool: &str, style: Option<&str>, line: u16) -> Option<&'static str> {
    content::get().social.line(kind, pool, style, line)
}

/// The topic `query` names (id, name or alias, any case).
pub fn topic(query: &str) -> Option<&'static Topic> {
    content::get().social.topic(query)
}

/// Topics whose name or an alias contains `partial` (any case), at most `max`, in file order.
pub fn topics_matching(partial: &str, max: usize) -> Vec<&'static Topic> {
    let partial = partial.trim().to_lowercase();
    content::get()
        .social
        .topics
        .iter()
        .filter(|t| {
            t.name.to_lowercase().contains(&partial)
                || t.aliases.iter().any(|a| a.contains(&partial))
        })
        .take(max)
        .collect()
}

/// What `metric` stands at for the player: counts from the battle, slots and market records,
/// and the highest reached of what can fall (a pet's level, profit taken) from the milestones.
pub fn metric(world: &World, player: PlayerId, metric: Metric) -> u64 {
    let record = crate::battle::view::record(world, player);
    let slots = crate::slots::view::stats(world, player);
    let milestones = world.social.milestones(player);
    match metric {
        Metric::BattlesWon => u64::from(record.stats.wins),
        Metric::PveWins => u64::from(record.stats.pve_wins),
        Metric::PvpWins => u64::from(record.stats.pvp_wins),
        Metric::TournamentsWon => u64::from(milestones.tournaments_won),
        Metric::PetLevel => u64::from(milestones.pet_level),
        Metric::SlotSpins => slots.map_or(0, |s| u64::from(s.spins)),
        Metric::SlotJackpots => slots.map_or(0, |s| u64::from(s.jackpots)),
        Metric::MarketTrades => crate::market::view::portfolio(world, player)
            .map_or(0, |p| u64::from(p.buys) + u64::from(p.sells)),
        Metric::MarketProfit => milestones.market_profit,
        Metric::SparkForged => u64::from(world.social.identities.contains_key(&player)),
        Metric::QuizTaken => u64::from(world.social.quiz.contains_key(&player)),
        Metric::LinesHeard => milestones.lines_heard,
        Metric::LoreWritten => u64::from(milestones.lore_written),
    }
}

/// Which of `defs` the player has earned, in their order.
pub fn earned_of<'d>(
    world: &World,
    player: PlayerId,
    defs: &'d [AchievementDef],
) -> Vec<&'d AchievementDef> {
    defs.iter()
        .filter(|def| metric(world, player, def.metric) >= def.at_least)
        .collect()
}

/// The achievements the player has earned, in the content's order.
pub fn earned(world: &World, player: PlayerId) -> Vec<&'static AchievementDef> {
    earned_of(world, player, &content::get().social.achievements)
}

/// Every achievement with whether the player has it and how far they are (`metric` now).
pub fn achievements(world: &World, player: PlayerId) -> Vec<(&'static AchievementDef, u64)> {
    content::get()
        .social
        .achievements
        .iter()
        .map(|def| (def, metric(world, player, def.metric)))
        .collect()
}

/// Whether a command can move what an achievement counts (battles, pets, slots, the market,
/// talk and the quiz): the adapter looks for achievements such a command earned.
pub fn may_earn(command: &crate::world::Command) -> bool {
    use crate::world::Command;
    matches!(
        command,
        Command::Battle(_)
            | Command::Pet(_)
            | Command::Slots(_)
            | Command::Market(_)
            | Command::Social(_)
    )
}

/// A server's lore entries, newest first.
pub fn lore(world: &World, guild: Snowflake) -> Vec<&LoreEntry> {
    world
        .social
        .lore
        .get(&guild)
        .map(|lore| lore.entries.values().rev().collect())
        .unwrap_or_default()
}

/// Entry `number` of a server's lore.
pub fn lore_entry(world: &World, guild: Snowflake, number: u32) -> Option<&LoreEntry> {
    world.social.lore.get(&guild)?.entries.get(&number)
}

/// The entry of a server's lore whose title has key `title_key`
/// ([`crate::Engine::text_key`] of [`crate::social::title_form`]).
pub fn lore_titled(world: &World, guild: Snowflake, title_key: u128) -> Option<&LoreEntry> {
    world
        .social
        .lore
        .get(&guild)?
        .entries
        .values()
        .find(|e| e.title_key == title_key)
}

/// The entry of a server's lore quoting message `message` of `channel`.
pub fn lore_quoting(
    world: &World,
    guild: Snowflake,
    channel: Snowflake,
    message: Snowflake,
) -> Option<&LoreEntry> {
    world.social.lore.get(&guild)?.entries.values().find(|e| {
        e.quote
            .is_some_and(|q| q.channel == channel && q.message == message)
    })
}

/// A server's lore in numbers: how many entries, and who kept the most (most first, ties by
/// id, at most `top`) with how many.
pub fn lore_stats(world: &World, guild: Snowflake, top: usize) -> (usize, Vec<(PlayerId, u32)>) {
    let Some(lore) = world.social.lore.get(&guild) else {
        return (0, Vec::new());
    };
    let mut counts: std::collections::BTreeMap<PlayerId, u32> = Default::default();
    for entry in lore.entries.values() {
        *counts.entry(entry.author).or_default() += 1;
    }
    let mut ranked: Vec<(PlayerId, u32)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(top);
    (lore.entries.len(), ranked)
}

/// The roles a server gives quiz results, in [`SparkFaction::ALL`] order.
pub fn quiz_roles(world: &World, guild: Snowflake) -> Vec<(SparkFaction, Snowflake)> {
    let roles = world.social.quiz_roles.get(&guild);
    SparkFaction::ALL
        .iter()
        .filter_map(|f| Some((*f, *roles?.get(f)?)))
        .collect()
}

/// Role grants asked for and not yet settled (for the role worker), by request id.
pub fn pending_role_requests(world: &World) -> Vec<RoleRequest> {
    world.social.role_requests.values().cloned().collect()
}

/// Whether the player has word counting on.
pub fn counts_words(world: &World, player: PlayerId) -> bool {
    world.social.counting_words.contains(&player)
}
