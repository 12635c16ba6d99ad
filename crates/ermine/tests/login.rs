//! Logging in as a user through the facade: the second factor, a disabled account, a saved
//! session resumed, and no token in `Debug`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ermine::Client;
use ermine::login::{Login, SavedSession, Step};
use ermine::model::auth::{MfaMethod, MfaResponse, Token};
use ermine::model::error::ApiError;
use ermine_testkit::{TestServer, seed::PASSWORD};

fn code(server: &TestServer, secret: &Token) -> String {
    let ms = server.clock().now().unix_millis().rem_euclid(30_000);
    server
        .clock()
        .advance(Duration::from_millis(u64::try_from(30_000 - ms).unwrap()));
    ermine_testkit::totp_code(secret.expose(), server.clock().now()).unwrap()
}

#[tokio::test]
async fn a_login_passes_its_second_factor_and_resumes_later() {
    let server = TestServer::start().await.unwrap();
    let api = server.urls().api.clone();
    let alice = server.seed().user("alice");

    let Step::Done(plain) = Login::new(&api)
        .password(&alice.email, PASSWORD)
        .await
        .unwrap()
    else {
        panic!("no second factor yet")
    };
    assert_eq!(plain.user, alice.id);
    assert_eq!(plain.name, "Unknown");
    let e = Login::new(&api)
        .password(&alice.email, "wrong")
        .await
        .unwrap_err();
    assert!(matches!(&e, ermine::Error::Http(h) if h.api() == Some(&ApiError::InvalidCredentials)));

    let client = Client::builder()
        .base_url(&api)
        .resume(&plain)
        .build()
        .unwrap();
    let ticket = client
        .http()
        .create_mfa_ticket(MfaResponse::Password {
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    let secret = client
        .http()
        .generate_totp_secret(ticket.token)
        .await
        .unwrap()
        .secret;
    client
        .http()
        .enable_totp(&code(&server, &secret))
        .await
        .unwrap();

    let Step::SecondFactor(challenge) = Login::new(&api)
        .friendly_name("cli")
        .password(&alice.email, PASSWORD)
        .await
        .unwrap()
    else {
        panic!("a second factor")
    };
    assert_eq!(challenge.methods(), &[MfaMethod::Totp]);
    let session = challenge
        .answer(MfaResponse::Totp {
            totp_code: code(&server, &secret),
        })
        .await
        .unwrap();
    assert_eq!(session.name, "cli");
    assert!(!format!("{session:?}").contains(session.token.expose()));

    let Step::SecondFactor(challenge) = Login::new(&api)
        .password(&alice.email, PASSWORD)
        .await
        .unwrap()
    else {
        panic!("a second factor")
    };
    let wrong = if code(&server, &secret) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let e = challenge
        .answer(MfaResponse::Totp {
            totp_code: wrong.into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(&e, ermine::Error::Http(h) if h.api() == Some(&ApiError::InvalidToken)));

    let saved = serde_json::to_string(&session).unwrap();
    let restored: SavedSession = serde_json::from_str(&saved).unwrap();
    let resumed = Client::builder()
        .base_url(&api)
        .resume(&restored)
        .build()
        .unwrap();
    assert_eq!(resumed.http().fetch_self().await.unwrap().id, alice.id);
}

#[tokio::test]
async fn a_disabled_account_is_reported() {
    let server = TestServer::start().await.unwrap();
    let api = server.urls().api.clone();
    let bob = server.seed().user("bob");
    let client = Client::builder()
        .base_url(&api)
        .session_token(&bob.token)
        .build()
        .unwrap();
    let ticket = client
        .http()
        .create_mfa_ticket(MfaResponse::Password {
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    client.http().disable_account(ticket.token).await.unwrap();
    let step = Login::new(&api)
        .password(&bob.email, PASSWORD)
        .await
        .unwrap();
    assert!(
        matches!(step, Step::Disabled(user) if user == bob.id),
        "{step:?}"
    );
}
