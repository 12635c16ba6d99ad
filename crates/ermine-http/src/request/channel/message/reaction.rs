//! `/channels/{channel}/messages/{message}/reactions`: react, unreact, clear.

use ermine_model::id::{ChannelId, MessageId, UserId};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, path_request, request};
use crate::{Client, Error};

/// Adds the caller's reaction: a Unicode emoji or a custom emoji's ID.
///
/// # Errors
/// `NotFound`; `MissingPermission` (`React`); `InvalidOperation` (reactions restricted, or
/// 20 different ones already).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct AddReaction {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    message: MessageId,
    emoji: String,
}

impl AddReaction {
    fn build(&self) -> Result<RawRequest, Error> {
        RawRequest::new(
            &route::ADD_REACTION,
            [
                self.channel.to_string(),
                self.message.to_string(),
                self.emoji.clone(),
            ],
        )
    }
}

request!(AddReaction => ());

/// Removes a reaction: the caller's, another user's (`user`, needs `ManageMessages`), or
/// everyone's (`remove_all`).
///
/// # Errors
/// `NotFound`; `MissingPermission` (`React`, or `ManageMessages` for others').
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct RemoveReaction {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    message: MessageId,
    emoji: String,
    user: Option<UserId>,
    remove_all: Option<bool>,
}

impl RemoveReaction {
    /// Removes this user's reaction instead of the caller's.
    pub fn user(mut self, user: UserId) -> Self {
        self.user = Some(user);
        self
    }

    /// Removes everyone's reaction with this emoji.
    pub fn remove_all(mut self, all: bool) -> Self {
        self.remove_all = Some(all);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        let mut raw = RawRequest::new(
            &route::REMOVE_REACTION,
            [
                self.channel.to_string(),
                self.message.to_string(),
                self.emoji.clone(),
            ],
        )?;
        if let Some(user) = self.user {
            raw = raw.query("user_id", &user);
        }
        if let Some(all) = self.remove_all {
            raw = raw.query("remove_all", &all);
        }
        Ok(raw)
    }
}

request!(RemoveReaction => ());

path_request! {
    /// Removes every reaction from a message.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageMessages`).
    ClearReactions { channel: ChannelId, message: MessageId } => (),
    CLEAR_REACTIONS
}

impl Client {
    /// Reacts to a message with `emoji`: a Unicode emoji or a custom emoji's ID.
    pub fn add_reaction(&self, channel: ChannelId, message: MessageId, emoji: &str) -> AddReaction {
        AddReaction {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            message,
            emoji: emoji.to_owned(),
        }
    }

    /// Removes a reaction from a message.
    pub fn remove_reaction(
        &self,
        channel: ChannelId,
        message: MessageId,
        emoji: &str,
    ) -> RemoveReaction {
        RemoveReaction {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            message,
            emoji: emoji.to_owned(),
            user: None,
            remove_all: None,
        }
    }

    /// Removes every reaction from a message.
    pub fn clear_reactions(&self, channel: ChannelId, message: MessageId) -> ClearReactions {
        ClearReactions::new(self.clone(), channel, message)
    }
}
