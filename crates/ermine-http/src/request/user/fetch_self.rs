//! `GET /users/@me`.

use ermine_model::user::User;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Fetches the caller's own user (with its relationships).
    FetchSelf {} => User,
    FETCH_SELF
}

impl Client {
    /// Fetches your own user.
    pub fn fetch_self(&self) -> FetchSelf {
        FetchSelf::new(self.clone())
    }
}
