//! The facade's error.

use std::fmt;

/// What went wrong in a facade call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A REST request failed.
    Http(ermine_http::Error),
    /// The events connection ended.
    Gateway(ermine_gateway::GatewayError),
    /// Something a property needs is not in the cache.
    NotCached {
        /// What is missing, e.g. `"server"`.
        what: &'static str,
        /// Its ID.
        id: String,
    },
    /// The instance has no events URL (set one or let discovery find it).
    NoEventsUrl,
    /// The action needs the events connection (typing), and the client is not connected.
    NotConnected,
    /// Nothing matched in time ([`Client::wait_for`](crate::Client::wait_for)).
    TimedOut,
    /// The account that logged in is disabled.
    Disabled(ermine_model::id::UserId),
    /// The server answered a login with something this version does not know (or a second
    /// challenge after one was answered).
    UnexpectedLogin,
    /// A record from the writer's event stream could not be read (a worker); it is
    /// acknowledged, since reading it again would not help.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    WorkerRecord(String),
    /// A worker was asked to connect without Redis (`build_shared` with a Redis URL).
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    NoRedis,
    /// Redis sharing could not be set up.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    Redis(ermine_redis::Error),
    /// A voice call could not be joined (after `join_call` answered), or ended.
    #[cfg(feature = "voice")]
    #[cfg_attr(docsrs, doc(cfg(feature = "voice")))]
    Voice(ermine_voice::VoiceError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Http(e) => write!(f, "{e}"),
            Self::Gateway(e) => write!(f, "{e}"),
            Self::NotCached { what, id } => write!(f, "{what} {id} is not in the cache"),
            Self::NoEventsUrl => f.write_str("no events URL is known"),
            Self::NotConnected => f.write_str("the client is not connected to the events server"),
            Self::TimedOut => f.write_str("nothing matched in time"),
            Self::Disabled(user) => write!(f, "the account of {user} is disabled"),
            Self::UnexpectedLogin => f.write_str("the server answered the login unexpectedly"),
            #[cfg(feature = "redis")]
            Self::WorkerRecord(e) => write!(f, "an event record could not be read: {e}"),
            #[cfg(feature = "redis")]
            Self::NoRedis => f.write_str("a worker needs Redis: build it with build_shared"),
            #[cfg(feature = "redis")]
            Self::Redis(e) => write!(f, "{e}"),
            #[cfg(feature = "voice")]
            Self::Voice(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Http(e) => Some(e),
            Self::Gateway(e) => Some(e),
            #[cfg(feature = "redis")]
            Self::Redis(e) => Some(e),
            #[cfg(feature = "voice")]
            Self::Voice(e) => Some(e),
            _ => None,
        }
    }
}

impl Error {
    /// `what` with this ID is not in the cache.
    pub(crate) fn not_cached(what: &'static str, id: &impl ToString) -> Self {
        Self::NotCached {
            what,
            id: id.to_string(),
        }
    }

    /// The REST failure, when this is one: its [`kind`](ermine_http::Error::kind) tells an
    /// API error, a rate limit, a validation refused before sending, a timeout, … apart.
    pub fn http(&self) -> Option<&ermine_http::Error> {
        match self {
            Self::Http(e) => Some(e),
            _ => None,
        }
    }

    /// The API error the server answered with, if any (match on its `type`).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) {
    /// use ermine::model::error::ApiError;
    ///
    /// match member.kick().await {
    ///     Ok(()) => {}
    ///     Err(e) if matches!(e.api(), Some(ApiError::NotElevated)) => {
    ///         println!("their top role is above mine");
    ///     }
    ///     Err(e) => println!("kick failed: {e}"),
    /// }
    /// # }
    /// ```
    pub fn api(&self) -> Option<&ermine_model::error::ApiError> {
        self.http().and_then(ermine_http::Error::api)
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.http().and_then(ermine_http::Error::status)
    }

    /// The server answered `NoEffect`: the change was already so.
    pub fn is_no_effect(&self) -> bool {
        self.http().is_some_and(ermine_http::Error::is_no_effect)
    }

    /// The token was refused (401).
    pub fn is_invalid_session(&self) -> bool {
        self.http()
            .is_some_and(ermine_http::Error::is_invalid_session)
    }

    /// The request was refused before sending (a value out of the API's bounds).
    pub fn is_validation(&self) -> bool {
        self.http()
            .is_some_and(|e| matches!(e.kind(), ermine_http::error::ErrorKind::Validation(_)))
    }
}

impl From<ermine_http::Error> for Error {
    fn from(value: ermine_http::Error) -> Self {
        Self::Http(value)
    }
}

#[cfg(feature = "voice")]
impl From<ermine_voice::VoiceError> for Error {
    fn from(value: ermine_voice::VoiceError) -> Self {
        Self::Voice(value)
    }
}

impl From<ermine_gateway::GatewayError> for Error {
    fn from(value: ermine_gateway::GatewayError) -> Self {
        Self::Gateway(value)
    }
}
