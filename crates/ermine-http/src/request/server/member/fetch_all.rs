//! `GET /servers/{server}/members`.

use ermine_model::id::ServerId;
use ermine_model::member::AllMemberResponse;
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::{Client, Error};

/// Fetches every member of a server and their users (join them by ID, not by position).
///
/// # Errors
/// `NotFound` for an unknown server or when the caller is not a member.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct FetchMembers {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    exclude_offline: Option<bool>,
}

impl FetchMembers {
    /// Leaves out members whose user is offline.
    pub fn exclude_offline(mut self, exclude: bool) -> Self {
        self.exclude_offline = Some(exclude);
        self
    }

    #[allow(clippy::unnecessary_wraps)]
    fn build(&self) -> Result<RawRequest, Error> {
        let mut raw = RawRequest::new(&route::FETCH_MEMBERS, [self.server.to_string()])?;
        if let Some(exclude) = self.exclude_offline {
            raw = raw.query("exclude_offline", &exclude);
        }
        Ok(raw)
    }
}

request!(FetchMembers => AllMemberResponse);

impl Client {
    /// Fetches all members of a server.
    pub fn fetch_members(&self, server: ServerId) -> FetchMembers {
        FetchMembers {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            exclude_offline: None,
        }
    }
}
