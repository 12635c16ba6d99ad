//! The REST client against servers that misbehave (small scripted servers on loopback):
//! redirects to other origins, endless and huge bodies, answers that never come, rate-limit
//! values meant to wedge the client; and the rate-limit budget three bots share on one
//! address. Nothing here waits on the wall clock: each test either gets its answer or fails
//! after a generous bound that only turns a hang into a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use ermine_http::error::ErrorKind;
use ermine_http::request::file::{FileSource, FileTag};
use ermine_http::{Client, RetryPolicy, WithOptions};
use ermine_testkit::{Config, TestServer};
use tokio::net::TcpListener;

const HANG: Duration = Duration::from_secs(30);
const USER: &str = r#"{"_id":"01M86CDGJKEQQDSY6RW2KHTPJQ","username":"bob","discriminator":"0042","relationship":"None","online":false}"#;

async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn builder(base: &str) -> ermine_http::ClientBuilder {
    Client::builder()
        .bot_token("secret-bot-token")
        .base_url(base)
        .rate_limiter(Arc::new(ermine_http::ratelimit::InMemoryRateLimiter::new()))
}

async fn within<T>(future: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::time::timeout(HANG, future)
        .await
        .expect("the client hung")
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let recorded = Arc::clone(&seen);
    let elsewhere = serve(Router::new().fallback(any(move |headers: HeaderMap| {
        let recorded = Arc::clone(&recorded);
        async move {
            recorded.lock().unwrap().push(headers);
            USER
        }
    })))
    .await;
    let target = format!("{elsewhere}/users/@me");
    let origin = serve(
        Router::new()
            .route(
                "/users/@me",
                get(move || {
                    let target = target.clone();
                    async move { (StatusCode::TEMPORARY_REDIRECT, [("location", target)]) }
                }),
            )
            .route(
                "/users/{id}",
                get(|| async {
                    (
                        StatusCode::PERMANENT_REDIRECT,
                        [("location", "/same/origin")],
                    )
                }),
            )
            .route("/same/origin", get(|| async { USER })),
    )
    .await;
    let client = builder(&origin).build().unwrap();
    let error = within(client.fetch_self()).await.unwrap_err();
    match error.kind() {
        ErrorKind::Redirect { to } => assert_eq!(to.as_deref(), Some(elsewhere.as_str())),
        other => panic!("{other:?}"),
    }
    assert!(!format!("{error:?}").contains("secret-bot-token"));
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the other origin"
    );
    // A redirect within the origin is followed.
    let user = within(client.fetch_user("01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(user.username, "bob");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let base = serve(Router::new().fallback(any(|| async {
        let chunk = Bytes::from(vec![b' '; 64 * 1024]);
        let endless = futures_util::stream::repeat_with(move || Ok::<_, Infallible>(chunk.clone()));
        Response::new(Body::from_stream(endless))
    })))
    .await;
    let client = builder(&base).max_body(1 << 20).build().unwrap();
    let error = within(client.fetch_self()).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::BodyTooLarge { limit } if *limit == 1 << 20),
        "{error:?}"
    );
    // A declared length over the limit is refused before reading.
    let declared = serve(Router::new().fallback(any(|| async { vec![b' '; 2 << 20] }))).await;
    let client = builder(&declared).max_body(1 << 20).build().unwrap();
    let error = within(client.fetch_self()).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::BodyTooLarge { .. }));
}

#[tokio::test]
async fn a_huge_error_body_is_read_in_part_and_kept_short() {
    let base = serve(Router::new().fallback(any(|| async {
        let page = format!("<html>{}</html>", "x".repeat(50 << 20));
        (StatusCode::BAD_REQUEST, page)
    })))
    .await;
    let client = builder(&base).build().unwrap();
    let error = within(client.fetch_self()).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Status));
    let body = &error.response().unwrap().body;
    assert!(
        body.len() < 2048 && body.ends_with("more bytes)"),
        "{}",
        body.len()
    );
    assert!(format!("{error:?}").len() < 4096);
}

#[tokio::test]
async fn rate_limit_values_meant_to_wedge_the_client_do_not() {
    let hits = Arc::new(Mutex::new(0u32));
    let counted = Arc::clone(&hits);
    let base = serve(Router::new().fallback(any(move || {
        let counted = Arc::clone(&counted);
        async move {
            let mut n = counted.lock().unwrap();
            *n += 1;
            if *n == 1 {
                // A 429 asking for 31 years.
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    r#"{"retry_after":1000000000000}"#,
                )
                    .into_response();
            }
            (
                [
                    ("x-ratelimit-limit", "0"),
                    ("x-ratelimit-remaining", "5"),
                    ("x-ratelimit-reset-after", "18446744073709551615"),
                ],
                USER,
            )
                .into_response()
        }
    })))
    .await;
    let client = builder(&base).build().unwrap();
    // The absurd wait is not slept: the caller gets it as a typed error at once.
    let error = within(client.fetch_self()).await.unwrap_err();
    match error.kind() {
        ErrorKind::RateLimited { retry_after } => {
            assert_eq!(*retry_after, Duration::from_secs(1_000_000_000));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(*hits.lock().unwrap(), 1, "not retried");
}

#[tokio::test]
async fn the_deadline_covers_an_answer_that_never_comes() {
    let base = serve(Router::new().fallback(any(std::future::pending::<String>))).await;
    let client = builder(&base)
        .timeout(Duration::from_hours(1))
        .deadline(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = within(client.fetch_self()).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Timeout), "{error:?}");
    // A per-request deadline overrides the client's.
    let patient = client.fetch_self().deadline(Duration::from_millis(50));
    let error = within(patient).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Timeout));
}

#[tokio::test]
async fn uploads_time_out_like_every_request() {
    let files = serve(Router::new().fallback(any(std::future::pending::<String>))).await;
    let client = builder(&files)
        .files_url(&files)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let upload = client.upload_file(
        FileTag::Attachments,
        FileSource::Bytes {
            filename: "a.txt".into(),
            bytes: b"hello".to_vec(),
        },
    );
    let error = within(upload).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Timeout), "{error:?}");
}

#[tokio::test]
async fn three_bots_on_one_address_share_its_budget_and_see_no_429() {
    let server =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_millis(500)))
            .await
            .unwrap();
    let owner = server.seed().user("owner");
    // Three bot clients with the default, process-wide limiter, as three bots in one
    // process would be built.
    let bots: Vec<Client> = (0..3)
        .map(|i| {
            let bot = server.seed().bot(&format!("bot{i}"), owner.id);
            Client::builder()
                .bot_token(bot.token)
                .base_url(&server.urls().api)
                .retry(RetryPolicy::none())
                .build()
                .unwrap()
        })
        .collect();
    // 3 × 15 requests in the `users` bucket (20 per window per address), all at once.
    let mut tasks = Vec::new();
    for bot in &bots {
        for _ in 0..15 {
            let bot = bot.clone();
            tasks.push(tokio::spawn(async move { bot.fetch_self().await }));
        }
    }
    for task in tasks {
        within(task).await.unwrap().unwrap();
    }
    let statuses: Vec<u16> = server
        .control()
        .requests()
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses.len(), 45);
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}
