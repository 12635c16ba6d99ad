//! `PUT /users/{user}/block`.

use ermine_model::id::UserId;
use ermine_model::user::User;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Blocks a user.
    ///
    /// # Errors
    /// `NotFound`; `NoEffect` (yourself, or already blocked).
    BlockUser { user: UserId } => User,
    BLOCK_USER
}

impl Client {
    /// Blocks a user.
    pub fn block_user(&self, user: UserId) -> BlockUser {
        BlockUser::new(self.clone(), user)
    }
}
