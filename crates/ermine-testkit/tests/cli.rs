//! The `ermine-local` binary as a developer meets it: help, version, mistakes on the command
//! line, and the demo world's printed credentials, each of which must work.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ermine-local"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_version_and_mistakes() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("usage: ermine-local") && out.contains("--seed"),
        "{out}"
    );
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("ermine-local {}", env!("CARGO_PKG_VERSION"))
    );
    let (code, out, err) = run(&["--frobnicate"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown argument: --frobnicate") && err.contains("usage:"),
        "{err}"
    );
    let (code, _, err) = run(&["--seed"]);
    assert_eq!(code, 2);
    assert!(err.contains("valid seeds: demo"), "{err}");
    let (code, _, err) = run(&["--seed", "huge"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown seed \"huge\"") && err.contains("valid seeds: demo"),
        "{err}"
    );
    let (code, _, err) = run(&["--port", "http"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a valid number"), "{err}");
}

/// Kills the child when the test ends, however it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn every_printed_demo_credential_works() {
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_ermine-local"))
            .args(["--port", "0", "--seed", "demo"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let printed: Value = serde_json::from_str(&line).unwrap();
    let api = printed["api"].as_str().unwrap();
    assert!(printed["control_token"].as_str().unwrap().len() >= 16);
    let events = printed["events"].as_str().unwrap();
    assert!(
        events.starts_with("ws://") && !events[5..].contains('/'),
        "{events}"
    );
    let http = reqwest::Client::new();
    let demo = &printed["demo"];
    let password = demo["password"].as_str().unwrap();
    for name in ["alice", "bob", "carol"] {
        let user = &demo["users"][name];
        let login: Value = http
            .post(format!("{api}/auth/session/login"))
            .json(&json!({"email": user["email"], "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(login["result"], "Success", "{name}: {login}");
        assert_eq!(login["user_id"], user["id"]);
        for token in [
            login["token"].as_str().unwrap(),
            user["token"].as_str().unwrap(),
        ] {
            let me = http
                .get(format!("{api}/users/@me"))
                .header("x-session-token", token)
                .send()
                .await
                .unwrap();
            assert_eq!(me.status(), 200, "{name}");
        }
    }
    let bot = http
        .get(format!("{api}/users/@me"))
        .header("x-bot-token", demo["bot"]["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(bot.status(), 200);
}
