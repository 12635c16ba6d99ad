//! `POST /servers/{server}/channels`.

use ermine_model::channel::{Channel, ChannelCreateBody, ServerChannelKind, VoiceInformation};
use ermine_model::id::ServerId;

use crate::Client;
use crate::request::{body_request, request};
use crate::validate;

body_request! {
    /// Creates a channel in a server.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageChannel`);
    /// `TooManyChannels`.
    CreateChannel { server: ServerId } => Channel,
    CREATE_CHANNEL, ChannelCreateBody
}

impl CreateChannel {
    /// Text (the default) or voice.
    pub fn kind(mut self, kind: ServerChannelKind) -> Self {
        self.body.kind = Some(kind);
        self
    }

    /// The description (≤ 1024 characters).
    pub fn description(mut self, description: &str) -> Self {
        self.check(validate::chars("description", description, 0, 1024));
        self.body.description = Some(description.to_owned());
        self
    }

    /// Marks it age-restricted.
    pub fn nsfw(mut self, nsfw: bool) -> Self {
        self.body.nsfw = Some(nsfw);
        self
    }

    /// Voice settings (a voice channel).
    pub fn voice(mut self, voice: VoiceInformation) -> Self {
        self.body.voice = Some(voice);
        self
    }
}

impl Client {
    /// Creates a channel named `name` (1..=32 characters) in a server.
    pub fn create_channel(&self, server: ServerId, name: &str) -> CreateChannel {
        let body = ChannelCreateBody {
            name: name.to_owned(),
            ..ChannelCreateBody::default()
        };
        let mut request = CreateChannel::with_body(self.clone(), server, body);
        request.check(validate::chars("name", name, 1, 32));
        request
    }
}
