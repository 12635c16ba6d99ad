//! Voice through a real LiveKit server: the node the local server hands out
//! ([`LiveKitNode`], set with [`Config::livekit`](crate::Config::livekit)), a `livekit-server`
//! process of a test's own ([`LiveKitServer`]), and a private network for WebRTC to run in
//! ([`private_network`]).
//!
//! Without `livekit-server` a test fails when `CI` is set (`.ci/run` installs it with
//! `go install`) and is skipped with a notice otherwise.

pub(crate) mod room;
mod server;

pub use server::{LiveKitServer, private_network, private_network_for_program, with_livekit};

/// A LiveKit server the local server hands out for voice (Stoat's `api.livekit.nodes` and
/// `hosts.livekit` entries, in one).
#[derive(Clone)]
#[non_exhaustive]
pub struct LiveKitNode {
    /// The node's name (what `join_call`'s `node` names, and the webhook path's last part).
    pub name: String,
    /// The URL clients are given (`ws://…`).
    pub url: String,
    /// The URL of its API (`http://…`); by default the client URL with `http`.
    pub api_url: String,
    /// The API key.
    pub key: String,
    /// The API secret.
    pub secret: String,
}

impl std::fmt::Debug for LiveKitNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveKitNode")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("api_url", &self.api_url)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl LiveKitNode {
    /// A node at `url` (`ws://host:port`) with this API key and secret.
    pub fn new(
        name: impl Into<String>,
        url: impl Into<String>,
        key: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        let url = url.into();
        let api_url = url.replacen("ws", "http", 1);
        Self {
            name: name.into(),
            url,
            api_url,
            key: key.into(),
            secret: secret.into(),
        }
    }
}
