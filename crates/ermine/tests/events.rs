//! Typed events with the cache's before and after: messages (edit, delete, bulk delete,
//! reactions), channels, roles and the server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use ermine::{Client, EmojiChange, Event, WebhookChange};
use ermine_model::channel::Channel;
use futures_util::StreamExt;

use support::next;

#[tokio::test]
async fn changes_arrive_typed_with_what_the_cache_held_before() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("watcher", owner.id);
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bot.id);
    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    let mut events = support::connected(&client).await;
    let admin = ermine::http::Client::builder()
        .session_token(owner.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    let general = guild.general;

    // Messages: edited, reacted to, deleted, deleted in bulk — with the cached content.
    let first = admin.send_message(general).content("first").await.unwrap();
    next(
        &mut events,
        "the message",
        |e| matches!(e, Event::Message(m) if m.id == first.id),
    )
    .await;
    admin
        .edit_message(general, first.id)
        .content("first, edited")
        .await
        .unwrap();
    let Event::MessageUpdate { before, after, .. } = next(&mut events, "MessageUpdate", |e| {
        matches!(e, Event::MessageUpdate { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(before.unwrap().content.as_deref(), Some("first"));
    assert_eq!(after.unwrap().content.as_deref(), Some("first, edited"));
    admin.add_reaction(general, first.id, "👍").await.unwrap();
    let Event::ReactionAdd(react) = next(&mut events, "ReactionAdd", |e| {
        matches!(e, Event::ReactionAdd(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!((react.user_id, react.emoji_id.as_str()), (owner.id, "👍"));
    admin
        .remove_reaction(general, first.id, "👍")
        .await
        .unwrap();
    next(&mut events, "ReactionRemove", |e| {
        matches!(e, Event::ReactionRemove(_))
    })
    .await;
    admin.delete_message(general, first.id).await.unwrap();
    let Event::MessageDelete { id, message, .. } = next(&mut events, "MessageDelete", |e| {
        matches!(e, Event::MessageDelete { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(id, first.id);
    assert_eq!(
        message.expect("the cache held it").content.as_deref(),
        Some("first, edited"),
        "a deleted message's content is still known"
    );
    let a = admin.send_message(general).content("a").await.unwrap();
    let b = admin.send_message(general).content("b").await.unwrap();
    next(
        &mut events,
        "the second message",
        |e| matches!(e, Event::Message(m) if m.id == b.id),
    )
    .await;
    admin
        .bulk_delete_messages(general, &[a.id, b.id])
        .await
        .unwrap();
    let Event::MessagesDelete { ids, messages, .. } = next(&mut events, "MessagesDelete", |e| {
        matches!(e, Event::MessagesDelete { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(ids, vec![a.id, b.id]);
    let mut contents: Vec<_> = messages.iter().filter_map(|m| m.content.clone()).collect();
    contents.sort();
    assert_eq!(contents, ["a", "b"]);

    // Roles: created, changed, deleted.
    let role = admin.create_role(guild.id, "Helper").await.unwrap();
    let Event::RoleUpdate { before, after, .. } = next(&mut events, "RoleUpdate", |e| {
        matches!(e, Event::RoleUpdate { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert!(before.is_none(), "a new role");
    assert_eq!(after.unwrap().name, "Helper");
    admin
        .edit_role(guild.id, role.id)
        .name("Assistant")
        .await
        .unwrap();
    let Event::RoleUpdate { before, after, .. } = next(&mut events, "RoleUpdate", |e| {
        matches!(e, Event::RoleUpdate { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(before.unwrap().name, "Helper");
    assert_eq!(after.unwrap().name, "Assistant");
    admin.delete_role(guild.id, role.id).await.unwrap();
    let Event::RoleDelete { role: gone, .. } = next(&mut events, "RoleDelete", |e| {
        matches!(e, Event::RoleDelete { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(gone.unwrap().name, "Assistant");

    // Channels: created, renamed, deleted.
    let created = admin.create_channel(guild.id, "news").await.unwrap();
    let id = created.id().unwrap();
    next(&mut events, "ChannelCreate", |e| {
        matches!(e, Event::ChannelCreate(_))
    })
    .await;
    admin.edit_channel(id).name("updates").await.unwrap();
    let Event::ChannelUpdate { before, after, .. } = next(&mut events, "ChannelUpdate", |e| {
        matches!(e, Event::ChannelUpdate { .. })
    })
    .await
    else {
        unreachable!()
    };
    let name = |c: Option<Box<Channel>>| match c.map(|c| *c) {
        Some(Channel::TextChannel(t)) => t.name,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (name(before), name(after)),
        ("news".to_owned(), "updates".to_owned())
    );
    admin.delete_channel(id).await.unwrap();
    let Event::ChannelDelete { channel, .. } = next(&mut events, "ChannelDelete", |e| {
        matches!(e, Event::ChannelDelete { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(name(channel), "updates");

    // The server (channel changes above updated its channel list too: skip those).
    admin.edit_server(guild.id).name("Renamed").await.unwrap();
    let Event::ServerUpdate { before, after, .. } = next(
        &mut events,
        "ServerUpdate",
        |e| matches!(e, Event::ServerUpdate { after: Some(a), .. } if a.name == "Renamed"),
    )
    .await
    else {
        unreachable!()
    };
    assert_eq!(before.unwrap().name, "Guild");
    assert_eq!(after.unwrap().name, "Renamed");

    // Custom emoji.
    let png = admin.fetch_default_avatar(owner.id).await.unwrap();
    let file = admin
        .upload_file(
            ermine::http::request::file::FileTag::Emojis,
            ermine::http::request::file::FileSource::Bytes {
                filename: "e.png".into(),
                bytes: png,
            },
        )
        .await
        .unwrap();
    let emoji = admin.create_emoji(&file, guild.id, "party").await.unwrap();
    let event = next(&mut events, "emoji created", |e| {
        matches!(e, Event::Emoji(_))
    })
    .await;
    assert!(matches!(event, Event::Emoji(EmojiChange::Created(e)) if e.id == emoji.id));
    admin.delete_emoji(emoji.id).await.unwrap();
    let event = next(&mut events, "emoji deleted", |e| {
        matches!(e, Event::Emoji(_))
    })
    .await;
    assert!(matches!(event, Event::Emoji(EmojiChange::Deleted(id)) if id == emoji.id));

    // Relationships and typing, seen by the owner's and the bot's connections.
    let owner_client = Client::builder()
        .session_token(owner.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    let mut owner_events = support::connected(&owner_client).await;
    let bob = seed.user("bob");
    ermine::http::Client::builder()
        .session_token(bob.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap()
        .add_friend(owner.id)
        .await
        .unwrap();
    let event = next(&mut owner_events, "relationship", |e| {
        matches!(e, Event::Relationship(_))
    })
    .await;
    assert!(matches!(event, Event::Relationship(user) if user.id == bob.id));
    let typing = owner_events.handle().unwrap();
    // The owner's connection sends commands while it is polled.
    tokio::spawn(async move { while owner_events.next().await.is_some() {} });
    assert!(typing.begin_typing(general));
    let event = next(&mut events, "typing", |e| matches!(e, Event::Typing { .. })).await;
    assert!(matches!(event, Event::Typing { user, started: true, .. } if user == owner.id));

    // Webhooks.
    let hook = admin.create_webhook(general, "Hook").await.unwrap();
    let Event::Webhook(WebhookChange::Created(created)) =
        next(&mut events, "webhook created", |e| {
            matches!(e, Event::Webhook(_))
        })
        .await
    else {
        panic!("a creation first")
    };
    assert_eq!(created.id, hook.id);
    admin.delete_webhook(hook.id).await.unwrap();
    let event = next(&mut events, "webhook deleted", |e| {
        matches!(e, Event::Webhook(_))
    })
    .await;
    assert!(matches!(event, Event::Webhook(WebhookChange::Deleted(id)) if id == hook.id));
}

#[tokio::test]
async fn servers_groups_ranks_and_voice_arrive_typed() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    seed.friends(owner.id, bob.id);
    let guild = seed.server("Guild", owner.id);
    let api = server.urls().api.clone();
    let client = Client::builder()
        .session_token(owner.token.clone())
        .base_url(api)
        .build()
        .unwrap();
    let mut events = support::connected(&client).await;
    let http = client.http();

    // Role ranks.
    let low = http.create_role(guild.id, "Low").await.unwrap();
    let high = http.create_role(guild.id, "High").await.unwrap();
    http.edit_role_ranks(guild.id, &[high.id, low.id])
        .await
        .unwrap();
    let Event::RoleRanks { server: id, ranks } = next(&mut events, "RoleRanks", |e| {
        matches!(e, Event::RoleRanks { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!((id, ranks), (guild.id, vec![high.id, low.id]));

    // A server created, then deleted with what the cache held.
    let made = http.create_server("Second").await.unwrap();
    let Event::ServerCreate(created) = next(&mut events, "ServerCreate", |e| {
        matches!(e, Event::ServerCreate(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(created.id, made.server.id);
    http.delete_server(made.server.id).await.unwrap();
    let Event::ServerDelete { id, server: gone } = next(&mut events, "ServerDelete", |e| {
        matches!(e, Event::ServerDelete { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(id, made.server.id);
    assert_eq!(gone.unwrap().name, "Second");

    // A group: someone joins, then leaves.
    let group = http.create_group("Pals").await.unwrap();
    let group_id = group.id().unwrap();
    http.add_group_member(group_id, bob.id).await.unwrap();
    let Event::GroupJoin { channel, user } = next(&mut events, "GroupJoin", |e| {
        matches!(e, Event::GroupJoin { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!((channel, user), (group_id, bob.id));
    http.remove_group_member(group_id, bob.id).await.unwrap();
    let Event::GroupLeave { user, .. } = next(&mut events, "GroupLeave", |e| {
        matches!(e, Event::GroupLeave { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(user, bob.id);

    // Voice events as the server sends them.
    let voice = guild.general;
    let sent = server.control().inject_frame(
        owner.id,
        serde_json::json!({
            "type": "VoiceChannelJoin",
            "id": voice.to_string(),
            "state": {
                "id": bob.id.to_string(),
                "joined_at": "2026-11-29T12:00:00Z",
                "is_receiving": true,
                "is_publishing": false,
                "screensharing": false,
                "camera": false
            }
        }),
    );
    assert_eq!(sent, 1);
    let Event::Voice(ermine::VoiceChange::Join(join)) =
        next(&mut events, "VoiceChannelJoin", |e| {
            matches!(e, Event::Voice(_))
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!((join.id, join.state.id), (voice, bob.id));
    server.control().inject_frame(
        owner.id,
        serde_json::json!({"type": "VoiceChannelLeave", "id": voice.to_string(), "user": bob.id.to_string()}),
    );
    let Event::Voice(ermine::VoiceChange::Leave { channel, user }) =
        next(&mut events, "VoiceChannelLeave", |e| {
            matches!(e, Event::Voice(_))
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!((channel, user), (voice, bob.id));
}
