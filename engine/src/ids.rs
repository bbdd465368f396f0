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
pub struct PlayerId(
    #[serde(
        serialize_with = "json_ids::serialize_decimal",
        deserialize_with = "json_ids::deserialize_decimal"
    )]
    #[schemars(schema_with = "json_ids::decimal_schema")]
    pub u64,
);

impl fmt::Display for PlayerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Discord snowflake that names no player: a server, channel, message or role. Decimal in
/// JSON like [`PlayerId`] (see [`json_ids`]); a plain `u64` in the stored format.
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
pub struct Snowflake(
    #[serde(
        serialize_with = "json_ids::serialize_decimal",
        deserialize_with = "json_ids::deserialize_decimal"
    )]
    #[schemars(schema_with = "json_ids::decimal_schema")]
    pub u64,
);

impl fmt::Display for Snowflake {
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
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct CommandId(
    #[serde(
        serialize_with = "json_ids::serialize_hex",
        deserialize_with = "json_ids::deserialize_hex"
    )]
    #[schemars(schema_with = "json_ids::hex_schema")]
    pub u128,
);

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

/// The same hex as `Display`, so a command id reads the same in a debug print.
impl fmt::Debug for CommandId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommandId({:032x})", self.0)
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

    /// A Cybertron Games, from its lobby to its end.
    pub fn games(game: u32) -> StreamId {
        StreamId(format!("games/{game}"))
    }

    /// A combiner team's forming and end.
    pub fn combiner(team: u32) -> StreamId {
        StreamId(format!("combiner/{team}"))
    }

    /// An RPG adventure, from its party forming to its end.
    pub fn adventure(adventure: u32) -> StreamId {
        StreamId(format!("adventure/{adventure}"))
    }

    /// A channel's trivia sessions.
    pub fn trivia(channel: Snowflake) -> StreamId {
        StreamId(format!("trivia/{channel}"))
    }

    /// The CyberCoin market's ticks, news and holidays.
    pub fn market() -> StreamId {
        StreamId("market".to_string())
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

/// How ids are written in JSON (battle exports, the replay feed, scenario files, schemas): as
/// strings, the 128-bit ids in the same 32-digit hex their `Display` prints and player ids in
/// decimal, because JavaScript reads every JSON number as a double and silently loses the
/// digits of a 39-digit battle id or a 19-digit snowflake. Numbers are still read (files
/// written before, hand-written scenarios). Only human-readable formats are affected: bincode,
/// the stored format, is not human-readable and keeps the plain integers, so no stored byte
/// changes.
pub mod json_ids {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serializer};

    /// A 128-bit id: a 32-digit hex string in JSON.
    pub fn serialize_hex<S: Serializer>(value: &u128, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(&format_args!("{value:032x}"))
        } else {
            serializer.serialize_u128(*value)
        }
    }

    /// Reads what [`serialize_hex`] writes, or a number.
    pub fn deserialize_hex<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(Hex)
        } else {
            u128::deserialize(deserializer)
        }
    }

    /// A 64-bit id (or hash): a decimal string in JSON.
    pub fn serialize_decimal<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(value)
        } else {
            serializer.serialize_u64(*value)
        }
    }

    /// Reads what [`serialize_decimal`] writes, or a number.
    pub fn deserialize_decimal<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<u64, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(Decimal)
        } else {
            u64::deserialize(deserializer)
        }
    }

    /// The JSON schema of a hex id: the string form (a number is read too).
    pub fn hex_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A 128-bit id as 32 hex digits (a JSON number is also read, but JavaScript cannot hold one this large).",
            "anyOf": [
                {"type": "string", "pattern": "^[0-9a-fA-F]{1,32}$"},
                {"type": "integer", "minimum": 0}
            ]
        })
    }

    /// The JSON schema of a decimal id.
    pub fn decimal_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A 64-bit number (an id, a hash) in decimal, written as a string (a JSON number is also read).",
            "anyOf": [
                {"type": "string", "pattern": "^[0-9]{1,20}$"},
                {"type": "integer", "minimum": 0}
            ]
        })
    }

    struct Hex;

    impl<'de> Visitor<'de> for Hex {
        type Value = u128;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an id as a string of up to 32 hex digits")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<u128, E> {
            if text.is_empty() || text.len() > 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(E::invalid_value(de::Unexpected::Str(text), &self));
            }
            u128::from_str_radix(text, 16).map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<u128, E> {
            Ok(u128::from(value))
        }

        fn visit_u128<E: de::Error>(self, value: u128) -> Result<u128, E> {
            Ok(value)
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<u128, E> {
            u128::try_from(value)
                .map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<u128, E> {
            Err(E::custom(format_args!(
                "an id written as the number {value} has lost its digits; write it as a hex string"
            )))
        }
    }

    struct Decimal;

    impl<'de> Visitor<'de> for Decimal {
        type Value = u64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an id as a string of decimal digits")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<u64, E> {
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(E::invalid_value(de::Unexpected::Str(text), &self));
            }
            text.parse().map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
            Ok(value)
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
            u64::try_from(value).map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<u64, E> {
            Err(E::custom(format_args!(
                "an id written as the number {value} has lost its digits; write it as a string"
            )))
        }
    }

    /// Rewrites every bare JSON integer too large for 64 bits as a hex string, so a battle
    /// file written before ids were strings (`allspark-battle/1`, whose 128-bit ids and seeds
    /// were numbers) reads without losing digits: a JSON reader would otherwise round such a
    /// number to a double. Only 128-bit fields hold such numbers, and they read hex strings.
    pub fn quote_big_integers(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut in_string = false;
        let mut escaped = false;
        let mut at = 0;
        let mut copied = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if in_string {
                match (escaped, byte) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                at += 1;
                continue;
            }
            if byte == b'"' {
                in_string = true;
                at += 1;
                continue;
            }
            let starts_number = byte.is_ascii_digit()
                && (at == 0 || !matches!(bytes[at - 1], b'-' | b'.' | b'e' | b'E' | b'+'));
            if !starts_number {
                at += 1;
                continue;
            }
            let end = at
                + bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            let integral = !matches!(bytes.get(end), Some(b'.' | b'e' | b'E'));
            if let (true, Ok(value)) = (integral, text[at..end].parse::<u128>()) {
                if value > u128::from(u64::MAX) {
                    out.push_str(&text[copied..at]);
                    out.push_str(&format!("\"{value:032x}\""));
                    copied = end;
                }
            }
            at = end;
        }
        out.push_str(&text[copied..]);
        out
    }
}
