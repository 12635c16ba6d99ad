//! The event-application suite on the in-process cache.

#![allow(clippy::unwrap_used)]

mod suite;

use ermine_cache::{Cache, CacheBackend, CacheConfig};

struct Local(Cache);

impl suite::Harness for Local {
    fn make(config: CacheConfig) -> Self {
        Self(Cache::with_config(config))
    }

    fn backend(&self) -> &dyn CacheBackend {
        &self.0
    }

    fn view(&self) -> &Cache {
        &self.0
    }
}

suite::conformance_tests!(Local);

/// `apply` (no change report) leaves exactly the state `update` does, over member and user
/// updates of every field, set and cleared, including members whose before/after snapshots are still
/// held elsewhere (copy on write) on the reporting side. Every member update's report is the
/// model's member before and after it, and so are the reports held while later updates
/// changed the same members.
#[test]
fn apply_without_a_report_ends_in_the_same_state_as_update() {
    use ermine_model::event::ServerEvent;
    use serde_json::json;

    const SERVER: &str = "01FMPQGRNDABPTC1SYP2HPERWK";
    let users: Vec<String> = (0..50)
        .map(|i| format!("01H351G9S4QDR72CPTC97K{i:04}"))
        .collect();
    let list: ermine_model::member::AllMemberResponse = serde_json::from_value(json!({
        "members": users.iter().map(|u| json!({
            "_id": {"server": SERVER, "user": u}, "joined_at": "2024-01-01T00:00:00Z"
        })).collect::<Vec<_>>(),
        "users": users.iter().map(|u| json!({
            "_id": u, "username": "someone", "discriminator": "0001", "relationship": "None",
            "online": false
        })).collect::<Vec<_>>(),
    }))
    .unwrap();
    let (reporting, quiet) = (Cache::new(), Cache::new());
    reporting.insert_members(&list);
    quiet.insert_members(&list);
    let avatar = json!({"_id": "01M1EDEAKYQFNJT6XHMQ8G3W49", "tag": "avatars",
        "filename": "cat.gif", "metadata": {"type": "Image", "width": 64, "height": 64},
        "content_type": "image/gif", "size": 2048});
    // A fixed pseudo-random sequence (xorshift), so every run applies the same events.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let mut models: std::collections::HashMap<_, _> = list
        .members
        .iter()
        .map(|m| (m.id.user, m.clone()))
        .collect();
    let mut users_now: std::collections::HashMap<_, _> =
        list.users.iter().map(|u| (u.id, u.clone())).collect();
    let mut held = Vec::new();
    for step in 0..2_000 {
        let user = &users[usize::try_from(next(50)).unwrap()];
        let event = random_event(&mut next, step, user, &avatar);
        let change = reporting.update(&event);
        if let ServerEvent::UserUpdate(update) = &event {
            let model = users_now.get_mut(&update.id).unwrap();
            let before = model.clone();
            model.apply_update(&update.data, &update.clear);
            let ermine_cache::Change::User {
                before: Some(b),
                after: Some(a),
            } = &change
            else {
                panic!("{change:?}");
            };
            assert_eq!((b.to_user(), a.to_user()), (before, model.clone()));
        }
        if let ServerEvent::ServerMemberUpdate(update) = &event {
            let model = models.get_mut(&update.id.user).unwrap();
            let before = model.clone();
            model.apply_update(&update.data, &update.clear);
            let expected = (Some(before), Some(model.clone()));
            let ermine_cache::Change::Member { before, after, .. } = &change else {
                panic!("{change:?}");
            };
            let reported = |m: &Option<ermine_cache::MemberSnapshot>| {
                m.as_ref().map(ermine_cache::MemberSnapshot::to_member)
            };
            assert_eq!((reported(before), reported(after)), expected, "{event:?}");
            if next(2) == 0 {
                // Snapshots still alive: the reporting side copies on write.
                held.push((change, expected));
            }
        }
        quiet.apply(&event);
    }
    assert_eq!(reporting.export(), quiet.export());
    assert!(held.len() > 100);
    for (change, (before, after)) in held {
        let ermine_cache::Change::Member {
            before: Some(b),
            after: Some(a),
            ..
        } = change
        else {
            panic!("{change:?}");
        };
        assert_eq!(
            (Some(b.into_member()), Some(a.into_member())),
            (before, after)
        );
    }
}

/// One member or user update (every fourth), from the pseudo-random sequence `next`.
fn random_event(
    next: &mut impl FnMut(u64) -> u64,
    step: usize,
    user: &str,
    avatar: &serde_json::Value,
) -> ermine_model::event::ServerEvent {
    use serde_json::json;
    const SERVER: &str = "01FMPQGRNDABPTC1SYP2HPERWK";
    let (data, clear) = match next(9) {
        0 => (json!({"nickname": format!("nick {step}")}), json!([])),
        1 => (json!({}), json!(["Nickname"])),
        2 => (json!({"avatar": avatar}), json!([])),
        3 => (json!({}), json!(["Avatar"])),
        4 => (
            json!({"roles": ["01G3Z341XQZ6PEMWSB3CRBSZKT", "01G40HWKMJ73X37YVZRM26SRED"]}),
            json!([]),
        ),
        5 => (json!({}), json!(["Roles", "Timeout"])),
        6 => (
            json!({"timeout": "2026-09-08T12:00:00.441Z", "pronouns": "they/them"}),
            json!([]),
        ),
        7 => (
            json!({"nickname": "both", "avatar": avatar}),
            json!(["Pronouns"]),
        ),
        // Cleared and set again in one update: it replaced the value before both.
        _ => (
            json!({"nickname": format!("again {step}"), "can_publish": false}),
            json!(["Nickname", "CanPublish"]),
        ),
    };
    // Every fourth event updates the user instead.
    let event: ermine_model::event::ServerEvent = serde_json::from_value(match next(4) {
        0 => json!({
            "type": "UserUpdate", "id": user,
            "data": match next(3) {
                0 => json!({"display_name": format!("name {step}"), "online": true}),
                1 => json!({"status": {"text": "away", "presence": "Idle"}, "avatar": avatar}),
                _ => json!({"username": format!("u{step}")}),
            },
            "clear": if next(2) == 0 { json!(["DisplayName", "Avatar"]) } else { json!([]) },
        }),
        _ => json!({
            "type": "ServerMemberUpdate", "id": {"server": SERVER, "user": user},
            "data": data, "clear": clear,
        }),
    })
    .unwrap();
    event
}
