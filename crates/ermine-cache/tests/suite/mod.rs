//! The cache's event-application suite, for any backend: each event that touches members,
//! fed by hand in receive order, then read back from the backend's view.
//!
//! Included by path by every backend's tests (`ermine-cache` in-process, `ermine-redis`
//! through Redis), which run it with their own [`Harness`] through [`conformance_tests!`].

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    dead_code
)]

use ermine_cache::{Cache, CacheBackend, CacheConfig, Change, ResourceTypes};
use ermine_model::event::ServerEvent;
use ermine_model::id::{ChannelId, RoleId, ServerId, UserId};
use serde_json::{Value, json};

/// A backend under test: writes go to `backend()`, reads to `view()` once `sync()` returns.
pub(crate) trait Harness: Sized {
    /// Whether the backend can run here (a missing server outside CI skips the suite).
    fn available() -> bool {
        true
    }
    /// A fresh, empty backend keeping what `config` says.
    fn make(config: CacheConfig) -> Self;
    /// Where writes go.
    fn backend(&self) -> &dyn CacheBackend;
    /// Where reads go.
    fn view(&self) -> &Cache;
    /// Waits until every write so far is visible in `view()`.
    fn sync(&self) {}
}

/// One `#[test]` per case of the suite, for a harness type.
macro_rules! conformance_tests {
    ($h:ty) => {
        #[test]
        fn ready_fills_servers_channels_users_own_member_and_dm_index() {
            if <$h as crate::suite::Harness>::available() {
                crate::suite::ready_fills_servers_channels_users_own_member_and_dm_index::<$h>();
            }
        }
        #[test]
        fn member_join_update_and_leave() {
            if <$h as crate::suite::Harness>::available() {
                crate::suite::member_join_update_and_leave::<$h>();
            }
        }
        #[test]
        fn roles_create_update_delete_and_ranks() {
            if <$h as crate::suite::Harness>::available() {
                crate::suite::roles_create_update_delete_and_ranks::<$h>();
            }
        }
        #[test]
        fn users_servers_channels_and_messages() {
            if <$h as crate::suite::Harness>::available() {
                crate::suite::users_servers_channels_and_messages::<$h>();
            }
        }
        #[test]
        fn server_create_makes_up_your_member_and_resource_types_are_honoured() {
            if <$h as crate::suite::Harness>::available() {
                crate::suite::server_create_makes_up_your_member_and_resource_types_are_honoured::<
                    $h,
                >();
            }
        }
        #[test]
        fn a_second_ready_reconciles_and_reports() {
            if <$h as crate::suite::Harness>::available() {
                crate::suite::a_second_ready_reconciles_and_reports::<$h>();
            }
        }
    };
}
pub(crate) use conformance_tests;

const ME: &str = "01M86CDEXVEC1T9JZGTPNYYWGV";
const BOB: &str = "01M86CDGJKEQQDSY6RW2KHTPJQ";
const CAROL: &str = "01M86CDHZNAJZ67Q4Z8772YZTS";
const SERVER: &str = "01M86CDRZC9YVCV9K979HDVTHQ";
const CHANNEL: &str = "01M86CDRZC5Y42Q4GC71KR5ZC0";
const DM: &str = "01M86CF0KT3C6YJP9D8H6XVR3G";
const ROLE: &str = "01M86CE2V81XCYGEGXRYKRWV6T";
const ROLE2: &str = "01M86CE2VBJQC7YTTV8Y549XE1";

fn feed<H: Harness>(h: &H, frame: Value) -> Change {
    let change = h
        .backend()
        .update(&serde_json::from_value::<ServerEvent>(frame).unwrap());
    h.sync();
    change
}

fn user(id: &str, name: &str) -> Value {
    json!({"_id": id, "username": name, "discriminator": "0001", "relationship": "None", "online": false})
}

fn member(user: &str) -> Value {
    json!({"_id": {"server": SERVER, "user": user}, "joined_at": "2026-11-24T08:58:11.926Z"})
}

fn ready<H: Harness>(h: &H) {
    let mut me = user(ME, "me");
    me["relationship"] = json!("User");
    me["online"] = json!(true);
    feed(
        h,
        json!({
            "type": "Ready",
            "users": [me, user(BOB, "bob")],
            "servers": [{"_id": SERVER, "owner": ME, "name": "G", "channels": [CHANNEL], "default_permissions": 0,
                         "roles": {ROLE: {"_id": ROLE, "name": "Mod", "permissions": {"a": 64, "d": 0}, "rank": 0},
                                   ROLE2: {"_id": ROLE2, "name": "Two", "permissions": {"a": 0, "d": 0}, "rank": 1}}}],
            "channels": [
                {"channel_type": "TextChannel", "_id": CHANNEL, "server": SERVER, "name": "general",
                 "role_permissions": {ROLE: {"a": 0, "d": 1}}},
                {"channel_type": "DirectMessage", "_id": DM, "active": true, "recipients": [ME, BOB]}
            ],
            "members": [member(ME)]
        }),
    );
}

fn s() -> ServerId {
    SERVER.parse().unwrap()
}
fn id(u: &str) -> UserId {
    u.parse().unwrap()
}

pub(crate) fn ready_fills_servers_channels_users_own_member_and_dm_index<H: Harness>() {
    let h = H::make(CacheConfig::default());
    let cache = h.view();
    ready(&h);
    assert_eq!(cache.me(), Some(id(ME)));
    assert_eq!(cache.server(s()).unwrap().roles.len(), 2);
    assert!(cache.member(s(), id(ME)).is_some());
    assert_eq!(
        cache.dm_channel(id(BOB)),
        Some(DM.parse::<ChannelId>().unwrap())
    );
    assert_eq!(cache.user(id(BOB)).unwrap().username, "bob");
    let stats = cache.stats();
    assert_eq!(
        (
            stats.servers,
            stats.members,
            stats.users,
            stats.roles,
            stats.channels
        ),
        (1, 1, 2, 2, 2)
    );
    assert!(stats.approximate_bytes > 0);
}

pub(crate) fn member_join_update_and_leave<H: Harness>() {
    let h = H::make(CacheConfig::default());
    let cache = h.view();
    ready(&h);
    // Join without a member object: one is made up.
    let joined = feed(
        &h,
        json!({"type": "ServerMemberJoin", "id": SERVER, "user": CAROL}),
    );
    assert!(matches!(
        joined,
        Change::Member {
            before: None,
            after: Some(_),
            ..
        }
    ));
    let joined = feed(
        &h,
        json!({"type": "ServerMemberJoin", "id": SERVER, "user": BOB, "member": member(BOB)}),
    );
    let Change::Member {
        after: Some(after), ..
    } = joined
    else {
        panic!()
    };
    assert_eq!(
        after.to_member().joined_at.to_string(),
        "2026-11-24T08:58:11.926Z"
    );

    // Update: clear first, then data; every field including timeout and pronouns.
    let update = json!({"type": "ServerMemberUpdate", "id": {"server": SERVER, "user": BOB},
        "data": {"nickname": "Bobby", "pronouns": "he/him", "roles": [ROLE], "timeout": "2030-01-01T00:00:00.000Z",
                 "can_publish": false, "can_receive": false}, "clear": []});
    let Change::Member {
        before: Some(before),
        after: Some(after),
        ..
    } = feed(&h, update)
    else {
        panic!()
    };
    let (before, after) = (before.to_member(), after.to_member());
    assert_eq!(before.nickname, None);
    assert_eq!(after.nickname.as_deref(), Some("Bobby"));
    assert_eq!(after.pronouns.as_deref(), Some("he/him"));
    assert_eq!(
        after.timeout.unwrap().to_string(),
        "2030-01-01T00:00:00.000Z"
    );
    assert!(!after.can_publish && !after.can_receive);
    let cleared = json!({"type": "ServerMemberUpdate", "id": {"server": SERVER, "user": BOB},
        "data": {"nickname": "Set"}, "clear": ["Nickname", "Timeout", "CanPublish", "CanReceive", "Roles", "Pronouns"]});
    feed(&h, cleared);
    let bob = cache.member(s(), id(BOB)).unwrap();
    assert_eq!(bob.nickname.as_deref(), Some("Set"), "clear, then data");
    assert_eq!((bob.timeout, bob.pronouns.clone()), (None, None));
    assert!(bob.can_publish && bob.can_receive, "cleared means true");
    assert!(bob.roles.is_empty());

    // An update for a member not cached is not inserted.
    let unknown = json!({"type": "ServerMemberUpdate", "id": {"server": SERVER, "user": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, "data": {"nickname": "x"}});
    assert!(matches!(
        feed(&h, unknown),
        Change::Member {
            before: None,
            after: None,
            ..
        }
    ));
    assert_eq!(cache.member_count(s()), 3);

    let left = feed(
        &h,
        json!({"type": "ServerMemberLeave", "id": SERVER, "user": BOB, "reason": "Kick"}),
    );
    let Change::Member {
        before: Some(before),
        after: None,
        reason: Some(reason),
        ..
    } = left
    else {
        panic!()
    };
    let before = before.to_member();
    assert_eq!(before.nickname.as_deref(), Some("Set"));
    assert_eq!(reason.as_str(), "Kick");
    assert!(cache.member(s(), id(BOB)).is_none());

    // Leaving yourself drops the server and everything under it.
    feed(
        &h,
        json!({"type": "ServerMemberLeave", "id": SERVER, "user": ME, "reason": "Leave"}),
    );
    assert!(cache.server(s()).is_none());
    assert_eq!(cache.member_count(s()), 0);
    assert!(cache.channel(CHANNEL.parse().unwrap()).is_none());
}

pub(crate) fn roles_create_update_delete_and_ranks<H: Harness>() {
    let h = H::make(CacheConfig::default());
    let cache = h.view();
    ready(&h);
    feed(
        &h,
        json!({"type": "ServerMemberJoin", "id": SERVER, "user": BOB,
        "member": {"_id": {"server": SERVER, "user": BOB}, "joined_at": "2026-11-24T08:58:11.926Z", "roles": [ROLE, ROLE2]}}),
    );
    let new_role = "01M86CE2VBJQC7YTTV8Y549XE2";
    let created = feed(
        &h,
        json!({"type": "ServerRoleUpdate", "id": SERVER, "role_id": new_role,
        "data": {"name": "New", "permissions": {"a": 1, "d": 0}, "rank": 2, "colour": "red"}, "clear": []}),
    );
    assert!(matches!(
        created,
        Change::Role {
            before: None,
            after: Some(_),
            ..
        }
    ));
    feed(
        &h,
        json!({"type": "ServerRoleUpdate", "id": SERVER, "role_id": new_role, "data": {"name": "Renamed"}, "clear": ["Colour"]}),
    );
    let role = cache.role(s(), new_role.parse().unwrap()).unwrap();
    assert_eq!(
        (role.name.as_str(), role.colour.clone(), role.rank),
        ("Renamed", None, 2)
    );

    feed(
        &h,
        json!({"type": "ServerRoleRanksUpdate", "id": SERVER, "ranks": [ROLE2, new_role, ROLE]}),
    );
    assert_eq!(cache.role(s(), ROLE.parse().unwrap()).unwrap().rank, 2);
    assert_eq!(cache.role(s(), ROLE2.parse().unwrap()).unwrap().rank, 0);

    let deleted = feed(
        &h,
        json!({"type": "ServerRoleDelete", "id": SERVER, "role_id": ROLE}),
    );
    assert!(matches!(
        deleted,
        Change::Role {
            before: Some(_),
            after: None,
            ..
        }
    ));
    assert_eq!(
        cache.member(s(), id(BOB)).unwrap().roles,
        vec![ROLE2.parse::<RoleId>().unwrap()]
    );
    let ermine_model::channel::Channel::TextChannel(text) =
        cache.channel(CHANNEL.parse().unwrap()).unwrap()
    else {
        panic!()
    };
    assert!(
        text.role_permissions.is_empty(),
        "stripped from channel overrides too"
    );
}

pub(crate) fn users_servers_channels_and_messages<H: Harness>() {
    let config = CacheConfig::default().messages_per_channel(2);
    let h = H::make(config);
    let cache = h.view();
    ready(&h);
    let changed = feed(
        &h,
        json!({"type": "UserUpdate", "id": BOB, "data": {"online": true, "display_name": "B"}, "clear": [], "event_id": null}),
    );
    let Change::User {
        before: Some(before),
        after: Some(after),
    } = changed
    else {
        panic!()
    };
    assert!(!before.to_user().online && after.to_user().online);
    feed(
        &h,
        json!({"type": "UserUpdate", "id": BOB, "data": {}, "clear": ["DisplayName"]}),
    );
    assert_eq!(cache.user(id(BOB)).unwrap().display_name, None);
    let mut friend = user(CAROL, "carol");
    friend["relationship"] = json!("Friend");
    feed(
        &h,
        json!({"type": "UserRelationship", "id": ME, "user": friend}),
    );
    assert_eq!(
        cache.user(id(CAROL)).unwrap().relationship.as_str(),
        "Friend"
    );

    feed(
        &h,
        json!({"type": "ServerUpdate", "id": SERVER, "data": {"name": "Renamed", "default_permissions": 5}, "clear": []}),
    );
    assert_eq!(cache.server(s()).unwrap().name, "Renamed");

    for (i, text) in ["one", "two", "three"].iter().enumerate() {
        feed(
            &h,
            json!({"type": "Message", "_id": format!("01M86CF0EFDK2MZVKTHSYQ4AF{i}"), "channel": CHANNEL, "author": CAROL,
            "content": text, "user": user(CAROL, "carol"), "member": member(CAROL)}),
        );
    }
    let kept: Vec<String> = cache
        .messages(CHANNEL.parse().unwrap())
        .iter()
        .map(|m| m.content.clone().unwrap())
        .collect();
    assert_eq!(
        kept,
        vec!["two", "three"],
        "the per-channel cap keeps the newest"
    );
    assert!(
        cache.member(s(), id(CAROL)).is_some(),
        "a message brings its author's member"
    );
    feed(
        &h,
        json!({"type": "MessageUpdate", "id": "01M86CF0EFDK2MZVKTHSYQ4AF2", "channel": CHANNEL, "data": {"content": "edited"}}),
    );
    assert_eq!(
        cache
            .message(
                CHANNEL.parse().unwrap(),
                "01M86CF0EFDK2MZVKTHSYQ4AF2".parse().unwrap()
            )
            .unwrap()
            .content
            .as_deref(),
        Some("edited")
    );
    feed(
        &h,
        json!({"type": "MessageDelete", "id": "01M86CF0EFDK2MZVKTHSYQ4AF2", "channel": CHANNEL}),
    );
    assert_eq!(cache.messages(CHANNEL.parse().unwrap()).len(), 1);

    let new_dm = "01M86CF0KT3C6YJP9D8H6XVR3H";
    feed(
        &h,
        json!({"type": "ChannelCreate", "channel_type": "DirectMessage", "_id": new_dm, "active": true, "recipients": [ME, CAROL]}),
    );
    assert_eq!(cache.dm_channel(id(CAROL)), Some(new_dm.parse().unwrap()));
    // Saved Messages: the DM with yourself.
    let saved = "01M86CF0KT3C6YJP9D8H6XVR3J";
    feed(
        &h,
        json!({"type": "ChannelCreate", "channel_type": "SavedMessages", "_id": saved, "user": ME}),
    );
    assert_eq!(cache.dm_channel(id(ME)), Some(saved.parse().unwrap()));
    feed(
        &h,
        json!({"type": "ChannelUpdate", "id": CHANNEL, "data": {"name": "renamed"}, "clear": []}),
    );
    assert_eq!(
        cache.channel(CHANNEL.parse().unwrap()).unwrap().name(),
        Some("renamed")
    );
    feed(&h, json!({"type": "ChannelDelete", "id": new_dm}));
    assert_eq!(cache.dm_channel(id(CAROL)), None);

    let wiped = feed(
        &h,
        json!({"type": "UserPlatformWipe", "user_id": CAROL, "flags": 0}),
    );
    assert!(matches!(wiped, Change::Many(_)));
    assert!(cache.user(id(CAROL)).is_none());
    assert!(cache.member(s(), id(CAROL)).is_none());
    assert!(cache.messages(CHANNEL.parse().unwrap()).is_empty());

    let bulk = feed(
        &h,
        json!({"type": "Bulk", "v": [{"type": "ServerMemberJoin", "id": SERVER, "user": BOB}, {"type": "Bees"}]}),
    );
    let Change::Many(items) = bulk else { panic!() };
    assert!(matches!(items[0], Change::Member { .. }));
    assert_eq!(items[1], Change::None, "unknown events change nothing");

    feed(&h, json!({"type": "ServerDelete", "id": SERVER}));
    assert!(cache.server(s()).is_none() && cache.member(s(), id(BOB)).is_none());
}

pub(crate) fn server_create_makes_up_your_member_and_resource_types_are_honoured<H: Harness>() {
    let h = H::make(CacheConfig::default());
    let cache = h.view();
    ready(&h);
    let other = "01M86CDRZC9YVCV9K979HDVTHR";
    feed(
        &h,
        json!({"type": "ServerCreate", "id": other,
        "server": {"_id": other, "owner": BOB, "name": "Other", "channels": [], "default_permissions": 0},
        "channels": [], "emojis": []}),
    );
    assert!(cache.member(other.parse().unwrap(), id(ME)).is_some());

    let lean_h =
        H::make(CacheConfig::default().resources(ResourceTypes::SERVERS | ResourceTypes::MEMBERS));
    let lean = lean_h.view();
    ready(&lean_h);
    assert!(lean.user(id(BOB)).is_none());
    assert!(lean.member(s(), id(ME)).is_some());
    assert_eq!(lean.stats().channels, 0);
}

pub(crate) fn a_second_ready_reconciles_and_reports<H: Harness>() {
    let h = H::make(CacheConfig::default());
    let cache = h.view();
    ready(&h);
    feed(
        &h,
        json!({"type": "ServerMemberJoin", "id": SERVER, "user": BOB, "member": member(BOB)}),
    );
    let gone = "01M86CDRZC9YVCV9K979HDVTHR";
    feed(
        &h,
        json!({"type": "ServerCreate", "id": gone,
        "server": {"_id": gone, "owner": BOB, "name": "Gone", "channels": [], "default_permissions": 0}, "channels": []}),
    );
    // Reconnect: the gone server is absent; bob renamed himself.
    let mut me = user(ME, "me");
    me["relationship"] = json!("User");
    me["online"] = json!(true);
    let Change::Ready(summary) = feed(
        &h,
        json!({"type": "Ready",
        "users": [me, user(BOB, "bobby")],
        "servers": [{"_id": SERVER, "owner": ME, "name": "G", "channels": [CHANNEL], "default_permissions": 0}],
        "channels": [{"channel_type": "TextChannel", "_id": CHANNEL, "server": SERVER, "name": "general"}],
        "members": [member(ME)]}),
    ) else {
        panic!()
    };
    assert!(summary.reconnect);
    assert_eq!(
        summary.servers_removed,
        vec![gone.parse::<ServerId>().unwrap()]
    );
    assert_eq!(
        summary.members_dropped, 1,
        "bob's member cannot be vouched for"
    );
    assert_eq!(summary.users_changed, vec![id(BOB)]);
    assert!(cache.member(s(), id(BOB)).is_none());
    assert_eq!(
        cache.dm_channel(id(BOB)),
        None,
        "the DM was not in the fresh Ready"
    );

    // Keeping member lists: they stay and the server is reported for a refresh.
    let keeping_h = H::make(CacheConfig::default().keep_member_lists(true));
    let keeping = keeping_h.view();
    ready(&keeping_h);
    feed(
        &keeping_h,
        json!({"type": "ServerMemberJoin", "id": SERVER, "user": BOB, "member": member(BOB)}),
    );
    let Change::Ready(summary) = ({
        ready(&keeping_h);
        feed(
            &keeping_h,
            json!({"type": "Ready", "members": [member(ME)]}),
        )
    }) else {
        panic!()
    };
    assert_eq!(summary.refresh, vec![s()]);
    assert!(keeping.member(s(), id(BOB)).is_some());

    // The refresh: a fetched list replaces the server's members and says what differed.
    let list = serde_json::from_value(json!({
        "members": [member(ME), {"_id": {"server": SERVER, "user": CAROL}, "joined_at": "2026-11-24T09:00:00.000Z", "nickname": "C"}],
        "users": [user(CAROL, "carol"), user(ME, "me")]
    })).unwrap();
    let changes = keeping_h.backend().replace_members(s(), &list);
    keeping_h.sync();
    let gone_bob = changes
        .iter()
        .any(|c| matches!(c, Change::Member { user, after: None, .. } if *user == id(BOB)));
    let new_carol = changes.iter().any(|c| matches!(c, Change::Member { user, before: None, after: Some(_), .. } if *user == id(CAROL)));
    assert!(gone_bob && new_carol, "{changes:?}");
    assert_eq!(
        keeping.user(id(CAROL)).unwrap().username,
        "carol",
        "joined by ID, not position"
    );
    assert_eq!(keeping.member_count(s()), 2);
}
