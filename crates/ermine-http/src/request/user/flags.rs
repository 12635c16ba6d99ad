//! `GET /users/{user}/flags`.

use ermine_model::id::UserId;
use ermine_model::user::FlagResponse;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// A user's flags (suspended, deleted, banned, spam). Needs no token; unknown users
    /// have none.
    FetchUserFlags { user: UserId } => FlagResponse,
    FETCH_USER_FLAGS
}

impl Client {
    /// Fetches a user's flags.
    pub fn fetch_user_flags(&self, user: UserId) -> FetchUserFlags {
        FetchUserFlags::new(self.clone(), user)
    }
}
