//! The operations a bot uses, end to end against the local server: each request's success
//! with the event the real server fires, and the errors it documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use support::{anonymous, api, expect, is_validation, missing};

use ermine_http::request::file::{FileSource, FileTag};
use ermine_http::{Client, WithOptions};
use ermine_model::channel::Channel;
use ermine_model::error::ApiError;
use ermine_model::event::ServerEvent;
use ermine_model::invite::{Invite, InviteInfo, InviteJoinResponse};
use ermine_model::permission::{Override, Permissions};
use ermine_testkit::{SeededServer, SeededUser, TestServer};

struct World {
    server: TestServer,
    alice: SeededUser,
    bob: SeededUser,
    carol: SeededUser,
    guild: SeededServer,
}

async fn world() -> World {
    let server = support::local_server().await;
    let seed = server.seed();
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let guild = seed.server("Guild", alice.id);
    seed.join(guild.id, bob.id);
    World {
        server,
        alice,
        bob,
        carol,
        guild,
    }
}

#[tokio::test]
async fn messages_are_edited_reacted_to_and_deleted_in_bulk() {
    let w = world().await;
    let (alice, bob) = (
        support::session(&w.server, &w.alice.token),
        support::session(&w.server, &w.bob.token),
    );
    let general = w.guild.general;
    let mut events = support::gateway(&w.server, &w.bob.token).await;

    let first = alice.send_message(general).content("first").await.unwrap();
    let edited = alice
        .edit_message(general, first.id)
        .content("first, edited")
        .await
        .unwrap();
    assert_eq!(edited.content.as_deref(), Some("first, edited"));
    assert!(edited.edited.is_some());
    let ServerEvent::MessageUpdate(update) = expect(&mut events, "MessageUpdate").await else {
        unreachable!()
    };
    assert_eq!(update.data.content.as_deref(), Some("first, edited"));
    let e = bob
        .edit_message(general, first.id)
        .content("mine")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::CannotEditMessage);
    assert!(is_validation(
        &alice
            .edit_message(general, first.id)
            .content("")
            .await
            .unwrap_err()
    ));

    alice.add_reaction(general, first.id, "👍").await.unwrap();
    let ServerEvent::MessageReact(react) = expect(&mut events, "MessageReact").await else {
        unreachable!()
    };
    assert_eq!((react.user_id, react.emoji_id.as_str()), (w.alice.id, "👍"));
    bob.add_reaction(general, first.id, "👍").await.unwrap();
    let fetched = alice.fetch_message(general, first.id).await.unwrap();
    assert_eq!(fetched.reactions["👍"], vec![w.alice.id, w.bob.id]);
    let e = alice
        .add_reaction(general, first.id, "not an emoji")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidOperation);
    let e = alice
        .add_reaction(general, first.id, "01M86CDRZCQAK1VWXZ3F4R8Z13")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
    let e = bob
        .remove_reaction(general, first.id, "👍")
        .user(w.alice.id)
        .await
        .unwrap_err();
    assert_eq!(missing(&e), "ManageMessages");
    bob.remove_reaction(general, first.id, "👍").await.unwrap();
    let ServerEvent::MessageUnreact(unreact) = expect(&mut events, "MessageUnreact").await else {
        unreachable!()
    };
    assert_eq!(unreact.user_id, w.bob.id);
    let e = bob
        .remove_reaction(general, first.id, "👍")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
    alice
        .remove_reaction(general, first.id, "👍")
        .remove_all(true)
        .await
        .unwrap();
    expect(&mut events, "MessageRemoveReaction").await;
    alice.add_reaction(general, first.id, "🎉").await.unwrap();
    let e = bob.clear_reactions(general, first.id).await.unwrap_err();
    assert_eq!(missing(&e), "ManageMessages");
    alice.clear_reactions(general, first.id).await.unwrap();
    assert!(
        alice
            .fetch_message(general, first.id)
            .await
            .unwrap()
            .reactions
            .is_empty()
    );

    alice.pin_message(general, first.id).await.unwrap();
    let e = alice.pin_message(general, first.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::AlreadyPinned);
    alice.unpin_message(general, first.id).await.unwrap();

    let second = bob.send_message(general).content("second").await.unwrap();
    let third = bob.send_message(general).content("third").await.unwrap();
    let e = bob
        .bulk_delete_messages(general, &[second.id, third.id])
        .await
        .unwrap_err();
    assert_eq!(missing(&e), "ManageMessages");
    assert!(is_validation(
        &alice.bulk_delete_messages(general, &[]).await.unwrap_err()
    ));
    alice
        .bulk_delete_messages(general, &[second.id, third.id])
        .await
        .unwrap();
    let ServerEvent::BulkMessageDelete(gone) = expect(&mut events, "BulkMessageDelete").await
    else {
        unreachable!()
    };
    assert_eq!(gone.ids, vec![second.id, third.id]);
    let e = bob.delete_message(general, first.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::CannotDeleteMessage);
    alice.delete_message(general, first.id).await.unwrap();
    expect(&mut events, "MessageDelete").await;
    let e = alice.fetch_message(general, first.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
}

#[tokio::test]
async fn servers_roles_channels_and_invites_are_managed() {
    let w = world().await;
    let (alice, bob) = (
        support::session(&w.server, &w.alice.token),
        support::session(&w.server, &w.bob.token),
    );
    let s = w.guild.id;
    let mut events = support::gateway(&w.server, &w.bob.token).await;

    let created = alice
        .create_server("Second")
        .description("two")
        .await
        .unwrap();
    assert_eq!(created.server.name, "Second");
    assert_eq!(created.channels.len(), 1);
    assert!(is_validation(&alice.create_server("").await.unwrap_err()));

    let server = alice
        .edit_server(s)
        .name("Renamed")
        .description(Some("about"))
        .await
        .unwrap();
    assert_eq!(
        (server.name.as_str(), server.description.as_deref()),
        ("Renamed", Some("about"))
    );
    expect(&mut events, "ServerUpdate").await;
    let server = alice.edit_server(s).description(None).await.unwrap();
    assert_eq!(server.description, None);
    let e = bob.edit_server(s).name("Mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageServer");
    let general = w.guild.general;
    let category = |channels: Vec<_>| ermine_model::server::Category {
        id: "main".into(),
        title: "Main".into(),
        channels,
    };
    let server = alice
        .edit_server(s)
        .categories(Some(&[category(vec![general])]))
        .analytics(true)
        .await
        .unwrap();
    assert_eq!(server.categories.unwrap()[0].channels, vec![general]);
    assert!(server.analytics);
    let e = alice
        .edit_server(s)
        .categories(Some(&[category(vec![general, general])]))
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidOperation);
    let e = bob
        .edit_server(s)
        .categories(Some(&[category(vec![])]))
        .await
        .unwrap_err();
    assert_eq!(missing(&e), "ManageChannel");
    let e = alice.edit_server(s).discoverable(true).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotPrivileged);
    let e = bob.edit_server(s).owner(w.bob.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotOwner);
    let e = alice.edit_server(s).owner(w.bob.id).await.unwrap_err();
    assert_eq!(
        *api(&e),
        ApiError::InvalidCredentials,
        "a new owner needs an MFA ticket"
    );
    let png = alice.fetch_default_avatar(w.bob.id).await.unwrap();
    let icon = alice
        .upload_file(
            FileTag::Icons,
            FileSource::Bytes {
                filename: "icon.png".into(),
                bytes: png,
            },
        )
        .await
        .unwrap();
    let server = alice.edit_server(s).icon(Some(&icon)).await.unwrap();
    assert_eq!(server.icon.unwrap().id, icon);
    let server = alice.edit_server(s).icon(None).await.unwrap();
    assert!(server.icon.is_none());
    let e = alice.edit_server(s).icon(Some(&icon)).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound, "an upload is used once");

    let everyone = Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGE;
    let server = alice.set_default_permissions(s, everyone).await.unwrap();
    assert_eq!(server.default_permissions, everyone);

    let role = alice.create_role(s, "Helper").await.unwrap();
    assert_eq!(role.role.name, "Helper");
    let e = bob.create_role(s, "Mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageRole");
    let edited = alice
        .edit_role(s, role.id)
        .colour(Some("red"))
        .hoist(true)
        .await
        .unwrap();
    assert_eq!(
        (edited.colour.as_deref(), edited.hoist),
        (Some("red"), true)
    );
    expect(&mut events, "ServerRoleUpdate").await;
    let cleared = alice.edit_role(s, role.id).colour(None).await.unwrap();
    assert_eq!(cleared.colour, None);
    let second = alice.create_role(s, "Second").await.unwrap();
    let server = alice
        .edit_role_ranks(s, &[second.id, role.id])
        .await
        .unwrap();
    assert!(server.roles[&second.id].rank < server.roles[&role.id].rank);
    let allow = Override::new(Permissions::MANAGE_MESSAGES, Permissions::empty());
    let server = alice.set_role_permissions(s, role.id, allow).await.unwrap();
    assert_eq!(server.roles[&role.id].permissions, allow);
    alice.delete_role(s, second.id).await.unwrap();
    expect(&mut events, "ServerRoleDelete").await;
    let e = alice.fetch_role(s, second.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);

    let channel = alice
        .create_channel(s, "news")
        .description("read me")
        .await
        .unwrap();
    let Channel::TextChannel(text) = &channel else {
        panic!("{channel:?}")
    };
    assert_eq!(text.name, "news");
    expect(&mut events, "ChannelCreate").await;
    let e = bob.create_channel(s, "mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageChannel");
    let renamed = alice
        .edit_channel(text.id)
        .name("updates")
        .description(None)
        .await
        .unwrap();
    let Channel::TextChannel(renamed) = renamed else {
        unreachable!()
    };
    assert_eq!(
        (renamed.name.as_str(), renamed.description),
        ("updates", None)
    );
    expect(&mut events, "ChannelUpdate").await;
    let deny = Override::new(Permissions::empty(), Permissions::SEND_MESSAGE);
    let with_role = alice
        .set_channel_role_permissions(text.id, role.id, deny)
        .await
        .unwrap();
    let Channel::TextChannel(with_role) = with_role else {
        unreachable!()
    };
    assert_eq!(with_role.role_permissions[&role.id], deny);
    let with_default = alice
        .set_channel_default_permissions(text.id, deny)
        .await
        .unwrap();
    let Channel::TextChannel(with_default) = with_default else {
        unreachable!()
    };
    assert_eq!(with_default.default_permissions, Some(deny));
    let e = bob
        .set_channel_default_permissions(text.id, deny)
        .await
        .unwrap_err();
    assert_eq!(missing(&e), "ManagePermissions");

    let invite = alice.create_invite(w.guild.general).await.unwrap();
    let Invite::Server(invite) = invite else {
        panic!("{invite:?}")
    };
    let anonymous = anonymous(&w.server);
    let InviteInfo::Server(info) = anonymous.fetch_invite(&invite.code).await.unwrap() else {
        panic!("a server invite")
    };
    assert_eq!(info.server_name, "Renamed");
    assert_eq!(alice.fetch_server_invites(s).await.unwrap().len(), 1);
    let e = bob.fetch_server_invites(s).await.unwrap_err();
    assert_eq!(missing(&e), "ManageServer");
    let carol = support::session(&w.server, &w.carol.token);
    let joined = carol.join_invite(&invite.code).await.unwrap();
    assert!(matches!(joined, InviteJoinResponse::Server(_)));
    let e = carol.delete_invite(&invite.code).await.unwrap_err();
    assert_eq!(missing(&e), "ManageServer");
    alice.delete_invite(&invite.code).await.unwrap();
    let e = anonymous.fetch_invite(&invite.code).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);

    bob.send_message(w.guild.general)
        .content("unread")
        .await
        .unwrap();
    alice.ack_server(s).await.unwrap();
    let e = carol.ack_server(created.server.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);

    alice.delete_channel(text.id).await.unwrap();
    expect(&mut events, "ChannelDelete").await;
    bob.delete_server(s).await.unwrap();
    let e = bob.fetch_server(s).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
    alice.delete_server(created.server.id).await.unwrap();
    let e = alice.fetch_server(created.server.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
}

#[tokio::test]
async fn custom_emoji_are_created_from_uploads_renamed_and_deleted() {
    let w = world().await;
    let (alice, bob) = (
        support::session(&w.server, &w.alice.token),
        support::session(&w.server, &w.bob.token),
    );
    let s = w.guild.id;
    let mut events = support::gateway(&w.server, &w.bob.token).await;
    let png = alice.fetch_default_avatar(w.bob.id).await.unwrap();
    let upload = |c: &Client| {
        c.upload_file(
            FileTag::Emojis,
            FileSource::Bytes {
                filename: "e.png".into(),
                bytes: png.clone(),
            },
        )
    };

    let file = upload(&alice).await.unwrap();
    assert!(is_validation(
        &alice.create_emoji(&file, s, "Bad Name").await.unwrap_err()
    ));
    let other = upload(&bob).await.unwrap();
    let e = bob.create_emoji(&other, s, "mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageCustomisation");
    let e = alice
        .create_emoji("01M86CDRZCQAK1VWXZ3F4R8Z15", s, "ghost")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
    let emoji = alice.create_emoji(&file, s, "party").await.unwrap();
    assert_eq!(
        (emoji.name.as_str(), emoji.creator_id),
        ("party", w.alice.id)
    );
    expect(&mut events, "EmojiCreate").await;
    let e = alice.create_emoji(&file, s, "again").await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound, "an upload is used once");

    let anonymous = anonymous(&w.server);
    assert_eq!(anonymous.fetch_emoji(emoji.id).await.unwrap().name, "party");
    assert_eq!(bob.fetch_server_emojis(s).await.unwrap().len(), 1);
    let e = support::session(&w.server, &w.carol.token)
        .fetch_server_emojis(s)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);

    let general = w.guild.general;
    let message = bob.send_message(general).content("hi").await.unwrap();
    bob.add_reaction(general, message.id, &emoji.id.to_string())
        .await
        .unwrap();

    let renamed = alice.edit_emoji(emoji.id, "fiesta").await.unwrap();
    assert_eq!(renamed.name, "fiesta");
    expect(&mut events, "EmojiUpdate").await;
    let e = bob.edit_emoji(emoji.id, "mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageCustomisation");
    let e = bob.delete_emoji(emoji.id).await.unwrap_err();
    assert_eq!(missing(&e), "ManageCustomisation");
    alice.delete_emoji(emoji.id).await.unwrap();
    expect(&mut events, "EmojiDelete").await;
    let e = anonymous.fetch_emoji(emoji.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
}

#[tokio::test]
async fn webhooks_post_edit_and_delete_with_their_token() {
    let w = world().await;
    let (alice, bob) = (
        support::session(&w.server, &w.alice.token),
        support::session(&w.server, &w.bob.token),
    );
    let general = w.guild.general;
    let mut events = support::gateway(&w.server, &w.bob.token).await;

    let e = bob.create_webhook(general, "mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageWebhooks");
    assert!(is_validation(
        &alice.create_webhook(general, "").await.unwrap_err()
    ));
    let hook = alice.create_webhook(general, "Deploys").await.unwrap();
    let token = hook.token.clone().expect("its creator sees the token");
    assert!(
        !format!("{hook:?}").contains(token.expose()),
        "no token in Debug"
    );
    expect(&mut events, "WebhookCreate").await;
    assert_eq!(
        alice.fetch_channel_webhooks(general).await.unwrap().len(),
        1
    );
    let info = bob.fetch_webhook(hook.id).await.unwrap();
    assert_eq!(info.name, "Deploys");
    let anonymous = anonymous(&w.server);
    assert_eq!(
        anonymous
            .fetch_webhook_with_token(hook.id, token.clone())
            .await
            .unwrap()
            .id,
        hook.id
    );
    let wrong = ermine_model::auth::Token::new("wrong");
    let e = anonymous
        .fetch_webhook_with_token(hook.id, wrong.clone())
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotAuthenticated);
    assert!(!e.to_string().contains("wrong"), "no token in errors: {e}");

    let posted = anonymous
        .execute_webhook(hook.id, token.clone())
        .content("deployed")
        .await
        .unwrap();
    assert_eq!(
        posted.webhook.as_ref().map(|h| h.name.as_str()),
        Some("Deploys")
    );
    expect(&mut events, "Message").await;
    let edited = anonymous
        .edit_webhook_message(hook.id, token.clone(), posted.id)
        .content("deployed twice")
        .await
        .unwrap();
    assert_eq!(edited.content.as_deref(), Some("deployed twice"));
    let mine = bob
        .send_message(general)
        .content("not the hook's")
        .await
        .unwrap();
    let e = anonymous
        .edit_webhook_message(hook.id, token.clone(), mine.id)
        .content("x")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::CannotEditMessage);
    let e = anonymous
        .delete_webhook_message(hook.id, token.clone(), mine.id)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::CannotDeleteMessage);
    anonymous
        .delete_webhook_message(hook.id, token.clone(), posted.id)
        .await
        .unwrap();
    expect(&mut events, "MessageDelete").await;

    anonymous
        .execute_github_webhook(
            hook.id,
            token.clone(),
            "star",
            serde_json::json!({
                "action": "created",
                "sender": {"login": "octocat", "avatar_url": "https://a.example/o.png", "html_url": "https://github.example/octocat"},
                "repository": {"full_name": "o/r", "html_url": "https://github.example/o/r"}
            }),
        )
        .await
        .unwrap();
    let ServerEvent::Message(star) = expect(&mut events, "Message").await else {
        unreachable!()
    };
    assert!(star.embeds.is_some());
    let e = anonymous
        .execute_github_webhook(hook.id, token.clone(), "nonsense", serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidOperation);

    let renamed = alice.edit_webhook(hook.id).name("Builds").await.unwrap();
    assert_eq!(renamed.name, "Builds");
    expect(&mut events, "WebhookUpdate").await;
    let e = bob.edit_webhook(hook.id).name("Mine").await.unwrap_err();
    assert_eq!(missing(&e), "ManageWebhooks");
    let renamed = anonymous
        .edit_webhook_with_token(hook.id, token.clone())
        .name("Releases")
        .await
        .unwrap();
    assert_eq!(renamed.name, "Releases");
    let e = bob.delete_webhook(hook.id).await.unwrap_err();
    assert_eq!(missing(&e), "ManageWebhooks");
    anonymous
        .delete_webhook_with_token(hook.id, token.clone())
        .await
        .unwrap();
    expect(&mut events, "WebhookDelete").await;
    let second = alice.create_webhook(general, "Other").await.unwrap();
    alice.delete_webhook(second.id).await.unwrap();
    let e = alice.fetch_webhook(second.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
}

#[tokio::test]
async fn groups_are_created_joined_and_left() {
    let w = world().await;
    let (alice, bob) = (
        support::session(&w.server, &w.alice.token),
        support::session(&w.server, &w.bob.token),
    );
    let seed = w.server.seed();
    let e = alice
        .create_group("Trio")
        .users(&[w.bob.id])
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFriends);
    seed.friends(w.alice.id, w.bob.id);
    let group = alice.create_group("Trio").users(&[w.bob.id]).await.unwrap();
    let Channel::Group(g) = &group else {
        panic!("{group:?}")
    };
    assert_eq!(g.recipients, vec![w.alice.id, w.bob.id]);
    let mut events = support::gateway(&w.server, &w.bob.token).await;
    let members = bob.fetch_group_members(g.id).await.unwrap();
    assert_eq!(members.len(), 2);
    let e = bob.fetch_group_members(w.guild.general).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidOperation);

    let e = alice.add_group_member(g.id, w.carol.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFriends);
    seed.friends(w.alice.id, w.carol.id);
    alice.add_group_member(g.id, w.carol.id).await.unwrap();
    expect(&mut events, "ChannelGroupJoin").await;
    let e = alice.add_group_member(g.id, w.carol.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::AlreadyInGroup);
    let e = bob.remove_group_member(g.id, w.carol.id).await.unwrap_err();
    assert_eq!(missing(&e), "ManageChannel");
    let e = alice
        .remove_group_member(g.id, w.alice.id)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::CannotRemoveYourself);
    alice.remove_group_member(g.id, w.carol.id).await.unwrap();
    expect(&mut events, "ChannelGroupLeave").await;
    let e = alice
        .remove_group_member(g.id, w.carol.id)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotInGroup);

    let value = Permissions::SEND_MESSAGE | Permissions::VIEW_CHANNEL;
    let Channel::Group(updated) = alice.set_group_permissions(g.id, value).await.unwrap() else {
        unreachable!()
    };
    assert_eq!(updated.permissions, Some(value));
    let ServerEvent::ChannelUpdate(change) = expect(&mut events, "ChannelUpdate").await else {
        unreachable!()
    };
    assert_eq!(change.data.permissions, Some(value));
    let e = bob.set_group_permissions(g.id, value).await.unwrap_err();
    assert_eq!(missing(&e), "ManagePermissions");
    let e = alice
        .set_group_permissions(w.guild.general, value)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidOperation);

    alice.delete_channel(g.id).await.unwrap();
    let ServerEvent::ChannelUpdate(change) = expect(&mut events, "ChannelUpdate").await else {
        unreachable!()
    };
    assert_eq!(change.data.owner, Some(w.bob.id), "the group passes to bob");
    let Channel::Group(after) = bob.fetch_channel(g.id).await.unwrap() else {
        unreachable!()
    };
    assert_eq!((after.owner, after.recipients), (w.bob.id, vec![w.bob.id]));
}

#[tokio::test]
async fn users_edit_themselves_and_their_bots_and_change_their_username() {
    let w = world().await;
    let (alice, bob) = (
        support::session(&w.server, &w.alice.token),
        support::session(&w.server, &w.bob.token),
    );
    let bot = w.server.seed().bot("helper", w.alice.id);
    let mut events = support::gateway(&w.server, &w.alice.token).await;

    let me = alice
        .edit_self()
        .display_name(Some("Alice A."))
        .status_text(Some("coding"))
        .await
        .unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Alice A."));
    expect(&mut events, "UserUpdate").await;
    let me = alice.edit_self().display_name(None).await.unwrap();
    assert_eq!(me.display_name, None);
    assert!(is_validation(
        &alice.edit_self().display_name(Some("A")).await.unwrap_err()
    ));
    let edited = alice
        .edit_bot_user(bot.id)
        .display_name(Some("Helper Bot"))
        .await
        .unwrap();
    assert_eq!(edited.display_name.as_deref(), Some("Helper Bot"));
    let e = bob
        .edit_bot_user(bot.id)
        .display_name(Some("Mine"))
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::NotPrivileged);

    let e = alice
        .change_username("alicia", "wrong password")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidCredentials);
    let renamed = alice
        .change_username("alicia", ermine_testkit::seed::PASSWORD)
        .await
        .unwrap();
    assert_eq!(renamed.username, "alicia");
    let e = alice
        .change_username("admin", ermine_testkit::seed::PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidUsername);
    let e = alice
        .change_username("alicia", ermine_testkit::seed::PASSWORD)
        .audit_log_reason("unused")
        .await;
    assert!(
        e.is_ok(),
        "a change of case only keeps the discriminator: {e:?}"
    );
}
