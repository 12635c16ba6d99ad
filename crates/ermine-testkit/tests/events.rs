//! The events socket over a plain WebSocket client: handshake, Ready, pings, formats,
//! typing, fan-out of state changes, presence, logout and the socket controls.

#![allow(
    clippy::too_many_lines,
    clippy::type_complexity,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use std::time::Duration;

use common::Harness;
use ermine_model::permission::{Override, OverrideRequest, Permissions};
use serde_json::{Value, json};

const QUIET: Duration = Duration::from_millis(150);

#[tokio::test]
async fn a_bad_token_gets_an_error_then_the_socket_closes() {
    let h = Harness::new().await;
    let mut socket = h.socket("format=json&token=invalid-token-xyz").await;
    let error = socket.next_json().await.expect("an error frame");
    assert_eq!(error["type"], "Error");
    assert_eq!(error["data"]["type"], "InvalidSession");
    assert!(socket.next_json().await.is_none(), "then the socket closes");
}

#[tokio::test]
async fn authenticate_frame_then_ready_with_selection() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let guild = h.server.seed().server("G", alice.id);
    let mut socket = h.socket("format=json&ready=users&ready=servers").await;
    // Frames before authenticating are ignored.
    socket.send_json(json!({"type": "Ping", "data": 1})).await;
    socket
        .send_json(json!({"type": "Authenticate", "token": alice.token}))
        .await;
    assert_eq!(socket.next_json().await.unwrap()["type"], "Authenticated");
    let ready = socket.next_json().await.unwrap();
    assert_eq!(ready["type"], "Ready");
    let keys: Vec<&String> = ready
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "type")
        .collect();
    assert_eq!(keys.len(), 2, "{ready}");
    assert_eq!(ready["users"][0]["_id"], json!(alice.id.to_string()));
    assert_eq!(ready["users"][0]["relationship"], "User");
    assert_eq!(ready["users"][0]["online"], true);
    assert_eq!(ready["servers"][0]["_id"], json!(guild.id.to_string()));
}

#[tokio::test]
async fn full_ready_for_users_and_bots() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let bot = h.server.seed().bot("helper", alice.id);
    let guild = h.server.seed().server("G", alice.id);
    h.server.seed().join(guild.id, bot.id);
    let (_s, ready) = h.ready_socket(&alice.token).await;
    for key in [
        "users",
        "servers",
        "channels",
        "members",
        "emojis",
        "voice_states",
        "policy_changes",
    ] {
        assert!(ready.get(key).is_some(), "{key} in {ready}");
    }
    assert!(ready.get("channel_unreads").is_none());
    assert_eq!(
        ready["members"][0]["_id"]["user"],
        json!(alice.id.to_string())
    );
    assert_eq!(
        ready["channels"][0]["_id"],
        json!(guild.general.to_string())
    );
    let (_b, bot_ready) = h.ready_socket(&bot.token).await;
    assert!(bot_ready.get("policy_changes").is_none(), "never for bots");
    assert_eq!(bot_ready["servers"][0]["_id"], json!(guild.id.to_string()));
}

#[tokio::test]
async fn pings_are_echoed_unless_bad_or_switched_off() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let (mut socket, _) = h.ready_socket(&alice.token).await;
    socket
        .send_json(json!({"type": "Ping", "data": 12345}))
        .await;
    assert_eq!(socket.expect("Pong").await["data"], 12345);
    socket
        .send_json(json!({"type": "Ping", "data": [1, 2, 3]}))
        .await;
    assert_eq!(socket.expect("Pong").await["data"], json!([1, 2, 3]));
    socket.send_json(json!({"type": "Ping", "data": -5})).await;
    socket.send_json(json!({"type": "NoSuchThing"})).await;
    assert!(
        socket.until_pong().await.is_empty(),
        "bad pings and unknown frames are ignored"
    );

    h.server.control().answer_pings(false);
    socket.send_json(json!({"type": "Ping", "data": 7})).await;
    assert!(socket.drain(QUIET).await.is_empty());
    h.server.control().answer_pings(true);
    socket.send_json(json!({"type": "Ping", "data": 8})).await;
    assert_eq!(socket.expect("Pong").await["data"], 8);
}

#[tokio::test]
async fn msgpack_frames_carry_integer_timestamps() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    h.server.seed().server("G", alice.id);
    let mut socket = h
        .socket(&format!("format=msgpack&token={}", alice.token))
        .await;
    let frame = tokio::time::timeout(
        Duration::from_secs(2),
        futures_util::StreamExt::next(&mut socket.ws),
    )
    .await
    .unwrap()
    .unwrap()
    .unwrap();
    assert!(frame.is_binary(), "msgpack is sent as binary frames");
    let ready = socket.next_json().await.unwrap();
    assert_eq!(ready["type"], "Ready");
    assert!(
        ready["members"][0]["joined_at"].is_i64(),
        "{}",
        ready["members"][0]
    );
    // Client frames may be msgpack too.
    let ping = rmp_serde::to_vec_named(&json!({"type": "Ping", "data": 99})).unwrap();
    futures_util::SinkExt::send(
        &mut socket.ws,
        tokio_tungstenite::tungstenite::Message::Binary(ping.into()),
    )
    .await
    .unwrap();
    assert_eq!(socket.expect("Pong").await["data"], 99);
}

#[tokio::test]
async fn typing_reaches_those_who_can_see_the_channel() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let bob = h.server.seed().user("bob");
    let outsider = h.server.seed().user("outsider");
    let guild = h.server.seed().server("G", alice.id);
    h.server.seed().join(guild.id, bob.id);
    let (mut a, _) = h.ready_socket(&alice.token).await;
    let (mut b, _) = h.ready_socket(&bob.token).await;
    let (mut o, _) = h.ready_socket(&outsider.token).await;
    a.until_pong().await;
    b.send_json(json!({"type": "BeginTyping", "channel": guild.general}))
        .await;
    let start = a.expect("ChannelStartTyping").await;
    assert_eq!(
        start,
        json!({"type": "ChannelStartTyping", "id": guild.general, "user": bob.id})
    );
    b.send_json(json!({"type": "EndTyping", "channel": guild.general}))
        .await;
    assert_eq!(
        a.expect("ChannelStopTyping").await["user"],
        json!(bob.id.to_string())
    );
    o.send_json(json!({"type": "BeginTyping", "channel": guild.general}))
        .await;
    // The outsider's frames are handled in order: once its ping is answered, its typing has
    // been handled, and anything it caused for alice is in her queue before her own Pong.
    assert!(
        o.until_pong()
            .await
            .iter()
            .all(|f| f["type"] != "ChannelStartTyping")
    );
    assert!(
        a.until_pong()
            .await
            .iter()
            .all(|f| f["type"] != "ChannelStartTyping")
    );
}

#[tokio::test]
async fn state_changes_fan_out_to_everyone_who_may_see_them() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let bob = h.server.seed().user("bob");
    let guild = h.server.seed().server("G", alice.id);
    let (mut a, _) = h.ready_socket(&alice.token).await;
    let (mut b, _) = h.ready_socket(&bob.token).await;

    let invite = h
        .call(
            "POST",
            &format!("/channels/{}/invites", guild.general),
            Some(&alice.token),
            None,
        )
        .await;
    let code = invite.body["_id"].as_str().unwrap().to_owned();
    h.call("POST", &format!("/invites/{code}"), Some(&bob.token), None)
        .await;
    let join = a.expect("ServerMemberJoin").await;
    assert_eq!(join["user"], json!(bob.id.to_string()));
    assert_eq!(join["member"]["_id"]["user"], json!(bob.id.to_string()));
    let created = b.expect("ServerCreate").await;
    assert_eq!(created["server"]["_id"], json!(guild.id.to_string()));
    assert_eq!(
        created["channels"][0]["_id"],
        json!(guild.general.to_string())
    );

    let role = h
        .call(
            "POST",
            &format!("/servers/{}/roles", guild.id),
            Some(&alice.token),
            Some(json!({"name": "Mod"})),
        )
        .await;
    let role_id = role.body["id"].as_str().unwrap().to_owned();
    let update = b.expect("ServerRoleUpdate").await;
    assert_eq!(update["data"]["name"], "Mod");
    assert_eq!(update["data"]["rank"], 0);
    let second = h
        .call(
            "POST",
            &format!("/servers/{}/roles", guild.id),
            Some(&alice.token),
            Some(json!({"name": "Two"})),
        )
        .await;
    let second_id = second.body["id"].as_str().unwrap().to_owned();
    h.call(
        "PATCH",
        &format!("/servers/{}/roles/ranks", guild.id),
        Some(&alice.token),
        Some(json!({"ranks": [second_id, role_id]})),
    )
    .await;
    let ranks = b.expect("ServerRoleRanksUpdate").await;
    assert_eq!(ranks["ranks"], json!([second_id, role_id]));

    h.call(
        "PATCH",
        &format!("/servers/{}/members/{}", guild.id, bob.id),
        Some(&alice.token),
        Some(json!({"roles": [role_id]})),
    )
    .await;
    assert_eq!(
        b.expect("ServerMemberUpdate").await["data"]["roles"],
        json!([role_id])
    );
    h.call(
        "DELETE",
        &format!("/servers/{}/roles/{role_id}", guild.id),
        Some(&alice.token),
        None,
    )
    .await;
    assert_eq!(
        b.expect("ServerRoleDelete").await["role_id"],
        json!(role_id)
    );
    let member = h
        .call(
            "GET",
            &format!("/servers/{}/members/{}", guild.id, bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert!(
        member.body.get("roles").is_none(),
        "a deleted role leaves its members"
    );

    h.call(
        "PATCH",
        &format!("/servers/{}", guild.id),
        Some(&alice.token),
        Some(json!({"name": "Renamed"})),
    )
    .await;
    assert_eq!(b.expect("ServerUpdate").await["data"]["name"], "Renamed");

    let sent = h
        .call(
            "POST",
            &format!("/channels/{}/messages", guild.general),
            Some(&bob.token),
            Some(json!({"content": "hi"})),
        )
        .await;
    assert_eq!(sent.body["user"]["relationship"], "None");
    let seen_by_alice = a.expect("Message").await;
    assert_eq!(seen_by_alice["content"], "hi");
    assert_eq!(seen_by_alice["user"]["relationship"], "None");
    assert_eq!(
        seen_by_alice["member"]["_id"]["user"],
        json!(bob.id.to_string())
    );
    let seen_by_bob = b.expect("Message").await;
    assert_eq!(
        seen_by_bob["user"]["relationship"], "User",
        "rendered per recipient"
    );

    let message_id = sent.body["_id"].as_str().unwrap();
    h.call(
        "PUT",
        &format!("/channels/{}/ack/{message_id}", guild.general),
        Some(&bob.token),
        None,
    )
    .await;
    assert_eq!(
        b.expect("ChannelAck").await["message_id"],
        json!(message_id)
    );
    assert!(
        a.until_pong()
            .await
            .iter()
            .all(|f| f["type"] != "ChannelAck"),
        "acks are private"
    );

    h.call(
        "DELETE",
        &format!("/servers/{}", guild.id),
        Some(&bob.token),
        None,
    )
    .await;
    let leave = a.expect("ServerMemberLeave").await;
    assert_eq!(leave["reason"], "Leave");
}

#[tokio::test]
async fn permission_changes_arrive_as_bulk_with_channel_visibility() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let bob = h.server.seed().user("bob");
    let guild = h.server.seed().server("G", alice.id);
    h.server.seed().join(guild.id, bob.id);
    let (mut b, _) = h.ready_socket(&bob.token).await;
    let hide = OverrideRequest::from(Override::new(
        Permissions::empty(),
        Permissions::VIEW_CHANNEL,
    ));
    let answer = h
        .call(
            "PUT",
            &format!("/channels/{}/permissions/default", guild.general),
            Some(&alice.token),
            Some(json!({"permissions": hide})),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let bulk = b.expect("Bulk").await;
    assert_eq!(
        bulk["v"],
        json!([{"type": "ChannelDelete", "id": guild.general}])
    );

    let show = OverrideRequest::default();
    h.call(
        "PUT",
        &format!("/channels/{}/permissions/default", guild.general),
        Some(&alice.token),
        Some(json!({"permissions": show})),
    )
    .await;
    let bulk = b.expect("Bulk").await;
    let kinds: Vec<&Value> = bulk["v"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["type"])
        .collect();
    assert_eq!(kinds, vec!["ChannelCreate", "ChannelUpdate"]);
}

#[tokio::test]
async fn friends_presence_and_subscriptions() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let bob = h.server.seed().user("bob");
    let carol = h.server.seed().user("carol");
    let guild = h.server.seed().server("G", alice.id);
    h.server.seed().join(guild.id, bob.id);
    h.server.seed().join(guild.id, carol.id);
    let (mut a, _) = h.ready_socket(&alice.token).await;
    let (mut c, _) = h.ready_socket(&carol.token).await;
    c.send_json(json!({"type": "Subscribe", "server_id": guild.id}))
        .await;
    // Handled in order: once the ping is answered, the subscription is in place.
    c.until_pong().await;

    let request = h
        .call(
            "POST",
            "/users/friend",
            Some(&alice.token),
            Some(json!({"username": format!("bob#{}", bob.discriminator)})),
        )
        .await;
    assert_eq!(request.body["relationship"], "Outgoing");
    let outgoing = a.expect("UserRelationship").await;
    assert_eq!(outgoing["id"], json!(alice.id.to_string()));
    assert_eq!(outgoing["user"]["relationship"], "Outgoing");
    let accepted = h
        .call(
            "PUT",
            &format!("/users/{}/friend", alice.id),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(accepted.body["relationship"], "Friend");
    assert_eq!(
        a.expect("UserRelationship").await["user"]["relationship"],
        "Friend"
    );

    // Bob comes online: carol, subscribed to the server, hears it. Alice does not: her
    // connection predates the friendship, and a connection hears the users of its Ready
    // snapshot only (as the real events server). A marker sent after shows nothing came
    // before it.
    let (b, _) = h.ready_socket(&bob.token).await;
    assert_eq!(
        c.expect("UserUpdate").await["id"],
        json!(bob.id.to_string())
    );
    h.server
        .control()
        .inject_frame(alice.id, json!({"type": "Pong", "data": "marker"}));
    let next = a.next_json().await.unwrap();
    assert_eq!(
        next["data"], "marker",
        "no UserUpdate before the marker: {next}"
    );
    drop(b);
    let gone = c.expect("UserUpdate").await;
    assert_eq!(
        gone["data"]["online"], false,
        "bob is offline before alice reconnects"
    );
    // Reconnected, alice's Ready has bob as a friend: she hears him come and go.
    drop(a);
    let (mut a, _) = h.ready_socket(&alice.token).await;
    let (b, _) = h.ready_socket(&bob.token).await;
    let online = a.expect("UserUpdate").await;
    assert_eq!(online["data"], json!({"online": true}));
    drop(b);
    let offline = a.expect("UserUpdate").await;
    assert_eq!(offline["data"]["online"], false);
}

#[tokio::test]
async fn logout_drop_and_injected_frames() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let (mut s1, _) = h.ready_socket(&alice.token).await;
    let reached = h
        .server
        .control()
        .inject_frame(alice.id, json!({"type": "Bees", "hello": 1}));
    assert_eq!(reached, 1);
    assert_eq!(
        s1.next_json().await.unwrap(),
        json!({"type": "Bees", "hello": 1})
    );

    assert_eq!(h.server.control().socket_count(), 1);
    assert_eq!(h.server.control().drop_sockets(), 1);
    assert!(s1.next_json().await.is_none());
    h.server.control().wait_for_sockets(|n| *n == 0).await;
    assert_eq!(h.server.control().socket_count(), 0);

    let (mut s2, _) = h.ready_socket(&alice.token).await;
    let out = h
        .call("POST", "/auth/session/logout", Some(&alice.token), None)
        .await;
    assert_eq!(out.status, 204);
    assert_eq!(s2.next_json().await.unwrap()["type"], "Logout");
    assert!(s2.next_json().await.is_none());
    let after = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    assert_eq!(after.status, 401);
}
