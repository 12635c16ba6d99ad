//! `DELETE /users/{user}/friend`.

use ermine_model::id::UserId;
use ermine_model::user::User;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Removes a friend, or cancels or denies a friend request.
    ///
    /// # Errors
    /// `NotFound`; `IsBot`; `NoEffect` (no friendship or request).
    RemoveFriend { user: UserId } => User,
    REMOVE_FRIEND
}

impl Client {
    /// Removes a friend or friend request.
    pub fn remove_friend(&self, user: UserId) -> RemoveFriend {
        RemoveFriend::new(self.clone(), user)
    }
}
