//! Setting up a world through the real routes, as any client would: accounts, sessions,
//! onboarding, bots, servers, roles, channels, invites, users, DMs, messages, reports, files.

#![allow(
    clippy::too_many_lines,
    clippy::type_complexity,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use common::Harness;
use ermine_testkit::Config;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple";

/// Creates an account, logs in and picks a username; returns (user id, token).
async fn sign_up(h: &Harness, name: &str) -> (String, String) {
    let email = format!("{name}@ermine.test");
    let created = h
        .call(
            "POST",
            "/auth/account/create",
            None,
            Some(json!({"email": email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(created.status, 204);
    let login = h
        .call(
            "POST",
            "/auth/session/login",
            None,
            Some(json!({"email": email, "password": PASSWORD, "friendly_name": "test"})),
        )
        .await;
    assert_eq!(login.body["result"], "Success");
    let token = login.body["token"].as_str().unwrap().to_owned();
    let hello = h.call("GET", "/onboard/hello", Some(&token), None).await;
    assert_eq!(hello.body, json!({"onboarding": true}));
    let me_before = h.call("GET", "/users/@me", Some(&token), None).await;
    assert_eq!(me_before.status, 401, "not onboarded yet");
    let done = h
        .call(
            "POST",
            "/onboard/complete",
            Some(&token),
            Some(json!({"username": name})),
        )
        .await;
    assert_eq!(done.body["username"], name);
    assert_eq!(done.body["discriminator"].as_str().unwrap().len(), 4);
    (done.body["_id"].as_str().unwrap().to_owned(), token)
}

#[tokio::test]
async fn accounts_sessions_and_onboarding() {
    let h = Harness::new().await;
    let root = h.call("GET", "/", None, None).await;
    assert_eq!(root.body["ws"], json!(h.server.urls().events));
    assert_eq!(
        root.body["features"]["autumn"]["url"],
        json!(h.server.urls().files)
    );
    assert_eq!(root.body["features"]["livekit"]["enabled"], false);

    let (id, token) = sign_up(&h, "alice").await;
    let again = h
        .call(
            "POST",
            "/onboard/complete",
            Some(&token),
            Some(json!({"username": "x1"})),
        )
        .await;
    assert_eq!(
        (again.status, again.kind()),
        (403, Some("AlreadyOnboarded"))
    );
    let account = h.call("GET", "/auth/account/", Some(&token), None).await;
    assert_eq!(
        account.body,
        json!({"_id": id, "email": "alice@ermine.test"})
    );
    let sessions = h.call("GET", "/auth/session/all", Some(&token), None).await;
    assert_eq!(sessions.body[0]["name"], "test");

    for (body, kind) in [
        (
            json!({"email": "not-an-email", "password": PASSWORD}),
            "IncorrectData",
        ),
        (
            json!({"email": "a@ermine.test", "password": "short"}),
            "ShortPassword",
        ),
        (
            json!({"email": "a@ermine.test", "password": "password123"}),
            "CompromisedPassword",
        ),
    ] {
        let answer = h
            .call("POST", "/auth/account/create", None, Some(body))
            .await;
        assert_eq!(answer.kind(), Some(kind));
    }
    let blacklisted = h
        .call(
            "POST",
            "/auth/account/create",
            None,
            Some(json!({"email": "x@example.com", "password": PASSWORD})),
        )
        .await;
    assert_eq!(blacklisted.status, 401);
    assert_eq!(blacklisted.kind(), Some("DisallowedContactSupport"));
    let wrong = h
        .call(
            "POST",
            "/auth/session/login",
            None,
            Some(json!({"email": "alice@ermine.test", "password": "nope nope"})),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.kind()),
        (401, Some("InvalidCredentials"))
    );
}

#[tokio::test]
async fn bots_servers_invites_roles_and_channels() {
    let h = Harness::new().await;
    let (alice_id, alice) = sign_up(&h, "alice").await;
    let (_bob_id, bob) = sign_up(&h, "bob").await;

    let bot = h
        .call(
            "POST",
            "/bots/create",
            Some(&alice),
            Some(json!({"name": "helper"})),
        )
        .await;
    assert_eq!(bot.status, 200, "{}", bot.body);
    assert_eq!(bot.body["owner"], json!(alice_id));
    assert_eq!(bot.body["user"]["bot"]["owner"], json!(alice_id));
    let bot_id = bot.body["_id"].as_str().unwrap().to_owned();
    let bot_token = bot.body["token"].as_str().unwrap().to_owned();
    let me = h.bot("GET", "/users/@me", &bot_token, None).await;
    assert_eq!(me.body["_id"], json!(bot_id));
    let owned = h.call("GET", "/bots/@me", Some(&alice), None).await;
    assert_eq!(owned.body["bots"][0]["_id"], json!(bot_id));
    let private = h
        .call("GET", &format!("/bots/{bot_id}/invite"), Some(&alice), None)
        .await;
    assert_eq!(private.kind(), Some("NotFound"));

    let created = h
        .call(
            "POST",
            "/servers/create",
            Some(&alice),
            Some(json!({"name": "Guild", "description": "d"})),
        )
        .await;
    assert_eq!(
        created.body["server"]["default_permissions"],
        77_014_766_592_u64
    );
    assert_eq!(created.body["server"]["approximate_member_count"], 1);
    assert_eq!(created.body["channels"][0]["name"], "General");
    let server = created.body["server"]["_id"].as_str().unwrap().to_owned();
    let general = created.body["channels"][0]["_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let by_bob = h
        .call(
            "POST",
            &format!("/bots/{bot_id}/invite"),
            Some(&bob),
            Some(json!({"server": server})),
        )
        .await;
    assert_eq!(by_bob.kind(), Some("BotIsPrivate"));
    let added = h
        .call(
            "POST",
            &format!("/bots/{bot_id}/invite"),
            Some(&alice),
            Some(json!({"server": server})),
        )
        .await;
    assert_eq!(added.status, 204);
    let twice = h
        .call(
            "POST",
            &format!("/bots/{bot_id}/invite"),
            Some(&alice),
            Some(json!({"server": server})),
        )
        .await;
    assert_eq!((twice.status, twice.kind()), (409, Some("AlreadyInServer")));

    let invite = h
        .call(
            "POST",
            &format!("/channels/{general}/invites"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(invite.body["type"], "Server");
    let code = invite.body["_id"].as_str().unwrap().to_owned();
    let info = h.call("GET", &format!("/invites/{code}"), None, None).await;
    assert_eq!(info.body["server_name"], "Guild");
    assert_eq!(info.body["member_count"], 2);
    let joined = h
        .call("POST", &format!("/invites/{code}"), Some(&bob), None)
        .await;
    assert_eq!(joined.body["server"]["_id"], json!(server));
    let rejoin = h
        .call("POST", &format!("/invites/{code}"), Some(&bob), None)
        .await;
    assert_eq!(rejoin.kind(), Some("AlreadyInServer"));
    assert_eq!(
        h.call("GET", "/invites/doesnotexist", None, None)
            .await
            .kind(),
        Some("NotFound")
    );

    let fetched = h
        .call(
            "GET",
            &format!("/servers/{server}?include_channels=true"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(fetched.body["channels"][0]["channel_type"], "TextChannel");
    assert_eq!(fetched.body["approximate_member_count"], 3);

    let role = h
        .call(
            "POST",
            &format!("/servers/{server}/roles"),
            Some(&alice),
            Some(json!({"name": "Mod"})),
        )
        .await;
    let role_id = role.body["id"].as_str().unwrap().to_owned();
    assert_eq!(role.body["role"]["rank"], 0);
    let refused = h
        .call(
            "POST",
            &format!("/servers/{server}/roles"),
            Some(&bob),
            Some(json!({"name": "X"})),
        )
        .await;
    assert_eq!(refused.body["permission"], "ManageRole");
    let perms = h
        .call(
            "PUT",
            &format!("/servers/{server}/permissions/{role_id}"),
            Some(&alice),
            Some(json!({"permissions": {"allow": 64, "deny": 0}})),
        )
        .await;
    assert_eq!(
        perms.body["roles"][&role_id]["permissions"],
        json!({"a": 64, "d": 0})
    );
    let default = h
        .call(
            "PUT",
            &format!("/servers/{server}/permissions/default"),
            Some(&alice),
            Some(json!({"permissions": 3_145_728})),
        )
        .await;
    assert_eq!(default.body["default_permissions"], 3_145_728);
    let edited = h
        .call(
            "PATCH",
            &format!("/servers/{server}/roles/{role_id}"),
            Some(&alice),
            Some(json!({"name": "Moderator", "colour": "red"})),
        )
        .await;
    assert_eq!(
        (edited.body["name"].as_str(), edited.body["colour"].as_str()),
        (Some("Moderator"), Some("red"))
    );
    let fetched_role = h
        .call(
            "GET",
            &format!("/servers/{server}/roles/{role_id}"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(fetched_role.body["name"], "Moderator");

    let voice = h
        .call(
            "POST",
            &format!("/servers/{server}/channels"),
            Some(&alice),
            Some(json!({"type": "Voice", "name": "Talk"})),
        )
        .await;
    assert_eq!(voice.body["channel_type"], "TextChannel");
    assert_eq!(voice.body["voice"], json!({}));
    let voice_id = voice.body["_id"].as_str().unwrap().to_owned();
    let call = h
        .call(
            "POST",
            &format!("/channels/{voice_id}/join_call"),
            Some(&alice),
            Some(json!({})),
        )
        .await;
    assert_eq!(call.kind(), Some("LiveKitUnavailable"));
    let not_voice = h
        .call(
            "POST",
            &format!("/channels/{general}/join_call"),
            Some(&alice),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        not_voice.kind(),
        Some("LiveKitUnavailable"),
        "voice disabled comes first"
    );
    let channel = h
        .call("GET", &format!("/channels/{general}"), Some(&bob), None)
        .await;
    assert_eq!(channel.body["server"], json!(server));
}

#[tokio::test]
async fn voice_calls_when_enabled() {
    let h = Harness::with(Config::default().rate_limits(false).voice(true)).await;
    let alice = h.server.seed().user("alice");
    let bob = h.server.seed().user("bob");
    let guild = h.server.seed().server("G", alice.id);
    h.server.seed().join(guild.id, bob.id);
    let talk = h.server.seed().channel(guild.id, "Talk", true);
    let root = h.call("GET", "/", None, None).await;
    assert_eq!(root.body["features"]["livekit"]["enabled"], true);
    let not_voice = h
        .call(
            "POST",
            &format!("/channels/{}/join_call", guild.general),
            Some(&alice.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(not_voice.kind(), Some("NotAVoiceChannel"));
    let bad_node = h
        .call(
            "POST",
            &format!("/channels/{talk}/join_call"),
            Some(&alice.token),
            Some(json!({"node": "mars"})),
        )
        .await;
    assert_eq!(bad_node.kind(), Some("UnknownNode"));
    let joined = h
        .call(
            "POST",
            &format!("/channels/{talk}/join_call"),
            Some(&alice.token),
            Some(json!({})),
        )
        .await;
    assert!(joined.body["token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(joined.body["url"].as_str().unwrap().starts_with("ws://"));
    let again = h
        .call(
            "POST",
            &format!("/channels/{talk}/join_call"),
            Some(&alice.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(again.kind(), Some("AlreadyConnected"));

    // Moving a member needs them in voice already.
    let other = h.server.seed().channel(guild.id, "Other", true);
    let edit = format!("/servers/{}/members/{}", guild.id, bob.id);
    let not_connected = h
        .call(
            "PATCH",
            &edit,
            Some(&alice.token),
            Some(json!({"voice_channel": other})),
        )
        .await;
    assert_eq!(not_connected.kind(), Some("NotConnected"));
    let unknown = h
        .call(
            "PATCH",
            &edit,
            Some(&alice.token),
            Some(json!({"voice_channel": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"})),
        )
        .await;
    assert_eq!(unknown.kind(), Some("UnknownChannel"));
    h.server.seed().in_voice(bob.id, talk);
    let moved = h
        .call(
            "PATCH",
            &edit,
            Some(&alice.token),
            Some(json!({"voice_channel": other})),
        )
        .await;
    assert_eq!(moved.status, 200);
    let denied = h
        .call(
            "PATCH",
            &format!("/servers/{}/members/{}", guild.id, alice.id),
            Some(&bob.token),
            Some(json!({"remove": ["VoiceChannel"]})),
        )
        .await;
    assert_eq!(denied.body["permission"], "MoveMembers");
}

#[tokio::test]
async fn users_relationships_and_dms() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let stranger = seed.user("stranger");
    let bot = seed.bot("helper", alice.id);
    let guild = seed.server("G", alice.id);
    seed.join(guild.id, bob.id);

    let fetched = h
        .call(
            "GET",
            &format!("/users/{}", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(fetched.body["relationship"], "None");
    let far = h
        .call(
            "GET",
            &format!("/users/{}", alice.id),
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!(far.body["permission"], "Access");
    let profile = h
        .call(
            "GET",
            &format!("/users/{}/profile", alice.id),
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!(profile.body["permission"], "ViewProfile");
    let unknown = h
        .call(
            "GET",
            "/users/01ZZZZZZZZZZZZZZZZZZZZZZZZ/profile",
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(unknown.kind(), Some("NotFound"));
    let own_mutual = h
        .call(
            "GET",
            &format!("/users/{}/mutual", alice.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(own_mutual.kind(), Some("InvalidOperation"));
    let mutual = h
        .call(
            "GET",
            &format!("/users/{}/mutual", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(mutual.body["servers"], json!([guild.id]));
    let flags = h
        .call("GET", &format!("/users/{}/flags", bob.id), None, None)
        .await;
    assert_eq!(flags.body, json!({"flags": 0}));
    let no_one = h.call("GET", "/users/whatever/flags", None, None).await;
    assert_eq!(no_one.body, json!({"flags": 0}));
    let avatar = h
        .http
        .get(h.url("/users/anything/default_avatar"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        avatar.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(avatar.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // Two humans who are not friends cannot open a DM; a human and a bot can.
    let refused = h
        .call(
            "GET",
            &format!("/users/{}/dm", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(refused.body["permission"], "SendMessage");
    let with_bot = h
        .call(
            "GET",
            &format!("/users/{}/dm", bot.id),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(
        with_bot.status, 403,
        "no mutual connection with the bot yet: {}",
        with_bot.body
    );
    seed.join(guild.id, bot.id);
    let with_bot = h
        .call(
            "GET",
            &format!("/users/{}/dm", bot.id),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(with_bot.body["channel_type"], "DirectMessage");
    let saved = h
        .call(
            "GET",
            &format!("/users/{}/dm", alice.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(saved.body["channel_type"], "SavedMessages");

    seed.friends(alice.id, bob.id);
    let dm = h
        .call(
            "GET",
            &format!("/users/{}/dm", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(dm.body["recipients"], json!([alice.id, bob.id]));
    let same = h
        .call(
            "GET",
            &format!("/users/{}/dm", alice.id),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(same.body["_id"], dm.body["_id"]);
    let dms = h.call("GET", "/users/dms", Some(&alice.token), None).await;
    assert_eq!(dms.body.as_array().unwrap().len(), 2);

    let blocked = h
        .call(
            "PUT",
            &format!("/users/{}/block", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(blocked.body["relationship"], "Blocked");
    let viewed = h
        .call(
            "GET",
            &format!("/users/{}", alice.id),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(viewed.body["relationship"], "BlockedOther");
    let again = h
        .call(
            "PUT",
            &format!("/users/{}/block", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(again.kind(), Some("NoEffect"));
    let unblocked = h
        .call(
            "DELETE",
            &format!("/users/{}/block", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(unblocked.body["relationship"], "None");
    let not_blocked = h
        .call(
            "DELETE",
            &format!("/users/{}/block", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(not_blocked.kind(), Some("NoEffect"));
    let not_friends = h
        .call(
            "DELETE",
            &format!("/users/{}/friend", bob.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(not_friends.kind(), Some("NoEffect"));
    let bot_friend = h
        .call(
            "DELETE",
            &format!("/users/{}/friend", bot.id),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(bot_friend.kind(), Some("IsBot"));
    let unknown = h
        .call(
            "POST",
            "/users/friend",
            Some(&alice.token),
            Some(json!({"username": "nobody#0001"})),
        )
        .await;
    assert_eq!(unknown.kind(), Some("NotFound"));
}

#[tokio::test]
async fn messages_history_search_pins_and_reports() {
    let h = Harness::new().await;
    let seed = h.server.seed();
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let bot = seed.bot("helper", alice.id);
    let guild = seed.server("G", alice.id);
    seed.join(guild.id, bob.id);
    seed.join(guild.id, bot.id);
    let path = format!("/channels/{}/messages", guild.general);
    let mut ids = Vec::new();
    for i in 0..6 {
        let sent = h
            .call(
                "POST",
                &path,
                Some(&alice.token),
                Some(json!({"content": format!("Message number {i} apple")})),
            )
            .await;
        ids.push(sent.body["_id"].as_str().unwrap().to_owned());
    }
    let empty = h
        .call(
            "POST",
            &path,
            Some(&alice.token),
            Some(json!({"content": ""})),
        )
        .await;
    assert_eq!((empty.status, empty.kind()), (422, Some("EmptyMessage")));
    let large = h
        .call(
            "POST",
            &path,
            Some(&alice.token),
            Some(json!({"content": "é".repeat(1001)})),
        )
        .await;
    assert_eq!(
        large.kind(),
        Some("PayloadTooLarge"),
        "the limit counts bytes"
    );
    let many = h
        .call("POST", &path, Some(&alice.token), Some(json!({"content": "x", "replies": (0..6).map(|_| json!({"id": ids[0], "mention": false})).collect::<Vec<_>>()})))
        .await;
    assert_eq!(
        many.body,
        json!({"type": "TooManyReplies", "max": 5, "location": many.body["location"]})
    );
    let reply = h
        .call(
            "POST",
            &path,
            Some(&bob.token),
            Some(json!({"content": "re", "replies": [{"id": ids[0], "mention": true}]})),
        )
        .await;
    assert_eq!(reply.body["replies"], json!([ids[0]]));
    assert_eq!(reply.body["mentions"], json!([alice.id]));
    let missing = h
        .call("POST", &path, Some(&bob.token), Some(json!({"content": "re", "replies": [{"id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "mention": false}]})))
        .await;
    assert_eq!(missing.kind(), Some("NotFound"));
    let everyone = h
        .call(
            "POST",
            &path,
            Some(&bob.token),
            Some(json!({"content": "hey @everyone"})),
        )
        .await;
    assert_eq!(everyone.body["permission"], "MentionEveryone");
    let masquerade = h
        .call(
            "POST",
            &path,
            Some(&bob.token),
            Some(json!({"content": "x", "masquerade": {"name": "Z"}})),
        )
        .await;
    assert_eq!(masquerade.body["permission"], "Masquerade");
    let flags = h
        .call(
            "POST",
            &path,
            Some(&bob.token),
            Some(json!({"content": "x", "flags": 4})),
        )
        .await;
    assert_eq!(flags.kind(), Some("IsNotBot"), "a mention of everyone");
    let silent = h
        .call(
            "POST",
            &path,
            Some(&bob.token),
            Some(json!({"content": "x", "flags": 2})),
        )
        .await;
    assert_eq!(silent.body["flags"], 2, "suppressed notifications");
    let embed = h
        .bot(
            "POST",
            &path,
            &bot.token,
            Some(json!({"embeds": [{"title": "T", "description": "d"}]})),
        )
        .await;
    assert_eq!(embed.body["embeds"][0]["type"], "Text");

    let latest = h
        .call("GET", &format!("{path}?limit=2"), Some(&bob.token), None)
        .await;
    let got: Vec<&str> = latest
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["_id"].as_str().unwrap())
        .collect();
    assert_eq!(got.len(), 2);
    assert!(got[0] > got[1], "newest first");
    let oldest = h
        .call(
            "GET",
            &format!("{path}?limit=2&sort=Oldest"),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(oldest.body[0]["_id"], json!(ids[0]));
    let before = h
        .call(
            "GET",
            &format!("{path}?before={}&sort=Oldest", ids[2]),
            Some(&bob.token),
            None,
        )
        .await;
    assert_eq!(before.body.as_array().unwrap().len(), 2);
    let nearby = h
        .call(
            "GET",
            &format!("{path}?nearby={}&limit=2", ids[3]),
            Some(&bob.token),
            None,
        )
        .await;
    let near: Vec<&str> = nearby
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["_id"].as_str().unwrap())
        .collect();
    assert!(
        near.contains(&ids[3].as_str())
            && near.contains(&ids[2].as_str())
            && near.contains(&ids[4].as_str()),
        "{near:?}"
    );
    let with_users = h
        .call(
            "GET",
            &format!("{path}?limit=1&include_users=true"),
            Some(&bob.token),
            None,
        )
        .await;
    assert!(with_users.body["users"].is_array() && with_users.body["members"].is_array());
    for bad in ["limit=0", "limit=101", "before=short", "sort=Relevance"] {
        let answer = h
            .call("GET", &format!("{path}?{bad}"), Some(&bob.token), None)
            .await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
    }

    let search = format!("/channels/{}/search", guild.general);
    let found = h
        .call(
            "POST",
            &search,
            Some(&bob.token),
            Some(json!({"query": "APPLE number", "limit": 3})),
        )
        .await;
    assert_eq!(
        found.body.as_array().unwrap().len(),
        3,
        "case-insensitive word match"
    );
    let both = h
        .call(
            "POST",
            &search,
            Some(&bob.token),
            Some(json!({"query": "x", "pinned": true})),
        )
        .await;
    assert_eq!(both.kind(), Some("InvalidOperation"));
    let as_bot = h
        .bot("POST", &search, &bot.token, Some(json!({"query": "x"})))
        .await;
    assert_eq!(as_bot.kind(), Some("IsBot"));

    let pin = format!("/channels/{}/messages/{}/pin", guild.general, ids[1]);
    assert_eq!(
        h.call("POST", &pin, Some(&alice.token), None).await.status,
        204
    );
    assert_eq!(
        h.call("POST", &pin, Some(&alice.token), None).await.kind(),
        Some("AlreadyPinned")
    );
    let pinned = h
        .call(
            "POST",
            &search,
            Some(&bob.token),
            Some(json!({"pinned": true})),
        )
        .await;
    let pinned: Vec<&Value> = pinned
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["_id"])
        .collect();
    assert_eq!(pinned, vec![&json!(ids[1])]);
    assert_eq!(
        h.call("DELETE", &pin, Some(&alice.token), None)
            .await
            .status,
        204
    );
    assert_eq!(
        h.call("DELETE", &pin, Some(&alice.token), None)
            .await
            .kind(),
        Some("NotPinned")
    );

    let ack = format!("/channels/{}/ack/{}", guild.general, ids[5]);
    assert_eq!(
        h.call("PUT", &ack, Some(&bob.token), None).await.status,
        204
    );
    assert_eq!(
        h.bot("PUT", &ack, &bot.token, None).await.kind(),
        Some("IsBot")
    );
    let unreads = h.call("GET", "/sync/unreads", Some(&bob.token), None).await;
    assert_eq!(unreads.body[0]["last_id"], json!(ids[5]));

    let report = |token: &str, content: Value| {
        let h = &h;
        let token = token.to_owned();
        async move {
            h.call(
                "POST",
                "/safety/report",
                Some(&token),
                Some(json!({"content": content})),
            )
            .await
        }
    };
    assert_eq!(
        report(
            &bob.token,
            json!({"type": "Message", "id": ids[0], "report_reason": "SpamAbuse"})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        report(
            &alice.token,
            json!({"type": "Message", "id": ids[0], "report_reason": "SpamAbuse"})
        )
        .await
        .kind(),
        Some("CannotReportYourself")
    );
    assert_eq!(
        report(
            &bob.token,
            json!({"type": "User", "id": alice.id, "report_reason": "NotAReason"})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        report(
            &bob.token,
            json!({"type": "Server", "id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "report_reason": "Raid"})
        )
        .await
        .kind(),
        Some("NotFound")
    );
    let reports = h.server.control().reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].0, bob.id);

    let delete = format!("/channels/{}/messages/{}", guild.general, ids[0]);
    assert_eq!(
        h.call("DELETE", &delete, Some(&bob.token), None)
            .await
            .kind(),
        Some("CannotDeleteMessage")
    );
    assert_eq!(
        h.call("DELETE", &delete, Some(&alice.token), None)
            .await
            .status,
        204
    );
    assert_eq!(
        h.call("GET", &delete, Some(&bob.token), None).await.kind(),
        Some("NotFound")
    );
}
