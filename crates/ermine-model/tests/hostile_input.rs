//! Hostile input for every decoder that takes bytes from the network: deep nesting, huge
//! counts, truncation. Decoding must answer with an error, never overflow the stack, panic or
//! allocate without bound. The decoders run on threads with a 2 MiB stack, as tokio's
//! workers have, in whatever profile the tests are built.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ermine_model::decode;
use ermine_model::event::{MAX_BULK_EVENTS, MAX_BULK_NESTING, ServerEvent};
use proptest::prelude::*;

const WORKER_STACK: usize = 2 << 20;

/// Runs `f` on a thread with a tokio worker's stack; a stack overflow aborts the test binary.
fn on_worker_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn nested_bulk_json(depth: usize) -> Vec<u8> {
    let mut out = String::new();
    for _ in 0..depth {
        out.push_str(r#"{"type":"Bulk","v":["#);
    }
    out.push_str(r#"{"type":"Pong","data":1}"#);
    for _ in 0..depth {
        out.push_str("]}");
    }
    out.into_bytes()
}

/// msgpack written by hand: `{"type": "Bulk", "v": [ ... ]}` nested `depth` times.
fn nested_bulk_msgpack(depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let str8 = |out: &mut Vec<u8>, s: &str| {
        out.push(0xa0 | u8::try_from(s.len()).unwrap());
        out.extend_from_slice(s.as_bytes());
    };
    for _ in 0..depth {
        out.push(0x82);
        str8(&mut out, "type");
        str8(&mut out, "Bulk");
        str8(&mut out, "v");
        out.push(0x91);
    }
    out.push(0x81);
    str8(&mut out, "type");
    str8(&mut out, "Pong");
    out
}

#[test]
fn a_bulk_nested_hundreds_deep_is_an_error_not_a_crash() {
    for depth in [MAX_BULK_NESTING as usize + 1, 61, 250, 10_000] {
        let json = nested_bulk_json(depth);
        let packed = nested_bulk_msgpack(depth);
        let (from_json, from_msgpack) = on_worker_stack(move || {
            (
                decode::json::<ServerEvent>(&json).is_err(),
                decode::msgpack::<ServerEvent>(&packed).is_err(),
            )
        });
        assert!(from_json && from_msgpack, "depth {depth}");
    }
}

#[test]
fn bulks_within_the_bound_decode_in_both_formats() {
    let depth = usize::from(MAX_BULK_NESTING);
    let (json, packed) = (nested_bulk_json(depth), nested_bulk_msgpack(depth));
    let (a, b) = on_worker_stack(move || {
        (
            decode::json::<ServerEvent>(&json).unwrap(),
            decode::msgpack::<ServerEvent>(&packed).unwrap(),
        )
    });
    for mut event in [a, b] {
        for _ in 0..depth {
            let ServerEvent::Bulk(bulk) = event else {
                panic!("not a Bulk")
            };
            event = bulk.v.into_iter().next().unwrap();
        }
        assert_eq!(event.kind(), "Pong");
    }
}

#[test]
fn unknown_events_nested_deeply_are_errors() {
    // An unknown event is kept as raw JSON: its nesting must be bounded too.
    let depth = 100_000;
    let mut json = String::from(r#"{"type":"FromTheFuture","x":"#);
    json.push_str(&"[".repeat(depth));
    json.push_str(&"]".repeat(depth));
    json.push('}');
    let mut packed = vec![0x82, 0xa4];
    packed.extend_from_slice(b"type");
    packed.push(0xad);
    packed.extend_from_slice(b"FromTheFuture");
    packed.extend_from_slice(&[0xa1, b'x']);
    packed.extend(std::iter::repeat_n(0x91, depth));
    packed.push(0x90);
    let (a, b) = on_worker_stack(move || {
        (
            decode::json::<ServerEvent>(json.as_bytes()).is_err(),
            decode::msgpack::<ServerEvent>(&packed).is_err(),
        )
    });
    assert!(a && b);
}

#[test]
fn a_bulk_with_too_many_events_is_refused() {
    let event = r#"{"type":"Logout"}"#;
    let many = |n: usize| format!(r#"{{"type":"Bulk","v":[{}]}}"#, vec![event; n].join(","));
    assert!(decode::json::<ServerEvent>(many(MAX_BULK_EVENTS).as_bytes()).is_ok());
    let refused = decode::json::<ServerEvent>(many(MAX_BULK_EVENTS + 1).as_bytes()).unwrap_err();
    assert!(refused.to_string().contains("more than"), "{refused}");
}

#[test]
fn a_count_that_lies_allocates_nothing_for_it() {
    // An array header announcing 2^32 - 1 events, followed by one: an error, quickly, without
    // reserving room for four billion events.
    let mut packed = vec![0x82, 0xa4];
    packed.extend_from_slice(b"type");
    packed.extend_from_slice(&[0xa4]);
    packed.extend_from_slice(b"Bulk");
    packed.extend_from_slice(&[0xa1, b'v', 0xdd, 0xff, 0xff, 0xff, 0xff]);
    packed.extend_from_slice(&[0x81, 0xa4]);
    packed.extend_from_slice(b"type");
    packed.extend_from_slice(&[0xa4]);
    packed.extend_from_slice(b"Pong");
    assert!(decode::msgpack::<ServerEvent>(&packed).is_err());
}

/// Any JSON value, nested up to `depth`.
fn json_value(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-zA-Z_]{0,8}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("Bulk")),
        Just(serde_json::Value::from("Message")),
    ];
    leaf.prop_recursive(depth, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("type".to_owned()),
                    Just("v".to_owned()),
                    Just("_id".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Structure-aware input (tags the decoder knows, nesting, lists) in both formats, whole
    /// and truncated at every tenth byte: decoding returns, whatever it says.
    #[test]
    fn decoders_always_return(value in json_value(12), cut in 0usize..10) {
        let json = serde_json::to_vec(&value).unwrap();
        let packed = rmp_serde::to_vec_named(&value).unwrap();
        on_worker_stack(move || {
            let _ = decode::json::<ServerEvent>(&json);
            let _ = decode::msgpack::<ServerEvent>(&packed);
            for end in (cut..json.len()).step_by(10) {
                let _ = decode::json::<ServerEvent>(&json[..end]);
            }
            for end in (cut..packed.len()).step_by(10) {
                let _ = decode::msgpack::<ServerEvent>(&packed[..end]);
            }
        });
    }

    /// Nesting of random containers at random depths, far past every bound.
    #[test]
    fn deep_random_nesting_is_refused(depth in 130usize..20_000, kinds in prop::collection::vec(any::<bool>(), 1..8)) {
        let mut json = String::new();
        let mut packed = Vec::new();
        for i in 0..depth {
            if kinds[i % kinds.len()] {
                json.push('[');
                packed.push(0x91);
            } else {
                json.push_str(r#"{"type":"#);
                packed.extend_from_slice(&[0x81, 0xa4]);
                packed.extend_from_slice(b"type");
            }
        }
        let refused = on_worker_stack(move || {
            decode::json::<ServerEvent>(json.as_bytes()).is_err()
                && decode::msgpack::<ServerEvent>(&packed).is_err()
        });
        prop_assert!(refused);
    }
}
