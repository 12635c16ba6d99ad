//! `GET /users/{user}/profile`.

use ermine_model::id::UserId;
use ermine_model::user::UserProfile;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// A user's profile (text and background).
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ViewProfile`).
    FetchProfile { user: UserId } => UserProfile,
    FETCH_PROFILE
}

impl Client {
    /// Fetches a user's profile.
    pub fn fetch_profile(&self, user: UserId) -> FetchProfile {
        FetchProfile::new(self.clone(), user)
    }
}
