//! [`Channel`]: a channel and what can be done in it.

use ermine_http::request::channel::message::{
    FetchMessage, FetchMessages, SearchMessages, SendMessage,
};
use ermine_http::request::channel::{
    CreateInvite, DeleteChannel, EditChannel, FetchChannel, JoinCall,
};
use ermine_http::request::webhook::{CreateWebhook, FetchChannelWebhooks};
use ermine_model::id::{ChannelId, ServerId, UserId};
use ermine_model::message::BulkMessageResponse;
use ermine_model::permission::Permissions;
use ermine_model::permission::calculate::Explanation;

use crate::action::Action;
use crate::permissions::in_channel;
use crate::{Client, Error, Message, Server};

/// A channel, known by its ID, with the client to act through. Cheap to clone; what it holds
/// is read from the cache ([`model`](Self::model)) or fetched ([`fetch`](Self::fetch)).
#[derive(Clone)]
pub struct Channel {
    id: ChannelId,
    client: Client,
}

crate::identity::identity!(Channel { id });

/// Caches a channel the server answered with and returns its handle.
#[allow(clippy::needless_pass_by_value)] // the shape `Action`'s answer mapping takes
pub(crate) fn cache_channel(client: &Client, channel: ermine_model::channel::Channel) -> Channel {
    client.cache_backend().insert_channel(&channel);
    let id = channel.id().unwrap_or_else(ChannelId::sentinel);
    client.channel(id)
}

/// The messages of an answer, their users cached.
fn cache_messages(client: &Client, answer: BulkMessageResponse) -> Vec<Message> {
    let messages = match answer {
        BulkMessageResponse::JustMessages(messages) => messages,
        BulkMessageResponse::MessagesAndUsers {
            messages,
            users,
            members,
        } => {
            for user in &users {
                client.cache_backend().insert_user(user);
            }
            for member in members.iter().flatten() {
                client.cache_backend().insert_member(member);
            }
            messages
        }
    };
    messages
        .into_iter()
        .map(|m| Message::from_answer(client, m))
        .collect()
}

impl Channel {
    pub(crate) fn new(id: ChannelId, client: Client) -> Self {
        Self { id, client }
    }

    /// Its ID.
    pub fn id(&self) -> ChannelId {
        self.id
    }

    /// The client the handle acts through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The channel as cached.
    pub fn model(&self) -> Option<ermine_model::channel::Channel> {
        self.client.cache().channel(self.id)
    }

    /// The channel as cached, or [`Error::NotCached`].
    pub fn get(&self) -> Result<ermine_model::channel::Channel, Error> {
        self.model()
            .ok_or_else(|| Error::not_cached("channel", &self.id))
    }

    /// Fetches the channel (and caches it).
    pub fn fetch(&self) -> Action<FetchChannel, ermine_model::channel::Channel> {
        Action::new(
            &self.client,
            self.client.http().fetch_channel(self.id),
            |c, channel| {
                c.cache_backend().insert_channel(&channel);
                channel
            },
        )
    }

    /// Its server's ID, for a cached server channel.
    pub fn server_id(&self) -> Option<ServerId> {
        self.model()?.server()
    }

    /// Its server, for a cached server channel.
    pub fn server(&self) -> Option<Server> {
        self.server_id().map(|id| self.client.server(id))
    }

    /// Sends a message.
    ///
    /// # Errors
    /// `FailedValidation`, `NotFound`, `MissingPermission` (`SendMessage`, …), as
    /// [`SendMessage`] documents.
    pub fn send(&self, content: &str) -> Action<SendMessage, Message> {
        self.send_message().with(|m| m.content(content))
    }

    /// Sends a message configured on the builder (attachments, embeds, replies, masquerade,
    /// …) with [`with`](Action::with).
    pub fn send_message(&self) -> Action<SendMessage, Message> {
        Action::new(
            &self.client,
            self.client.http().send_message(self.id),
            Message::from_answer,
        )
    }

    /// Fetches one message.
    pub fn message(&self, id: ermine_model::id::MessageId) -> Action<FetchMessage, Message> {
        Action::new(
            &self.client,
            self.client.http().fetch_message(self.id, id),
            Message::from_answer,
        )
    }

    /// Fetches messages (newest first by default; paging, sorting and `include_users` on the
    /// builder). Users and members that come with them are cached.
    pub fn history(&self) -> Action<FetchMessages, Vec<Message>> {
        Action::new(
            &self.client,
            self.client.http().fetch_messages(self.id),
            cache_messages,
        )
    }

    /// Searches messages by text.
    pub fn search(&self, query: &str) -> Action<SearchMessages, Vec<Message>> {
        Action::new(
            &self.client,
            self.client.http().search_messages(self.id).query(query),
            cache_messages,
        )
    }

    /// Shows this account typing here until the guard is dropped (renewed while it lives).
    ///
    /// # Errors
    /// [`Error::NotConnected`] when the client has no events connection.
    pub fn typing(&self) -> Result<ermine_gateway::TypingGuard, Error> {
        let gateway = self.client.gateway().ok_or(Error::NotConnected)?;
        Ok(gateway.typing(self.id))
    }

    /// A user's permissions here, by the server's algorithm on what the cache holds.
    ///
    /// # Errors
    /// [`Error::NotCached`] when the channel (or its server) is not cached.
    pub fn permissions_of(&self, user: UserId) -> Result<Permissions, Error> {
        Ok(self.explain_permissions_of(user)?.value)
    }

    /// The same, step by step: which default, role or override decided each permission.
    ///
    /// # Errors
    /// As [`permissions_of`](Self::permissions_of).
    pub fn explain_permissions_of(&self, user: UserId) -> Result<Explanation, Error> {
        in_channel(&self.client, &self.get()?, user)
    }

    /// Creates an invite.
    pub fn create_invite(&self) -> Action<CreateInvite, ermine_model::invite::Invite> {
        Action::plain(&self.client, self.client.http().create_invite(self.id))
    }

    /// Its webhooks.
    pub fn webhooks(&self) -> Action<FetchChannelWebhooks, Vec<ermine_model::webhook::Webhook>> {
        Action::plain(
            &self.client,
            self.client.http().fetch_channel_webhooks(self.id),
        )
    }

    /// Creates a webhook.
    pub fn create_webhook(
        &self,
        name: &str,
    ) -> Action<CreateWebhook, ermine_model::webhook::Webhook> {
        Action::plain(
            &self.client,
            self.client.http().create_webhook(self.id, name),
        )
    }

    /// Asks to join its voice call: the LiveKit token and URL.
    pub fn join_call(&self) -> Action<JoinCall, ermine_model::channel::JoinCallResponse> {
        Action::plain(&self.client, self.client.http().join_call(self.id))
    }

    /// Joins its voice call (feature `voice`): [`join_call`](Self::join_call), then the
    /// LiveKit room at once.
    ///
    /// # Errors
    /// `join_call`'s, then [`Error::Voice`](crate::Error::Voice) when the room cannot be
    /// joined.
    #[cfg(feature = "voice")]
    #[cfg_attr(docsrs, doc(cfg(feature = "voice")))]
    pub fn connect(
        &self,
    ) -> crate::voice::Connect<Action<JoinCall, ermine_model::channel::JoinCallResponse>> {
        crate::voice::Connect::new(self.join_call())
    }

    /// Edits it (name, description, icon, nsfw, slowmode, … on the builder); the answer is
    /// cached.
    pub fn edit(&self) -> Action<EditChannel, Channel> {
        Action::new(
            &self.client,
            self.client.http().edit_channel(self.id),
            cache_channel,
        )
    }

    /// Deletes a server channel, closes a DM or leaves a group.
    pub fn delete(&self) -> Action<DeleteChannel, ()> {
        Action::plain(&self.client, self.client.http().delete_channel(self.id))
    }
}
