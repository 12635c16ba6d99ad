//! One request type per route; the module tree mirrors the API's paths.
//!
//! Every request is a value: built by a [`Client`](crate::Client) method, configured with
//! its setters and the [`WithOptions`](crate::WithOptions) overrides, inspectable without the
//! network (`raw()`, `prepare()`), and sent by awaiting it once.

pub mod auth;
pub mod bot;
pub mod channel;
pub mod emoji;
pub mod file;
pub mod invite;
pub mod onboard;
pub mod root;
pub mod safety;
pub mod server;
pub mod sync;
pub mod user;
pub mod webhook;

pub use bot::{CreateBot, DeleteBot, EditBot, FetchBot, FetchOwnedBots, FetchPublicBot, InviteBot};
pub use onboard::{OnboardComplete, OnboardHello};
pub use root::FetchInstance;
pub use sync::{
    AcknowledgePolicyChanges, FetchSettings, FetchUnreads, PushSubscribe, PushUnsubscribe,
    SetSettings,
};

use std::future::Future;
use std::pin::Pin;

use ermine_model::route::{Auth, Bucket, Method, Route};
use serde::Serialize;

use crate::error::{Error, ErrorKind};

/// A request as a route sees it: method, path, query, route-specific headers, JSON body.
/// `Debug` shows the path as [`shown_path`](Self::shown_path) and no password.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct RawRequest {
    /// The API operation, from the route table (`None` for the file server).
    pub route: Option<&'static Route>,
    /// HTTP method.
    pub method: Method,
    /// Path from the API base, e.g. `/servers/01…/members`.
    pub path: String,
    /// Query parameters.
    pub query: Vec<(&'static str, String)>,
    /// Route-specific headers.
    pub headers: http::HeaderMap,
    /// JSON body.
    pub body: Option<serde_json::Value>,
    /// Whether the client's token is sent (public routes take none).
    pub auth: bool,
    /// Whether sending it twice is harmless (retried on server errors).
    pub idempotent: bool,
}

impl RawRequest {
    /// A request for `route` with its path parameters in the template's order; no query,
    /// headers or body.
    ///
    /// # Errors
    /// [`ErrorKind::Build`] when the parameters do not fit the template (wrong count, or an
    /// empty one).
    pub fn new<I>(route: &'static Route, parameters: I) -> Result<Self, Error>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let path = route
            .path(parameters)
            .map_err(|e| Error::new(ErrorKind::Build).with_source(e))?;
        Ok(Self {
            route: Some(route),
            method: route.method,
            path: path.into_string(),
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: None,
            auth: route.auth != Auth::Public,
            idempotent: route.idempotent(),
        })
    }

    /// A request to another service of the instance (the file server): no route of the API.
    pub(crate) fn outside_api(method: Method, path: String) -> Self {
        Self {
            route: None,
            method,
            path,
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: None,
            auth: true,
            idempotent: false,
        }
    }

    /// The path as logs and errors show it: a webhook's token is written `{token}`.
    pub fn shown_path(&self) -> std::borrow::Cow<'_, str> {
        self.route
            .map_or(std::borrow::Cow::Borrowed(self.path.as_str()), |route| {
                route.shown(&self.path)
            })
    }

    /// The bucket the server counts the request in and the resource that keys it.
    pub fn bucket(&self) -> (Bucket, &str) {
        Bucket::of(self.method, &self.path)
    }

    /// Adds a query parameter.
    #[must_use]
    pub fn query(mut self, name: &'static str, value: &impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Sets the JSON body.
    ///
    /// # Errors
    /// [`ErrorKind::Build`] when `body` cannot be written as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self, Error> {
        self.body = Some(
            serde_json::to_value(body).map_err(|e| Error::new(ErrorKind::Build).with_source(e))?,
        );
        Ok(self)
    }

    /// Sends no token.
    #[must_use]
    pub fn without_auth(mut self) -> Self {
        self.auth = false;
        self
    }
}

impl std::fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("path", &self.shown_path())
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &self.body.as_ref().map(shown_body))
            .field("auth", &self.auth)
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

/// Body fields that hold a secret.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "current_password",
    "totp_code",
    "recovery_code",
    "mfa_ticket",
    "token",
    "auth",
];

/// A JSON body as `Debug` shows it: the values of secret fields, at any depth, redacted.
pub(crate) fn shown_body(body: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match body {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let shown = if SECRET_FIELDS.contains(&k.as_str()) {
                        Value::from("<redacted>")
                    } else {
                        shown_body(v)
                    };
                    (k.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(shown_body).collect()),
        other => other.clone(),
    }
}

/// A JSON body's text as `Debug` shows it (text that is not JSON is not shown).
pub(crate) fn shown_body_text(body: &str) -> String {
    serde_json::from_str(body).map_or_else(
        |_| format!("<{} bytes>", body.len()),
        |value| shown_body(&value).to_string(),
    )
}

/// The future of a sent request.
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

/// How a successful answer's body becomes the request's output.
pub trait FromBody: Sized {
    /// Decodes the body.
    fn from_body(body: Vec<u8>) -> Result<Self, Error>;
}

impl FromBody for () {
    fn from_body(_: Vec<u8>) -> Result<Self, Error> {
        Ok(())
    }
}

/// Raw bytes (images).
impl FromBody for Vec<u8> {
    fn from_body(body: Vec<u8>) -> Result<Self, Error> {
        Ok(body)
    }
}

macro_rules! json_body {
    ($($ty:ty),* $(,)?) => {$(
        impl FromBody for $ty {
            fn from_body(body: Vec<u8>) -> Result<Self, Error> {
                ermine_model::decode::json(&body).map_err(Error::decode)
            }
        }
    )*};
}

json_body!(
    ermine_model::user::User,
    ermine_model::user::UserProfile,
    ermine_model::user::MutualResponse,
    ermine_model::user::FlagResponse,
    ermine_model::member::Member,
    ermine_model::member::MemberResponse,
    ermine_model::member::AllMemberResponse,
    ermine_model::member::MemberQueryResponse,
    ermine_model::member::ServerBan,
    ermine_model::member::BanListResult,
    ermine_model::audit::AuditLogQueryResponse,
    ermine_model::server::FetchServerResponse,
    ermine_model::server::Role,
    ermine_model::channel::Channel,
    Vec<ermine_model::channel::Channel>,
    ermine_model::channel::JoinCallResponse,
    ermine_model::message::Message,
    ermine_model::message::BulkMessageResponse,
    ermine_model::instance::InstanceConfig,
    ermine_model::file::UploadedFile,
    ermine_model::server::Server,
    ermine_model::server::CreateServerResponse,
    ermine_model::server::NewRoleResponse,
    ermine_model::invite::Invite,
    Vec<ermine_model::invite::Invite>,
    ermine_model::invite::InviteInfo,
    ermine_model::invite::InviteJoinResponse,
    ermine_model::emoji::Emoji,
    Vec<ermine_model::emoji::Emoji>,
    Vec<ermine_model::user::User>,
    ermine_model::webhook::Webhook,
    Vec<ermine_model::webhook::Webhook>,
    ermine_model::webhook::WebhookInfo,
    ermine_model::auth::BotWithUser,
    ermine_model::auth::PublicBot,
    ermine_model::auth::FetchBotResponse,
    ermine_model::auth::OwnedBots,
    ermine_model::auth::AccountInfo,
    Option<ermine_model::auth::VerifyResponse>,
    ermine_model::auth::LoginResponse,
    ermine_model::auth::SessionInfo,
    Vec<ermine_model::auth::SessionInfo>,
    ermine_model::auth::MfaTicket,
    ermine_model::auth::MfaStatus,
    Vec<String>,
    Vec<ermine_model::auth::MfaMethod>,
    ermine_model::auth::TotpSecret,
    ermine_model::auth::OnboardingStatus,
    ermine_model::auth::UserSettings,
    Vec<ermine_model::channel::ChannelUnread>,
);

/// Implements [`WithOptions`](crate::WithOptions), `raw()`, `prepare()` and `IntoFuture` for a
/// request type with `client`, `options` fields and a `build()` method.
macro_rules! request {
    ($name:ident => $out:ty) => {
        impl $crate::options::WithOptions for $name {
            fn options_mut(&mut self) -> &mut $crate::options::RequestOptions {
                &mut self.options
            }
        }

        impl $name {
            /// The request without the network: method, path, query, route headers, body.
            pub fn raw(&self) -> Result<$crate::request::RawRequest, $crate::Error> {
                self.build()
            }

            /// The request exactly as it would be sent, with the client's settings and this
            /// request's overrides applied.
            pub fn prepare(&self) -> Result<$crate::Prepared, $crate::Error> {
                self.client.prepare(&self.build()?, &self.options)
            }

            /// Sends the request like `.await` does and returns the answer's body undecoded:
            /// to decode it another way (a member list straight into a cache, say). A body
            /// decoded so that fails is reported with [`Error::decode`](crate::Error::decode).
            pub async fn body(self) -> Result<Vec<u8>, $crate::Error> {
                self.client.execute(&self.build()?, &self.options).await
            }
        }

        impl ::std::future::IntoFuture for $name {
            type Output = Result<$out, $crate::Error>;
            type IntoFuture = $crate::request::ResponseFuture<$out>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(async move {
                    let body = self.body().await?;
                    <$out as $crate::request::FromBody>::from_body(body)
                })
            }
        }
    };
}

/// A request whose only inputs are path parameters: the struct, its constructor, `build()`
/// and everything [`request!`] adds. The fields are the route's parameters, in order.
macro_rules! path_request {
    (
        $(#[$doc:meta])*
        $name:ident { $($field:ident : $fty:ty),* } => $out:ty,
        $route:ident
    ) => {
        $(#[$doc])*
        #[must_use = "requests do nothing until awaited"]
        #[derive(Debug)]
        pub struct $name {
            client: $crate::Client,
            options: $crate::options::RequestOptions,
            $($field: $fty,)*
        }

        impl $name {
            pub(crate) fn new(client: $crate::Client, $($field: $fty),*) -> Self {
                Self { client, options: $crate::options::RequestOptions::default(), $($field,)* }
            }

            fn build(&self) -> Result<$crate::request::RawRequest, $crate::Error> {
                $crate::request::RawRequest::new(
                    &::ermine_model::route::$route,
                    ::std::iter::empty::<String>()$(.chain([self.$field.to_string()]))*,
                )
            }
        }

        request!($name => $out);
    };
}

/// A request with path parameters and a JSON body of a model type: the struct (the body in
/// `body`, the first validation failure in `error`), `build()` and everything [`request!`]
/// adds. Setters are written per request; `check` records a validation result.
macro_rules! body_request {
    (
        $(#[$doc:meta])*
        $name:ident { $($field:ident : $fty:ty),* } => $out:ty,
        $route:ident, $body:ty
    ) => {
        $(#[$doc])*
        #[must_use = "requests do nothing until awaited"]
        #[derive(Debug)]
        pub struct $name {
            client: $crate::Client,
            options: $crate::options::RequestOptions,
            $($field: $fty,)*
            body: $body,
            error: Option<$crate::validate::ValidationError>,
        }

        impl $name {
            pub(crate) fn with_body(client: $crate::Client, $($field: $fty,)* body: $body) -> Self {
                Self {
                    client,
                    options: $crate::options::RequestOptions::default(),
                    $($field,)*
                    body,
                    error: None,
                }
            }

            /// Keeps the first validation failure; `build()` returns it.
            #[allow(dead_code)]
            fn check(&mut self, result: Result<(), $crate::validate::ValidationError>) {
                if let (Err(e), None) = (result, &self.error) {
                    self.error = Some(e);
                }
            }

            fn build(&self) -> Result<$crate::request::RawRequest, $crate::Error> {
                if let Some(e) = &self.error {
                    return Err(e.clone().into());
                }
                $crate::request::RawRequest::new(
                    &::ermine_model::route::$route,
                    ::std::iter::empty::<String>()$(.chain([self.$field.to_string()]))*,
                )?
                .json(&self.body)
            }
        }

        request!($name => $out);
    };
}

/// A tri-state text setter over `self.body`: `Some(v)` sets the field (after the length
/// check, when one is given), `None` clears it (names it in `remove`), never calling it leaves
/// it alone.
macro_rules! patch_setter {
    ($(#[$doc:meta])* $name:ident => $field:ident, $clear:expr $(, chars($min:expr, $max:expr))?) => {
        $(#[$doc])*
        pub fn $name(mut self, value: Option<&str>) -> Self {
            $(if let Some(v) = value {
                self.check($crate::validate::chars(stringify!($field), v, $min, $max));
            })?
            let b = &mut self.body;
            ::ermine_model::patch::Patch::from(value.map(str::to_owned))
                .write(&mut b.$field, &mut b.remove, $clear);
            self
        }
    };
}

pub(crate) use {body_request, patch_setter, path_request, request};
