//! Read models of the fun area: the text of a greeting or a grump, and who opted out.

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
