//! `/channels/{channel}/messages`, search and acknowledgement.

pub mod ack;
pub mod fetch;
pub mod history;
pub mod search;
pub mod send;

use ermine_model::id::MessageId;
use ermine_model::message::MessageSort;

use crate::validate::{self, ValidationError};

/// Paging shared by history and search: limit (1..=100), before, after, sort, users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) limit: Option<u8>,
    pub(crate) before: Option<MessageId>,
    pub(crate) after: Option<MessageId>,
    pub(crate) sort: Option<MessageSort>,
    pub(crate) include_users: Option<bool>,
}

impl Paging {
    pub(crate) fn limit(&mut self, limit: u8) -> Result<(), ValidationError> {
        self.limit = Some(limit);
        validate::range("limit", i64::from(limit), 1, 100)
    }
}
