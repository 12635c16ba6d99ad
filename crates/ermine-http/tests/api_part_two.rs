//! The account side of the API, end to end against the local server: signing up and in
//! (with the MFA step), account changes, sessions, MFA, bots, friend requests, settings,
//! push and policy — success and the errors each documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use support::{anonymous, api, local_server, next_event, session};

use std::collections::HashMap;
use std::time::Duration;

use ermine_gateway::{Gateway, GatewayConfig};
use ermine_http::WithOptions;
use ermine_http::error::ErrorKind;
use ermine_model::auth::{LoginResponse, MfaMethod, MfaResponse, Token, WebPushSubscription};
use ermine_model::error::ApiError;
use ermine_model::event::ServerEvent;
use ermine_model::user::RelationshipStatus;
use ermine_testkit::{TestServer, seed::PASSWORD};

/// Logs in and returns the session's token (fails on an MFA or disabled answer).
async fn login(server: &TestServer, email: &str, password: &str) -> String {
    match anonymous(server).login(email, password).await.unwrap() {
        LoginResponse::Success(s) => s.token.expose().to_owned(),
        other => panic!("{other:?}"),
    }
}

/// Moves the server's clock to the start of a TOTP step, so a code computed now stays valid
/// for the next 30 seconds.
fn fresh_step(server: &TestServer) {
    let ms = server.clock().now().unix_millis().rem_euclid(30_000);
    let to_next = u64::try_from(30_000 - ms).unwrap();
    server.clock().advance(Duration::from_millis(to_next));
}

fn code(server: &TestServer, secret: &Token) -> String {
    ermine_testkit::totp_code(secret.expose(), server.clock().now()).unwrap()
}

#[tokio::test]
async fn an_account_signs_up_onboards_and_changes_its_credentials() {
    let server = local_server().await;
    let anon = anonymous(&server);
    let e = anon
        .create_account("new@ermine.local", "short")
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Validation(_)), "{e:?}");
    let e = anon
        .create_account("new@ermine.local", "password")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::CompromisedPassword);
    anon.create_account("new@ermine.local", "a long enough secret")
        .await
        .unwrap();
    let e = anon
        .create_account("new@ermine.local", "a long enough secret")
        .await
        .unwrap_err();
    assert_eq!(
        *api(&e),
        ApiError::OperationFailed,
        "an address in use (no e-mail here)"
    );
    let e = anon
        .login("new@ermine.local", "wrong password")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidCredentials);

    let token = login(&server, "new@ermine.local", "a long enough secret").await;
    let me = session(&server, &token);
    assert!(me.onboard_hello().await.unwrap().onboarding);
    let e = me.onboard_complete("admin").await.unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidUsername);
    let user = me.onboard_complete("newcomer").await.unwrap();
    assert_eq!(user.username, "newcomer");
    assert!(!me.onboard_hello().await.unwrap().onboarding);
    let e = me.onboard_complete("again").await.unwrap_err();
    assert_eq!(*api(&e), ApiError::AlreadyOnboarded);
    assert_eq!(me.fetch_account().await.unwrap().email, "new@ermine.local");

    // Without e-mail: verification, resets and deletion confirmations answer as the real
    // server does then.
    let e = anon
        .resend_verification("new@ermine.local")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::OperationFailed);
    anon.resend_verification("nobody@ermine.local")
        .await
        .unwrap();
    anon.send_password_reset("new@ermine.local").await.unwrap();
    let e = anon
        .reset_password("no-such-token", "another long secret")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);
    let e = anon
        .confirm_account_deletion("no-such-token")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);
    let e = anon.verify_email("no-such-code").await.unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);

    let e = me
        .change_password("another long secret", "wrong current")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidCredentials);
    let e = me
        .change_password("12345678", "a long enough secret")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::CompromisedPassword);
    me.change_password("another long secret", "a long enough secret")
        .await
        .unwrap();
    me.change_email("moved@ermine.local", "another long secret")
        .await
        .unwrap();
    assert_eq!(
        me.fetch_account().await.unwrap().email,
        "moved@ermine.local"
    );
    let e = anon
        .login("new@ermine.local", "another long secret")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidCredentials);
    login(&server, "moved@ermine.local", "another long secret").await;
}

#[tokio::test]
async fn sessions_are_listed_renamed_and_revoked_with_logout_on_their_sockets() {
    let server = local_server().await;
    let alice = server.seed().user("alice");
    let first = login(&server, &alice.email, PASSWORD).await;
    let second = login(&server, &alice.email, PASSWORD).await;
    let me = session(&server, &first);
    let sessions = me.fetch_sessions().await.unwrap();
    assert_eq!(sessions.len(), 3, "the seed's session and two logins");
    let target = sessions.iter().find(|s| s.name == "Unknown").unwrap().id;
    let renamed = me.edit_session(target, "laptop").await.unwrap();
    assert_eq!(renamed.name, "laptop");
    let stranger = server.seed().user("mallory");
    let e = session(&server, &stranger.token)
        .edit_session(target, "mine")
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidSession);

    let mut other = Gateway::new(GatewayConfig::new(server.urls().events.clone(), &second));
    next_event(&mut other, "Ready").await.unwrap();
    me.revoke_all_sessions().await.unwrap();
    let ended = next_event(&mut other, "Ready").await;
    assert!(
        ended.is_err(),
        "the other session's socket is logged out: {ended:?}"
    );
    assert_eq!(me.fetch_sessions().await.unwrap().len(), 1);
    let e = session(&server, &second).fetch_self().await.unwrap_err();
    assert!(e.status().is_some_and(|s| s == 401), "{e:?}");
    me.revoke_all_sessions().revoke_self(true).await.unwrap();
    let e = me.fetch_self().await.unwrap_err();
    assert!(e.status().is_some_and(|s| s == 401), "{e:?}");
}

#[tokio::test]
async fn totp_guards_logins_and_account_changes() {
    let server = local_server().await;
    let alice = server.seed().user("alice");
    let me = session(&server, &alice.token);
    assert_eq!(
        me.fetch_mfa_methods().await.unwrap(),
        vec![MfaMethod::Password]
    );
    assert!(!me.fetch_mfa_status().await.unwrap().totp_mfa);

    let e = me
        .generate_totp_secret(Token::new("bogus"))
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);
    let e = me
        .create_mfa_ticket(MfaResponse::Password {
            password: "wrong".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidCredentials);
    let ticket = me
        .create_mfa_ticket(MfaResponse::Password {
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    assert!(ticket.validated);
    let secret = me
        .generate_totp_secret(ticket.token.clone())
        .await
        .unwrap()
        .secret;
    let e = me.generate_totp_secret(ticket.token).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken, "a ticket is used once");
    fresh_step(&server);
    let e = me.enable_totp("000000").await;
    if code(&server, &secret) != "000000" {
        assert_eq!(*api(&e.unwrap_err()), ApiError::InvalidToken);
    }
    me.enable_totp(&code(&server, &secret)).await.unwrap();
    assert!(me.fetch_mfa_status().await.unwrap().totp_mfa);
    assert_eq!(me.fetch_mfa_methods().await.unwrap(), vec![MfaMethod::Totp]);

    // Logging in now takes a second step.
    let anon = anonymous(&server);
    let LoginResponse::Mfa(step) = anon.login(&alice.email, PASSWORD).await.unwrap() else {
        panic!("a second step")
    };
    assert_eq!(step.allowed_methods, vec![MfaMethod::Totp]);
    let e = anon
        .login_mfa(
            step.ticket.expose(),
            MfaResponse::Password {
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::DisallowedMFAMethod);
    fresh_step(&server);
    let LoginResponse::Success(_) = anon
        .login_mfa(
            step.ticket.expose(),
            MfaResponse::Totp {
                totp_code: code(&server, &secret),
            },
        )
        .friendly_name("phone")
        .await
        .unwrap()
    else {
        panic!("a session")
    };

    // Account changes need a validated ticket now.
    let e = me
        .change_password("another long secret", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidCredentials);
    let totp_ticket = || async {
        fresh_step(&server);
        me.create_mfa_ticket(MfaResponse::Totp {
            totp_code: code(&server, &secret),
        })
        .await
        .unwrap()
        .token
    };
    let codes = me
        .generate_recovery_codes(totp_ticket().await)
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-')
    );
    assert_eq!(
        me.fetch_recovery_codes(totp_ticket().await).await.unwrap(),
        codes
    );
    assert_eq!(
        me.fetch_mfa_methods().await.unwrap(),
        vec![MfaMethod::Totp, MfaMethod::Recovery]
    );
    let LoginResponse::Mfa(step) = anon.login(&alice.email, PASSWORD).await.unwrap() else {
        panic!("a second step")
    };
    let recovery = MfaResponse::Recovery {
        recovery_code: codes[0].clone(),
    };
    assert!(matches!(
        anon.login_mfa(step.ticket.expose(), recovery.clone())
            .await
            .unwrap(),
        LoginResponse::Success(_)
    ));
    let e = me.create_mfa_ticket(recovery).await.unwrap_err();
    assert_eq!(
        *api(&e),
        ApiError::InvalidToken,
        "a recovery code is used once"
    );

    me.change_password("another long secret", PASSWORD)
        .mfa_ticket(totp_ticket().await)
        .await
        .unwrap();
    me.disable_totp(totp_ticket().await).await.unwrap();
    assert_eq!(
        me.fetch_mfa_methods().await.unwrap(),
        vec![MfaMethod::Password]
    );
    login(&server, &alice.email, "another long secret").await;
}

#[tokio::test]
async fn a_disabled_account_answers_disabled() {
    let server = local_server().await;
    let alice = server.seed().user("alice");
    let me = session(&server, &alice.token);
    let e = me.disable_account(Token::new("bogus")).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);
    let ticket = me
        .create_mfa_ticket(MfaResponse::Password {
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    me.disable_account(ticket.token).await.unwrap();
    let e = me.fetch_self().await.unwrap_err();
    assert!(
        e.status().is_some_and(|s| s == 401),
        "its sessions ended: {e:?}"
    );
    match anonymous(&server)
        .login(&alice.email, PASSWORD)
        .await
        .unwrap()
    {
        LoginResponse::Disabled(d) => assert_eq!(d.user_id, alice.id),
        other => panic!("{other:?}"),
    }
    let bob = server.seed().user("bob");
    let bob_client = session(&server, &bob.token);
    let ticket = bob_client
        .create_mfa_ticket(MfaResponse::Password {
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    bob_client.delete_account(ticket.token).await.unwrap();
    assert!(matches!(
        anonymous(&server)
            .login(&bob.email, PASSWORD)
            .await
            .unwrap(),
        LoginResponse::Disabled(_)
    ));
}

#[tokio::test]
async fn bots_are_created_edited_invited_and_deleted() {
    let server = local_server().await;
    let alice = server.seed().user("alice");
    let bob = server.seed().user("bob");
    let guild = server.seed().server("Guild", alice.id);
    let me = session(&server, &alice.token);
    let e = me.create_bot("x").await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Validation(_)), "{e:?}");
    let created = me.create_bot("helper").await.unwrap();
    assert_eq!(created.user.username, "helper");
    let old_token = created.bot.token.clone();
    let id = created.bot.id;
    assert_eq!(me.fetch_owned_bots().await.unwrap().bots.len(), 1);
    assert_eq!(me.fetch_bot(id).await.unwrap().bot.id, id);
    let bob_client = session(&server, &bob.token);
    let e = bob_client.fetch_bot(id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
    let e = bob_client.fetch_public_bot(id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound, "a private bot");

    let edited = me
        .edit_bot(id)
        .name("assistant")
        .public(true)
        .interactions_url(Some("https://bot.example/i"))
        .reset_token()
        .await
        .unwrap();
    assert_eq!(edited.user.username, "assistant");
    assert!(edited.bot.public);
    assert_ne!(edited.bot.token, old_token);
    let e = session(&server, old_token.expose()).fetch_self().await;
    assert!(e.is_err(), "the old token no longer works");
    let card = bob_client.fetch_public_bot(id).await.unwrap();
    assert_eq!(card.username, "assistant");
    let e = bob_client.edit_bot(id).public(false).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);

    let e = bob_client
        .invite_bot_to_server(id, guild.id)
        .await
        .unwrap_err();
    assert!(
        matches!(api(&e), ApiError::MissingPermission { permission } if permission == "ManageServer"),
        "{e:?}"
    );
    me.invite_bot_to_server(id, guild.id).await.unwrap();
    assert!(me.fetch_member(guild.id, id).await.is_ok());
    let e = me.invite_bot_to_server(id, guild.id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::AlreadyInServer);
    server.seed().friends(alice.id, bob.id);
    let group = me.create_group("Pals").users(&[bob.id]).await.unwrap();
    let group = group.id().unwrap();
    me.invite_bot_to_group(id, group).await.unwrap();
    let members = me.fetch_group_members(group).await.unwrap();
    assert!(members.iter().any(|u| u.id == id));
    let e = me.invite_bot_to_group(id, group).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::AlreadyInGroup);

    me.delete_bot(id).await.unwrap();
    let e = me.fetch_bot(id).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::NotFound);
    let e = session(&server, edited.bot.token.expose())
        .fetch_self()
        .await;
    assert!(e.is_err(), "a deleted bot's token no longer works");
}

#[tokio::test]
async fn friends_settings_push_and_policy() {
    let server = local_server().await;
    let alice = server.seed().user("alice");
    let bob = server.seed().user("bob");
    let (me, them) = (session(&server, &alice.token), session(&server, &bob.token));
    let sent = me
        .send_friend_request(&format!("{}#{}", bob.username, bob.discriminator))
        .await
        .unwrap();
    assert_eq!(sent.relationship, RelationshipStatus::Outgoing);
    let e = me
        .send_friend_request("no-discriminator")
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Validation(_)), "{e:?}");
    let accepted = them.add_friend(alice.id).await.unwrap();
    assert_eq!(accepted.relationship, RelationshipStatus::Friend);

    let mut events = Gateway::new(GatewayConfig::new(
        server.urls().events.clone(),
        &alice.token,
    ));
    next_event(&mut events, "Ready").await.unwrap();
    let values = HashMap::from([("theme".to_owned(), "{\"dark\":true}".to_owned())]);
    me.set_settings(values).await.unwrap();
    let ServerEvent::UserSettingsUpdate(update) =
        next_event(&mut events, "UserSettingsUpdate").await.unwrap()
    else {
        unreachable!()
    };
    assert_eq!(update.update["theme"][1], "{\"dark\":true}");
    let fetched = me.fetch_settings(&["theme", "missing"]).await.unwrap();
    assert_eq!(fetched["theme"].1, "{\"dark\":true}");
    assert!(!fetched.contains_key("missing"));
    let earlier = ermine_model::Timestamp::from_unix_millis(1_000);
    me.set_settings(HashMap::from([("theme".to_owned(), "old".to_owned())]))
        .timestamp(earlier)
        .await
        .unwrap();
    assert_eq!(
        me.fetch_settings(&["theme"]).await.unwrap()["theme"].0,
        1_000
    );

    let bot = server.seed().bot("helper", alice.id);
    let e = session(&server, &bot.token)
        .fetch_settings(&["theme"])
        .await
        .unwrap_err();
    let e_is_bot = e.api().is_some_and(|a| *a == ApiError::IsBot) || e.status() == Some(401);
    assert!(e_is_bot, "{e:?}");

    me.push_subscribe(WebPushSubscription {
        endpoint: "https://push.example/1".into(),
        p256dh: "key".into(),
        auth: "secret".into(),
    })
    .await
    .unwrap();
    me.push_unsubscribe().await.unwrap();
    me.acknowledge_policy_changes().await.unwrap();
    assert!(me.fetch_unreads().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_mfa_ticket_expires_after_five_minutes() {
    let server = local_server().await;
    let alice = server.seed().user("alice");
    let me = session(&server, &alice.token);
    let proof = || MfaResponse::Password {
        password: PASSWORD.into(),
    };
    let fresh = me.create_mfa_ticket(proof()).await.unwrap();
    let stale = me.create_mfa_ticket(proof()).await.unwrap();
    server.clock().advance(Duration::from_mins(4));
    me.fetch_recovery_codes(fresh.token).await.unwrap();
    server.clock().advance(Duration::from_mins(2));
    let e = me.fetch_recovery_codes(stale.token).await.unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);
    let e = me
        .fetch_recovery_codes(Token::new("never-issued"))
        .await
        .unwrap_err();
    assert_eq!(*api(&e), ApiError::InvalidToken);
}
