//! Behaviours where the local server once differed from a real Stoat server and real clients
//! broke on the difference: who "you" are in `Ready`, how bots appear, timestamps without
//! an offset, stored message flags, your own user inside a message.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::similar_names
)]

mod common;

use common::Harness;
use serde_json::{Value, json};

fn ids(users: &Value) -> Vec<&str> {
    users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["_id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn your_own_user_comes_last_in_ready_in_the_self_view() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    // Users made later have larger IDs: the friend and the bot sort after alice.
    let alice = seed.user("alice");
    let friend = seed.user("friend");
    seed.friends(alice.id, friend.id);
    let bot = seed.bot("helper", alice.id);
    let guild = seed.server("Guild", alice.id);
    seed.join(guild.id, bot.id);
    let dm = h
        .call(
            "GET",
            &format!("/users/{}/dm", bot.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(dm.status, 200, "{}", dm.body);
    let (_socket, ready) = h.ready_socket(&alice.token).await;
    let users = &ready["users"];
    let order = ids(users);
    assert_eq!(
        order.last(),
        Some(&alice.id.to_string().as_str()),
        "{order:?}"
    );
    assert_eq!(order.len(), 3, "{order:?}");
    let me = users.as_array().unwrap().last().unwrap();
    assert_eq!(me["relationship"], "User");
    assert_eq!(me["relations"][0]["_id"], json!(friend.id));
    for other in &users.as_array().unwrap()[..2] {
        assert!(other.get("relations").is_none(), "{other}");
    }
    // A bot's own Ready also ends with itself.
    let (_socket, ready) = h.ready_socket(&bot.token).await;
    let order = ids(&ready["users"]);
    assert_eq!(
        order.last(),
        Some(&bot.id.to_string().as_str()),
        "{order:?}"
    );
}

#[tokio::test]
async fn bots_are_none_to_everyone_their_owner_included() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("helper", owner.id);
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bot.id);

    let fetched = h
        .call(
            "GET",
            &format!("/users/{}", bot.id),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(fetched.body["relationship"], "None", "{}", fetched.body);
    let members = h
        .call(
            "GET",
            &format!("/servers/{}/members", guild.id),
            Some(&owner.token),
            None,
        )
        .await;
    let listed = members.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["_id"] == json!(bot.id))
        .unwrap();
    assert_eq!(listed["relationship"], "None");
    // The bot's message, as its owner receives and fetches it.
    let (mut socket, _) = h.ready_socket(&owner.token).await;
    let sent = h
        .bot(
            "POST",
            &format!("/channels/{}/messages", guild.general),
            &bot.token,
            Some(json!({"content": "hi"})),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let event = socket.expect("Message").await;
    assert_eq!(event["user"]["relationship"], "None", "{event}");
    // Only the self view says `User`.
    let me = h.bot("GET", "/users/@me", &bot.token, None).await;
    assert_eq!(me.body["relationship"], "User");
    let (_bot_socket, ready) = h.ready_socket(&bot.token).await;
    let entries = ready["users"].as_array().unwrap();
    assert_eq!(entries.last().unwrap()["relationship"], "User");
    let owner_entry = entries.iter().find(|u| u["_id"] == json!(owner.id));
    if let Some(owner_entry) = owner_entry {
        assert_ne!(owner_entry["relationship"], "User");
    }
}

#[tokio::test]
async fn timestamps_without_an_offset_are_read_as_utc() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let owner = seed.user("owner");
    let target = seed.user("target");
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, target.id);
    let path = format!("/servers/{}/members/{}", guild.id, target.id);
    for (sent, stored) in [
        ("2030-01-01T00:00:00", "2030-01-01T00:00:00.000Z"),
        ("2030-01-01T00:00:00.445265", "2030-01-01T00:00:00.445Z"),
        ("2030-01-01T00:00:00+01:00", "2029-12-31T23:00:00.000Z"),
    ] {
        let edited = h
            .call(
                "PATCH",
                &path,
                Some(&owner.token),
                Some(json!({ "timeout": sent })),
            )
            .await;
        assert_eq!(edited.status, 200, "{sent}: {}", edited.body);
        assert_eq!(edited.body["timeout"], stored, "{sent}");
    }
}

#[tokio::test]
async fn message_flags_are_stored_as_the_server_recomputes_them() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let guild = seed.server("Guild", alice.id);
    let path = format!("/channels/{}/messages", guild.general);
    for (sent, stored) in [(1, None), (2, Some(2)), (3, Some(2))] {
        let message = h
            .call(
                "POST",
                &path,
                Some(&alice.token),
                Some(json!({"content": "x", "flags": sent})),
            )
            .await;
        assert_eq!(message.status, 200, "{}", message.body);
        let flags = message.body.get("flags").and_then(Value::as_u64);
        assert_eq!(flags.filter(|f| *f != 0), stored, "sent {sent}");
    }
}

#[tokio::test]
async fn your_own_user_inside_a_message_has_no_relations() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let friend = seed.user("friend");
    seed.friends(alice.id, friend.id);
    let guild = seed.server("Guild", alice.id);
    let (mut socket, _) = h.ready_socket(&alice.token).await;
    let sent = h
        .call(
            "POST",
            &format!("/channels/{}/messages", guild.general),
            Some(&alice.token),
            Some(json!({"content": "hello"})),
        )
        .await;
    assert_eq!(sent.status, 200);
    assert!(
        sent.body["user"].get("relations").is_none(),
        "{}",
        sent.body
    );
    let event = socket.expect("Message").await;
    assert!(event["user"].get("relations").is_none(), "{event}");
    // The self view keeps them.
    let me = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    assert_eq!(me.body["relations"][0]["_id"], json!(friend.id));
}

#[tokio::test]
async fn smaller_differences_follow_the_real_routes() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let guild = seed.server("Guild", alice.id);

    // A non-member's history read names ReadMessageHistory; fetching one message names
    // ViewChannel first.
    let history = h
        .call(
            "GET",
            &format!("/channels/{}/messages", guild.general),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(
        history.body["permission"], "ReadMessageHistory",
        "{}",
        history.body
    );
    let message = seed.message(guild.general, alice.id, "hi");
    let one = h
        .call(
            "GET",
            &format!("/channels/{}/messages/{message}", guild.general),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(one.body["permission"], "ViewChannel", "{}", one.body);

    // Closing a DM you are not in fails the view check.
    seed.friends(alice.id, carol.id);
    let dm = seed.dm(alice.id, carol.id);
    let closed = h
        .call("DELETE", &format!("/channels/{dm}"), Some(&bob.token), None)
        .await;
    assert_eq!(closed.kind(), Some("MissingPermission"));
    assert_eq!(closed.body["permission"], "ViewChannel");

    // Signing up with an address in use, on an instance without e-mail.
    let again = h
        .call(
            "POST",
            "/auth/account/create",
            None,
            Some(json!({"email": alice.email.to_uppercase(), "password": "a long password"})),
        )
        .await;
    assert_eq!((again.status, again.kind()), (500, Some("OperationFailed")));
}

#[tokio::test]
async fn pinning_counts_against_the_messaging_bucket() {
    let h = Harness::with(ermine_testkit::Config::default()).await;
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let guild = seed.server("Guild", alice.id);
    let message = seed.message(guild.general, alice.id, "pin me");
    let pinned = h
        .call(
            "POST",
            &format!("/channels/{}/messages/{message}/pin", guild.general),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(
        pinned.header("x-ratelimit-limit"),
        Some("10"),
        "{}",
        pinned.status
    );
    let unpinned = h
        .call(
            "DELETE",
            &format!("/channels/{}/messages/{message}/pin", guild.general),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(unpinned.header("x-ratelimit-limit"), Some("15"));
}

#[tokio::test]
async fn the_audit_log_records_moderation_with_reasons() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bob.id);
    seed.join(guild.id, carol.id);
    let member = format!("/servers/{}/members/{}", guild.id, bob.id);
    let kick = format!("/servers/{}/members/{}", guild.id, carol.id);
    let ban = format!("/servers/{}/bans/{}", guild.id, bob.id);
    let actions = [
        (
            "PATCH",
            &member,
            Some(json!({"nickname": "B"})),
            Some("rename"),
            200,
        ),
        ("DELETE", &kick, None, Some("spam"), 204),
        ("PUT", &ban, Some(json!({"reason": "in body"})), None, 200),
        ("DELETE", &ban, None, Some("appeal"), 204),
    ];
    for (method, path, body, reason, status) in actions {
        let headers: Vec<(&str, &str)> = reason
            .map(|r| ("x-audit-log-reason", r))
            .into_iter()
            .collect();
        let answer = h
            .send(
                method,
                path,
                Some(("x-session-token", &owner.token)),
                body,
                &headers,
            )
            .await;
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
    }

    let path = format!("/servers/{}/audit_logs", guild.id);
    let all = h.call("GET", &path, Some(&owner.token), None).await;
    assert_eq!(all.status, 200, "{}", all.body);
    let entries = all.body["audit_logs"].as_array().unwrap();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["action"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["BanDelete", "BanCreate", "MemberKick", "MemberEdit"],
        "newest first"
    );
    let reasons: Vec<&str> = entries
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["appeal", "in body", "spam", "rename"]);
    let edit = &entries[3];
    assert_eq!(edit["user"], json!(owner.id));
    assert_eq!(edit["target"], json!(bob.id));
    assert_eq!(edit["action"]["after"]["nickname"], "B");
    assert!(
        edit["action"]["before"].get("nickname").is_none(),
        "no nickname before"
    );
    let user_ids: Vec<&str> = all.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["_id"].as_str().unwrap())
        .collect();
    for who in [owner.id, bob.id, carol.id] {
        assert!(user_ids.contains(&who.to_string().as_str()), "{who}");
    }
    assert_eq!(
        all.body["members"].as_array().unwrap().len(),
        1,
        "only the owner is still a member"
    );

    // Filters.
    let kicks = h
        .call(
            "GET",
            &format!("{path}?type=MemberKick&type=BanDelete&limit=1"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(kicks.body["audit_logs"].as_array().unwrap().len(), 1);
    assert_eq!(kicks.body["audit_logs"][0]["action"]["type"], "BanDelete");
    let on_carol = h
        .call(
            "GET",
            &format!("{path}?target={}", carol.id),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(on_carol.body["audit_logs"].as_array().unwrap().len(), 1);
    let before = entries[1]["_id"].as_str().unwrap();
    let older = h
        .call(
            "GET",
            &format!("{path}?before={before}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(older.body["audit_logs"].as_array().unwrap().len(), 2);

    // Errors.
    let bad_limit = h
        .call("GET", &format!("{path}?limit=0"), Some(&owner.token), None)
        .await;
    assert_eq!(bad_limit.kind(), Some("FailedValidation"));
    let unknown = h
        .call(
            "GET",
            "/servers/01M86CDRZC9YVCV9K979HDVTHQ/audit_logs",
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!((unknown.status, unknown.kind()), (404, Some("NotFound")));
    let outsider = h.call("GET", &path, Some(&bob.token), None).await;
    assert_eq!(outsider.body["permission"], "ViewAuditLogs");
}

#[tokio::test]
async fn new_accounts_get_the_new_user_limits_until_they_are_three_days_old() {
    let h = Harness::new().await;
    let root = h.call("GET", "/", None, None).await;
    let limits = &root.body["features"]["limits"];
    assert_eq!(limits["global"]["new_user_hours"], 72);
    assert_eq!(limits["new_user"]["bots"], 2);
    assert_eq!(limits["new_user"]["outgoing_friend_requests"], 5);
    assert_eq!(limits["new_user"]["servers"], 50);
    assert_eq!(limits["default"]["bots"], 5);
    assert_eq!(limits["default"]["servers"], 100);

    let seed = h.server.seed();
    let alice = seed.user("alice");
    let create_bot = |n: usize| {
        let token = alice.token.clone();
        let h = &h;
        async move {
            h.call(
                "POST",
                "/bots/create",
                Some(&token),
                Some(json!({"name": format!("helper{n}")})),
            )
            .await
        }
    };
    for n in 0..2 {
        assert_eq!(create_bot(n).await.status, 200);
    }
    let third = create_bot(2).await;
    assert_eq!(
        third.kind(),
        Some("ReachedMaximumBots"),
        "a new account owns 2 bots"
    );

    // Friend requests: 5 pending at most while new.
    let others: Vec<_> = (0..6).map(|i| seed.user(&format!("u{i}"))).collect();
    for (i, other) in others.iter().enumerate() {
        let sent = h
            .call(
                "POST",
                "/users/friend",
                Some(&alice.token),
                Some(json!({"username": format!("{}#{}", other.username, other.discriminator)})),
            )
            .await;
        if i < 5 {
            assert_eq!(sent.status, 200, "{}", sent.body);
        } else {
            assert_eq!(sent.kind(), Some("TooManyPendingFriendRequests"));
            assert_eq!(sent.body["max"], 5);
        }
    }

    // Three days later the account is established: the default limits apply.
    h.server
        .clock()
        .advance(std::time::Duration::from_hours(72));
    for n in 2..5 {
        assert_eq!(create_bot(n).await.status, 200, "bot {n}");
    }
    assert_eq!(create_bot(5).await.kind(), Some("ReachedMaximumBots"));
}

#[tokio::test]
async fn the_audit_log_records_roles_channels_messages_and_invites() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let owner = seed.user("owner");
    let bob = seed.user("bob");
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bob.id);
    let message = seed.message(guild.general, bob.id, "hello");
    let call = |method: &'static str, path: String, body: Option<Value>| {
        let token = owner.token.clone();
        let h = &h;
        async move {
            let answer = h
                .send(
                    method,
                    &path,
                    Some(("x-session-token", &token)),
                    body,
                    &[("x-audit-log-reason", "tidy")],
                )
                .await;
            assert!(answer.status < 300, "{method} {path}: {}", answer.body);
            answer
        }
    };
    let role = call(
        "POST",
        format!("/servers/{}/roles", guild.id),
        Some(json!({"name": "Mods"})),
    )
    .await;
    let role_id = role.body["id"].as_str().unwrap().to_owned();
    let (server, general) = (guild.id, guild.general);
    let no_override = json!({"permissions": {"allow": 0, "deny": 0}});
    let changes = [
        (
            "PATCH",
            format!("/servers/{server}/roles/{role_id}"),
            Some(json!({"name": "Moderators"})),
        ),
        (
            "PUT",
            format!("/servers/{server}/permissions/{role_id}"),
            Some(no_override.clone()),
        ),
        (
            "PATCH",
            format!("/servers/{server}/roles/ranks"),
            Some(json!({"ranks": [role_id]})),
        ),
        (
            "PUT",
            format!("/servers/{server}/permissions/default"),
            Some(json!({"permissions": 0})),
        ),
        (
            "PATCH",
            format!("/channels/{general}"),
            Some(json!({"name": "lobby"})),
        ),
        (
            "PUT",
            format!("/channels/{general}/permissions/{role_id}"),
            Some(no_override),
        ),
        ("DELETE", format!("/servers/{server}/roles/{role_id}"), None),
    ];
    for (method, path, body) in changes {
        call(method, path, body).await;
    }
    let channel = call(
        "POST",
        format!("/servers/{}/channels", guild.id),
        Some(json!({"name": "news"})),
    )
    .await;
    let channel_id = channel.body["_id"].as_str().unwrap().to_owned();
    call("DELETE", format!("/channels/{channel_id}"), None).await;
    let pin = format!("/channels/{}/messages/{message}/pin", guild.general);
    call("POST", pin.clone(), None).await;
    call("DELETE", pin, None).await;
    call("POST", format!("/channels/{}/invites", guild.general), None).await;
    call(
        "DELETE",
        format!("/channels/{}/messages/{message}", guild.general),
        None,
    )
    .await;

    let log = h
        .call(
            "GET",
            &format!("/servers/{}/audit_logs", guild.id),
            Some(&owner.token),
            None,
        )
        .await;
    let entries = log.body["audit_logs"].as_array().unwrap();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["action"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "MessageDelete",
            "InviteCreate",
            "MessageUnpin",
            "MessagePin",
            "ChannelDelete",
            "ChannelCreate",
            "RoleDelete",
            "ChannelRolePermissionsEdit",
            "ChannelEdit",
            "ServerEdit",
            "RolesReorder",
            "RoleEdit",
            "RoleEdit",
            "RoleCreate",
        ]
    );
    assert!(entries.iter().all(|e| e["reason"] == "tidy"));
    let edit = &entries[12]["action"];
    assert_eq!(
        (
            edit["before"]["name"].as_str(),
            edit["after"]["name"].as_str()
        ),
        (Some("Mods"), Some("Moderators"))
    );
    assert_eq!(
        entries[0]["target"],
        json!(bob.id),
        "a message's author is the target"
    );
    assert_eq!(entries[4]["action"]["name"], "news");
    let renamed = &entries[8]["action"];
    assert_eq!(
        (
            renamed["before"]["name"].as_str(),
            renamed["after"]["name"].as_str()
        ),
        (Some("General"), Some("lobby"))
    );
}
