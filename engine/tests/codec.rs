//! The stored format: upcasting old schema versions, refusing newer ones, and pinned bytes.

use allspark_engine::codec::{self, v1, CodecError, SCHEMA_VERSION};
use allspark_engine::energon::{EnergonEvent, EnergonEventV1, LedgerRule};
use allspark_engine::testing::log_conformance::sample_event;
use allspark_engine::{Event, PlayerId};

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
    // The same bytes stamped with versions 2 and 3 still decode: versions 3 and 4 only
    // appended variants. The version sits just before the five payload bytes (area, variant,
    // player, amount, rule).
    let at = bytes.len() - 6;
    assert_eq!(bytes[at], 4);
    for older in [2u8, 3] {
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
    "03fef8f7788d9bab6895875ca010949f8215fd0650b5ed360300004d010506757365722f3502040100051e00";
