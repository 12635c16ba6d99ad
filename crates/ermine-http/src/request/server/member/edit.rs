//! `PATCH /servers/{server}/members/{member}`: edit a member, with each field left alone,
//! cleared or set.

use std::time::Duration;

use ermine_model::Timestamp;
use ermine_model::id::{ChannelId, RoleId, ServerId, UserId};
use ermine_model::member::{FieldsMember, Member, MemberEditBody};
use ermine_model::patch::Patch;
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// Edits a member. A setter never called leaves its field alone; `Some(v)` sets it; `None`
/// clears it (the field goes into the body's `remove` list). A later call replaces an earlier
/// one, so setting after clearing sets.
///
/// ```no_run
/// # async fn demo(client: ermine_http::Client, server: ermine_model::id::ServerId, user: ermine_model::id::UserId) -> Result<(), ermine_http::Error> {
/// use std::time::Duration;
/// use ermine_http::WithOptions;
///
/// client
///     .edit_member(server, user)
///     .nickname(Some("Bobby"))
///     .roles(None)                                  // clear all roles
///     .timeout_for(Duration::from_secs(600))
///     .audit_log_reason("spam")
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// In the server's order: `FailedValidation`; `NotFound`; `MissingPermission`
/// (`ChangeNickname`/`ManageNicknames`, `ChangeAvatar`/`RemoveAvatars`, `AssignRoles`,
/// `TimeoutMembers`, `MuteMembers`, `DeafenMembers`, `MoveMembers`, `Connect`);
/// `InvalidOperation` (someone else's pronouns or avatar, moving and disconnecting at once);
/// `CannotTimeoutYourself`; `IsElevated` (the target may time out others);
/// `LiveKitUnavailable`; `UnknownChannel`; `NotConnected`; `NotElevated` (the target, or a
/// role being added, ranks as high as the caller or higher); `InvalidRole`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct EditMember {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    user: UserId,
    body: MemberEditBody,
    /// A timeout for a duration, made an instant when the request is built.
    timeout_for: Option<Duration>,
    error: Option<ValidationError>,
}

impl EditMember {
    fn check(&mut self, result: Result<(), ValidationError>) {
        if let (Err(e), None) = (result, &self.error) {
            self.error = Some(e);
        }
    }

    /// Sets (1..=32 characters) or clears the nickname.
    pub fn nickname(mut self, nickname: Option<&str>) -> Self {
        if let Some(n) = nickname {
            self.check(validate::chars("nickname", n, 1, 32));
        }
        let b = &mut self.body;
        Patch::from(nickname.map(str::to_owned)).write(
            &mut b.nickname,
            &mut b.remove,
            FieldsMember::Nickname,
        );
        self
    }

    /// Sets (1..=24 characters) or clears the member pronouns (only your own).
    pub fn pronouns(mut self, pronouns: Option<&str>) -> Self {
        if let Some(p) = pronouns {
            self.check(validate::chars("pronouns", p, 1, 24));
        }
        let b = &mut self.body;
        Patch::from(pronouns.map(str::to_owned)).write(
            &mut b.pronouns,
            &mut b.remove,
            FieldsMember::Pronouns,
        );
        self
    }

    /// Sets the server avatar to an unused file uploaded to the `avatars` tag, or clears it.
    pub fn avatar(mut self, file_id: Option<&str>) -> Self {
        let b = &mut self.body;
        Patch::from(file_id.map(str::to_owned)).write(
            &mut b.avatar,
            &mut b.remove,
            FieldsMember::Avatar,
        );
        self
    }

    /// Replaces the member's roles, or clears them all.
    pub fn roles(mut self, roles: Option<&[RoleId]>) -> Self {
        let b = &mut self.body;
        Patch::from(roles.map(<[RoleId]>::to_vec)).write(
            &mut b.roles,
            &mut b.remove,
            FieldsMember::Roles,
        );
        self
    }

    /// Times the member out until an instant (UTC), or lifts the timeout (`None`). Named
    /// apart from [`WithOptions::timeout`](crate::WithOptions::timeout), the request's own
    /// time limit.
    pub fn timeout_until(mut self, until: Option<Timestamp>) -> Self {
        self.timeout_for = None;
        let b = &mut self.body;
        Patch::from(until).write(&mut b.timeout, &mut b.remove, FieldsMember::Timeout);
        self
    }

    /// Times the member out for `duration` from when the request is sent.
    pub fn timeout_for(mut self, duration: Duration) -> Self {
        let b = &mut self.body;
        Patch::Unset.write(&mut b.timeout, &mut b.remove, FieldsMember::Timeout);
        self.timeout_for = Some(duration);
        self
    }

    /// Server-wide voice mute (`false`), or back to the default (`None` clears: may speak).
    pub fn can_publish(mut self, can: Option<bool>) -> Self {
        let b = &mut self.body;
        Patch::from(can).write(&mut b.can_publish, &mut b.remove, FieldsMember::CanPublish);
        self
    }

    /// Server-wide voice deafen (`false`), or back to the default (`None` clears: may
    /// listen).
    pub fn can_receive(mut self, can: Option<bool>) -> Self {
        let b = &mut self.body;
        Patch::from(can).write(&mut b.can_receive, &mut b.remove, FieldsMember::CanReceive);
        self
    }

    /// Moves the member to a voice channel of the server, or disconnects it (`None`).
    pub fn voice_channel(mut self, channel: Option<ChannelId>) -> Self {
        let b = &mut self.body;
        Patch::from(channel).write(
            &mut b.voice_channel,
            &mut b.remove,
            FieldsMember::VoiceChannel,
        );
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        let mut body = self.body.clone();
        if let Some(duration) = self.timeout_for {
            body.timeout = Some(Timestamp::now().saturating_add(duration));
        }
        RawRequest::new(
            &route::EDIT_MEMBER,
            [self.server.to_string(), self.user.to_string()],
        )?
        .json(&body)
    }
}

request!(EditMember => Member);

impl Client {
    /// Edits a member.
    pub fn edit_member(&self, server: ServerId, user: UserId) -> EditMember {
        EditMember {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            user,
            body: MemberEditBody::default(),
            timeout_for: None,
            error: None,
        }
    }
}
