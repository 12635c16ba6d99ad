//! Voice calls (feature `voice`): [`Member::connect`](crate::BaseMember::connect) and
//! [`Channel::connect`](crate::Channel::connect) ask the Stoat server for a token and join its
//! LiveKit room in one `.await`, returning a [`VoiceConnection`]: who is in the call, their
//! audio as decoded PCM, a track of your own to publish PCM on (crate `ermine-voice`, pure
//! Rust, re-exported here).

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use ermine_http::request::channel::JoinCall;
use ermine_http::{RequestOptions, WithOptions};
use ermine_model::channel::JoinCallResponse;

use crate::{Action, DmRequest, Error};

pub use ermine_voice::*;

/// A `join_call` request of either kind (a channel's, a member's DM).
pub trait JoinRequest:
    IntoFuture<Output = Result<JoinCallResponse, Error>, IntoFuture: Send>
    + WithOptions
    + Send
    + 'static
{
    /// Configures the `join_call` builder.
    #[doc(hidden)]
    fn configure(self, configure: Box<dyn FnOnce(JoinCall) -> JoinCall + Send>) -> Self;
}

impl JoinRequest for DmRequest<JoinCall> {
    fn configure(self, configure: Box<dyn FnOnce(JoinCall) -> JoinCall + Send>) -> Self {
        self.with(configure)
    }
}

impl JoinRequest for Action<JoinCall, JoinCallResponse> {
    fn configure(self, configure: Box<dyn FnOnce(JoinCall) -> JoinCall + Send>) -> Self {
        self.with(configure)
    }
}

/// Joins a call: asks the Stoat server for a token (`join_call`, configured with
/// [`with`](Self::with) — `node`, `force_disconnect`, `recipients` — and per-request
/// [`WithOptions`]) and joins the LiveKit room with it at once, since it is valid for seconds.
/// From [`Member::connect`](crate::BaseMember::connect) (the DM's call) and
/// [`Channel::connect`](crate::Channel::connect).
///
/// ```no_run
/// # async fn demo(channel: ermine::Channel) -> Result<(), ermine::Error> {
/// use ermine::voice::{AudioFrame, VoiceOptions};
///
/// let call = channel.connect().with(|c| c.node("worldwide")).await?;
/// let mut mic = call.publish_audio("microphone").await?;
/// mic.send(&AudioFrame::silence()).await?;
/// call.leave().await;
/// # Ok(())
/// # }
/// ```
#[must_use = "calls are joined only when awaited"]
#[derive(Debug)]
pub struct Connect<Q> {
    join: Q,
    voice: VoiceOptions,
}

impl<Q: JoinRequest> Connect<Q> {
    pub(crate) fn new(join: Q) -> Self {
        Self {
            join,
            voice: VoiceOptions::default(),
        }
    }

    /// Configures the `join_call` request (e.g. `|c| c.node("worldwide")`).
    pub fn with(mut self, configure: impl FnOnce(JoinCall) -> JoinCall + Send + 'static) -> Self {
        self.join = self.join.configure(Box::new(configure));
        self
    }

    /// How the room is joined (time limits, queue sizes).
    pub fn voice_options(mut self, options: VoiceOptions) -> Self {
        self.voice = options;
        self
    }
}

impl<Q: JoinRequest> WithOptions for Connect<Q> {
    fn options_mut(&mut self) -> &mut RequestOptions {
        self.join.options_mut()
    }
}

impl<Q: JoinRequest> IntoFuture for Connect<Q> {
    type Output = Result<VoiceConnection, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let call = self.join.await?;
            VoiceConnection::connect(&call.url, &call.token, self.voice)
                .await
                .map_err(Error::Voice)
        })
    }
}
