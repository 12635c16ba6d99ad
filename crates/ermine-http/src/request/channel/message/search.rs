//! `POST /channels/{channel}/search`.

use ermine_model::id::ChannelId;
use ermine_model::message::{BulkMessageResponse, MessageSearchBody, MessageSort};
use ermine_model::route;

use super::{Paging, paging_setters};
use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// Searches a channel's messages by text, or lists its pinned messages.
///
/// # Errors
/// `FailedValidation`, `IsBot` (bots cannot search), `InvalidOperation` (query and pinned
/// together), `NotFound`, `MissingPermission` (`ReadMessageHistory`).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct SearchMessages {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    query: Option<String>,
    pinned: Option<bool>,
    paging: Paging,
    error: Option<ValidationError>,
}

impl SearchMessages {
    paging_setters!();

    /// Full-text query (1..=64 characters); not together with [`pinned`](Self::pinned).
    pub fn query(mut self, query: &str) -> Self {
        if let Err(e) = validate::chars("query", query, 1, 64) {
            self.error.get_or_insert(e);
        }
        self.query = Some(query.to_owned());
        self
    }

    /// Only pinned (or unpinned) messages; not together with [`query`](Self::query).
    pub fn pinned(mut self, pinned: bool) -> Self {
        self.pinned = Some(pinned);
        self
    }

    /// Order (the server's default is `Relevance`).
    pub fn sort(mut self, sort: MessageSort) -> Self {
        self.paging.sort = Some(sort);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        if self.query.is_some() && self.pinned.is_some() {
            return Err(validate::conflict("query", "pinned").into());
        }
        let p = &self.paging;
        let body = MessageSearchBody {
            query: self.query.clone(),
            pinned: self.pinned,
            limit: p.limit,
            before: p.before,
            after: p.after,
            sort: p.sort.clone(),
            include_users: p.include_users,
        };
        RawRequest::new(&route::SEARCH_MESSAGES, [self.channel.to_string()])?.json(&body)
    }
}

request!(SearchMessages => BulkMessageResponse);

impl Client {
    /// Searches a channel's messages.
    pub fn search_messages(&self, channel: ChannelId) -> SearchMessages {
        SearchMessages {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            query: None,
            pinned: None,
            paging: Paging::default(),
            error: None,
        }
    }
}
