//! Member lists decoded straight into the cache end exactly where the decoded list's
//! `insert_members` / `replace_members` end, in JSON and msgpack, and malformed lists are
//! typed errors that keep what was decoded before them.

#![allow(clippy::unwrap_used)]

use ermine_cache::{Cache, Change};
use ermine_model::id::{ServerId, UserId};
use ermine_model::member::AllMemberResponse;
use serde_json::{Value, json};

const SERVER: &str = "01FMPQGRNDABPTC1SYP2HPERWK";
const OTHER: &str = "01H351G9S4QDR72CPTC97KZZZZ";

fn user_id(i: usize) -> String {
    format!("01H351G9S4QDR72CPTC97K{i:04}")
}

/// `n` members (more than one batch) with every kind of field, and their users.
fn list(n: usize, nickname: &str) -> Value {
    let avatar = json!({"_id": "01M1EDEAKYQFNJT6XHMQ8G3W49", "tag": "avatars",
        "filename": "a rather long file name.gif", "metadata": {"type": "Image", "width": 64,
        "height": 64}, "content_type": "image/gif", "size": 2048});
    let roles = ["01G3Z341XQZ6PEMWSB3CRBSZKT", "01G40HWKMJ73X37YVZRM26SRED"];
    let members: Vec<Value> = (0..n)
        .map(|i| {
            let mut m = json!({"_id": {"server": SERVER, "user": user_id(i)},
                "joined_at": "2024-01-01T00:00:00Z"});
            if i % 3 == 0 {
                m["nickname"] = json!(format!("{nickname} {i}"));
            }
            if i % 5 == 0 {
                m["avatar"] = avatar.clone();
            }
            if i % 2 == 0 {
                m["roles"] = json!(roles[..=(i % 4 / 2)]);
            }
            if i % 7 == 0 {
                m["timeout"] = json!("2026-09-08T12:00:00.441Z");
                m["can_publish"] = json!(false);
            }
            m
        })
        .collect();
    let users: Vec<Value> = (0..n)
        .map(|i| {
            let mut u = json!({"_id": user_id(i), "username": format!("user{i}"),
                "discriminator": "0001", "relationship": "None", "online": i % 2 == 0});
            if i % 4 == 0 {
                u["display_name"] = json!(format!("Someone with a long name {i}"));
                u["avatar"] = avatar.clone();
                u["status"] = json!({"text": "here", "presence": "Busy"});
            }
            u
        })
        .collect();
    json!({"members": members, "users": users})
}

/// The cache's state in a fixed order (tables iterate in an order their history decides).
fn sorted(cache: &Cache) -> ermine_cache::CacheSnapshot {
    let mut state = cache.export();
    state.users.sort_by_key(|u| u.id);
    state.members.sort_by_key(|m| (m.id.server, m.id.user));
    state
}

fn server() -> ServerId {
    SERVER.parse().unwrap()
}

/// A cache holding a list of 3,000, plus a member of another server.
fn filled() -> Cache {
    let cache = Cache::new();
    cache.insert_members(&serde_json::from_value(list(3_000, "old")).unwrap());
    let other: AllMemberResponse = serde_json::from_value(json!({
        "members": [{"_id": {"server": OTHER, "user": user_id(1)}, "joined_at": "2024-01-01T00:00:00Z"}],
        "users": []
    }))
    .unwrap();
    cache.insert_members(&other);
    cache
}

#[test]
fn decoding_straight_in_ends_where_the_decoded_list_does() {
    // Fewer members (some are gone), new nicknames (changes), keys in the other order with
    // one the cache does not know.
    let mut fresh = list(2_500, "new");
    let body = json!({"users": fresh["users"].take(), "extra": [1, 2], "members": fresh["members"].take()});
    let decoded: AllMemberResponse = serde_json::from_value(body.clone()).unwrap();
    let json_bytes = serde_json::to_vec(&body).unwrap();
    let packed = rmp_serde::to_vec_named(&body).unwrap();

    let expected = filled();
    let mut expected_changes = expected.replace_members(server(), &decoded);
    let from_json = filled();
    let mut json_changes = from_json
        .replace_members_json(server(), &json_bytes)
        .unwrap();
    let from_msgpack = filled();
    let mut msgpack_changes = from_msgpack
        .replace_members_from(
            server(),
            &mut rmp_serde::Deserializer::from_read_ref(&packed),
        )
        .unwrap();

    let key = |c: &Change| match c {
        Change::Member { user, .. } => *user,
        other => panic!("not a member change: {other:?}"),
    };
    for changes in [
        &mut expected_changes,
        &mut json_changes,
        &mut msgpack_changes,
    ] {
        changes.sort_by_key(key);
    }
    // 500 gone, and every third one's nickname changed.
    let gone = expected_changes
        .iter()
        .filter(|c| matches!(c, Change::Member { after: None, .. }))
        .count();
    assert_eq!((expected_changes.len(), gone), (500 + 834, 500));
    assert_eq!(json_changes, expected_changes);
    assert_eq!(msgpack_changes, expected_changes);
    let state = sorted(&expected);
    assert_eq!(
        state.members.len(),
        2_501,
        "the other server's member stays"
    );
    assert_eq!(sorted(&from_json), state);
    assert_eq!(sorted(&from_msgpack), state);

    // Inserting adds without removing, as `insert_members` does.
    let inserted = filled();
    let mut json = serde_json::Deserializer::from_slice(&json_bytes);
    inserted.insert_members_from(&mut json).unwrap();
    json.end().unwrap();
    let reference = filled();
    reference.insert_members(&decoded);
    assert_eq!(sorted(&inserted), sorted(&reference));
    assert_eq!(inserted.member_count(server()), 3_000);
    let from_body = filled();
    from_body.insert_members_json(&json_bytes).unwrap();
    assert_eq!(sorted(&from_body), sorted(&reference));
}

#[test]
fn malformed_lists_are_errors_that_keep_what_came_before() {
    let errors = |body: &[u8]| {
        let cache = filled();
        let error = cache.replace_members_json(server(), body).unwrap_err();
        (cache, error.to_string())
    };
    // Missing or repeated arrays, a list that is not an object, trailing bytes.
    for (body, says) in [
        (r#"{"members": []}"#, "missing field `users`"),
        (r#"{"users": []}"#, "missing field `members`"),
        (
            r#"{"members": [], "users": [], "members": []}"#,
            "duplicate field `members`",
        ),
        ("[1, 2]", "a member list"),
        (r#"{"members": [], "users": []} x"#, "trailing characters"),
    ] {
        let (cache, error) = errors(body.as_bytes());
        assert!(error.contains(says), "{body}: {error}");
        assert_eq!(
            cache.member_count(server()),
            3_000,
            "{body}: nothing removed"
        );
    }

    // A body that is not UTF-8: an error (where the bad bytes are), not a panic.
    let mut body =
        br#"{"members": [], "users": [{"_id": "01M86CDGJKEQQDSY6RW2KHTPJQ", "username": "b"#
            .to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(br#"b", "discriminator": "0042"}]}"#);
    let (cache, error) = errors(&body);
    assert!(
        error.contains("invalid unicode") || error.contains("UTF-8"),
        "{error}"
    );
    assert!(cache.insert_members_json(&body).is_err());

    // A member that does not decode after two batches: those batches are in, and so are the
    // members of the third decoded before it; nothing is removed, the cache stays usable.
    let mut fresh = list(2_500, "new");
    fresh["members"][2_100]["joined_at"] = json!("not a time");
    let (cache, error) = errors(&serde_json::to_vec(&fresh).unwrap());
    assert!(error.contains("line 1"), "{error}");
    let nick = |i: usize| {
        let user: UserId = user_id(i).parse().unwrap();
        cache.member(server(), user).unwrap().nickname
    };
    assert_eq!(
        nick(0).as_deref(),
        Some("new 0"),
        "decoded before the error"
    );
    assert_eq!(
        nick(2_097).as_deref(),
        Some("new 2097"),
        "just before the error, in the batch it ended"
    );
    assert_eq!(
        nick(2_100).as_deref(),
        Some("old 2100"),
        "the one that did not decode: untouched"
    );
    assert_eq!(
        nick(2_400).as_deref(),
        Some("old 2400"),
        "after it: untouched"
    );
    assert_eq!(cache.member_count(server()), 3_000);
}

/// A list refreshed again replaces what it holds: the tables do not grow with each refresh.
#[test]
fn refreshing_a_list_does_not_grow_the_cache() {
    let body = serde_json::to_vec(&list(3_000, "same")).unwrap();
    let decoded: AllMemberResponse = serde_json::from_slice(&body).unwrap();
    let cache = Cache::new();
    cache.replace_members(server(), &decoded);
    let once = cache.stats();
    for _ in 0..3 {
        assert!(cache.replace_members(server(), &decoded).is_empty());
        assert!(
            cache
                .replace_members_json(server(), &body)
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(cache.stats(), once);
}

/// A msgpack list that declares billions of members (and holds none) is an error, not a
/// reservation of billions of entries.
#[test]
fn a_declared_length_is_not_believed_blindly() {
    // {"members": array32 of 4,294,967,295 items, then the input ends}
    let mut body = vec![0x81, 0xa7];
    body.extend_from_slice(b"members");
    body.extend_from_slice(&[0xdd, 0xff, 0xff, 0xff, 0xff]);
    let cache = Cache::new();
    let result =
        cache.replace_members_from(server(), &mut rmp_serde::Deserializer::from_read_ref(&body));
    assert!(result.is_err());
    assert!(
        cache.stats().approximate_bytes < 100_000_000,
        "{:?}",
        cache.stats()
    );
}
