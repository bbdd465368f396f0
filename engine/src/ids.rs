//! Identifiers and instants shared by every area: who acted, which command, which stream, when.
//!
//! They are small `Copy` values (except [`StreamId`]) with stable serde shapes, because they are
//! part of the stored log format (see ARCHITECTURE.md, "API boundaries").

use std::fmt;

use serde::{Deserialize, Serialize};

/// A player, named by their Discord user id (a snowflake). The console uses small numbers.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct PlayerId(pub u64);

impl fmt::Display for PlayerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Who asked for a command: a player, or the operator/engine itself (grants, fines, timeouts).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Actor {
    /// The operator or an engine-internal worker. Only this actor may mint or burn by hand.
    System,
    Player(PlayerId),
    /// The operator, named by their user id (schema 5): grants, fines, gifts and erasures are
    /// recorded as done by whoever did them. Has the same rights as `System`.
    Operator(PlayerId),
}

impl Actor {
    /// Whether this actor may do what only the operator may (mint, burn, erase, give items).
    pub fn is_operator(self) -> bool {
        matches!(self, Actor::System | Actor::Operator(_))
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::System => f.write_str("system"),
            Actor::Player(player) => write!(f, "player:{player}"),
            Actor::Operator(player) => write!(f, "operator:{player}"),
        }
    }
}

/// The idempotency key of a command. For Discord it is the interaction id (a snowflake, which
/// fits in the low 64 bits); other sources pick any 128-bit value that they never reuse.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct CommandId(pub u128);

impl CommandId {
    pub fn to_be_bytes(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for CommandId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// An instant as milliseconds since the Unix epoch, UTC. Domain state stores this integer rather
/// than a `chrono` value so that comparisons and encodings are trivially deterministic.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const MILLIS_PER_SEC: i64 = 1_000;

    pub fn from_secs(secs: i64) -> Timestamp {
        Timestamp(secs.saturating_mul(Self::MILLIS_PER_SEC))
    }

    pub fn plus_secs(self, secs: i64) -> Timestamp {
        Timestamp(
            self.0
                .saturating_add(secs.saturating_mul(Self::MILLIS_PER_SEC)),
        )
    }

    pub fn to_chrono(self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.0).unwrap_or_default()
    }

    pub fn from_chrono(at: chrono::DateTime<chrono::Utc>) -> Timestamp {
        Timestamp(at.timestamp_millis())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_chrono().format("%Y-%m-%dT%H:%M:%S%.3fZ"))
    }
}

/// A named sequence of events within the global log, with its own version counter
/// (`user/<id>`, `battle/<uuid>`, `rush/<n>` …). The text never contains a NUL byte, because the
/// sled key layout uses NUL as the separator between a stream name and its version.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct StreamId(String);

impl StreamId {
    /// Longest stream name accepted, in bytes.
    pub const LEN_MAX_BYTES: usize = 128;

    /// Builds a stream id, refusing names that the storage layout cannot hold.
    pub fn new(name: impl Into<String>) -> Option<StreamId> {
        let name = name.into();
        let valid = !name.is_empty() && name.len() <= Self::LEN_MAX_BYTES && !name.contains('\0');
        valid.then_some(StreamId(name))
    }

    pub fn user(player: PlayerId) -> StreamId {
        StreamId(format!("user/{player}"))
    }

    /// A stream name built by the engine itself from ids it formats (hex, digits), which can't
    /// hold a NUL; truncated defensively to the length limit.
    pub(crate) fn trusted(mut name: String) -> StreamId {
        name.truncate(Self::LEN_MAX_BYTES);
        StreamId(name)
    }

    /// The stream of one Energon Rush round's result.
    pub fn rush(round: u32) -> StreamId {
        StreamId(format!("rush/{round}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Characters of a person's input a rejection quotes back at most.
pub const QUOTE_MAX_CHARS: usize = 64;

/// Someone's input as a rejection quotes it: at most [`QUOTE_MAX_CHARS`] characters, cut with
/// `…`, so a refusal (and the outcome stored with it) stays small whatever was typed.
pub fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_MAX_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(QUOTE_MAX_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod quote_tests {
    use super::*;

    #[test]
    fn quotes_are_cut_at_the_limit_on_a_character_boundary() {
        assert_eq!(quote("boss"), "boss");
        let long = "é".repeat(6_000);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTE_MAX_CHARS);
        assert!(quoted.ends_with('…'));
    }
}
