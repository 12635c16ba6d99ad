//! `GET /users/{user}/dm`.

use ermine_model::channel::Channel;
use ermine_model::id::UserId;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Opens (or returns) the DM with a user; with yourself, your Saved Messages.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`SendMessage`: two humans who are not friends).
    OpenDm { user: UserId } => Channel,
    OPEN_DM
}

impl Client {
    /// Opens the DM with a user.
    pub fn open_dm(&self, user: UserId) -> OpenDm {
        OpenDm::new(self.clone(), user)
    }
}
