//! Every JSON body and WebSocket frame captured from a real Stoat server (0.15.1) decodes into
//! the matching ermine type and encodes back to the same JSON, field for field.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use ermine_model::auth::{
    AccountInfo, BotWithUser, FetchBotResponse, LoginResponse, OnboardingStatus, OwnedBots,
    SessionInfo,
};
use ermine_model::channel::{Channel, ChannelUnread};
use ermine_model::error::{ApiError, ErrorBody, RateLimitedBody};
use ermine_model::event::{ClientEvent, ServerEvent};
use ermine_model::instance::InstanceConfig;
use ermine_model::invite::{Invite, InviteInfo, InviteJoinResponse};
use ermine_model::member::{AllMemberResponse, BanListResult, Member, MemberResponse, ServerBan};
use ermine_model::message::{BulkMessageResponse, Message};
use ermine_model::server::{CreateServerResponse, FetchServerResponse, NewRoleResponse};
use ermine_model::user::{FlagResponse, MutualResponse, User, UserProfile};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/real-server")
}

/// Decode as `T`, encode again, and return the re-encoded JSON.
fn round_trip<T: DeserializeOwned + Serialize>(body: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(body.clone()).map_err(|e| format!("decode: {e}"))?;
    serde_json::to_value(&decoded).map_err(|e| format!("encode: {e}"))
}

/// Routes whose bodies ermine does not model (outside the member surface), with the reason.
const NOT_MODELLED: &[(&str, &str, &str)] = &[
    (
        "GET",
        "servers/*/audit_logs",
        "audit logs are not part of the member surface",
    ),
    ("GET", "ratelimit", "internal rate-limit probe route"),
];

/// Which ermine type a successful response of this route decodes into.
type RoundTrip = fn(&Value) -> Result<Value, String>;

fn success_type(method: &str, segments: &[&str], body: &Value) -> Option<RoundTrip> {
    let m = method;
    Some(match segments {
        [] if m == "GET" => round_trip::<InstanceConfig>,
        ["auth", "session", "login"] => round_trip::<LoginResponse>,
        ["auth", "session", "all"] => round_trip::<Vec<SessionInfo>>,
        ["auth", "account", ..] => round_trip::<AccountInfo>,
        ["onboard", "hello"] => round_trip::<OnboardingStatus>,
        ["onboard", "complete"] => round_trip::<User>,
        ["bots", "create"] => round_trip::<BotWithUser>,
        ["bots", "@me"] => round_trip::<OwnedBots>,
        ["bots", _] => round_trip::<FetchBotResponse>,
        ["servers", "create"] => round_trip::<CreateServerResponse>,
        ["servers", _] if m == "GET" => round_trip::<FetchServerResponse>,
        ["servers", _, "members"] => round_trip::<AllMemberResponse>,
        ["servers", _, "members", _] if m == "GET" => round_trip::<MemberResponse>,
        ["servers", _, "members", _] if m == "PATCH" => round_trip::<Member>,
        ["servers", _, "roles"] => round_trip::<NewRoleResponse>,
        ["servers", _, "bans"] => round_trip::<BanListResult>,
        ["servers", _, "bans", _] if m == "PUT" => round_trip::<ServerBan>,
        ["channels", _, "invites"] => round_trip::<Invite>,
        ["invites", _] if m == "GET" => round_trip::<InviteInfo>,
        ["invites", _] if m == "POST" => round_trip::<InviteJoinResponse>,
        ["channels", _] if m == "GET" => round_trip::<Channel>,
        ["channels", _, "messages"] if m == "POST" => round_trip::<Message>,
        ["channels", _, "messages" | "search"] => round_trip::<BulkMessageResponse>,
        ["channels", _, "messages", _] if m == "GET" => round_trip::<Message>,
        ["sync", "unreads"] => round_trip::<Vec<ChannelUnread>>,
        ["users", "dms"] => round_trip::<Vec<Channel>>,
        ["users", _, "profile"] => round_trip::<UserProfile>,
        ["users", _, "mutual"] => round_trip::<MutualResponse>,
        ["users", _, "flags"] => round_trip::<FlagResponse>,
        ["users", _, "dm"] => round_trip::<Channel>,
        ["users", ..] if body.get("username").is_some() => round_trip::<User>,
        _ => return None,
    })
}

fn is_not_modelled(method: &str, path: &str) -> bool {
    NOT_MODELLED.iter().any(|(m, pattern, _)| {
        let p: Vec<&str> = pattern.split('/').collect();
        let s: Vec<&str> = path.split('/').collect();
        *m == method && p.len() == s.len() && p.iter().zip(&s).all(|(a, b)| *a == "*" || a == b)
    })
}

#[derive(Default)]
struct Tally {
    decoded: usize,
    errors: usize,
    no_json: usize,
    not_modelled: usize,
    failures: Vec<String>,
}

fn check(tally: &mut Tally, name: &str, original: &Value, result: Result<Value, String>) {
    match result {
        Ok(encoded) if &encoded == original => tally.decoded += 1,
        Ok(encoded) => tally.failures.push(format!(
            "{name}: re-encoded differs\n  sent: {original}\n  ours: {encoded}"
        )),
        Err(e) => tally
            .failures
            .push(format!("{name}: {e}\n  body: {original}")),
    }
}

fn http_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [fixtures(), fixtures().join("reference-db-unpatched")] {
        for entry in fs::read_dir(&dir).expect("fixtures directory") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if path.extension().is_some_and(|e| e == "json") && name.as_bytes()[0].is_ascii_digit()
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_http_body_round_trips() {
    let mut tally = Tally::default();
    let files = http_files();
    assert!(
        files.len() >= 217,
        "expected the 217 captured exchanges, found {}",
        files.len()
    );
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let exchange: Value =
            serde_json::from_str(&fs::read_to_string(file).expect("read")).expect("json");
        let method = exchange["method"].as_str().expect("method");
        let full_path = exchange["path"].as_str().expect("path");
        let path = full_path
            .split('?')
            .next()
            .unwrap_or_default()
            .trim_start_matches('/');
        let status = exchange["status"].as_u64().expect("status");
        let body = &exchange["response_body"];
        if body.is_null() || body.is_string() {
            // 204s, HTML error pages of the web framework, the PNG avatar.
            tally.no_json += 1;
            continue;
        }
        if status >= 400 {
            let result = if body.get("type").is_some() {
                let decoded: Result<ErrorBody, _> = serde_json::from_value(body.clone());
                if let Ok(ErrorBody {
                    error: ApiError::Unknown { r#type, .. },
                    ..
                }) = &decoded
                {
                    tally
                        .failures
                        .push(format!("{name}: error type {type} decoded as Unknown"));
                }
                decoded
                    .map_err(|e| e.to_string())
                    .and_then(|d| serde_json::to_value(d).map_err(|e| e.to_string()))
            } else {
                round_trip::<RateLimitedBody>(body)
            };
            tally.errors += 1;
            check(&mut tally, &name, body, result);
            continue;
        }
        if is_not_modelled(method, path) {
            tally.not_modelled += 1;
            continue;
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match success_type(method, &segments, body) {
            Some(decode) => check(&mut tally, &name, body, decode(body)),
            None => tally
                .failures
                .push(format!("{name}: no model for {method} {full_path}")),
        }
    }
    println!(
        "{} exchanges: {} bodies round-tripped ({} of them error bodies), {} without JSON, {} not modelled",
        files.len(),
        tally.decoded,
        tally.errors,
        tally.no_json,
        tally.not_modelled
    );
    assert!(
        tally.failures.is_empty(),
        "{} failures:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    assert!(tally.decoded > 150);
}

fn ws_frames() -> Vec<(String, String, Value, bool)> {
    let mut frames = Vec::new();
    let dir = fixtures().join("ws");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("ws dir")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let file: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
        let msgpack = file["connection"]
            .as_str()
            .unwrap_or_default()
            .contains("msgpack");
        if let Some(list) = file["frames"].as_array() {
            for (i, frame) in list.iter().enumerate() {
                let dir = frame["dir"].as_str().unwrap_or("in").to_owned();
                frames.push((format!("{name}#{i}"), dir, frame["data"].clone(), msgpack));
            }
        } else {
            let dir = if file["direction"] == "client->server" {
                "out"
            } else {
                "in"
            };
            frames.push((name, dir.to_owned(), file["data"].clone(), msgpack));
        }
    }
    frames
}

#[test]
fn every_websocket_frame_round_trips() {
    let mut tally = Tally::default();
    let frames = ws_frames();
    let mut not_events = 0;
    for (name, dir, data, msgpack) in &frames {
        // Close frames (and the empty payload a close leaves in the capture) carry no event.
        if dir == "close" || data.is_null() || data == "" {
            not_events += 1;
            continue;
        }
        if dir == "out" {
            let result = serde_json::from_value::<ClientEvent>(data.clone())
                .map_err(|e| e.to_string())
                .and_then(|event| {
                    if matches!(event, ClientEvent::Unknown(_)) {
                        return Err("decoded as Unknown".to_owned());
                    }
                    serde_json::to_value(&event).map_err(|e| e.to_string())
                });
            check(&mut tally, name, data, result);
            continue;
        }
        let result = serde_json::from_value::<ServerEvent>(data.clone())
            .map_err(|e| e.to_string())
            .and_then(|event| {
                if matches!(event, ServerEvent::Unknown(_)) {
                    return Err(format!("{} decoded as Unknown", event.kind()));
                }
                if *msgpack {
                    // Binary frames carry timestamps as integer milliseconds: encode as msgpack.
                    let bytes = rmp_serde::to_vec_named(&event).map_err(|e| e.to_string())?;
                    rmp_serde::from_slice::<Value>(&bytes).map_err(|e| e.to_string())
                } else {
                    serde_json::to_value(&event).map_err(|e| e.to_string())
                }
            });
        check(&mut tally, name, data, result);
    }
    println!(
        "{} frames: {} round-tripped, {} close frames",
        frames.len(),
        tally.decoded,
        not_events
    );
    assert!(
        tally.failures.is_empty(),
        "{} failures:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    assert!(tally.decoded >= 42);
}

#[test]
fn msgpack_ready_decodes_from_real_bytes() {
    // The capture keeps the frame's first bytes; the rest is rebuilt from the decoded data in
    // the same encoding (`to_vec_named`), and must start with the captured prefix.
    let file: Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("ws/Ready_msgpack.json")).expect("read"),
    )
    .expect("json");
    let event: ServerEvent = serde_json::from_value(file["data"].clone()).expect("decode");
    let bytes = rmp_serde::to_vec_named(&event).expect("encode");
    let back: ServerEvent = rmp_serde::from_slice(&bytes).expect("decode msgpack");
    assert_eq!(back, event);
    let ServerEvent::Ready(ready) = back else {
        panic!("not Ready")
    };
    assert_eq!(ready.members.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        ready.members.expect("members")[0].joined_at.unix_millis(),
        1_795_510_821_029
    );
}
