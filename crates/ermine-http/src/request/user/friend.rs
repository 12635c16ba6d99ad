//! `PUT /users/{user}/friend` and `POST /users/friend`: friend requests.

use ermine_model::id::UserId;
use ermine_model::user::{FriendRequestBody, User};

use crate::Client;
use crate::request::{body_request, path_request, request};
use crate::validate;

path_request! {
    /// Accepts a user's friend request, or sends one.
    ///
    /// # Errors
    /// `NotFound`; `IsBot`; `NoEffect` (oneself); `AlreadyFriends`; `AlreadySentRequest`;
    /// `Blocked`; `BlockedByOther`; `TooManyPendingFriendRequests`.
    AddFriend { user: UserId } => User,
    ADD_FRIEND
}

body_request! {
    /// Sends a friend request to `username#discriminator`.
    ///
    /// # Errors
    /// As [`AddFriend`]; `FailedValidation`; `NotFound` for an unknown name.
    SendFriendRequest {} => User,
    SEND_FRIEND_REQUEST, FriendRequestBody
}

impl Client {
    /// Accepts a friend request from `user`, or sends one.
    pub fn add_friend(&self, user: UserId) -> AddFriend {
        AddFriend::new(self.clone(), user)
    }

    /// Sends a friend request to `username#discriminator`.
    pub fn send_friend_request(&self, username: &str) -> SendFriendRequest {
        let body = FriendRequestBody {
            username: username.to_owned(),
        };
        let mut request = SendFriendRequest::with_body(self.clone(), body);
        if !username.contains('#') {
            request.check(Err(validate::pattern_error(
                "username",
                "a username#discriminator",
            )));
        }
        request
    }
}
