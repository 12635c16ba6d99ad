//! The local server is left running on developers' machines: its test controls need a token
//! and refuse other sites, everything it keeps is bounded, and uploaded files never run as
//! pages on its origin.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use ermine_testkit::Config;
use serde_json::json;

#[tokio::test]
async fn test_controls_require_the_token_and_refuse_other_sites() {
    let h = Harness::new().await;
    let token = h.server.control_token().to_owned();
    let url = h.url("/__ermine/requests");
    let status = |r: reqwest::Response| r.status().as_u16();

    assert_eq!(status(h.http.get(&url).send().await.unwrap()), 401);
    let wrong = h.http.get(&url).header("x-ermine-control", "guess");
    assert_eq!(status(wrong.send().await.unwrap()), 401);
    let right = h.http.get(&url).header("x-ermine-control", &token);
    assert_eq!(status(right.send().await.unwrap()), 200);

    // A page on another site, even with the token (it cannot have it, but still).
    let cross_site = h
        .http
        .get(&url)
        .header("x-ermine-control", &token)
        .header("origin", "https://evil.example");
    assert_eq!(status(cross_site.send().await.unwrap()), 403);
    // DNS rebinding: a foreign name pointing at loopback.
    let rebound = h
        .http
        .get(&url)
        .header("x-ermine-control", &token)
        .header("host", "evil.example");
    assert_eq!(status(rebound.send().await.unwrap()), 403);
    // A form post (`text/plain`, the kind a page may send without asking).
    let form = h
        .http
        .post(h.url("/__ermine/sockets/drop"))
        .header("x-ermine-control", &token)
        .header("content-type", "text/plain")
        .body("{}");
    assert_eq!(status(form.send().await.unwrap()), 415);

    // The request log, which holds the tokens it has seen, is not handed out without it.
    let alice = h.server.seed().user("alice");
    h.call("GET", "/users/@me", Some(&alice.token), None).await;
    let refused = h.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!refused.contains(&alice.token));
}

#[tokio::test]
async fn the_request_log_is_a_ring() {
    let h = Harness::with(Config::default().rate_limits(false).request_log(5)).await;
    for i in 0..12 {
        h.call("GET", &format!("/users/n{i}"), None, None).await;
    }
    let log = h.server.control().requests();
    assert_eq!(log.len(), 5);
    assert_eq!(log.first().unwrap().path, "/users/n7");
    assert_eq!(log.last().unwrap().path, "/users/n11");
}

async fn upload(
    h: &Harness,
    token: &str,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(mime)
        .unwrap();
    h.http
        .post(format!("{}/attachments", h.server.urls().files))
        .header("x-session-token", token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn uploaded_files_never_run_as_pages_and_the_store_is_bounded() {
    let mut config = Config::default().rate_limits(false);
    config.upload_store = (3, 1 << 20);
    let h = Harness::with(config).await;
    let alice = h.server.seed().user("alice");
    let page = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let uploaded = upload(&h, &alice.token, "x.html", "text/html", page).await;
    assert_eq!(uploaded.status(), 200);
    let id = uploaded.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let served = h
        .http
        .get(format!("{}/attachments/{id}", h.server.urls().files))
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        served
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("sandbox"));
    assert!(header("content-disposition").starts_with("attachment"));

    // Two more fit; the fourth does not; nor does one that would pass the byte limit.
    for i in 0..2 {
        let ok = upload(
            &h,
            &alice.token,
            &format!("{i}.txt"),
            "text/plain",
            vec![b'x'; 10],
        )
        .await;
        assert_eq!(ok.status(), 200);
    }
    let full = upload(&h, &alice.token, "4.txt", "text/plain", vec![b'x'; 10]).await;
    assert_eq!(full.status(), 507);
}

#[tokio::test]
async fn a_socket_that_stops_reading_is_dropped() {
    let h = Harness::with(Config::default().rate_limits(false).socket_queue(8)).await;
    let alice = h.server.seed().user("alice");
    let (socket, _) = h.ready_socket(&alice.token).await;
    // The client stops reading; the server keeps sending large frames.
    let big = json!({"type": "Pong", "data": "x".repeat(1 << 20)});
    let mut sent = 0;
    while h.server.control().socket_count() > 0 {
        h.server.control().inject_frame(alice.id, big.clone());
        sent += 1;
        assert!(sent < 200, "the socket was never dropped");
        tokio::task::yield_now().await;
    }
    drop(socket);
    // Once dropped, the user can connect again.
    let (mut again, _) = h.ready_socket(&alice.token).await;
    h.server
        .control()
        .inject_frame(alice.id, json!({"type": "Pong", "data": 1}));
    let next = again.next_json().await.unwrap();
    assert_eq!(next["type"], "Pong");
}
