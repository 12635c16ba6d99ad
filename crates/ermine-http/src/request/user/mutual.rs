//! `GET /users/{user}/mutual`.

use ermine_model::id::UserId;
use ermine_model::user::MutualResponse;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Friends, servers and DMs/groups the caller shares with a user.
    ///
    /// # Errors
    /// `InvalidOperation` (yourself); `NotFound`; `MissingPermission` (`ViewProfile`).
    FetchMutuals { user: UserId } => MutualResponse,
    FIND_MUTUAL
}

impl Client {
    /// Fetches what you share with a user.
    pub fn fetch_mutuals(&self, user: UserId) -> FetchMutuals {
        FetchMutuals::new(self.clone(), user)
    }
}
