//! `GET /servers/{server}/members_experimental_query`.

use ermine_model::id::ServerId;
use ermine_model::member::MemberQueryResponse;
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::{Client, Error};

/// Finds up to 10 members whose nickname (or username, without one) contains a string.
/// The server marks this route experimental.
///
/// # Errors
/// `NotFound` for an unknown server or when the caller is not a member.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct QueryMembers {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    query: String,
}

impl QueryMembers {
    #[allow(clippy::unnecessary_wraps)]
    fn build(&self) -> Result<RawRequest, Error> {
        Ok(
            RawRequest::new(&route::QUERY_MEMBERS, [self.server.to_string()])?
                .query("query", &self.query)
                .query("experimental_api", &true),
        )
    }
}

request!(QueryMembers => MemberQueryResponse);

impl Client {
    /// Searches a server's members by name.
    pub fn query_members(&self, server: ServerId, query: impl Into<String>) -> QueryMembers {
        QueryMembers {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            query: query.into(),
        }
    }
}
