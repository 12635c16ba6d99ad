//! `GET /users/dms`.

use ermine_model::channel::Channel;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// The caller's DMs, groups and Saved Messages.
    FetchDms {} => Vec<Channel>,
    FETCH_DMS
}

impl Client {
    /// Lists your DMs.
    pub fn fetch_dms(&self) -> FetchDms {
        FetchDms::new(self.clone())
    }
}
