//! A `livekit-server` process of a test's own, and the private network it runs in.

use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::LiveKitNode;
use crate::missing;

/// The variable a re-run test finds inside its private network.
const INSIDE: &str = "ERMINE_PRIVATE_NETWORK";
/// The address the tests' own side of the veth pair has.
const HOST: Ipv4Addr = Ipv4Addr::new(10, 77, 0, 1);

/// Runs the calling test inside a private network namespace, where WebRTC has a real
/// (non-loopback) address and no traffic can leave the machine.
///
/// Outside one, it runs this test binary again with `unshare --net` (only the test named
/// `test`), reports its output and result, and returns `None`: the caller returns at once
/// (the inner run failing fails it). Inside, it creates a veth pair (10.77.0.1 ⟷ 10.77.0.2,
/// with loopback up) and returns the address to bind to.
///
/// When namespaces cannot be created here, `None` with a notice (a failure when `CI` is set).
///
/// # Panics
/// When the inner run fails, or the veth pair cannot be made inside the namespace.
pub fn private_network(test: &str) -> Option<Ipv4Addr> {
    let args = [test, "--exact", "--nocapture", "--test-threads=1"].map(ToOwned::to_owned);
    isolate(&args)
}

/// [`private_network`] for a program (an example): outside a namespace it runs the program
/// again inside one with the same arguments, and returns `None` once that run ended well.
///
/// # Panics
/// As [`private_network`].
pub fn private_network_for_program() -> Option<Ipv4Addr> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    isolate(&args)
}

fn isolate(args: &[String]) -> Option<Ipv4Addr> {
    if std::env::var_os(INSIDE).is_some() {
        for args in [
            &["link", "set", "lo", "up"][..],
            &[
                "link", "add", "ermine0", "type", "veth", "peer", "name", "ermine1",
            ],
            &["addr", "add", "10.77.0.1/24", "dev", "ermine0"],
            &["addr", "add", "10.77.0.2/24", "dev", "ermine1"],
            &["link", "set", "ermine0", "up"],
            &["link", "set", "ermine1", "up"],
        ] {
            let ok = Command::new("ip")
                .args(args)
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "`ip {}` failed inside the private network",
                args.join(" ")
            );
        }
        return Some(HOST);
    }
    let probe = |extra: &[&str]| {
        Command::new("unshare")
            .args(extra)
            .args(["--net", "true"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let flags: &[&str] = if probe(&[]) {
        &[]
    } else if probe(&["--map-root-user"]) {
        &["--map-root-user"]
    } else {
        missing("network namespaces cannot be created here (unshare --net)");
        return None;
    };
    let Ok(exe) = std::env::current_exe() else {
        missing("the program cannot be found to run it again");
        return None;
    };
    let status = Command::new("unshare")
        .args(flags)
        .arg("--net")
        .arg("--")
        .arg(exe)
        .args(args)
        .env(INSIDE, "1")
        .status();
    assert!(
        status.as_ref().is_ok_and(std::process::ExitStatus::success),
        "the run inside the private network failed: {status:?}"
    );
    None
}

/// A running `livekit-server` (the program named by `LIVEKIT_SERVER`, else `livekit-server`
/// on the path), stopped when dropped.
#[derive(Debug)]
pub struct LiveKitServer {
    child: Child,
    dir: PathBuf,
    /// The node to hand to [`Config::livekit`](crate::Config::livekit).
    pub node: LiveKitNode,
}

impl LiveKitServer {
    fn program() -> String {
        std::env::var("LIVEKIT_SERVER").unwrap_or_else(|_| "livekit-server".to_owned())
    }

    /// Whether the server program can run here; outside CI a missing one skips (with a
    /// notice), in CI it fails.
    ///
    /// # Panics
    /// When it is missing and `CI` is set.
    pub fn installed() -> bool {
        let found = Command::new(Self::program())
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        found
            || missing(
                "livekit-server is not installed (GOBIN=… go install \
                 github.com/livekit/livekit-server/cmd/server@v1.13.5, then set LIVEKIT_SERVER)",
            )
    }

    /// Starts a server on `ip` (free ports) whose webhooks go to `webhook` (the local server's
    /// [`voice_ingress_url`](crate::TestServer::voice_ingress_url) for the node named
    /// `node`), or `None` (with a notice) when it is not installed outside CI.
    ///
    /// # Panics
    /// When it cannot start or does not listen within 20 s (a test helper: the test cannot
    /// go on).
    #[allow(clippy::expect_used)]
    pub fn start(ip: Ipv4Addr, node: &str, webhook: &str) -> Option<Self> {
        if !Self::installed() {
            return None;
        }
        let free_tcp = || {
            TcpListener::bind((ip, 0))
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
        };
        let port = free_tcp().expect("a free TCP port");
        let rtc_tcp = free_tcp().expect("a free TCP port");
        let udp = UdpSocket::bind((ip, 0))
            .and_then(|s| s.local_addr())
            .map(|a| a.port())
            .expect("a free UDP port");
        let key = "ermine";
        let secret = format!("{:032x}{:032x}", fastrand::u128(..), fastrand::u128(..));
        let dir =
            std::env::temp_dir().join(format!("ermine-livekit-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory for livekit-server");
        let config = format!(
            "port: {port}\n\
             bind_addresses: [\"{ip}\"]\n\
             rtc:\n  tcp_port: {rtc_tcp}\n  udp_port: {udp}\n  use_external_ip: false\n  node_ip: {ip}\n\
             keys:\n  {key}: {secret}\n\
             webhook:\n  api_key: {key}\n  urls: [\"{webhook}\"]\n\
             logging:\n  level: info\n"
        );
        let config_path = dir.join("livekit.yaml");
        std::fs::write(&config_path, config).expect("livekit-server's configuration written");
        let log = std::fs::File::create(dir.join("livekit.log")).expect("a log file");
        let child = Command::new(Self::program())
            .arg("--config")
            .arg(&config_path)
            .stdout(log.try_clone().expect("a log file"))
            .stderr(log)
            .spawn()
            .expect("livekit-server starts");
        let server = Self {
            child,
            node: LiveKitNode::new(node, format!("ws://{ip}:{port}"), key, secret),
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect((ip, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "livekit-server did not listen: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("livekit.log")).unwrap_or_default()
    }
}

/// A local Stoat server whose voice goes through a `livekit-server` of its own on `ip`, with
/// LiveKit's webhooks wired to the local server's voice ingress for the node named `node`
/// (with `config`'s other settings), or `None` (with a notice) when `livekit-server` is not
/// installed outside CI.
///
/// # Panics
/// As [`LiveKitServer::start`]; when no local port is free.
#[allow(clippy::expect_used)]
pub async fn with_livekit(
    ip: Ipv4Addr,
    node: &str,
    config: crate::Config,
) -> Option<(LiveKitServer, crate::TestServer)> {
    // The webhook URL names the local server's port, which must be known before LiveKit
    // starts: a free one is taken and the local server bound to it.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port");
    let webhook = format!("http://127.0.0.1:{port}/voice-ingress/{node}");
    let livekit = LiveKitServer::start(ip, node, &webhook)?;
    let stoat = crate::TestServer::bind(
        config.livekit(livekit.node.clone()),
        std::net::SocketAddr::from(([127, 0, 0, 1], port)),
    )
    .await
    .expect("the local server starts");
    Some((livekit, stoat))
}

impl Drop for LiveKitServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
