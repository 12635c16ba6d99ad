//! Request overhead of ermine-http against the local server, with a raw `reqwest` call doing
//! the same work (same request, same JSON decoding into the same model) as the baseline in
//! the same run.
//!
//! Two requests: `GET /users/@me` (a small body: per-request overhead) and `GET
//! /servers/{id}/members` answering with workload W1 (`members_10000.json` from
//! `testdata/bench/gen_workloads.py`, 4.3 MB: decoding-dominated).
//!
//! ```text
//! cargo bench -p ermine-http --bench request_overhead
//! ```

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ermine_http::Client;
use ermine_http::ratelimit::Unlimited;
use ermine_model::member::AllMemberResponse;
use ermine_model::user::User;
use ermine_testkit::{Config, Fault, TestServer};

/// Workload W1 with 10,000 members, generated once into `target/`.
fn w1() -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = root.join("target/workloads");
    let file = out.join("members_10000.json");
    if !file.exists() {
        let status = Command::new("python3")
            .arg(root.join("testdata/bench/gen_workloads.py"))
            .args(["--out"])
            .arg(&out)
            .args(["--members", "10000", "--ready", "0", "--events", "0"])
            .status()
            .expect("python3 runs the workload generator");
        assert!(status.success(), "workload generator failed");
    }
    std::fs::read(file).expect("W1 file")
}

/// The baseline: the same authenticated GET with plain `reqwest`.
async fn raw_get(raw: &reqwest::Client, url: &str, token: &str) -> Vec<u8> {
    raw.get(url)
        .header("x-session-token", token)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, token, guild) = runtime.block_on(async {
        let server = TestServer::start_with(Config::default().rate_limits(false))
            .await
            .unwrap();
        let alice = server.seed().user("alice");
        let guild = server.seed().server("Bench", alice.id);
        (server, alice.token, guild.id)
    });
    let members_path = format!("/servers/{guild}/members");
    server.control().inject_fault(
        Fault::new(
            members_path.clone(),
            u32::MAX,
            200,
            String::from_utf8(w1()).unwrap(),
        )
        .content_type("application/json"),
    );
    let api = server.urls().api.clone();
    // The limiter is measured on its own in its unit tests; here the server has no limits.
    let client = Client::builder()
        .session_token(token.clone())
        .base_url(api.clone())
        .rate_limiter(Arc::new(Unlimited))
        .build()
        .unwrap();
    let raw = reqwest::Client::new();

    let mut group = c.benchmark_group("fetch_self");
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            serde_json::from_slice::<User>(
                &raw_get(&raw, &format!("{api}/users/@me"), &token).await,
            )
            .unwrap()
        });
    });
    group.bench_function("ermine", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.fetch_self().await.unwrap() });
    });
    group.finish();

    let mut group = c.benchmark_group("fetch_members_w1_10000");
    group.sample_size(20);
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let bytes = raw_get(&raw, &format!("{api}{members_path}"), &token).await;
            serde_json::from_slice::<AllMemberResponse>(&bytes).unwrap()
        });
    });
    group.bench_function("ermine", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.fetch_members(guild).await.unwrap() });
    });
    group.finish();
    drop(server);
}

criterion_group!(benches, bench);
criterion_main!(benches);
