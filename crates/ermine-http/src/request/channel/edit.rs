//! `PATCH /channels/{channel}`: edit a channel, with each field left alone, cleared or set.

use ermine_model::channel::{Channel, ChannelEditBody, FieldsChannel, VoiceInformation};
use ermine_model::id::{ChannelId, UserId};
use ermine_model::patch::Patch;

use crate::Client;
use crate::request::{body_request, patch_setter, request};
use crate::validate;

body_request! {
    /// Edits a channel. A setter never called leaves its field alone; `Some(v)` sets it;
    /// `None` clears it.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageChannel`);
    /// `InvalidOperation` (a DM or saved messages; a field the channel does not have).
    EditChannel { channel: ChannelId } => Channel,
    EDIT_CHANNEL, ChannelEditBody
}

impl EditChannel {
    /// Renames it (1..=32 characters).
    pub fn name(mut self, name: &str) -> Self {
        self.check(validate::chars("name", name, 1, 32));
        self.body.name = Some(name.to_owned());
        self
    }

    patch_setter! {
        /// Sets (≤ 1024 characters) or clears the description.
        description => description, FieldsChannel::Description, chars(0, 1024)
    }

    patch_setter! {
        /// Sets the icon to an unused file uploaded to `icons`, or clears it.
        icon => icon, FieldsChannel::Icon
    }

    /// Hands a group to another member (its owner only).
    pub fn owner(mut self, owner: UserId) -> Self {
        self.body.owner = Some(owner);
        self
    }

    /// Marks it age-restricted or not.
    pub fn nsfw(mut self, nsfw: bool) -> Self {
        self.body.nsfw = Some(nsfw);
        self
    }

    /// Archives it or not.
    pub fn archived(mut self, archived: bool) -> Self {
        self.body.archived = Some(archived);
        self
    }

    /// Sets or clears the voice settings.
    pub fn voice(mut self, voice: Option<VoiceInformation>) -> Self {
        let b = &mut self.body;
        Patch::from(voice).write(&mut b.voice, &mut b.remove, FieldsChannel::Voice);
        self
    }

    /// Sets (seconds between a member's messages) or clears the slowmode.
    pub fn slowmode(mut self, seconds: Option<u64>) -> Self {
        let b = &mut self.body;
        Patch::from(seconds).write(&mut b.slowmode, &mut b.remove, FieldsChannel::Slowmode);
        self
    }

    /// Clears the channel's default permission override.
    pub fn clear_default_permissions(mut self) -> Self {
        if !self
            .body
            .remove
            .contains(&FieldsChannel::DefaultPermissions)
        {
            self.body.remove.push(FieldsChannel::DefaultPermissions);
        }
        self
    }
}

impl Client {
    /// Edits a channel.
    pub fn edit_channel(&self, channel: ChannelId) -> EditChannel {
        EditChannel::with_body(self.clone(), channel, ChannelEditBody::default())
    }
}
