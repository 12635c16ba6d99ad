//! `POST /channels/{channel}/messages`.

use ermine_model::id::ChannelId;
use ermine_model::message::{Message, MessageSendBody};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::ValidationError;
use crate::{Client, Error};

/// A message being replied to.
pub use ermine_model::message::ReplyIntent as ReplyTo;

// The server reads its declared flags (SuppressNotifications = 1, MentionsEveryone = 2,
// MentionsOnline = 3) as bit positions, and these are the bits it acts on.
/// Flag bit: no notifications.
pub(crate) const FLAG_SUPPRESS_NOTIFICATIONS: u32 = 1 << 1;
/// Flag bit: mentions everyone.
pub(crate) const FLAG_MENTIONS_EVERYONE: u32 = 1 << 2;
/// Flag bit: mentions everyone online.
pub(crate) const FLAG_MENTIONS_ONLINE: u32 = 1 << 3;

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
    body: MessageSendBody,
    error: Option<ValidationError>,
}

/// The setters of a message's content, shared by [`SendMessage`] and
/// [`ExecuteWebhook`](crate::request::webhook::ExecuteWebhook): each type has `body:
/// MessageSendBody` and `error: Option<ValidationError>`.
macro_rules! message_setters {
    () => {
        /// The text (the instance limits its size in bytes; the server checks it).
        pub fn content(mut self, content: &str) -> Self {
            self.body_mut().content = Some(content.to_owned());
            self
        }

        /// Files uploaded to the `attachments` tag.
        pub fn attachments(mut self, file_ids: &[&str]) -> Self {
            self.body_mut().attachments = Some(file_ids.iter().map(|f| (*f).to_owned()).collect());
            self
        }

        /// Messages this one replies to.
        pub fn replies(mut self, replies: &[ermine_model::message::ReplyIntent]) -> Self {
            self.body_mut().replies = Some(replies.to_vec());
            self
        }

        /// Embeds.
        pub fn embeds(mut self, embeds: &[ermine_model::embed::SendableEmbed]) -> Self {
            self.body_mut().embeds = Some(embeds.to_vec());
            self
        }

        /// Another name, avatar or colour for this message (name 1..=32, avatar 1..=256, colour
        /// 1..=128 characters).
        pub fn masquerade(mut self, masquerade: &ermine_model::message::Masquerade) -> Self {
            let checks = [
                ("masquerade.name", masquerade.name.as_deref(), 32),
                ("masquerade.avatar", masquerade.avatar.as_deref(), 256),
                ("masquerade.colour", masquerade.colour.as_deref(), 128),
            ];
            for (field, value, max) in checks {
                if let Some(Err(e)) = value.map(|v| $crate::validate::chars(field, v, 1, max)) {
                    self.error.get_or_insert(e);
                }
            }
            self.body_mut().masquerade = Some(masquerade.clone());
            self
        }

        /// Reactions offered under the message.
        pub fn interactions(mut self, interactions: &ermine_model::message::Interactions) -> Self {
            self.body_mut().interactions = Some(interactions.clone());
            self
        }

        /// Message flags, raw (the server rejects values above 7). [`silent`](Self::silent),
        /// [`mention_everyone`](Self::mention_everyone) and
        /// [`mention_online`](Self::mention_online) set or clear one bit each: the bits the
        /// server acts on (it reads its declared values 1, 2, 3 as bit positions: 2, 4, 8).
        pub fn flags(mut self, flags: u32) -> Self {
            self.body_mut().flags = Some(flags);
            self
        }

        fn flag(mut self, bit: u32, on: bool) -> Self {
            let current = self.body_mut().flags.unwrap_or(0);
            let flags = if on { current | bit } else { current & !bit };
            self.flags(flags)
        }

        /// Suppresses notifications for this message (flag bit `2`).
        pub fn silent(self, silent: bool) -> Self {
            self.flag(
                $crate::request::channel::message::send::FLAG_SUPPRESS_NOTIFICATIONS,
                silent,
            )
        }

        /// Mentions everyone who can see the channel (flag bit `4`; bots only: `IsNotBot`).
        pub fn mention_everyone(self, mention: bool) -> Self {
            self.flag(
                $crate::request::channel::message::send::FLAG_MENTIONS_EVERYONE,
                mention,
            )
        }

        /// Mentions everyone online who can see the channel (flag bit `8`; bots only, not together
        /// with [`mention_everyone`](Self::mention_everyone): `InvalidFlagValue`). Servers up to
        /// 0.16 refuse it (`InvalidProperty`: they accept no flag value above 7).
        pub fn mention_online(self, mention: bool) -> Self {
            self.flag(
                $crate::request::channel::message::send::FLAG_MENTIONS_ONLINE,
                mention,
            )
        }

        /// A nonce that makes a retried send safe: sent as the `Idempotency-Key` header (the
        /// body's `nonce` field is deprecated), ≤ 64 characters. A key seen before is refused.
        pub fn nonce(self, nonce: impl Into<String>) -> Self {
            $crate::WithOptions::idempotency_key(self, nonce)
        }
    };
}

pub(crate) use message_setters;

impl SendMessage {
    message_setters!();

    fn body_mut(&mut self) -> &mut MessageSendBody {
        &mut self.body
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
            body: MessageSendBody::default(),
            error: None,
        }
    }
}
