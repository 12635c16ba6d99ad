//! `POST /channels/{channel}/messages`.

use ermine_model::embed::SendableEmbed;
use ermine_model::id::{ChannelId, MessageId};
use ermine_model::message::{Interactions, Masquerade, Message};
use ermine_model::route;
use serde::Serialize;
use serde_json::{Map, json};

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// A message being replied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReplyTo {
    /// The message.
    pub id: MessageId,
    /// Whether to mention its author.
    pub mention: bool,
    /// Fail when it no longer exists (the server's default) or send anyway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_if_not_exists: Option<bool>,
}

impl ReplyTo {
    /// A reply to `id`, mentioning its author or not.
    pub fn new(id: MessageId, mention: bool) -> Self {
        Self {
            id,
            mention,
            fail_if_not_exists: None,
        }
    }
}

// The server reads its declared flags (SuppressNotifications = 1, MentionsEveryone = 2,
// MentionsOnline = 3) as bit positions, and these are the bits it acts on.
/// Flag bit: no notifications.
const FLAG_SUPPRESS_NOTIFICATIONS: u32 = 1 << 1;
/// Flag bit: mentions everyone.
const FLAG_MENTIONS_EVERYONE: u32 = 1 << 2;
/// Flag bit: mentions everyone online.
const FLAG_MENTIONS_ONLINE: u32 = 1 << 3;

/// Sends a message. It is retried after a server error only when it carries an
/// `Idempotency-Key` ([`WithOptions::idempotency_key`](crate::WithOptions::idempotency_key)),
/// which the server also uses to drop duplicates.
///
/// # Errors
/// `FailedValidation`, `NotFound`, `MissingPermission` (`SendMessage`, `Masquerade`,
/// `ManageRole`, `SendEmbeds`, `UploadFiles`, `MentionEveryone`, `MentionRoles`),
/// `InvalidProperty`, `IsNotBot`, `InvalidFlagValue`, `InSlowmode`, `TooManyEmbeds`,
/// `TooManyAttachments`, `TooManyReplies`, `EmptyMessage`, `PayloadTooLarge`,
/// `UnknownAttachment`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct SendMessage {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    body: Map<String, serde_json::Value>,
    error: Option<ValidationError>,
}

impl SendMessage {
    fn set(mut self, key: &str, value: serde_json::Value) -> Self {
        self.body.insert(key.to_owned(), value);
        self
    }

    /// The text (the instance limits its size in bytes; the server checks it).
    pub fn content(self, content: &str) -> Self {
        self.set("content", json!(content))
    }

    /// Files uploaded to the `attachments` tag.
    pub fn attachments(self, file_ids: &[&str]) -> Self {
        self.set("attachments", json!(file_ids))
    }

    /// Messages this one replies to.
    pub fn replies(self, replies: &[ReplyTo]) -> Self {
        self.set("replies", json!(replies))
    }

    /// Embeds.
    pub fn embeds(self, embeds: &[SendableEmbed]) -> Self {
        self.set("embeds", json!(embeds))
    }

    /// Another name, avatar or colour for this message (name 1..=32, avatar 1..=256, colour
    /// 1..=128 characters).
    pub fn masquerade(mut self, masquerade: &Masquerade) -> Self {
        let checks = [
            ("masquerade.name", masquerade.name.as_deref(), 32),
            ("masquerade.avatar", masquerade.avatar.as_deref(), 256),
            ("masquerade.colour", masquerade.colour.as_deref(), 128),
        ];
        for (field, value, max) in checks {
            if let Some(Err(e)) = value.map(|v| validate::chars(field, v, 1, max)) {
                self.error.get_or_insert(e);
            }
        }
        self.set("masquerade", json!(masquerade))
    }

    /// Reactions offered under the message.
    pub fn interactions(self, interactions: &Interactions) -> Self {
        self.set("interactions", json!(interactions))
    }

    /// Message flags, raw (the server rejects values above 7). [`silent`](Self::silent),
    /// [`mention_everyone`](Self::mention_everyone) and
    /// [`mention_online`](Self::mention_online) set or clear one bit each: the bits the
    /// server acts on (it reads its declared values 1, 2, 3 as bit positions: 2, 4, 8).
    pub fn flags(self, flags: u32) -> Self {
        self.set("flags", json!(flags))
    }

    fn flag(self, bit: u32, on: bool) -> Self {
        let current = self
            .body
            .get("flags")
            .and_then(serde_json::Value::as_u64)
            .and_then(|f| u32::try_from(f).ok())
            .unwrap_or(0);
        let flags = if on { current | bit } else { current & !bit };
        self.flags(flags)
    }

    /// Suppresses notifications for this message (flag bit `2`).
    pub fn silent(self, silent: bool) -> Self {
        self.flag(FLAG_SUPPRESS_NOTIFICATIONS, silent)
    }

    /// Mentions everyone who can see the channel (flag bit `4`; bots only: `IsNotBot`).
    pub fn mention_everyone(self, mention: bool) -> Self {
        self.flag(FLAG_MENTIONS_EVERYONE, mention)
    }

    /// Mentions everyone online who can see the channel (flag bit `8`; bots only, not together
    /// with [`mention_everyone`](Self::mention_everyone): `InvalidFlagValue`). Servers up to
    /// 0.16 refuse it (`InvalidProperty`: they accept no flag value above 7).
    pub fn mention_online(self, mention: bool) -> Self {
        self.flag(FLAG_MENTIONS_ONLINE, mention)
    }

    /// A nonce that makes a retried send safe: sent as the `Idempotency-Key` header (the
    /// body's `nonce` field is deprecated), ≤ 64 characters. A key seen before is refused.
    pub fn nonce(self, nonce: impl Into<String>) -> Self {
        crate::WithOptions::idempotency_key(self, nonce)
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        RawRequest::new(&route::SEND_MESSAGE, [self.channel.to_string()])?.json(&self.body)
    }
}

request!(SendMessage => Message);

impl Client {
    /// Sends a message to a channel.
    pub fn send_message(&self, channel: ChannelId) -> SendMessage {
        SendMessage {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            body: Map::new(),
            error: None,
        }
    }
}
