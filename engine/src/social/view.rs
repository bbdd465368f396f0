//! Read models of the social area, for the adapter: a player's identity and quiz faction,
//! the text of a told line, and the encyclopedia's topics.

use crate::content;
use crate::ids::PlayerId;
use crate::social::content::Topic;
use crate::social::{Identity, SparkFaction, TalkKind};
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
