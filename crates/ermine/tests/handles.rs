//! Handles for every object, end to end against the local server: each action answers with
//! the facade's error and, where the answer is an object, its handle (cached).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use ermine::model::channel::Channel as ChannelModel;
use ermine::model::error::ApiError;
use ermine::model::permission::{Override, Permissions};
use ermine::model::user::RelationshipStatus;
use ermine::{Client, Event};
use support::next;

fn user_client(api: &str, token: &str) -> Client {
    Client::builder()
        .session_token(token)
        .base_url(api)
        .build()
        .unwrap()
}

#[tokio::test]
async fn messages_channels_servers_roles_and_users_act_through_handles() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bob.id);
    let api = server.urls().api.clone();
    let client = user_client(&api, &owner.token);
    let bob_client = user_client(&api, &bob.token);
    let mut events = support::connected(&client).await;

    // Messages.
    let general = client.channel(guild.general);
    let hello = general.send("hello").await.unwrap();
    assert_eq!(hello.content.as_deref(), Some("hello"));
    assert_eq!(hello.channel().id(), guild.general);
    assert_eq!(hello.author().id(), owner.id);
    assert_eq!(hello.server_id(), Some(guild.id), "the channel is cached");
    let reply = hello.reply("a reply").silent(true).await.unwrap();
    assert_eq!(reply.replies.as_deref(), Some(&[hello.id][..]));
    let edited = hello.edit_content("hello, edited").await.unwrap();
    assert_eq!(edited.content.as_deref(), Some("hello, edited"));
    hello.react("👍").await.unwrap();
    hello.pin().await.unwrap();
    let fetched = general.message(hello.id).await.unwrap();
    assert_eq!(fetched.reactions.get("👍"), Some(&vec![owner.id]));
    assert_eq!(fetched.pinned, Some(true));
    hello.unreact("👍").await.unwrap();
    hello.unpin().await.unwrap();
    let fetched = general.message(hello.id).await.unwrap();
    assert!(fetched.reactions.get("👍").is_none_or(Vec::is_empty));
    assert_ne!(fetched.pinned, Some(true));
    let history = general
        .history()
        .limit(10)
        .include_users(true)
        .await
        .unwrap();
    assert!(history.iter().any(|m| m.id == reply.id));
    let found = general.search("edited").await.unwrap();
    assert_eq!(
        found.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![hello.id]
    );
    reply.delete().await.unwrap();
    let Event::MessageDelete { message, .. } = next(
        &mut events,
        "the deletion",
        |e| matches!(e, Event::MessageDelete { id, .. } if *id == reply.id),
    )
    .await
    else {
        unreachable!()
    };
    assert_eq!(message.unwrap().content.as_deref(), Some("a reply"));
    // A message from the stream is a handle too.
    bob_client
        .channel(guild.general)
        .send("from bob")
        .await
        .unwrap();
    let Event::Message(from_bob) = next(
        &mut events,
        "bob's message",
        |e| matches!(e, Event::Message(m) if m.author == bob.id),
    )
    .await
    else {
        unreachable!()
    };
    assert_eq!(from_bob.member().unwrap().user_id(), bob.id);
    from_bob.react("👀").await.unwrap();

    // Channel: typing, permissions with the explanation, invites, webhooks, edit.
    let typing = general.typing().unwrap();
    next(
        &mut events,
        "our typing",
        |e| matches!(e, Event::Typing { user, started: true, .. } if *user == owner.id),
    )
    .await;
    drop(typing);
    assert!(matches!(
        bob_client.channel(guild.general).typing(),
        Err(ermine::Error::NotConnected)
    ));
    let bobs = general.permissions_of(bob.id).unwrap();
    assert!(bobs.contains(Permissions::SEND_MESSAGE));
    assert!(!bobs.contains(Permissions::MANAGE_CHANNEL));
    assert!(
        general
            .permissions_of(owner.id)
            .unwrap()
            .contains(Permissions::MANAGE_CHANNEL)
    );
    let why = general.explain_permissions_of(bob.id).unwrap();
    assert_eq!(why.value, bobs);
    assert!(why.decided_by(Permissions::SEND_MESSAGE).is_some());
    let invite = general.create_invite().await.unwrap();
    assert!(matches!(invite, ermine::model::invite::Invite::Server(_)));
    let hook = general.create_webhook("hook").await.unwrap();
    let hooks = general.webhooks().await.unwrap();
    assert_eq!(
        hooks.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![hook.id]
    );
    let renamed = general.edit().name("lobby").await.unwrap();
    assert_eq!(renamed, general);
    assert_eq!(
        renamed
            .model()
            .and_then(|c| c.name().map(str::to_owned))
            .as_deref(),
        Some("lobby"),
        "the answer was cached"
    );
    let refused = bob_client
        .channel(guild.general)
        .edit()
        .name("mine")
        .await
        .unwrap_err();
    assert!(
        matches!(refused.api(), Some(ApiError::MissingPermission { .. })),
        "{refused:?}"
    );

    // Server: fetch, members, channels, roles, bans, audit log, invites, emoji, edit.
    let guild_handle = client.server(guild.id);
    assert_eq!(client.fetch_server(guild.id).await.unwrap().name, "Guild");
    let members = guild_handle.members().await.unwrap();
    assert_eq!(members.len(), 2);
    assert!(guild_handle.member(bob.id).is_some(), "cached by the list");
    assert!(guild_handle.channels().contains(&general));
    let news = guild_handle.create_channel("news").await.unwrap();
    assert!(matches!(news.model(), Some(ChannelModel::TextChannel(_))));
    assert_eq!(news.server_id(), Some(guild.id));
    news.delete().await.unwrap();
    let helper = guild_handle.create_role("Helper").await.unwrap();
    assert_eq!(helper.get().unwrap().name, "Helper");
    let aide = helper.edit().name("Aide").hoist(true).await.unwrap();
    assert_eq!((aide.name.as_str(), aide.hoist), ("Aide", true));
    assert_eq!(helper.model().unwrap().name, "Aide");
    let senior = guild_handle.create_role("Senior").await.unwrap();
    senior.move_to(0).unwrap().await.unwrap();
    assert_eq!(guild_handle.roles()[0], senior, "highest first");
    helper
        .set_permissions(Override {
            allow: Permissions::KICK_MEMBERS,
            deny: Permissions::empty(),
        })
        .await
        .unwrap();
    assert_eq!(
        helper.model().unwrap().permissions.allow,
        Permissions::KICK_MEMBERS
    );
    helper.delete().await.unwrap();
    let edited = guild_handle
        .edit()
        .description(Some("a test server"))
        .await
        .unwrap();
    assert_eq!(edited.description.as_deref(), Some("a test server"));
    assert!(!guild_handle.invites().await.unwrap().is_empty());
    assert!(guild_handle.emojis().await.unwrap().is_empty());
    let log = guild_handle.audit_log().await.unwrap();
    assert!(!log.audit_logs.is_empty());

    // Users: DM (cached), profile, friends, block.
    let bob_user = client.user(bob.id);
    assert_eq!(bob_user.fetch().await.unwrap().username, "bob");
    assert_eq!(bob_user.mention(), format!("<@{}>", bob.id));
    bob_user.profile().await.unwrap();
    // Humans who share only a server may not DM: friends may.
    let refused = bob_user.dm().await.unwrap_err();
    assert!(matches!(
        refused.api(),
        Some(ApiError::MissingPermission { .. })
    ));
    assert_eq!(
        bob_user.add_friend().await.unwrap().relationship,
        RelationshipStatus::Outgoing
    );
    assert_eq!(
        bob_user.model().unwrap().relationship,
        RelationshipStatus::Outgoing
    );
    bob_client.user(owner.id).add_friend().await.unwrap();
    assert_eq!(
        bob_user.fetch().await.unwrap().relationship,
        RelationshipStatus::Friend
    );
    let dm = bob_user.dm().await.unwrap();
    assert!(matches!(dm.model(), Some(ChannelModel::DirectMessage(_))));
    assert_eq!(client.cache().dm_channel(bob.id), Some(dm.id()));
    dm.send("hi bob").await.unwrap();
    assert_eq!(
        bob_user.remove_friend().await.unwrap().relationship,
        RelationshipStatus::None
    );
    assert_eq!(
        bob_user.block().await.unwrap().relationship,
        RelationshipStatus::Blocked
    );
    assert_eq!(
        bob_user.unblock().await.unwrap().relationship,
        RelationshipStatus::None
    );
    assert_eq!(bob_user.mutuals().await.unwrap().servers, vec![guild.id]);

    // Bans, then leaving.
    let ban = guild_handle.ban(bob.id).reason("testing").await.unwrap();
    assert_eq!(ban.reason.as_deref(), Some("testing"));
    let bans = guild_handle.bans().await.unwrap();
    assert_eq!(bans.users.len(), 1);
    guild_handle.unban(bob.id).await.unwrap();
    assert!(guild_handle.bans().await.unwrap().users.is_empty());
    seed.join(guild.id, bob.id);
    bob_client
        .server(guild.id)
        .leave()
        .leave_silently(true)
        .await
        .unwrap();
    assert!(guild_handle.fetch_member(bob.id).await.is_err());
}
