//! The member surface over plain HTTP: fetch, query, edit (each check in order), kick, ban.

#![allow(
    clippy::too_many_lines,
    clippy::type_complexity,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use std::time::Duration;

use common::Harness;
use ermine_model::id::{RoleId, ServerId, UserId};
use ermine_model::permission::{Override, Permissions};
use ermine_testkit::SeededUser;
use serde_json::{Value, json};

struct World {
    alice: SeededUser,
    moderator: SeededUser,
    moderator2: SeededUser,
    bob: SeededUser,
    carol: SeededUser,
    server: ServerId,
    general: ermine_model::id::ChannelId,
    mod_role: RoleId,
    member_role: RoleId,
    helper_role: RoleId,
}

fn world(h: &Harness) -> World {
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let moderator = seed.user("moderator");
    let moderator2 = seed.user("moderator2");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let guild = seed.server("Guild", alice.id);
    let powers = Permissions::KICK_MEMBERS
        | Permissions::BAN_MEMBERS
        | Permissions::TIMEOUT_MEMBERS
        | Permissions::MANAGE_NICKNAMES
        | Permissions::ASSIGN_ROLES
        | Permissions::MUTE_MEMBERS
        | Permissions::DEAFEN_MEMBERS
        | Permissions::REMOVE_AVATARS;
    let mod_role = seed.role(
        guild.id,
        "Moderator",
        0,
        Override::new(powers, Permissions::empty()),
    );
    let member_role = seed.role(guild.id, "Member", 1, Override::default());
    let helper_role = seed.role(guild.id, "Helper", 2, Override::default());
    for user in [&moderator, &moderator2, &bob, &carol] {
        seed.join(guild.id, user.id);
    }
    seed.assign(guild.id, moderator.id, &[mod_role]);
    seed.assign(guild.id, moderator2.id, &[mod_role]);
    seed.assign(guild.id, carol.id, &[member_role]);
    World {
        alice,
        moderator,
        moderator2,
        bob,
        carol,
        server: guild.id,
        general: guild.general,
        mod_role,
        member_role,
        helper_role,
    }
}

fn member_path(w: &World, user: UserId) -> String {
    format!("/servers/{}/members/{user}", w.server)
}

#[tokio::test]
async fn fetch_all_returns_members_and_their_users_aligned_by_id() {
    let h = Harness::new().await;
    let w = world(&h);
    let all = h
        .call(
            "GET",
            &format!("/servers/{}/members", w.server),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(all.status, 200);
    let members = all.body["members"].as_array().unwrap();
    let users = all.body["users"].as_array().unwrap();
    assert_eq!(members.len(), 5);
    assert_eq!(users.len(), 5);
    for (m, u) in members.iter().zip(users) {
        assert_eq!(m["_id"]["user"], u["_id"]);
        assert_eq!(m["_id"]["server"], json!(w.server.to_string()));
    }
    let carol = members
        .iter()
        .find(|m| m["_id"]["user"] == json!(w.carol.id.to_string()))
        .unwrap();
    assert_eq!(carol["roles"], json!([w.member_role.to_string()]));

    // Only bob has a socket open: he is the only one online.
    let (_socket, _) = h.ready_socket(&w.bob.token).await;
    let online = h
        .call(
            "GET",
            &format!("/servers/{}/members?exclude_offline=true", w.server),
            Some(&w.alice.token),
            None,
        )
        .await;
    let ids: Vec<&Value> = online.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["_id"]["user"])
        .collect();
    assert_eq!(ids, vec![&json!(w.bob.id.to_string())]);
    assert_eq!(online.body["users"][0]["online"], true);

    let stranger = h.server.seed().user("stranger");
    let refused = h
        .call(
            "GET",
            &format!("/servers/{}/members", w.server),
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!((refused.status, refused.kind()), (404, Some("NotFound")));
    let unknown = h
        .call(
            "GET",
            "/servers/01ZZZZZZZZZZZZZZZZZZZZZZZZ/members",
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(unknown.kind(), Some("NotFound"));
}

#[tokio::test]
async fn fetch_one_with_and_without_roles() {
    let h = Harness::new().await;
    let w = world(&h);
    let bare = h
        .call(
            "GET",
            &member_path(&w, w.carol.id),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(bare.status, 200);
    assert_eq!(bare.body["_id"]["user"], json!(w.carol.id.to_string()));
    assert!(bare.body.get("member").is_none());

    let with_roles = h
        .call(
            "GET",
            &format!("{}?roles=true", member_path(&w, w.carol.id)),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(
        with_roles.body["member"]["_id"]["user"],
        json!(w.carol.id.to_string())
    );
    let roles = with_roles.body["roles"].as_object().unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[&w.member_role.to_string()]["name"], "Member");

    let unknown = h
        .call(
            "GET",
            &format!("/servers/{}/members/01ZZZZZZZZZZZZZZZZZZZZZZZZ", w.server),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!((unknown.status, unknown.kind()), (404, Some("NotFound")));
    let not_an_id = h
        .call(
            "GET",
            &format!("/servers/{}/members/nonsense", w.server),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(not_an_id.kind(), Some("NotFound"));
}

#[tokio::test]
async fn experimental_query_matches_nickname_or_username() {
    let h = Harness::new().await;
    let w = world(&h);
    let path = format!("/servers/{}/members_experimental_query", w.server);
    let refused = h
        .call(
            "GET",
            &format!("{path}?query=car&experimental_api=false"),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(
        (refused.status, refused.kind()),
        (500, Some("InternalError"))
    );
    let missing = h
        .call(
            "GET",
            &format!("{path}?experimental_api=true"),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(missing.status, 422);

    let found = h
        .call(
            "GET",
            &format!("{path}?query=car&experimental_api=true"),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(found.body["users"][0]["username"], "carol");
    assert_eq!(found.body["members"].as_array().unwrap().len(), 1);

    // A nickname replaces the username for matching.
    h.call(
        "PATCH",
        &member_path(&w, w.carol.id),
        Some(&w.moderator.token),
        Some(json!({"nickname": "Zed"})),
    )
    .await;
    let by_old_name = h
        .call(
            "GET",
            &format!("{path}?query=car&experimental_api=true"),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert!(by_old_name.body["members"].as_array().unwrap().is_empty());
    let by_nick = h
        .call(
            "GET",
            &format!("{path}?query=Zed&experimental_api=true"),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(by_nick.body["members"][0]["nickname"], "Zed");
}

#[tokio::test]
async fn edit_sets_and_clears_fields_and_announces_them() {
    let h = Harness::new().await;
    let w = world(&h);
    let (mut socket, _) = h.ready_socket(&w.alice.token).await;
    let path = member_path(&w, w.bob.id);
    let set = h
        .call(
            "PATCH",
            &path,
            Some(&w.moderator.token),
            Some(json!({"nickname": "Bobby", "roles": [w.helper_role.to_string()], "can_publish": false})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    assert_eq!(set.body["nickname"], "Bobby");
    assert_eq!(set.body["roles"], json!([w.helper_role.to_string()]));
    assert_eq!(set.body["can_publish"], false);
    let event = socket.expect("ServerMemberUpdate").await;
    assert_eq!(event["id"]["user"], json!(w.bob.id.to_string()));
    assert_eq!(event["data"]["nickname"], "Bobby");
    assert_eq!(event["data"]["can_publish"], false);
    assert_eq!(event["clear"], json!([]));

    let cleared = h
        .call(
            "PATCH",
            &path,
            Some(&w.moderator.token),
            Some(json!({"remove": ["Nickname", "Roles", "CanPublish"]})),
        )
        .await;
    assert_eq!(cleared.status, 200);
    assert!(cleared.body.get("nickname").is_none());
    assert!(cleared.body.get("roles").is_none());
    assert!(cleared.body.get("can_publish").is_none(), "true is omitted");
    let event = socket.expect("ServerMemberUpdate").await;
    assert_eq!(event["data"], json!({}));
    assert_eq!(event["clear"], json!(["Nickname", "Roles", "CanPublish"]));

    // Own pronouns are allowed; others' are not.
    let own = h
        .call(
            "PATCH",
            &path,
            Some(&w.bob.token),
            Some(json!({"pronouns": "he/him"})),
        )
        .await;
    assert_eq!(own.body["pronouns"], "he/him");
}

async fn edit_error(
    h: &Harness,
    w: &World,
    token: &str,
    target: UserId,
    body: Value,
) -> (u16, String, Value) {
    let answer = h
        .call("PATCH", &member_path(w, target), Some(token), Some(body))
        .await;
    (
        answer.status,
        answer.kind().unwrap_or("").to_owned(),
        answer.body,
    )
}

#[tokio::test]
async fn edit_checks_run_in_the_servers_order() {
    let h = Harness::new().await;
    let w = world(&h);
    let long = "x".repeat(33);
    let cases: Vec<(&str, &str, UserId, Value, u16, &str, Option<&str>)> = vec![
        // 1. validation comes before everything, even an unknown member
        (
            "validation",
            &w.bob.token,
            UserId::sentinel(),
            json!({"nickname": long}),
            400,
            "FailedValidation",
            None,
        ),
        (
            "empty nickname",
            &w.bob.token,
            w.bob.id,
            json!({"nickname": ""}),
            400,
            "FailedValidation",
            None,
        ),
        (
            "long pronouns",
            &w.bob.token,
            w.bob.id,
            json!({"pronouns": "p".repeat(25)}),
            400,
            "FailedValidation",
            None,
        ),
        // 2. unknown member
        (
            "unknown member",
            &w.moderator.token,
            w.alice.id.cast(),
            json!({"nickname": "x"}),
            200,
            "",
            None,
        ),
        // 4. nickname permission beats later failures (the timeout on the same request)
        (
            "nickname first",
            &w.bob.token,
            w.carol.id,
            json!({"nickname": "c", "timeout": "2100-01-01T00:00:00Z"}),
            403,
            "MissingPermission",
            Some("ManageNicknames"),
        ),
        // 5. pronouns on someone else
        (
            "others' pronouns",
            &w.moderator.token,
            w.bob.id,
            json!({"pronouns": "they"}),
            400,
            "InvalidOperation",
            None,
        ),
        // 6. avatar on someone else
        (
            "others' avatar",
            &w.moderator.token,
            w.bob.id,
            json!({"avatar": "whatever"}),
            400,
            "InvalidOperation",
            None,
        ),
        (
            "remove avatar without power",
            &w.bob.token,
            w.carol.id,
            json!({"remove": ["Avatar"]}),
            403,
            "MissingPermission",
            Some("RemoveAvatars"),
        ),
        // 7. roles
        (
            "roles",
            &w.bob.token,
            w.carol.id,
            json!({"roles": []}),
            403,
            "MissingPermission",
            Some("AssignRoles"),
        ),
        // 8. timeout
        (
            "timeout yourself",
            &w.moderator.token,
            w.moderator.id,
            json!({"timeout": "2100-01-01T00:00:00Z"}),
            400,
            "CannotTimeoutYourself",
            None,
        ),
        (
            "timeout the owner",
            &w.moderator.token,
            w.alice.id,
            json!({"timeout": "2100-01-01T00:00:00Z"}),
            403,
            "IsElevated",
            None,
        ),
        (
            "timeout a moderator",
            &w.moderator.token,
            w.moderator2.id,
            json!({"timeout": "2100-01-01T00:00:00Z"}),
            403,
            "IsElevated",
            None,
        ),
        (
            "timeout without power",
            &w.bob.token,
            w.carol.id,
            json!({"timeout": "2100-01-01T00:00:00Z"}),
            403,
            "MissingPermission",
            Some("TimeoutMembers"),
        ),
        (
            "untimeout without power",
            &w.bob.token,
            w.carol.id,
            json!({"remove": ["Timeout"]}),
            403,
            "MissingPermission",
            Some("TimeoutMembers"),
        ),
        // 9. voice mute and deafen
        (
            "mute",
            &w.bob.token,
            w.carol.id,
            json!({"can_publish": false}),
            403,
            "MissingPermission",
            Some("MuteMembers"),
        ),
        (
            "deafen",
            &w.bob.token,
            w.carol.id,
            json!({"can_receive": false}),
            403,
            "MissingPermission",
            Some("DeafenMembers"),
        ),
        // 10. voice
        (
            "move and disconnect",
            &w.moderator.token,
            w.bob.id,
            json!({"voice_channel": w.general.to_string(), "remove": ["VoiceChannel"]}),
            400,
            "InvalidOperation",
            None,
        ),
        (
            "voice disabled",
            &w.moderator.token,
            w.bob.id,
            json!({"remove": ["VoiceChannel"]}),
            400,
            "LiveKitUnavailable",
            None,
        ),
        // 12. hierarchy
        (
            "equal rank",
            &w.moderator.token,
            w.moderator2.id,
            json!({"nickname": "m"}),
            403,
            "NotElevated",
            None,
        ),
        // 13. roles being added
        (
            "unknown role",
            &w.moderator.token,
            w.bob.id,
            json!({"roles": ["01ZZZZZZZZZZZZZZZZZZZZZZZZ"]}),
            404,
            "InvalidRole",
            None,
        ),
        (
            "not a role id",
            &w.moderator.token,
            w.bob.id,
            json!({"roles": ["nope"]}),
            404,
            "InvalidRole",
            None,
        ),
        (
            "role at own rank",
            &w.moderator.token,
            w.bob.id,
            json!({"roles": [w.mod_role.to_string()]}),
            403,
            "NotElevated",
            None,
        ),
        // 14. avatar file
        (
            "unknown avatar file",
            &w.bob.token,
            w.bob.id,
            json!({"avatar": "nofile"}),
            404,
            "NotFound",
            None,
        ),
    ];
    for (name, token, target, body, status, kind, permission) in cases {
        if name == "unknown member" {
            let (status, kind, _) = edit_error(&h, &w, token, UserId::sentinel(), body).await;
            assert_eq!((status, kind.as_str()), (404, "NotFound"), "{name}");
            continue;
        }
        let (got_status, got_kind, body) = edit_error(&h, &w, token, target, body).await;
        assert_eq!(
            (got_status, got_kind.as_str()),
            (status, kind),
            "{name}: {body}"
        );
        if let Some(permission) = permission {
            assert_eq!(body["permission"], permission, "{name}");
        }
        assert!(body["location"].is_string(), "{name}: location is reported");
    }
    // The owner's own member ranking comes from its roles like anyone's (none: the lowest),
    // so, as on the real server, a moderator may rename an owner who holds no role.
    let renamed = h
        .call(
            "PATCH",
            &member_path(&w, w.alice.id),
            Some(&w.moderator.token),
            Some(json!({"nickname": "boss"})),
        )
        .await;
    assert_eq!(renamed.status, 200);
    // Bob (no roles, ranking MAX) cannot even change a lower member's nickname… he lacks the
    // permission first; with the permission but no rank he is still refused.
    h.server.seed().default_permissions(
        w.server,
        Permissions::DEFAULT_SERVER_0_15 | Permissions::MANAGE_NICKNAMES,
    );
    let (status, kind, _) =
        edit_error(&h, &w, &w.bob.token, w.carol.id, json!({"nickname": "c"})).await;
    assert_eq!((status, kind.as_str()), (403, "NotElevated"));
}

#[tokio::test]
async fn a_member_avatar_must_be_an_unused_upload_to_avatars() {
    let h = Harness::new().await;
    let w = world(&h);
    let png = h
        .http
        .get(h.url(&format!("/users/{}/default_avatar", w.bob.id)))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let upload = |tag: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(png.to_vec()).file_name("me.png"),
        );
        h.http
            .post(format!("{}/{tag}", h.server.urls().files))
            .header("x-session-token", &w.bob.token)
            .multipart(form)
            .send()
    };
    let wrong_tag = Harness::answer(upload("attachments").await.unwrap()).await;
    let wrong_id = wrong_tag.body["id"].as_str().unwrap().to_owned();
    let (status, kind, _) =
        edit_error(&h, &w, &w.bob.token, w.bob.id, json!({"avatar": wrong_id})).await;
    assert_eq!((status, kind.as_str()), (404, "NotFound"));

    let right = Harness::answer(upload("avatars").await.unwrap()).await;
    let id = right.body["id"].as_str().unwrap().to_owned();
    let set = h
        .call(
            "PATCH",
            &member_path(&w, w.bob.id),
            Some(&w.bob.token),
            Some(json!({"avatar": id})),
        )
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(set.body["avatar"]["_id"], json!(id));
    assert_eq!(set.body["avatar"]["tag"], "avatars");
    assert_eq!(set.body["avatar"]["metadata"]["type"], "Image");
    // The file is now used: setting it again fails.
    let again = h
        .call(
            "PATCH",
            &member_path(&w, w.bob.id),
            Some(&w.bob.token),
            Some(json!({"avatar": id})),
        )
        .await;
    assert_eq!(again.kind(), Some("NotFound"));
    // The file server serves it.
    let served = h
        .http
        .get(format!("{}/avatars/{id}", h.server.urls().files))
        .send()
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn a_timeout_silences_until_it_expires_on_the_server_clock() {
    let h = Harness::new().await;
    let w = world(&h);
    let until = ermine_model::Timestamp::now().saturating_add(Duration::from_hours(1));
    let set = h
        .call(
            "PATCH",
            &member_path(&w, w.bob.id),
            Some(&w.moderator.token),
            Some(json!({"timeout": until})),
        )
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(set.body["timeout"], json!(until));
    let path = format!("/channels/{}/messages", w.general);
    let silenced = h
        .call(
            "POST",
            &path,
            Some(&w.bob.token),
            Some(json!({"content": "hi"})),
        )
        .await;
    assert_eq!(
        (silenced.status, silenced.kind()),
        (403, Some("MissingPermission"))
    );
    assert_eq!(silenced.body["permission"], "SendMessage");
    // Reading is still allowed while timed out.
    assert_eq!(
        h.call("GET", &path, Some(&w.bob.token), None).await.status,
        200
    );

    h.server.clock().advance(Duration::from_hours(2));
    let spoken = h
        .call(
            "POST",
            &path,
            Some(&w.bob.token),
            Some(json!({"content": "back"})),
        )
        .await;
    assert_eq!(spoken.status, 200, "an expired timeout no longer applies");

    let removed = h
        .call(
            "PATCH",
            &member_path(&w, w.bob.id),
            Some(&w.moderator.token),
            Some(json!({"remove": ["Timeout"]})),
        )
        .await;
    assert!(removed.body.get("timeout").is_none());
}

#[tokio::test]
async fn kick_checks_and_effects() {
    let h = Harness::new().await;
    let w = world(&h);
    let (mut socket, _) = h.ready_socket(&w.alice.token).await;
    let kick = |token: String, target: UserId| {
        let path = member_path(&w, target);
        let h = &h;
        async move { h.call("DELETE", &path, Some(&token), None).await }
    };
    let yourself = kick(w.moderator.token.clone(), w.moderator.id).await;
    assert_eq!(yourself.kind(), Some("CannotRemoveYourself"));
    let owner = kick(w.moderator.token.clone(), w.alice.id).await;
    assert_eq!(owner.kind(), Some("InvalidOperation"));
    let powerless = kick(w.bob.token.clone(), w.carol.id).await;
    assert_eq!(powerless.kind(), Some("MissingPermission"));
    assert_eq!(powerless.body["permission"], "KickMembers");
    let unknown = kick(
        w.moderator.token.clone(),
        "01ZZZZZZZZZZZZZZZZZZZZZZZZ".parse().unwrap(),
    )
    .await;
    assert_eq!(unknown.kind(), Some("NotFound"));
    let peer = kick(w.moderator.token.clone(), w.moderator2.id).await;
    assert_eq!(peer.kind(), Some("NotElevated"));

    let done = kick(w.moderator.token.clone(), w.carol.id).await;
    assert_eq!(done.status, 204);
    let event = socket.expect("ServerMemberLeave").await;
    assert_eq!(event["user"], json!(w.carol.id.to_string()));
    assert_eq!(event["reason"], "Kick");
    let gone = h
        .call(
            "GET",
            &member_path(&w, w.carol.id),
            Some(&w.alice.token),
            None,
        )
        .await;
    assert_eq!(gone.kind(), Some("NotFound"));
}

#[tokio::test]
async fn ban_unban_and_list() {
    let h = Harness::new().await;
    let w = world(&h);
    let ban_path = |u: UserId| format!("/servers/{}/bans/{u}", w.server);
    let long = h
        .call(
            "PUT",
            &ban_path(w.carol.id),
            Some(&w.moderator.token),
            Some(json!({"reason": "r".repeat(1025)})),
        )
        .await;
    assert_eq!(long.kind(), Some("FailedValidation"));
    let window = h
        .call(
            "PUT",
            &ban_path(w.carol.id),
            Some(&w.moderator.token),
            Some(json!({"delete_message_seconds": 604_801})),
        )
        .await;
    assert_eq!(window.kind(), Some("FailedValidation"));
    let no_body = h
        .call("PUT", &ban_path(w.carol.id), Some(&w.moderator.token), None)
        .await;
    assert_eq!(no_body.status, 400, "a JSON body is required");
    for (token, target, kind) in [
        (&w.moderator.token, w.moderator.id, "CannotRemoveYourself"),
        (&w.moderator.token, w.alice.id, "InvalidOperation"),
        (&w.bob.token, w.carol.id, "MissingPermission"),
        (&w.moderator.token, w.moderator2.id, "NotElevated"),
    ] {
        let answer = h
            .call("PUT", &ban_path(target), Some(token), Some(json!({})))
            .await;
        assert_eq!(answer.kind(), Some(kind));
    }

    let message = h.server.seed().message(w.general, w.carol.id, "soon gone");
    let (mut socket, _) = h.ready_socket(&w.alice.token).await;
    let banned = h
        .call(
            "PUT",
            &ban_path(w.carol.id),
            Some(&w.moderator.token),
            Some(json!({"reason": "spam", "delete_message_seconds": 3600})),
        )
        .await;
    assert_eq!(banned.status, 200);
    assert_eq!(
        banned.body,
        json!({"_id": {"server": w.server.to_string(), "user": w.carol.id.to_string()}, "reason": "spam"})
    );
    let leave = socket.expect("ServerMemberLeave").await;
    assert_eq!(leave["reason"], "Ban");
    let deleted = socket.expect("BulkMessageDelete").await;
    assert_eq!(deleted["ids"], json!([message.to_string()]));

    let again = h
        .call(
            "PUT",
            &ban_path(w.carol.id),
            Some(&w.moderator.token),
            Some(json!({})),
        )
        .await;
    assert_eq!((again.status, again.kind()), (500, Some("DatabaseError")));

    // Someone who is not a member (here: not even a user) can be banned too.
    let ghost: UserId = "01ZZZZZZZZZZZZZZZZZZZZZZZZ".parse().unwrap();
    let pre = h
        .call(
            "PUT",
            &ban_path(ghost),
            Some(&w.moderator.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(pre.body["reason"], Value::Null);

    let list = h
        .call(
            "GET",
            &format!("/servers/{}/bans", w.server),
            Some(&w.moderator.token),
            None,
        )
        .await;
    assert_eq!(list.body["bans"].as_array().unwrap().len(), 2);
    assert_eq!(
        list.body["users"].as_array().unwrap().len(),
        1,
        "unknown users are left out"
    );
    assert_eq!(list.body["users"][0]["username"], "carol");
    let refused = h
        .call(
            "GET",
            &format!("/servers/{}/bans", w.server),
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(refused.body["permission"], "BanMembers");

    // A banned user cannot rejoin through an invite.
    let invite = h
        .call(
            "POST",
            &format!("/channels/{}/invites", w.general),
            Some(&w.alice.token),
            None,
        )
        .await;
    let code = invite.body["_id"].as_str().unwrap().to_owned();
    let rejoin = h
        .call(
            "POST",
            &format!("/invites/{code}"),
            Some(&w.carol.token),
            None,
        )
        .await;
    assert_eq!((rejoin.status, rejoin.kind()), (403, Some("Banned")));

    let unban = h
        .call(
            "DELETE",
            &ban_path(w.carol.id),
            Some(&w.moderator.token),
            None,
        )
        .await;
    assert_eq!(unban.status, 204);
    let twice = h
        .call(
            "DELETE",
            &ban_path(w.carol.id),
            Some(&w.moderator.token),
            None,
        )
        .await;
    assert_eq!(twice.kind(), Some("NotFound"));
    let rejoined = h
        .call(
            "POST",
            &format!("/invites/{code}"),
            Some(&w.carol.token),
            None,
        )
        .await;
    assert_eq!(rejoined.status, 200);
    assert_eq!(rejoined.body["type"], "Server");
}
