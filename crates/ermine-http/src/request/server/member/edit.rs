//! `PATCH /servers/{server}/members/{member}`: edit a member, with each field left alone,
//! cleared or set.

use std::time::Duration;

use ermine_model::Timestamp;
use ermine_model::id::{ChannelId, RoleId, ServerId, UserId};
use ermine_model::member::Member;
use ermine_model::patch::Patch;
use ermine_model::route;
use serde_json::{Map, Value, json};

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// When a timeout ends: an instant, or a duration from when the request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    At(Timestamp),
    For(Duration),
}

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
    nickname: Patch<String>,
    pronouns: Patch<String>,
    avatar: Patch<String>,
    roles: Patch<Vec<RoleId>>,
    timeout: Patch<Until>,
    can_publish: Patch<bool>,
    can_receive: Patch<bool>,
    voice_channel: Patch<ChannelId>,
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
        self.nickname = nickname.map(str::to_owned).into();
        self
    }

    /// Sets (1..=24 characters) or clears the member pronouns (only your own).
    pub fn pronouns(mut self, pronouns: Option<&str>) -> Self {
        if let Some(p) = pronouns {
            self.check(validate::chars("pronouns", p, 1, 24));
        }
        self.pronouns = pronouns.map(str::to_owned).into();
        self
    }

    /// Sets the server avatar to an unused file uploaded to the `avatars` tag, or clears it.
    pub fn avatar(mut self, file_id: Option<&str>) -> Self {
        self.avatar = file_id.map(str::to_owned).into();
        self
    }

    /// Replaces the member's roles, or clears them all.
    pub fn roles(mut self, roles: Option<&[RoleId]>) -> Self {
        self.roles = roles.map(<[RoleId]>::to_vec).into();
        self
    }

    /// Times the member out until an instant (UTC), or lifts the timeout.
    pub fn timeout(mut self, until: Option<Timestamp>) -> Self {
        self.timeout = until.map(Until::At).into();
        self
    }

    /// Times the member out for `duration` from when the request is sent.
    pub fn timeout_for(mut self, duration: Duration) -> Self {
        self.timeout = Patch::Set(Until::For(duration));
        self
    }

    /// Server-wide voice mute (`false`), or back to the default (`None` clears: may speak).
    pub fn can_publish(mut self, can: Option<bool>) -> Self {
        self.can_publish = can.into();
        self
    }

    /// Server-wide voice deafen (`false`), or back to the default (`None` clears: may
    /// listen).
    pub fn can_receive(mut self, can: Option<bool>) -> Self {
        self.can_receive = can.into();
        self
    }

    /// Moves the member to a voice channel of the server, or disconnects it (`None`).
    pub fn voice_channel(mut self, channel: Option<ChannelId>) -> Self {
        self.voice_channel = channel.into();
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        let mut body = Map::new();
        let mut remove: Vec<&str> = Vec::new();
        let mut field = |name: &str, clear: &'static str, patch: Patch<Value>| match patch {
            Patch::Unset => {}
            Patch::Clear => remove.push(clear),
            Patch::Set(v) => {
                body.insert(name.to_owned(), v);
            }
        };
        field(
            "nickname",
            "Nickname",
            self.nickname.clone().map(Value::from),
        );
        field(
            "pronouns",
            "Pronouns",
            self.pronouns.clone().map(Value::from),
        );
        field("avatar", "Avatar", self.avatar.clone().map(Value::from));
        field("roles", "Roles", self.roles.clone().map(|r| json!(r)));
        field(
            "timeout",
            "Timeout",
            self.timeout.map(|until| {
                let at = match until {
                    Until::At(t) => t,
                    Until::For(d) => Timestamp::now().saturating_add(d),
                };
                json!(at)
            }),
        );
        field(
            "can_publish",
            "CanPublish",
            self.can_publish.map(Value::from),
        );
        field(
            "can_receive",
            "CanReceive",
            self.can_receive.map(Value::from),
        );
        field(
            "voice_channel",
            "VoiceChannel",
            self.voice_channel.map(|c| json!(c)),
        );
        if !remove.is_empty() {
            body.insert("remove".to_owned(), json!(remove));
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
            nickname: Patch::Unset,
            pronouns: Patch::Unset,
            avatar: Patch::Unset,
            roles: Patch::Unset,
            timeout: Patch::Unset,
            can_publish: Patch::Unset,
            can_receive: Patch::Unset,
            voice_channel: Patch::Unset,
            error: None,
        }
    }
}
