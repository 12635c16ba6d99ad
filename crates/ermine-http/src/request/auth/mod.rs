//! `/auth`: accounts, sessions and multi-factor authentication.

pub mod account;
pub mod mfa;
pub mod session;

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
