//! The compact forms the cache stores. A member keeps its user's ID (the key), not a copy
//! of the user; rarely set fields live behind one optional box.

use ermine_model::file::File;
use ermine_model::id::{RoleId, ServerId, UserId};
use ermine_model::user::{
    BotInformation, Relationship, RelationshipStatus, User, UserBadges, UserFlags, UserStatus,
};
use ermine_model::{MemberId, Timestamp};

use ermine_model::member::Member;

/// A cached member: 40 bytes plus what its rare fields need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedMember {
    joined_at: i64,
    roles: Box<[RoleId]>,
    extra: Option<Box<MemberExtra>>,
    can_publish: bool,
    can_receive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct MemberExtra {
    nickname: Option<Box<str>>,
    pronouns: Option<Box<str>>,
    avatar: Option<Box<File>>,
    timeout: Option<i64>,
}

impl CachedMember {
    pub(crate) fn from_member(m: &Member) -> Self {
        let rare = m.nickname.is_some()
            || m.pronouns.is_some()
            || m.avatar.is_some()
            || m.timeout.is_some();
        let extra = rare.then(|| {
            Box::new(MemberExtra {
                nickname: m.nickname.as_deref().map(Box::from),
                pronouns: m.pronouns.as_deref().map(Box::from),
                avatar: m.avatar.clone().map(Box::new),
                timeout: m.timeout.map(Timestamp::unix_millis),
            })
        });
        Self {
            joined_at: m.joined_at.unix_millis(),
            roles: m.roles.as_slice().into(),
            extra,
            can_publish: m.can_publish,
            can_receive: m.can_receive,
        }
    }

    pub(crate) fn to_member(&self, server: ServerId, user: UserId) -> Member {
        let mut m = Member::new(
            MemberId { server, user },
            Timestamp::from_unix_millis(self.joined_at),
        );
        m.roles = self.roles.to_vec();
        m.can_publish = self.can_publish;
        m.can_receive = self.can_receive;
        if let Some(extra) = &self.extra {
            m.nickname = extra.nickname.as_deref().map(str::to_owned);
            m.pronouns = extra.pronouns.as_deref().map(str::to_owned);
            m.avatar = extra.avatar.as_deref().cloned();
            m.timeout = extra.timeout.map(Timestamp::from_unix_millis);
        }
        m
    }

    pub(crate) fn strip_role(&mut self, role: RoleId) {
        if self.roles.contains(&role) {
            self.roles = self.roles.iter().copied().filter(|r| *r != role).collect();
        }
    }

    /// Approximate heap bytes beyond the struct itself.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.roles.len() * size_of::<RoleId>()
            + self.extra.as_ref().map_or(0, |e| {
                size_of::<MemberExtra>()
                    + e.nickname.as_ref().map_or(0, |s| s.len())
                    + e.pronouns.as_ref().map_or(0, |s| s.len())
                    + e.avatar.as_ref().map_or(0, |_| size_of::<File>())
            })
    }
}

/// A cached user: the common fields inline, the rare ones boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedUser {
    username: Box<str>,
    discriminator: [u8; 4],
    display_name: Option<Box<str>>,
    badges: UserBadges,
    flags: UserFlags,
    relationship: RelationshipStatus,
    bot_owner: Option<UserId>,
    extra: Option<Box<UserExtra>>,
    online: bool,
    privileged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct UserExtra {
    discriminator: Option<Box<str>>,
    pronouns: Option<Box<str>>,
    avatar: Option<Box<File>>,
    status: Option<Box<UserStatus>>,
    relations: Box<[Relationship]>,
}

impl CachedUser {
    pub(crate) fn from_user(u: &User) -> Self {
        let inline: Option<[u8; 4]> = u.discriminator.as_bytes().try_into().ok();
        let rare = inline.is_none()
            || u.pronouns.is_some()
            || u.avatar.is_some()
            || u.status.is_some()
            || !u.relations.is_empty();
        let extra = rare.then(|| {
            Box::new(UserExtra {
                discriminator: inline.is_none().then(|| Box::from(u.discriminator.as_str())),
                pronouns: u.pronouns.as_deref().map(Box::from),
                avatar: u.avatar.clone().map(Box::new),
                status: u.status.clone().map(Box::new),
                relations: u.relations.as_slice().into(),
            })
        });
        Self {
            username: Box::from(u.username.as_str()),
            discriminator: inline.unwrap_or_default(),
            display_name: u.display_name.as_deref().map(Box::from),
            badges: u.badges,
            flags: u.flags,
            relationship: u.relationship.clone(),
            bot_owner: u.bot.as_ref().map(|b| b.owner),
            extra,
            online: u.online,
            privileged: u.privileged,
        }
    }

    pub(crate) fn to_user(&self, id: UserId) -> User {
        let extra = self.extra.as_deref();
        let discriminator = extra
            .and_then(|e| e.discriminator.as_deref().map(str::to_owned))
            .unwrap_or_else(|| String::from_utf8_lossy(&self.discriminator).into_owned());
        User {
            id,
            username: self.username.to_string(),
            discriminator,
            display_name: self.display_name.as_deref().map(str::to_owned),
            pronouns: extra.and_then(|e| e.pronouns.as_deref().map(str::to_owned)),
            avatar: extra.and_then(|e| e.avatar.as_deref().cloned()),
            relations: extra.map(|e| e.relations.to_vec()).unwrap_or_default(),
            badges: self.badges,
            status: extra.and_then(|e| e.status.as_deref().cloned()),
            flags: self.flags,
            privileged: self.privileged,
            bot: self.bot_owner.map(|owner| BotInformation { owner }),
            relationship: self.relationship.clone(),
            online: self.online,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.username.len()
            + self.display_name.as_ref().map_or(0, |s| s.len())
            + self.extra.as_ref().map_or(0, |_| size_of::<UserExtra>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slim_forms_are_small_and_round_trip() {
        assert!(
            size_of::<CachedMember>() <= 40,
            "{}",
            size_of::<CachedMember>()
        );
        assert!(
            size_of::<CachedUser>() <= 112,
            "{}",
            size_of::<CachedUser>()
        );
        let json = r#"{"_id":{"server":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDGJKEQQDSY6RW2KHTPJQ"},"joined_at":"2026-11-24T08:58:11.926Z","nickname":"Bob","roles":["01M86CE2V81XCYGEGXRYKRWV6T"],"timeout":"2026-11-24T09:58:31.004Z","can_publish":false}"#;
        let member: Member = serde_json::from_str(json).unwrap();
        let slim = CachedMember::from_member(&member);
        assert_eq!(slim.to_member(member.id.server, member.id.user), member);
        let user: User = serde_json::from_str(r#"{"_id":"01M86CDGJKEQQDSY6RW2KHTPJQ","username":"bob","discriminator":"0042","display_name":"Bobby","badges":256,"status":{"text":"hi","presence":"Busy"},"bot":{"owner":"01M86CDEXVEC1T9JZGTPNYYWGV"},"relationship":"Friend","online":true}"#).unwrap();
        assert_eq!(CachedUser::from_user(&user).to_user(user.id), user);
    }
}
