//! Webhooks: a channel's incoming message endpoints, each with a secret token.

use serde::{Deserialize, Serialize};

use crate::auth::Token;
use crate::file::File;
use crate::id::{ChannelId, UserId, WebhookId};
use crate::permission::Permissions;
use crate::wire::string_enum;

/// A webhook. Its `token` (present for those who may manage it) is a credential: it never
/// appears in `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// Its ID.
    pub id: WebhookId,
    /// Name shown on its messages.
    pub name: String,
    /// Avatar shown on its messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<File>,
    /// Who made it.
    pub creator_id: UserId,
    /// The channel it posts in.
    pub channel_id: ChannelId,
    /// What its messages may do.
    pub permissions: Permissions,
    /// The secret that executes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Token>,
}

/// `GET /webhooks/{webhook}`: a webhook without its secret (`ResponseWebhook`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInfo {
    /// Its ID.
    pub id: WebhookId,
    /// Name.
    pub name: String,
    /// File ID of its avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The channel it posts in.
    pub channel_id: ChannelId,
    /// What its messages may do.
    pub permissions: Permissions,
}

/// A webhook with every field optional (what an edit changes, in `WebhookUpdate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialWebhook {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<File>,
    /// Permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
}

string_enum! {
    /// Webhook fields an edit can clear.
    pub enum FieldsWebhook {
        /// The avatar.
        Avatar = "Avatar",
    }
}

/// Body of `POST /channels/{channel}/webhooks` (`CreateWebhookBody`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCreateBody {
    /// Name (1..=32 characters).
    pub name: String,
    /// File ID of an unused upload to `avatars`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// Body of `PATCH /webhooks/{webhook}[/{token}]` (`DataEditWebhook`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEditBody {
    /// Name (1..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// File ID of an unused upload to `avatars`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// What its messages may do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    /// Fields to clear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsWebhook>,
}
