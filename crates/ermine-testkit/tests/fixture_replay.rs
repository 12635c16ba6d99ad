//! Replays every HTTP exchange captured from a real Stoat server (`testdata/real-server`)
//! against the local server, in order, with IDs and tokens mapped to the local ones, and
//! compares status, error `type` and response shape. Differences that come from quirks of the
//! capture's in-memory database (flagged in the fixtures) or from routes outside the member
//! surface are listed in `ACCEPTED`; anything else fails.

#![allow(
    clippy::too_many_lines,
    clippy::type_complexity,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Duration;

use common::Harness;
use ermine_testkit::Config;
use serde_json::Value;

/// Exchanges allowed to differ, with why.
const ACCEPTED: &[(&str, &str)] = &[
    (
        "100_sync_unreads.json",
        "the real server writes acks from a background task a moment later; here at once",
    ),
    (
        "124_dm_open_self.json",
        "reference DB finds any DM of the caller for a DM with oneself; production opens Saved Messages",
    ),
    (
        "162_ban_list_with_unknown_user.json",
        "reference DB fails on an unknown user; production skips it",
    ),
    (
        "163_audit_logs_after_unknown_ban.json",
        "follows 162: the reference DB failed the ban list, production lists the ban",
    ),
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/real-server")
}

fn read(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture file");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// Replaces every known fixture value by its local counterpart.
fn map_text(text: &str, ids: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (from, to) in ids {
        out = out.replace(from.as_str(), to.as_str());
    }
    out
}

/// Moves every timestamp in a request body by `delta` ms (the capture's absolute times, such as
/// a timeout one hour ahead, are relative to when it ran).
fn shift_times(value: &mut Value, delta: i64) {
    match value {
        Value::String(s) => {
            if let Ok(t) = s.parse::<ermine_model::Timestamp>()
                && s.len() >= 20
                && s.contains('T')
            {
                *s = ermine_model::Timestamp::from_unix_millis(t.unix_millis() + delta).to_string();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift_times(v, delta)),
        Value::Object(map) => map.values_mut().for_each(|v| shift_times(v, delta)),
        _ => {}
    }
}

/// When the capture was at its latest: the newest fixture ID seen so far.
fn capture_time(ids: &HashMap<String, String>) -> Option<i64> {
    ids.keys()
        .filter_map(|k| k.parse::<ermine_model::id::UserId>().ok())
        .map(|id| id.created_at().unix_millis())
        .max()
}

fn is_id(s: &str) -> bool {
    s.len() == 26 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Learns local IDs from a response laid out like the fixture's.
fn learn(fixture: &Value, local: &Value, key: Option<&str>, ids: &mut HashMap<String, String>) {
    match (fixture, local) {
        (Value::String(f), Value::String(l)) if f != l => {
            let code = key == Some("_id") && f.len() == 8;
            if (is_id(f) || code) && !ids.contains_key(f) {
                ids.insert(f.clone(), l.clone());
            }
        }
        (Value::Object(f), Value::Object(l)) => {
            if let (Some(Value::String(fu)), Some(Value::String(fd)), Some(Value::String(ld))) = (
                f.get("username"),
                f.get("discriminator"),
                l.get("discriminator"),
            ) {
                ids.entry(format!("{fu}#{fd}"))
                    .or_insert(format!("{fu}#{ld}"));
            }
            for (k, fv) in f {
                // Keys of role maps are IDs too.
                if is_id(k) {
                    if let Some((lk, lv)) = l
                        .iter()
                        .find(|(lk, _)| is_id(lk) && !ids.values().any(|v| v == *lk))
                    {
                        ids.entry(k.clone()).or_insert(lk.clone());
                        learn(fv, lv, None, ids);
                    }
                } else if let Some(lv) = l.get(k) {
                    learn(fv, lv, Some(k), ids);
                }
            }
        }
        (Value::Array(f), Value::Array(l)) => {
            for (fv, lv) in f.iter().zip(l) {
                learn(fv, lv, key, ids);
            }
        }
        _ => {}
    }
}

/// The keys of a JSON value, recursively (first array element only), without `location`.
fn shape(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "location" || is_id(k) {
                    continue;
                }
                let path = format!("{prefix}.{k}");
                out.insert(path.clone());
                shape(v, &path, out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                shape(first, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Keys the real server sends only in some states (optional fields, values that depend on
/// data the replay cannot reproduce exactly).
fn optional(key: &str) -> bool {
    const OPTIONAL: [&str; 9] = [
        "online",
        "status",
        "relations",
        "last_message_id",
        "nonce",
        "pronouns",
        "mentions",
        "members",
        "policy_changes",
    ];
    OPTIONAL.iter().any(|o| {
        key.ends_with(&format!(".{o}"))
            || key.contains(&format!(".{o}."))
            || key.contains(&format!(".{o}["))
    })
}

#[tokio::test]
async fn captured_exchanges_replay_with_the_same_status_type_and_shape() {
    let h = Harness::with(Config::default()).await;
    let index = read("index.json");
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut tokens: HashMap<String, String> = HashMap::new();
    let mut differences = Vec::new();
    let mut replayed = 0;
    let mut sockets = Vec::new();
    for entry in index["http_exchanges"].as_array().expect("exchanges") {
        if entry["set"] == "unpatched" {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let x = read(file);
        let name = x["name"].as_str().unwrap_or("");
        let method = x["method"].as_str().unwrap();
        let path = map_text(x["path"].as_str().unwrap(), &ids);
        let actor = x["actor"].as_str().unwrap_or("");

        // Windows: the capture waited for a fresh window where its first response says so.
        if let (Some(limit), Some(remaining)) = (
            x["response_headers"]["x-ratelimit-limit"].as_str(),
            x["response_headers"]["x-ratelimit-remaining"].as_str(),
        ) {
            let limit: u32 = limit.parse().unwrap_or(0);
            let remaining: u32 = remaining.parse().unwrap_or(0);
            if remaining + 1 == limit && x["status"] != 429 {
                h.server.clock().advance(Duration::from_secs(10));
            }
        }

        let mut request = h.http.request(method.parse().unwrap(), h.url(&path));
        for (header, value) in x["request_headers"].as_object().unwrap() {
            let value = value.as_str().unwrap_or("");
            let value = if value == "<TOKEN>" {
                tokens.get(actor).cloned().unwrap_or_default()
            } else {
                map_text(value, &ids)
            };
            request = request.header(header.as_str(), value);
        }
        match &x["request_body"] {
            Value::Null => {}
            Value::String(raw) => request = request.body(map_text(raw, &ids)),
            body => {
                let mut body: Value =
                    serde_json::from_str(&map_text(&body.to_string(), &ids)).unwrap();
                if let Some(captured) = capture_time(&ids) {
                    shift_times(&mut body, h.server.clock().now().unix_millis() - captured);
                }
                request = request
                    .header("content-type", "application/json")
                    .body(body.to_string());
            }
        }
        let local = Harness::answer(request.send().await.expect("answered")).await;
        replayed += 1;

        // Learn tokens and IDs.
        if let Some(token) = local.body.get("token").and_then(Value::as_str) {
            if let Some(who) = name
                .strip_prefix("session_login_")
                .or_else(|| name.strip_prefix("x_session_login_"))
                .or_else(|| name.strip_prefix("y_session_login"))
            {
                let who = if who.is_empty() { "pinner" } else { who };
                tokens.insert(who.to_owned(), token.to_owned());
            } else if name.contains("bot_create") && !name.contains("second") {
                tokens.insert("bot".to_owned(), token.to_owned());
            }
        }
        learn(&x["response_body"], &local.body, None, &mut ids);
        // The capture kept event sockets open for its main users once they had onboarded.
        if let Some(who) = name.strip_prefix("onboard_complete_")
            && ["alice", "bob", "carol"].contains(&who)
        {
            let (socket, _) = h.ready_socket(&tokens[who]).await;
            sockets.push(socket);
        }

        // Compare.
        let mut problems = Vec::new();
        let expected_status = u16::try_from(x["status"].as_u64().unwrap_or(0)).unwrap();
        if local.status != expected_status {
            problems.push(format!("status {} (real {expected_status})", local.status));
        }
        let real_type = x["response_body"].get("type").and_then(Value::as_str);
        if real_type.is_some() && expected_status >= 400 && local.kind() != real_type {
            problems.push(format!("type {:?} (real {real_type:?})", local.kind()));
        }
        let quirk = x["note"]
            .as_str()
            .is_some_and(|n| n.contains("reference DB"));
        if problems.is_empty() && !quirk && expected_status < 400 {
            let (mut real, mut ours) = (BTreeSet::new(), BTreeSet::new());
            shape(&x["response_body"], "", &mut real);
            shape(&local.body, "", &mut ours);
            let missing: Vec<_> = real.difference(&ours).filter(|k| !optional(k)).collect();
            let extra: Vec<_> = ours.difference(&real).filter(|k| !optional(k)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                problems.push(format!("shape: missing {missing:?}, extra {extra:?}"));
            }
        }
        if !problems.is_empty() {
            differences.push(format!("{file} {method} {path}: {}", problems.join("; ")));
        }
    }
    assert!(replayed > 200, "replayed {replayed} exchanges");
    let unexpected: Vec<&String> = differences
        .iter()
        .filter(|d| !ACCEPTED.iter().any(|(file, _)| d.starts_with(file)))
        .collect();
    for d in &differences {
        eprintln!("difference: {d}");
    }
    assert!(
        unexpected.is_empty(),
        "unexpected differences:\n{unexpected:#?}"
    );
}
