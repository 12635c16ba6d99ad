//! The seed's member surface end to end against the local server: every property and action
//! of `BaseMember`, `PartialMember` and `Member`, and each error type the seed lists for a
//! member method that the server produces.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use std::fmt::Debug;
use std::time::Duration;

use ermine::http::WithOptions;
use ermine::http::error::ErrorKind;
use ermine::http::request::channel::message::send::ReplyTo;
use ermine::model::Timestamp;
use ermine::model::embed::SendableEmbed;
use ermine::model::id::{ChannelId, RoleId, ServerId, UserId};
use ermine::model::patch::Patch;
use ermine::model::permission::{Override, Permissions};
use ermine::model::report::UserReportReason;
use ermine::model::user::RelationshipStatus;
use ermine::{Client, Event};
use ermine_testkit::Fault;
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;

fn bot_client(server: &TestServer, token: &str) -> Client {
    Client::builder()
        .bot_token(token)
        .base_url(server.urls().api.clone())
        .build()
        .unwrap()
}

fn user_client(server: &TestServer, token: &str) -> Client {
    Client::builder()
        .session_token(token)
        .base_url(server.urls().api.clone())
        .build()
        .unwrap()
}

/// What a result is, for the tables: `Ok`, the API error's `type`, `InvalidSession` for a
/// refused token, `Validation` for a request refused before sending, or the facade's error.
fn outcome<T: Debug, E: Into<ermine::Error>>(result: Result<T, E>) -> String {
    match result.map_err(Into::into) {
        Ok(_) => "Ok".to_owned(),
        Err(ermine::Error::Http(e)) if e.is_invalid_session() => "InvalidSession".to_owned(),
        Err(ermine::Error::Http(e)) => match e.kind() {
            ErrorKind::Api { error, .. } => error.type_name().to_owned(),
            ErrorKind::Validation(_) => "Validation".to_owned(),
            ErrorKind::Status => format!("HTTP {}", e.status().unwrap_or(0)),
            other => format!("{other:?}"),
        },
        Err(ermine::Error::NotConnected) => "NotConnected".to_owned(),
        Err(other) => format!("{other:?}"),
    }
}

/// Waits for a typing start (`true`) or stop on a connection.
async fn seen_typing(events: &mut ermine::Events, start: bool) {
    let wait = async {
        loop {
            if let Event::Typing { started, .. } = events.next().await.unwrap().unwrap()
                && started == start
            {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .unwrap_or_else(|_| panic!("typing (started: {start}) within 5 s"));
}

/// Compares a table of (case, outcome, expected) and reports every mismatch at once.
fn check(table: &[(&str, String, &str)]) {
    let wrong: Vec<String> = table
        .iter()
        .filter(|(_, got, want)| got != want)
        .map(|(case, got, want)| format!("{case}: got {got}, want {want}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// An ID no object has.
fn fresh<M>() -> ermine::model::id::Id<M> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    ermine::model::id::Id::new_at(
        Timestamp::now(),
        u128::from(NEXT.fetch_add(1, Ordering::Relaxed)) << 40,
    )
}

struct World {
    server: TestServer,
    guild: ServerId,
    owner: UserId,
    moderator: UserId,
    moderator_token: String,
    bot: UserId,
    bot_token: String,
    alice: UserId,
    alice_token: String,
    bob: UserId,
    bob_token: String,
    carol: UserId,
    stranger: UserId,
    high: RoleId,
    low: RoleId,
    voice: ChannelId,
}

/// A server with its owner, a moderator (kick, ban, timeout, nicknames, roles, voice moves)
/// ranked 1, a bot with the same powers ranked 1, a high role ranked 0, alice and bob
/// (friends) and carol as plain members, and a stranger sharing nothing.
async fn world(config: Config) -> World {
    let server = TestServer::start_with(config).await.unwrap();
    let seed = server.seed();
    let owner = seed.user("owner");
    let moderator = seed.user("moderator");
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let stranger = seed.user("stranger");
    let bot = seed.bot("helper", owner.id);
    let guild = seed.server("G", owner.id);
    let powers = Permissions::KICK_MEMBERS
        | Permissions::BAN_MEMBERS
        | Permissions::TIMEOUT_MEMBERS
        | Permissions::MANAGE_NICKNAMES
        | Permissions::ASSIGN_ROLES
        | Permissions::MUTE_MEMBERS
        | Permissions::DEAFEN_MEMBERS
        | Permissions::MOVE_MEMBERS;
    let high = seed.role(guild.id, "High", 0, Override::default());
    let staff = seed.role(
        guild.id,
        "Staff",
        1,
        Override::new(powers, Permissions::empty()),
    );
    let low = seed.role(guild.id, "Low", 5, Override::default());
    for user in [moderator.id, alice.id, bob.id, carol.id, bot.id] {
        seed.join(guild.id, user);
    }
    seed.assign(guild.id, moderator.id, &[staff]);
    seed.assign(guild.id, bot.id, &[staff]);
    seed.assign(guild.id, alice.id, &[low]);
    seed.assign(guild.id, carol.id, &[high]);
    seed.friends(alice.id, bob.id);
    let voice = seed.channel(guild.id, "Voice", true);
    seed.in_voice(bob.id, voice);
    World {
        guild: guild.id,
        owner: owner.id,
        moderator: moderator.id,
        moderator_token: moderator.token,
        bot: bot.id,
        bot_token: bot.token,
        alice: alice.id,
        alice_token: alice.token,
        bob: bob.id,
        bob_token: bob.token,
        carol: carol.id,
        stranger: stranger.id,
        high,
        low,
        voice,
        server,
    }
}

#[tokio::test]
async fn every_property_reads_the_member_or_the_cache() {
    let w = world(support::config().voice(true)).await;
    let client = user_client(&w.server, &w.alice_token);
    let mut events = support::connected(&client).await;
    client.fetch_members(w.guild).await.unwrap();

    // A handle from IDs alone: identity and the user's properties, no request.
    let bob = client.base_member(w.guild, w.bob);
    assert_eq!((bob.server_id(), bob.user_id()), (w.guild, w.bob));
    assert_eq!(bob.id().user, w.bob);
    assert_eq!(bob.name(), "bob");
    assert_eq!(bob.internal_user().unwrap().id, w.bob);
    assert_eq!(bob.get_user().unwrap().username, "bob");
    assert_eq!(bob.get_server().unwrap().name, "G");
    assert_eq!(bob.relationship(), RelationshipStatus::Friend);
    assert!(!bob.online(), "bob has no events connection");
    assert!(bob.status().is_none());
    assert!(!bob.privileged() && !bob.is_bot() && bob.bot().is_none());
    assert!(bob.bot_owner().is_none() && matches!(bob.get_bot_owner(), Ok(None)));
    assert!(bob.avatar().is_none() && bob.internal_avatar().is_none());
    assert_eq!(bob.badges().bits(), bob.raw_badges());
    assert_eq!(bob.flags().bits(), bob.raw_flags());
    assert!(!bob.is_sentinel());
    // A status and an avatar arrive with the user (here inserted as a fetch would).
    let mut user = bob.get_user().unwrap();
    user.status = Some(ermine::model::user::UserStatus {
        text: Some("busy".to_owned()),
        presence: Some(ermine::model::user::Presence::Busy),
    });
    user.online = true;
    client.cache().insert_user(&user);
    assert_eq!(bob.status().unwrap().text.as_deref(), Some("busy"));
    assert!(bob.online());
    assert!(
        client
            .base_member(w.guild, UserId::sentinel())
            .is_sentinel()
    );
    assert_eq!(bob.client().cache().user(w.bob).unwrap().id, w.bob);

    // The defaulting accessors and the fallible ones on a cache miss.
    let unknown = client.base_member(w.guild, fresh::<ermine::model::id::UserMarker>());
    assert_eq!(
        (unknown.name(), unknown.discriminator()),
        (String::new(), String::new())
    );
    assert_eq!(unknown.tag(), "#");
    assert!(matches!(
        unknown.get_user(),
        Err(ermine::Error::NotCached { what: "user", .. })
    ));
    assert_eq!(unknown.relationship(), RelationshipStatus::None);
    assert!(unknown.status().is_none() && !unknown.online());

    // The bot's owner and bot information.
    let helper = client.member(w.guild, w.bot).unwrap();
    assert_eq!(helper.bot().unwrap().owner, w.owner);
    assert_eq!(helper.bot_owner_id(), Some(w.owner));
    assert_eq!(helper.get_bot_owner().unwrap().unwrap().id, w.owner);
    assert_eq!(helper.bot_owner().unwrap().username, "owner");

    // Member data.
    let carol = client.member(w.guild, w.carol).unwrap();
    assert_eq!(carol.role_ids(), &[w.high]);
    assert_eq!(carol.roles()[0].name, "High");
    assert_eq!(carol.top_role().unwrap().id, w.high);
    assert!(carol.joined_at() <= Timestamp::now());
    assert!(carol.can_publish() && carol.can_receive());
    assert!(carol.timed_out_until().is_none() && !carol.is_timed_out());
    assert!(carol.server_avatar().is_none() && carol.internal_server_avatar().is_none());
    assert_eq!(carol.display_name(), None, "no global display name set");
    assert_eq!(carol.shown_name(), "carol");
    assert_eq!(carol.tag(), format!("carol#{}", carol.discriminator()));
    assert_eq!(carol.mention(), format!("<@{}>", w.carol));
    assert!(carol.default_avatar_url().ends_with("/default_avatar"));
    assert_eq!(carol.to_json()["roles"][0], w.high.to_string());
    let owner = client.member(w.guild, w.owner).unwrap();
    assert!(
        owner.server_permissions().unwrap().is_all()
            || owner
                .server_permissions()
                .unwrap()
                .contains(Permissions::BAN_MEMBERS)
    );
    let alice_member = client.member(w.guild, w.alice).unwrap();
    assert!(
        !alice_member
            .server_permissions()
            .unwrap()
            .contains(Permissions::KICK_MEMBERS)
    );
    // A role the server no longer has is skipped by roles() and top_role().
    let mut stale = alice_member.clone();
    stale.locally_update(
        &alice_member
            .partial()
            .with_role_ids(Patch::Set(vec![fresh(), w.low])),
    );
    assert_eq!(stale.role_ids().len(), 2);
    assert_eq!(stale.roles().len(), 1);
    assert_eq!(stale.top_role().unwrap().id, w.low);

    // locally_update: every field, timeout included; a cleared publish means true.
    let mut local = carol.clone();
    let until = Timestamp::now().saturating_add(Duration::from_mins(1));
    let partial = carol
        .partial()
        .with_nick(Patch::Set("Caz".to_owned()))
        .with_timed_out_until(Patch::Set(until))
        .with_role_ids(Patch::Clear)
        .with_pronouns(Patch::Set("she/her".to_owned()))
        .with_can_publish(Patch::Set(false))
        .with_can_receive(Patch::Clear);
    assert_eq!(partial.pronouns(), Patch::Set("she/her"));
    assert_eq!(partial.nick(), Patch::Set("Caz"));
    assert_eq!(partial.role_ids(), Patch::Clear);
    assert_eq!(partial.timed_out_until(), Patch::Set(until));
    assert_eq!(partial.can_publish(), Patch::Set(false));
    assert_eq!(partial.can_receive(), Patch::Clear);
    assert!(partial.server_avatar().is_unset() && partial.internal_server_avatar().is_unset());
    assert_eq!(
        partial.name(),
        "carol",
        "a partial reads the user like any member"
    );
    local.locally_update(&partial);
    assert_eq!(local.nick(), Some("Caz"));
    assert_eq!(local.pronouns(), Some("she/her"));
    assert_eq!(local.timed_out_until(), Some(until));
    assert!(local.is_timed_out());
    assert!(local.role_ids().is_empty());
    assert!(!local.can_publish() && local.can_receive());
    assert_eq!(local, carol, "identity is unchanged by data");

    // The DM with bob: opened on first use, then cached; messages come from the events.
    assert!(bob.dm_channel_id().is_none() && bob.get_channel_id().is_none());
    assert!(bob.messages().is_empty());
    let sent = bob.send("hi bob").await.unwrap();
    let dm = bob.fetch_channel_id().await.unwrap();
    assert_eq!(sent.channel, dm);
    assert_eq!(
        (bob.dm_channel_id(), bob.pm_id(), bob.get_channel_id()),
        (Some(dm), Some(dm), Some(dm))
    );
    assert_eq!(bob.dm_channel().unwrap().id(), Some(dm));
    assert_eq!(bob.pm().unwrap().id(), Some(dm));
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if matches!(&event, Event::Message(m) if m.id == sent.id) {
            break;
        }
    }
    assert_eq!(bob.messages().last().unwrap().id, sent.id);
    assert_eq!(
        bob.get_message(sent.id).unwrap().content.as_deref(),
        Some("hi bob")
    );
}

#[tokio::test]
async fn every_action_does_what_the_server_expects() {
    let w = world(support::config().voice(true)).await;
    let alice = user_client(&w.server, &w.alice_token);
    let mut alice_events = support::connected(&alice).await;
    let alice_gateway = alice_events.handle().unwrap();
    // The events connection carries alice's typing commands while it is driven.
    let alice_driver = tokio::spawn(async move { while alice_events.next().await.is_some() {} });
    alice.fetch_members(w.guild).await.unwrap();
    let bob_client = user_client(&w.server, &w.bob_token);
    let mut bob_events = support::connected(&bob_client).await;
    let bob = alice.member(w.guild, w.bob).unwrap();

    // send with every option; the nonce travels as the Idempotency-Key.
    let first = bob
        .send("first")
        .with(|m| m.silent(true).nonce("nonce-1"))
        .await
        .unwrap();
    let logged = w
        .server
        .control()
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/messages") && r.method == "POST")
        .unwrap();
    assert_eq!(logged.header("idempotency-key"), Some("nonce-1"));
    assert_eq!(first.flags & 2, 2, "silent");
    let reply = bob
        .send("second")
        .with(move |m| {
            m.replies(&[ReplyTo::new(first.id, false)])
                .embeds(&[SendableEmbed {
                    title: Some("t".to_owned()),
                    ..SendableEmbed::default()
                }])
        })
        .await
        .unwrap();
    assert_eq!(reply.replies, Some(vec![first.id]));
    let attachment = alice
        .http()
        .upload_file(
            ermine::http::request::file::upload::FileTag::Attachments,
            ermine::http::request::file::upload::FileSource::Bytes {
                filename: "a.txt".into(),
                bytes: b"hello".to_vec(),
            },
        )
        .await
        .unwrap();
    let with_file = bob
        .send_message()
        .with(move |m| m.attachments(&[attachment.as_str()]))
        .await
        .unwrap();
    assert_eq!(with_file.attachments.map(|a| a.len()), Some(1));

    // history, search, fetch_message, acknowledge.
    let history = bob.history().with(|h| h.limit(2)).await.unwrap();
    assert_eq!(history.messages().len(), 2);
    let found = bob.search().with(|s| s.query("first")).await.unwrap();
    assert_eq!(found.messages()[0].id, first.id);
    assert_eq!(
        bob.fetch_message(reply.id)
            .await
            .unwrap()
            .content
            .as_deref(),
        Some("second")
    );
    bob.acknowledge(reply.id).await.unwrap();

    // typing: seen by bob's client as a start, then a stop when the guard drops.
    let typing = bob.typing().await.unwrap();
    seen_typing(&mut bob_events, true).await;
    drop(typing);
    seen_typing(&mut bob_events, false).await;
    bob.begin_typing().await.unwrap();
    seen_typing(&mut bob_events, true).await;
    bob.end_typing().await.unwrap();
    seen_typing(&mut bob_events, false).await;

    // Calls: the token and URL a LiveKit client takes (`connect`, which joins the room with
    // them, is tested against a real LiveKit server in tests/voice.rs).
    let call = bob.join_call().await.unwrap();
    assert!(!call.token.is_empty() && call.url.starts_with("ws"));
    let again = bob
        .join_call()
        .with(|c| c.force_disconnect(true))
        .await
        .unwrap();
    assert!(!again.token.is_empty());

    // Users: profile, flags, default avatar, mutuals.
    bob.fetch_profile().await.unwrap();
    assert!(bob.fetch_flags().await.unwrap().flags.is_empty());
    assert!(
        bob.fetch_default_avatar()
            .await
            .unwrap()
            .starts_with(b"\x89PNG")
    );
    let mutuals = bob.mutuals().await.unwrap();
    assert_eq!(mutuals.servers, vec![w.guild]);
    assert_eq!(bob.mutual_server_ids().await.unwrap(), vec![w.guild]);
    assert!(bob.mutual_friend_ids().await.unwrap().is_empty());
    let dm = bob.open_dm().await.unwrap();
    assert_eq!(Some(dm.id()), bob.dm_channel_id());

    // Reports, with a message for context.
    bob.report(UserReportReason::SpamAbuse, Some(first.id))
        .additional_context("testing")
        .await
        .unwrap();
    let reports = w.server.control().reports();
    assert_eq!(reports.len(), 1);

    // Relationships: end the friendship, block, unblock; each answered with the user.
    assert_eq!(
        bob.remove_friend().await.unwrap().relationship,
        RelationshipStatus::None
    );
    assert_eq!(
        bob.block().await.unwrap().relationship,
        RelationshipStatus::Blocked
    );
    assert_eq!(
        bob.unblock().await.unwrap().relationship,
        RelationshipStatus::None
    );

    // Once alice's connection has ended, typing cannot be sent: said, not pretended.
    alice_gateway.close();
    tokio::time::timeout(Duration::from_secs(5), alice_driver)
        .await
        .expect("the stream ends after close")
        .unwrap();
    assert!(matches!(
        bob.begin_typing().await,
        Err(ermine::Error::NotConnected)
    ));

    // Moderation as the moderator: edit every field, timeout both ways, kick, ban.
    let moderator = user_client(&w.server, &w.moderator_token);
    let mut mod_events = support::connected(&moderator).await;
    moderator.fetch_members(w.guild).await.unwrap();
    let target = moderator.member(w.guild, w.alice).unwrap();
    let edited = target
        .edit()
        .nickname(Some("Al"))
        .roles(Some(&[]))
        .can_publish(Some(false))
        .can_receive(Some(false))
        .await
        .unwrap();
    assert_eq!(edited.nick(), Some("Al"));
    assert!(edited.role_ids().is_empty() && !edited.can_publish() && !edited.can_receive());
    let (before, after, partial) = loop {
        if let Event::MemberUpdate {
            before,
            after,
            partial,
        } = mod_events.next().await.unwrap().unwrap()
        {
            break (before, after, partial);
        }
    };
    assert_eq!(before.unwrap().nick(), None);
    assert_eq!(after.unwrap().nick(), Some("Al"));
    assert_eq!(partial.nick(), Patch::Set("Al"));
    assert_eq!(
        partial.user_id(),
        w.alice,
        "the partial knows whose update it is"
    );
    target
        .edit()
        .nickname(None)
        .can_publish(None)
        .can_receive(None)
        .await
        .unwrap();
    let timed = target.timeout(Some(Duration::from_mins(1))).await.unwrap();
    assert!(timed.timed_out_until().is_some());
    let until = Timestamp::now().saturating_add(Duration::from_mins(2));
    assert_eq!(
        target.timeout_until(until).await.unwrap().timed_out_until(),
        Some(until)
    );
    assert!(
        target
            .timeout(None)
            .await
            .unwrap()
            .timed_out_until()
            .is_none()
    );
    moderator
        .base_member(w.guild, w.bob)
        .kick()
        .audit_log_reason("test")
        .await
        .unwrap();
    let ban = moderator
        .base_member(w.guild, w.alice)
        .ban()
        .reason("enough")
        .await
        .unwrap();
    assert_eq!(ban.reason.as_deref(), Some("enough"));
    let bans = moderator.fetch_bans(w.guild).await.unwrap();
    assert_eq!(bans.bans.len(), 1);
    moderator.unban(w.guild, w.alice).await.unwrap();
}

#[tokio::test]
async fn each_error_type_the_seed_lists_is_produced_and_typed() {
    let w = world(support::config().voice(true)).await;
    let moderator = user_client(&w.server, &w.moderator_token);
    let _moderator_events = support::connected(&moderator).await;
    moderator.fetch_members(w.guild).await.unwrap();
    let bot = bot_client(&w.server, &w.bot_token);
    let _bot_events = support::connected(&bot).await;
    let alice = user_client(&w.server, &w.alice_token);
    let _alice_events = support::connected(&alice).await;
    alice.fetch_members(w.guild).await.unwrap();
    let bad = user_client(&w.server, "not-a-real-token-at-all");
    let no_voice = TestServer::start_with(support::config()).await.unwrap();

    let m = |user: UserId| moderator.base_member(w.guild, user);
    let a = |user: UserId| alice.base_member(w.guild, user);
    let b = |user: UserId| bot.base_member(w.guild, user);
    let nobody = fresh::<ermine::model::id::UserMarker>();
    let no_server = fresh();
    let long = "x".repeat(1025);
    let unknown_role = fresh();
    let unknown_message = fresh();
    let general = alice.cache().server(w.guild).unwrap().channels[0];

    let mut table: Vec<(&str, String, &str)> = Vec::new();
    macro_rules! case {
        ($name:expr, $future:expr, $want:expr) => {
            table.push(($name, outcome($future.await), $want));
        };
    }

    // kick
    case!(
        "kick yourself",
        m(w.moderator).kick(),
        "CannotRemoveYourself"
    );
    case!("kick the owner", m(w.owner).kick(), "InvalidOperation");
    case!("kick a higher rank", m(w.carol).kick(), "NotElevated");
    case!(
        "kick without KickMembers",
        a(w.bob).kick(),
        "MissingPermission"
    );
    case!("kick a non-member", m(w.stranger).kick(), "NotFound");
    case!(
        "kick with a bad token",
        bad.base_member(w.guild, w.bob).kick(),
        "InvalidSession"
    );
    // ban
    case!("ban yourself", m(w.moderator).ban(), "CannotRemoveYourself");
    case!(
        "ban with a long reason",
        m(w.bob).ban().reason(&long),
        "Validation"
    );
    case!("ban the owner", m(w.owner).ban(), "InvalidOperation");
    case!("ban a higher rank", m(w.carol).ban(), "NotElevated");
    case!(
        "ban without BanMembers",
        a(w.bob).ban(),
        "MissingPermission"
    );
    case!(
        "ban on an unknown server",
        moderator.base_member(no_server, w.bob).ban(),
        "NotFound"
    );
    case!(
        "ban with a bad token",
        bad.base_member(w.guild, w.bob).ban(),
        "InvalidSession"
    );
    case!("ban someone not in the server", m(w.stranger).ban(), "Ok");
    case!("ban twice", m(w.stranger).ban(), "DatabaseError");
    // edit
    case!(
        "edit: time yourself out",
        m(w.moderator).timeout(Some(Duration::from_secs(5))),
        "CannotTimeoutYourself"
    );
    case!(
        "edit: time out a moderator",
        moderator
            .base_member(w.guild, w.bot)
            .timeout(Some(Duration::from_secs(5))),
        "IsElevated"
    );
    case!(
        "edit: nickname without ManageNicknames",
        a(w.bob).edit().nickname(Some("x")),
        "MissingPermission"
    );
    case!(
        "edit: add a role above yours",
        m(w.bob).edit().roles(Some(&[w.high])),
        "NotElevated"
    );
    case!(
        "edit: an unknown role",
        m(w.bob).edit().roles(Some(&[unknown_role])),
        "InvalidRole"
    );
    case!(
        "edit: a non-member",
        m(w.stranger).edit().nickname(Some("x")),
        "NotFound"
    );
    case!(
        "edit: move to an unknown channel",
        m(w.bob).edit().voice_channel(Some(fresh())),
        "UnknownChannel"
    );
    case!(
        "edit: move someone not in a call",
        m(w.alice).edit().voice_channel(Some(w.voice)),
        "NotConnected"
    );
    // 0.15/0.16 servers move a member into any channel of the server (no NotAVoiceChannel).
    case!(
        "edit: move into a text channel",
        m(w.bob).edit().voice_channel(Some(general)),
        "Ok"
    );
    case!(
        "edit: a nickname too long",
        m(w.bob).edit().nickname(Some(&long)),
        "Validation"
    );
    case!(
        "edit with a bad token",
        bad.base_member(w.guild, w.bob).edit().nickname(Some("x")),
        "InvalidSession"
    );
    // timeout
    case!(
        "timeout yourself",
        m(w.moderator).timeout(Some(Duration::from_secs(5))),
        "CannotTimeoutYourself"
    );
    case!(
        "timeout without TimeoutMembers",
        a(w.bob).timeout(Some(Duration::from_secs(5))),
        "MissingPermission"
    );
    case!(
        "timeout a non-member",
        m(w.stranger).timeout(Some(Duration::from_secs(5))),
        "NotFound"
    );
    // users
    case!(
        "profile of a stranger",
        a(w.stranger).fetch_profile(),
        "MissingPermission"
    );
    case!("profile of nobody", a(nobody).fetch_profile(), "NotFound");
    case!(
        "profile with a bad token",
        bad.base_member(w.guild, w.bob).fetch_profile(),
        "InvalidSession"
    );
    case!(
        "mutuals with yourself",
        a(w.alice).mutuals(),
        "InvalidOperation"
    );
    case!("mutuals with nobody", a(nobody).mutuals(), "NotFound");
    case!(
        "mutuals with a stranger",
        a(w.stranger).mutuals(),
        "MissingPermission"
    );
    case!(
        "mutual friend ids with yourself",
        a(w.alice).mutual_friend_ids(),
        "InvalidOperation"
    );
    case!(
        "mutual server ids with nobody",
        a(nobody).mutual_server_ids(),
        "NotFound"
    );
    case!("open a DM with nobody", a(nobody).open_dm(), "NotFound");
    case!(
        "open a DM with a non-friend",
        a(w.carol).open_dm(),
        "MissingPermission"
    );
    case!(
        "remove a friend as a bot",
        b(w.bob).remove_friend(),
        "IsBot"
    );
    case!(
        "remove a non-friend",
        a(w.carol).remove_friend(),
        "NoEffect"
    );
    case!("remove nobody", a(nobody).remove_friend(), "NotFound");
    case!(
        "unblock someone not blocked",
        a(w.carol).unblock(),
        "NoEffect"
    );
    case!("unblock nobody", a(nobody).unblock(), "NotFound");
    case!(
        "report yourself",
        a(w.alice).report(UserReportReason::SpamAbuse, None),
        "CannotReportYourself"
    );
    case!(
        "report with a long context",
        a(w.bob)
            .report(UserReportReason::SpamAbuse, None)
            .additional_context(&long),
        "Validation"
    );
    case!(
        "report nobody",
        a(nobody).report(UserReportReason::SpamAbuse, None),
        "NotFound"
    );
    case!(
        "report as a bot",
        b(w.bob).report(UserReportReason::SpamAbuse, None),
        "IsBot"
    );
    case!(
        "report with a bad token",
        bad.base_member(w.guild, w.bob)
            .report(UserReportReason::SpamAbuse, None),
        "InvalidSession"
    );
    // send
    case!("send nothing", a(w.bob).send_message(), "EmptyMessage");
    case!(
        "send too much",
        a(w.bob).send(&"x".repeat(2001)),
        "PayloadTooLarge"
    );
    case!(
        "send mention flags as a user",
        a(w.bob).send("hi").with(|m| m.mention_everyone(true)),
        "IsNotBot"
    );
    // The online-mention bit (8) is above what 0.15/0.16 servers accept, so both mention
    // flags are refused before the InvalidFlagValue check can see them.
    case!(
        "send both mention flags",
        b(w.alice)
            .send("hi")
            .with(|m| m.mention_everyone(true).mention_online(true)),
        "InvalidProperty"
    );
    case!(
        "send an unknown flag",
        a(w.bob).send("hi").with(|m| m.flags(16)),
        "InvalidProperty"
    );
    case!(
        "send silently as a user",
        a(w.bob).send("hi").with(|m| m.silent(true)),
        "Ok"
    );
    case!(
        "send too many attachments",
        a(w.bob)
            .send("hi")
            .with(|m| m.attachments(&["a", "b", "c", "d", "e", "f"])),
        "TooManyAttachments"
    );
    case!(
        "send too many embeds",
        a(w.bob)
            .send("hi")
            .with(|m| m.embeds(&vec![SendableEmbed::default(); 11])),
        "TooManyEmbeds"
    );
    case!(
        "send too many replies",
        a(w.bob)
            .send("hi")
            .with(move |m| m.replies(&vec![ReplyTo::new(unknown_message, false); 6])),
        "TooManyReplies"
    );
    case!(
        "send a reply to nothing",
        a(w.bob)
            .send("hi")
            .with(move |m| m.replies(&[ReplyTo::new(unknown_message, false)])),
        "NotFound"
    );
    case!(
        "send with a bad token",
        bad.base_member(w.guild, w.bob).send("hi"),
        "InvalidSession"
    );
    // DM channel actions
    case!(
        "fetch an unknown message",
        a(w.bob).fetch_message(unknown_message),
        "NotFound"
    );
    case!(
        "search as a bot",
        b(w.alice).search().with(|s| s.query("x")),
        "IsBot"
    );
    case!(
        "search by query and pinned",
        a(w.bob).search().with(|s| s.query("x").pinned(true)),
        "Validation"
    );
    case!(
        "acknowledge as a bot",
        b(w.alice).acknowledge(unknown_message),
        "IsBot"
    );
    case!(
        "history with a bad token",
        bad.base_member(w.guild, w.bob).history(),
        "InvalidSession"
    );
    case!(
        "typing without the events connection",
        bad.base_member(w.guild, w.bob).typing(),
        "NotConnected"
    );
    // calls
    case!(
        "call in Saved Messages",
        a(w.alice).join_call(),
        "NotAVoiceChannel"
    );
    case!(
        "call on an unknown node",
        a(w.bob).join_call().with(|c| c.node("nowhere")),
        "UnknownNode"
    );
    case!("call", a(w.bob).join_call(), "Ok");
    case!("call again", a(w.bob).join_call(), "AlreadyConnected");
    case!(
        "call as a bot forcing",
        b(w.alice).join_call().with(|c| c.force_disconnect(true)),
        "IsBot"
    );
    // server-side failures, as the server reports them
    w.server.control().inject_fault(
        Fault::new(
            format!("/servers/{}/members/{}", w.guild, w.bob),
            1,
            500,
            r#"{"type":"DatabaseError","operation":"update_one","collection":"server_members"}"#,
        )
        .method("DELETE"),
    );
    case!(
        "kick when the database fails",
        m(w.bob).kick(),
        "DatabaseError"
    );
    w.server.control().inject_fault(
        Fault::new(
            format!("/servers/{}/members/{}", w.guild, w.bob),
            1,
            500,
            r#"{"type":"InternalError"}"#,
        )
        .method("PATCH"),
    );
    case!(
        "edit when the server fails",
        m(w.bob).edit().nickname(Some("x")),
        "InternalError"
    );
    // the same member methods against an instance without a voice server
    let seed = no_voice.seed();
    let owner = seed.user("owner");
    let guest = seed.user("guest");
    let guild = seed.server("N", owner.id);
    seed.join(guild.id, guest.id);
    seed.friends(owner.id, guest.id);
    let voice = seed.channel(guild.id, "V", true);
    let no_voice_owner = user_client(&no_voice, &owner.token);
    let nv = no_voice_owner.base_member(guild.id, guest.id);
    case!(
        "move without a voice server",
        nv.edit().voice_channel(Some(voice)),
        "LiveKitUnavailable"
    );
    case!(
        "call without a voice server",
        nv.join_call(),
        "LiveKitUnavailable"
    );
    // A DM with someone you blocked can be read but not written to.
    nv.block().await.unwrap();
    case!("send to a blocked user", nv.send("hi"), "MissingPermission");
    case!("read the DM with a blocked user", nv.history(), "Ok");

    check(&table);
}
