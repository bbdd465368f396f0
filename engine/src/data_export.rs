//! A player's own data, for `/my_data`: every event that names them (found by the ids in its
//! payload, whatever stream it is on), since their latest erasure (before it they were, for the
//! game, someone else), and the text they wrote from the erasable store, as JSON. Seeds are
//! left out: a battle's or a game's seed stays secret while it is played.
//!
//! Ids are strings in the JSON (JavaScript can't hold a 64-bit snowflake or a 128-bit battle id
//! in a number): [`to_json`] turns every id newtype (`PlayerId` in decimal, battle, lobby and
//! challenge ids in hex as the bot shows them, command ids in decimal) and every 128-bit
//! integer into a string, and notes which players the value names on the way.

use std::collections::BTreeSet;

use serde::ser::{self, Serialize};
use serde_json::{json, Map, Value};

use crate::ids::{PlayerId, StreamId};
use crate::log::{EventLog, LogError};
use crate::personal::PersonalText;
use crate::player::PlayerEvent;
use crate::world::Event;

/// The newtypes written as hexadecimal strings (as `Display` shows them).
const HEX_IDS: &[&str] = &["BattleId", "LobbyId", "ChallengeId"];

/// `value` as JSON with ids as strings, and the players it names.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<(Value, BTreeSet<PlayerId>), String> {
    let mut named = BTreeSet::new();
    let json = value
        .serialize(ValueSerializer { named: &mut named })
        .map_err(|error| error.0)?;
    Ok((json, named))
}

/// One player's data as a JSON document.
pub fn player_data(
    log: &dyn EventLog,
    player: PlayerId,
    texts: &[PersonalText],
) -> Result<Value, LogError> {
    // Where their latest erasure is on their own stream: only what came after is theirs now.
    let mut from_seq = 1;
    let stream = StreamId::user(player);
    let mut version = 1;
    loop {
        let events = log.read_stream(&stream, version, 4_096)?;
        if events.is_empty() {
            break;
        }
        for event in &events {
            if matches!(&event.event, Event::Player(PlayerEvent::Erased { player: p, .. }) if *p == player)
            {
                from_seq = event.seq + 1;
            }
        }
        version = events.last().map_or(version, |e| e.stream_version + 1);
    }
    let mut events = Vec::new();
    let mut failure = None;
    log.scan(from_seq, &mut |event| {
        if failure.is_some() {
            return;
        }
        match to_json(&event.event) {
            Ok((mut payload, named)) if named.contains(&player) || event.stream == stream => {
                hide_seeds(&mut payload);
                events.push(json!({
                    "seq": event.seq.to_string(),
                    "event_id": event.event_id.to_string(),
                    "recorded_at": event.recorded_at_utc().to_rfc3339(),
                    "stream": event.stream.as_str(),
                    "actor": event.actor.to_string(),
                    "command_id": format!("{:032x}", event.command_id.0),
                    "event": payload,
                }));
            }
            Ok(_) => {}
            Err(error) => failure = Some(error),
        }
    })?;
    if let Some(error) = failure {
        return Err(LogError::Corrupt(format!(
            "an event does not convert to JSON: {error}"
        )));
    }
    let texts: Vec<Value> = texts
        .iter()
        .filter(|text| text.player == player)
        .map(|text| json!({ "key": text.key, "text": text.text }))
        .collect();
    Ok(json!({
        "player": player.0.to_string(),
        "since_seq": from_seq.to_string(),
        "personal_text": texts,
        "events": events,
    }))
}

/// Every `seed` in an event replaced by `"hidden"`: a battle's or a game's seed stays secret
/// while it is played, and a player's export must not be a way to read it early.
fn hide_seeds(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if key == "seed" {
                    *inner = Value::String("hidden".into());
                } else {
                    hide_seeds(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide_seeds),
        _ => {}
    }
}

#[derive(Debug)]
struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Serializes into a `serde_json::Value`, with ids as strings (see the module docs).
struct ValueSerializer<'a> {
    named: &'a mut BTreeSet<PlayerId>,
}

impl<'a> ValueSerializer<'a> {
    fn child(&mut self) -> ValueSerializer<'_> {
        ValueSerializer {
            named: &mut *self.named,
        }
    }
}

/// Reads the integer inside an id newtype: a number, or the string the id's own JSON form
/// writes (`ids::json_ids`: hexadecimal for the 128-bit ids, decimal for players).
struct IntOf {
    value: Option<u128>,
    hex: bool,
}

impl ser::Serializer for &mut IntOf {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.value = Some(u128::from(v));
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.value = Some(v);
        Ok(())
    }
    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_char(self, _: char) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        let radix = if self.hex { 16 } else { 10 };
        self.value = Some(u128::from_str_radix(v, radix).map_err(|_| not_int())?);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_int())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_int())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_int())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_int())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_int())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_int())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(not_int())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_int())
    }
}

fn not_int() -> Error {
    Error("an id that is not an integer".into())
}

/// A sequence or tuple being built.
struct SeqBuilder<'a> {
    named: &'a mut BTreeSet<PlayerId>,
    items: Vec<Value>,
    /// Set for a tuple variant: `{ variant: [...] }`.
    variant: Option<&'static str>,
}

/// A map or struct being built.
struct MapBuilder<'a> {
    named: &'a mut BTreeSet<PlayerId>,
    entries: Map<String, Value>,
    key: Option<String>,
    variant: Option<&'static str>,
}

fn wrap(variant: Option<&'static str>, value: Value) -> Value {
    match variant {
        Some(name) => {
            let mut outer = Map::new();
            outer.insert(name.to_string(), value);
            Value::Object(outer)
        }
        None => value,
    }
}

impl<'a> ser::Serializer for ValueSerializer<'a> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SeqBuilder<'a>;
    type SerializeTuple = SeqBuilder<'a>;
    type SerializeTupleStruct = SeqBuilder<'a>;
    type SerializeTupleVariant = SeqBuilder<'a>;
    type SerializeMap = MapBuilder<'a>;
    type SerializeStruct = MapBuilder<'a>;
    type SerializeStructVariant = MapBuilder<'a>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(json!(v))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        let is_hex = HEX_IDS.contains(&name);
        if name == "PlayerId" || name == "CommandId" || is_hex {
            let mut int = IntOf {
                value: None,
                hex: is_hex,
            };
            value.serialize(&mut int)?;
            let Some(n) = int.value else {
                return Err(not_int());
            };
            if name == "PlayerId" {
                if let Ok(id) = u64::try_from(n) {
                    self.named.insert(PlayerId(id));
                }
            }
            return Ok(Value::String(if is_hex {
                format!("{n:032x}")
            } else {
                n.to_string()
            }));
        }
        value.serialize(self.child())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        let inner = value.serialize(self.child())?;
        Ok(wrap(Some(variant), inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder<'a>, Error> {
        Ok(SeqBuilder {
            named: self.named,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'a>, Error> {
        Ok(SeqBuilder {
            named: self.named,
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapBuilder<'a>, Error> {
        Ok(MapBuilder {
            named: self.named,
            entries: Map::new(),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<MapBuilder<'a>, Error> {
        Ok(MapBuilder {
            named: self.named,
            entries: Map::new(),
            key: None,
            variant: Some(variant),
        })
    }
}

impl SeqBuilder<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = value.serialize(ValueSerializer {
            named: &mut *self.named,
        })?;
        self.items.push(item);
        Ok(())
    }
    fn done(self) -> Value {
        wrap(self.variant, Value::Array(self.items))
    }
}

impl ser::SerializeSeq for SeqBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

impl ser::SerializeTuple for SeqBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

impl ser::SerializeTupleVariant for SeqBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

impl MapBuilder<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let item = value.serialize(ValueSerializer {
            named: &mut *self.named,
        })?;
        self.entries.insert(key.to_string(), item);
        Ok(())
    }
    fn done(self) -> Value {
        wrap(self.variant, Value::Object(self.entries))
    }
}

impl ser::SerializeMap for MapBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(ValueSerializer {
            named: &mut *self.named,
        })?;
        self.key = Some(match key {
            Value::String(text) => text,
            other => other.to_string(),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

impl ser::SerializeStruct for MapBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

impl ser::SerializeStructVariant for MapBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(self.done())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::battle::BattleId;
    use crate::energon::{EnergonEvent, LedgerRule};

    #[test]
    fn ids_become_strings_and_the_named_players_are_noted() {
        let event = Event::Energon(EnergonEvent::Credited {
            player: PlayerId(1_234_567_890_123_456_789),
            amount: 5,
            rule: LedgerRule::TransferIn { from: PlayerId(42) },
        });
        let (value, named) = to_json(&event).expect("json");
        assert_eq!(
            value,
            json!({ "Energon": { "Credited": {
                "player": "1234567890123456789",
                "amount": 5,
                "rule": { "TransferIn": { "from": "42" } },
            } } })
        );
        assert_eq!(
            named,
            BTreeSet::from([PlayerId(42), PlayerId(1_234_567_890_123_456_789)])
        );
        let (battle, named) = to_json(&BattleId(u128::MAX)).expect("json");
        assert_eq!(battle, json!("ffffffffffffffffffffffffffffffff"));
        assert!(named.is_empty());
    }

    #[test]
    fn seeds_are_hidden_wherever_they_sit() {
        let event = Event::Fun(crate::fun::FunEvent::GamesStarted {
            game: 1,
            seed: crate::dice::Seed::pcg(0xABCD),
            entrants: vec![crate::fun::games::Entrant::Player(PlayerId(7))],
        });
        let (mut value, named) = to_json(&event).expect("json");
        assert!(named.contains(&PlayerId(7)));
        hide_seeds(&mut value);
        let text = value.to_string();
        assert!(text.contains(r#""seed":"hidden""#), "{text}");
        assert!(!text.contains("abcd"), "{text}");
    }

    #[test]
    fn a_returning_players_data_starts_after_their_erasure() {
        use crate::ids::Actor;
        use crate::pets::{Faction, PetCommand};
        use crate::player::PlayerCommand;
        use crate::world::Command;

        let alice = PlayerId(7);
        let mut test = crate::testing::TestEngine::new();
        let adopt = Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        });
        assert!(test.run(Actor::Player(alice), adopt.clone()).is_accepted());
        assert!(test
            .run(
                Actor::Player(alice),
                Command::Player(PlayerCommand::Erase { player: alice })
            )
            .is_accepted());
        let erased_at = test.engine.log().last_seq();
        assert!(test.run(Actor::Player(alice), adopt).is_accepted());
        let data = player_data(test.engine.log().as_ref(), alice, &[]).expect("data");
        let events = data["events"].as_array().expect("events");
        assert!(!events.is_empty());
        for event in events {
            let seq: u64 = event["seq"].as_str().unwrap_or("0").parse().unwrap_or(0);
            assert!(seq > erased_at, "{event}");
        }
        assert_eq!(data["since_seq"], (erased_at + 1).to_string());
    }
}
