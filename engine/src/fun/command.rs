//! What players ask of the fun area.

use serde::{Deserialize, Serialize};

use crate::fun::combiner::Part;
use crate::ids::{PlayerId, Snowflake, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum FunCommand {
    Hello,
    Ping,
    /// Greet `target`, the server's configured grump, grumpily.
    Grump {
        target: PlayerId,
    },
    /// The asker opts out of being grumped at (`out`), or back in.
    GrumpOptOut {
        out: bool,
    },
    /// Open a shooting-range session of `rounds` rounds (one of [`crate::fun::RANGE_ROUNDS`]).
    RangeStart {
        rounds: u8,
    },
    /// The countdown of the asker's session `session` is over: show its first target.
    RangeReady {
        session: u32,
    },
    /// The asker pressed `button` (0 to 4) on round `round` of session `session`, at
    /// `pressed_at` by the press's own clock (Discord's: the interaction id's timestamp).
    RangeShoot {
        session: u32,
        round: u8,
        button: u8,
        pressed_at: Timestamp,
    },
    /// The system: `player`'s session `session` sat idle too long; it ends, every round not
    /// pressed a miss.
    RangeLapse {
        player: PlayerId,
        session: u32,
    },
    /// Start a trivia session of `questions` questions in `channel`, from `category` (a
    /// content id; `None`: every category).
    TriviaStart {
        channel: Snowflake,
        category: Option<String>,
        questions: u8,
    },
    /// The asker answers question `number` of `channel`'s session with option `choice`.
    TriviaAnswer {
        channel: Snowflake,
        number: u8,
        choice: u8,
    },
    /// Stop `channel`'s session: its host, a moderator (`moderator`: the adapter says the
    /// asker may manage messages there) or the operator.
    TriviaStop {
        channel: Snowflake,
        moderator: bool,
    },
    /// The system: question `number` of `channel`'s session ran out of time.
    TriviaTimeout {
        channel: Snowflake,
        number: u8,
    },
    /// Start WalkTru's story `story` (a genre); `restart` gives up the asker's walk of it that
    /// is still going.
    WalkStart {
        story: String,
        restart: bool,
    },
    /// Take choice `choice` (from 0) at stage `stage` of the asker's walk of `story`.
    WalkChoose {
        story: String,
        stage: String,
        choice: u8,
    },
    /// Open a combiner team (the asker then takes a part like anyone).
    CombinerOpen,
    /// The asker's pet takes part `part` of team `team`.
    CombinerTake {
        team: u32,
        part: Part,
    },
    /// The asker leaves their team (disbanding it once formed).
    CombinerLeave,
    /// The system: open team `team` ran out of time.
    CombinerExpire {
        team: u32,
    },
    /// Open a Cybertron Games in `channel` with the players `named` by its creator, filled
    /// with drones up to `drones` contestants, dealt into `factions` factions (under two: every
    /// contestant for themselves) across `districts` districts.
    GamesOpen {
        channel: Snowflake,
        named: Vec<PlayerId>,
        drones: u8,
        factions: u8,
        districts: u8,
        /// Schema 22: the creator's own names for the districts and the factions, in order
        /// (fewer than there are: the arena's names for the rest). Text the creator wrote:
        /// it goes to the erasable store ([`crate::fun::games::names_key`]), never into an
        /// event.
        #[serde(default)]
        district_names: Vec<String>,
        #[serde(default)]
        faction_names: Vec<String>,
        /// Schema 22: only members with this server role may join by button (the players the
        /// creator names are theirs to choose).
        #[serde(default)]
        role: Option<Snowflake>,
    },
    /// The asker joins game `game` before it starts; `roles` are their roles in the server, as
    /// Discord gave them with the press.
    GamesJoin {
        game: u32,
        #[serde(default)]
        roles: Vec<Snowflake>,
    },
    /// The creator starts game `game`.
    GamesStart {
        game: u32,
    },
    /// The creator plays the next round of game `game`.
    GamesNextRound {
        game: u32,
    },
    /// The creator ends game `game` where it stands.
    GamesEnd {
        game: u32,
    },
    /// Schema 22: the head of the asker's formed combiner team challenges team `team` to a
    /// mega-fight.
    MegaChallenge {
        team: u32,
    },
    /// Schema 22: the head of the challenged team accepts team `team`'s challenge; the fight
    /// starts.
    MegaAccept {
        team: u32,
    },
    /// Schema 22: the head of the challenged team declines team `team`'s challenge.
    MegaDecline {
        team: u32,
    },
    /// Schema 22, the system's: round `round` of game `game` retold by a model. `text` names
    /// contestants only as `{cN}` (contestant N, from 0); sanitized and checked again here
    /// ([`crate::fun::games::is_valid_narration`]).
    GamesNarrate {
        game: u32,
        round: u16,
        text: String,
    },
    /// Schema 22: sort `players` (2 to 50, each once) into `districts` districts (1 to 12, no
    /// more than there are players) by the dice: `/hg_sorter`.
    SortDistricts {
        players: Vec<PlayerId>,
        districts: u8,
    },
}
