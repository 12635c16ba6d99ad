//! A user client's login: e-mail and password, the second factor when the account has
//! TOTP on, a session saved and resumed, the account's sessions listed and the others
//! revoked.
//!
//! With `STOAT_API`, `STOAT_EMAIL` and `STOAT_PASSWORD` set it logs in there (asking for a
//! TOTP code on standard input if the account wants one). Without them it starts the bundled
//! local server, signs an account up, turns TOTP on (computing codes as an authenticator app
//! would), and plays the whole flow.
//!
//! ```text
//! cargo run -p ermine --example client_login
//! ```

use std::time::Duration;

use ermine::Client;
use ermine::login::{Login, SavedSession, Step};
use ermine::model::auth::{MfaResponse, Token};
use ermine_testkit::TestServer;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    if let (Ok(api), Ok(email), Ok(password)) = (
        std::env::var("STOAT_API"),
        std::env::var("STOAT_EMAIL"),
        std::env::var("STOAT_PASSWORD"),
    ) {
        let session = log_in(&api, &email, &password, || {
            println!("TOTP code:");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map(|_| line.trim().to_owned())
        })
        .await?;
        return use_session(&api, &session).await;
    }

    let server = TestServer::start().await?;
    let api = server.urls().api.clone();
    let (email, password) = ("reader@ermine.local", "a long enough secret");
    let secret = sign_up_with_totp(&server, email, password).await?;
    println!("local: account {email} with TOTP on");
    let session = log_in(&api, email, password, || authenticator(&server, &secret)).await?;
    use_session(&api, &session).await?;
    server.stop().await;
    Ok(())
}

/// Logs in, answering a second-factor challenge with `code()`.
async fn log_in(
    api: &str,
    email: &str,
    password: &str,
    code: impl FnOnce() -> std::io::Result<String>,
) -> Result<SavedSession, Failure> {
    let step = Login::new(api)
        .friendly_name("client_login example")
        .password(email, password)
        .await?;
    let session = match step {
        Step::Done(session) => session,
        Step::SecondFactor(challenge) => {
            println!("login: second factor asked ({:?})", challenge.methods());
            challenge
                .answer(MfaResponse::Totp { totp_code: code()? })
                .await?
        }
        Step::Disabled(user) => return Err(format!("{user} is disabled").into()),
        other => return Err(format!("unexpected login step {other:?}").into()),
    };
    println!("login: session {} ({:?})", session.id, session.name);
    Ok(session)
}

/// Saves the session, resumes it in a new client, lists the sessions and revokes the others.
async fn use_session(api: &str, session: &SavedSession) -> Result<(), Failure> {
    let saved = serde_json::to_string(session)?;
    let restored: SavedSession = serde_json::from_str(&saved)?;
    let client = Client::builder().base_url(api).resume(&restored).build()?;
    let me = client.http().fetch_self().await?;
    println!("resumed: logged in as {}", me.tag());
    let sessions = client.http().fetch_sessions().await?;
    for s in &sessions {
        let this = if s.id == restored.id {
            " (this one)"
        } else {
            ""
        };
        println!("sessions: {} {:?}{this}", s.id, s.name);
    }
    client.http().revoke_all_sessions().await?;
    println!(
        "sessions: {} left after revoking the others",
        client.http().fetch_sessions().await?.len()
    );
    Ok(())
}

/// Signs an account up on the local server, onboards it and turns TOTP on; returns the
/// secret an authenticator app would hold.
async fn sign_up_with_totp(
    server: &TestServer,
    email: &str,
    password: &str,
) -> Result<Token, Failure> {
    let anonymous = ermine::http::Client::builder()
        .base_url(&server.urls().api)
        .build()?;
    anonymous.create_account(email, password).await?;
    let Step::Done(first) = Login::new(&server.urls().api)
        .password(email, password)
        .await?
    else {
        return Err("a new account logs in at once".into());
    };
    let client = Client::builder()
        .base_url(&server.urls().api)
        .resume(&first)
        .build()?;
    client.http().onboard_complete("reader").await?;
    let ticket = client
        .http()
        .create_mfa_ticket(MfaResponse::Password {
            password: password.to_owned(),
        })
        .await?;
    let secret = client
        .http()
        .generate_totp_secret(ticket.token)
        .await?
        .secret;
    client
        .http()
        .enable_totp(&authenticator(server, &secret)?)
        .await?;
    Ok(secret)
}

/// The authenticator app: the code of `secret` at the local server's time, taken at the start
/// of a 30-second step so it cannot expire while it travels.
fn authenticator(server: &TestServer, secret: &Token) -> std::io::Result<String> {
    let ms = server.clock().now().unix_millis().rem_euclid(30_000);
    let to_next = u64::try_from(30_000 - ms).unwrap_or(0);
    server.clock().advance(Duration::from_millis(to_next));
    ermine_testkit::totp_code(secret.expose(), server.clock().now())
        .ok_or_else(|| std::io::Error::other("not a base32 secret"))
}
