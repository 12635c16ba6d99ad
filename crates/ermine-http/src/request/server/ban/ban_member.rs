//! `PUT /servers/{server}/bans/{user}`.

use ermine_model::id::{ServerId, UserId};
use ermine_model::member::{BanCreateBody, ServerBan};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// Bans a user (member or not) from a server.
///
/// # Errors
/// `FailedValidation`, `NotFound`, `CannotRemoveYourself`, `InvalidOperation` (the owner),
/// `MissingPermission` (`BanMembers`), `NotElevated`, `DatabaseError` (already banned).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct BanMember {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    user: UserId,
    body: BanCreateBody,
    error: Option<ValidationError>,
}

impl BanMember {
    /// The ban's reason (≤ 1024 characters), shown in the ban list.
    pub fn reason(mut self, reason: &str) -> Self {
        if let Err(e) = validate::chars("reason", reason, 0, 1024) {
            self.error.get_or_insert(e);
        }
        self.body.reason = Some(reason.to_owned());
        self
    }

    /// Also deletes the user's messages of the last `seconds` (≤ 604800, 7 days).
    pub fn delete_message_seconds(mut self, seconds: u32) -> Self {
        if let Err(e) = validate::range("delete_message_seconds", i64::from(seconds), 0, 604_800) {
            self.error.get_or_insert(e);
        }
        self.body.delete_message_seconds = Some(seconds);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        RawRequest::new(
            &route::BAN,
            [self.server.to_string(), self.user.to_string()],
        )?
        .json(&self.body)
    }
}

request!(BanMember => ServerBan);

impl Client {
    /// Bans a user from a server.
    pub fn ban_member(&self, server: ServerId, user: UserId) -> BanMember {
        BanMember {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            user,
            body: BanCreateBody::default(),
            error: None,
        }
    }
}
