//! `DELETE /channels/{channel}`: delete a server channel, close a DM, or leave a group.

use ermine_model::id::ChannelId;
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::{Client, Error};

/// Deletes a server channel, closes a DM, or leaves a group (deleting it when the caller is
/// its last member).
///
/// # Errors
/// `NotFound`; `MissingPermission` (`ManageChannel`); `InvalidOperation` (saved messages).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct DeleteChannel {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    leave_silently: Option<bool>,
}

impl DeleteChannel {
    /// Leaves a group without the "user left" system message.
    pub fn leave_silently(mut self, silently: bool) -> Self {
        self.leave_silently = Some(silently);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        let raw = RawRequest::new(&route::DELETE_CHANNEL, [self.channel.to_string()])?;
        Ok(match self.leave_silently {
            Some(silently) => raw.query("leave_silently", &silently),
            None => raw,
        })
    }
}

request!(DeleteChannel => ());

impl Client {
    /// Deletes a server channel, closes a DM, or leaves a group.
    pub fn delete_channel(&self, channel: ChannelId) -> DeleteChannel {
        DeleteChannel {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            leave_silently: None,
        }
    }
}
