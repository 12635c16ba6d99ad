//! `GET /servers/{server}/members/{member}`.

use ermine_model::id::{ServerId, UserId};
use ermine_model::member::{Member, MemberResponse};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, path_request, request};
use crate::{Client, Error};

path_request! {
    /// Fetches one member.
    ///
    /// # Errors
    /// `NotFound` for an unknown server or member, or when the caller is not a member.
    FetchMember { server: ServerId, user: UserId } => Member,
    FETCH_MEMBER
}

/// Fetches one member with the roles it holds (`?roles=true`).
///
/// # Errors
/// As [`FetchMember`].
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct FetchMemberWithRoles {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    user: UserId,
}

impl FetchMemberWithRoles {
    #[allow(clippy::unnecessary_wraps)]
    fn build(&self) -> Result<RawRequest, Error> {
        Ok(RawRequest::new(
            &route::FETCH_MEMBER,
            [self.server.to_string(), self.user.to_string()],
        )?
        .query("roles", &true))
    }
}

request!(FetchMemberWithRoles => MemberResponse);

impl Client {
    /// Fetches a member.
    pub fn fetch_member(&self, server: ServerId, user: UserId) -> FetchMember {
        FetchMember::new(self.clone(), server, user)
    }

    /// Fetches a member and the roles it holds.
    pub fn fetch_member_with_roles(&self, server: ServerId, user: UserId) -> FetchMemberWithRoles {
        FetchMemberWithRoles {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            user,
        }
    }
}
