//! What players (and the adapter's timer and storyteller workers) ask of the RPG.

use serde::{Deserialize, Serialize};

use crate::ids::Snowflake;
use crate::pets::Faction;
use crate::rpg::content::Stat;
use crate::rpg::{AdventureKind, NarrationSource};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum RpgCommand {
    /// A new character (at most three each). The name goes to the erasable store.
    CreateCharacter {
        name: String,
        faction: Faction,
        class: String,
    },
    /// Wear a piece of gear the character owns (two weapons, one of each other kind).
    Equip {
        character: u32,
        item: String,
    },
    Unequip {
        character: u32,
        item: String,
    },
    /// The first step of deleting a character; [`RpgCommand::ConfirmKill`] within a minute is
    /// the second.
    RequestKill {
        character: u32,
    },
    ConfirmKill {
        character: u32,
    },
    CancelKill {
        character: u32,
    },
    /// Form a party in a channel with one of your characters; others join until the creator
    /// starts it or it expires. A chronicle starts at once and others join between chapters.
    OpenParty {
        kind: AdventureKind,
        character: u32,
        channel: Snowflake,
    },
    JoinParty {
        adventure: u32,
        character: u32,
    },
    /// Leave a party that has not started (the creator's leaving disbands it).
    LeaveParty {
        adventure: u32,
    },
    /// The creator starts the adventure.
    StartParty {
        adventure: u32,
    },
    /// Timer or operator: a party that never started is disbanded at its expiry.
    ExpireParty {
        adventure: u32,
    },
    /// The first member to pick an approach picks it for the party (event segments).
    ChooseApproach {
        adventure: u32,
        segment: u8,
        stat: Stat,
    },
    /// A vote for one of a story segment's three choices (0, 1 or 2); a new vote replaces one's
    /// earlier one.
    Vote {
        adventure: u32,
        segment: u8,
        choice: u8,
    },
    /// Timer: the segment's deadline has passed (an event nobody chose an approach for is
    /// taken on by the dice; a vote closes).
    Timeout {
        adventure: u32,
        segment: u8,
    },
    /// The storyteller worker's answer to a `NarrationRequested`: the text, already bounded
    /// and sanitized (checked again here).
    Narrate {
        adventure: u32,
        segment: u8,
        text: String,
        source: NarrationSource,
    },
    /// The creator (or the operator) stops an adventure between moves; a chronicle ends so.
    Stop {
        adventure: u32,
    },
}
