//! `PATCH`, `DELETE /channels/{channel}/messages/{message}`, pins and bulk deletion.

use ermine_model::embed::SendableEmbed;
use ermine_model::id::{ChannelId, MessageId};
use ermine_model::message::{BulkDeleteBody, Message, MessageEditBody};

use crate::Client;
use crate::request::{body_request, path_request, request};
use crate::validate;

body_request! {
    /// Edits one's own message.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `CannotEditMessage` (someone else's);
    /// `MissingPermission` (`SendEmbeds`); `PayloadTooLarge`.
    EditMessage { channel: ChannelId, message: MessageId } => Message,
    EDIT_MESSAGE, MessageEditBody
}

impl EditMessage {
    /// The new content (≤ 2000 characters).
    pub fn content(mut self, content: &str) -> Self {
        self.check(validate::chars("content", content, 1, 2000));
        self.body.content = Some(content.to_owned());
        self
    }

    /// The new embeds (≤ 10), replacing the old ones.
    pub fn embeds(mut self, embeds: &[SendableEmbed]) -> Self {
        self.check(validate::length("embeds", embeds.len(), 0, 10));
        self.body.embeds = Some(embeds.to_vec());
        self
    }
}

path_request! {
    /// Deletes a message.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageMessages`, for someone else's).
    DeleteMessage { channel: ChannelId, message: MessageId } => (),
    DELETE_MESSAGE
}

path_request! {
    /// Pins a message.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageMessages`); `AlreadyPinned`.
    PinMessage { channel: ChannelId, message: MessageId } => (),
    PIN_MESSAGE
}

path_request! {
    /// Unpins a message.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageMessages`); `NotPinned`.
    UnpinMessage { channel: ChannelId, message: MessageId } => (),
    UNPIN_MESSAGE
}

body_request! {
    /// Deletes up to 100 messages at once, none older than a week.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageMessages`);
    /// `InvalidOperation` (a message older than a week).
    BulkDeleteMessages { channel: ChannelId } => (),
    BULK_DELETE_MESSAGES, BulkDeleteBody
}

impl Client {
    /// Edits one's own message.
    pub fn edit_message(&self, channel: ChannelId, message: MessageId) -> EditMessage {
        EditMessage::with_body(self.clone(), channel, message, MessageEditBody::default())
    }

    /// Deletes a message.
    pub fn delete_message(&self, channel: ChannelId, message: MessageId) -> DeleteMessage {
        DeleteMessage::new(self.clone(), channel, message)
    }

    /// Pins a message.
    pub fn pin_message(&self, channel: ChannelId, message: MessageId) -> PinMessage {
        PinMessage::new(self.clone(), channel, message)
    }

    /// Unpins a message.
    pub fn unpin_message(&self, channel: ChannelId, message: MessageId) -> UnpinMessage {
        UnpinMessage::new(self.clone(), channel, message)
    }

    /// Deletes 1..=100 messages of a channel at once.
    pub fn bulk_delete_messages(
        &self,
        channel: ChannelId,
        ids: &[MessageId],
    ) -> BulkDeleteMessages {
        let body = BulkDeleteBody { ids: ids.to_vec() };
        let mut request = BulkDeleteMessages::with_body(self.clone(), channel, body);
        request.check(validate::length("ids", ids.len(), 1, 100));
        request
    }
}
