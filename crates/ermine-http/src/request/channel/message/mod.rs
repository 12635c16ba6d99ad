//! `/channels/{channel}/messages`, search and acknowledgement.

pub mod ack;
pub mod edit;
pub mod fetch;
pub mod fetch_messages;
pub mod reaction;
pub mod search;
pub mod send;

pub use ack::AckMessage;
pub use edit::{BulkDeleteMessages, DeleteMessage, EditMessage, PinMessage, UnpinMessage};
pub use fetch::FetchMessage;
pub use fetch_messages::FetchMessages;
pub use reaction::{AddReaction, ClearReactions, RemoveReaction};
pub use search::SearchMessages;
pub use send::{ReplyTo, SendMessage};

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

/// The paging setters history and search share: `limit`, `before`, `after`, `include_users`.
macro_rules! paging_setters {
    () => {
        /// How many (1..=100; the server's default is 50).
        pub fn limit(mut self, limit: u8) -> Self {
            if let Err(e) = self.paging.limit(limit) {
                self.error.get_or_insert(e);
            }
            self
        }

        /// Only messages older than this one.
        pub fn before(mut self, message: ermine_model::id::MessageId) -> Self {
            self.paging.before = Some(message);
            self
        }

        /// Only messages newer than this one.
        pub fn after(mut self, message: ermine_model::id::MessageId) -> Self {
            self.paging.after = Some(message);
            self
        }

        /// Also return the authors (and their members in a server).
        pub fn include_users(mut self, include: bool) -> Self {
            self.paging.include_users = Some(include);
            self
        }
    };
}

pub(crate) use paging_setters;
