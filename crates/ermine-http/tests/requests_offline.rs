//! Every route's request built without the network: method, path, query, headers, body, and
//! each tri-state and validation case.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::match_wildcard_for_single_variants
)]

use std::time::Duration;

use ermine_http::error::ErrorKind;
use ermine_http::request::channel::message::{ReplyTo, SendMessage};
use ermine_http::validate::ValidationErrorKind;
use ermine_http::{Auth, Client, Prepared, RetryPolicy, WithOptions};
use ermine_model::Timestamp;
use ermine_model::auth::Token;
use ermine_model::id::{ChannelId, MessageId, RoleId, ServerId, UserId};
use ermine_model::message::{Masquerade, MessageSort};
use ermine_model::report::{ContentReportReason, ReportedContent, ReportedMessage};
use serde_json::{Value, json};

const BASE: &str = "http://stoat.invalid";

fn client() -> Client {
    Client::builder()
        .session_token("session-secret")
        .base_url(BASE)
        .build()
        .unwrap()
}

fn ids() -> (ServerId, UserId, ChannelId, MessageId, RoleId) {
    (
        "01M86CDRZC9YVCV9K979HDVTHQ".parse().unwrap(),
        "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap(),
        "01M86CDRZC5Y42Q4GC71KR5ZC0".parse().unwrap(),
        "01M86CF0EFDK2MZVKTHSYQ4AF9".parse().unwrap(),
        "01M86CE2V81XCYGEGXRYKRWV6T".parse().unwrap(),
    )
}

fn body(p: &Prepared) -> Value {
    serde_json::from_str(p.body.as_deref().unwrap()).unwrap()
}

fn line(p: &Prepared) -> String {
    format!("{} {}", p.method, p.url.trim_start_matches(BASE))
}

#[test]
fn every_route_builds_its_method_path_and_query() {
    let c = client();
    let (s, u, ch, m, r) = ids();
    let cases: Vec<(Prepared, String)> = vec![
        (c.fetch_instance().prepare().unwrap(), "GET /".into()),
        (
            c.fetch_server(s).include_channels(true).prepare().unwrap(),
            format!("GET /servers/{s}?include_channels=true"),
        ),
        (
            c.fetch_role(s, r).prepare().unwrap(),
            format!("GET /servers/{s}/roles/{r}"),
        ),
        (
            c.fetch_members(s).exclude_offline(true).prepare().unwrap(),
            format!("GET /servers/{s}/members?exclude_offline=true"),
        ),
        (
            c.fetch_member(s, u).prepare().unwrap(),
            format!("GET /servers/{s}/members/{u}"),
        ),
        (
            c.fetch_member_with_roles(s, u).prepare().unwrap(),
            format!("GET /servers/{s}/members/{u}?roles=true"),
        ),
        (
            c.query_members(s, "a b&c").prepare().unwrap(),
            format!(
                "GET /servers/{s}/members_experimental_query?query=a+b%26c&experimental_api=true"
            ),
        ),
        (
            c.edit_member(s, u).prepare().unwrap(),
            format!("PATCH /servers/{s}/members/{u}"),
        ),
        (
            c.kick_member(s, u).prepare().unwrap(),
            format!("DELETE /servers/{s}/members/{u}"),
        ),
        (
            c.ban_member(s, u).prepare().unwrap(),
            format!("PUT /servers/{s}/bans/{u}"),
        ),
        (
            c.unban_member(s, u).prepare().unwrap(),
            format!("DELETE /servers/{s}/bans/{u}"),
        ),
        (
            c.fetch_bans(s).prepare().unwrap(),
            format!("GET /servers/{s}/bans"),
        ),
        (
            c.fetch_audit_logs(s).prepare().unwrap(),
            format!("GET /servers/{s}/audit_logs"),
        ),
        (
            c.fetch_audit_logs(s)
                .user(u)
                .target(u)
                .kind("MemberKick")
                .kind("BanCreate")
                .before("01M86CDRZC9YVCV9K979HDVTHQ")
                .limit(5)
                .prepare()
                .unwrap(),
            format!(
                "GET /servers/{s}/audit_logs?user={u}&target={u}&type=MemberKick&type=BanCreate&before=01M86CDRZC9YVCV9K979HDVTHQ&limit=5"
            ),
        ),
        (
            c.fetch_user(u).prepare().unwrap(),
            format!("GET /users/{u}"),
        ),
        (c.fetch_self().prepare().unwrap(), "GET /users/@me".into()),
        (
            c.open_dm(u).prepare().unwrap(),
            format!("GET /users/{u}/dm"),
        ),
        (c.fetch_dms().prepare().unwrap(), "GET /users/dms".into()),
        (
            c.fetch_profile(u).prepare().unwrap(),
            format!("GET /users/{u}/profile"),
        ),
        (
            c.fetch_mutuals(u).prepare().unwrap(),
            format!("GET /users/{u}/mutual"),
        ),
        (
            c.fetch_user_flags(u).prepare().unwrap(),
            format!("GET /users/{u}/flags"),
        ),
        (
            c.fetch_default_avatar(u).prepare().unwrap(),
            format!("GET /users/{u}/default_avatar"),
        ),
        (
            c.block_user(u).prepare().unwrap(),
            format!("PUT /users/{u}/block"),
        ),
        (
            c.unblock_user(u).prepare().unwrap(),
            format!("DELETE /users/{u}/block"),
        ),
        (
            c.remove_friend(u).prepare().unwrap(),
            format!("DELETE /users/{u}/friend"),
        ),
        (
            c.fetch_channel(ch).prepare().unwrap(),
            format!("GET /channels/{ch}"),
        ),
        (
            c.send_message(ch).content("hi").prepare().unwrap(),
            format!("POST /channels/{ch}/messages"),
        ),
        (
            c.fetch_messages(ch)
                .limit(10)
                .before(m)
                .sort(MessageSort::Oldest)
                .include_users(true)
                .prepare()
                .unwrap(),
            format!(
                "GET /channels/{ch}/messages?limit=10&before={m}&sort=Oldest&include_users=true"
            ),
        ),
        (
            c.fetch_messages(ch).nearby(m).prepare().unwrap(),
            format!("GET /channels/{ch}/messages?nearby={m}"),
        ),
        (
            c.search_messages(ch).query("x").prepare().unwrap(),
            format!("POST /channels/{ch}/search"),
        ),
        (
            c.ack_message(ch, m).prepare().unwrap(),
            format!("PUT /channels/{ch}/ack/{m}"),
        ),
        (
            c.join_call(ch).prepare().unwrap(),
            format!("POST /channels/{ch}/join_call"),
        ),
        (
            c.end_ring(ch, u).prepare().unwrap(),
            format!("PUT /channels/{ch}/end_ring/{u}"),
        ),
        (
            c.report(ReportedContent::Message(ReportedMessage {
                id: m,
                report_reason: ContentReportReason::SpamAbuse,
            }))
            .prepare()
            .unwrap(),
            "POST /safety/report".into(),
        ),
    ];
    for (prepared, expected) in cases {
        assert_eq!(line(&prepared), expected);
        assert_eq!(prepared.header("accept"), Some("application/json"));
        assert!(
            prepared
                .header("user-agent")
                .unwrap()
                .starts_with("ermine/")
        );
        let unauthenticated = expected.ends_with("/flags")
            || expected.ends_with("/default_avatar")
            || expected == "GET /";
        assert_eq!(
            prepared.header("x-session-token").is_some(),
            !unauthenticated,
            "{expected}"
        );
    }
    assert_eq!(
        c.default_avatar_url(u),
        format!("{BASE}/users/{u}/default_avatar")
    );
}

#[test]
fn member_edit_compiles_unset_clear_and_set() {
    let c = client();
    let (s, u, ch, _, r) = ids();
    let edit = || c.edit_member(s, u);
    assert_eq!(
        body(&edit().prepare().unwrap()),
        json!({}),
        "nothing set: an empty body"
    );
    let set = edit()
        .nickname(Some("Bobby"))
        .pronouns(Some("he/him"))
        .avatar(Some("FILE"))
        .roles(Some(&[r]))
        .timeout_until(Some(Timestamp::from_unix_millis(1_800_000_000_000)))
        .can_publish(Some(false))
        .can_receive(Some(true))
        .voice_channel(Some(ch));
    assert_eq!(
        body(&set.prepare().unwrap()),
        json!({"nickname": "Bobby", "pronouns": "he/him", "avatar": "FILE", "roles": [r],
               "timeout": "2027-01-15T08:00:00.000Z", "can_publish": false, "can_receive": true,
               "voice_channel": ch})
    );
    let cleared = edit()
        .nickname(None)
        .pronouns(None)
        .avatar(None)
        .roles(None)
        .timeout_until(None)
        .can_publish(None)
        .can_receive(None)
        .voice_channel(None);
    assert_eq!(
        body(&cleared.prepare().unwrap()),
        json!({"remove": ["Nickname", "Pronouns", "Avatar", "Roles", "Timeout", "CanPublish", "CanReceive", "VoiceChannel"]})
    );
    // A later set undoes an earlier clear, and the other way round.
    let undone = edit()
        .nickname(None)
        .nickname(Some("back"))
        .roles(Some(&[]))
        .roles(None);
    assert_eq!(
        body(&undone.prepare().unwrap()),
        json!({"nickname": "back", "remove": ["Roles"]})
    );
    // An empty role list is a set, not a clear.
    assert_eq!(
        body(&edit().roles(Some(&[])).prepare().unwrap()),
        json!({"roles": []})
    );

    // A timeout for a duration is an absolute UTC instant computed when sent.
    let before = Timestamp::now().unix_millis();
    let relative = body(
        &edit()
            .timeout_for(Duration::from_mins(10))
            .prepare()
            .unwrap(),
    );
    let at: Timestamp = relative["timeout"].as_str().unwrap().parse().unwrap();
    assert!(relative["timeout"].as_str().unwrap().ends_with('Z'));
    assert!((at.unix_millis() - before - 600_000).abs() < 5_000);
}

#[test]
fn the_servers_limits_are_checked_before_sending() {
    let c = client();
    let (s, u, ch, _, _) = ids();
    let field = |e: ermine_http::Error| match e.kind() {
        ErrorKind::Validation(v) => (v.field, v.kind.clone()),
        other => panic!("{other:?}"),
    };
    let long = "x".repeat(33);
    let (f, kind) = field(
        c.edit_member(s, u)
            .nickname(Some(&long))
            .prepare()
            .unwrap_err(),
    );
    assert_eq!(
        (f, kind),
        (
            "nickname",
            ValidationErrorKind::Length {
                min: 1,
                max: 32,
                actual: 33
            }
        )
    );
    assert_eq!(
        field(
            c.edit_member(s, u)
                .nickname(Some(""))
                .prepare()
                .unwrap_err()
        )
        .0,
        "nickname"
    );
    assert_eq!(
        field(
            c.edit_member(s, u)
                .pronouns(Some(&"p".repeat(25)))
                .prepare()
                .unwrap_err()
        )
        .0,
        "pronouns"
    );
    // Characters, not bytes.
    assert!(
        c.edit_member(s, u)
            .nickname(Some(&"é".repeat(32)))
            .prepare()
            .is_ok()
    );
    assert_eq!(
        field(
            c.ban_member(s, u)
                .reason(&"r".repeat(1025))
                .prepare()
                .unwrap_err()
        )
        .0,
        "reason"
    );
    assert_eq!(
        field(
            c.ban_member(s, u)
                .delete_message_seconds(604_801)
                .prepare()
                .unwrap_err()
        )
        .0,
        "delete_message_seconds"
    );
    assert!(
        c.ban_member(s, u)
            .delete_message_seconds(604_800)
            .prepare()
            .is_ok()
    );
    assert_eq!(
        field(c.fetch_messages(ch).limit(0).prepare().unwrap_err()).0,
        "limit"
    );
    assert_eq!(
        field(c.fetch_messages(ch).limit(101).prepare().unwrap_err()).0,
        "limit"
    );
    assert_eq!(
        field(
            c.fetch_messages(ch)
                .sort(MessageSort::Relevance)
                .prepare()
                .unwrap_err()
        )
        .0,
        "sort"
    );
    assert_eq!(
        field(
            c.search_messages(ch)
                .query(&"q".repeat(65))
                .prepare()
                .unwrap_err()
        )
        .0,
        "query"
    );
    assert_eq!(
        field(
            c.search_messages(ch)
                .query("a")
                .pinned(true)
                .prepare()
                .unwrap_err()
        )
        .1,
        ValidationErrorKind::Conflict { with: "pinned" }
    );
    let report = c.report(ReportedContent::Message(ReportedMessage {
        id: ids().3,
        report_reason: ContentReportReason::Illegal,
    }));
    assert_eq!(
        field(
            report
                .additional_context(&"c".repeat(1001))
                .prepare()
                .unwrap_err()
        )
        .0,
        "additional_context"
    );
    assert_eq!(
        field(
            c.fetch_self()
                .idempotency_key("k".repeat(65))
                .prepare()
                .unwrap_err()
        )
        .0,
        "Idempotency-Key"
    );
    assert_eq!(
        field(
            c.kick_member(s, u)
                .audit_log_reason("r".repeat(513))
                .prepare()
                .unwrap_err()
        )
        .0,
        "X-Audit-Log-Reason"
    );
    let masquerade = Masquerade {
        name: Some(String::new()),
        avatar: None,
        colour: None,
    };
    assert_eq!(
        field(
            c.send_message(ch)
                .masquerade(&masquerade)
                .prepare()
                .unwrap_err()
        )
        .0,
        "masquerade.name"
    );
    // The first error is kept.
    let first = c
        .edit_member(s, u)
        .nickname(Some(""))
        .pronouns(Some(""))
        .prepare()
        .unwrap_err();
    assert_eq!(field(first).0, "nickname");
}

#[test]
fn bodies_of_ban_search_send_call_and_report() {
    let c = client();
    let (s, u, ch, m, _) = ids();
    assert_eq!(
        body(&c.ban_member(s, u).prepare().unwrap()),
        json!({}),
        "a ban always sends a body"
    );
    assert_eq!(
        body(
            &c.ban_member(s, u)
                .reason("spam")
                .delete_message_seconds(60)
                .prepare()
                .unwrap()
        ),
        json!({"reason": "spam", "delete_message_seconds": 60})
    );
    assert_eq!(
        body(
            &c.search_messages(ch)
                .pinned(true)
                .limit(5)
                .sort(MessageSort::Latest)
                .include_users(true)
                .prepare()
                .unwrap()
        ),
        json!({"pinned": true, "limit": 5, "sort": "Latest", "include_users": true})
    );
    let sent = c
        .send_message(ch)
        .content("hello")
        .replies(&[ReplyTo::new(m, true)])
        .attachments(&["F1"])
        .flags(1)
        .prepare()
        .unwrap();
    assert_eq!(
        body(&sent),
        json!({"content": "hello", "replies": [{"id": m, "mention": true}], "attachments": ["F1"], "flags": 1})
    );
    let flagged =
        |f: fn(SendMessage) -> SendMessage| body(&f(c.send_message(ch)).prepare().unwrap());
    assert_eq!(flagged(|m| m.silent(true)), json!({"flags": 2}));
    assert_eq!(flagged(|m| m.mention_everyone(true)), json!({"flags": 4}));
    assert_eq!(flagged(|m| m.mention_online(true)), json!({"flags": 8}));
    assert_eq!(
        flagged(|m| m.silent(true).mention_online(true).silent(false)),
        json!({"flags": 8})
    );
    assert_eq!(
        flagged(|m| m.flags(7).mention_everyone(false)),
        json!({"flags": 3})
    );
    let keyed = c
        .send_message(ch)
        .content("x")
        .nonce("n-1")
        .prepare()
        .unwrap();
    assert_eq!(keyed.header("idempotency-key"), Some("n-1"));
    assert_eq!(body(&keyed), json!({"content": "x"}));
    assert_eq!(body(&c.join_call(ch).prepare().unwrap()), json!({}));
    assert_eq!(
        body(
            &c.join_call(ch)
                .node("n")
                .force_disconnect(true)
                .recipients(&[u])
                .prepare()
                .unwrap()
        ),
        json!({"node": "n", "force_disconnect": true, "recipients": [u]})
    );
    let report = c
        .report(ReportedContent::Message(ReportedMessage {
            id: m,
            report_reason: ContentReportReason::SpamAbuse,
        }))
        .additional_context("context")
        .prepare()
        .unwrap();
    assert_eq!(
        body(&report),
        json!({"content": {"type": "Message", "id": m, "report_reason": "SpamAbuse"}, "additional_context": "context"})
    );
}

#[test]
fn overrides_apply_to_the_prepared_request() {
    let c = client();
    let (s, u, _, _, _) = ids();
    let p = c
        .kick_member(s, u)
        .auth(Auth::Bot(Token::new("bot-secret")))
        .header("X-Extra", "1")
        .base_url("http://other.invalid/")
        .user_agent("my-bot/2")
        .idempotency_key("key-1")
        .mfa_ticket(Token::new("mfa-secret"))
        .cookie("cf_clearance=abc")
        .audit_log_reason("because")
        .timeout(Duration::from_secs(1))
        .retry(RetryPolicy::none())
        .bypass_rate_limiter()
        .prepare()
        .unwrap();
    assert_eq!(
        p.url,
        format!("http://other.invalid/servers/{s}/members/{u}")
    );
    assert_eq!(p.header("x-bot-token"), Some("bot-secret"));
    assert_eq!(
        p.header("x-session-token"),
        None,
        "the override replaces the client's token"
    );
    assert_eq!(p.header("x-extra"), Some("1"));
    assert_eq!(p.header("user-agent"), Some("my-bot/2"));
    assert_eq!(p.header("idempotency-key"), Some("key-1"));
    assert_eq!(p.header("x-mfa-ticket"), Some("mfa-secret"));
    assert_eq!(p.header("cookie"), Some("cf_clearance=abc"));
    assert_eq!(p.header("x-audit-log-reason"), Some("because"));
    let shown = format!("{p:?}");
    for secret in ["bot-secret", "mfa-secret", "cf_clearance"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let anonymous = c.fetch_self().without_auth().prepare().unwrap();
    assert_eq!(anonymous.header("x-session-token"), None);
    let oauth = c
        .fetch_self()
        .auth(Auth::OAuth2(Token::new("o")))
        .prepare()
        .unwrap();
    assert_eq!(oauth.header("x-oauth2-token"), Some("o"));
    let replaced = c
        .fetch_self()
        .header("Accept", "text/html")
        .prepare()
        .unwrap();
    assert_eq!(replaced.header("accept"), Some("text/html"));
}
