//! `/users`: users, profiles, relationships, DMs and default avatars.

use ermine_model::channel::Channel;
use ermine_model::id::UserId;
use ermine_model::user::{FlagResponse, MutualResponse, User, UserProfile};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Fetches a user as the caller sees it.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`Access`).
    FetchUser { user: UserId } => User,
    GET "/users/{user}"
}

path_request! {
    /// Fetches the caller's own user (with its relationships).
    FetchSelf {} => User,
    GET "/users/@me"
}

path_request! {
    /// Opens (or returns) the DM with a user; with yourself, your Saved Messages.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`SendMessage`: two humans who are not friends).
    OpenDm { user: UserId } => Channel,
    GET "/users/{user}/dm"
}

path_request! {
    /// The caller's DMs, groups and Saved Messages.
    FetchDms {} => Vec<Channel>,
    GET "/users/dms"
}

path_request! {
    /// A user's profile (text and background).
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ViewProfile`).
    FetchProfile { user: UserId } => UserProfile,
    GET "/users/{user}/profile"
}

path_request! {
    /// Friends, servers and DMs/groups the caller shares with a user.
    ///
    /// # Errors
    /// `InvalidOperation` (yourself); `NotFound`; `MissingPermission` (`ViewProfile`).
    FetchMutuals { user: UserId } => MutualResponse,
    GET "/users/{user}/mutual"
}

path_request! {
    /// A user's flags (suspended, deleted, banned, spam). Needs no token; unknown users
    /// have none.
    FetchUserFlags { user: UserId } => FlagResponse,
    GET "/users/{user}/flags", auth = false
}

path_request! {
    /// A user's default avatar, PNG bytes. Needs no token.
    FetchDefaultAvatar { user: UserId } => Vec<u8>,
    GET "/users/{user}/default_avatar", auth = false
}

path_request! {
    /// Blocks a user.
    ///
    /// # Errors
    /// `NotFound`; `NoEffect` (yourself, or already blocked).
    BlockUser { user: UserId } => User,
    PUT "/users/{user}/block"
}

path_request! {
    /// Unblocks a user.
    ///
    /// # Errors
    /// `NotFound`; `NoEffect` (not blocked).
    UnblockUser { user: UserId } => User,
    DELETE "/users/{user}/block"
}

path_request! {
    /// Removes a friend, or cancels or denies a friend request.
    ///
    /// # Errors
    /// `NotFound`; `IsBot`; `NoEffect` (no friendship or request).
    RemoveFriend { user: UserId } => User,
    DELETE "/users/{user}/friend"
}

impl Client {
    /// Fetches a user.
    pub fn fetch_user(&self, user: UserId) -> FetchUser {
        FetchUser::new(self.clone(), user)
    }

    /// Fetches your own user.
    pub fn fetch_self(&self) -> FetchSelf {
        FetchSelf::new(self.clone())
    }

    /// Opens the DM with a user.
    pub fn open_dm(&self, user: UserId) -> OpenDm {
        OpenDm::new(self.clone(), user)
    }

    /// Lists your DMs.
    pub fn fetch_dms(&self) -> FetchDms {
        FetchDms::new(self.clone())
    }

    /// Fetches a user's profile.
    pub fn fetch_profile(&self, user: UserId) -> FetchProfile {
        FetchProfile::new(self.clone(), user)
    }

    /// Fetches what you share with a user.
    pub fn fetch_mutuals(&self, user: UserId) -> FetchMutuals {
        FetchMutuals::new(self.clone(), user)
    }

    /// Fetches a user's flags.
    pub fn fetch_user_flags(&self, user: UserId) -> FetchUserFlags {
        FetchUserFlags::new(self.clone(), user)
    }

    /// Fetches a user's default avatar (PNG).
    pub fn fetch_default_avatar(&self, user: UserId) -> FetchDefaultAvatar {
        FetchDefaultAvatar::new(self.clone(), user)
    }

    /// The URL of a user's default avatar.
    pub fn default_avatar_url(&self, user: UserId) -> String {
        format!("{}/users/{user}/default_avatar", self.base_url())
    }

    /// Blocks a user.
    pub fn block_user(&self, user: UserId) -> BlockUser {
        BlockUser::new(self.clone(), user)
    }

    /// Unblocks a user.
    pub fn unblock_user(&self, user: UserId) -> UnblockUser {
        UnblockUser::new(self.clone(), user)
    }

    /// Removes a friend or friend request.
    pub fn remove_friend(&self, user: UserId) -> RemoveFriend {
        RemoveFriend::new(self.clone(), user)
    }
}
