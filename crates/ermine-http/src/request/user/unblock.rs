//! `DELETE /users/{user}/block`.

use ermine_model::id::UserId;
use ermine_model::user::User;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Unblocks a user.
    ///
    /// # Errors
    /// `NotFound`; `NoEffect` (not blocked).
    UnblockUser { user: UserId } => User,
    UNBLOCK_USER
}

impl Client {
    /// Unblocks a user.
    pub fn unblock_user(&self, user: UserId) -> UnblockUser {
        UnblockUser::new(self.clone(), user)
    }
}
