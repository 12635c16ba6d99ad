//! Requests sent to the DM channel with a member, resolved when awaited.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use ermine_http::{RequestOptions, WithOptions};
use ermine_model::id::ChannelId;

use super::BaseMember;
use crate::Error;

type Make<R> = Box<dyn FnOnce(&ermine_http::Client, ChannelId) -> R + Send>;
type Configure<R> = Box<dyn FnOnce(R) -> R + Send>;

/// A request to the DM channel with a member, configured before one `.await`.
///
/// Awaiting it finds the DM channel (from the cache, else by opening it with
/// [`channel_options`](Self::channel_options): stoat.py's `channel_http_overrides`), then sends
/// the request with this request's own options ([`WithOptions`]) and whatever
/// [`with`](Self::with) configured on the underlying request builder.
///
/// ```no_run
/// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
/// use ermine::http::{RequestOptions, WithOptions};
///
/// let sent = member
///     .send("hello")
///     .with(|m| m.silent(true).nonce("greeting-1"))
///     .channel_options(RequestOptions::default())
///     .header("X-Trace", "42")
///     .await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "requests do nothing until awaited"]
pub struct DmRequest<R> {
    member: BaseMember,
    channel_options: RequestOptions,
    options: RequestOptions,
    make: Make<R>,
    configure: Configure<R>,
}

impl<R> std::fmt::Debug for DmRequest<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DmRequest")
            .field("member", &self.member.id())
            .field("channel_options", &self.channel_options)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<R: Send + 'static> DmRequest<R> {
    pub(crate) fn new(
        member: BaseMember,
        make: impl FnOnce(&ermine_http::Client, ChannelId) -> R + Send + 'static,
    ) -> Self {
        Self {
            member,
            channel_options: RequestOptions::default(),
            options: RequestOptions::default(),
            make: Box::new(make),
            configure: Box::new(|request| request),
        }
    }

    /// Options for opening the DM channel when it is not cached (stoat.py's
    /// `channel_http_overrides`).
    pub fn channel_options(mut self, options: RequestOptions) -> Self {
        self.channel_options = options;
        self
    }

    /// Configures the underlying request builder (e.g. `|m| m.limit(10)` on a history
    /// request); calls compose in order.
    pub fn with(mut self, configure: impl FnOnce(R) -> R + Send + 'static) -> Self {
        let before = self.configure;
        self.configure = Box::new(move |request| configure(before(request)));
        self
    }
}

impl<R> WithOptions for DmRequest<R> {
    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

impl<R, T> IntoFuture for DmRequest<R>
where
    R: WithOptions + IntoFuture<Output = Result<T, ermine_http::Error>> + Send + 'static,
    R::IntoFuture: Send,
    T: 'static,
{
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let channel = self.member.dm_channel_lookup(self.channel_options).await?;
            let request = (self.make)(self.member.client().http(), channel).options(self.options);
            Ok((self.configure)(request).await?)
        })
    }
}

type Finish<T> = fn(&BaseMember, ChannelId) -> Result<T, Error>;

/// Something done with the DM channel of a member once its ID is known: found in the cache,
/// else opened with this request's options ([`WithOptions`]: stoat.py's
/// `channel_http_overrides`) and cached.
///
/// ```no_run
/// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
/// use std::time::Duration;
/// use ermine::http::WithOptions;
///
/// let channel = member.fetch_channel_id().timeout(Duration::from_secs(5)).await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "lookups do nothing until awaited"]
pub struct DmLookup<T> {
    member: BaseMember,
    options: RequestOptions,
    /// Fails with [`Error::NotConnected`] before any request without the events connection.
    needs_connection: bool,
    finish: Finish<T>,
}

impl<T> std::fmt::Debug for DmLookup<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DmLookup")
            .field("member", &self.member.id())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T> DmLookup<T> {
    pub(crate) fn new(member: BaseMember, finish: Finish<T>) -> Self {
        Self {
            member,
            options: RequestOptions::default(),
            needs_connection: false,
            finish,
        }
    }

    /// A lookup for something sent on the events connection: without one, it fails at once.
    pub(crate) fn on_connection(member: BaseMember, finish: Finish<T>) -> Self {
        Self {
            needs_connection: true,
            ..Self::new(member, finish)
        }
    }
}

impl<T> WithOptions for DmLookup<T> {
    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

impl<T: Send + 'static> IntoFuture for DmLookup<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.needs_connection && self.member.client().gateway().is_none() {
                return Err(Error::NotConnected);
            }
            let channel = self.member.dm_channel_lookup(self.options).await?;
            (self.finish)(&self.member, channel)
        })
    }
}
