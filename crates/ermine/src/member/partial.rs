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
/// Each field is read by the accessor of the seed's name ([`nick`](Self::nick),
/// [`pronouns`](Self::pronouns), [`server_avatar`](Self::server_avatar),
/// [`role_ids`](Self::role_ids), [`timed_out_until`](Self::timed_out_until),
/// [`can_publish`](Self::can_publish), [`can_receive`](Self::can_receive)) and written by the
/// builder of the same name with `with_` (each takes a [`Patch`]: set, clear or leave alone).
///
/// It dereferences to [`BaseMember`]: the identity, the user's properties and every action
/// (no name here is also one of [`BaseMember`]'s, so each call means one thing).
/// Build one with [`BaseMember::partial`] to apply with
/// [`Member::locally_update`](super::Member::locally_update); the events offer one with each
/// member update.
///
/// ```
/// # fn demo(member: &ermine::BaseMember) {
/// use ermine::model::patch::Patch;
///
/// let partial = member
///     .partial()
///     .with_nick(Patch::Set("Caz".to_owned()))
///     .with_role_ids(Patch::Clear);
/// assert_eq!(partial.nick(), Patch::Set("Caz"));
/// assert_eq!(partial.pronouns(), Patch::Unset);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PartialMember {
    base: BaseMember,
    nickname: Patch<String>,
    pronouns: Patch<String>,
    avatar: Patch<File>,
    roles: Patch<Vec<RoleId>>,
    timeout: Patch<Timestamp>,
    can_publish: Patch<bool>,
    can_receive: Patch<bool>,
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

    /// The member pronouns' change.
    pub fn pronouns(&self) -> Patch<&str> {
        self.pronouns.as_ref().map(String::as_str)
    }

    /// The server avatar's change (stoat.py's `internal_server_avatar`).
    pub fn internal_server_avatar(&self) -> Patch<&File> {
        self.avatar.as_ref()
    }

    /// The server avatar's change.
    pub fn server_avatar(&self) -> Patch<&File> {
        self.avatar.as_ref()
    }

    /// The roles' change (stoat.py's `role_ids`): a set replaces them all, a clear empties
    /// them.
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

    /// Writes [`nick`](Self::nick).
    #[must_use]
    pub fn with_nick(mut self, nick: Patch<String>) -> Self {
        self.nickname = nick;
        self
    }

    /// Writes [`pronouns`](Self::pronouns).
    #[must_use]
    pub fn with_pronouns(mut self, pronouns: Patch<String>) -> Self {
        self.pronouns = pronouns;
        self
    }

    /// Writes [`server_avatar`](Self::server_avatar).
    #[must_use]
    pub fn with_server_avatar(mut self, avatar: Patch<File>) -> Self {
        self.avatar = avatar;
        self
    }

    /// Writes [`role_ids`](Self::role_ids).
    #[must_use]
    pub fn with_role_ids(mut self, roles: Patch<Vec<RoleId>>) -> Self {
        self.roles = roles;
        self
    }

    /// Writes [`timed_out_until`](Self::timed_out_until).
    #[must_use]
    pub fn with_timed_out_until(mut self, until: Patch<Timestamp>) -> Self {
        self.timeout = until;
        self
    }

    /// Writes [`can_publish`](Self::can_publish).
    #[must_use]
    pub fn with_can_publish(mut self, can: Patch<bool>) -> Self {
        self.can_publish = can;
        self
    }

    /// Writes [`can_receive`](Self::can_receive).
    #[must_use]
    pub fn with_can_receive(mut self, can: Patch<bool>) -> Self {
        self.can_receive = can;
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
