//! The instance configuration served at `GET /`.

use serde::{Deserialize, Serialize};

/// `GET /`: what this Stoat instance offers and where its other services live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceConfig {
    /// API version, e.g. `"0.15.1"`.
    pub revolt: String,
    /// Features and their service URLs.
    pub features: InstanceFeatures,
    /// WebSocket URL of the events server.
    pub ws: String,
    /// Web app URL.
    #[serde(default)]
    pub app: String,
    /// VAPID public key for web push.
    #[serde(default)]
    pub vapid: String,
    /// Build information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildInformation>,
}

/// Features of an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceFeatures {
    /// hCaptcha settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<CaptchaFeature>,
    /// Whether e-mail verification is on.
    #[serde(default)]
    pub email: bool,
    /// Whether an invite is needed to register.
    #[serde(default)]
    pub invite_only: bool,
    /// File server.
    pub autumn: ServiceFeature,
    /// Link-preview proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub january: Option<ServiceFeature>,
    /// Voice (LiveKit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub livekit: Option<VoiceFeature>,
    /// Limits by user class (`global`, `new_user`, `default`), kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<serde_json::Value>,
    /// Legal links, kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_links: Option<serde_json::Value>,
}

impl InstanceFeatures {
    /// A numeric limit of the `default` user class, e.g. `"message_length"`.
    pub fn default_limit(&self, name: &str) -> Option<u64> {
        self.limits.as_ref()?.get("default")?.get(name)?.as_u64()
    }
}

/// hCaptcha settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptchaFeature {
    /// Enabled.
    pub enabled: bool,
    /// Site key.
    #[serde(default)]
    pub key: String,
}

/// A service with a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFeature {
    /// Enabled.
    pub enabled: bool,
    /// Base URL.
    pub url: String,
}

/// Voice settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceFeature {
    /// Enabled.
    pub enabled: bool,
    /// Voice nodes.
    #[serde(default)]
    pub nodes: Vec<VoiceNode>,
}

/// A voice node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceNode {
    /// Node name (pass as `node` to join a call).
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Public URL.
    pub public_url: String,
}

/// Build information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildInformation {
    /// Commit.
    pub commit_sha: String,
    /// Commit time.
    pub commit_timestamp: String,
    /// Version.
    pub semver: String,
    /// Repository URL.
    pub origin_url: String,
    /// Build time.
    pub timestamp: String,
}
