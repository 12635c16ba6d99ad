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
    pub allowed_methods: Vec<MfaMethod>,
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
/// A secret in a body: `Debug` shows `<redacted>`.
macro_rules! redacted_debug {
    ($name:ident { $($field:ident),* } secret { $($secret:ident),* }) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), &self.$field))*
                    $(.field(stringify!($secret), &"<redacted>"))*
                    .finish()
            }
        }
    };
}
pub(crate) use redacted_debug;

/// Body of `POST /auth/session/login` (`DataLogin`): e-mail and password, or the second step
/// with an MFA ticket and its answer.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LoginBody {
    /// The first step.
    Password {
        /// E-mail.
        email: String,
        /// Password.
        password: String,
        /// Name of the new session.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        friendly_name: Option<String>,
    },
    /// The second step: the ticket a `MFA` answer gave, with a proof.
    Mfa {
        /// The ticket.
        mfa_ticket: String,
        /// The proof (a TOTP code, a recovery code or the password).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mfa_response: Option<MfaResponse>,
        /// Name of the new session.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        friendly_name: Option<String>,
    },
}

impl fmt::Debug for LoginBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Password {
                email,
                friendly_name,
                ..
            } => f
                .debug_struct("Password")
                .field("email", email)
                .field("password", &"<redacted>")
                .field("friendly_name", friendly_name)
                .finish(),
            Self::Mfa {
                mfa_response,
                friendly_name,
                ..
            } => f
                .debug_struct("Mfa")
                .field("mfa_ticket", &"<redacted>")
                .field("mfa_response", mfa_response)
                .field("friendly_name", friendly_name)
                .finish(),
        }
    }
}

/// A proof for a multi-factor step (`MFAResponse`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MfaResponse {
    /// The account's password.
    Password {
        /// The password.
        password: String,
    },
    /// A recovery code.
    Recovery {
        /// The code.
        recovery_code: String,
    },
    /// A TOTP code.
    Totp {
        /// The code.
        totp_code: String,
    },
}

impl fmt::Debug for MfaResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::Password { .. } => "Password",
            Self::Recovery { .. } => "Recovery",
            Self::Totp { .. } => "Totp",
        };
        write!(f, "{kind}(<redacted>)")
    }
}

crate::wire::string_enum! {
    /// A way to pass a multi-factor step.
    pub enum MfaMethod {
        /// The account's password.
        Password = "Password",
        /// A recovery code.
        Recovery = "Recovery",
        /// A TOTP code.
        Totp = "Totp",
    }
}

/// An MFA ticket (`MFATicket`): proof of a passed step, for account actions or a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaTicket {
    /// Its ID.
    #[serde(rename = "_id")]
    pub id: String,
    /// The account.
    pub account_id: UserId,
    /// The token to send as `X-MFA-Ticket`.
    pub token: Token,
    /// Whether it may be used for account actions.
    pub validated: bool,
    /// Whether it may be used to log in.
    pub authorised: bool,
    /// The TOTP code used to validate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_totp_code: Option<String>,
}

/// `GET /auth/mfa/` (`MultiFactorStatus`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaStatus {
    /// E-mail one-time codes.
    #[serde(default)]
    pub email_otp: bool,
    /// Trusted handover.
    #[serde(default)]
    pub trusted_handover: bool,
    /// E-mail MFA.
    #[serde(default)]
    pub email_mfa: bool,
    /// TOTP.
    #[serde(default)]
    pub totp_mfa: bool,
    /// Security keys.
    #[serde(default)]
    pub security_key_mfa: bool,
    /// Recovery codes exist.
    #[serde(default)]
    pub recovery_active: bool,
}

/// `POST /auth/mfa/totp`: a new TOTP secret (base32), to confirm with a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSecret {
    /// The secret.
    pub secret: Token,
}

/// `POST /auth/account/verify/{code}` (`ResponseVerify`): nothing, or a ticket to log in
/// with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResponse {
    /// An authorised ticket.
    pub ticket: MfaTicket,
}

/// Body of `POST /auth/account/create` (`DataCreateAccount`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccountBody {
    /// A valid e-mail address.
    pub email: String,
    /// The password (at least 8 characters).
    pub password: String,
    /// An invite code (instances that require one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<String>,
    /// A captcha answer (instances that require one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<String>,
}
redacted_debug!(CreateAccountBody { email, invite, captcha } secret { password });

/// Body of `POST /auth/account/reverify` and `POST /auth/account/reset_password`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailBody {
    /// The account's e-mail.
    pub email: String,
    /// A captcha answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<String>,
}

/// Body of `PUT /auth/account/delete` (`DataAccountDeletion`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeletionBody {
    /// The token from the confirmation e-mail.
    pub token: String,
}
redacted_debug!(AccountDeletionBody {} secret { token });

/// Body of `PATCH /auth/account/change/password` (`DataChangePassword`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePasswordBody {
    /// The new password.
    pub password: String,
    /// The current password.
    pub current_password: String,
}
redacted_debug!(ChangePasswordBody {} secret { password, current_password });

/// Body of `PATCH /auth/account/change/email` (`DataChangeEmail`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEmailBody {
    /// The new address.
    pub email: String,
    /// The current password.
    pub current_password: String,
}
redacted_debug!(ChangeEmailBody { email } secret { current_password });

/// Body of `PATCH /auth/account/reset_password` (`DataPasswordReset`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetBody {
    /// The token from the reset e-mail.
    pub token: String,
    /// The new password.
    pub password: String,
    /// Also log out every session.
    #[serde(default)]
    pub remove_sessions: bool,
}
redacted_debug!(PasswordResetBody { remove_sessions } secret { token, password });

/// Body of `PATCH /auth/session/{session}` (`DataEditSession`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditSessionBody {
    /// The session's new name.
    pub friendly_name: String,
}

/// Body of `POST /onboard/complete` (`DataOnboard`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnboardBody {
    /// The username (2..=32 characters: letters, digits, `_`, `.`, `-`).
    pub username: String,
}

/// Body of `POST /push/subscribe` (`WebPushSubscription`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebPushSubscription {
    /// The push service's endpoint.
    pub endpoint: String,
    /// The client's public key.
    pub p256dh: String,
    /// The shared authentication secret.
    pub auth: String,
}
redacted_debug!(WebPushSubscription { endpoint, p256dh } secret { auth });

/// Body of `POST /bots/create` (`DataCreateBot`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateBotBody {
    /// The bot's username (2..=32 characters: letters, digits, `_`, `.`, `-`).
    pub name: String,
}

crate::wire::string_enum! {
    /// Bot fields an edit can clear.
    pub enum FieldsBot {
        /// The token (regenerated).
        Token = "Token",
        /// The interactions URL.
        InteractionsURL = "InteractionsURL",
    }
}

/// Body of `PATCH /bots/{bot}` (`DataEditBot`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditBotBody {
    /// New username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether anyone may add it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// Whether analytics are gathered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<bool>,
    /// Interactions URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactions_url: Option<String>,
    /// Fields to clear (`Token` makes a new token).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsBot>,
}

/// `GET /bots/{bot}/invite` (`PublicBot`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicBot {
    /// The bot.
    #[serde(rename = "_id")]
    pub id: UserId,
    /// Its username.
    pub username: String,
    /// Its avatar's file ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Its profile text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of `POST /bots/{bot}/invite` (`InviteBotDestination`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum InviteBotDestination {
    /// A server.
    Server {
        /// The server.
        server: crate::id::ServerId,
    },
    /// A group.
    Group {
        /// The group.
        group: crate::id::ChannelId,
    },
}

/// Body of `POST /sync/settings/fetch` (`OptionsFetchSettings`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchSettingsBody {
    /// The keys wanted.
    pub keys: Vec<String>,
}

/// `POST /sync/settings/fetch`: each key's last change (ms since the epoch) and value.
pub type UserSettings = std::collections::HashMap<String, (i64, String)>;

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn secrets_in_bodies_and_answers_never_show_in_debug() {
        let call = crate::channel::JoinCallResponse {
            token: "livekit-secret-token".to_owned(),
            url: "wss://voice.example".to_owned(),
        };
        let moved: crate::event::UserMoveVoiceChannel = serde_json::from_value(serde_json::json!({
            "node": "worldwide",
            "from": "01F4MRH71A8J756GMQZ50PGNAM",
            "to": "01F4MRH71A8J756GMQZ50PGNAN",
            "token": "livekit-secret-token",
        }))
        .unwrap();
        let reset = super::PasswordResetBody {
            token: "reset-secret-token".to_owned(),
            password: "hunter2-password".to_owned(),
            remove_sessions: true,
        };
        for shown in [
            format!("{call:?}"),
            format!("{moved:?}"),
            format!("{reset:?}"),
        ] {
            assert!(shown.contains("<redacted>"), "{shown}");
            assert!(
                !shown.contains("secret") && !shown.contains("hunter2"),
                "{shown}"
            );
        }
        assert!(format!("{call:?}").contains("wss://voice.example"));
    }
}
