//! [`Action`]: a request made by a handle, configured before one `.await`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use ermine_http::{RequestOptions, WithOptions};

use crate::{Client, Error};

/// A REST request of the lower crate: configured by [`WithOptions`], awaited to its value.
pub trait Request:
    IntoFuture<Output = Result<Self::Value, ermine_http::Error>, IntoFuture: Send>
    + WithOptions
    + Send
    + 'static
{
    /// What the server answers with.
    type Value: Send + 'static;
}

impl<R, V> Request for R
where
    R: IntoFuture<Output = Result<V, ermine_http::Error>, IntoFuture: Send>
        + WithOptions
        + Send
        + 'static,
    V: Send + 'static,
{
    type Value = V;
}

/// A request made by a handle: configured before one `.await`, answered with a handle (cached
/// first) and the facade's [`Error`].
///
/// Per-request options are set the one way every request has, [`WithOptions`] (audit-log
/// reason, timeout, retries, headers, another token, …); what is particular to this request
/// (a message's content, a role's colour, …) is set on the underlying request builder with
/// [`with`](Self::with).
///
/// ```no_run
/// # async fn demo(message: ermine::Message) -> Result<(), ermine::Error> {
/// use std::time::Duration;
/// use ermine::http::WithOptions;
///
/// let reply = message
///     .reply("pong")
///     .with(|send| send.silent(true))
///     .timeout(Duration::from_secs(5))
///     .await?;
/// reply.react("🏓").await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "requests do nothing until awaited"]
pub struct Action<R: Request, T> {
    request: R,
    client: Client,
    finish: Finish<R::Value, T>,
}

/// What turns the server's answer into the caller's value (caching it on the way).
type Finish<V, T> = Box<dyn FnOnce(&Client, V) -> T + Send>;

impl<R: Request + std::fmt::Debug, T> std::fmt::Debug for Action<R, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Action")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl<R: Request, T> Action<R, T> {
    /// A request whose answer `finish` turns into what the caller gets (caching it first).
    pub(crate) fn new(
        client: &Client,
        request: R,
        finish: impl FnOnce(&Client, R::Value) -> T + Send + 'static,
    ) -> Self {
        Self {
            request,
            client: client.clone(),
            finish: Box::new(finish),
        }
    }

    /// Configures the underlying request builder (its own fields: content, name, colour, …).
    pub fn with(mut self, configure: impl FnOnce(R) -> R) -> Self {
        self.request = configure(self.request);
        self
    }

    /// The underlying request builder, e.g. to inspect it with `raw()` or `prepare()`.
    pub fn request(&self) -> &R {
        &self.request
    }
}

impl<R: Request> Action<R, R::Value> {
    /// A request answered as the server answers it.
    pub(crate) fn plain(client: &Client, request: R) -> Self {
        Self::new(client, request, |_, value| value)
    }
}

impl<R: Request, T> WithOptions for Action<R, T> {
    fn options_mut(&mut self) -> &mut RequestOptions {
        self.request.options_mut()
    }
}

impl<R: Request, T: Send + 'static> IntoFuture for Action<R, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let Self {
            request,
            client,
            finish,
        } = self;
        let sent = request.into_future();
        Box::pin(async move {
            let value = sent.await?;
            Ok(finish(&client, value))
        })
    }
}

/// The setters of an underlying request builder, offered on the [`Action`] itself so a chain
/// reads as the builder's would (`channel.send("hi").silent(true).await`).
macro_rules! setters {
    ($($req:ty { $($name:ident($($arg:ident: $ty:ty),*);)* })*) => {$(
        /// The underlying builder's setters, each documented there.
        impl<T> Action<$req, T> {
            $(
                #[doc = concat!("As the request builder's `", stringify!($name), "`.")]
                pub fn $name(self, $($arg: $ty),*) -> Self {
                    self.with(|r| r.$name($($arg),*))
                }
            )*
        }
    )*};
}

use ermine_http::request::channel::EditChannel;
use ermine_http::request::channel::message::{
    EditMessage, FetchMessages, RemoveReaction, SearchMessages, SendMessage,
};
use ermine_http::request::safety::ReportContent;
use ermine_http::request::server::ban::BanMember;
use ermine_http::request::server::member::{EditMember, FetchMembers};
use ermine_http::request::server::role::EditRole;
use ermine_http::request::server::{CreateChannel, DeleteServer, EditServer, FetchServer};
use ermine_model::Timestamp;
use ermine_model::id::{ChannelId, MessageId, RoleId, UserId};
use ermine_model::message::{Masquerade, MessageSort, ReplyIntent};
use std::time::Duration;

setters! {
    SendMessage {
        content(content: &str);
        attachments(file_ids: &[&str]);
        replies(replies: &[ReplyIntent]);
        embeds(embeds: &[ermine_model::embed::SendableEmbed]);
        masquerade(masquerade: &Masquerade);
        interactions(interactions: &ermine_model::message::Interactions);
        flags(flags: u32);
        silent(silent: bool);
        mention_everyone(mention: bool);
        mention_online(mention: bool);
        nonce(nonce: String);
    }
    EditMessage {
        content(content: &str);
        embeds(embeds: &[ermine_model::embed::SendableEmbed]);
    }
    FetchMessages {
        limit(limit: u8);
        before(message: MessageId);
        after(message: MessageId);
        include_users(include: bool);
        sort(sort: MessageSort);
        nearby(message: MessageId);
    }
    SearchMessages {
        limit(limit: u8);
        before(message: MessageId);
        after(message: MessageId);
        include_users(include: bool);
        sort(sort: MessageSort);
        pinned(pinned: bool);
    }
    RemoveReaction {
        user(user: UserId);
        remove_all(all: bool);
    }
    EditMember {
        nickname(nickname: Option<&str>);
        pronouns(pronouns: Option<&str>);
        avatar(file_id: Option<&str>);
        roles(roles: Option<&[RoleId]>);
        timeout_until(until: Option<Timestamp>);
        timeout_for(duration: Duration);
        can_publish(can: Option<bool>);
        can_receive(can: Option<bool>);
        voice_channel(channel: Option<ChannelId>);
    }
    BanMember {
        reason(reason: &str);
        delete_message_seconds(seconds: u32);
    }
    FetchMembers {
        exclude_offline(exclude: bool);
    }
    FetchServer {
        include_channels(include: bool);
    }
    DeleteServer {
        leave_silently(silently: bool);
    }
    EditServer {
        name(name: &str);
        description(description: Option<&str>);
        icon(file_id: Option<&str>);
        banner(file_id: Option<&str>);
        analytics(analytics: bool);
        discoverable(discoverable: bool);
        owner(owner: UserId);
    }
    EditChannel {
        name(name: &str);
        description(description: Option<&str>);
        icon(file_id: Option<&str>);
        nsfw(nsfw: bool);
        archived(archived: bool);
        slowmode(seconds: Option<u64>);
        owner(owner: UserId);
    }
    EditRole {
        name(name: &str);
        colour(colour: Option<&str>);
        hoist(hoist: bool);
        icon(file_id: Option<&str>);
    }
    ReportContent {
        additional_context(context: &str);
    }
    CreateChannel {
        kind(kind: ermine_model::channel::ServerChannelKind);
        description(description: &str);
        nsfw(nsfw: bool);
    }
}
