//! Member handles against the local server: properties from the cache, actions through the
//! REST client, events with before and after.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use std::collections::HashSet;
use std::time::Duration;

use ermine::http::WithOptions;
use ermine::model::patch::Patch;
use ermine::model::permission::{Override, Permissions};
use ermine::{Client, Event};
use futures_util::StreamExt;

async fn next_member_event(events: &mut ermine::Events) -> Event {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .expect("an event within 5 s")
            .expect("the stream goes on")
            .expect("no fatal error");
        if matches!(
            event,
            Event::MemberJoin(_) | Event::MemberUpdate { .. } | Event::MemberRemove { .. }
        ) {
            return event;
        }
    }
}

#[tokio::test]
async fn handles_read_the_cache_and_act_through_rest() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    let bot = seed.bot("helper", owner.id);
    let guild = seed.server("G", owner.id);
    let powers =
        Permissions::KICK_MEMBERS | Permissions::TIMEOUT_MEMBERS | Permissions::MANAGE_NICKNAMES;
    let high = seed.role(
        guild.id,
        "High",
        0,
        Override::new(powers, Permissions::empty()),
    );
    let low = seed.role(guild.id, "Low", 5, Override::default());
    seed.join(guild.id, bob.id);
    seed.join(guild.id, bot.id);
    seed.assign(guild.id, bot.id, &[high]);
    seed.assign(guild.id, bob.id, &[low]);

    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    let mut events = support::connected(&client).await;
    let members = client.fetch_members(guild.id).await.unwrap();
    assert_eq!(members.len(), 3);
    let bob_member = client
        .member(guild.id, bob.id)
        .expect("cached by the fetch");
    assert_eq!(bob_member.name(), "bob");
    assert_eq!(bob_member.tag(), format!("bob#{}", bob.discriminator));
    assert_eq!(bob_member.mention(), format!("<@{}>", bob.id));
    assert_eq!(bob_member.display_name(), None);
    assert_eq!(bob_member.shown_name(), "bob");
    assert_eq!(bob_member.role_ids(), &[low]);
    assert_eq!(bob_member.top_role().unwrap().name, "Low");
    assert!(bob_member.bot().is_none() && !bob_member.is_sentinel());
    assert!(
        bob_member
            .default_avatar_url()
            .ends_with(&format!("/users/{}/default_avatar", bob.id))
    );
    let me = client.member(guild.id, bot.id).unwrap();
    assert!(me.is_bot());
    assert!(
        me.server_permissions()
            .unwrap()
            .contains(Permissions::KICK_MEMBERS)
    );
    assert_eq!(me.top_role().unwrap().rank, 0);
    assert_eq!(bob_member.to_json()["_id"]["user"], bob.id.to_string());

    // Identity is (server, user): snapshots compare equal, and hash alike.
    let again = client.fetch_member(guild.id, bob.id).await.unwrap();
    assert_eq!(again, bob_member);
    assert!(again == bob_member && !(again != bob_member));
    assert_eq!(HashSet::from([again.clone(), bob_member.clone()]).len(), 1);
    assert_ne!(again, me);

    // Actions go through REST; the cache follows the events, with before and after.
    bob_member.edit().nickname(Some("Bobby")).await.unwrap();
    let Event::MemberUpdate {
        before,
        after,
        partial,
    } = next_member_event(&mut events).await
    else {
        panic!("expected an update")
    };
    assert_eq!(before.unwrap().nick(), None);
    let after = after.unwrap();
    assert_eq!(after.nick(), Some("Bobby"));
    assert_eq!(after.shown_name(), "Bobby");
    assert_eq!(
        after.display_name(),
        None,
        "the nickname is not the display name"
    );
    assert_eq!(partial.nick(), Patch::Set("Bobby"));

    bob_member
        .timeout(Some(Duration::from_mins(10)))
        .await
        .unwrap();
    let Event::MemberUpdate { after, .. } = next_member_event(&mut events).await else {
        panic!()
    };
    let timed_out = after.unwrap();
    assert!(timed_out.is_timed_out());
    assert!(
        timed_out
            .server_permissions()
            .unwrap()
            .difference(Permissions::ALLOW_IN_TIMEOUT)
            .is_empty()
    );

    // locally_update applies every field, the timeout included.
    let mut local = bob_member.clone();
    let Event::MemberUpdate { partial, .. } = ({
        bob_member.timeout(None).await.unwrap();
        next_member_event(&mut events).await
    }) else {
        panic!()
    };
    assert_eq!(partial.timed_out_until(), Patch::Clear);
    local.locally_update(&partial);
    assert_eq!(local.timed_out_until(), None);

    assert!(bob_member.fetch_flags().await.unwrap().flags.is_empty());
    assert!(
        bob_member
            .fetch_default_avatar()
            .await
            .unwrap()
            .starts_with(b"\x89PNG")
    );
    let png = bob_member.fetch_default_avatar().await.unwrap();
    let own = me
        .edit_avatar(ermine::http::request::file::upload::FileSource::Bytes {
            filename: "me.png".into(),
            bytes: png,
        })
        .await
        .unwrap();
    assert_eq!(own.server_avatar().unwrap().tag, "avatars");
    assert_eq!(bob_member.mutuals().await.unwrap().servers, vec![guild.id]);
    assert_eq!(me.bot_owner_id(), Some(owner.id));
    assert_eq!(
        me.get_bot_owner().unwrap().unwrap().id,
        owner.id,
        "the owner was cached by the member list"
    );
    assert!(
        matches!(bob_member.get_bot_owner(), Ok(None)),
        "a human has no owner: not an error"
    );
    assert_eq!(bob_member.raw_badges(), 0);
    let dm = bob_member.send("hello from the bot").await.unwrap();
    assert_eq!(
        bob_member.pm_id(),
        Some(dm.channel),
        "the opened DM is cached"
    );
    // DM actions resolve the DM channel first (its own request options).
    let opts = ermine::http::RequestOptions::default;
    let history = bob_member
        .history()
        .with(|h| h.limit(10))
        .channel_options(opts())
        .await
        .unwrap();
    assert_eq!(
        history.messages()[0].content.as_deref(),
        Some("hello from the bot")
    );
    let typing = bob_member.typing().options(opts()).await.unwrap();
    let start = loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Event::Typing {
            channel,
            started: true,
            ..
        } = event
        {
            break channel;
        }
    };
    assert_eq!(start, dm.channel);
    drop(typing);
    assert_eq!(
        bob_member.mutual_server_ids().await.unwrap(),
        vec![guild.id]
    );
    // What the server refuses bots, as documented: acknowledging, searching, reporting,
    // friend removal; and calls without a voice server.
    let api = |e: ermine::Error| match e {
        ermine::Error::Http(e) => e
            .api()
            .map(|a| a.type_name().to_owned())
            .unwrap_or_default(),
        other => panic!("{other}"),
    };
    assert_eq!(
        api(bob_member.acknowledge(dm.id).await.unwrap_err()),
        "IsBot"
    );
    assert_eq!(
        api(bob_member
            .search()
            .with(|s| s.query("hello"))
            .await
            .unwrap_err()),
        "IsBot"
    );
    let report = bob_member
        .report(ermine::model::report::UserReportReason::SpamAbuse, None)
        .await
        .unwrap_err();
    assert_eq!(report.api().unwrap().type_name(), "IsBot");
    assert_eq!(
        bob_member
            .remove_friend()
            .await
            .unwrap_err()
            .api()
            .unwrap()
            .type_name(),
        "IsBot"
    );
    assert_eq!(
        api(bob_member.join_call().await.unwrap_err()),
        "LiveKitUnavailable"
    );
    bob_member.kick().await.unwrap();
    let Event::MemberRemove {
        user,
        reason,
        member,
        ..
    } = next_member_event(&mut events).await
    else {
        panic!()
    };
    assert_eq!((user, reason.as_str()), (bob.id, "Kick"));
    assert_eq!(
        member.unwrap().nick(),
        Some("Bobby"),
        "the member as cached before it left"
    );
    assert!(client.member(guild.id, bob.id).is_none());
}

#[tokio::test]
async fn after_a_reconnect_kept_member_lists_are_refreshed_and_reported() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let bot = seed.bot("helper", owner.id);
    let guild = seed.server("G", owner.id);
    for user in [bob.id, carol.id, bot.id] {
        seed.join(guild.id, user);
    }
    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .cache(ermine::cache::CacheConfig::default().keep_member_lists(true))
        .build()
        .unwrap();
    let mut events = support::connected(&client).await;
    client.fetch_members(guild.id).await.unwrap();

    // The socket drops; meanwhile bob is renamed and carol kicked by the owner.
    server.control().drop_sockets();
    server.control().wait_for_sockets(|n| *n == 0).await;
    let owner_http = ermine::http::Client::builder()
        .session_token(owner.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    owner_http
        .edit_member(guild.id, bob.id)
        .nickname(Some("Renamed"))
        .await
        .unwrap();
    owner_http.kick_member(guild.id, carol.id).await.unwrap();

    let (changed, removed) = loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Event::Reconciled {
            changed, removed, ..
        } = event
        {
            break (changed, removed);
        }
    };
    assert_eq!(
        removed.iter().map(|m| m.user_id()).collect::<Vec<_>>(),
        vec![carol.id]
    );
    let (before, after) = changed.iter().find(|(b, _)| b.user_id() == bob.id).unwrap();
    assert_eq!((before.nick(), after.nick()), (None, Some("Renamed")));
    assert_eq!(
        client.member(guild.id, bob.id).unwrap().nick(),
        Some("Renamed")
    );
}
