//! `GET /channels/{channel}/messages`.

use ermine_model::id::{ChannelId, MessageId};
use ermine_model::message::{BulkMessageResponse, MessageSort};
use ermine_model::route;

use super::{Paging, paging_setters};
use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// Fetches a channel's messages.
///
/// # Errors
/// `FailedValidation`, `InvalidOperation` (`Relevance` sort), `NotFound`,
/// `MissingPermission` (`ViewChannel`, `ReadMessageHistory`).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct FetchMessages {
    client: Client,
    options: RequestOptions,
    channel: ChannelId,
    paging: Paging,
    nearby: Option<MessageId>,
    error: Option<ValidationError>,
}

impl FetchMessages {
    paging_setters!();

    /// `Latest` (default) or `Oldest` first; `Relevance` is only for search.
    pub fn sort(mut self, sort: MessageSort) -> Self {
        if sort == MessageSort::Relevance {
            self.error
                .get_or_insert(validate::conflict("sort", "history (Relevance)"));
        }
        self.paging.sort = Some(sort);
        self
    }

    /// Messages around this one (before, after and sort are then ignored by the server).
    pub fn nearby(mut self, message: MessageId) -> Self {
        self.nearby = Some(message);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        let p = &self.paging;
        let mut raw = RawRequest::new(&route::MESSAGE_HISTORY, [self.channel.to_string()])?;
        if let Some(limit) = p.limit {
            raw = raw.query("limit", &limit);
        }
        if let Some(before) = p.before {
            raw = raw.query("before", &before);
        }
        if let Some(after) = p.after {
            raw = raw.query("after", &after);
        }
        if let Some(sort) = &p.sort {
            raw = raw.query("sort", &sort.as_str());
        }
        if let Some(nearby) = self.nearby {
            raw = raw.query("nearby", &nearby);
        }
        if let Some(include) = p.include_users {
            raw = raw.query("include_users", &include);
        }
        Ok(raw)
    }
}

request!(FetchMessages => BulkMessageResponse);

impl Client {
    /// Fetches a channel's messages.
    pub fn fetch_messages(&self, channel: ChannelId) -> FetchMessages {
        FetchMessages {
            client: self.clone(),
            options: RequestOptions::default(),
            channel,
            paging: Paging::default(),
            nearby: None,
            error: None,
        }
    }
}
