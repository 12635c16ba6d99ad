//! Framework error pages, rate limits, faults and the request log.

#![allow(
    clippy::too_many_lines,
    clippy::type_complexity,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use std::time::Duration;

use common::Harness;
use ermine_testkit::{Config, Fault};
use serde_json::{Value, json};

#[tokio::test]
async fn guard_failures_answer_with_the_frameworks_page_chosen_by_accept() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let html = h.send("GET", "/users/@me", None, None, &[]).await;
    assert_eq!(html.status, 401);
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        html.body
            .as_str()
            .unwrap()
            .contains("<h1>401: Unauthorized</h1>")
    );

    let json = h
        .send(
            "GET",
            "/users/@me",
            Some(("x-session-token", "bogus")),
            None,
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(json.status, 401);
    assert_eq!(
        json.body,
        json!({"error": {"code": 401, "reason": "Unauthorized", "description": "The request requires user authentication."}})
    );
    // Accept with weights: the best-weighted type decides.
    let weighted = h
        .send(
            "GET",
            "/users/@me",
            None,
            None,
            &[("accept", "text/html;q=0.5, application/json")],
        )
        .await;
    assert!(weighted.body.get("error").is_some());
    let html_wins = h
        .send(
            "GET",
            "/users/@me",
            None,
            None,
            &[("accept", "application/json;q=0.2, text/html")],
        )
        .await;
    assert!(html_wins.body.is_string());

    // A bad bot token does not fall back to a good session token.
    let both = h
        .send(
            "GET",
            "/users/@me",
            Some(("x-bot-token", "nope")),
            None,
            &[("x-session-token", alice.token.as_str())],
        )
        .await;
    assert_eq!(both.status, 401);

    let path = "/users/@me";
    let syntax = h
        .http
        .patch(h.url(path))
        .header("x-session-token", &alice.token)
        .header("accept", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let syntax = Harness::answer(syntax).await;
    assert_eq!(syntax.status, 400);
    assert_eq!(syntax.body["error"]["code"], 400);
    let shape = h
        .call(
            "PATCH",
            path,
            Some(&alice.token),
            Some(json!({"display_name": 5})),
        )
        .await;
    assert_eq!(shape.status, 422);
    let empty = h
        .send(
            "PATCH",
            path,
            Some(("x-session-token", &alice.token)),
            None,
            &[],
        )
        .await;
    assert_eq!(empty.status, 400, "an empty body is a syntax error");
}

#[tokio::test]
async fn unknown_routes_methods_oversized_bodies_and_headers() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let unknown = h
        .call("GET", "/no/such/route", Some(&alice.token), None)
        .await;
    assert_eq!(unknown.status, 404);
    let method = h.call("PUT", "/users/@me", Some(&alice.token), None).await;
    assert_eq!(
        method.status, 404,
        "the framework answers a wrong method with 404"
    );

    let huge = "x".repeat(1 << 21);
    let too_big = h
        .http
        .patch(h.url("/users/@me"))
        .header("x-session-token", &alice.token)
        .body(format!("{{\"display_name\":\"{huge}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status().as_u16(), 413);

    let long_header = "h".repeat(40 * 1024);
    let headers = h
        .send(
            "GET",
            "/users/@me",
            Some(("x-session-token", &alice.token)),
            None,
            &[("x-padding", long_header.as_str())],
        )
        .await;
    assert_eq!(headers.status, 431);
}

#[tokio::test]
async fn audit_log_reason_and_idempotency_key_guards() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let bob = h.server.seed().user("bob");
    let guild = h.server.seed().server("G", alice.id);
    h.server.seed().join(guild.id, bob.id);
    let edit = format!("/servers/{}/members/{}", guild.id, bob.id);
    let reason = "r".repeat(513);
    let too_long = h
        .send(
            "PATCH",
            &edit,
            Some(("x-session-token", &alice.token)),
            Some(json!({"nickname": "b"})),
            &[("x-audit-log-reason", reason.as_str())],
        )
        .await;
    assert_eq!(too_long.status, 400);
    assert!(too_long.body.is_string(), "HTML page, not a typed error");
    let fits = "r".repeat(512);
    let ok = h
        .send(
            "PATCH",
            &edit,
            Some(("x-session-token", &alice.token)),
            Some(json!({"nickname": "b"})),
            &[("x-audit-log-reason", fits.as_str())],
        )
        .await;
    assert_eq!(ok.status, 200);

    let send = format!("/channels/{}/messages", guild.general);
    let first = h
        .send(
            "POST",
            &send,
            Some(("x-session-token", &alice.token)),
            Some(json!({"content": "once"})),
            &[("idempotency-key", "k-1")],
        )
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["nonce"], "k-1", "the key becomes the nonce");
    let replay = h
        .send(
            "POST",
            &send,
            Some(("x-session-token", &alice.token)),
            Some(json!({"content": "once"})),
            &[("idempotency-key", "k-1"), ("accept", "application/json")],
        )
        .await;
    assert_eq!(replay.status, 409);
    assert_eq!(replay.body["error"]["reason"], "Conflict");
    let key = "k".repeat(65);
    let long_key = h
        .send(
            "POST",
            &send,
            Some(("x-session-token", &alice.token)),
            Some(json!({"content": "x"})),
            &[("idempotency-key", key.as_str())],
        )
        .await;
    assert_eq!(long_key.status, 400);
    let history = h.call("GET", &send, Some(&alice.token), None).await;
    assert_eq!(
        history.body.as_array().unwrap().len(),
        1,
        "the replay stored nothing"
    );
}

#[tokio::test]
async fn rate_limits_follow_the_bucket_table_with_headers_and_429() {
    let h = Harness::with(Config::default().rate_limit_window(Duration::from_millis(400))).await;
    let alice = h.server.seed().user("alice");
    let guild = h.server.seed().server("G", alice.id);
    let path = format!("/servers/{}", guild.id);
    let mut buckets = Vec::new();
    for expected in (0..5).rev() {
        let a = h.call("GET", &path, Some(&alice.token), None).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.header("x-ratelimit-limit"), Some("5"));
        assert_eq!(
            a.header("x-ratelimit-remaining"),
            Some(expected.to_string().as_str())
        );
        let reset: u64 = a
            .header("x-ratelimit-reset-after")
            .unwrap()
            .parse()
            .unwrap();
        assert!(reset <= 400);
        buckets.push(a.header("x-ratelimit-bucket").unwrap().to_owned());
    }
    buckets.dedup();
    assert_eq!(buckets.len(), 1, "one bucket for one server");
    let limited = h.call("GET", &path, Some(&alice.token), None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    let retry = limited.body["retry_after"].as_u64().unwrap();
    assert!(retry <= 400);
    assert_eq!(limited.body.as_object().unwrap().len(), 1);

    // Another server's bucket and another bucket kind are unaffected.
    let other = h.server.seed().server("H", alice.id);
    assert_eq!(
        h.call(
            "GET",
            &format!("/servers/{}", other.id),
            Some(&alice.token),
            None
        )
        .await
        .status,
        200
    );
    let users = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    assert_eq!(users.header("x-ratelimit-limit"), Some("20"));

    // The window is counted on the server's clock: move it past the reset.
    h.server.clock().advance(Duration::from_millis(retry));
    let again = h.call("GET", &path, Some(&alice.token), None).await;
    assert_eq!(again.status, 200, "the window reset");
    assert_eq!(again.header("x-ratelimit-remaining"), Some("4"));

    // The server clock resets windows too.
    for _ in 0..5 {
        h.call("GET", &path, Some(&alice.token), None).await;
    }
    h.server.clock().advance(Duration::from_secs(1));
    assert_eq!(
        h.call("GET", &path, Some(&alice.token), None).await.status,
        200
    );
}

#[tokio::test]
async fn bot_requests_share_a_budget_per_address_and_user_edit_is_two() {
    let h = Harness::with(Config::default()).await;
    let alice = h.server.seed().user("alice");
    let first = h
        .call("PATCH", "/users/@me", Some(&alice.token), Some(json!({})))
        .await;
    let second = h
        .call("PATCH", "/users/@me", Some(&alice.token), Some(json!({})))
        .await;
    let third = h
        .call("PATCH", "/users/@me", Some(&alice.token), Some(json!({})))
        .await;
    assert_eq!((first.status, second.status, third.status), (200, 200, 429));

    let bot = h.server.seed().bot("helper", alice.id);
    let bot2 = h.server.seed().bot("helper2", alice.id);
    let a = h.bot("GET", "/users/@me", &bot.token, None).await;
    let b = h.bot("GET", "/users/@me", &bot2.token, None).await;
    assert_eq!(
        a.header("x-ratelimit-bucket"),
        b.header("x-ratelimit-bucket"),
        "same address, same bucket"
    );
    assert_eq!(b.header("x-ratelimit-remaining"), Some("18"));
    let info = h.call("GET", "/ratelimit", Some(&alice.token), None).await;
    assert_eq!(info.body["limit"], 20);
}

#[tokio::test]
async fn faults_and_the_request_log() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    h.server
        .control()
        .inject_fault(Fault::new("/users/@me", 2, 502, "<html>bad gateway</html>").method("GET"));
    let first = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    let second = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    let third = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    assert_eq!((first.status, second.status, third.status), (502, 502, 200));
    assert_eq!(first.body, Value::String("<html>bad gateway</html>".into()));

    // The same over HTTP, for non-Rust clients.
    let fault = json!({"path": "/users/@me", "count": 1, "status": 429, "body": "{\"retry_after\": 5}", "headers": [["x-ratelimit-remaining", "0"]]});
    let added = h
        .http
        .post(h.url("/__ermine/faults"))
        .header("x-ermine-control", h.server.control_token())
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status().as_u16(), 204);
    let canned = h.call("GET", "/users/@me", Some(&alice.token), None).await;
    assert_eq!(canned.status, 429);
    assert_eq!(canned.body["retry_after"], 5);
    assert_eq!(canned.header("x-ratelimit-remaining"), Some("0"));

    h.send(
        "PATCH",
        "/users/@me",
        Some(("x-session-token", &alice.token)),
        Some(json!({"display_name": "Alice"})),
        &[("x-audit-log-reason", "because")],
    )
    .await;
    let log = h.server.control().requests();
    assert_eq!(log.len(), 5);
    let last = log.last().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path.as_str(), last.status),
        ("PATCH", "/users/@me", 200)
    );
    assert_eq!(last.header("X-Audit-Log-Reason"), Some("because"));
    assert_eq!(
        serde_json::from_str::<Value>(&last.body).unwrap()["display_name"],
        "Alice"
    );
    let over_http: Vec<Value> = h
        .http
        .get(h.url("/__ermine/requests"))
        .header("x-ermine-control", h.server.control_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http.len(), 5, "control requests are not logged");
    h.server.control().clear_requests();
    assert!(h.server.control().requests().is_empty());
}

#[tokio::test]
async fn malformed_input_never_hangs_or_panics() {
    let h = Harness::new().await;
    let alice = h.server.seed().user("alice");
    let guild = h.server.seed().server("G", alice.id);
    let bodies = [
        "",
        "null",
        "[]",
        "\"x\"",
        "{\"nickname\": null}",
        "{\"remove\": [\"Bogus\"]}",
        "{\"roles\": \"no\"}",
        "{\"timeout\": \"yesterday\"}",
        "\u{0}\u{1}",
        "{\"nickname\": \"\\ud800\"}",
    ];
    for body in bodies {
        let answer = h
            .http
            .patch(h.url(&format!("/servers/{}/members/{}", guild.id, alice.id)))
            .header("x-session-token", &alice.token)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        assert!((200..500).contains(&status), "{body:?} → {status}");
    }
    for path in [
        "/servers/%FF/members",
        "/users/%00",
        "/channels/../../etc",
        "/servers//members",
    ] {
        let answer = h.call("GET", path, Some(&alice.token), None).await;
        assert!(
            answer.status == 404 || answer.status == 400,
            "{path} → {}",
            answer.status
        );
    }
    let query = h
        .call(
            "GET",
            &format!("/channels/{}/messages?limit=abc", guild.general),
            Some(&alice.token),
            None,
        )
        .await;
    assert_eq!(query.status, 422);
}
