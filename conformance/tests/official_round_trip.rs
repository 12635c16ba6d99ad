//! Values of the official `revolt-models` 0.16.2 types, serialized by the official crate, must
//! decode into ermine's types and encode back to the same value, in JSON and in msgpack (where
//! timestamps are integer milliseconds). Events, which the official model crate does not
//! define, are assembled from official pieces in the shapes the server publishes.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::needless_pass_by_value,
    clippy::default_trait_access,
    clippy::too_many_lines,
    deprecated
)]

use std::collections::HashMap;

use ermine_model::event::ServerEvent;
use ermine_model::id::UserId;
use iso8601_timestamp::Timestamp as OfficialTimestamp;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use revolt_models::v0 as o;
use revolt_permissions::OverrideField;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// JSON and msgpack round trip of an official value through ermine type `T`.
fn same<Official: Serialize, T: DeserializeOwned + Serialize>(
    value: &Official,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_value(value).unwrap();
    let ours: T = serde_json::from_value(json.clone())
        .map_err(|e| TestCaseError::fail(format!("decode {e}: {json}")))?;
    prop_assert_eq!(serde_json::to_value(&ours).unwrap(), json);

    let packed = rmp_serde::to_vec_named(value).unwrap();
    let ours: T = rmp_serde::from_slice(&packed)
        .map_err(|e| TestCaseError::fail(format!("msgpack decode {e}")))?;
    let repacked = rmp_serde::to_vec_named(&ours).unwrap();
    let a: Value = rmp_serde::from_slice(&packed).unwrap();
    let b: Value = rmp_serde::from_slice(&repacked).unwrap();
    prop_assert_eq!(b, a);
    Ok(())
}

fn ulid() -> impl Strategy<Value = String> {
    (0u128..(u128::MAX - 1)).prop_map(|v| UserId::from_u128(v).unwrap().to_string())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9 _-]{1,20}", "\\PC{0,12}"]
}

fn timestamp() -> impl Strategy<Value = OfficialTimestamp> {
    (0i64..4_102_444_800_000).prop_map(OfficialTimestamp::from_unix_timestamp_ms)
}

fn metadata() -> impl Strategy<Value = o::Metadata> {
    prop_oneof![
        Just(o::Metadata::File),
        Just(o::Metadata::Text),
        Just(o::Metadata::Audio),
        (
            0usize..5000,
            0usize..5000,
            prop::option::of(prop::collection::vec(any::<u8>(), 0..8)),
            prop::option::of(any::<bool>())
        )
            .prop_map(|(width, height, thumbhash, animated)| o::Metadata::Image {
                width,
                height,
                thumbhash,
                animated
            }),
        (0usize..5000, 0usize..5000)
            .prop_map(|(width, height)| o::Metadata::Video { width, height }),
    ]
}

fn file() -> impl Strategy<Value = o::File> {
    (
        text(),
        prop::sample::select(vec!["avatars", "attachments", "icons"]),
        text(),
        metadata(),
        0isize..1 << 30,
        prop::option::of(any::<bool>()),
        prop::option::of(ulid()),
    )
        .prop_map(
            |(id, tag, filename, metadata, size, deleted, user_id)| o::File {
                id,
                tag: tag.into(),
                filename,
                metadata,
                content_type: "image/png".into(),
                size,
                deleted,
                reported: None,
                message_id: None,
                user_id,
                server_id: None,
                object_id: None,
            },
        )
}

fn member() -> impl Strategy<Value = o::Member> {
    (
        ulid(),
        ulid(),
        timestamp(),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(file()),
        prop::collection::vec(ulid(), 0..4),
        prop::option::of(timestamp()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                server,
                user,
                joined_at,
                nickname,
                pronouns,
                avatar,
                roles,
                timeout,
                can_publish,
                can_receive,
            )| {
                o::Member {
                    id: o::MemberCompositeKey { server, user },
                    joined_at,
                    nickname,
                    pronouns,
                    avatar,
                    roles,
                    timeout,
                    can_publish,
                    can_receive,
                }
            },
        )
}

fn partial_member() -> impl Strategy<Value = o::PartialMember> {
    (
        prop::option::of(timestamp()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(file()),
        prop::option::of(prop::collection::vec(ulid(), 0..3)),
        prop::option::of(timestamp()),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(joined_at, nickname, pronouns, avatar, roles, timeout, can_publish, can_receive)| {
                o::PartialMember {
                    id: None,
                    joined_at,
                    nickname,
                    pronouns,
                    avatar,
                    roles,
                    timeout,
                    can_publish,
                    can_receive,
                }
            },
        )
}

fn relationship() -> impl Strategy<Value = o::RelationshipStatus> {
    prop::sample::select(vec![
        o::RelationshipStatus::None,
        o::RelationshipStatus::User,
        o::RelationshipStatus::Friend,
        o::RelationshipStatus::Outgoing,
        o::RelationshipStatus::Incoming,
        o::RelationshipStatus::Blocked,
        o::RelationshipStatus::BlockedOther,
    ])
}

fn user() -> impl Strategy<Value = o::User> {
    (
        (
            ulid(),
            text(),
            "[0-9]{4}",
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(file()),
        ),
        (
            prop::collection::vec((ulid(), relationship()), 0..3),
            0u32..2048,
            any::<u32>(),
            prop::option::of((prop::option::of(text()), prop::option::of(0u8..5))),
            any::<bool>(),
            prop::option::of(ulid()),
            relationship(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (id, username, discriminator, display_name, pronouns, avatar),
                (relations, badges, flags, status, privileged, bot, relationship, online),
            )| o::User {
                id,
                username,
                discriminator,
                display_name,
                pronouns,
                avatar,
                relations: relations
                    .into_iter()
                    .map(|(user_id, status)| o::Relationship { user_id, status })
                    .collect(),
                badges,
                flags,
                status: status.map(|(text, p)| o::UserStatus {
                    text,
                    presence: p.map(|p| match p {
                        0 => o::Presence::Online,
                        1 => o::Presence::Idle,
                        2 => o::Presence::Focus,
                        3 => o::Presence::Busy,
                        _ => o::Presence::Invisible,
                    }),
                }),
                privileged,
                bot: bot.map(|owner_id| o::BotInformation { owner_id }),
                relationship,
                online,
            },
        )
}

fn override_field() -> impl Strategy<Value = OverrideField> {
    (any::<i64>(), any::<i64>()).prop_map(|(a, d)| OverrideField { a, d })
}

fn role() -> impl Strategy<Value = o::Role> {
    (
        ulid(),
        text(),
        override_field(),
        prop::option::of("#[0-9a-f]{6}"),
        any::<bool>(),
        any::<i64>(),
        prop::option::of(file()),
        prop::option::of(ulid()),
    )
        .prop_map(
            |(id, name, permissions, colour, hoist, rank, icon, owner)| o::Role {
                id,
                name,
                permissions,
                colour,
                hoist,
                rank,
                icon,
                owner,
            },
        )
}

fn server() -> impl Strategy<Value = o::Server> {
    (
        (
            ulid(),
            ulid(),
            text(),
            prop::option::of(text()),
            prop::collection::vec(ulid(), 0..3),
        ),
        (
            prop::collection::vec(role(), 0..3),
            any::<i64>(),
            prop::option::of(file()),
            0u32..4,
            any::<bool>(),
            any::<bool>(),
            0usize..100_000,
        ),
        prop::option::of(prop::collection::vec(
            ("[a-z]{1,8}", text(), prop::collection::vec(ulid(), 0..2)),
            0..2,
        )),
        prop::option::of((prop::option::of(ulid()), prop::option::of(ulid()))),
    )
        .prop_map(
            |(
                (id, owner, name, description, channels),
                (
                    roles,
                    default_permissions,
                    icon,
                    flags,
                    nsfw,
                    discoverable,
                    approximate_member_count,
                ),
                categories,
                system,
            )| o::Server {
                id,
                owner,
                name,
                description,
                channels,
                categories: categories.map(|c| {
                    c.into_iter()
                        .map(|(id, title, channels)| o::Category {
                            id,
                            title,
                            channels,
                        })
                        .collect()
                }),
                system_messages: system.map(|(user_joined, user_left)| o::SystemMessageChannels {
                    user_joined,
                    user_left,
                    user_kicked: None,
                    user_banned: None,
                }),
                roles: roles.into_iter().map(|r| (r.id.clone(), r)).collect(),
                default_permissions,
                icon,
                banner: None,
                flags,
                nsfw,
                analytics: false,
                discoverable,
                approximate_member_count,
            },
        )
}

fn channel() -> impl Strategy<Value = o::Channel> {
    prop_oneof![
        (ulid(), ulid()).prop_map(|(id, user)| o::Channel::SavedMessages { id, user }),
        (
            ulid(),
            any::<bool>(),
            ulid(),
            ulid(),
            prop::option::of(ulid())
        )
            .prop_map(|(id, active, a, b, last_message_id)| {
                o::Channel::DirectMessage {
                    id,
                    active,
                    recipients: vec![a, b],
                    last_message_id,
                }
            }),
        (
            ulid(),
            text(),
            ulid(),
            prop::option::of(text()),
            prop::collection::vec(ulid(), 0..3),
            prop::option::of(any::<i64>()),
            any::<bool>()
        )
            .prop_map(
                |(id, name, owner, description, recipients, permissions, nsfw)| o::Channel::Group {
                    id,
                    name,
                    owner,
                    description,
                    recipients,
                    icon: None,
                    last_message_id: None,
                    permissions,
                    nsfw,
                }
            ),
        (
            (
                ulid(),
                ulid(),
                text(),
                prop::option::of(text()),
                prop::option::of(ulid())
            ),
            (
                prop::option::of(override_field()),
                prop::collection::vec((ulid(), override_field()), 0..3),
                any::<bool>(),
                prop::option::of(prop::option::of(1usize..100)),
                prop::option::of(0u64..21_600)
            ),
        )
            .prop_map(
                |(
                    (id, server, name, description, last_message_id),
                    (default_permissions, role_permissions, nsfw, voice, slowmode),
                )| o::Channel::TextChannel {
                    id,
                    server,
                    name,
                    description,
                    icon: None,
                    last_message_id,
                    default_permissions,
                    role_permissions: role_permissions.into_iter().collect::<HashMap<_, _>>(),
                    nsfw,
                    voice: voice.map(|max_users| o::VoiceInformation { max_users }),
                    slowmode,
                }
            ),
    ]
}

fn message() -> impl Strategy<Value = o::Message> {
    (
        (
            ulid(),
            prop::option::of(text()),
            ulid(),
            ulid(),
            prop::option::of(user()),
            prop::option::of(member()),
        ),
        (
            prop::option::of(text()),
            prop::option::of(prop::collection::vec(file(), 0..2)),
            prop::option::of(timestamp()),
            prop::option::of(prop::collection::vec(ulid(), 0..2)),
            prop::option::of(prop::collection::vec(ulid(), 0..2)),
            prop::option::of((prop::option::of(text()), prop::option::of(text()))),
            prop::option::of(any::<bool>()),
            any::<u32>(),
        ),
        prop::option::of((ulid(), ulid(), prop::option::of(timestamp()))),
    )
        .prop_map(
            |(
                (id, nonce, channel, author, user, member),
                (content, attachments, edited, mentions, replies, masquerade, pinned, flags),
                system,
            )| o::Message {
                id,
                nonce,
                channel,
                author,
                user,
                member,
                webhook: None,
                content,
                system: system.map(|(a, b, finished_at)| match finished_at {
                    Some(_) => o::SystemMessage::CallStarted { by: a, finished_at },
                    None => o::SystemMessage::UserAdded { id: a, by: b },
                }),
                attachments,
                edited,
                embeds: None,
                mentions,
                role_mentions: None,
                replies,
                reactions: Default::default(),
                interactions: Default::default(),
                masquerade: masquerade.map(|(name, avatar)| o::Masquerade {
                    name,
                    avatar,
                    colour: None,
                }),
                pinned,
                flags,
            },
        )
}

fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u32 {
    let mut runner = TestRunner::new(ProptestConfig {
        cases,
        ..ProptestConfig::default()
    });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
    cases
}

#[test]
fn models_round_trip() {
    let mut total = 0;
    total += run(500, file(), |v| same::<_, ermine_model::file::File>(&v));
    total += run(500, member(), |v| {
        same::<_, ermine_model::member::Member>(&v)
    });
    total += run(500, partial_member(), |v| {
        same::<_, ermine_model::member::PartialMember>(&v)
    });
    total += run(500, user(), |v| same::<_, ermine_model::user::User>(&v));
    total += run(500, role(), |v| same::<_, ermine_model::server::Role>(&v));
    total += run(300, server(), |v| {
        same::<_, ermine_model::server::Server>(&v)
    });
    total += run(500, channel(), |v| {
        same::<_, ermine_model::channel::Channel>(&v)
    });
    total += run(300, message(), |v| {
        same::<_, ermine_model::message::Message>(&v)
    });
    total += run(
        200,
        (member(), prop::collection::vec(role(), 0..3)),
        |(m, roles)| {
            same::<_, ermine_model::member::MemberResponse>(&o::MemberResponse::Member(m.clone()))?;
            let with = o::MemberResponse::MemberWithRoles {
                member: m,
                roles: roles.into_iter().map(|r| (r.id.clone(), r)).collect(),
            };
            same::<_, ermine_model::member::MemberResponse>(&with)
        },
    );
    total += run(
        200,
        (
            prop::collection::vec(member(), 0..3),
            prop::collection::vec(user(), 0..3),
        ),
        |(members, users)| {
            same::<_, ermine_model::member::AllMemberResponse>(&o::AllMemberResponse {
                members,
                users,
            })
        },
    );
    total += run(
        200,
        (
            prop::collection::vec(message(), 0..3),
            prop::collection::vec(user(), 0..2),
            prop::option::of(prop::collection::vec(member(), 0..2)),
        ),
        |(messages, users, members)| {
            same::<_, ermine_model::message::BulkMessageResponse>(
                &o::BulkMessageResponse::JustMessages(messages.clone()),
            )?;
            same::<_, ermine_model::message::BulkMessageResponse>(
                &o::BulkMessageResponse::MessagesAndUsers {
                    messages,
                    users,
                    members,
                },
            )
        },
    );
    total += run(
        200,
        (ulid(), ulid(), prop::option::of(text())),
        |(server, user, reason)| {
            same::<_, ermine_model::member::ServerBan>(&o::ServerBan {
                id: o::MemberCompositeKey { server, user },
                reason,
            })
        },
    );
    println!("official round trip: {total} generated values, JSON and msgpack");
}

#[test]
fn small_shapes_round_trip() {
    same::<_, ermine_model::user::FlagResponse>(&o::FlagResponse { flags: 4 }).unwrap();
    same::<_, ermine_model::user::MutualResponse>(&o::MutualResponse {
        users: vec!["01M86CDEXVEC1T9JZGTPNYYWGV".into()],
        servers: vec![],
        channels: vec!["01M86CDGJKEQQDSY6RW2KHTPJQ".into()],
    })
    .unwrap();
    same::<_, ermine_model::user::UserProfile>(&o::UserProfile {
        content: Some("hi".into()),
        background: None,
    })
    .unwrap();
    same::<_, ermine_model::channel::JoinCallResponse>(&o::CreateVoiceUserResponse {
        token: "t".into(),
        url: "wss://x".into(),
    })
    .unwrap();
    for f in [
        o::FieldsMember::Nickname,
        o::FieldsMember::Pronouns,
        o::FieldsMember::Avatar,
        o::FieldsMember::Roles,
        o::FieldsMember::Timeout,
        o::FieldsMember::CanReceive,
        o::FieldsMember::CanPublish,
        o::FieldsMember::JoinedAt,
        o::FieldsMember::VoiceChannel,
    ] {
        let ours: ermine_model::member::FieldsMember =
            serde_json::from_value(serde_json::to_value(&f).unwrap()).unwrap();
        assert!(
            !matches!(ours, ermine_model::member::FieldsMember::Unknown(_)),
            "{f:?}"
        );
        same::<_, ermine_model::member::FieldsMember>(&f).unwrap();
    }
    for r in [
        o::RemovalIntention::Leave,
        o::RemovalIntention::Kick,
        o::RemovalIntention::Ban,
    ] {
        same::<_, ermine_model::member::RemovalIntention>(&r).unwrap();
    }
    let report = o::ReportedContent::User {
        id: "01M86CDEXVEC1T9JZGTPNYYWGV".into(),
        report_reason: o::UserReportReason::SpamAbuse,
        message_id: None,
    };
    same::<_, ermine_model::report::ReportedContent>(&report).unwrap();
    let report = o::ReportedContent::Message {
        id: "01M86CDEXVEC1T9JZGTPNYYWGV".into(),
        report_reason: o::ContentReportReason::Malware,
    };
    same::<_, ermine_model::report::ReportedContent>(&report).unwrap();
}

#[test]
fn request_bodies_are_what_the_server_reads() {
    // ermine's edit body must deserialize into the server's `DataMemberEdit`.
    let ours = ermine_model::member::MemberEditBody {
        nickname: Some("Bobby".into()),
        roles: Some(vec!["01M86CE2V81XCYGEGXRYKRWV6T".parse().unwrap()]),
        timeout: Some(ermine_model::Timestamp::from_unix_millis(1_795_510_821_029)),
        remove: vec![
            ermine_model::member::FieldsMember::Avatar,
            ermine_model::member::FieldsMember::CanPublish,
        ],
        ..Default::default()
    };
    let theirs: o::DataMemberEdit =
        serde_json::from_value(serde_json::to_value(&ours).unwrap()).unwrap();
    assert_eq!(theirs.nickname.as_deref(), Some("Bobby"));
    assert_eq!(
        theirs.timeout.unwrap().to_unix_timestamp_ms(),
        1_795_510_821_029
    );
    assert_eq!(
        theirs.remove,
        vec![o::FieldsMember::Avatar, o::FieldsMember::CanPublish]
    );
    let empty: o::DataMemberEdit = serde_json::from_value(
        serde_json::to_value(ermine_model::member::MemberEditBody::default()).unwrap(),
    )
    .unwrap();
    assert!(empty.remove.is_empty() && empty.nickname.is_none());
}

fn event_json() -> impl Strategy<Value = Value> {
    let member_update = (
        ulid(),
        ulid(),
        partial_member(),
        prop::collection::vec(
            prop::sample::select(vec![
                o::FieldsMember::Nickname,
                o::FieldsMember::Timeout,
                o::FieldsMember::Roles,
                o::FieldsMember::CanPublish,
                o::FieldsMember::Avatar,
            ]),
            0..3,
        ),
    )
        .prop_map(|(server, user, data, clear)| {
            json!({"type": "ServerMemberUpdate",
            "id": o::MemberCompositeKey { server, user }, "data": data, "clear": clear})
        });
    let join = member().prop_map(
        |m| json!({"type": "ServerMemberJoin", "id": m.id.server, "user": m.id.user, "member": m}),
    );
    let leave = (ulid(), ulid(), prop::sample::select(vec![o::RemovalIntention::Leave, o::RemovalIntention::Kick, o::RemovalIntention::Ban]))
        .prop_map(|(id, user, reason)| json!({"type": "ServerMemberLeave", "id": id, "user": user, "reason": reason}));
    let role_update = (ulid(), role(), prop::collection::vec(prop::sample::select(vec![o::FieldsRole::Colour, o::FieldsRole::Icon]), 0..2))
        .prop_map(|(server, role, clear)| {
            let data = o::PartialRole { id: None, name: Some(role.name), permissions: Some(role.permissions), colour: role.colour,
                hoist: Some(role.hoist), rank: Some(role.rank), icon: None, owner: None };
            json!({"type": "ServerRoleUpdate", "id": server, "role_id": role.id, "data": data, "clear": clear})
        });
    let role_delete = (ulid(), ulid()).prop_map(
        |(id, role_id)| json!({"type": "ServerRoleDelete", "id": id, "role_id": role_id}),
    );
    let ranks = (ulid(), prop::collection::vec(ulid(), 0..4))
        .prop_map(|(id, ranks)| json!({"type": "ServerRoleRanksUpdate", "id": id, "ranks": ranks}));
    let user_update = (ulid(), prop::option::of(any::<bool>()), prop::option::of(text()))
        .prop_map(|(id, online, display_name)| {
            let data = o::PartialUser { online, display_name, ..Default::default() };
            json!({"type": "UserUpdate", "id": id, "data": data, "clear": [o::FieldsUser::Avatar], "event_id": null})
        });
    let relationship = (ulid(), user())
        .prop_map(|(id, user)| json!({"type": "UserRelationship", "id": id, "user": user}));
    let channel_create = channel().prop_map(|c| {
        let mut v = serde_json::to_value(c).unwrap();
        v["type"] = json!("ChannelCreate");
        v
    });
    let message = message().prop_map(|m| {
        let mut v = serde_json::to_value(m).unwrap();
        v["type"] = json!("Message");
        v
    });
    let server_create = (server(), prop::collection::vec(channel(), 0..2))
        .prop_map(|(s, channels)| json!({"type": "ServerCreate", "id": s.id, "server": s, "channels": channels, "emojis": []}));
    let ready = (
        prop::collection::vec(user(), 0..2),
        prop::collection::vec(server(), 0..2),
        prop::collection::vec(channel(), 0..2),
        prop::collection::vec(member(), 0..2),
    )
        .prop_map(|(users, servers, channels, members)| {
            json!({"type": "Ready", "users": users, "servers": servers,
            "channels": channels, "members": members, "emojis": []})
        });
    let simple = prop_oneof![
        Just(json!({"type": "Authenticated"})),
        Just(json!({"type": "Logout"})),
        (0u64..1 << 53).prop_map(|n| json!({"type": "Pong", "data": n})),
        (ulid(), ulid())
            .prop_map(|(id, user)| json!({"type": "ChannelStartTyping", "id": id, "user": user})),
        (ulid(), ulid(), ulid()).prop_map(
            |(id, user, m)| json!({"type": "ChannelAck", "id": id, "user": user, "message_id": m})
        ),
        ulid().prop_map(|id| json!({"type": "ServerDelete", "id": id})),
        Just(json!({"type": "Error", "data": {"type": "InvalidSession"}})),
    ];
    let single = prop_oneof![
        member_update,
        join,
        leave,
        role_update,
        role_delete,
        ranks,
        user_update,
        relationship,
        channel_create,
        message,
        server_create,
        ready,
        simple
    ];
    prop_oneof![
        3 => single.clone(),
        1 => prop::collection::vec(single, 0..4).prop_map(|v| json!({"type": "Bulk", "v": v})),
    ]
}

#[test]
fn events_round_trip() {
    let cases = run(1500, event_json(), |v| {
        let event: ServerEvent = serde_json::from_value(v.clone())
            .map_err(|e| TestCaseError::fail(format!("{e}: {v}")))?;
        prop_assert!(
            !matches!(event, ServerEvent::Unknown(_)),
            "known event decoded as Unknown: {}",
            v
        );
        prop_assert_eq!(serde_json::to_value(&event).unwrap(), v.clone());
        // msgpack: the same event through the binary encoding.
        let packed = rmp_serde::to_vec_named(&event).unwrap();
        let back: ServerEvent = rmp_serde::from_slice(&packed)
            .map_err(|e| TestCaseError::fail(format!("msgpack: {e}")))?;
        prop_assert_eq!(back, event);
        Ok(())
    });
    println!("events: {cases} generated events (and bulks), JSON and msgpack");
}

fn a_file() -> o::File {
    o::File {
        id: "f1".into(),
        tag: "attachments".into(),
        filename: "a.png".into(),
        metadata: o::Metadata::Image {
            width: 2,
            height: 3,
            thumbhash: Some(vec![1, 2]),
            animated: Some(true),
        },
        content_type: "image/png".into(),
        size: 10,
        deleted: None,
        reported: Some(false),
        message_id: Some("01M86CF0EFDK2MZVKTHSYQ4AF9".into()),
        user_id: None,
        server_id: None,
        object_id: None,
    }
}

const A: &str = "01M86CDEXVEC1T9JZGTPNYYWGV";
const B: &str = "01M86CDGJKEQQDSY6RW2KHTPJQ";
const C: &str = "01M86CDRZC9YVCV9K979HDVTHQ";

#[test]
fn remaining_models_round_trip() {
    use ermine_model as m;
    same::<_, m::emoji::Emoji>(&o::Emoji {
        id: A.into(),
        parent: o::EmojiParent::Server { id: C.into() },
        creator_id: B.into(),
        name: "cat".into(),
        animated: true,
        nsfw: false,
    })
    .unwrap();
    same::<_, m::emoji::Emoji>(&o::Emoji {
        id: A.into(),
        parent: o::EmojiParent::Detached,
        creator_id: B.into(),
        name: "cat".into(),
        animated: false,
        nsfw: true,
    })
    .unwrap();
    for embed in [
        o::Embed::None,
        o::Embed::Text(o::Text {
            icon_url: Some("i".into()),
            url: None,
            title: Some("t".into()),
            description: Some("d".into()),
            media: Some(a_file()),
            colour: Some("red".into()),
        }),
        o::Embed::Image(o::Image {
            url: "u".into(),
            width: 1,
            height: 2,
            size: o::ImageSize::Preview,
        }),
        o::Embed::Video(o::Video {
            url: "u".into(),
            width: 1,
            height: 2,
        }),
        o::Embed::Website(o::WebsiteMetadata {
            url: Some("u".into()),
            original_url: None,
            special: Some(o::Special::YouTube {
                id: "x".into(),
                creator_name: None,
                creator_url: None,
                timestamp: None,
            }),
            title: Some("t".into()),
            description: None,
            image: Some(o::Image {
                url: "u".into(),
                width: 1,
                height: 2,
                size: o::ImageSize::Large,
            }),
            video: None,
            site_name: Some("s".into()),
            icon_url: None,
            colour: None,
        }),
    ] {
        same::<_, m::embed::Embed>(&embed).unwrap();
    }
    let invite = o::Invite::Server {
        code: "yW08FE9T".into(),
        server: C.into(),
        creator: A.into(),
        channel: B.into(),
        max_uses: Some(3),
        uses: 1,
        expires: Some(OfficialTimestamp::from_unix_timestamp_ms(1_795_510_821_029)),
    };
    same::<_, m::invite::Invite>(&invite).unwrap();
    same::<_, m::invite::Invite>(&o::Invite::Group {
        code: "g".into(),
        creator: A.into(),
        channel: B.into(),
        max_uses: None,
        uses: 0,
        expires: None,
    })
    .unwrap();
    same::<_, m::channel::ChannelUnread>(&o::ChannelUnread {
        id: o::ChannelCompositeKey {
            channel: A.into(),
            user: B.into(),
        },
        last_id: Some(C.into()),
        mentions: vec![A.into()],
    })
    .unwrap();
    same::<_, m::server::PartialServer>(&o::PartialServer {
        name: Some("n".into()),
        description: Some("d".into()),
        default_permissions: Some(-1),
        flags: Some(2),
        discoverable: Some(true),
        ..Default::default()
    })
    .unwrap();
    same::<_, m::server::PartialRole>(&o::PartialRole {
        name: Some("r".into()),
        permissions: Some(OverrideField { a: 5, d: -3 }),
        colour: Some("blue".into()),
        hoist: Some(true),
        rank: Some(4),
        icon: Some(a_file()),
        owner: Some(A.into()),
        id: None,
    })
    .unwrap();
    same::<_, m::user::PartialUser>(&o::PartialUser {
        username: Some("u".into()),
        avatar: Some(a_file()),
        badges: Some(256),
        flags: Some(1),
        online: Some(true),
        status: Some(o::UserStatus {
            text: Some("t".into()),
            presence: Some(o::Presence::Busy),
        }),
        relationship: Some(o::RelationshipStatus::Friend),
        ..Default::default()
    })
    .unwrap();
    same::<_, m::channel::PartialChannel>(&o::PartialChannel {
        name: Some("c".into()),
        description: Some("d".into()),
        nsfw: Some(true),
        permissions: Some(7),
        role_permissions: Some(HashMap::from([(
            A.to_owned(),
            OverrideField { a: 1, d: 2 },
        )])),
        default_permissions: Some(OverrideField { a: 0, d: 4 }),
        last_message_id: Some(B.into()),
        voice: Some(o::VoiceInformation { max_users: Some(4) }),
        slowmode: Some(30),
        ..Default::default()
    })
    .unwrap();
    same::<_, m::message::PartialMessage>(&o::PartialMessage {
        content: Some("x".into()),
        edited: Some(OfficialTimestamp::from_unix_timestamp_ms(5)),
        pinned: Some(true),
        ..Default::default()
    })
    .unwrap();
    same::<_, m::channel::ChannelVoiceState>(&o::ChannelVoiceState {
        id: A.into(),
        participants: vec![o::UserVoiceState {
            id: B.into(),
            joined_at: OfficialTimestamp::from_unix_timestamp_ms(9),
            is_receiving: true,
            is_publishing: false,
            screensharing: false,
            camera: true,
        }],
    })
    .unwrap();
    // Request body: the server's `DataJoinCall` reads what ermine writes (ermine omits unset
    // options where the official type writes null).
    let ours = m::channel::JoinCallBody {
        node: Some("n".into()),
        force_disconnect: Some(true),
        recipients: Some(vec![A.parse().unwrap()]),
    };
    let theirs: o::DataJoinCall =
        serde_json::from_value(serde_json::to_value(&ours).unwrap()).unwrap();
    assert_eq!(
        (
            theirs.node.as_deref(),
            theirs.force_disconnect,
            theirs.recipients
        ),
        (Some("n"), Some(true), Some(vec![A.to_owned()]))
    );
    let theirs: o::DataJoinCall =
        serde_json::from_value(serde_json::to_value(m::channel::JoinCallBody::default()).unwrap())
            .unwrap();
    assert!(theirs.node.is_none() && theirs.recipients.is_none());
    let ban = o::BanListResult {
        users: vec![o::BannedUser {
            id: A.into(),
            username: "u".into(),
            discriminator: "0001".into(),
            avatar: None,
        }],
        bans: vec![o::ServerBan {
            id: o::MemberCompositeKey {
                server: C.into(),
                user: A.into(),
            },
            reason: None,
        }],
    };
    same::<_, m::member::BanListResult>(&ban).unwrap();
}

#[test]
fn remaining_events_round_trip() {
    let events = [
        json!({"type": "MessageUpdate", "id": A, "channel": B, "data": o::PartialMessage { content: Some("e".into()), ..Default::default() }, "clear": [o::FieldsMessage::Pinned]}),
        json!({"type": "MessageAppend", "id": A, "channel": B, "append": o::AppendMessage { embeds: Some(vec![o::Embed::None]) }}),
        json!({"type": "MessageDelete", "id": A, "channel": B}),
        json!({"type": "MessageReact", "id": A, "channel_id": B, "user_id": C, "emoji_id": "😀"}),
        json!({"type": "MessageUnreact", "id": A, "channel_id": B, "user_id": C, "emoji_id": "😀"}),
        json!({"type": "MessageRemoveReaction", "id": A, "channel_id": B, "emoji_id": "😀"}),
        json!({"type": "BulkMessageDelete", "channel": B, "ids": [A, C]}),
        json!({"type": "ServerUpdate", "id": C, "data": o::PartialServer { name: Some("n".into()), ..Default::default() }, "clear": [o::FieldsServer::Icon]}),
        json!({"type": "ChannelUpdate", "id": B, "data": o::PartialChannel { name: Some("c".into()), ..Default::default() }, "clear": [o::FieldsChannel::Voice]}),
        json!({"type": "ChannelDelete", "id": B}),
        json!({"type": "ChannelGroupJoin", "id": B, "user": A}),
        json!({"type": "ChannelGroupLeave", "id": B, "user": A}),
        json!({"type": "ChannelStopTyping", "id": B, "user": A}),
        json!({"type": "UserPlatformWipe", "user_id": A, "flags": 4}),
        json!({"type": "UserSettingsUpdate", "id": A, "update": {"theme": [1, "{}"]}}),
        json!({"type": "EmojiCreate", "_id": A, "parent": {"type": "Server", "id": C}, "creator_id": B, "name": "x"}),
        json!({"type": "EmojiDelete", "id": A}),
        json!({"type": "UserSlowmodes", "slowmodes": [o::ChannelSlowmode { channel_id: B.into(), duration: 10, retry_after: 3 }]}),
        json!({"type": "UserVoiceStateUpdate", "id": A, "channel_id": B, "data": {"is_publishing": true}}),
        json!({"type": "VoiceChannelJoin", "id": B, "state": o::UserVoiceState { id: A.into(), joined_at: OfficialTimestamp::from_unix_timestamp_ms(9), is_receiving: true, is_publishing: true, screensharing: false, camera: false }}),
        json!({"type": "VoiceChannelLeave", "id": B, "user": A}),
        json!({"type": "VoiceChannelMove", "user": A, "from": B, "to": C, "state": o::UserVoiceState { id: A.into(), joined_at: OfficialTimestamp::from_unix_timestamp_ms(9), is_receiving: true, is_publishing: true, screensharing: false, camera: false }}),
        json!({"type": "UserMoveVoiceChannel", "node": "n", "from": B, "to": C, "token": "t"}),
        json!({"type": "VoiceCallUpdate", "initiator_id": A, "channel_id": B, "started_at": null, "ended": true}),
        json!({"type": "Ready", "users": [], "voice_states": [], "channel_unreads": [], "policy_changes": [], "user_settings": {}}),
    ];
    for v in events {
        let event: ServerEvent =
            serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"));
        assert!(!matches!(event, ServerEvent::Unknown(_)), "{v}");
        assert_eq!(serde_json::to_value(&event).unwrap(), v);
        let back: ServerEvent =
            rmp_serde::from_slice(&rmp_serde::to_vec_named(&event).unwrap()).unwrap();
        assert_eq!(back, event);
    }
    for v in [
        json!({"type": "Authenticate", "token": "secret"}),
        json!({"type": "BeginTyping", "channel": B}),
        json!({"type": "EndTyping", "channel": B}),
        json!({"type": "Subscribe", "server_id": C}),
        json!({"type": "Ping", "data": 0}),
        json!({"type": "Ping", "data": [1, 2]}),
    ] {
        let event: ermine_model::event::ClientEvent = serde_json::from_value(v.clone()).unwrap();
        assert!(
            !format!("{event:?}").contains("secret"),
            "tokens never in Debug output"
        );
        assert_eq!(serde_json::to_value(&event).unwrap(), v);
    }
}
