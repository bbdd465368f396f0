//! What happened in the fun area. Stored: never reorder or change a variant; add new ones at
//! the end.

use serde::{Deserialize, Serialize};

use crate::dice::Seed;
use crate::fun::combiner::Part;
use crate::fun::games::{Entrant, Happening};
use crate::fun::Ladder;
use crate::ids::{PlayerId, Snowflake, StreamId, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum FunEvent {
    /// `player` said hello or pinged: the reply is line `line` of rung `level` (1-based) of
    /// that ladder. Stream `user/<player>`.
    Greeted {
        player: PlayerId,
        ladder: Ladder,
        level: u8,
        line: u16,
    },
    /// `player` grumped at `target` with line `line`; `player` may grump again from
    /// `player_ready_at`, and anyone may grump at `target` again from `target_ready_at`.
    /// Stream `user/<player>`.
    Grumped {
        player: PlayerId,
        target: PlayerId,
        line: u16,
        player_ready_at: Timestamp,
        target_ready_at: Timestamp,
    },
    /// `player` opted out of being grumped at (`out`), or back in. Stream `user/<player>`.
    GrumpOptOutSet { player: PlayerId, out: bool },
    /// `player` opened their range session `session` (counted from 1) of `rounds` rounds;
    /// its countdown runs until the first round shows. Stream `user/<player>`.
    RangeStarted {
        player: PlayerId,
        session: u32,
        rounds: u8,
    },
    /// Round `round` (from 1) of `player`'s session shows its target on button `target`
    /// (0 to 4) from `shown_at`. Stream `user/<player>`.
    RangeRoundShown {
        player: PlayerId,
        round: u8,
        target: u8,
        shown_at: Timestamp,
    },
    /// `player` pressed `button` on round `round`, `reaction_ms` after it showed (by the
    /// press's own timestamp); what that made of the round. Stream `user/<player>`.
    RangeShot {
        player: PlayerId,
        round: u8,
        button: u8,
        reaction_ms: u32,
        outcome: ShotOutcome,
    },
    /// `player`'s session `session` ended with `hits` of `rounds` (`unpressed` rounds were
    /// never pressed: it lapsed); `rank` is the accuracy rank it earned (an index into the
    /// range's ranks), `record` whether it beat their best for that many rounds. Stream
    /// `user/<player>`.
    RangeEnded {
        player: PlayerId,
        session: u32,
        rounds: u8,
        hits: u8,
        unpressed: u8,
        rank: u8,
        record: bool,
    },
    /// `host` started a trivia session of `questions` questions in `channel`, from
    /// `category` (`None`: all). Stream `trivia/<channel>`.
    TriviaStarted {
        channel: Snowflake,
        host: PlayerId,
        category: Option<String>,
        questions: u8,
    },
    /// Question `number` (from 1) of `channel`'s session is the content's question
    /// `question`, open until `closes_at`. Stream `trivia/<channel>`.
    TriviaAsked {
        channel: Snowflake,
        number: u8,
        question: u16,
        closes_at: Timestamp,
    },
    /// `player` answered question `number` with option `choice`, rightly or not (the first
    /// right answer wins the question and closes it). Stream `trivia/<channel>`.
    TriviaAnswered {
        channel: Snowflake,
        number: u8,
        player: PlayerId,
        choice: u8,
        correct: bool,
    },
    /// Question `number` ran out of time with no right answer. Stream `trivia/<channel>`.
    TriviaTimedOut { channel: Snowflake, number: u8 },
    /// `channel`'s session is over: every question asked, nobody playing any more, or
    /// stopped by `stopped_by`. Stream `trivia/<channel>`.
    TriviaEnded {
        channel: Snowflake,
        stopped_by: Option<PlayerId>,
    },
    /// `player` began a walk of `story` at stage `stage` (its start), the meter at `meter`.
    /// Stream `user/<player>`.
    WalkStarted {
        player: PlayerId,
        story: String,
        stage: String,
        meter: i32,
    },
    /// At stage `from`, `player` took choice `choice`: the dice said `roll` (1 to 100), so it
    /// succeeded or not (or failed totally), the meter moved to `meter`, and the story goes
    /// on to `next` (a stage or an ending). Stream `user/<player>`.
    WalkStepped {
        player: PlayerId,
        story: String,
        from: String,
        choice: u8,
        roll: u8,
        success: bool,
        total_failure: bool,
        meter: i32,
        next: String,
    },
    /// `player`'s walk of `story` reached ending `ending`. Stream `user/<player>`.
    WalkEnded {
        player: PlayerId,
        story: String,
        ending: String,
    },
    /// `player` gave up their walk of `story` to start again. Stream `user/<player>`.
    WalkAbandoned { player: PlayerId, story: String },
    /// `founder` opened combiner team `team` (counted from 1), open until `expires_at`.
    /// Stream `combiner/<team>`.
    CombinerOpened {
        team: u32,
        founder: PlayerId,
        expires_at: Timestamp,
    },
    /// `player`'s pet took part `part` of team `team`. Stream `combiner/<team>`.
    CombinerJoined {
        team: u32,
        player: PlayerId,
        part: Part,
    },
    /// Team `team` has all six parts and is named by prefix `prefix` and suffix `suffix` of
    /// the content's combiner names. Stream `combiner/<team>`.
    CombinerFormed { team: u32, prefix: u16, suffix: u16 },
    /// `player` left open team `team`, freeing their part. Stream `combiner/<team>`.
    CombinerLeft { team: u32, player: PlayerId },
    /// `by` left formed team `team`, which is no more. Stream `combiner/<team>`.
    CombinerDisbanded { team: u32, by: PlayerId },
    /// Open team `team` was not complete in time. Stream `combiner/<team>`.
    CombinerExpired { team: u32 },
    /// `creator` opened Cybertron Games `game` (counted from 1) in `channel` with the
    /// players they named, to be filled with drones up to `drones`. Stream `games/<game>`.
    GamesOpened {
        game: u32,
        creator: PlayerId,
        channel: Snowflake,
        named: Vec<PlayerId>,
        drones: u8,
        factions: u8,
        districts: u8,
    },
    /// `player` joined game `game`. Stream `games/<game>`.
    GamesJoined { game: u32, player: PlayerId },
    /// Game `game` began: its seed (hidden while it is played) and every contestant in order
    /// (players, then drones by name index). Stream `games/<game>`.
    GamesStarted {
        game: u32,
        seed: Seed,
        entrants: Vec<Entrant>,
    },
    /// Round `round` of game `game`: what happened, as the simulation decided it from the
    /// seed. Stream `games/<game>`.
    GamesRound {
        game: u32,
        round: u16,
        happenings: Vec<Happening>,
    },
    /// Game `game` is over (one faction left, or its creator ended it). Stream `games/<game>`.
    GamesEnded { game: u32 },
    /// Schema 22: `by`, the head of team `challenger`, challenged team `defender` to a
    /// mega-fight (replacing any challenge `challenger` had out). Stream `combiner/<defender>`.
    MegaChallenged {
        challenger: u32,
        defender: u32,
        by: PlayerId,
    },
    /// Schema 22: `by`, the head of `defender`, declined. Stream `combiner/<defender>`.
    MegaDeclined {
        challenger: u32,
        defender: u32,
        by: PlayerId,
    },
    /// Schema 22: the mega-fight of `teams` (challenger, defender) started as `battle`, with
    /// each team's members then. Stream `combiner/<defender>`.
    MegaFightStarted {
        battle: crate::battle::BattleId,
        teams: [u32; 2],
        members: [Vec<PlayerId>; 2],
    },
    /// Schema 22: mega-fight `battle` of `teams` ended, won by side `winner` (`None`: a
    /// draw). Stream `combiner/<defender>`.
    MegaFightEnded {
        battle: crate::battle::BattleId,
        teams: [u32; 2],
        winner: Option<u8>,
        /// The members it paid (those not paid by another mega-fight within
        /// `MEGA_PAY_COOLDOWN_SECS`).
        paid: Vec<PlayerId>,
    },
    /// Schema 22: `by` sorted players into districts, in district order (each district's
    /// players in the order they were dealt). Stream `user/<by>`.
    DistrictsSorted {
        by: PlayerId,
        districts: Vec<Vec<PlayerId>>,
    },
    /// Schema 22: game `game` is open to members with `role` only (recorded right after its
    /// `GamesOpened`). Stream `games/<game>`.
    GamesRoleSet { game: u32, role: Snowflake },
    /// Schema 22: round `round` of game `game` as a model retold it (`{cN}` for contestant N).
    /// Stream `games/<game>`.
    GamesNarrated { game: u32, round: u16, text: String },
}

/// What a press made of a range round. Stored: variants are only ever appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ShotOutcome {
    /// The target, in time.
    Hit,
    /// Another button, in time.
    Miss,
    /// After the round's window had closed: a miss, whatever was pressed.
    Late,
}

impl FunEvent {
    /// The trivia channel the event is about (`None`: not a trivia event).
    pub fn trivia_channel(&self) -> Option<Snowflake> {
        match self {
            FunEvent::TriviaStarted { channel, .. }
            | FunEvent::TriviaAsked { channel, .. }
            | FunEvent::TriviaAnswered { channel, .. }
            | FunEvent::TriviaTimedOut { channel, .. }
            | FunEvent::TriviaEnded { channel, .. } => Some(*channel),
            _ => None,
        }
    }

    /// The stream the event is on: its player's, or its trivia channel's.
    pub fn stream(&self) -> StreamId {
        match self {
            FunEvent::Greeted { player, .. }
            | FunEvent::Grumped { player, .. }
            | FunEvent::GrumpOptOutSet { player, .. }
            | FunEvent::RangeStarted { player, .. }
            | FunEvent::RangeRoundShown { player, .. }
            | FunEvent::RangeShot { player, .. }
            | FunEvent::RangeEnded { player, .. }
            | FunEvent::WalkStarted { player, .. }
            | FunEvent::WalkStepped { player, .. }
            | FunEvent::WalkEnded { player, .. }
            | FunEvent::WalkAbandoned { player, .. } => StreamId::user(*player),
            FunEvent::TriviaStarted { channel, .. }
            | FunEvent::TriviaAsked { channel, .. }
            | FunEvent::TriviaAnswered { channel, .. }
            | FunEvent::TriviaTimedOut { channel, .. }
            | FunEvent::TriviaEnded { channel, .. } => StreamId::trivia(*channel),
            FunEvent::CombinerOpened { team, .. }
            | FunEvent::CombinerJoined { team, .. }
            | FunEvent::CombinerFormed { team, .. }
            | FunEvent::CombinerLeft { team, .. }
            | FunEvent::CombinerDisbanded { team, .. }
            | FunEvent::CombinerExpired { team } => StreamId::combiner(*team),
            FunEvent::GamesOpened { game, .. }
            | FunEvent::GamesJoined { game, .. }
            | FunEvent::GamesStarted { game, .. }
            | FunEvent::GamesRound { game, .. }
            | FunEvent::GamesEnded { game } => StreamId::games(*game),
            FunEvent::DistrictsSorted { by, .. } => StreamId::user(*by),
            FunEvent::GamesRoleSet { game, .. } | FunEvent::GamesNarrated { game, .. } => {
                StreamId::games(*game)
            }
            FunEvent::MegaChallenged { defender, .. } | FunEvent::MegaDeclined { defender, .. } => {
                StreamId::combiner(*defender)
            }
            FunEvent::MegaFightStarted { teams, .. } | FunEvent::MegaFightEnded { teams, .. } => {
                StreamId::combiner(teams[1])
            }
        }
    }
}
