//! [`Context`]: one invocation of a command.

use std::time::Duration;

use ermine_http::request::channel::message::SendMessage;
use ermine_model::event::MessageReact;

use crate::action::Action;
use crate::event::Event;
use crate::{Channel, Client, Error, Member, Message, Server, User};

/// One invocation: the message that invoked the command, and what acting on it needs.
#[derive(Debug, Clone)]
pub struct Context {
    message: Message,
    command: String,
}

impl Context {
    pub(crate) fn new(message: Message, command: String) -> Self {
        Self { message, command }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        self.message.client()
    }

    /// The message that invoked the command.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// The command's name, as registered.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// Who invoked it.
    pub fn author(&self) -> User {
        self.message.author()
    }

    /// Who invoked it, as a member of the server (in a server channel).
    pub fn member(&self) -> Option<Member> {
        self.message.member()
    }

    /// Where it was invoked.
    pub fn channel(&self) -> Channel {
        self.message.channel()
    }

    /// The server it was invoked in (in a cached server channel).
    pub fn server(&self) -> Option<Server> {
        self.message
            .server_id()
            .map(|id| self.message.client().server(id))
    }

    /// Replies to the invoking message.
    pub fn reply(&self, content: &str) -> Action<SendMessage, Message> {
        self.message.reply(content)
    }

    /// Sends a message in the channel, not as a reply.
    pub fn send(&self, content: &str) -> Action<SendMessage, Message> {
        self.channel().send(content)
    }

    /// Shows this account typing in the channel until the guard is dropped.
    ///
    /// # Errors
    /// [`Error::NotConnected`] without the events connection.
    pub fn typing(&self) -> Result<ermine_gateway::TypingGuard, Error> {
        self.channel().typing()
    }

    /// Waits for the invoker's next message in this channel after the command (one that came
    /// before this call, while the handler was busy, counts too).
    ///
    /// # Errors
    /// [`Error::TimedOut`] when none came in time.
    pub async fn wait_for_reply(&self, timeout: Duration) -> Result<Message, Error> {
        let (author, channel, invoked) =
            (self.message.author, self.message.channel, self.message.id);
        let event = self
            .client()
            .wait_for(
                move |e| {
                    matches!(e, Event::Message(m)
                        if m.author == author && m.channel == channel && m.id > invoked)
                },
                timeout,
            )
            .await?;
        match event {
            Event::Message(message) => Ok(message),
            _ => Err(Error::TimedOut),
        }
    }

    /// Waits for the invoker to react to `message` (with any emoji; a reaction that came
    /// before this call counts too).
    ///
    /// # Errors
    /// [`Error::TimedOut`] when they did not in time.
    pub async fn wait_for_reaction(
        &self,
        message: &Message,
        timeout: Duration,
    ) -> Result<MessageReact, Error> {
        let (author, id) = (self.message.author, message.id);
        let event = self
            .client()
            .wait_for(
                move |e| matches!(e, Event::ReactionAdd(r) if r.user_id == author && r.id == id),
                timeout,
            )
            .await?;
        match event {
            Event::ReactionAdd(react) => Ok(react),
            _ => Err(Error::TimedOut),
        }
    }
}
