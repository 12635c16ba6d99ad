//! The official clients against `ermine-local`: stoat.py and stoat.js run their scripts in
//! `interop/` (see its README) against a fresh `ermine-local --seed demo` each. Skipped with a
//! notice when a client is not installed, except in CI, where that fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../interop")
}

/// Whether a missing client is a failure (CI) or a skip.
fn required() -> bool {
    std::env::var_os("CI").is_some()
}

/// Kills the server when the test ends, however it ends.
struct Local(std::process::Child);

impl Drop for Local {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A fresh `ermine-local --seed demo` and the JSON line it printed.
fn local() -> (Local, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ermine-local"))
        .args(["--port", "0", "--seed", "demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (Local(child), line.trim().to_owned())
}

/// Runs a client's script against a fresh server; its output is shown either way.
fn run_client(name: &str, mut command: Command) {
    let (_server, line) = local();
    let output = command.env("ERMINE_LOCAL", &line).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{name} stdout:\n{stdout}");
    assert!(
        output.status.success(),
        "{name} failed against ermine-local:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}

fn missing(client: &str, install: &str) {
    assert!(
        !required(),
        "{client} is not installed (CI installs it: {install})"
    );
    eprintln!("skipping the {client} interop test: not installed ({install})");
}

#[test]
fn stoat_py_works_against_ermine_local() {
    let python = interop_dir().join(".venv/bin/python");
    let installed = python.exists()
        && Command::new(&python)
            .args(["-c", "import stoat"])
            .status()
            .is_ok_and(|s| s.success());
    if !installed {
        missing(
            "stoat.py",
            "python3 -m venv interop/.venv && interop/.venv/bin/pip install -r interop/python/requirements.txt",
        );
        return;
    }
    let mut command = Command::new(python);
    command.arg(interop_dir().join("python/check_stoat_py.py"));
    run_client("stoat.py", command);
}

#[test]
fn stoat_js_works_against_ermine_local() {
    let js = interop_dir().join("js");
    if !js.join("node_modules/stoat.js").exists()
        || Command::new("node").arg("--version").output().is_err()
    {
        missing("stoat.js", "npm ci --prefix interop/js");
        return;
    }
    // stoat.js needs a global WebSocket: built into Node 22+, behind a flag before.
    let has_websocket = Command::new("node")
        .args([
            "-e",
            "process.exit(typeof WebSocket === 'undefined' ? 1 : 0)",
        ])
        .status()
        .is_ok_and(|s| s.success());
    let mut command = Command::new("node");
    if !has_websocket {
        command.arg("--experimental-websocket");
    }
    command.current_dir(&js).arg("check_stoat_js.mjs");
    run_client("stoat.js", command);
}
