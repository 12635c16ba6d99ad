//! The workloads of `testdata/bench` (W1 members, W2 events, W3 Ready), generated once into
//! `target/workloads` with its script (`pip install msgpack` is attempted when missing).
//! Shared by the benchmarks that use them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const EVENTS: usize = 200_000;

pub(crate) fn workloads() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = root.join("target/workloads");
    if !out.join(format!("events_{EVENTS}.msgpack")).exists() {
        let has_msgpack = Command::new("python3")
            .args(["-c", "import msgpack"])
            .status()
            .is_ok_and(|s| s.success());
        if !has_msgpack {
            let _ = Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "msgpack"])
                .status();
        }
        let status = Command::new("python3")
            .arg(root.join("testdata/bench/gen_workloads.py"))
            .arg("--out")
            .arg(&out)
            .args([
                "--members",
                "10000",
                "--ready",
                "10000",
                "--events",
                &EVENTS.to_string(),
                "--msgpack",
            ])
            .status()
            .expect("python3 runs the workload generator");
        assert!(status.success());
    }
    out
}

pub(crate) fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}
