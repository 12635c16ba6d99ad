//! `/auth`: accounts, sessions and multi-factor authentication.

pub mod account;
pub mod mfa;
pub mod session;

pub use account::{
    ChangeEmail, ChangePassword, ConfirmAccountDeletion, CreateAccount, DeleteAccount,
    DisableAccount, FetchAccount, ResendVerification, ResetPassword, SendPasswordReset,
    VerifyEmail,
};
pub use mfa::{
    CreateMfaTicket, DisableTotp, EnableTotp, FetchMfaMethods, FetchMfaStatus, FetchRecoveryCodes,
    GenerateRecoveryCodes, GenerateTotpSecret,
};
pub use session::{EditSession, FetchSessions, Login, Logout, RevokeAllSessions, RevokeSession};

use crate::validate::{self, ValidationError};

/// A password the server may accept: 8..=1024 characters.
pub(crate) fn password(field: &'static str, password: &str) -> Result<(), ValidationError> {
    validate::chars(field, password, 8, 1024)
}

/// An e-mail address: something, `@`, something.
pub(crate) fn email(address: &str) -> Result<(), ValidationError> {
    match address.split_once('@') {
        Some((user, host)) if !user.is_empty() && !host.is_empty() => Ok(()),
        _ => Err(validate::pattern_error("email", "an e-mail address")),
    }
}
