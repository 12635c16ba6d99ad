//! `GET /users/{user}`.

use ermine_model::id::UserId;
use ermine_model::user::User;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Fetches a user as the caller sees it.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`Access`).
    FetchUser { user: UserId } => User,
    FETCH_USER
}

impl Client {
    /// Fetches a user.
    pub fn fetch_user(&self, user: UserId) -> FetchUser {
        FetchUser::new(self.clone(), user)
    }
}
