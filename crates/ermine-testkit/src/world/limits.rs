//! Per-user limits, as the real server's default configuration sets them: accounts younger
//! than [`NEW_USER_HOURS`] get the `new_user` set, everyone else the `default` set. `GET /`
//! advertises both from here.

use ermine_model::Timestamp;
use ermine_model::id::UserId;
use serde::Serialize;

use super::World;

/// How long an account counts as new.
pub(crate) const NEW_USER_HOURS: i64 = 72;

/// The limits that differ between new and established accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct UserLimits {
    /// Outgoing friend requests pending at once.
    pub(crate) outgoing_friend_requests: usize,
    /// Bots owned.
    pub(crate) bots: usize,
    /// Servers created or joined.
    pub(crate) servers: usize,
    /// Largest video stream in calls.
    pub(crate) video_resolution: [u32; 2],
}

/// Limits of accounts younger than [`NEW_USER_HOURS`].
pub(crate) const NEW_USER: UserLimits = UserLimits {
    outgoing_friend_requests: 5,
    bots: 2,
    servers: 50,
    video_resolution: [1080, 720],
};

/// Limits of every other account.
pub(crate) const DEFAULT: UserLimits = UserLimits {
    outgoing_friend_requests: 10,
    bots: 5,
    servers: 100,
    video_resolution: [1280, 720],
};

/// The limits that apply to `user` at `now` (by the account's age, read from its ID).
pub(crate) fn user_limits(user: UserId, now: Timestamp) -> &'static UserLimits {
    let age_ms = now.unix_millis() - user.created_at().unix_millis();
    if age_ms < NEW_USER_HOURS * 3_600_000 {
        &NEW_USER
    } else {
        &DEFAULT
    }
}

impl World {
    /// How many servers `user` is in.
    pub(crate) fn server_count(&self, user: UserId) -> usize {
        self.user_servers
            .get(&user)
            .map_or(0, std::collections::BTreeSet::len)
    }
}
