//! Accounts, sessions and onboarding: what a client needs to log in and set up a user.
//!
//! Tokens never appear in `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::id::{SessionId, UserId};
use crate::wire::tagged_enum;

/// A secret token; `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The secret itself, for headers.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// `POST /auth/session/login` answer, tagged by `result`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result")]
#[non_exhaustive]
pub enum LoginResponse {
    /// Logged in.
    Success(Session),
    /// A second factor is needed.
    #[serde(rename = "MFA")]
    Mfa(MfaRequired),
    /// The account is disabled.
    Disabled(DisabledAccount),
    /// A kind this version does not know, kept as sent (tokens included: do not log it).
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(LoginResponse, "result", {
    "Success" => Success(Session),
    "MFA" => Mfa(MfaRequired),
    "Disabled" => Disabled(DisabledAccount),
});

/// A logged-in session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Session ID.
    #[serde(rename = "_id")]
    pub id: SessionId,
    /// The user.
    pub user_id: UserId,
    /// Session token (`X-Session-Token`).
    pub token: Token,
    /// Device name.
    pub name: String,
    /// Last seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Timestamp>,
    /// Where the session was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Web push subscription, kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<serde_json::Value>,
}

/// Login needs a second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaRequired {
    /// Ticket to continue with.
    pub ticket: Token,
    /// Allowed methods, kept as sent.
    pub allowed_methods: Vec<String>,
}

/// The account is disabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisabledAccount {
    /// The user.
    pub user_id: UserId,
}

/// A session as listed by `GET /auth/session/all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Session ID.
    #[serde(rename = "_id")]
    pub id: SessionId,
    /// Device name.
    pub name: String,
}

/// `GET /auth/account/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// Account (and user) ID.
    #[serde(rename = "_id")]
    pub id: UserId,
    /// E-mail address.
    pub email: String,
}

/// `GET /onboard/hello`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnboardingStatus {
    /// Whether the user still has to pick a username.
    pub onboarding: bool,
}

/// A bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bot {
    /// Bot (and user) ID.
    #[serde(rename = "_id")]
    pub id: UserId,
    /// Owner.
    pub owner: UserId,
    /// Bot token (`X-Bot-Token`).
    pub token: Token,
    /// Whether anyone may invite it.
    pub public: bool,
    /// Permissions its managed role gets (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_permissions: Option<i64>,
    /// Analytics enabled.
    #[serde(default, skip_serializing_if = "crate::wire::is_false")]
    pub analytics: bool,
    /// Listed in discovery.
    #[serde(default, skip_serializing_if = "crate::wire::is_false")]
    pub discoverable: bool,
    /// Interactions URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interactions_url: String,
    /// Terms of service URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub terms_of_service_url: String,
    /// Privacy policy URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub privacy_policy_url: String,
    /// Flags.
    #[serde(default, skip_serializing_if = "crate::user::BotFlags::is_empty")]
    pub flags: crate::user::BotFlags,
}

/// `POST /bots/create` and `GET /bots/{id}`: the bot and its user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotWithUser {
    /// The bot.
    #[serde(flatten)]
    pub bot: Bot,
    /// Its user.
    pub user: crate::user::User,
}

/// `GET /bots/@me`: your bots and their users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedBots {
    /// Bots.
    pub bots: Vec<Bot>,
    /// Their users.
    pub users: Vec<crate::user::User>,
}

/// `GET /bots/{id}`: the bot and its user, nested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchBotResponse {
    /// The bot.
    pub bot: Bot,
    /// Its user.
    pub user: crate::user::User,
}

/// A URL as it may be shown in `Debug`, logs and error messages: user-info and the value of
/// a `token` query parameter replaced by `redacted`. Unparseable input is not shown at all.
///
/// ```
/// use ermine_model::auth::redact_url;
///
/// assert_eq!(
///     redact_url("wss://me:pw@h/events?version=1&token=abc"),
///     "wss://redacted:redacted@h/events?version=1&token=redacted"
/// );
/// ```
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "<unparseable URL>".to_owned();
    };
    if !parsed.username().is_empty() {
        let _ = parsed.set_username("redacted");
    }
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("redacted"));
    }
    if parsed.query_pairs().any(|(k, _)| k == "token") {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "token" { "redacted".into() } else { v };
                (k.into_owned(), v.into_owned())
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.into()
}
