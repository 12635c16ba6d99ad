//! `POST /channels/{channel}/join_call`.

use ermine_model::channel::JoinCallResponse;
use ermine_model::id::{ChannelId, UserId};
use ermine_model::route;
use serde_json::{Map, json};

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
    node: Option<String>,
    force_disconnect: Option<bool>,
    recipients: Option<Vec<UserId>>,
}

impl JoinCall {
    /// The voice node to use.
    pub fn node(mut self, node: &str) -> Self {
        self.node = Some(node.to_owned());
        self
    }

    /// Leaves any other call first.
    pub fn force_disconnect(mut self, force: bool) -> Self {
        self.force_disconnect = Some(force);
        self
    }

    /// Users to ring (DMs and groups, when you start the call).
    pub fn recipients(mut self, users: &[UserId]) -> Self {
        self.recipients = Some(users.to_vec());
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        let mut body = Map::new();
        if let Some(n) = &self.node {
            body.insert("node".to_owned(), json!(n));
        }
        if let Some(f) = self.force_disconnect {
            body.insert("force_disconnect".to_owned(), json!(f));
        }
        if let Some(r) = &self.recipients {
            body.insert("recipients".to_owned(), json!(r));
        }
        RawRequest::new(&route::JOIN_CALL, [self.channel.to_string()])?.json(&body)
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
            node: None,
            force_disconnect: None,
            recipients: None,
        }
    }
}
