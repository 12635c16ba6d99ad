//! Every route against the local server over loopback: success, the errors the member
//! methods document, overrides seen on the wire, retries, and rate limits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::match_wildcard_for_single_variants
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use ermine_http::error::ErrorKind;
use ermine_http::ratelimit::InMemoryRateLimiter;
use ermine_http::request::file::{FileSource, FileTag};
use ermine_http::{Auth, Client, RetryPolicy, WithOptions};
use ermine_model::auth::Token;
use ermine_model::error::ApiError;
use ermine_model::member::MemberResponse;
use ermine_model::message::{BulkMessageResponse, MessageSort};
use ermine_model::permission::{Override, Permissions};
use ermine_model::report::{ReportedContent, ReportedUser, UserReportReason};
use ermine_testkit::{Config, Fault, SeededServer, SeededUser, TestServer};

struct World {
    server: TestServer,
    alice: SeededUser,
    bob: SeededUser,
    moderator: SeededUser,
    bot_token: String,
    bot_id: ermine_model::id::UserId,
    guild: SeededServer,
    role: ermine_model::id::RoleId,
}

async fn world(config: Config) -> World {
    let server = TestServer::start_with(config).await.unwrap();
    let seed = server.seed();
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let moderator = seed.user("moderator");
    let bot = seed.bot("helper", alice.id);
    let guild = seed.server("Guild", alice.id);
    let powers = Permissions::KICK_MEMBERS
        | Permissions::BAN_MEMBERS
        | Permissions::TIMEOUT_MEMBERS
        | Permissions::MANAGE_NICKNAMES;
    let role = seed.role(
        guild.id,
        "Moderator",
        0,
        Override::new(powers, Permissions::empty()),
    );
    for user in [bob.id, moderator.id, bot.id] {
        seed.join(guild.id, user);
    }
    seed.assign(guild.id, moderator.id, &[role]);
    World {
        server,
        alice,
        bob,
        moderator,
        bot_token: bot.token,
        bot_id: bot.id,
        guild,
        role,
    }
}

fn client(w: &World, token: &str) -> Client {
    Client::builder()
        .session_token(token)
        .base_url(&w.server.urls().api)
        .build()
        .unwrap()
}

fn api(e: &ermine_http::Error) -> &ApiError {
    e.api().unwrap_or_else(|| panic!("not an API error: {e:?}"))
}

#[tokio::test]
async fn every_member_surface_route_succeeds() {
    let w = world(Config::default().rate_limit_window(Duration::from_millis(50))).await;
    let alice = client(&w, &w.alice.token);
    let (s, general) = (w.guild.id, w.guild.general);

    let config = alice.discover().await.unwrap();
    assert_eq!(config.ws, w.server.urls().events);
    assert_eq!(
        alice.files_url().as_deref(),
        Some(w.server.urls().files.as_str())
    );
    assert_eq!(
        alice.events_url().as_deref(),
        Some(w.server.urls().events.as_str())
    );

    let fetched = alice.fetch_server(s).include_channels(true).await.unwrap();
    assert_eq!(fetched.server.roles.len(), 1);
    assert_eq!(fetched.channels.unwrap().len(), 1);
    assert_eq!(alice.fetch_role(s, w.role).await.unwrap().name, "Moderator");
    let all = alice.fetch_members(s).await.unwrap();
    assert_eq!(all.members.len(), 4);
    assert_eq!(
        alice
            .fetch_members(s)
            .exclude_offline(true)
            .await
            .unwrap()
            .members
            .len(),
        0
    );
    assert_eq!(
        alice.fetch_member(s, w.moderator.id).await.unwrap().roles,
        vec![w.role]
    );
    match alice
        .fetch_member_with_roles(s, w.moderator.id)
        .await
        .unwrap()
    {
        MemberResponse::WithRoles { member, roles } => {
            assert_eq!(member.id.user, w.moderator.id);
            assert!(roles.contains_key(&w.role));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        alice.query_members(s, "bo").await.unwrap().users[0].username,
        "bob"
    );

    let edited = alice
        .edit_member(s, w.bob.id)
        .nickname(Some("Bobby"))
        .timeout_for(Duration::from_mins(1))
        .await
        .unwrap();
    assert_eq!(edited.nickname.as_deref(), Some("Bobby"));
    assert!(edited.timeout.is_some());
    let cleared = alice
        .edit_member(s, w.bob.id)
        .nickname(None)
        .timeout_until(None)
        .await
        .unwrap();
    assert_eq!((cleared.nickname, cleared.timeout), (None, None));

    // Avatars: upload from bytes and from a path, or pass an existing ID.
    let png = alice.fetch_default_avatar(w.bob.id).await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let bob = client(&w, &w.bob.token);
    let uploaded = bob
        .upload_file(
            FileTag::Avatars,
            FileSource::Bytes {
                filename: "me.png".into(),
                bytes: png.clone(),
            },
        )
        .await
        .unwrap();
    let with_avatar = bob
        .edit_member(s, w.bob.id)
        .avatar(Some(&uploaded))
        .await
        .unwrap();
    assert_eq!(with_avatar.avatar.unwrap().id, uploaded);
    let path = std::env::temp_dir().join(format!("ermine-avatar-{}.png", std::process::id()));
    std::fs::write(&path, &png).unwrap();
    let from_path = bob
        .upload_file(FileTag::Avatars, FileSource::Path(path.clone()))
        .await
        .unwrap();
    std::fs::remove_file(&path).ok();
    assert_ne!(from_path, uploaded);
    assert_eq!(
        bob.upload_file(FileTag::Avatars, FileSource::Id("X".into()))
            .await
            .unwrap(),
        "X"
    );

    let message = bob
        .send_message(general)
        .content("hello apple")
        .await
        .unwrap();
    assert_eq!(message.content.as_deref(), Some("hello apple"));
    let history = bob
        .fetch_messages(general)
        .limit(10)
        .sort(MessageSort::Oldest)
        .include_users(true)
        .await
        .unwrap();
    assert!(matches!(
        history,
        BulkMessageResponse::MessagesAndUsers { .. }
    ));
    assert_eq!(history.messages().len(), 1);
    let found = bob.search_messages(general).query("APPLE").await.unwrap();
    assert_eq!(found.messages()[0].id, message.id);
    bob.ack_message(general, message.id).await.unwrap();
    assert_eq!(
        bob.fetch_channel(general).await.unwrap().id(),
        Some(general)
    );

    assert_eq!(alice.fetch_user(w.bob.id).await.unwrap().username, "bob");
    assert_eq!(alice.fetch_self().await.unwrap().id, w.alice.id);
    assert_eq!(alice.fetch_profile(w.bob.id).await.unwrap().content, None);
    assert_eq!(
        alice.fetch_mutuals(w.bob.id).await.unwrap().servers,
        vec![s]
    );
    assert!(
        alice
            .fetch_user_flags(w.bob.id)
            .await
            .unwrap()
            .flags
            .is_empty()
    );
    w.server.seed().friends(w.alice.id, w.bob.id);
    let dm = alice.open_dm(w.bob.id).await.unwrap();
    assert_eq!(alice.fetch_dms().await.unwrap(), vec![dm]);
    assert_eq!(
        alice
            .remove_friend(w.bob.id)
            .await
            .unwrap()
            .relationship
            .as_str(),
        "None"
    );
    assert_eq!(
        alice
            .block_user(w.bob.id)
            .await
            .unwrap()
            .relationship
            .as_str(),
        "Blocked"
    );
    assert_eq!(
        alice
            .unblock_user(w.bob.id)
            .await
            .unwrap()
            .relationship
            .as_str(),
        "None"
    );
    bob.report(ReportedContent::User(ReportedUser {
        id: w.alice.id,
        report_reason: UserReportReason::SpamAbuse,
        message_id: None,
    }))
    .additional_context("spam")
    .await
    .unwrap();
    assert_eq!(w.server.control().reports().len(), 1);

    let moderator = client(&w, &w.moderator.token);
    moderator.kick_member(s, w.bob.id).await.unwrap();
    let ban = moderator
        .ban_member(s, w.bob.id)
        .reason("again")
        .await
        .unwrap();
    assert_eq!(ban.reason.as_deref(), Some("again"));
    let bans = moderator.fetch_bans(s).await.unwrap();
    assert_eq!(bans.users[0].id, w.bob.id);
    moderator.unban_member(s, w.bob.id).await.unwrap();
    assert!(moderator.fetch_bans(s).await.unwrap().bans.is_empty());
}

#[tokio::test]
async fn voice_calls_and_the_errors_of_the_member_methods() {
    let w = world(
        Config::default()
            .rate_limit_window(Duration::from_millis(50))
            .voice(true),
    )
    .await;
    let s = w.guild.id;
    let talk = w.server.seed().channel(s, "Talk", true);
    let alice = client(&w, &w.alice.token);
    let call = alice.join_call(talk).await.unwrap();
    assert!(!call.token.is_empty());
    assert!(matches!(
        api(&alice.join_call(talk).await.unwrap_err()),
        ApiError::AlreadyConnected
    ));

    let bob = client(&w, &w.bob.token);
    w.server.seed().friends(w.alice.id, w.bob.id);
    let dm = alice.open_dm(w.bob.id).await.unwrap().id().unwrap();
    alice.join_call(dm).force_disconnect(true).await.unwrap();
    alice.end_ring(dm, w.bob.id).await.unwrap();
    assert!(matches!(
        api(&bob.end_ring(dm, w.alice.id).await.unwrap_err()),
        ApiError::NotConnected
    ));
    assert!(
        alice
            .end_ring(talk, w.bob.id)
            .await
            .unwrap_err()
            .is_no_effect()
    );
    let moderator = client(&w, &w.moderator.token);
    let e = bob.kick_member(s, w.moderator.id).await.unwrap_err();
    assert!(
        matches!(api(&e), ApiError::MissingPermission { permission } if permission == "KickMembers")
    );
    assert_eq!(e.status(), Some(403));
    assert_eq!(e.response().unwrap().method, "DELETE");
    assert!(e.response().unwrap().body.contains("KickMembers"));
    assert!(matches!(
        api(&moderator.kick_member(s, w.moderator.id).await.unwrap_err()),
        ApiError::CannotRemoveYourself
    ));
    assert!(matches!(
        api(&moderator.kick_member(s, w.alice.id).await.unwrap_err()),
        ApiError::InvalidOperation
    ));
    assert!(matches!(
        api(&moderator.ban_member(s, w.alice.id).await.unwrap_err()),
        ApiError::InvalidOperation
    ));
    let peer = w.server.seed().user("peer");
    w.server.seed().join(s, peer.id);
    w.server.seed().assign(s, peer.id, &[w.role]);
    assert!(matches!(
        api(&moderator.kick_member(s, peer.id).await.unwrap_err()),
        ApiError::NotElevated
    ));
    assert!(matches!(
        api(&moderator
            .edit_member(s, w.moderator.id)
            .timeout_for(Duration::from_secs(5))
            .await
            .unwrap_err()),
        ApiError::CannotTimeoutYourself
    ));
    assert!(matches!(
        api(&moderator
            .edit_member(s, peer.id)
            .timeout_for(Duration::from_secs(5))
            .await
            .unwrap_err()),
        ApiError::IsElevated
    ));
    let unknown_role = "01ZZZZZZZZZZZZZZZZZZZZZZZZ".parse().unwrap();
    assert!(matches!(
        api(&alice
            .edit_member(s, w.bob.id)
            .roles(Some(&[unknown_role]))
            .await
            .unwrap_err()),
        ApiError::InvalidRole
    ));
    assert!(matches!(
        api(&alice
            .fetch_member(s, unknown_role.cast())
            .await
            .unwrap_err()),
        ApiError::NotFound
    ));
    moderator.ban_member(s, w.bob.id).await.unwrap();
    let twice = moderator.ban_member(s, w.bob.id).await.unwrap_err();
    assert!(matches!(api(&twice), ApiError::DatabaseError { .. }));
    assert!(
        alice
            .unblock_user(w.bob.id)
            .await
            .unwrap_err()
            .is_no_effect()
    );
    let bot = Client::builder()
        .bot_token(&w.bot_token)
        .base_url(&w.server.urls().api)
        .build()
        .unwrap();
    assert!(bot.is_bot());
    let message = alice
        .send_message(w.guild.general)
        .content("x")
        .await
        .unwrap();
    assert!(matches!(
        api(&bot
            .ack_message(w.guild.general, message.id)
            .await
            .unwrap_err()),
        ApiError::IsBot
    ));
    assert_eq!(bot.fetch_self().await.unwrap().id, w.bot_id);

    let stranger = Client::builder()
        .session_token("not-a-token")
        .base_url(&w.server.urls().api)
        .build()
        .unwrap();
    let refused = stranger.fetch_self().await.unwrap_err();
    assert!(
        matches!(refused.kind(), ErrorKind::Framework { reason, .. } if reason == "Unauthorized")
    );
    assert_eq!(refused.status(), Some(401));
    assert!(!format!("{refused} {refused:?}").contains("not-a-token"));
}

#[tokio::test]
async fn overrides_are_seen_on_the_wire() {
    let w = world(Config::default().rate_limit_window(Duration::from_millis(50))).await;
    let other =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_millis(50)))
            .await
            .unwrap();
    let alice = client(&w, &w.alice.token);
    let s = w.guild.id;
    alice
        .edit_member(s, w.bob.id)
        .nickname(Some("B"))
        .auth(Auth::Session(Token::new(w.moderator.token.clone())))
        .header("X-Trace", "t-1")
        .user_agent("my-bot/1.0")
        .mfa_ticket(Token::new("mfa"))
        .cookie("cf_clearance=1")
        .audit_log_reason("rename")
        .await
        .unwrap();
    let log = w.server.control().requests();
    let last = log.last().unwrap();
    assert_eq!(
        last.header("x-session-token"),
        Some(w.moderator.token.as_str())
    );
    assert_eq!(last.header("x-trace"), Some("t-1"));
    assert_eq!(last.header("user-agent"), Some("my-bot/1.0"));
    assert_eq!(last.header("x-mfa-ticket"), Some("mfa"));
    assert_eq!(last.header("cookie"), Some("cf_clearance=1"));
    assert_eq!(last.header("x-audit-log-reason"), Some("rename"));
    assert_eq!(last.header("accept"), Some("application/json"));

    alice
        .send_message(w.guild.general)
        .content("once")
        .idempotency_key("k-1")
        .await
        .unwrap();
    assert_eq!(
        w.server
            .control()
            .requests()
            .last()
            .unwrap()
            .header("idempotency-key"),
        Some("k-1")
    );

    let elsewhere = alice
        .fetch_self()
        .base_url(other.urls().api.clone())
        .await
        .unwrap_err();
    assert_eq!(
        elsewhere.status(),
        Some(401),
        "the other server does not know the token"
    );
    assert_eq!(other.control().requests().len(), 1);

    let flags = alice.fetch_user_flags(w.bob.id).await.unwrap();
    assert!(flags.flags.is_empty());
    assert_eq!(
        w.server
            .control()
            .requests()
            .last()
            .unwrap()
            .header("x-session-token"),
        None
    );

    // A timeout: a listener that accepts and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    // The listener never answers: only the request's own 200 ms timeout can end it (the
    // outer bound only turns a hang into a failure).
    let request = alice
        .fetch_self()
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_millis(200));
    let timed_out = tokio::time::timeout(Duration::from_mins(1), request.into_future())
        .await
        .expect("the request's timeout ended it")
        .unwrap_err();
    assert!(
        matches!(timed_out.kind(), ErrorKind::Timeout),
        "{timed_out:?}"
    );
}

#[tokio::test]
async fn retries_follow_the_policy_and_idempotency() {
    let w = world(Config::default().rate_limit_window(Duration::from_millis(50))).await;
    let alice = Client::builder()
        .session_token(&w.alice.token)
        .base_url(&w.server.urls().api)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let control = w.server.control();
    control.inject_fault(Fault::new("/users/@me", 2, 502, "bad gateway"));
    assert_eq!(alice.fetch_self().await.unwrap().id, w.alice.id);
    assert_eq!(control.requests().len(), 3, "two 502s, then the answer");

    control.clear_requests();
    control.inject_fault(Fault::new("/users/@me", 1, 503, ""));
    let e = alice
        .fetch_self()
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert!(matches!(e.kind(), ErrorKind::Status));

    let send = format!("/channels/{}/messages", w.guild.general);
    control.clear_requests();
    control.inject_fault(Fault::new(send.clone(), 1, 502, ""));
    let e = alice
        .send_message(w.guild.general)
        .content("x")
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(502), "a send without a key is not retried");
    assert_eq!(control.requests().len(), 1);
    control.inject_fault(Fault::new(send.clone(), 1, 502, ""));
    let sent = alice
        .send_message(w.guild.general)
        .content("y")
        .idempotency_key("retry-1")
        .await
        .unwrap();
    assert_eq!(sent.nonce.as_deref(), Some("retry-1"));

    control.clear_requests();
    control.inject_fault(
        Fault::new("/users/@me", 1, 429, r#"{"retry_after": 150}"#)
            .content_type("application/json"),
    );
    let started = Instant::now();
    alice.fetch_self().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "waited retry_after"
    );
    assert_eq!(control.requests().len(), 2);

    control.inject_fault(
        Fault::new("/users/@me", 5, 429, r#"{"retry_after": 10}"#).content_type("application/json"),
    );
    let e = alice
        .fetch_self()
        .retry(RetryPolicy::default().rate_limited(1))
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::RateLimited { retry_after } if *retry_after == Duration::from_millis(10))
    );
}

#[tokio::test]
async fn the_limiter_waits_instead_of_hitting_429_and_can_be_bypassed() {
    let w = world(Config::default().rate_limit_window(Duration::from_millis(800))).await;
    let limiter = Arc::new(InMemoryRateLimiter::new());
    let mut events = limiter.subscribe();
    let alice = Client::builder()
        .session_token(&w.alice.token)
        .base_url(&w.server.urls().api)
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    for _ in 0..5 {
        alice.fetch_server(w.guild.id).await.unwrap();
    }
    let bypass = alice
        .fetch_server(w.guild.id)
        .bypass_rate_limiter()
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(
        matches!(bypass.kind(), ErrorKind::RateLimited { .. }),
        "the server still counts: {bypass:?}"
    );
    let started = Instant::now();
    alice.fetch_server(w.guild.id).await.unwrap();
    // The server's clock says the last request came after the first window ended.
    let log = w.server.control().requests();
    let (first, last) = (log.first().unwrap().at, log.last().unwrap().at);
    assert!(
        last.unix_millis() - first.unix_millis() >= 790,
        "waited for the window ({:?} after starting)",
        started.elapsed()
    );
    let statuses: Vec<u16> = w
        .server
        .control()
        .requests()
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        1,
        "only the bypassing request: {statuses:?}"
    );
    let key = alice.bucket(
        &ermine_http::RawRequest::new(&ermine_model::route::FETCH_SERVER, [w.guild.id.to_string()])
            .unwrap(),
    );
    assert!(limiter.learned_bucket(&key).is_some());
    let mut seen_wait = false;
    while let Ok(event) = events.try_recv() {
        seen_wait |= matches!(
            event,
            ermine_http::ratelimit::RateLimitEvent::Waiting { .. }
        );
    }
    assert!(seen_wait);
}

#[tokio::test]
async fn a_burst_of_200_edits_on_one_server_bucket() {
    let window = Duration::from_millis(100);
    let w = world(Config::default().rate_limit_window(window)).await;
    let alice = client(&w, &w.alice.token);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let alice = alice.clone();
        let (s, u) = (w.guild.id, w.bob.id);
        tasks.push(tokio::spawn(async move {
            alice
                .edit_member(s, u)
                .nickname(Some(&format!("n{i}")))
                .await
        }));
    }
    let mut failures = 0;
    for t in tasks {
        if t.await.unwrap().is_err() {
            failures += 1;
        }
    }
    let elapsed = started.elapsed();
    let log = w.server.control().requests();
    let on_wire = log.len();
    let limited = log.iter().filter(|r| r.status == 429).count();
    let minimum = window * (200 / 5);
    println!(
        "200 edits: {failures} failed, {on_wire} requests on the wire, {limited} answered 429, \
         {elapsed:?} in all (theoretical minimum {minimum:?}, ratio {:.2})",
        elapsed.as_secs_f64() / minimum.as_secs_f64()
    );
    assert_eq!(failures, 0, "the caller never sees a 429");
    assert!(
        limited <= 5,
        "at most a handful of 429s on the wire, saw {limited}"
    );
}

#[tokio::test]
async fn the_audit_log_reads_back_a_kick_and_its_reason() {
    let w = world(Config::default().rate_limits(false)).await;
    let alice = client(&w, &w.alice.token);
    alice
        .kick_member(w.guild.id, w.bob.id)
        .audit_log_reason("spamming")
        .await
        .unwrap();
    let log = alice
        .fetch_audit_logs(w.guild.id)
        .kind("MemberKick")
        .target(w.bob.id)
        .limit(10)
        .await
        .unwrap();
    assert_eq!(log.audit_logs.len(), 1);
    let entry = &log.audit_logs[0];
    assert_eq!(entry.reason.as_deref(), Some("spamming"));
    assert_eq!(entry.user, w.alice.id);
    match &entry.action {
        ermine_model::audit::AuditLogAction::MemberKick(kick) => assert_eq!(kick.user, w.bob.id),
        other => panic!("{other:?}"),
    }
    assert!(log.users.iter().any(|u| u.id == w.bob.id));
    // Refused before sending, and by the server.
    let refused = alice
        .fetch_audit_logs(w.guild.id)
        .limit(0)
        .await
        .unwrap_err();
    assert!(matches!(refused.kind(), ErrorKind::Validation(_)));
    let bob = client(&w, &w.bob.token);
    let denied = bob.fetch_audit_logs(w.guild.id).await.unwrap_err();
    assert!(matches!(
        denied.api(),
        Some(ApiError::MissingPermission { permission }) if permission == "ViewAuditLogs"
    ));
}
