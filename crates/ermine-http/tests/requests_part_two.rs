//! The account side's requests built without the network: method, path, query, credentials
//! (token, MFA ticket) and body; no secret in `Debug`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::many_single_char_names
)]

mod support;

use support::{offline_client, shape};

use std::collections::HashMap;

use ermine_http::Prepared;
use ermine_model::auth::{MfaResponse, Token, WebPushSubscription};
use ermine_model::id::{ChannelId, ServerId, SessionId, UserId};
use serde_json::{Value, json};

#[test]
fn every_part_two_request_has_its_method_path_credentials_and_body() {
    let c = offline_client();
    let u: UserId = "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap();
    let s: ServerId = "01M86CDRZC9YVCV9K979HDVTHQ".parse().unwrap();
    let g: ChannelId = "01M86CDRZC5Y42Q4GC71KR5ZC0".parse().unwrap();
    let id: SessionId = "01M86CDRZCQAK1VWXZ3F4R8Z16".parse().unwrap();
    let t = || Token::new("ticket-secret");
    let ticket = Some("ticket-secret".to_owned());
    let cases: Vec<(Prepared, String, Value, bool, Option<String>)> = vec![
        (
            c.add_friend(u).prepare().unwrap(),
            format!("PUT /users/{u}/friend"),
            Value::Null,
            true,
            None,
        ),
        (
            c.send_friend_request("bob#0001").prepare().unwrap(),
            "POST /users/friend".into(),
            json!({"username": "bob#0001"}),
            true,
            None,
        ),
        (
            c.create_bot("helper").prepare().unwrap(),
            "POST /bots/create".into(),
            json!({"name": "helper"}),
            true,
            None,
        ),
        (
            c.fetch_public_bot(u).prepare().unwrap(),
            format!("GET /bots/{u}/invite"),
            Value::Null,
            true,
            None,
        ),
        (
            c.invite_bot_to_server(u, s).prepare().unwrap(),
            format!("POST /bots/{u}/invite"),
            json!({"server": s}),
            true,
            None,
        ),
        (
            c.invite_bot_to_group(u, g).prepare().unwrap(),
            format!("POST /bots/{u}/invite"),
            json!({"group": g}),
            true,
            None,
        ),
        (
            c.fetch_bot(u).prepare().unwrap(),
            format!("GET /bots/{u}"),
            Value::Null,
            true,
            None,
        ),
        (
            c.delete_bot(u).prepare().unwrap(),
            format!("DELETE /bots/{u}"),
            Value::Null,
            true,
            None,
        ),
        (
            c.edit_bot(u)
                .public(true)
                .interactions_url(None)
                .reset_token()
                .prepare()
                .unwrap(),
            format!("PATCH /bots/{u}"),
            json!({"public": true, "remove": ["InteractionsURL", "Token"]}),
            true,
            None,
        ),
        (
            c.fetch_owned_bots().prepare().unwrap(),
            "GET /bots/@me".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.create_account("a@b.c", "long password")
                .invite("inv")
                .prepare()
                .unwrap(),
            "POST /auth/account/create".into(),
            json!({"email": "a@b.c", "password": "long password", "invite": "inv"}),
            false,
            None,
        ),
        (
            c.resend_verification("a@b.c").prepare().unwrap(),
            "POST /auth/account/reverify".into(),
            json!({"email": "a@b.c"}),
            false,
            None,
        ),
        (
            c.confirm_account_deletion("tok").prepare().unwrap(),
            "PUT /auth/account/delete".into(),
            json!({"token": "tok"}),
            false,
            None,
        ),
        (
            c.delete_account(t()).prepare().unwrap(),
            "POST /auth/account/delete".into(),
            Value::Null,
            true,
            ticket.clone(),
        ),
        (
            c.fetch_account().prepare().unwrap(),
            "GET /auth/account/".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.disable_account(t()).prepare().unwrap(),
            "POST /auth/account/disable".into(),
            Value::Null,
            true,
            ticket.clone(),
        ),
        (
            c.change_password("new password", "old").prepare().unwrap(),
            "PATCH /auth/account/change/password".into(),
            json!({"password": "new password", "current_password": "old"}),
            true,
            None,
        ),
        (
            c.change_email("x@y.z", "pw").prepare().unwrap(),
            "PATCH /auth/account/change/email".into(),
            json!({"email": "x@y.z", "current_password": "pw"}),
            true,
            None,
        ),
        (
            c.verify_email("code").prepare().unwrap(),
            "POST /auth/account/verify/code".into(),
            Value::Null,
            false,
            None,
        ),
        (
            c.send_password_reset("a@b.c").prepare().unwrap(),
            "POST /auth/account/reset_password".into(),
            json!({"email": "a@b.c"}),
            false,
            None,
        ),
        (
            c.reset_password("tok", "new password")
                .remove_sessions(true)
                .prepare()
                .unwrap(),
            "PATCH /auth/account/reset_password".into(),
            json!({"token": "tok", "password": "new password", "remove_sessions": true}),
            false,
            None,
        ),
        (
            c.login("a@b.c", "pw")
                .friendly_name("cli")
                .prepare()
                .unwrap(),
            "POST /auth/session/login".into(),
            json!({"email": "a@b.c", "password": "pw", "friendly_name": "cli"}),
            false,
            None,
        ),
        (
            c.login_mfa(
                "tk",
                MfaResponse::Totp {
                    totp_code: "123456".into(),
                },
            )
            .prepare()
            .unwrap(),
            "POST /auth/session/login".into(),
            json!({"mfa_ticket": "tk", "mfa_response": {"totp_code": "123456"}}),
            false,
            None,
        ),
        (
            c.logout().prepare().unwrap(),
            "POST /auth/session/logout".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.fetch_sessions().prepare().unwrap(),
            "GET /auth/session/all".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.revoke_all_sessions().revoke_self(true).prepare().unwrap(),
            "DELETE /auth/session/all?revoke_self=true".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.revoke_session(id).prepare().unwrap(),
            format!("DELETE /auth/session/{id}"),
            Value::Null,
            true,
            None,
        ),
        (
            c.edit_session(id, "laptop").prepare().unwrap(),
            format!("PATCH /auth/session/{id}"),
            json!({"friendly_name": "laptop"}),
            true,
            None,
        ),
        (
            c.create_mfa_ticket(MfaResponse::Recovery {
                recovery_code: "abcde-fghij".into(),
            })
            .prepare()
            .unwrap(),
            "PUT /auth/mfa/ticket".into(),
            json!({"recovery_code": "abcde-fghij"}),
            true,
            None,
        ),
        (
            c.fetch_mfa_status().prepare().unwrap(),
            "GET /auth/mfa/".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.fetch_recovery_codes(t()).prepare().unwrap(),
            "POST /auth/mfa/recovery".into(),
            Value::Null,
            true,
            ticket.clone(),
        ),
        (
            c.generate_recovery_codes(t()).prepare().unwrap(),
            "PATCH /auth/mfa/recovery".into(),
            Value::Null,
            true,
            ticket.clone(),
        ),
        (
            c.fetch_mfa_methods().prepare().unwrap(),
            "GET /auth/mfa/methods".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.enable_totp("123456").prepare().unwrap(),
            "PUT /auth/mfa/totp".into(),
            json!({"totp_code": "123456"}),
            true,
            None,
        ),
        (
            c.generate_totp_secret(t()).prepare().unwrap(),
            "POST /auth/mfa/totp".into(),
            Value::Null,
            true,
            ticket.clone(),
        ),
        (
            c.disable_totp(t()).prepare().unwrap(),
            "DELETE /auth/mfa/totp".into(),
            Value::Null,
            true,
            ticket.clone(),
        ),
        (
            c.onboard_hello().prepare().unwrap(),
            "GET /onboard/hello".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.onboard_complete("name").prepare().unwrap(),
            "POST /onboard/complete".into(),
            json!({"username": "name"}),
            true,
            None,
        ),
        (
            c.acknowledge_policy_changes().prepare().unwrap(),
            "POST /policy/acknowledge".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.push_subscribe(WebPushSubscription {
                endpoint: "e".into(),
                p256dh: "k".into(),
                auth: "a".into(),
            })
            .prepare()
            .unwrap(),
            "POST /push/subscribe".into(),
            json!({"endpoint": "e", "p256dh": "k", "auth": "a"}),
            true,
            None,
        ),
        (
            c.push_unsubscribe().prepare().unwrap(),
            "POST /push/unsubscribe".into(),
            Value::Null,
            true,
            None,
        ),
        (
            c.fetch_settings(&["theme"]).prepare().unwrap(),
            "POST /sync/settings/fetch".into(),
            json!({"keys": ["theme"]}),
            true,
            None,
        ),
        (
            c.set_settings(HashMap::from([("theme".to_owned(), "dark".to_owned())]))
                .timestamp(ermine_model::Timestamp::from_unix_millis(5))
                .prepare()
                .unwrap(),
            "POST /sync/settings/set?timestamp=5".into(),
            json!({"theme": "dark"}),
            true,
            None,
        ),
        (
            c.fetch_unreads().prepare().unwrap(),
            "GET /sync/unreads".into(),
            Value::Null,
            true,
            None,
        ),
    ];
    for (prepared, line, body, token, ticket) in cases {
        assert_eq!(
            shape(&prepared),
            (line.clone(), body, token, ticket),
            "{line}"
        );
    }
}

#[test]
fn passwords_tickets_and_codes_never_show_in_debug() {
    let c = offline_client();
    let shown = [
        format!("{:?}", c.login("a@b.c", "hunter22").prepare().unwrap()),
        format!("{:?}", c.login("a@b.c", "hunter22").raw().unwrap()),
        format!("{:?}", c.login("a@b.c", "hunter22")),
        format!(
            "{:?}",
            c.change_password("hunter22!", "hunter22")
                .prepare()
                .unwrap()
        ),
        format!(
            "{:?}",
            c.create_mfa_ticket(MfaResponse::Totp {
                totp_code: "hunter22".into()
            })
        ),
        format!(
            "{:?}",
            c.login_mfa(
                "hunter22",
                MfaResponse::Recovery {
                    recovery_code: "hunter22".into()
                }
            )
            .raw()
            .unwrap()
        ),
        format!(
            "{:?}",
            c.disable_totp(Token::new("hunter22")).prepare().unwrap()
        ),
        format!(
            "{:?}",
            c.push_subscribe(WebPushSubscription {
                endpoint: "e".into(),
                p256dh: "k".into(),
                auth: "hunter22".into()
            })
        ),
    ];
    for s in shown {
        assert!(!s.contains("hunter22"), "{s}");
    }
}

#[test]
fn the_account_side_checks_what_it_can_before_sending() {
    let c = offline_client();
    let field = |r: Result<Prepared, ermine_http::Error>| match r.unwrap_err().kind() {
        ermine_http::error::ErrorKind::Validation(v) => v.field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(
            c.create_account("not-an-address", "long password")
                .prepare()
        ),
        "email"
    );
    assert_eq!(
        field(c.create_account("a@b.c", "short").prepare()),
        "password"
    );
    assert_eq!(
        field(c.change_password("short", "old").prepare()),
        "password"
    );
    assert_eq!(field(c.login("nope", "pw").prepare()), "email");
    assert_eq!(field(c.create_bot("x").prepare()), "name");
    assert_eq!(field(c.create_bot("has space").prepare()), "name");
    assert_eq!(field(c.onboard_complete("a").prepare()), "username");
    assert_eq!(field(c.send_friend_request("bob").prepare()), "username");
}

#[test]
fn headers_that_cannot_be_sent_are_refused_before_sending() {
    use ermine_http::WithOptions;
    let c = offline_client();
    for (name, value) in [("x-fine", "bad\nvalue"), ("bad name", "fine")] {
        let e = c.fetch_self().header(name, value).prepare().unwrap_err();
        assert!(
            matches!(e.kind(), ermine_http::error::ErrorKind::Build),
            "{name:?}: {e:?}"
        );
    }
    let u: UserId = "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap();
    let e = c
        .execute_github_webhook(u.cast(), Token::new("t"), "bad\nevent", json!({}))
        .prepare()
        .unwrap_err();
    assert!(
        matches!(e.kind(), ermine_http::error::ErrorKind::Validation(_)),
        "{e:?}"
    );
    let ok = c.fetch_self().header("X-Custom", "1").prepare().unwrap();
    assert_eq!(ok.header("x-custom"), Some("1"));
}
