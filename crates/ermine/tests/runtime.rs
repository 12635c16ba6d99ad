//! The event runtime: a consumer that awaits for a long time stalls neither the connection
//! nor the commands made meanwhile.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use ermine::{Client, Event, EventKind};

use support::next;

#[tokio::test]
async fn a_handler_slower_than_the_pong_timeout_stalls_nothing() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("slowpoke", owner.id);
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bot.id);
    let api = server.urls().api.clone();
    // A ping every 20 ms, and a connection is replaced when a pong is 60 ms late.
    let bot_client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(api.clone())
        .gateway(|g| g.heartbeat(Duration::from_millis(20), Duration::from_millis(60)))
        .build()
        .unwrap();
    let mut bot_events = support::connected(&bot_client).await;
    let owner_client = Client::builder()
        .session_token(owner.token.clone())
        .base_url(api)
        .build()
        .unwrap();
    let mut owner_events = support::connected(&owner_client).await;
    let opened = server.control().sockets_opened();

    owner_client
        .http()
        .send_message(guild.general)
        .content("!slow")
        .await
        .unwrap();
    next(
        &mut bot_events,
        "the command",
        |e| matches!(e, Event::Message(m) if m.content.as_deref() == Some("!slow")),
    )
    .await;

    // The handler: typing at once, then busy for 30 pings (ten pong timeouts) without reading
    // any event, while more messages arrive; then the reply.
    let typing = bot_events.handle().unwrap().typing(guild.general);
    for n in 0..5 {
        owner_client
            .http()
            .send_message(guild.general)
            .content(&format!("meanwhile {n}"))
            .await
            .unwrap();
    }
    let control = server.control();
    let until = control.pings() + 30;
    tokio::time::timeout(Duration::from_secs(10), control.wait_for_pings(until))
        .await
        .expect("the runtime keeps pinging while the handler is busy");
    let reply = bot_client
        .http()
        .send_message(guild.general)
        .content("done")
        .await
        .unwrap();
    drop(typing);

    // Another client saw the typing indicator before the reply.
    let first = next(&mut owner_events, "typing or the reply", |e| {
        matches!(e, Event::Typing { user, started: true, .. } if *user == bot.id)
            || matches!(e, Event::Message(m) if m.id == reply.id)
    })
    .await;
    assert!(
        matches!(first, Event::Typing { .. }),
        "typing should be seen before the reply, got {first:?}"
    );
    // No reconnect, and every event that arrived meanwhile is delivered, in order.
    assert_eq!(server.control().sockets_opened(), opened);
    for n in 0..5 {
        let want = format!("meanwhile {n}");
        next(
            &mut bot_events,
            &want,
            |e| matches!(e, Event::Message(m) if m.content.as_deref() == Some(want.as_str())),
        )
        .await;
    }
    let Event::Message(own) = next(&mut bot_events, "its own reply", |e| {
        matches!(e, Event::Message(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(own.id, reply.id);
    assert_eq!(server.control().sockets_opened(), opened);
}

#[tokio::test]
async fn only_the_chosen_kinds_are_delivered_and_the_cache_still_sees_everything() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("picky", owner.id);
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bot.id);
    let api = server.urls().api.clone();
    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(api.clone())
        .build()
        .unwrap();
    let mut events = support::connected(&client)
        .await
        .only([EventKind::MessageDelete]);
    let admin = ermine::http::Client::builder()
        .session_token(owner.token.clone())
        .base_url(api)
        .build()
        .unwrap();
    // A member update nobody asked for: applied to the cache without being made an event.
    admin
        .edit_member(guild.id, owner.id)
        .nickname(Some("Boss"))
        .await
        .unwrap();
    // And a user update nobody asked for.
    admin
        .edit_self()
        .display_name(Some("The Owner"))
        .await
        .unwrap();
    let message = admin
        .send_message(guild.general)
        .content("soon gone")
        .await
        .unwrap();
    admin
        .delete_message(guild.general, message.id)
        .await
        .unwrap();
    let event = next(&mut events, "the deletion", |_| true).await;
    assert_eq!(event.kind(), EventKind::MessageDelete);
    let Event::MessageDelete { message: held, .. } = event else {
        unreachable!()
    };
    // The creation was not delivered, but the cache applied it: the deletion carries it.
    assert_eq!(held.unwrap().content.as_deref(), Some("soon gone"));
    // So was the nickname, received before it.
    let owner_member = client.member(guild.id, owner.id).expect("cached");
    assert_eq!(owner_member.nick(), Some("Boss"));
    let owner_user = client.cache().user(owner.id).expect("cached");
    assert_eq!(owner_user.display_name.as_deref(), Some("The Owner"));
}

/// A bot keeping member lists, connected, with the list of a server it shares with its owner
/// and bob fetched; the owner's REST client to make changes.
struct Keeping {
    server: ermine_testkit::TestServer,
    client: Client,
    events: ermine::Events,
    owner_http: ermine::http::Client,
    guild: ermine_testkit::SeededServer,
    owner: ermine_testkit::SeededUser,
    bob: ermine_testkit::SeededUser,
}

async fn keeping_lists() -> Keeping {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    let bot = seed.bot("keeper", owner.id);
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bob.id);
    seed.join(guild.id, bot.id);
    let api = server.urls().api.clone();
    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(api.clone())
        .cache(ermine::cache::CacheConfig::default().keep_member_lists(true))
        .build()
        .unwrap();
    let events = support::connected(&client).await;
    client.fetch_members(guild.id).await.unwrap();
    let owner_http = ermine::http::Client::builder()
        .session_token(owner.token.clone())
        .base_url(api)
        .build()
        .unwrap();
    Keeping {
        server,
        client,
        events,
        owner_http,
        guild,
        owner,
        bob,
    }
}

/// The reconnect's `Ready` arrives, and the refresh it started is held at the gate.
async fn reconnected(events: &mut ermine::Events, gate: &ermine_testkit::Gate) {
    next(
        events,
        "the reconnect's Ready",
        |e| matches!(e, Event::Ready(r) if r.reconnect),
    )
    .await;
    gate.reached(1).await;
}

/// The refresh after a reconnect is served `body` as the server's member list, held at a gate
/// until the caller opens it: the socket is dropped, the reconnect's `Ready` arrives, and the
/// refresh reaches the gate.
async fn refresh_served(
    server: &ermine_testkit::TestServer,
    events: &mut ermine::Events,
    guild: &ermine_testkit::SeededServer,
    body: &serde_json::Value,
) -> ermine_testkit::Gate {
    let path = format!("/servers/{}/members", guild.id);
    server.control().inject_fault(
        ermine_testkit::Fault::new(&path, 1, 200, body.to_string())
            .content_type("application/json"),
    );
    let gate = server.control().hold(&path);
    server.control().drop_sockets();
    server.control().wait_for_sockets(|n| *n == 0).await;
    reconnected(events, &gate).await;
    gate
}

/// Releases the held list and waits for its reconciliation.
async fn reconciled(gate: ermine_testkit::Gate, events: &mut ermine::Events) -> Event {
    gate.open();
    next(events, "the reconciliation", |e| {
        matches!(e, Event::Reconciled { .. })
    })
    .await
}

/// The owner renames bob; the rename's event arrives.
async fn rename(
    owner_http: &ermine::http::Client,
    events: &mut ermine::Events,
    guild: &ermine_testkit::SeededServer,
    bob: &ermine_testkit::SeededUser,
    nickname: &str,
) {
    owner_http
        .edit_member(guild.id, bob.id)
        .nickname(Some(nickname))
        .await
        .unwrap();
    next(events, "the rename", |e| {
        matches!(e, Event::MemberUpdate { .. })
    })
    .await;
}

#[tokio::test]
async fn member_lists_refetched_after_a_reconnect_do_not_hold_events_back() {
    let Keeping {
        server,
        client,
        mut events,
        owner_http,
        guild,
        owner: _,
        bob,
    } = keeping_lists().await;

    // The list the refresh reads is held in flight.
    let gate = server
        .control()
        .hold(format!("/servers/{}/members", guild.id));
    server.control().drop_sockets();
    server.control().wait_for_sockets(|n| *n == 0).await;
    owner_http
        .edit_member(guild.id, bob.id)
        .nickname(Some("First"))
        .await
        .unwrap();
    reconnected(&mut events, &gate).await;

    // While the list is in flight, events flow: a message, and a newer rename.
    owner_http
        .send_message(guild.general)
        .content("still hearing you")
        .await
        .unwrap();
    next(&mut events, "a message during the refresh", |e| {
        matches!(e, Event::Message(_))
    })
    .await;
    rename(&owner_http, &mut events, &guild, &bob, "Second").await;
    assert_eq!(
        client.member(guild.id, bob.id).unwrap().nick(),
        Some("Second")
    );

    // The list (read before the newer rename) arrives: the cache keeps the newer state.
    let Event::Reconciled { server: id, .. } = reconciled(gate, &mut events).await else {
        unreachable!()
    };
    assert_eq!(id, guild.id);
    assert_eq!(
        client.member(guild.id, bob.id).unwrap().nick(),
        Some("Second"),
        "member events received during the refresh are applied again after the list"
    );
}

/// A refreshed list that stops decoding part way is reported, keeps what it put in, and does
/// not roll back member events received while it was in flight.
#[tokio::test]
async fn a_refresh_that_fails_part_way_keeps_the_newest_state() {
    let Keeping {
        server,
        client,
        mut events,
        owner_http,
        guild,
        owner,
        bob,
    } = keeping_lists().await;

    // The refresh reads a list whose 1,201st member does not decode: bob (stale) and 1,199
    // others come before it, more than one batch.
    let member = |user: String, nickname: &str| {
        serde_json::json!({"_id": {"server": guild.id.to_string(), "user": user},
            "joined_at": "2026-01-01T00:00:00Z", "nickname": nickname})
    };
    let mut members = vec![member(bob.id.to_string(), "Stale")];
    members.extend((0..1_199).map(|i| member(format!("01M8{i:022}"), "filler")));
    members.push(serde_json::json!({"_id": "not a member"}));
    let body = serde_json::json!({"members": members, "users": []});
    let gate = refresh_served(&server, &mut events, &guild, &body).await;
    rename(&owner_http, &mut events, &guild, &bob, "Fresh").await;

    gate.open();
    let Event::RefreshFailed { server: id, error } = next(&mut events, "the failed refresh", |e| {
        matches!(e, Event::RefreshFailed { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(id, guild.id);
    let ermine::Error::Http(error) = &*error else {
        panic!("{error:?}")
    };
    assert!(
        matches!(error.kind(), ermine::http::ErrorKind::Decode),
        "{error:?}"
    );
    assert_eq!(
        client.member(guild.id, bob.id).unwrap().nick(),
        Some("Fresh"),
        "the rename received during the refresh is applied again over the list's stale copy"
    );
    // The batches decoded before the error are in; nobody was removed.
    let cached = client.cache().member_count(guild.id);
    assert!((1_024..1_200 + 3).contains(&cached), "{cached}");
    assert!(client.member(guild.id, owner.id).is_some());
}

/// A user update received while a member list is in flight is applied again over the list's
/// copy of the user, which is older.
#[tokio::test]
async fn a_user_update_received_during_a_refresh_is_not_rolled_back() {
    let Keeping {
        server,
        client,
        mut events,
        owner_http: _,
        guild,
        owner,
        bob,
    } = keeping_lists().await;

    // The refresh reads a list holding bob as he was before: display name "Stale".
    let member = |user: String| {
        serde_json::json!({"_id": {"server": guild.id.to_string(), "user": user},
            "joined_at": "2026-01-01T00:00:00Z"})
    };
    let body = serde_json::json!({
        "members": [member(owner.id.to_string()), member(bob.id.to_string())],
        "users": [{"_id": bob.id.to_string(), "username": "bob", "discriminator": "0001",
            "display_name": "Stale", "relationship": "None", "online": false}],
    });
    let gate = refresh_served(&server, &mut events, &guild, &body).await;

    // While it is in flight, bob renames himself.
    let bob_http = ermine::http::Client::builder()
        .session_token(bob.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    bob_http
        .edit_self()
        .display_name(Some("Fresh"))
        .await
        .unwrap();
    next(
        &mut events,
        "bob's update",
        |e| matches!(e, Event::UserUpdate { id, .. } if *id == bob.id),
    )
    .await;

    reconciled(gate, &mut events).await;
    assert_eq!(
        client.cache().user(bob.id).unwrap().display_name.as_deref(),
        Some("Fresh"),
        "the update received during the refresh is applied again over the list's copy"
    );
}

/// A member list body of `guild`: each user as a member holding the roles given, and the user.
fn list_body(
    guild: &ermine_testkit::SeededServer,
    members: &[(&ermine_testkit::SeededUser, &[String])],
) -> serde_json::Value {
    let member = |(user, roles): &(&ermine_testkit::SeededUser, &[String])| {
        serde_json::json!({"_id": {"server": guild.id.to_string(), "user": user.id.to_string()},
            "joined_at": "2026-01-01T00:00:00Z", "roles": roles})
    };
    let user = |(user, _): &(&ermine_testkit::SeededUser, &[String])| {
        serde_json::json!({"_id": user.id.to_string(), "username": user.username,
            "discriminator": user.discriminator, "relationship": "None", "online": false})
    };
    serde_json::json!({"members": members.iter().map(member).collect::<Vec<_>>(),
        "users": members.iter().map(user).collect::<Vec<_>>()})
}

/// A user wiped from the platform while a member list (read before) is in flight is not put
/// back by it.
#[tokio::test]
async fn a_wipe_received_during_a_refresh_is_not_rolled_back() {
    let Keeping {
        server,
        client,
        mut events,
        owner_http: _,
        guild,
        owner,
        bob,
    } = keeping_lists().await;
    let body = list_body(&guild, &[(&owner, &[]), (&bob, &[])]);
    let gate = refresh_served(&server, &mut events, &guild, &body).await;

    let me = client.cache().me().unwrap();
    let sent = server.control().inject_frame(
        me,
        serde_json::json!({"type": "UserPlatformWipe", "user_id": bob.id.to_string(), "flags": 4}),
    );
    assert_eq!(sent, 1);
    next(
        &mut events,
        "bob's wipe",
        |e| matches!(e, Event::UserWipe { user, .. } if *user == bob.id),
    )
    .await;
    assert!(client.cache().user(bob.id).is_none());

    reconciled(gate, &mut events).await;
    assert!(
        client.cache().user(bob.id).is_none(),
        "the wipe is applied again over the list's copy of bob"
    );
    assert!(client.member(guild.id, bob.id).is_none());
    assert!(client.member(guild.id, owner.id).is_some());
}

/// A role deleted while a member list (read before, its members holding the role) is in
/// flight is not given back to them by it.
#[tokio::test]
async fn a_role_deleted_during_a_refresh_is_not_rolled_back() {
    let Keeping {
        server,
        client,
        mut events,
        owner_http,
        guild,
        owner,
        bob,
    } = keeping_lists().await;
    let role = owner_http.create_role(guild.id, "Helper").await.unwrap();
    next(&mut events, "the new role", |e| {
        matches!(e, Event::RoleUpdate { .. })
    })
    .await;
    let body = list_body(&guild, &[(&owner, &[]), (&bob, &[role.id.to_string()])]);
    let gate = refresh_served(&server, &mut events, &guild, &body).await;

    owner_http.delete_role(guild.id, role.id).await.unwrap();
    next(
        &mut events,
        "the role's deletion",
        |e| matches!(e, Event::RoleDelete { id, .. } if *id == role.id),
    )
    .await;

    reconciled(gate, &mut events).await;
    // As stored (a member's handle shows only the roles its server still has).
    let roles = client.cache().member(guild.id, bob.id).unwrap().roles;
    assert!(
        !roles.contains(&role.id),
        "the deletion is applied again over the list's members: {roles:?}"
    );
}

/// A member list in flight for a server deleted meanwhile is dropped: the server's members
/// do not come back, and no reconciliation is reported for it.
#[tokio::test]
async fn a_refresh_for_a_server_deleted_meanwhile_is_dropped() {
    let Keeping {
        server,
        client,
        mut events,
        owner_http,
        guild,
        owner,
        bob,
    } = keeping_lists().await;
    let body = list_body(&guild, &[(&owner, &[]), (&bob, &[])]);
    let gate = refresh_served(&server, &mut events, &guild, &body).await;

    owner_http.delete_server(guild.id).await.unwrap();
    next(
        &mut events,
        "the server's deletion",
        |e| matches!(e, Event::ServerDelete { id, .. } if *id == guild.id),
    )
    .await;
    assert_eq!(client.cache().member_count(guild.id), 0);

    // The list is released; then an event follows it on the connection.
    gate.open();
    let me = client.cache().me().unwrap();
    server.control().inject_frame(
        me,
        serde_json::json!({"type": "UserPlatformWipe", "user_id": bob.id.to_string(), "flags": 4}),
    );
    let after = next(&mut events, "the event after the released list", |e| {
        matches!(e, Event::UserWipe { .. } | Event::Reconciled { .. })
    })
    .await;
    assert!(
        matches!(after, Event::UserWipe { .. }),
        "a list for a deleted server is not applied: {after:?}"
    );
    assert_eq!(client.cache().member_count(guild.id), 0);
    assert!(client.member(guild.id, owner.id).is_none());
}

#[tokio::test]
async fn a_wait_started_after_its_answer_arrived_still_gets_it() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let guild = seed.server("Guild", owner.id);
    let client = Client::builder()
        .session_token(owner.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    let mut events = support::connected(&client).await;
    let sent = client.channel(guild.general).send("early").await.unwrap();
    next(
        &mut events,
        "the message",
        |e| matches!(e, Event::Message(m) if m.id == sent.id),
    )
    .await;
    // The answer is already in: the wait takes it from the recent events.
    let id = sent.id;
    let got = client
        .wait_for(
            move |e| matches!(e, Event::Message(m) if m.id == id),
            std::time::Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert!(matches!(got, Event::Message(m) if m.id == sent.id));
    // A wait for something that does not come ends with TimedOut.
    let nothing = client
        .wait_for(
            move |e| matches!(e, Event::Message(m) if m.id > id),
            std::time::Duration::from_millis(20),
        )
        .await;
    assert!(matches!(nothing, Err(ermine::Error::TimedOut)));
}
