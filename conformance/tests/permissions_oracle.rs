//! ermine's permission calculator against the official `revolt-permissions` 0.16.2 algorithms,
//! driven through its `PermissionQuery` trait over generated servers, roles, members and
//! channels. Every bit must agree.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use ermine_model::channel::{Channel, DirectMessage, Group, SavedMessages, TextChannel};
use ermine_model::id::{ChannelId, RoleId, ServerId, UserId};
use ermine_model::member::Member;
use ermine_model::permission::{
    ChannelScope, Override, Permissions, Perspective, TargetUser, channel_permissions,
    server_permissions, user_permissions,
};
use ermine_model::server::{Role, Server, ServerFlags};
use ermine_model::user::RelationshipStatus;
use ermine_model::{MemberId, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use revolt_permissions as official;

const NOW: i64 = 1_795_510_821_029;

fn uid(n: u128) -> UserId {
    UserId::from_u128(n << 80 | 0xABCD).expect("id")
}

#[derive(Debug, Clone)]
struct Scenario {
    who: Perspective,
    server: Server,
    member: Option<Member>,
    channel: TextChannel,
    private: Channel,
    target: TargetUser,
}

/// The official query, answering from the generated scenario. Role ordering follows the
/// server's database code: the server's roles that the member has, by rank, largest first.
struct Query<'a> {
    s: &'a Scenario,
    channel: &'a Channel,
}

fn relationship(r: &RelationshipStatus) -> official::RelationshipStatus {
    match r {
        RelationshipStatus::User => official::RelationshipStatus::User,
        RelationshipStatus::Friend => official::RelationshipStatus::Friend,
        RelationshipStatus::Outgoing => official::RelationshipStatus::Outgoing,
        RelationshipStatus::Incoming => official::RelationshipStatus::Incoming,
        RelationshipStatus::Blocked => official::RelationshipStatus::Blocked,
        RelationshipStatus::BlockedOther => official::RelationshipStatus::BlockedOther,
        _ => official::RelationshipStatus::None,
    }
}

fn to_official(o: Override) -> official::Override {
    official::Override {
        allow: o.allow.bits(),
        deny: o.deny.bits(),
    }
}

impl Query<'_> {
    fn member_roles_by_rank(&self) -> Vec<(&RoleId, &Role)> {
        let Some(member) = &self.s.member else {
            return Vec::new();
        };
        let mut roles: Vec<(&RoleId, &Role)> = self
            .s
            .server
            .roles
            .iter()
            .filter(|(id, _)| member.roles.contains(id))
            .collect();
        roles.sort_by_key(|(_, r)| std::cmp::Reverse(r.rank));
        roles
    }
}

#[async_trait::async_trait]
impl official::PermissionQuery for Query<'_> {
    async fn are_we_privileged(&mut self) -> bool {
        self.s.who.privileged
    }
    async fn are_we_a_bot(&mut self) -> bool {
        self.s.who.bot
    }
    async fn are_the_users_same(&mut self) -> bool {
        self.s.who.user == self.s.target.id
    }
    async fn user_relationship(&mut self) -> official::RelationshipStatus {
        relationship(&self.s.target.relationship)
    }
    async fn user_is_bot(&mut self) -> bool {
        self.s.target.bot
    }
    async fn have_mutual_connection(&mut self) -> bool {
        self.s.target.mutual_connection
    }
    async fn are_we_server_owner(&mut self) -> bool {
        self.s.server.owner == self.s.who.user
    }
    async fn are_we_a_member(&mut self) -> bool {
        self.s.member.is_some()
    }
    async fn get_default_server_permissions(&mut self) -> u64 {
        self.s.server.default_permissions.bits()
    }
    async fn get_our_server_role_overrides(&mut self) -> Vec<official::Override> {
        self.member_roles_by_rank()
            .into_iter()
            .map(|(_, r)| to_official(r.permissions))
            .collect()
    }
    async fn are_we_timed_out(&mut self) -> bool {
        self.s
            .member
            .as_ref()
            .and_then(|m| m.timeout)
            .is_some_and(|t| t.unix_millis() > NOW)
    }
    async fn do_we_have_publish_overwrites(&mut self) -> bool {
        self.s.member.as_ref().is_none_or(|m| m.can_publish)
    }
    async fn do_we_have_receive_overwrites(&mut self) -> bool {
        self.s.member.as_ref().is_none_or(|m| m.can_receive)
    }
    async fn get_channel_type(&mut self) -> official::ChannelType {
        match self.channel {
            Channel::SavedMessages(_) => official::ChannelType::SavedMessages,
            Channel::DirectMessage(_) => official::ChannelType::DirectMessage,
            Channel::Group(_) => official::ChannelType::Group,
            Channel::TextChannel(_) => official::ChannelType::ServerChannel,
            _ => official::ChannelType::Unknown,
        }
    }
    async fn get_default_channel_permissions(&mut self) -> official::Override {
        match self.channel {
            Channel::TextChannel(c) => to_official(c.default_permissions.unwrap_or_default()),
            Channel::Group(g) => official::Override {
                allow: g
                    .permissions
                    .map_or(*official::DEFAULT_PERMISSION_DIRECT_MESSAGE, |p| p.bits()),
                deny: 0,
            },
            _ => official::Override { allow: 0, deny: 0 },
        }
    }
    async fn get_our_channel_role_overrides(&mut self) -> Vec<official::Override> {
        let Channel::TextChannel(c) = self.channel else {
            return Vec::new();
        };
        self.member_roles_by_rank()
            .into_iter()
            .filter_map(|(id, _)| c.role_permissions.get(id).copied().map(to_official))
            .collect()
    }
    async fn do_we_own_the_channel(&mut self) -> bool {
        match self.channel {
            Channel::SavedMessages(c) => c.user == self.s.who.user,
            Channel::Group(g) => g.owner == self.s.who.user,
            _ => false,
        }
    }
    async fn are_we_part_of_the_channel(&mut self) -> bool {
        match self.channel {
            Channel::DirectMessage(c) => c.recipients.contains(&self.s.who.user),
            Channel::Group(g) => g.recipients.contains(&self.s.who.user),
            _ => false,
        }
    }
    async fn set_recipient_as_user(&mut self) {}
    async fn set_server_from_channel(&mut self) {}
}

fn bits() -> impl Strategy<Value = Permissions> {
    prop_oneof![
        any::<u64>().prop_map(Permissions::from_bits_retain),
        (0u64..1 << 42).prop_map(Permissions::from_bits_retain),
        Just(Permissions::DEFAULT_SERVER),
        Just(Permissions::empty()),
    ]
}

fn an_override() -> impl Strategy<Value = Override> {
    (bits(), bits()).prop_map(|(a, d)| Override::new(a, d))
}

fn relationship_status() -> impl Strategy<Value = RelationshipStatus> {
    prop::sample::select(RelationshipStatus::KNOWN.to_vec())
}

prop_compose! {
    fn scenario()(
        privileged in prop::bool::weighted(0.05),
        bot in any::<bool>(),
        owner_is_me in prop::bool::weighted(0.1),
        default_permissions in bits(),
        roles in prop::collection::vec((an_override(), any::<bool>(), any::<bool>()), 0..6),
        rank_seed in prop::collection::vec(any::<i64>(), 6),
        member_kind in 0u8..6,
        stale_role in any::<bool>(),
        duplicate_role in any::<bool>(),
        timeout in prop_oneof![Just(None), (-100_000i64..100_000).prop_map(Some)],
        can_publish in any::<bool>(),
        can_receive in any::<bool>(),
        channel_default in prop::option::of(an_override()),
        channel_role_overrides in prop::collection::vec(prop::option::of(an_override()), 7),
        private_kind in 0u8..7,
        group_permissions in prop::option::of(bits()),
        target_relationship in relationship_status(),
        target_bot in any::<bool>(),
        mutual in any::<bool>(),
    ) -> Scenario {
        let me = uid(1);
        let other = uid(2);
        let server_id = ServerId::from_u128(9 << 80).expect("id");
        // Distinct ranks: with equal ranks the server's order is that of a hash map.
        let mut ranks: Vec<i64> = rank_seed.iter().map(|r| r / 4).collect();
        ranks.sort_unstable();
        ranks.dedup();
        let mut server_roles = HashMap::new();
        let mut member_roles = Vec::new();
        for (i, ((permissions, hoist, has), rank)) in roles.iter().zip(&ranks).enumerate() {
            let id = RoleId::from_u128(((100 + i) as u128) << 80).expect("id");
            server_roles.insert(id, Role { id, name: format!("r{i}"), permissions: *permissions, colour: None,
                hoist: *hoist, rank: *rank, icon: None, owner: None });
            if *has { member_roles.push(id); }
        }
        let stale = RoleId::from_u128(999 << 80).expect("id");
        if stale_role { member_roles.push(stale); }
        if duplicate_role && let Some(first) = member_roles.first().copied() { member_roles.push(first); }
        let server = Server {
            id: server_id, owner: if owner_is_me { me } else { other }, name: "s".into(), description: None,
            channels: vec![], categories: None, system_messages: None, roles: server_roles,
            default_permissions, icon: None, banner: None, flags: ServerFlags::default(), nsfw: false,
            analytics: false, discoverable: false, approximate_member_count: 2,
        };
        let member = (member_kind > 0).then(|| Member {
            roles: member_roles,
            timeout: timeout.map(|t| Timestamp::from_unix_millis(NOW + t)),
            can_publish, can_receive,
            ..Member::new(MemberId::new(server_id, me), Timestamp::from_unix_millis(NOW - 1))
        });
        let mut role_ids: Vec<RoleId> = server.roles.keys().copied().collect();
        role_ids.push(stale);
        let role_permissions = role_ids.iter().zip(&channel_role_overrides)
            .filter_map(|(id, o)| o.map(|o| (*id, o))).collect();
        let channel = TextChannel {
            id: ChannelId::from_u128(10 << 80).expect("id"), server: server_id, name: "c".into(),
            description: None, icon: None, last_message_id: None, default_permissions: channel_default,
            role_permissions, nsfw: false, voice: None, slowmode: None,
        };
        let cid = ChannelId::from_u128(11 << 80).expect("id");
        let private = match private_kind {
            0 => Channel::SavedMessages(SavedMessages { id: cid, user: me }),
            1 => Channel::SavedMessages(SavedMessages { id: cid, user: other }),
            2 => Channel::DirectMessage(DirectMessage { id: cid, active: true, recipients: vec![me, other], last_message_id: None }),
            3 => Channel::DirectMessage(DirectMessage { id: cid, active: true, recipients: vec![other, uid(3)], last_message_id: None }),
            4..=6 => Channel::Group(Group {
                id: cid, name: "g".into(), owner: if private_kind == 4 { me } else { other }, description: None,
                recipients: if private_kind == 6 { vec![other] } else { vec![me, other] }, icon: None,
                last_message_id: None, permissions: group_permissions, nsfw: false,
            }),
            _ => unreachable!(),
        };
        Scenario {
            who: Perspective { user: me, privileged, bot },
            server, member, channel, private,
            target: TargetUser { id: other, relationship: target_relationship, bot: target_bot, mutual_connection: mutual },
        }
    }
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    let now = Timestamp::from_unix_millis(NOW);
    let text = Channel::TextChannel(s.channel.clone());

    let mut q = Query { s, channel: &text };
    let want =
        futures_executor::block_on(official::calculate_server_permissions(&mut q)).into_raw();
    let got = server_permissions(&s.who, &s.server, s.member.as_ref(), now).bits();
    prop_assert_eq!(got, want, "server permissions");

    let mut q = Query { s, channel: &text };
    let want =
        futures_executor::block_on(official::calculate_channel_permissions(&mut q)).into_raw();
    let scope = ChannelScope::Server {
        server: &s.server,
        member: s.member.as_ref(),
    };
    let got = channel_permissions(&s.who, &text, scope, now).bits();
    prop_assert_eq!(got, want, "server channel permissions");

    let mut q = Query {
        s,
        channel: &s.private,
    };
    let want =
        futures_executor::block_on(official::calculate_channel_permissions(&mut q)).into_raw();
    let got = channel_permissions(&s.who, &s.private, ChannelScope::Direct(&s.target), now).bits();
    prop_assert_eq!(got, want, "private channel permissions");

    let mut q = Query {
        s,
        channel: &s.private,
    };
    let want = futures_executor::block_on(official::calculate_user_permissions(&mut q)).into_raw();
    let got = user_permissions(&s.who, &s.target).bits();
    prop_assert_eq!(got, want, "user permissions");
    Ok(())
}

#[test]
fn calculator_agrees_with_official() {
    const CASES: u32 = 12_000;
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CASES,
        ..ProptestConfig::default()
    });
    let ran = AtomicUsize::new(0);
    let result = runner.run(&scenario(), |s| {
        ran.fetch_add(1, Ordering::Relaxed);
        check(&s)
    });
    if let Err(e) = result {
        panic!("disagreement with revolt-permissions: {e}");
    }
    let ran = ran.load(Ordering::Relaxed);
    println!(
        "permission oracle: {ran} generated cases, {} comparisons, 0 disagreements",
        ran * 4
    );
    assert!(ran >= CASES as usize);
}

#[test]
fn worked_example_from_the_official_tests() {
    // Default = View + Send + ReadHistory; channel default denies Send; a role allows Upload +
    // React and denies ReadHistory; the channel override for that role denies React.
    let me = uid(1);
    let server_id = ServerId::from_u128(9 << 80).expect("id");
    let role = RoleId::from_u128(100 << 80).expect("id");
    let server = Server {
        id: server_id,
        owner: uid(2),
        name: "s".into(),
        description: None,
        channels: vec![],
        categories: None,
        system_messages: None,
        roles: HashMap::from([(
            role,
            Role {
                id: role,
                name: "r".into(),
                permissions: Override::new(
                    Permissions::UPLOAD_FILES | Permissions::REACT,
                    Permissions::READ_MESSAGE_HISTORY,
                ),
                colour: None,
                hoist: false,
                rank: 0,
                icon: None,
                owner: None,
            },
        )]),
        default_permissions: Permissions::VIEW_CHANNEL
            | Permissions::SEND_MESSAGE
            | Permissions::READ_MESSAGE_HISTORY,
        icon: None,
        banner: None,
        flags: ServerFlags::default(),
        nsfw: false,
        analytics: false,
        discoverable: false,
        approximate_member_count: 1,
    };
    let member = Member {
        roles: vec![role],
        ..Member::new(MemberId::new(server_id, me), Timestamp::from_unix_millis(0))
    };
    let channel = Channel::TextChannel(TextChannel {
        id: ChannelId::from_u128(10 << 80).expect("id"),
        server: server_id,
        name: "c".into(),
        description: None,
        icon: None,
        last_message_id: None,
        default_permissions: Some(Override::new(
            Permissions::empty(),
            Permissions::SEND_MESSAGE,
        )),
        role_permissions: HashMap::from([(
            role,
            Override::new(Permissions::empty(), Permissions::REACT),
        )]),
        nsfw: false,
        voice: None,
        slowmode: None,
    });
    let p = channel_permissions(
        &Perspective::user(me),
        &channel,
        ChannelScope::Server {
            server: &server,
            member: Some(&member),
        },
        Timestamp::from_unix_millis(NOW),
    );
    assert_eq!(p.bits(), 135_266_304);
    assert_eq!(p, Permissions::VIEW_CHANNEL | Permissions::UPLOAD_FILES);
}
