//! Arbitrary and mutated input to the decoders: always a typed error or a value, never a
//! panic. Seeds are the real frames captured from a Stoat server.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use ermine_model::error::ErrorBody;
use ermine_model::event::{ClientEvent, ServerEvent};
use ermine_model::member::{AllMemberResponse, Member, MemberResponse};
use ermine_model::message::BulkMessageResponse;
use ermine_model::server::FetchServerResponse;
use proptest::prelude::*;
use serde_json::Value;

fn seeds() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/real-server/ws");
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let file: Value =
            serde_json::from_str(&fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if file["data"].is_object() {
            out.push(file["data"].clone());
        }
    }
    out.sort_by_key(ToString::to_string);
    out
}

/// Feeds one input to every decoder; any of them may fail, none may panic.
fn decode_all(bytes: &[u8]) {
    let _ = serde_json::from_slice::<ServerEvent>(bytes);
    let _ = serde_json::from_slice::<ClientEvent>(bytes);
    let _ = serde_json::from_slice::<Member>(bytes);
    let _ = serde_json::from_slice::<MemberResponse>(bytes);
    let _ = serde_json::from_slice::<AllMemberResponse>(bytes);
    let _ = serde_json::from_slice::<BulkMessageResponse>(bytes);
    let _ = serde_json::from_slice::<FetchServerResponse>(bytes);
    let _ = serde_json::from_slice::<ErrorBody>(bytes);
    let _ = rmp_serde::from_slice::<ServerEvent>(bytes);
    let _ = rmp_serde::from_slice::<ClientEvent>(bytes);
    let _ = rmp_serde::from_slice::<Member>(bytes);
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::String),
        "[0-9A-Z]{26}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "\\PC{0,10}",
                    prop::sample::select(vec![
                        "type",
                        "_id",
                        "id",
                        "data",
                        "clear",
                        "member",
                        "user",
                        "roles",
                        "timeout",
                        "joined_at",
                        "server",
                        "v",
                        "channel_type",
                        "permissions"
                    ])
                    .prop_map(String::from),
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes);
    }

    #[test]
    fn arbitrary_json_under_known_event_types(
        mut value in json_value(),
        kind in prop::sample::select(vec!["Ready", "ServerMemberUpdate", "ServerMemberJoin", "ServerMemberLeave",
            "Message", "Bulk", "ChannelCreate", "ServerCreate", "UserUpdate", "Error", "Pong", "Nope"]),
    ) {
        if let Value::Object(map) = &mut value {
            map.insert("type".into(), Value::String(kind.into()));
        }
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_all(&bytes);
        decode_all(&rmp_serde::to_vec_named(&value).unwrap());
    }

    #[test]
    fn mutated_real_frames(seed in 0usize..1000, edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)) {
        let seeds = seeds();
        let frame = &seeds[seed % seeds.len()];
        for encoded in [serde_json::to_vec(frame).unwrap(), rmp_serde::to_vec_named(frame).unwrap()] {
            let mut bytes = encoded;
            for (at, byte, op) in &edits {
                if bytes.is_empty() { break; }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = *byte,
                    1 => { bytes.remove(i); }
                    _ => bytes.truncate(i),
                }
            }
            decode_all(&bytes);
        }
    }

    #[test]
    fn mutated_values_of_real_frames(seed in 0usize..1000, replacement in json_value(), depth in 0usize..4) {
        // Replace one nested value of a real frame with an arbitrary one.
        let seeds = seeds();
        let mut frame = seeds[seed % seeds.len()].clone();
        let mut pointer = String::new();
        let mut cursor = &frame;
        for _ in 0..depth {
            let next = match cursor {
                Value::Object(m) => m.iter().find(|(k, _)| k.as_str() != "type").map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)),
                Value::Array(a) => a.first().map(|v| ("0".to_owned(), v)),
                _ => None,
            };
            match next {
                Some((key, value)) => { pointer.push('/'); pointer.push_str(&key); cursor = value; }
                None => break,
            }
        }
        if let Some(slot) = frame.pointer_mut(&pointer) { *slot = replacement; }
        decode_all(&serde_json::to_vec(&frame).unwrap());
    }
}

#[test]
fn unknown_event_keeps_its_payload() {
    let raw = r#"{"type":"FutureEvent","x":[1,2,{"y":null}]}"#;
    let event: ServerEvent = serde_json::from_str(raw).unwrap();
    assert_eq!(event.kind(), "FutureEvent");
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        serde_json::from_str::<Value>(raw).unwrap()
    );
}

#[test]
fn type_not_first_still_decodes() {
    let raw = r#"{"id":{"server":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDHZNAJZ67Q4Z8772YZTS"},
        "data":{"nickname":"x"},"type":"ServerMemberUpdate"}"#;
    let ServerEvent::ServerMemberUpdate(update) = serde_json::from_str(raw).unwrap() else {
        panic!("variant")
    };
    assert_eq!(update.data.nickname.as_deref(), Some("x"));
    assert!(update.clear.is_empty());
}

#[test]
fn unknown_enum_values_are_kept() {
    let raw = r#"{"_id":"01M86CDEXVEC1T9JZGTPNYYWGV","username":"a","discriminator":"0001",
        "relationship":"Enemy","online":false,"status":{"presence":"Gaming"},"new_field":1}"#;
    let user: ermine_model::user::User = serde_json::from_str(raw).unwrap();
    assert_eq!(user.relationship.as_str(), "Enemy");
    let out = serde_json::to_value(&user).unwrap();
    assert_eq!(out["relationship"], "Enemy");
    assert_eq!(out["status"]["presence"], "Gaming");
}
