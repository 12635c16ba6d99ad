//! `GET /servers/{server}/bans`.

use ermine_model::id::ServerId;
use ermine_model::member::BanListResult;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Lists a server's bans and the banned users that still exist.
    ///
    /// # Errors
    /// `MissingPermission` (`BanMembers`), `NotFound`.
    FetchBans { server: ServerId } => BanListResult,
    FETCH_BANS
}

impl Client {
    /// Lists a server's bans.
    pub fn fetch_bans(&self, server: ServerId) -> FetchBans {
        FetchBans::new(self.clone(), server)
    }
}
