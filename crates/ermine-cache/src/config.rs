//! What the cache keeps.

use bitflags::bitflags;

bitflags! {
    /// The kinds of objects the cache keeps.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct ResourceTypes: u16 {
        /// Users.
        const USERS = 1;
        /// Servers and their roles.
        const SERVERS = 1 << 1;
        /// Members.
        const MEMBERS = 1 << 2;
        /// Channels (server channels, DMs, groups).
        const CHANNELS = 1 << 3;
        /// Messages (up to the per-channel cap).
        const MESSAGES = 1 << 4;
    }
}

/// Settings of a [`Cache`](crate::Cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheConfig {
    /// What to keep (default: everything).
    pub resources: ResourceTypes,
    /// Messages kept per channel, newest last (default 100).
    pub messages_per_channel: usize,
    /// Whether full member lists are kept. After a reconnect, such lists are kept and their
    /// servers reported for a refresh ([`ReadySummary::refresh`](crate::ReadySummary));
    /// otherwise members the fresh `Ready` cannot vouch for are dropped.
    pub keep_member_lists: bool,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            resources: ResourceTypes::all(),
            messages_per_channel: 100,
            keep_member_lists: false,
        }
    }
}

impl CacheConfig {
    /// Keeps only these resource types.
    #[must_use]
    pub fn resources(mut self, resources: ResourceTypes) -> Self {
        self.resources = resources;
        self
    }

    /// Sets the per-channel message cap.
    #[must_use]
    pub fn messages_per_channel(mut self, cap: usize) -> Self {
        self.messages_per_channel = cap;
        self
    }

    /// Keeps full member lists across reconnects (to be refreshed by the caller).
    #[must_use]
    pub fn keep_member_lists(mut self, keep: bool) -> Self {
        self.keep_member_lists = keep;
        self
    }
}
