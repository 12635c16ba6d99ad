//! `GET /servers/{server}/audit_logs`.

use ermine_model::audit::AuditLogQueryResponse;
use ermine_model::id::{ServerId, UserId};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// Queries a server's audit log: entries newest first (at most 100 per request, 50 by
/// default), with the users and members they name.
///
/// # Errors
/// `FailedValidation` (refused before sending for a limit outside 1–100), `NotFound`,
/// `MissingPermission` (`ViewAuditLogs`).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct FetchAuditLogs {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    user: Option<UserId>,
    target: Option<UserId>,
    types: Vec<String>,
    before: Option<String>,
    after: Option<String>,
    limit: Option<i64>,
    error: Option<ValidationError>,
}

impl FetchAuditLogs {
    /// Only what this user did.
    pub fn user(mut self, user: UserId) -> Self {
        self.user = Some(user);
        self
    }

    /// Only what was done to this user.
    pub fn target(mut self, user: UserId) -> Self {
        self.target = Some(user);
        self
    }

    /// Only entries of this type (as [`AuditLogAction::kind`](ermine_model::audit::AuditLogAction::kind)
    /// names it, e.g. `MemberKick`); call again for more types.
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.types.push(kind.into());
        self
    }

    /// Only entries older than this entry ID.
    pub fn before(mut self, entry: impl Into<String>) -> Self {
        self.before = Some(entry.into());
        self
    }

    /// Only entries newer than this entry ID.
    pub fn after(mut self, entry: impl Into<String>) -> Self {
        self.after = Some(entry.into());
        self
    }

    /// At most this many entries (1–100).
    pub fn limit(mut self, limit: i64) -> Self {
        if let Err(e) = validate::range("limit", limit, 1, 100) {
            self.error.get_or_insert(e);
        }
        self.limit = Some(limit);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        let mut raw = RawRequest::new(&route::FETCH_AUDIT_LOGS, [self.server.to_string()])?;
        if let Some(user) = self.user {
            raw = raw.query("user", &user);
        }
        if let Some(target) = self.target {
            raw = raw.query("target", &target);
        }
        for kind in &self.types {
            raw = raw.query("type", kind);
        }
        if let Some(before) = &self.before {
            raw = raw.query("before", before);
        }
        if let Some(after) = &self.after {
            raw = raw.query("after", after);
        }
        if let Some(limit) = self.limit {
            raw = raw.query("limit", &limit);
        }
        Ok(raw)
    }
}

request!(FetchAuditLogs => AuditLogQueryResponse);

impl Client {
    /// Queries a server's audit log (see [`FetchAuditLogs`] for the filters).
    pub fn fetch_audit_logs(&self, server: ServerId) -> FetchAuditLogs {
        FetchAuditLogs {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            user: None,
            target: None,
            types: Vec::new(),
            before: None,
            after: None,
            limit: None,
            error: None,
        }
    }
}
