//! [`PartialMember`]: the fields an update set or cleared, with the member's identity.

use std::ops::Deref;

use ermine_model::Timestamp;
use ermine_model::file::File;
use ermine_model::id::RoleId;
use ermine_model::patch::Patch;

use super::BaseMember;

/// An update's fields, each left alone ([`Patch::Unset`]), cleared or set, with the
/// member's identity (stoat.py's `PartialMember`, whose `UNDEFINED` is `Unset`).
///
/// It dereferences to [`BaseMember`]: the identity, the user's properties and every action.
/// Build one with [`BaseMember::partial`] to apply with
/// [`Member::locally_update`](super::Member::locally_update); the events offer one with each
/// member update.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PartialMember {
    base: BaseMember,
    /// Nickname.
    pub nickname: Patch<String>,
    /// Member pronouns.
    pub pronouns: Patch<String>,
    /// Server avatar.
    pub avatar: Patch<File>,
    /// Roles (a set replaces them all; a clear empties them).
    pub roles: Patch<Vec<RoleId>>,
    /// Timeout.
    pub timeout: Patch<Timestamp>,
    /// Voice publish (a clear means `true`).
    pub can_publish: Patch<bool>,
    /// Voice receive (a clear means `true`).
    pub can_receive: Patch<bool>,
}

impl PartialEq for PartialMember {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base
            && self.nickname == other.nickname
            && self.pronouns == other.pronouns
            && self.avatar == other.avatar
            && self.roles == other.roles
            && self.timeout == other.timeout
            && self.can_publish == other.can_publish
            && self.can_receive == other.can_receive
    }
}

impl Deref for PartialMember {
    type Target = BaseMember;

    fn deref(&self) -> &BaseMember {
        &self.base
    }
}

impl BaseMember {
    /// An update of this member with every field left alone.
    pub fn partial(&self) -> PartialMember {
        PartialMember {
            base: self.clone(),
            nickname: Patch::Unset,
            pronouns: Patch::Unset,
            avatar: Patch::Unset,
            roles: Patch::Unset,
            timeout: Patch::Unset,
            can_publish: Patch::Unset,
            can_receive: Patch::Unset,
        }
    }
}

impl PartialMember {
    /// The nickname's change (stoat.py's `nick`).
    pub fn nick(&self) -> Patch<&str> {
        self.nickname.as_ref().map(String::as_str)
    }

    /// The server avatar's change (stoat.py's `internal_server_avatar`).
    pub fn internal_server_avatar(&self) -> Patch<&File> {
        self.avatar.as_ref()
    }

    /// The server avatar's change.
    pub fn server_avatar(&self) -> Patch<&File> {
        self.avatar.as_ref()
    }

    /// The roles' change (stoat.py's `role_ids`).
    pub fn role_ids(&self) -> Patch<&[RoleId]> {
        self.roles.as_ref().map(Vec::as_slice)
    }

    /// The timeout's change (stoat.py's `timed_out_until`).
    pub fn timed_out_until(&self) -> Patch<Timestamp> {
        self.timeout
    }

    /// The voice publish change (a clear means `true`).
    pub fn can_publish(&self) -> Patch<bool> {
        self.can_publish
    }

    /// The voice receive change (a clear means `true`).
    pub fn can_receive(&self) -> Patch<bool> {
        self.can_receive
    }

    /// Sets or clears the nickname (`None` clears).
    #[must_use]
    pub fn with_nickname(mut self, nickname: Option<&str>) -> Self {
        self.nickname = nickname.map(str::to_owned).into();
        self
    }

    /// Sets or clears the roles (`None` clears).
    #[must_use]
    pub fn with_roles(mut self, roles: Option<&[RoleId]>) -> Self {
        self.roles = roles.map(<[RoleId]>::to_vec).into();
        self
    }

    /// Sets or clears the timeout (`None` clears).
    #[must_use]
    pub fn with_timeout(mut self, until: Option<Timestamp>) -> Self {
        self.timeout = until.into();
        self
    }

    pub(crate) fn from_update(
        base: BaseMember,
        update: &ermine_model::event::ServerMemberUpdate,
    ) -> Self {
        use ermine_model::member::FieldsMember as F;
        fn pick<T>(value: Option<T>, cleared: bool) -> Patch<T> {
            match value {
                Some(v) => Patch::Set(v),
                None if cleared => Patch::Clear,
                None => Patch::Unset,
            }
        }
        let cleared = |field: F| update.clear.contains(&field);
        let d = update.data.clone();
        Self {
            base,
            nickname: pick(d.nickname, cleared(F::Nickname)),
            pronouns: pick(d.pronouns, cleared(F::Pronouns)),
            avatar: pick(d.avatar.map(|f| *f), cleared(F::Avatar)),
            roles: pick(d.roles, cleared(F::Roles)),
            timeout: pick(d.timeout, cleared(F::Timeout)),
            can_publish: pick(d.can_publish, cleared(F::CanPublish)),
            can_receive: pick(d.can_receive, cleared(F::CanReceive)),
        }
    }

    /// Applies the update to `m` by the model's one rule ([`ermine_model::member::apply_update`]).
    pub(crate) fn apply_to(&self, m: &mut ermine_model::member::Member) {
        use ermine_model::member::FieldsMember as F;
        let mut data = ermine_model::member::PartialMember::default();
        let mut clear = Vec::new();
        self.nickname
            .clone()
            .write(&mut data.nickname, &mut clear, F::Nickname);
        self.pronouns
            .clone()
            .write(&mut data.pronouns, &mut clear, F::Pronouns);
        self.avatar
            .clone()
            .map(Box::new)
            .write(&mut data.avatar, &mut clear, F::Avatar);
        self.roles
            .clone()
            .write(&mut data.roles, &mut clear, F::Roles);
        self.timeout
            .write(&mut data.timeout, &mut clear, F::Timeout);
        self.can_publish
            .write(&mut data.can_publish, &mut clear, F::CanPublish);
        self.can_receive
            .write(&mut data.can_receive, &mut clear, F::CanReceive);
        ermine_model::member::apply_update(m, &data, &clear);
    }
}
