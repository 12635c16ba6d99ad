//! `/onboard`: choosing a username after signing up.

use ermine_model::auth::{OnboardBody, OnboardingStatus};
use ermine_model::user::User;

use crate::Client;
use crate::request::{body_request, path_request, request};

path_request! {
    /// Whether the session's account still needs a username.
    ///
    /// # Errors
    /// `InvalidSession`.
    OnboardHello {} => OnboardingStatus,
    ONBOARD_HELLO
}

body_request! {
    /// Creates the account's user with a username.
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidUsername`; `UsernameTaken`; `AlreadyOnboarded`.
    OnboardComplete {} => User,
    ONBOARD_COMPLETE, OnboardBody
}

impl Client {
    /// Asks whether onboarding is needed.
    pub fn onboard_hello(&self) -> OnboardHello {
        OnboardHello::new(self.clone())
    }

    /// Completes onboarding with `username`.
    pub fn onboard_complete(&self, username: &str) -> OnboardComplete {
        let body = OnboardBody {
            username: username.to_owned(),
        };
        let mut request = OnboardComplete::with_body(self.clone(), body);
        request.check(crate::request::bot::username("username", username));
        request
    }
}
