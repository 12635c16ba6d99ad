//! A Redis server of a test's own (Debian's `redis-server`), on a free loopback port, stopped
//! when dropped: for the tests of what ermine shares through Redis.
//!
//! Without `redis-server` a test fails when `CI` is set (`.ci/run` installs it) and is skipped
//! with a notice otherwise ([`installed`]).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether `redis-server` can run here; outside CI a missing one skips (with a notice), in
/// CI it fails.
///
/// # Panics
/// When it is missing and `CI` is set.
pub fn installed() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok();
    found || crate::missing("redis-server is not installed (apt-get install redis-server)")
}

/// A running `redis-server`.
#[derive(Debug)]
pub struct RedisServer {
    child: Option<Child>,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Where it keeps its append-only file, when it persists.
    dir: Option<PathBuf>,
}

impl RedisServer {
    /// Starts a server without persistence, or `None` (with a notice) when `redis-server` is
    /// missing outside CI.
    pub fn start() -> Option<Self> {
        Self::launch(None)
    }

    /// Starts a server that writes every change to an append-only file before answering, so
    /// a [`restart`](Self::restart) keeps its data (as a production Redis would).
    pub fn start_persistent() -> Option<Self> {
        let dir = std::env::temp_dir().join(format!(
            "ermine-redis-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir_all(&dir).ok()?;
        Self::launch(Some(dir))
    }

    fn launch(dir: Option<PathBuf>) -> Option<Self> {
        if !installed() {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let mut redis = Self {
            child: None,
            port,
            dir,
        };
        redis.restart();
        Some(redis)
    }

    /// `redis://127.0.0.1:{port}/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Stops the server at once (`SIGKILL`; without persistence its data is lost).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it (again) on the same port: empty, or with its data when it persists.
    ///
    /// # Panics
    /// When `redis-server` cannot start or does not listen within 10 s (a test helper: the
    /// test cannot go on).
    #[allow(clippy::expect_used)]
    pub fn restart(&mut self) {
        self.stop();
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--protected-mode", "no"]);
        match &self.dir {
            Some(dir) => command
                .args(["--appendonly", "yes", "--appendfsync", "always", "--dir"])
                .arg(dir),
            None => command.args(["--appendonly", "no"]),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
