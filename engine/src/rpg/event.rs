//! What happened to characters and in adventures. Stored: never reorder or change a variant;
//! add new ones at the end. Character events are on `user/<player>`, adventure events on
//! `adventure/<number>`. No name or other text a player wrote is in any of them (a character's
//! name is in the erasable store); `Narrated` holds the storyteller's text, which names the
//! party only through the `{party}` and `{lead}` placeholders the adapter fills.

use serde::{Deserialize, Serialize};

use crate::battle::BattleId;
use crate::ids::{PlayerId, Snowflake, StreamId, Timestamp};
use crate::pets::Faction;
use crate::rpg::content::{Stat, Stats};
use crate::rpg::{AdventureKind, AdventureOutcome, Brief, NarrationSource, SegmentPlan};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum RpgEvent {
    /// A character was made, with the stats it starts with (its class template plus the
    /// creation bonus, as decided).
    CharacterCreated {
        player: PlayerId,
        character: u32,
        faction: Faction,
        class: String,
        stats: Stats,
    },
    Equipped {
        player: PlayerId,
        character: u32,
        item: String,
    },
    Unequipped {
        player: PlayerId,
        character: u32,
        item: String,
    },
    /// The first step of deleting a character; confirmable until `expires_at`.
    KillRequested {
        player: PlayerId,
        character: u32,
        expires_at: Timestamp,
    },
    KillCancelled {
        player: PlayerId,
        character: u32,
    },
    /// The character is gone, with its gear and record.
    CharacterKilled {
        player: PlayerId,
        character: u32,
    },
    /// Experience earned (levels follow as `LeveledUp`).
    ExperienceGained {
        player: PlayerId,
        character: u32,
        amount: u64,
    },
    /// A level reached, with the stats it added (decided with the dice).
    LeveledUp {
        player: PlayerId,
        character: u32,
        level: u32,
        gains: Stats,
    },
    /// Gear found on an adventure.
    GearFound {
        player: PlayerId,
        character: u32,
        item: String,
    },
    /// A party formed in a channel. Stream `adventure/<n>`.
    PartyOpened {
        adventure: u32,
        kind: AdventureKind,
        creator: PlayerId,
        character: u32,
        channel: Snowflake,
        expires_at: Timestamp,
    },
    PartyJoined {
        adventure: u32,
        player: PlayerId,
        character: u32,
    },
    PartyLeft {
        adventure: u32,
        player: PlayerId,
    },
    /// The party set out: where, and how many segments it plays (chronicles: at most).
    AdventureStarted {
        adventure: u32,
        place: String,
        segments: u8,
    },
    /// A party that never started is gone (left by its creator, or expired).
    PartyDisbanded {
        adventure: u32,
    },
    /// A segment began: what it is, and until when it waits for the party.
    SegmentOpened {
        adventure: u32,
        segment: u8,
        plan: SegmentPlan,
        deadline: Timestamp,
    },
    /// The intent: a worker asks the storyteller for this segment's words and answers with
    /// `RpgCommand::Narrate`. A replay never asks again: the answer is `Narrated`.
    NarrationRequested {
        adventure: u32,
        segment: u8,
        brief: Brief,
    },
    Narrated {
        adventure: u32,
        segment: u8,
        text: String,
        source: NarrationSource,
    },
    /// The party's approach to a challenge: by the first member to choose (`None`: the dice,
    /// when the deadline passed).
    ApproachChosen {
        adventure: u32,
        segment: u8,
        by: Option<PlayerId>,
        stat: Stat,
    },
    /// One member's skill check: d20 + the stat against the difficulty class.
    Rolled {
        adventure: u32,
        segment: u8,
        player: PlayerId,
        character: u32,
        roll: u8,
        bonus: u32,
        class: u32,
        success: bool,
    },
    /// The challenge's result (a strict majority of checks) and the closing line it drew.
    ChallengeResolved {
        adventure: u32,
        segment: u8,
        success: bool,
        closing: u16,
    },
    Voted {
        adventure: u32,
        segment: u8,
        player: PlayerId,
        choice: u8,
    },
    /// The vote's result: the choice, the counts, whether the dice broke a tie.
    VoteClosed {
        adventure: u32,
        segment: u8,
        choice: u8,
        counts: [u8; 3],
        tie_broken: bool,
        closing: u16,
    },
    /// The segment's battle ended; the line that tells it.
    BattleResolved {
        adventure: u32,
        segment: u8,
        battle: BattleId,
        won: bool,
        line: u16,
    },
    /// A member left a running adventure (erased); the rest go on.
    MemberWithdrawn {
        adventure: u32,
        player: PlayerId,
    },
    AdventureEnded {
        adventure: u32,
        outcome: AdventureOutcome,
    },
    /// Schema 22: a character brought over from the original bot by the operator's import, as
    /// it stood there (its name, like every character's, in the erasable store).
    CharacterImported {
        player: PlayerId,
        character: u32,
        faction: Faction,
        class: String,
        level: u32,
        xp: u64,
        stats: Stats,
        record: crate::rpg::Record,
        energon_earned: u64,
    },
}

impl RpgEvent {
    pub fn stream(&self) -> StreamId {
        let name = match self {
            RpgEvent::CharacterCreated { player, .. }
            | RpgEvent::CharacterImported { player, .. }
            | RpgEvent::Equipped { player, .. }
            | RpgEvent::Unequipped { player, .. }
            | RpgEvent::KillRequested { player, .. }
            | RpgEvent::KillCancelled { player, .. }
            | RpgEvent::CharacterKilled { player, .. }
            | RpgEvent::ExperienceGained { player, .. }
            | RpgEvent::LeveledUp { player, .. }
            | RpgEvent::GearFound { player, .. } => return StreamId::user(*player),
            RpgEvent::PartyOpened { adventure, .. }
            | RpgEvent::PartyJoined { adventure, .. }
            | RpgEvent::PartyLeft { adventure, .. }
            | RpgEvent::AdventureStarted { adventure, .. }
            | RpgEvent::PartyDisbanded { adventure }
            | RpgEvent::SegmentOpened { adventure, .. }
            | RpgEvent::NarrationRequested { adventure, .. }
            | RpgEvent::Narrated { adventure, .. }
            | RpgEvent::ApproachChosen { adventure, .. }
            | RpgEvent::Rolled { adventure, .. }
            | RpgEvent::ChallengeResolved { adventure, .. }
            | RpgEvent::Voted { adventure, .. }
            | RpgEvent::VoteClosed { adventure, .. }
            | RpgEvent::BattleResolved { adventure, .. }
            | RpgEvent::MemberWithdrawn { adventure, .. }
            | RpgEvent::AdventureEnded { adventure, .. } => *adventure,
        };
        StreamId::adventure(name)
    }
}
