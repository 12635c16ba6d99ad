//! Member updates, ranking and the permission explanation on hand-built data.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;

use ermine_model::id::{RoleId, ServerId, UserId};
use ermine_model::member::{FieldsMember, Member, PartialMember};
use ermine_model::permission::UserPermissions as U;
use ermine_model::permission::{
    Override, Permissions, Perspective, Step, TargetUser, caller_ranking,
    explain_server_permissions, member_ranking, server_permissions, user_permissions,
};
use ermine_model::server::{Role, Server};
use ermine_model::user::{RelationshipStatus, default_avatar_index};
use ermine_model::{MemberId, Timestamp};

const NOW: Timestamp = Timestamp::from_unix_millis(1_795_510_821_029);

fn id<M>(n: u128) -> ermine_model::Id<M> {
    ermine_model::Id::from_u128(n << 80).unwrap()
}

fn server(roles: &[(u128, i64, Override)]) -> Server {
    let roles = roles
        .iter()
        .map(|(n, rank, permissions)| {
            let rid: RoleId = id(*n);
            (
                rid,
                Role {
                    id: rid,
                    name: format!("role{n}"),
                    permissions: *permissions,
                    colour: None,
                    hoist: false,
                    rank: *rank,
                    icon: None,
                    owner: None,
                },
            )
        })
        .collect::<HashMap<_, _>>();
    serde_json::from_value::<Server>(serde_json::json!({
        "_id": id::<()>(9).to_string(), "owner": id::<()>(1).to_string(), "name": "s", "channels": [],
        "default_permissions": Permissions::DEFAULT_SERVER.bits(), "approximate_member_count": 3
    }))
    .map(|mut s| {
        s.roles = roles;
        s
    })
    .unwrap()
}

fn member(user: u128, roles: &[u128]) -> Member {
    Member {
        roles: roles.iter().map(|n| id(*n)).collect(),
        ..Member::new(MemberId::new(id::<()>(9).cast(), id(user)), NOW)
    }
}

#[test]
fn clear_then_set_as_the_server_applies_it() {
    let mut m = member(2, &[100]);
    m.nickname = Some("old".into());
    m.can_publish = false;
    m.timeout = Some(NOW);
    let data = PartialMember {
        nickname: Some("new".into()),
        ..PartialMember::default()
    };
    m.apply_update(
        &data,
        &[
            FieldsMember::Nickname,
            FieldsMember::CanPublish,
            FieldsMember::Timeout,
            FieldsMember::Roles,
        ],
    );
    assert_eq!(m.nickname.as_deref(), Some("new"), "data wins over clear");
    assert!(m.can_publish, "clearing CanPublish means true");
    assert_eq!(m.timeout, None);
    assert!(m.roles.is_empty());
    // An unknown field name in `clear` changes nothing.
    let before = m.clone();
    m.apply_update(&PartialMember::default(), &["Future".parse().unwrap()]);
    assert_eq!(m, before);
}

#[test]
fn absent_member_fields_take_server_defaults() {
    let m: Member = serde_json::from_str(
        r#"{"_id":{"server":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDGJKEQQDSY6RW2KHTPJQ"},"joined_at":"2026-11-24T08:58:11.926Z"}"#,
    )
    .unwrap();
    assert!(m.can_publish && m.can_receive && m.roles.is_empty() && m.timeout.is_none());
    let back = serde_json::to_value(&m).unwrap();
    assert!(back.get("can_publish").is_none() && back.get("roles").is_none());
}

#[test]
fn ranking_and_hierarchy() {
    let s = server(&[(100, 5, Override::default()), (101, 2, Override::default())]);
    assert_eq!(member_ranking(&s, &member(2, &[100, 101])), 2);
    assert_eq!(member_ranking(&s, &member(2, &[])), i64::MAX);
    assert_eq!(
        member_ranking(&s, &member(2, &[555])),
        i64::MAX,
        "unknown roles do not rank"
    );
    assert_eq!(
        caller_ranking(&s, id(1), None),
        i64::MIN,
        "the owner outranks everyone"
    );
    let mod_ = member(2, &[101]);
    assert_eq!(caller_ranking(&s, id(2), Some(&mod_)), 2);
}

#[test]
fn explain_names_the_deciding_step() {
    let kick = Override::new(
        Permissions::KICK_MEMBERS | Permissions::BAN_MEMBERS,
        Permissions::empty(),
    );
    let no_ban = Override::new(Permissions::empty(), Permissions::BAN_MEMBERS);
    // rank 0 applies last and wins
    let s = server(&[(100, 0, no_ban), (101, 3, kick)]);
    let mut m = member(2, &[100, 101]);
    let who = Perspective::user(id(2));
    let why = explain_server_permissions(&who, &s, Some(&m), NOW);
    assert_eq!(why.value, server_permissions(&who, &s, Some(&m), NOW));
    assert!(why.value.contains(Permissions::KICK_MEMBERS));
    assert!(!why.value.contains(Permissions::BAN_MEMBERS));
    assert_eq!(
        why.decided_by(Permissions::KICK_MEMBERS).unwrap().step,
        Step::Role(id(101))
    );
    assert_eq!(
        why.decided_by(Permissions::BAN_MEMBERS).unwrap().step,
        Step::Role(id(100))
    );
    assert_eq!(
        why.decided_by(Permissions::SEND_MESSAGE).unwrap().step,
        Step::ServerDefault
    );
    assert!(why.decided_by(Permissions::MANAGE_SERVER).is_none());
    let text = why.to_string();
    assert!(text.contains("KickMembers: granted by role"), "{text}");
    assert!(text.contains("ManageServer: never granted"), "{text}");

    // An active timeout keeps view and history only; an expired one does nothing.
    m.timeout = Some(NOW.saturating_add(std::time::Duration::from_mins(1)));
    let why = explain_server_permissions(&who, &s, Some(&m), NOW);
    assert_eq!(why.value, Permissions::ALLOW_IN_TIMEOUT);
    assert!(matches!(
        why.decided_by(Permissions::KICK_MEMBERS).unwrap().step,
        Step::TimedOut { .. }
    ));
    m.timeout = Some(NOW.saturating_sub(std::time::Duration::from_mins(1)));
    assert!(server_permissions(&who, &s, Some(&m), NOW).contains(Permissions::KICK_MEMBERS));
}

#[test]
fn publish_and_receive_revokes() {
    let s = server(&[]);
    let mut m = member(2, &[]);
    m.can_publish = false;
    m.can_receive = false;
    let p = server_permissions(&Perspective::user(id(2)), &s, Some(&m), NOW);
    assert!(!p.intersects(Permissions::SPEAK | Permissions::VIDEO | Permissions::LISTEN));
    assert!(p.contains(Permissions::CONNECT));
}

#[test]
fn user_permission_rules() {
    let me = Perspective::user(id(1));
    let target = |relationship, bot, mutual_connection| TargetUser {
        id: id(2),
        relationship,
        bot,
        mutual_connection,
    };
    assert_eq!(
        user_permissions(&me, &target(RelationshipStatus::Friend, false, false)).bits(),
        u64::MAX
    );
    assert_eq!(
        user_permissions(&me, &target(RelationshipStatus::Blocked, false, true)),
        U::ACCESS
    );
    assert_eq!(
        user_permissions(&me, &target(RelationshipStatus::None, false, true)),
        U::ACCESS | U::VIEW_PROFILE
    );
    assert_eq!(
        user_permissions(&me, &target(RelationshipStatus::None, false, false)),
        U::empty()
    );
    assert_eq!(
        user_permissions(&me, &target(RelationshipStatus::None, true, false)),
        U::ACCESS | U::VIEW_PROFILE
    );
    assert_eq!(
        user_permissions(&me, &target(RelationshipStatus::None, true, true)),
        U::ACCESS | U::VIEW_PROFILE | U::SEND_MESSAGE
    );
}

#[test]
fn default_avatar_follows_the_last_character() {
    let pick = |s: &str| default_avatar_index(s.parse::<UserId>().unwrap());
    assert_eq!(pick("01M86CDGJKEQQDSY6RW2KHTPJQ"), 7);
    assert_eq!(pick("01M86CDEXVEC1T9JZGTPNYYWGV"), 5);
    assert_eq!(pick("01M86CDHZNAJZ67Q4Z8772YZTS"), 2);
    assert_eq!(pick("01M86CDRYV88AHV36M8PHT7EDR"), 1);
    let _: ServerId = id(9);
}
