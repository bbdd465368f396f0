//! The stored byte format: pinned bincode settings, the event envelope layout, schema versions
//! and upcasting of older payloads.
//!
//! bincode is not self-describing, so every stored event carries the schema version its payload
//! was written with, and [`decode_event`] upcasts old payloads to the current types. A stored
//! type is never changed in place: the old shape moves to a `v<N>` module and gets an upcaster.
//!
//! Event record layout: `header ++ payload`, where `header` is a bincode [`StoredHeader`] and
//! `payload` the bincode encoding of the schema version's `Event` type. Keeping the payload
//! unframed after the header lets decoding borrow everything without copying.

use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::envelope::RecordedEvent;
use crate::ids::{Actor, CommandId, StreamId, Timestamp};
use crate::world::{Event, Rejection};

/// The schema version every new event is written with.
///
/// History:
/// - 1: the prototype's energon events, `Credited`/`Debited` without a ledger rule (only the
///   operator could move energon then). Upcast by [`crate::energon::upcast_v1`].
/// - 2: every balance change names its ledger rule; transfers between players.
/// - 3: erasure (`PlayerEvent::Erased`, `PlayerCommand::Erase`). Only variants were appended,
///   and bincode numbers variants by position, so a version 2 payload decodes unchanged as
///   version 3: no upcaster needed. The bump makes an older build refuse a log that may hold
///   events it cannot read, instead of failing on the first one.
/// - 4: one activity at a time: the rejections `BattleRejection::InTournament` and
///   `PetRejection::Engaged` (recorded as command outcomes); the battle event `Setup`
///   (what each fighter wore at the start, and the battle rules version it is played under). Appended variants again, so versions 2 and 3
///   decode unchanged.
/// - 5: what a rule decided from today's numbers is recorded beside the event that needed it
///   (`PetEvent::CooldownSet`, `Founded`, `ExperienceSet`, `VitalsSet`,
///   `EnergonEvent::RushCooldownSet`, `SlotsEvent::FreeSpinCooldownSet`), so a rebuild never
///   re-derives it; older events are read with the numbers they were decided under
///   (`pets::tuning::frozen_v4`). Single-use confirmations (`PetEvent::ReleaseCancelled`,
///   `PlayerEvent::ErasureCancelled`, `PlayerRejection::ErasureCancelled`) and the header's
///   `Actor::Operator` (who did a grant, fine or erasure). Appended variants only: versions 2
///   to 4 decode unchanged.
/// - 6: a shield's absorption is logged (`Hit::Absorbed`, battle rules 3) and an action the pet
///   cannot hold enough for is refused as such (`PetRejection::BeyondCapacity`). Appended
///   variants only: versions 2 to 5 decode unchanged.
/// - 7: Politics & War recruitment (`Event::Recruit`: `RecruitEvent::Attempted`, `Confirmed`,
///   `Failed`; `Rejection::Recruit`). Appended variants only: versions 2 to 6 decode unchanged.
/// - 8: the operator's audit log clearings (`Event::Admin`: `AdminEvent::LogsCleared`;
///   `Rejection::Admin`). Appended variants only: versions 2 to 7 decode unchanged.
/// - 9: the CyberCoin market (`Event::Market`, `Command::Market`, `Rejection::Market`;
///   `LedgerRule::MarketBuy` and `MarketSale`). Appended variants only: versions 2 to 8 decode
///   unchanged.
/// - 10: player trades (`Event::Trade`: `TradeEvent::Opened`, `Added`, `Removed`, `Confirmed`,
///   `Completed`, `Cancelled`, `Expired`, `Withdrawn`; `Rejection::Trade`), the swap's legs
///   (`LedgerRule::TradeIn`/`TradeOut`, `PetEvent::ItemGivenAway`/`ItemReceived`), items on
///   offer (`Engagement::Trade`, `PetRejection::OnOffer`). Appended variants only: versions 2
///   to 9 decode unchanged.
/// - 11: the import from the original bot (`PlayerCommand::ImportLegacy`,
///   `PlayerEvent::Imported`, `PlayerRejection::AlreadyHere` and `ImportInvalid`,
///   `PetEvent::Imported`, `SlotsEvent::Imported`, `MarketEvent::Imported`,
///   `LedgerRule::LegacyImport`). Appended variants only: versions 2 to 10 decode unchanged.
/// - 12: CyberCoin in player trades (`trade::Asset::Coins`; the swap's legs
///   `MarketEvent::GaveAway`/`Received`, which move coins and their cost basis;
///   `MarketRejection::OnOffer`). Appended variants only: versions 2 to 11 decode unchanged.
/// - 13: the social area (`Event::Social`: `SocialEvent::Told`, `SparkForged`, `QuizTaken`;
///   `Command::Social`, `Rejection::Social`). Appended variants only: versions 2 to 12 decode
///   unchanged.
/// - 14: the fun area (`Event::Fun`: `FunEvent::Greeted`, `Grumped`, `GrumpOptOutSet`;
///   `Command::Fun`, `Rejection::Fun`). Appended variants only: versions 2 to 13 decode
///   unchanged.
/// - 15: server lore, quiz roles and word counting (`SocialEvent::LoreAdded`, `LoreDeleted`,
///   `QuizRoleMapped`, `QuizRoleRequested`, `QuizRoleSettled`, `WordsCounting`; their
///   rejections; `SocialCommand::TakeQuiz` gains `guild`). Appended variants only: versions 2
///   to 14 decode unchanged.
/// - 16: the shooting range (`FunEvent::RangeStarted`, `RangeRoundShown`, `RangeShot`,
///   `RangeEnded`; `FunCommand::RangeStart`, `RangeReady`, `RangeShoot`, `RangeLapse`; their
///   rejections). Appended variants only: versions 2 to 15 decode unchanged.
/// - 17: trivia (`FunEvent::TriviaStarted`, `TriviaAsked`, `TriviaAnswered`, `TriviaTimedOut`,
///   `TriviaEnded`; `FunCommand::TriviaStart`, `TriviaAnswer`, `TriviaStop`, `TriviaTimeout`;
///   their rejections). Appended variants only: versions 2 to 16 decode unchanged.
/// - 18: WalkTru (`FunEvent::WalkStarted`, `WalkStepped`, `WalkEnded`, `WalkAbandoned`;
///   `FunCommand::WalkStart`, `WalkChoose`; their rejections). Appended variants only:
///   versions 2 to 17 decode unchanged.
/// - 19: combiner teams (`FunEvent::CombinerOpened`, `CombinerJoined`, `CombinerFormed`,
///   `CombinerLeft`, `CombinerDisbanded`, `CombinerExpired`; `FunCommand::CombinerOpen`,
///   `CombinerTake`, `CombinerLeave`, `CombinerExpire`; their rejections). Appended variants
///   only: versions 2 to 18 decode unchanged.
/// - 20: Cybertron Games (`FunEvent::GamesOpened`, `GamesJoined`, `GamesStarted`, `GamesRound`,
///   `GamesEnded`; `FunCommand::GamesOpen`, `GamesJoin`, `GamesStart`, `GamesNextRound`,
///   `GamesEnd`; their rejections). Appended variants only: versions 2 to 19 decode unchanged.
/// - 21: the RPG area (`Event::Rpg`, `Command::Rpg`, `Rejection::Rpg`: characters, parties,
///   adventures and their narration), `BattleMode::Adventure`, `Engagement::Adventure`,
///   `LedgerRule::AdventureReward` and `AdventureCost`. Appended variants only: versions 2 to
///   20 decode unchanged.
/// - 22: roasts and compliments written by a model (`SocialEvent::ToldByModel`;
///   `SocialRejection::WordsNotHere`, `UnusableWords`), RPG characters imported from the
///   original bot (`RpgEvent::CharacterImported`), mega-fights (`BattleMode::MegaFight`,
///   `LedgerRule::MegaFightReward`, `FunEvent::MegaChallenged`, `MegaDeclined`,
///   `MegaFightStarted`, `MegaFightEnded`), the district sorter (`DistrictsSorted`), the
///   Cybertron Games role filter and model narration (`GamesRoleSet`, `GamesNarrated`) and
///   their rejections. Appended variants only: versions 2 to 21 decode unchanged.
pub const SCHEMA_VERSION: u16 = 22;

/// The oldest schema version this build can still read.
pub const SCHEMA_VERSION_OLDEST: u16 = 1;

/// Largest encoded record accepted on decode, in bytes: a corrupt length can't allocate more.
pub const RECORD_LEN_MAX_BYTES: usize = 64 * 1024 * 1024;

type Config = Configuration<LittleEndian, Varint, Limit<RECORD_LEN_MAX_BYTES>>;

/// The one bincode configuration used for everything stored. Changing it changes every byte
/// on disk: it is part of the log format.
pub fn config() -> Config {
    bincode::config::standard()
        .with_little_endian()
        .with_variable_int_encoding()
        .with_limit::<RECORD_LEN_MAX_BYTES>()
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("could not encode: {0}")]
    Encode(#[from] bincode::error::EncodeError),
    #[error("could not decode: {0}")]
    Decode(#[from] bincode::error::DecodeError),
    #[error("record has {0} trailing bytes")]
    TrailingBytes(usize),
    #[error("record written by schema version {found}, but this build reads {oldest}..={newest}: upgrade allspark")]
    UnknownSchema {
        found: u16,
        oldest: u16,
        newest: u16,
    },
    #[error("record violates an envelope invariant: {0}")]
    Invariant(&'static str),
}

pub fn encode_value<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    Ok(bincode::serde::encode_to_vec(value, config())?)
}

/// Decodes a whole record; trailing bytes are an error, since they mean the layout is wrong.
pub fn decode_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice(bytes, config())?;
    if used != bytes.len() {
        return Err(CodecError::TrailingBytes(bytes.len() - used));
    }
    Ok(value)
}

/// The envelope fields of a stored event, borrowed from the record bytes.
#[derive(Serialize, Deserialize)]
struct StoredHeader<'a> {
    seq: u64,
    event_id: u128,
    recorded_at: i64,
    command_id: u128,
    actor: Actor,
    stream: &'a str,
    stream_version: u64,
    schema_version: u16,
}

fn check_envelope(event: &RecordedEvent) -> Result<(), CodecError> {
    if event.seq == 0 {
        return Err(CodecError::Invariant("seq starts at 1"));
    }
    if event.stream_version == 0 {
        return Err(CodecError::Invariant("stream_version starts at 1"));
    }
    Ok(())
}

/// Encodes an event with the current schema version (whatever `schema_version` says: events
/// are always written in the current shape).
pub fn encode_event(event: &RecordedEvent) -> Result<Vec<u8>, CodecError> {
    check_envelope(event)?;
    let header = StoredHeader {
        seq: event.seq,
        event_id: event.event_id.as_u128(),
        recorded_at: event.recorded_at.0,
        command_id: event.command_id.0,
        actor: event.actor,
        stream: event.stream.as_str(),
        stream_version: event.stream_version,
        schema_version: SCHEMA_VERSION,
    };
    let mut bytes = bincode::serde::encode_to_vec(&header, config())?;
    bincode::serde::encode_into_std_write(&event.event, &mut bytes, config())?;
    Ok(bytes)
}

/// Decodes a stored event, upcasting its payload to the current types.
pub fn decode_event(bytes: &[u8]) -> Result<RecordedEvent, CodecError> {
    let (header, used): (StoredHeader<'_>, usize) =
        bincode::serde::borrow_decode_from_slice(bytes, config())?;
    let payload = &bytes[used..];
    let event = decode_payload(header.schema_version, payload)?;
    let stream = StreamId::new(header.stream).ok_or(CodecError::Invariant(
        "stream name is empty, too long or has a NUL",
    ))?;
    let recorded = RecordedEvent {
        seq: header.seq,
        event_id: Uuid::from_u128(header.event_id),
        recorded_at: Timestamp(header.recorded_at),
        command_id: CommandId(header.command_id),
        actor: header.actor,
        stream,
        stream_version: header.stream_version,
        schema_version: header.schema_version,
        event,
    };
    check_envelope(&recorded)?;
    Ok(recorded)
}

/// Reads only the `seq` of a stored event (cheap: the first field).
pub fn decode_event_seq(bytes: &[u8]) -> Result<u64, CodecError> {
    let (seq, _): (u64, usize) = bincode::serde::decode_from_slice(bytes, config())?;
    Ok(seq)
}

fn decode_payload(schema_version: u16, payload: &[u8]) -> Result<Event, CodecError> {
    match schema_version {
        2..=21 | SCHEMA_VERSION => decode_value::<Event>(payload),
        1 => decode_value::<v1::Event>(payload).map(v1::upcast),
        found => Err(CodecError::UnknownSchema {
            found,
            oldest: SCHEMA_VERSION_OLDEST,
            newest: SCHEMA_VERSION,
        }),
    }
}

/// Schema version 1's payload shapes, kept only to read old logs.
pub mod v1 {
    use serde::{Deserialize, Serialize};

    use crate::energon::EnergonEventV1;
    use crate::ids::PlayerId;

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Event {
        Player(PlayerEvent),
        Energon(EnergonEventV1),
    }

    /// The players area as version 1 knew it (frozen: `Erased` came with version 3).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum PlayerEvent {
        Joined { player: PlayerId },
    }

    pub fn upcast(event: Event) -> crate::world::Event {
        match event {
            Event::Player(PlayerEvent::Joined { player }) => {
                crate::world::Event::Player(crate::player::PlayerEvent::Joined { player })
            }
            Event::Energon(event) => crate::world::Event::Energon(crate::energon::upcast_v1(event)),
        }
    }

    /// Encodes a payload in the v1 shape (for tests and frozen-log tooling only).
    pub fn encode_payload(event: &Event) -> Result<Vec<u8>, super::CodecError> {
        super::encode_value(event)
    }

    /// Builds a complete v1 record, as the prototype wrote it (for tests of the upcasting path).
    pub fn encode_record(
        template: &crate::envelope::RecordedEvent,
        event: &Event,
    ) -> Result<Vec<u8>, super::CodecError> {
        let header = super::StoredHeader {
            seq: template.seq,
            event_id: template.event_id.as_u128(),
            recorded_at: template.recorded_at.0,
            command_id: template.command_id.0,
            actor: template.actor,
            stream: template.stream.as_str(),
            stream_version: template.stream_version,
            schema_version: 1,
        };
        let mut bytes = super::encode_value(&header)?;
        bytes.extend(encode_payload(event)?);
        Ok(bytes)
    }
}

/// What a command came to, stored under its id in the same atomic batch as its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommandOutcome {
    /// The command's events occupy `first_seq .. first_seq + n_events` (none if `n_events == 0`).
    Accepted { first_seq: u64, n_events: u32 },
    /// The command changed nothing; the same rejection is returned to a retry.
    Rejected(Rejection),
    /// Rejected by an older build whose rejection type this build can no longer read. Still a
    /// decided command: a retry changes nothing.
    RejectedEarlier,
}

/// The stored form of an outcome. The rejection is nested as bytes so that an outcome written
/// by an older schema can still be read far enough to know the command was decided.
#[derive(Serialize, Deserialize)]
struct StoredOutcome {
    schema_version: u16,
    first_seq: u64,
    n_events: u32,
    rejection: Option<Vec<u8>>,
}

pub fn encode_outcome(outcome: &CommandOutcome) -> Result<Vec<u8>, CodecError> {
    let (first_seq, n_events, rejection) = match outcome {
        CommandOutcome::Accepted {
            first_seq,
            n_events,
        } => (*first_seq, *n_events, None),
        CommandOutcome::Rejected(rejection) => (0, 0, Some(encode_value(rejection)?)),
        CommandOutcome::RejectedEarlier => (0, 0, Some(Vec::new())),
    };
    encode_value(&StoredOutcome {
        schema_version: SCHEMA_VERSION,
        first_seq,
        n_events,
        rejection,
    })
}

pub fn decode_outcome(bytes: &[u8]) -> Result<CommandOutcome, CodecError> {
    let stored: StoredOutcome = decode_value(bytes)?;
    Ok(match stored.rejection {
        None => CommandOutcome::Accepted {
            first_seq: stored.first_seq,
            n_events: stored.n_events,
        },
        Some(rejection) if stored.schema_version == SCHEMA_VERSION && !rejection.is_empty() => {
            CommandOutcome::Rejected(decode_value(&rejection)?)
        }
        Some(_) => CommandOutcome::RejectedEarlier,
    })
}
