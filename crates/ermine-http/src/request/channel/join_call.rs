//! `POST /channels/{channel}/join_call`.

use ermine_model::channel::{JoinCallBody, JoinCallResponse};
use ermine_model::id::{ChannelId, UserId};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::{Client, Error};

/// Joins a voice channel; returns the voice server's token and URL.
///
/// # Errors
/// `LiveKitUnavailable`, `IsBot` (bots cannot force a disconnect), `NotFound`,
/// `NotAVoiceChannel`, `MissingPermission` (`Connect`), `CannotJoinCall` (full),
/// `UnknownNode`, `AlreadyConnected`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct JoinCall {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    body: JoinCallBody,
}

impl JoinCall {
    /// The voice node to use.
    pub fn node(mut self, node: &str) -> Self {
        self.body.node = Some(node.to_owned());
        self
    }

    /// Leaves any other call first.
    pub fn force_disconnect(mut self, force: bool) -> Self {
        self.body.force_disconnect = Some(force);
        self
    }

    /// Users to ring (DMs and groups, when you start the call).
    pub fn recipients(mut self, users: &[UserId]) -> Self {
        self.body.recipients = Some(users.to_vec());
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        RawRequest::new(&route::JOIN_CALL, [self.channel.to_string()])?.json(&self.body)
    }
}

request!(JoinCall => JoinCallResponse);

impl Client {
    /// Joins a voice channel.
    pub fn join_call(&self, channel: ChannelId) -> JoinCall {
        JoinCall {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            body: JoinCallBody::default(),
        }
    }
}
