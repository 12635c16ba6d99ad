//! The benchmark workloads W1–W3 (generated small by `testdata/bench/gen_workloads.py`) decode
//! into ermine's types without loss: member lists, member events, Ready.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use ermine_model::event::ServerEvent;
use ermine_model::member::AllMemberResponse;
use serde_json::Value;

/// Absent and `null` mean the same for optional fields (image `thumbhash`/`animated` are
/// written as `null` by the server, omitted by older data): compare without null members.
fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn same(ours: &impl serde::Serialize, raw: Value, what: &str) {
    let ours = strip_nulls(serde_json::to_value(ours).unwrap());
    assert!(
        ours == strip_nulls(raw),
        "{what} does not re-encode field for field"
    );
}

fn generate() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workloads");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/bench/gen_workloads.py");
    let status = Command::new("python3")
        .arg(script)
        .args(["--out"])
        .arg(&out)
        .args([
            "--members",
            "500",
            "--events",
            "5000",
            "--events-base",
            "500",
        ])
        .status()
        .expect("python3 runs the workload generator");
    assert!(status.success(), "workload generator failed");
    out
}

#[test]
fn workloads_round_trip() {
    let dir = generate();

    let w1 = std::fs::read_to_string(dir.join("members_500.json")).unwrap();
    let raw: Value = serde_json::from_str(&w1).unwrap();
    let list: AllMemberResponse = serde_json::from_str(&w1).unwrap();
    assert_eq!(list.members.len(), 500);
    same(&list, raw, "W1");

    let w2 = std::fs::read_to_string(dir.join("events_5000.jsonl")).unwrap();
    let mut n = 0;
    for line in w2.lines().filter(|l| !l.trim().is_empty()) {
        let event = ServerEvent::from_json(line).unwrap();
        assert!(!matches!(event, ServerEvent::Unknown(_)), "{line}");
        same(&event, serde_json::from_str(line).unwrap(), line);
        n += 1;
    }
    assert_eq!(n, 5000);

    let w3 = std::fs::read_to_string(dir.join("ready_500.json")).unwrap();
    let event = ServerEvent::from_json(&w3).unwrap();
    let ServerEvent::Ready(ready) = &event else {
        panic!("W3 is a Ready frame")
    };
    assert!(ready.users.as_ref().is_some_and(|u| u.len() > 500));
    same(&event, serde_json::from_str(&w3).unwrap(), "W3");
}
