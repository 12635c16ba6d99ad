//! Groups: `POST /channels/create`, `GET /channels/{group}/members`,
//! `PUT|DELETE /channels/{group}/recipients/{user}`.

use ermine_model::channel::{Channel, GroupCreateBody};
use ermine_model::id::{ChannelId, UserId};
use ermine_model::user::User;

use crate::Client;
use crate::request::{body_request, path_request, request};
use crate::validate;

body_request! {
    /// Creates a group with the caller and some friends.
    ///
    /// # Errors
    /// `FailedValidation`; `IsBot`; `GroupTooLarge`; `NotFriends` (a user who is not a
    /// friend); `NotFound`.
    CreateGroup {} => Channel,
    CREATE_GROUP, GroupCreateBody
}

impl CreateGroup {
    /// The description (≤ 1024 characters).
    pub fn description(mut self, description: &str) -> Self {
        self.check(validate::chars("description", description, 0, 1024));
        self.body.description = Some(description.to_owned());
        self
    }

    /// The icon: an unused file uploaded to `icons`.
    pub fn icon(mut self, file_id: &str) -> Self {
        self.body.icon = Some(file_id.to_owned());
        self
    }

    /// Friends to add.
    pub fn users(mut self, users: &[UserId]) -> Self {
        self.body.users = users.to_vec();
        self
    }

    /// Marks it age-restricted.
    pub fn nsfw(mut self, nsfw: bool) -> Self {
        self.body.nsfw = Some(nsfw);
        self
    }
}

path_request! {
    /// The members of a group.
    ///
    /// # Errors
    /// `NotFound`; `InvalidOperation` (not a group).
    FetchGroupMembers { group: ChannelId } => Vec<User>,
    FETCH_GROUP_MEMBERS
}

path_request! {
    /// Adds a friend to a group.
    ///
    /// # Errors
    /// `NotFound`; `InvalidOperation` (not a group); `MissingPermission` (`InviteOthers`);
    /// `AlreadyInGroup`; `GroupTooLarge`; `NotFriends`.
    AddGroupMember { group: ChannelId, user: UserId } => (),
    ADD_GROUP_MEMBER
}

path_request! {
    /// Removes a member from a group (its owner only).
    ///
    /// # Errors
    /// `NotFound`; `InvalidOperation` (not a group); `MissingPermission` (not the owner);
    /// `CannotRemoveYourself`; `NotInGroup`.
    RemoveGroupMember { group: ChannelId, user: UserId } => (),
    REMOVE_GROUP_MEMBER
}

impl Client {
    /// Creates a group named `name` (1..=32 characters).
    pub fn create_group(&self, name: &str) -> CreateGroup {
        let body = GroupCreateBody {
            name: name.to_owned(),
            ..GroupCreateBody::default()
        };
        let mut request = CreateGroup::with_body(self.clone(), body);
        request.check(validate::chars("name", name, 1, 32));
        request
    }

    /// Fetches the members of a group.
    pub fn fetch_group_members(&self, group: ChannelId) -> FetchGroupMembers {
        FetchGroupMembers::new(self.clone(), group)
    }

    /// Adds a friend to a group.
    pub fn add_group_member(&self, group: ChannelId, user: UserId) -> AddGroupMember {
        AddGroupMember::new(self.clone(), group, user)
    }

    /// Removes a member from a group.
    pub fn remove_group_member(&self, group: ChannelId, user: UserId) -> RemoveGroupMember {
        RemoveGroupMember::new(self.clone(), group, user)
    }
}
