//! ermine's tables against the official API data files: every permission with its bit, every
//! error type with its status and extra fields.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::Path;

use ermine_model::error::{ApiError, ErrorBody};
use ermine_model::permission::{Permissions, UserPermissions};
use serde_json::{Value, json};

fn load(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/api")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_permission_exists_with_its_bit() {
    let entries = load("permissions.json");
    assert_eq!(entries.len(), 39);
    for p in &entries {
        let name = p["name"].as_str().unwrap();
        let value = p["value"].as_u64().unwrap();
        let found = match p["kind"].as_str().unwrap() {
            "channel" => Permissions::from_api_name(name).map(|p| p.bits()),
            "user" => UserPermissions::from_api_name(name).map(|p| p.bits()),
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(found, Some(value), "{name}");
    }
    assert_eq!(Permissions::NAMED.len(), 35);
    assert_eq!(Permissions::all().bits().count_ones(), 35);
}

#[test]
fn every_error_type_decodes_to_its_own_variant() {
    let entries = load("errors.json");
    assert_eq!(entries.len(), 96);
    for e in &entries {
        let name = e["type"].as_str().unwrap();
        let wire = e.get("wire_type").and_then(Value::as_str).unwrap_or(name);
        let mut body = json!({"type": wire, "location": "crates/x.rs:1:1"});
        for f in e["extra_fields"].as_array().unwrap() {
            let v = if f["type"] == "integer" {
                json!(7)
            } else {
                json!("KickMembers")
            };
            body[f["name"].as_str().unwrap()] = v;
        }
        let decoded: ErrorBody = serde_json::from_value(body.clone()).unwrap();
        assert!(
            !matches!(decoded.error, ApiError::Unknown { .. }),
            "{name} decoded as Unknown"
        );
        assert_eq!(decoded.error.type_name(), wire);
        assert_eq!(
            u64::from(decoded.error.status()),
            e["http_status"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(decoded.location.as_deref(), Some("crates/x.rs:1:1"));
        let back = serde_json::to_value(&decoded).unwrap();
        for (k, v) in body.as_object().unwrap() {
            assert_eq!(&back[k], v, "{name}.{k}");
        }
    }
}

#[test]
fn typed_fields_and_unknown_types() {
    let e: ApiError =
        serde_json::from_value(json!({"type": "MissingPermission", "permission": "KickMembers"}))
            .unwrap();
    assert_eq!(e.missing_permission(), Some(Permissions::KICK_MEMBERS));
    assert_eq!(e.to_string(), "MissingPermission (KickMembers)");
    let e: ApiError =
        serde_json::from_value(json!({"type": "MissingPermission", "permission": "SendMessage"}))
            .unwrap();
    assert_eq!(
        e.missing_user_permission(),
        Some(UserPermissions::SEND_MESSAGE)
    );
    let e: ApiError =
        serde_json::from_value(json!({"type": "TooManyAttachments", "max": 5})).unwrap();
    assert_eq!(e, ApiError::TooManyAttachments { max: 5 });
    let e: ApiError = serde_json::from_value(json!({"type": "BrandNew", "detail": 1})).unwrap();
    assert!(
        matches!(&e, ApiError::Unknown { r#type, body } if r#type == "BrandNew" && body["detail"] == 1)
    );
    // A known type with a malformed field is an error, not a panic.
    assert!(
        serde_json::from_value::<ApiError>(json!({"type": "TooManyAttachments", "max": "five"}))
            .is_err()
    );
    assert!(serde_json::from_value::<ApiError>(json!({"no": "type"})).is_err());
}
