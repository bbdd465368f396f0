//! The stored format: upcasting old schema versions, refusing newer ones, and pinned bytes.

use allspark_engine::codec::{self, v1, CodecError, SCHEMA_VERSION};
use allspark_engine::energon::{EnergonEvent, EnergonEventV1, LedgerRule};
use allspark_engine::testing::log_conformance::sample_event;
use allspark_engine::testing::samples;
use allspark_engine::{Event, PlayerId, Rejection};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

#[test]
fn a_stored_v1_event_decodes_as_the_current_type() {
    let template = sample_event(7, 42, 2, 9);
    let v1_event = v1::Event::Energon(EnergonEventV1::Credited {
        player: PlayerId(42),
        amount: 250,
    });
    let bytes = ok(v1::encode_record(&template, &v1_event));
    let decoded = ok(codec::decode_event(&bytes));
    assert_eq!(decoded.schema_version, 1);
    assert_eq!(
        decoded.event,
        Event::Energon(EnergonEvent::Credited {
            player: PlayerId(42),
            amount: 250,
            rule: LedgerRule::OperatorGrant,
        })
    );
    assert_eq!(decoded.seq, template.seq);
    assert_eq!(decoded.stream, template.stream);

    let debit = ok(v1::encode_record(
        &template,
        &v1::Event::Energon(EnergonEventV1::Debited {
            player: PlayerId(42),
            amount: 3,
        }),
    ));
    assert_eq!(
        ok(codec::decode_event(&debit)).event,
        Event::Energon(EnergonEvent::Debited {
            player: PlayerId(42),
            amount: 3,
            rule: LedgerRule::OperatorFine,
        })
    );
}

#[test]
fn a_record_from_a_newer_schema_is_refused_with_a_clear_error() {
    let event = sample_event(1, 1, 1, 1);
    let mut bytes = ok(codec::encode_event(&event));
    // The schema version is the header's last field, a varint just before the payload; the
    // payload of `Joined { player: 1 }` is three bytes (area tag, variant tag, id).
    let at = bytes.len() - 4;
    assert_eq!(bytes[at], SCHEMA_VERSION as u8);
    bytes[at] = 99;
    match codec::decode_event(&bytes) {
        Err(CodecError::UnknownSchema { found: 99, .. }) => {}
        other => panic!("expected an unknown-schema error, got {other:?}"),
    }
}

#[test]
fn current_encoding_is_pinned() {
    // If this changes, stored logs no longer decode: add a schema version instead.
    let event = sample_event(3, 5, 2, 77);
    let bytes = ok(codec::encode_event(&event));
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, PINNED_HEX);
    assert_eq!(ok(codec::decode_event(&bytes)), event);
    // The same bytes stamped with versions 2 to 20 still decode: versions 3 to 21 only appended
    // variants. The version sits just before the five payload bytes (area, variant, player,
    // amount, rule).
    let at = bytes.len() - 6;
    assert_eq!(bytes[at], 22);
    for older in [
        2u8, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
    ] {
        let mut stamped = bytes.clone();
        stamped[at] = older;
        let decoded = ok(codec::decode_event(&stamped));
        assert_eq!(decoded.schema_version, u16::from(older));
        assert_eq!(decoded.event, event.event);
    }
}

#[test]
fn envelope_invariants_are_checked_on_both_sides() {
    let mut event = sample_event(1, 1, 1, 1);
    event.seq = 0;
    assert!(matches!(
        codec::encode_event(&event),
        Err(CodecError::Invariant(_))
    ));
}

#[test]
fn a_store_written_by_a_newer_schema_is_refused_at_open() {
    let dir = ok(tempfile::tempdir());
    {
        let db = ok(sled::open(dir.path()));
        let tree = ok(db.open_tree("log"));
        ok(tree.insert(b"mschema", &(SCHEMA_VERSION + 1).to_be_bytes()));
        ok(db.flush());
    }
    match allspark_engine::SledLog::open(dir.path()) {
        Err(error) => assert!(error.to_string().contains("upgrade allspark"), "{error}"),
        Ok(_) => panic!("a newer store must not open"),
    }
}

const PINNED_HEX: &str =
    "03fef8f7788d9bab6895875ca010949f8215fd0650b5ed360300004d010506757365722f3502160100051e00";

/// The variants the JSON Schema of an enum of area enums (`Event`, `Rejection`) lists, as
/// `Area/Variant`.
fn schema_variants(root: &Value) -> BTreeSet<String> {
    let resolve = |schema: &Value| -> Value {
        match schema["$ref"].as_str() {
            Some(path) => root["$defs"][path.trim_start_matches("#/$defs/")].clone(),
            None => schema.clone(),
        }
    };
    let alternatives = |schema: &Value| -> Vec<(String, Value)> {
        let schema = resolve(schema);
        let mut found = Vec::new();
        for alt in schema["oneOf"]
            .as_array()
            .or(schema["anyOf"].as_array())
            .cloned()
            .unwrap_or_default()
        {
            if let Some(names) = alt["enum"].as_array() {
                found.extend(
                    names
                        .iter()
                        .filter_map(|n| Some((n.as_str()?.to_string(), Value::Null))),
                );
            } else if let Some(name) = alt["const"].as_str() {
                found.push((name.to_string(), Value::Null));
            } else if let Some(name) = alt["required"][0].as_str() {
                found.push((name.to_string(), alt["properties"][name].clone()));
            }
        }
        found
    };
    let mut names = BTreeSet::new();
    for (area, inner) in alternatives(root) {
        let variants = alternatives(&inner);
        assert!(!variants.is_empty(), "{area}: no variants in the schema");
        for (variant, _) in variants {
            names.insert(format!("{area}/{variant}"));
        }
    }
    names
}

/// `Area/Variant` of a sample, from its (externally tagged) JSON.
fn sample_name(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_value(value).unwrap_or_default();
    let (area, inner) = json
        .as_object()
        .and_then(|o| o.iter().next())
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap_or_default();
    let variant = match inner {
        Value::String(name) => name,
        Value::Object(o) => o.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    format!("{area}/{variant}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the samples against the schema's variants and the pinned table, listing every
/// sample whose bytes are not pinned as they are (ready to paste).
fn check_pins(
    what: &str,
    schema: Value,
    names: &[String],
    payloads: &[Vec<u8>],
    pinned: &[(&str, &str)],
) {
    let listed = schema_variants(&schema);
    let sampled: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(
        sampled.len(),
        names.len(),
        "{what}: a variant sampled twice"
    );
    assert_eq!(
        sampled.iter().collect::<Vec<_>>(),
        listed.iter().collect::<Vec<_>>(),
        "{what}: every variant needs one sample in engine/src/testing/samples.rs and its pinned \
         bytes here"
    );
    let table: BTreeMap<&str, &str> = pinned.iter().copied().collect();
    assert_eq!(table.len(), pinned.len(), "{what}: a variant pinned twice");
    let mut wrong = Vec::new();
    for (name, payload) in names.iter().zip(payloads) {
        let payload = hex(payload);
        if table.get(name.as_str()) != Some(&payload.as_str()) {
            wrong.push(format!("PIN    (\"{name}\", \"{payload}\"),"));
        }
    }
    assert!(
        wrong.is_empty() && table.len() == names.len(),
        "{what}: the stored bytes differ from the pinned ones (if a stored type changed in \
         place, add a schema version instead; if a variant was added, pin it):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_event_variant_is_pinned() {
    let events = samples::every_event();
    let names: Vec<String> = events.iter().map(sample_name).collect();
    let mut payloads = Vec::new();
    for (index, event) in events.iter().enumerate() {
        let payload = ok(codec::encode_value(event));
        // The payload is what a stored record carries after its header, and reads back.
        let mut record = sample_event(index as u64 + 1, 5, 1, 77);
        record.stream = event.stream();
        record.event = event.clone();
        let stored = ok(codec::encode_event(&record));
        assert!(stored.ends_with(&payload), "{}", names[index]);
        assert_eq!(ok(codec::decode_event(&stored)), record);
        payloads.push(payload);
    }
    let schema = serde_json::to_value(schemars::schema_for!(Event)).unwrap_or_default();
    check_pins("events", schema, &names, &payloads, PINNED_EVENTS);
}

#[test]
fn every_rejection_variant_is_pinned() {
    let rejections = samples::every_rejection();
    let names: Vec<String> = rejections.iter().map(sample_name).collect();
    let mut payloads = Vec::new();
    for rejection in &rejections {
        // A rejection is stored inside its command's outcome, and reads back.
        let outcome = codec::CommandOutcome::Rejected(rejection.clone());
        let stored = ok(codec::encode_outcome(&outcome));
        assert_eq!(ok(codec::decode_outcome(&stored)), outcome);
        payloads.push(ok(codec::encode_value(rejection)));
    }
    let schema = serde_json::to_value(schemars::schema_for!(Rejection)).unwrap_or_default();
    check_pins("rejections", schema, &names, &payloads, PINNED_REJECTIONS);
}

/// The bincode payload of one sample of every stored event variant
/// (`testing::samples::every_event`), as a stored record carries it after its header.
const PINNED_EVENTS: &[(&str, &str)] = &[
    ("Player/Joined", "000007"),
    ("Player/Erased", "000107010203"),
    ("Player/ErasureCancelled", "00020709"),
    ("Energon/Credited", "010007050208"),
    ("Energon/Debited", "010107050902"),
    ("Energon/Deposited", "01020705"),
    ("Energon/Withdrew", "01030705"),
    ("Energon/RushFound", "010407010502"),
    ("Energon/RushLost", "010507010504"),
    ("Energon/RushNothing", "01060701"),
    ("Energon/RushRoundWon", "01070107"),
    ("Energon/EscrowHeld", "0108070405"),
    ("Energon/EscrowReleased", "010907040501"),
    ("Pet/Adopted", "0200070103"),
    ("Pet/Renamed", "020107"),
    ("Pet/ReleaseRequested", "0202072afbd007"),
    ("Pet/Released", "020307"),
    ("Pet/Cared", "02040701010401"),
    ("Pet/Trained", "0205070101020304"),
    ("Pet/MissionEnded", "02060701020101020304"),
    ("Pet/ExperienceGained", "02070709"),
    ("Pet/LeveledUp", "020807020102030405"),
    ("Pet/Equipped", "020a07010169"),
    ("Pet/Unequipped", "020b0702"),
    ("Pet/Damaged", "020c07010203"),
    ("Pet/CooldownSet", "020d0700020e"),
    ("Pet/Founded", "020e0701020304050c0e10"),
    ("Pet/ExperienceSet", "020f0709"),
    ("Pet/VitalsSet", "021007010203"),
    ("Pet/ReleaseCancelled", "021107"),
    ("Slots/Spun", "030007020a0102030428"),
    ("Slots/FreeSpinCooldownSet", "03010714"),
    ("Energon/RushCooldownSet", "010a070c"),
    ("Battle/ChallengeIssued", "040005070805fbd007"),
    ("Battle/ChallengeAccepted", "04010503"),
    ("Battle/ChallengeDeclined", "040205"),
    ("Battle/ChallengeExpired", "040305"),
    ("Battle/LobbyOpened", "04040407010205fbd007"),
    ("Battle/LobbyJoined", "040504080101"),
    ("Battle/LobbyLeft", "04060408"),
    ("Battle/LobbyReady", "0407040801"),
    ("Battle/LobbyClosed", "04080401"),
    ("Battle/Started", "04090305040100060200070000010a0a0201000000000000000001010109090200000000000000000001016501020901010232010132000001010101010101010101010101010101010101010101010101010101010101010000fbd007"),
    ("Battle/ActionChosen", "040a0301000301"),
    ("Battle/TurnResolved", "040b0301020500010c01010304010109010101fd0807060504030201fbd007"),
    ("Battle/Surrendered", "040c0300"),
    ("Battle/Ended", "040d030000010006"),
    ("Battle/RatingChanged", "040e070803fbe803fb1004"),
    ("Battle/Queued", "040f07"),
    ("Battle/Unqueued", "041007"),
    ("Battle/TournamentStarted", "041104020708"),
    ("Battle/TournamentMatchWon", "041204010703"),
    ("Battle/TournamentWon", "04130407"),
    ("Battle/Setup", "041403020101690002"),
    ("Battle/TournamentCancelled", "04150402"),
    ("Recruit/Attempted", "050002280307"),
    ("Recruit/Confirmed", "05010228"),
    ("Recruit/Failed", "0502022801"),
    ("Admin/LogsCleared", "0600fbd007"),
    ("Market/Opened", "070064fbd007"),
    ("Market/Ticked", "070101fbd00765050805"),
    ("Market/TicksMissed", "07020203"),
    ("Market/NewsStarted", "0703010162020304"),
    ("Market/NewsEnded", "070405"),
    ("Market/HolidayStarted", "0705010168010203"),
    ("Market/HolidayEnded", "070604"),
    ("Market/Bought", "07070701020304"),
    ("Market/Sold", "07080701020304"),
    ("Pet/ItemFound", "0209070169"),
    ("Pet/ItemGivenAway", "02120701690208"),
    ("Pet/ItemReceived", "02130801690207"),
    ("Trade/Opened", "0800060708fbd007"),
    ("Trade/Added", "080106070005"),
    ("Trade/Removed", "0802060801016901"),
    ("Trade/Confirmed", "0803060702"),
    ("Trade/Completed", "080406"),
    ("Trade/Cancelled", "08050608"),
    ("Trade/Expired", "080606"),
    ("Trade/Withdrawn", "08070607"),
    ("Player/Imported", "00030707"),
    ("Pet/Imported", "0214070201030405060708090a0b0c010009706c6174696e672e610106636f72652e62020102020406"),
    ("Slots/Imported", "03020705020301280a1e010205"),
    ("Market/Imported", "0709070304"),
    ("Market/GaveAway", "070a07030408"),
    ("Market/Received", "070b08030407"),
    ("Social/Told", "090007010170010173030108"),
    ("Social/SparkForged", "090107016e0201630165016dfbd007"),
    ("Social/QuizTaken", "09020702000101"),
    ("Fun/Greeted", "0a0007010203"),
    ("Fun/Grumped", "0a01070804fbd007fbd007"),
    ("Fun/GrumpOptOutSet", "0a020801"),
    // Schema 15.
    ("Social/LoreAdded", "0903070107fb020101080809"),
    ("Social/LoreDeleted", "0904070108"),
    ("Social/QuizRoleMapped", "09050700010b07"),
    ("Social/QuizRoleRequested", "09061107070b020c0d"),
    ("Social/QuizRoleSettled", "0907110700010172"),
    ("Social/WordsCounting", "09080701"),
    ("Fun/RangeStarted", "0a03070105"),
    ("Fun/RangeRoundShown", "0a04070103fbd007"),
    ("Fun/RangeShot", "0a05070103fb9c0102"),
    ("Fun/RangeEnded", "0a0607010501020001"),
    ("Fun/TriviaStarted", "0a0708070101630a"),
    ("Fun/TriviaAsked", "0a0808012afbd007"),
    ("Fun/TriviaAnswered", "0a090801080201"),
    ("Fun/TriviaTimedOut", "0a0a0802"),
    ("Fun/TriviaEnded", "0a0b080107"),
    ("Fun/WalkStarted", "0a0c070173016114"),
    ("Fun/WalkStepped", "0a0d0701730161012a0100090162"),
    ("Fun/WalkEnded", "0a0e0701730165"),
    ("Fun/WalkAbandoned", "0a0f070173"),
    ("Fun/CombinerOpened", "0a100107fbd007"),
    ("Fun/CombinerJoined", "0a11010804"),
    ("Fun/CombinerFormed", "0a12010203"),
    ("Fun/CombinerLeft", "0a130108"),
    ("Fun/CombinerDisbanded", "0a140107"),
    ("Fun/CombinerExpired", "0a1502"),
    ("Fun/GamesOpened", "0a1601070801080a0203"),
    ("Fun/GamesJoined", "0a170107"),
    ("Fun/GamesStarted", "0a180100050200080104"),
    ("Fun/GamesRound", "0a19010101020201000101030405"),
    ("Fun/GamesEnded", "0a1a01"),
    ("Fun/MegaChallenged", "0a1b010207"),
    ("Fun/MegaDeclined", "0a1c010208"),
    ("Fun/MegaFightStarted", "0a1d03010201070108"),
    ("Fun/MegaFightEnded", "0a1e03010201010107"),
    ("Fun/DistrictsSorted", "0a1f070201070108"),
    ("Fun/GamesRoleSet", "0a200109"),
    ("Fun/GamesNarrated", "0a210102097b63307d2072756e73"),
    ("Rpg/CharacterCreated", "0b000701000177010203040506"),
    ("Rpg/Equipped", "0b0107010167"),
    ("Rpg/Unequipped", "0b0207010167"),
    ("Rpg/KillRequested", "0b030701fbd007"),
    ("Rpg/KillCancelled", "0b040701"),
    ("Rpg/CharacterKilled", "0b050701"),
    ("Rpg/ExperienceGained", "0b06070102"),
    ("Rpg/LeveledUp", "0b07070102010203040506"),
    ("Rpg/GearFound", "0b0807010167"),
    ("Rpg/PartyOpened", "0b090102070103fbd007"),
    ("Rpg/PartyJoined", "0b0a010802"),
    ("Rpg/PartyLeft", "0b0b0108"),
    ("Rpg/AdventureStarted", "0b0c01017003"),
    ("Rpg/PartyDisbanded", "0b0d01"),
    ("Rpg/SegmentOpened", "0b0e010000016309fbd007"),
    ("Rpg/NarrationRequested", "0b0f0100020001700001630901017701010102016501010002"),
    ("Rpg/Narrated", "0b100100017400"),
    ("Rpg/ApproachChosen", "0b110100010704"),
    ("Rpg/Rolled", "0b12010007010c040f01"),
    ("Rpg/ChallengeResolved", "0b1301000103"),
    ("Rpg/Voted", "0b1401010702"),
    ("Rpg/VoteClosed", "0b150101020001020004"),
    ("Rpg/BattleResolved", "0b160102050001"),
    ("Rpg/MemberWithdrawn", "0b170108"),
    ("Rpg/AdventureEnded", "0b180101"),
    ("Rpg/CharacterImported", "0b19070201016303fbc20101020304050601000000000009"),
    ("Social/ToldByModel", "0909070201017000080f7b7461726765747d207368696e6573"),
];

/// The bincode payload of one sample of every rejection variant
/// (`testing::samples::every_rejection`), as stored inside a command's outcome.
const PINNED_REJECTIONS: &[(&str, &str)] = &[
    ("Player/ActorMustBePlayer", "0000"),
    ("Player/OperatorOnly", "0001"),
    ("Player/UnknownPlayer", "000207"),
    ("Player/Busy", "00030704"),
    ("Player/ErasureCancelled", "0004"),
    ("Energon/OperatorOnly", "0100"),
    ("Energon/SenderMustBePlayer", "0101"),
    ("Energon/AmountNotPositive", "010205"),
    ("Energon/AmountTooLarge", "010364"),
    ("Energon/SelfTransfer", "0104"),
    ("Energon/UnknownPlayer", "010507"),
    ("Energon/InsufficientEnergon", "01060502"),
    ("Energon/BalanceTooLarge", "0107"),
    ("Energon/InsufficientBank", "01080502"),
    ("Energon/ForageOnCooldown", "0109fbd007"),
    ("Energon/PlayersOnly", "010a"),
    ("Pet/OperatorOnly", "0200"),
    ("Pet/PlayersOnly", "0201"),
    ("Pet/NoPet", "0202"),
    ("Pet/PlayerHasNoPet", "020308"),
    ("Pet/AlreadyHasPet", "0204"),
    ("Pet/NameInvalid", "020520"),
    ("Pet/UnknownItem", "02060169"),
    ("Pet/WrongSlot", "0207016901610162"),
    ("Pet/NotInInventory", "02080169"),
    ("Pet/SlotEmpty", "02090162"),
    ("Pet/NoReleasePending", "020a"),
    ("Pet/ReleaseTokenMismatch", "020b"),
    ("Pet/ReleaseExpired", "020c"),
    ("Pet/OnCooldown", "020dfbd007"),
    ("Pet/AlreadyFull", "020e0172"),
    ("Pet/NotEnoughEnergy", "020f0502"),
    ("Pet/NotEnoughHappiness", "02100502"),
    ("Pet/BeyondCapacity", "02120096640108"),
    ("Pet/Engaged", "021100"),
    ("Slots/PlayersOnly", "0300"),
    ("Slots/BetTooSmall", "030101"),
    ("Slots/BetTooLarge", "030264"),
    ("Slots/FreeSpinOnCooldown", "0303fbd007"),
    ("Battle/PlayersOnly", "0400"),
    ("Battle/OperatorOnly", "0401"),
    ("Battle/UnknownEnemy", "04020165"),
    ("Battle/UnknownLobby", "0403"),
    ("Battle/UnknownChallenge", "0404"),
    ("Battle/UnknownBattle", "0405"),
    ("Battle/NotAParticipant", "0406"),
    ("Battle/NotInLobby", "0407"),
    ("Battle/NotLobbyCreator", "0408"),
    ("Battle/ChallengeNotForYou", "0409"),
    ("Battle/AlreadyInLobby", "040a"),
    ("Battle/AlreadyQueued", "040b"),
    ("Battle/NotQueued", "040c"),
    ("Battle/StaleTurn", "040d0102"),
    ("Battle/AlreadyActed", "040e"),
    ("Battle/FighterDown", "040f"),
    ("Battle/TooEarly", "0410fbd007"),
    ("Battle/ChallengeExpired", "0411"),
    ("Battle/InvalidTarget", "0412"),
    ("Battle/SpecialNeedsCharge", "0413"),
    ("Battle/CannotChallengeSelf", "0414"),
    ("Battle/LobbyFull", "0415"),
    ("Battle/InvalidSide", "041603"),
    ("Battle/SideFull", "041701"),
    ("Battle/InvalidLobby", "04180172"),
    ("Battle/StakeNotAllowed", "0419"),
    ("Battle/StakeOutOfRange", "041a64"),
    ("Battle/NotAllReady", "041b"),
    ("Battle/NotEnoughPlayers", "041c0402"),
    ("Battle/PetTooWeak", "041d"),
    ("Battle/AlreadyInBattle", "041e"),
    ("Battle/OpponentBusy", "041f08"),
    ("Battle/CannotCoverStake", "0420080502"),
    ("Battle/InTournament", "0421"),
    ("Battle/OnAdventure", "0422"),
    ("Recruit/NotAllowed", "0500"),
    ("Recruit/Excluded", "050128"),
    ("Recruit/NationOnCooldown", "050228fbd007"),
    ("Recruit/NoTemplateAvailable", "050328fbd007"),
    ("Recruit/UnknownSend", "050402"),
    ("Recruit/AlreadySettled", "050502"),
    ("Admin/NotAllowed", "0600"),
    ("Admin/KeepTooLong", "060109"),
    ("Market/PlayersOnly", "0700"),
    ("Market/SystemOnly", "0701"),
    ("Market/NotOpen", "0702"),
    ("Market/TickOutOfOrder", "07030102"),
    ("Market/TickAhead", "0704fbd007"),
    ("Market/OrderTooSmall", "07050a"),
    ("Market/NothingToSell", "0706"),
    ("Market/InsufficientCoins", "07070201"),
    ("Market/WorthLessThanFee", "0708"),
    ("Pet/OnOffer", "02130169"),
    ("Trade/PlayersOnly", "0800"),
    ("Trade/SelfTrade", "0801"),
    ("Trade/UnknownPlayer", "080208"),
    ("Trade/AlreadyTrading", "08030806"),
    ("Trade/TooManyOpen", "080405"),
    ("Trade/NoSuchTrade", "0805"),
    ("Trade/NotAParty", "0806"),
    ("Trade/Expired", "0807"),
    ("Trade/TooEarly", "0808fbd007"),
    ("Trade/ZeroAmount", "0809"),
    ("Trade/UnknownItem", "080a0169"),
    ("Trade/NoPet", "080b"),
    ("Trade/PartnerHasNoPet", "080c08"),
    ("Trade/OfferFull", "080d0a"),
    ("Trade/NotOnOffer", "080e0003"),
    ("Trade/NotEnough", "080f0101690201"),
    ("Trade/StaleOffer", "081004"),
    ("Trade/AlreadyConfirmed", "0811"),
    ("Trade/NothingOnOffer", "0812"),
    ("Trade/NoLongerHeld", "0813080005"),
    ("Player/AlreadyHere", "000507"),
    ("Player/ImportInvalid", "00060177"),
    ("Market/OnOffer", "07090201"),
    ("Social/PlayersOnly", "0900"),
    ("Social/UnknownCategory", "0901000163"),
    ("Social/UnknownStyle", "09020173"),
    ("Social/StyleNotHere", "090303"),
    ("Social/AboutNotHere", "090400"),
    ("Social/AlreadyForged", "0905"),
    ("Social/ReforgeTooSoon", "0906fbd007"),
    ("Social/QuizIncomplete", "090705"),
    ("Social/QuizAnswerInvalid", "090802"),
    ("Fun/PlayersOnly", "0a00"),
    ("Fun/GrumpSelf", "0a01"),
    ("Fun/OptedOut", "0a0208"),
    ("Fun/OnCooldown", "0a03fbd007"),
    ("Fun/GrumpResting", "0a0408fbd007"),
    // Schema 15.
    ("Social/OperatorOnly", "0909"),
    ("Social/EmptyTitle", "090a"),
    ("Social/TitleTooLong", "090b64"),
    ("Social/EmptyText", "090c"),
    ("Social/TextTooLong", "090dfba00f"),
    ("Social/TitleTaken", "090e02"),
    ("Social/AlreadyQuoted", "090f03"),
    ("Social/LoreFull", "09100a"),
    ("Social/NoSuchLore", "091104"),
    ("Social/NotYourLore", "091205"),
    ("Social/RoleTaken", "091302"),
    ("Social/NoRoleMapped", "091400"),
    ("Social/NoSuchRequest", "091511"),
    ("Social/AlreadyCounting", "0916"),
    ("Social/NotCounting", "0917"),
    ("Fun/SystemOnly", "0a05"),
    ("Fun/RangeRounds", "0a0607"),
    ("Fun/RangeOpen", "0a0702"),
    ("Fun/NoRange", "0a08"),
    ("Fun/RangeGone", "0a0901"),
    ("Fun/RangeCountdown", "0a0a"),
    ("Fun/RangeRoundGone", "0a0b04"),
    ("Fun/RangeButton", "0a0c09"),
    ("Fun/RangeNotIdle", "0a0d03"),
    ("Fun/TriviaRunning", "0a0e"),
    ("Fun/TriviaCategory", "0a0f0163"),
    ("Fun/TriviaLength", "0a101e"),
    ("Fun/NoTrivia", "0a11"),
    ("Fun/TriviaClosed", "0a1202"),
    ("Fun/TriviaChoice", "0a1307"),
    ("Fun/TriviaAnsweredAlready", "0a1403"),
    ("Fun/TriviaNotHost", "0a15"),
    ("Fun/TriviaNotDue", "0a1604"),
    ("Fun/NoStory", "0a170173"),
    ("Fun/WalkGoing", "0a180173"),
    ("Fun/NoWalk", "0a190173"),
    ("Fun/WalkMoved", "0a1a0173"),
    ("Fun/NoChoice", "0a1b03"),
    ("Fun/NoTeam", "0a1c01"),
    ("Fun/TeamFormed", "0a1d02"),
    ("Fun/TeamExpired", "0a1e03"),
    ("Fun/NeedPet", "0a1f"),
    ("Fun/InTeam", "0a2004"),
    ("Fun/PartTaken", "0a2102"),
    ("Fun/NotInTeam", "0a22"),
    ("Fun/TeamNotDue", "0a2305"),
    ("Fun/GamesSize", "0a24320a0c"),
    ("Fun/NoGame", "0a2501"),
    ("Fun/GamesUnderway", "0a2602"),
    ("Fun/GamesIn", "0a2703"),
    ("Fun/GamesFull", "0a2804"),
    ("Fun/GamesNotCreator", "0a2905"),
    ("Fun/GamesNotStarted", "0a2a06"),
    ("Fun/GamesOver", "0a2b07"),
    ("Fun/GamesTooFew", "0a2c08"),
    ("Fun/NotFormed", "0a2d01"),
    ("Fun/NotHead", "0a2e01"),
    ("Fun/SameTeam", "0a2f"),
    ("Fun/MegaFighting", "0a3001"),
    ("Fun/NoMegaChallenge", "0a3101"),
    ("Fun/MemberWithoutPet", "0a3207"),
    ("Fun/MemberTooWeak", "0a3307"),
    ("Fun/SortSize", "0a34320c"),
    ("Fun/GamesNames", "0a3518"),
    ("Fun/GamesRoleNeeded", "0a360109"),
    ("Fun/GamesNarrationRefused", "0a370102fbdc05"),
    ("Rpg/PlayersOnly", "0b00"),
    ("Rpg/SystemOnly", "0b01"),
    ("Rpg/NameInvalid", "0b0220"),
    ("Rpg/UnknownClass", "0b030178"),
    ("Rpg/TooManyCharacters", "0b0403"),
    ("Rpg/NoSuchCharacter", "0b0501"),
    ("Rpg/NotOwned", "0b06010167"),
    ("Rpg/AlreadyWorn", "0b07010167"),
    ("Rpg/NotWorn", "0b08010167"),
    ("Rpg/KindFull", "0b090102"),
    ("Rpg/CharacterBusy", "0b0a01"),
    ("Rpg/NoKillRequest", "0b0b01"),
    ("Rpg/Busy", "0b0c06"),
    ("Rpg/NoSuchAdventure", "0b0d01"),
    ("Rpg/AlreadyStarted", "0b0e01"),
    ("Rpg/AdventureOver", "0b0f01"),
    ("Rpg/PartyFull", "0b100104"),
    ("Rpg/NotInParty", "0b1101"),
    ("Rpg/AlreadyInParty", "0b1201"),
    ("Rpg/CreatorOnly", "0b1301"),
    ("Rpg/ChronicleRunning", "0b1401"),
    ("Rpg/StaleSegment", "0b15"),
    ("Rpg/ApproachTaken", "0b16"),
    ("Rpg/NotAChallenge", "0b17"),
    ("Rpg/NotAVote", "0b18"),
    ("Rpg/NoSuchChoice", "0b1904"),
    ("Rpg/TooEarly", "0b1afbd007"),
    ("Rpg/InBattle", "0b1b"),
    ("Rpg/AlreadyNarrated", "0b1c"),
    ("Rpg/NarrationInvalid", "0b1dfbb004"),
    ("Rpg/NotStarted", "0b1e01"),
    ("Social/WordsNotHere", "091800"),
    ("Social/UnusableWords", "0919"),
];

#[test]
fn the_operator_actor_is_pinned() {
    // Schema 5 appended `Actor::Operator`: operator grants, fines and erasures name who did
    // them. The actor sits in the header; older variants keep their bytes.
    let mut event = sample_event(3, 5, 2, 77);
    event.actor = allspark_engine::Actor::Operator(PlayerId(999));
    let bytes = ok(codec::encode_event(&event));
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, PINNED_OPERATOR_HEX, "PIN {hex}");
    assert_eq!(ok(codec::decode_event(&bytes)), event);
}

const PINNED_OPERATOR_HEX: &str =
    "03fef8f7788d9bab6895875ca010949f8215fd0650b5ed360300004d02fbe70306757365722f3502160100051e00";

/// A turn's log is stored inside `TurnResolved`; the line a shield's absorption adds (schema 6,
/// battle rules 3) is pinned too, after the variants before it.
#[test]
fn the_absorbed_line_of_a_turn_log_is_pinned() {
    use allspark_engine::battle::sim::Hit;
    let bytes = ok(codec::encode_value(&Hit::Absorbed {
        fighter: 1,
        amount: 300,
    }));
    assert_eq!(hex(&bytes), "0a01fb2c01");
}

#[test]
fn the_market_ledger_rules_are_pinned() {
    // Schema 9 appended `LedgerRule::MarketBuy` and `MarketSale` (tags 11 and 12).
    for (rule, hex) in [
        (LedgerRule::MarketBuy, "010007010b"),
        (LedgerRule::MarketSale, "010007010c"),
        // Schema 11 appended `LedgerRule::LegacyImport` (tag 15, after the trade legs).
        (LedgerRule::LegacyImport, "010007010f"),
        // Schema 21 appended the adventure's two, schema 22 the mega-fight's.
        (LedgerRule::AdventureReward, "0100070110"),
        (LedgerRule::AdventureCost, "0100070111"),
        (LedgerRule::MegaFightReward, "0100070112"),
    ] {
        let event = allspark_engine::Event::Energon(EnergonEvent::Credited {
            player: PlayerId(7),
            amount: 1,
            rule,
        });
        let bytes = bincode::serde::encode_to_vec(&event, bincode::config::standard()).unwrap();
        let got: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, hex, "{rule:?}");
    }
}

#[test]
fn the_mega_fight_mode_is_pinned() {
    // Schema 21 appended `BattleMode::Adventure` (tag 6), schema 22 `MegaFight` (tag 7).
    for (mode, hex) in [
        (
            allspark_engine::battle::BattleMode::Adventure {
                adventure: 3,
                segment: 1,
            },
            "060301",
        ),
        (
            allspark_engine::battle::BattleMode::MegaFight {
                challenger: 1,
                defender: 2,
            },
            "070102",
        ),
    ] {
        assert_eq!(hex_of(&mode), hex, "{mode:?}");
    }
}

fn hex_of(value: &impl serde::Serialize) -> String {
    let bytes = bincode::serde::encode_to_vec(value, bincode::config::standard()).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_coins_asset_is_pinned() {
    // Schema 12 appended `trade::Asset::Coins` (tag 2, after energon and items).
    let event = allspark_engine::Event::Trade(allspark_engine::trade::TradeEvent::Added {
        trade: allspark_engine::trade::TradeId(6),
        player: PlayerId(7),
        asset: allspark_engine::trade::Asset::Coins,
        amount: 9,
    });
    assert_eq!(hex(&ok(codec::encode_value(&event))), "080106070209");
}
