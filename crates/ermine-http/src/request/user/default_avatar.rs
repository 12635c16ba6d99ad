//! `GET /users/{user}/default_avatar`.

use ermine_model::id::UserId;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// A user's default avatar, PNG bytes. Needs no token.
    FetchDefaultAvatar { user: UserId } => Vec<u8>,
    DEFAULT_AVATAR
}

impl Client {
    /// Fetches a user's default avatar (PNG).
    pub fn fetch_default_avatar(&self, user: UserId) -> FetchDefaultAvatar {
        FetchDefaultAvatar::new(self.clone(), user)
    }

    /// The URL of a user's default avatar.
    pub fn default_avatar_url(&self, user: UserId) -> String {
        format!("{}/users/{user}/default_avatar", self.base_url())
    }
}
