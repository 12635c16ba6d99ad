//! [`Message`]: a message and what can be done with it.

use std::ops::Deref;

use ermine_http::request::channel::message::{
    AddReaction, ClearReactions, DeleteMessage, EditMessage, PinMessage, RemoveReaction,
    SendMessage, UnpinMessage,
};
use ermine_model::id::ServerId;
use ermine_model::message::ReplyIntent;

use crate::action::Action;
use crate::member::Member;
use crate::{Channel, Client, User};

/// A message with the client to act through. Reads as the model's
/// [`Message`](ermine_model::message::Message) (`message.content`, `message.author`, …);
/// the methods act on it. Cheap to clone (the message is shared).
#[derive(Clone)]
pub struct Message {
    model: std::sync::Arc<ermine_model::message::Message>,
    client: Client,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.model.fmt(f)
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.model == other.model
    }
}

impl Deref for Message {
    type Target = ermine_model::message::Message;

    fn deref(&self) -> &Self::Target {
        &self.model
    }
}

impl Message {
    pub(crate) fn new(model: Box<ermine_model::message::Message>, client: Client) -> Self {
        Self {
            model: std::sync::Arc::from(model),
            client,
        }
    }

    /// The handle of a message the server answered with.
    pub(crate) fn from_answer(client: &Client, model: ermine_model::message::Message) -> Self {
        Self {
            model: std::sync::Arc::new(model),
            client: client.clone(),
        }
    }

    /// The client the handle acts through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The message as the API describes it.
    pub fn model(&self) -> &ermine_model::message::Message {
        &self.model
    }

    /// The message as the API describes it.
    pub fn into_model(self) -> ermine_model::message::Message {
        std::sync::Arc::unwrap_or_clone(self.model)
    }

    /// Its channel.
    pub fn channel(&self) -> Channel {
        self.client.channel(self.model.channel)
    }

    /// Its server, when its channel is a cached server channel.
    pub fn server_id(&self) -> Option<ServerId> {
        self.client.cache().channel(self.model.channel)?.server()
    }

    /// Its author.
    pub fn author(&self) -> User {
        self.client.user(self.model.author)
    }

    /// Its author as a member of the server: as cached, else as the message carried it.
    pub fn member(&self) -> Option<Member> {
        if let Some(server) = self.server_id()
            && let Some(member) = self.client.member(server, self.model.author)
        {
            return Some(member);
        }
        let carried = self.model.member.clone()?;
        Some(Member::new(carried, self.client.clone()))
    }

    /// Replies in the same channel, without mentioning the author (set `replies` with
    /// [`with`](Action::with) to mention).
    ///
    /// # Errors
    /// As [`Channel::send`].
    pub fn reply(&self, content: &str) -> Action<SendMessage, Message> {
        let reply = ReplyIntent::new(self.model.id, false);
        Action::new(
            &self.client,
            self.client
                .http()
                .send_message(self.model.channel)
                .content(content)
                .replies(&[reply]),
            Message::from_answer,
        )
    }

    /// Edits it (only its author can); set the new content with
    /// [`with`](Action::with)`(|e| e.content(..))`, or use [`edit_content`](Self::edit_content).
    pub fn edit(&self) -> Action<EditMessage, Message> {
        Action::new(
            &self.client,
            self.client
                .http()
                .edit_message(self.model.channel, self.model.id),
            Message::from_answer,
        )
    }

    /// Replaces its content.
    pub fn edit_content(&self, content: &str) -> Action<EditMessage, Message> {
        self.edit().with(|e| e.content(content))
    }

    /// Deletes it (its author, or with `ManageMessages`).
    pub fn delete(&self) -> Action<DeleteMessage, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .delete_message(self.model.channel, self.model.id),
        )
    }

    /// Reacts with an emoji (a Unicode emoji or a custom emoji's ID).
    pub fn react(&self, emoji: &str) -> Action<AddReaction, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .add_reaction(self.model.channel, self.model.id, emoji),
        )
    }

    /// Removes this account's reaction (or, with
    /// [`with`](Action::with)`(|r| r.user(..))`, someone else's).
    pub fn unreact(&self, emoji: &str) -> Action<RemoveReaction, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .remove_reaction(self.model.channel, self.model.id, emoji),
        )
    }

    /// Removes every reaction.
    pub fn clear_reactions(&self) -> Action<ClearReactions, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .clear_reactions(self.model.channel, self.model.id),
        )
    }

    /// Pins it.
    pub fn pin(&self) -> Action<PinMessage, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .pin_message(self.model.channel, self.model.id),
        )
    }

    /// Unpins it.
    pub fn unpin(&self) -> Action<UnpinMessage, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .unpin_message(self.model.channel, self.model.id),
        )
    }
}
