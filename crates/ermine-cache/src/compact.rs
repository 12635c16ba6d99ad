//! The compact forms the cache stores. A member keeps its user's ID (the key), not a copy
//! of the user; rarely set fields live behind one optional box.

use ermine_model::file::{File, FileMetadata, ImageMetadata};
use ermine_model::id::{RoleId, ServerId, UserId};
use ermine_model::user::{
    BotInformation, Presence, Relationship, RelationshipStatus, User, UserBadges, UserFlags,
    UserStatus,
};
use ermine_model::{MemberId, Timestamp};

use ermine_model::member::{FieldsMember, Member, PartialMember};

use std::sync::Arc;

/// A file's ID read as a ULID (files are not a type of ID the API names; the model's ID
/// type is the ULID codec).
type FileUlid = ermine_model::id::Id<File>;

/// Short text (names, nicknames, file names): up to 15 bytes inline in its 16, longer ones on
/// the heap. Most names are short, so most users and members hold no string allocation.
type Text = ecow::EcoString;

/// Heap bytes of a [`Text`] holding `s` (none when inline; the shared buffer's header else).
fn heap_len(s: &str) -> usize {
    if s.len() <= 15 { 0 } else { 16 + s.len() }
}

/// A role list shared by every member holding exactly these roles (a thin pointer).
pub(crate) type SharedRoles = Arc<Box<[RoleId]>>;

/// Role lists shared between members: each distinct list is stored once.
#[derive(Debug, Default)]
pub(crate) struct RoleLists {
    /// Found by their contents: a lookup reads the table and the list it points to.
    lists:
        std::collections::HashSet<Interned, std::hash::BuildHasherDefault<crate::hash::IdHasher>>,
}

/// A shared list in [`RoleLists`], hashed and compared as its roles, so the set is searched
/// with a plain slice.
#[derive(Debug)]
struct Interned(SharedRoles);

impl std::borrow::Borrow<[RoleId]> for Interned {
    fn borrow(&self) -> &[RoleId] {
        &self.0
    }
}

impl std::hash::Hash for Interned {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0[..].hash(state);
    }
}

impl PartialEq for Interned {
    fn eq(&self, other: &Self) -> bool {
        self.0[..] == other.0[..]
    }
}

impl Eq for Interned {}

impl RoleLists {
    /// The shared list equal to `roles` (`None` for no roles).
    pub(crate) fn intern(&mut self, roles: &[RoleId]) -> Option<SharedRoles> {
        if roles.is_empty() {
            return None;
        }
        if let Some(Interned(shared)) = self.lists.get(roles) {
            return Some(Arc::clone(shared));
        }
        let shared: SharedRoles = Arc::new(roles.into());
        self.lists.insert(Interned(Arc::clone(&shared)));
        Some(shared)
    }

    /// Forgets lists no member holds any more.
    pub(crate) fn prune(&mut self) {
        self.lists.retain(|l| Arc::strong_count(&l.0) > 1);
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.lists
            .iter()
            .map(|l| l.0.len() * size_of::<RoleId>() + 48)
            .sum::<usize>()
            + self.lists.capacity() * (size_of::<Interned>() + 1)
    }
}

/// A cached member: 40 bytes plus what its rare fields need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedMember {
    joined_at: i64,
    roles: Option<SharedRoles>,
    /// Shared: the before and after snapshots of a change are reference counts, and an
    /// update copies the rare fields only when a snapshot still holds them.
    extra: Option<std::sync::Arc<MemberExtra>>,
    can_publish: bool,
    can_receive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct MemberExtra {
    nickname: Option<Text>,
    /// Rare: a thin pointer keeps the box at 40 bytes.
    pronouns: Option<Box<Box<str>>>,
    avatar: Option<StoredFile>,
    /// Milliseconds; `i64::MIN` for none.
    timeout: i64,
}

impl Default for MemberExtra {
    fn default() -> Self {
        Self {
            nickname: None,
            pronouns: None,
            avatar: None,
            timeout: i64::MIN,
        }
    }
}

impl CachedMember {
    pub(crate) fn from_member(m: &Member, roles: &mut RoleLists) -> Self {
        let rare = m.nickname.is_some()
            || m.pronouns.is_some()
            || m.avatar.is_some()
            || m.timeout.is_some();
        let extra = rare.then(|| {
            std::sync::Arc::new(MemberExtra {
                nickname: m.nickname.as_deref().map(Text::from),
                pronouns: m.pronouns.as_deref().map(|p| Box::new(Box::from(p))),
                avatar: m.avatar.as_deref().map(StoredFile::from_file),
                timeout: m.timeout.map_or(i64::MIN, Timestamp::unix_millis),
            })
        });
        Self {
            joined_at: m.joined_at.unix_millis(),
            roles: roles.intern(&m.roles),
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
        m.roles = self
            .roles
            .as_deref()
            .map(|r| r.to_vec())
            .unwrap_or_default();
        m.can_publish = self.can_publish;
        m.can_receive = self.can_receive;
        if let Some(extra) = &self.extra {
            m.nickname = extra.nickname.as_deref().map(str::to_owned);
            m.pronouns = extra.pronouns.as_deref().map(ToString::to_string);
            m.avatar = extra.avatar.as_ref().map(|f| Box::new(f.to_file()));
            m.timeout =
                (extra.timeout != i64::MIN).then(|| Timestamp::from_unix_millis(extra.timeout));
        }
        m
    }

    /// Applies a `ServerMemberUpdate` in place by the model's one rule
    /// ([`ermine_model::member::apply_update`]). The role list is re-interned only when roles
    /// change.
    pub(crate) fn apply_update(
        &mut self,
        data: &PartialMember,
        clear: &[FieldsMember],
        roles: &mut RoleLists,
    ) {
        ermine_model::member::apply_update(
            &mut Updating {
                member: self,
                roles,
                replaced: None,
            },
            data,
            clear,
        );
    }

    /// [`apply_update`](Self::apply_update), keeping the values it replaces: with them, the
    /// member as it was is rebuilt from the member as it is ([`Replaced::restore`]), so the
    /// before snapshot of a change costs no copy of the fields the update left alone.
    pub(crate) fn apply_update_keeping(
        &mut self,
        data: &PartialMember,
        clear: &[FieldsMember],
        roles: &mut RoleLists,
    ) -> Replaced {
        let mut replaced = Replaced::default();
        ermine_model::member::apply_update(
            &mut Updating {
                member: self,
                roles,
                replaced: Some(&mut replaced),
            },
            data,
            clear,
        );
        replaced
    }

    /// Changes the rare fields, creating the box when needed and dropping it when it ends
    /// up empty; what `edit` returns (a replaced value).
    fn edit_extra<R>(&mut self, edit: impl FnOnce(&mut MemberExtra) -> R) -> R {
        let extra = std::sync::Arc::make_mut(self.extra.get_or_insert_with(Default::default));
        let out = edit(extra);
        if *extra == MemberExtra::default() {
            self.extra = None;
        }
        out
    }

    pub(crate) fn strip_role(&mut self, role: RoleId, roles: &mut RoleLists) {
        if let Some(current) = self.roles.as_deref().filter(|r| r.contains(&role)) {
            let kept: Vec<RoleId> = current.iter().copied().filter(|r| *r != role).collect();
            self.roles = roles.intern(&kept);
        }
    }

    /// Approximate heap bytes beyond the struct itself.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.extra.as_ref().map_or(0, |e| {
            // The shared box's two reference counts, then the fields.
            2 * size_of::<usize>()
                + size_of::<MemberExtra>()
                + e.nickname.as_deref().map_or(0, heap_len)
                + e.pronouns.as_ref().map_or(0, |s| s.len())
                + e.avatar.as_ref().map_or(0, StoredFile::heap_bytes)
        })
    }
}

/// A cached user: the common fields inline, the rare ones boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedUser {
    username: Text,
    discriminator: [u8; 4],
    /// The display name when `has_display_name` (an `Option` would take 8 more bytes).
    display_name: Text,
    badges: UserBadges,
    flags: UserFlags,
    /// A bot's owner: rare, so behind a thin pointer (an inline ID would take 16 bytes and
    /// its alignment, in every user's hash-table entry).
    bot_owner: Option<Box<UserId>>,
    extra: Option<Box<UserExtra>>,
    /// The relationship as a byte ([`RELATIONSHIPS`]'s index; past its end: one this version
    /// does not know, kept in the rare fields).
    relationship: u8,
    has_display_name: bool,
    online: bool,
    privileged: bool,
}

/// The relationships a byte stands for.
const RELATIONSHIPS: [RelationshipStatus; 7] = [
    RelationshipStatus::None,
    RelationshipStatus::User,
    RelationshipStatus::Friend,
    RelationshipStatus::Outgoing,
    RelationshipStatus::Incoming,
    RelationshipStatus::Blocked,
    RelationshipStatus::BlockedOther,
];

/// The presences a byte stands for.
const PRESENCES: [Presence; 5] = [
    Presence::Online,
    Presence::Idle,
    Presence::Focus,
    Presence::Busy,
    Presence::Invisible,
];

/// A user's status without a box of its own: the text inline when short, the presence as a
/// byte; a presence this version does not know is kept whole.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct CompactStatus {
    text: Text,
    /// Bit 0: there is a status; bit 1: it has a text.
    present: u8,
    /// [`PRESENCES`]'s index; `NO_PRESENCE`; past both: `unknown`'s.
    presence: u8,
    unknown: Option<Box<Presence>>,
}

const NO_PRESENCE: u8 = 0xFF;

/// An index into one of the short tables above, as the byte that stores it.
fn small_index(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}

impl CompactStatus {
    fn new(status: Option<&UserStatus>) -> Self {
        let mut compact = Self::default();
        if let Some(status) = status {
            compact.merge(status);
        }
        compact
    }

    /// Makes the status present and sets the parts `status` has.
    fn merge(&mut self, status: &UserStatus) {
        if self.present & 1 == 0 {
            self.present = 1;
            self.presence = NO_PRESENCE;
        }
        if let Some(text) = &status.text {
            self.text = Text::from(text.as_str());
            self.present |= 2;
        }
        if let Some(presence) = &status.presence {
            if let Some(i) = PRESENCES.iter().position(|k| k == presence) {
                self.presence = small_index(i);
                self.unknown = None;
            } else {
                self.presence = small_index(PRESENCES.len());
                self.unknown = Some(Box::new(presence.clone()));
            }
        }
    }

    fn clear_text(&mut self) {
        self.text = Text::new();
        self.present &= !2;
    }

    fn clear_presence(&mut self) {
        if self.present & 1 != 0 {
            self.presence = NO_PRESENCE;
        }
        self.unknown = None;
    }

    fn to_status(&self) -> Option<UserStatus> {
        (self.present & 1 != 0).then(|| UserStatus {
            text: (self.present & 2 != 0).then(|| self.text.to_string()),
            presence: if self.presence == NO_PRESENCE {
                None
            } else {
                PRESENCES
                    .get(usize::from(self.presence))
                    .cloned()
                    .or_else(|| self.unknown.as_deref().cloned())
            },
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct UserExtra {
    /// A discriminator that is not four bytes (thin pointer: never seen in practice).
    discriminator: Option<Box<Box<str>>>,
    pronouns: Option<Box<Box<str>>>,
    avatar: Option<StoredFile>,
    /// The status in place: its text inline when short, its presence as a byte.
    status: CompactStatus,
    /// The user's relations (only ever your own user's; thin pointer).
    relations: Option<Box<Box<[Relationship]>>>,
    /// A relationship this version does not know (thin pointer: it is rarer still).
    unknown_relationship: Option<Box<RelationshipStatus>>,
}

impl CachedUser {
    pub(crate) fn from_user(u: &User) -> Self {
        let (discriminator, odd_discriminator) = compact_discriminator(&u.discriminator);
        let (relationship, unknown_relationship) = compact_relationship(&u.relationship);
        let rare = odd_discriminator.is_some()
            || u.pronouns.is_some()
            || u.avatar.is_some()
            || u.status.is_some()
            || !u.relations.is_empty()
            || unknown_relationship.is_some();
        let extra = rare.then(|| {
            Box::new(UserExtra {
                discriminator: odd_discriminator,
                pronouns: u.pronouns.as_deref().map(|p| Box::new(Box::from(p))),
                avatar: u.avatar.as_deref().map(StoredFile::from_file),
                status: CompactStatus::new(u.status.as_ref()),
                relations: (!u.relations.is_empty())
                    .then(|| Box::new(u.relations.as_slice().into())),
                unknown_relationship,
            })
        });
        Self {
            username: Text::from(u.username.as_str()),
            discriminator,
            display_name: u
                .display_name
                .as_deref()
                .map(Text::from)
                .unwrap_or_default(),
            has_display_name: u.display_name.is_some(),
            badges: u.badges,
            flags: u.flags,
            relationship,
            bot_owner: u.bot.as_ref().map(|b| Box::new(b.owner)),
            extra,
            online: u.online,
            privileged: u.privileged,
        }
    }

    pub(crate) fn to_user(&self, id: UserId) -> User {
        let extra = self.extra.as_deref();
        let discriminator = extra
            .and_then(|e| e.discriminator.as_deref().map(ToString::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&self.discriminator).into_owned());
        User {
            id,
            username: self.username.to_string(),
            discriminator,
            display_name: self.has_display_name.then(|| self.display_name.to_string()),
            pronouns: extra.and_then(|e| e.pronouns.as_deref().map(ToString::to_string)),
            avatar: extra.and_then(|e| e.avatar.as_ref().map(|f| Box::new(f.to_file()))),
            relations: extra
                .and_then(|e| e.relations.as_deref().map(|r| r.to_vec()))
                .unwrap_or_default(),
            badges: self.badges,
            status: extra.and_then(|e| e.status.to_status()),
            flags: self.flags,
            privileged: self.privileged,
            bot: self
                .bot_owner
                .as_deref()
                .map(|&owner| BotInformation { owner }),
            relationship: RELATIONSHIPS
                .get(usize::from(self.relationship))
                .cloned()
                .or_else(|| extra.and_then(|e| e.unknown_relationship.as_deref().cloned()))
                .unwrap_or_default(),
            online: self.online,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        heap_len(&self.username)
            + heap_len(&self.display_name)
            + self.bot_owner.as_ref().map_or(0, |_| size_of::<UserId>())
            + self.extra.as_ref().map_or(0, |_| size_of::<UserExtra>())
    }
}

/// A discriminator as stored: its four bytes inline, or (never seen in practice) the whole
/// text, kept in the rare fields.
fn compact_discriminator(discriminator: &str) -> ([u8; 4], Option<Box<Box<str>>>) {
    match discriminator.as_bytes().try_into() {
        Ok(inline) => (inline, None),
        Err(_) => ([0; 4], Some(Box::new(Box::from(discriminator)))),
    }
}

/// A relationship as stored: its byte, and one this version does not know kept whole (in the
/// rare fields).
fn compact_relationship(
    relationship: &RelationshipStatus,
) -> (u8, Option<Box<RelationshipStatus>>) {
    match RELATIONSHIPS.iter().position(|r| r == relationship) {
        Some(i) => (small_index(i), None),
        None => (
            small_index(RELATIONSHIPS.len()),
            Some(Box::new(relationship.clone())),
        ),
    }
}

impl CachedUser {
    /// Sets one rare field (`field` picks it): a value creates the box when needed, none
    /// drops the box when it ends up empty.
    fn set_extra<T>(
        &mut self,
        value: Option<T>,
        field: impl FnOnce(&mut UserExtra) -> &mut Option<T>,
    ) {
        if value.is_some() {
            self.edit_extra(|e| *field(e) = value);
        } else {
            self.clear_extra(|e| *field(e) = None);
        }
    }

    /// Changes the rare fields, creating the box when needed and dropping it when it ends
    /// up empty.
    fn edit_extra(&mut self, edit: impl FnOnce(&mut UserExtra)) {
        let extra = self.extra.get_or_insert_with(Box::default);
        edit(extra);
        if **extra == UserExtra::default() {
            self.extra = None;
        }
    }

    /// Clears rare fields: nothing to do when there are none.
    fn clear_extra(&mut self, clear: impl FnOnce(&mut UserExtra)) {
        if self.extra.is_some() {
            self.edit_extra(clear);
        }
    }
}

/// A `UserUpdate` applied in place, by the model's one rule
/// ([`ermine_model::user::apply_update`]).
impl ermine_model::user::UserFields for CachedUser {
    fn set_username(&mut self, username: &str) {
        self.username = Text::from(username);
    }
    fn set_discriminator(&mut self, discriminator: &str) {
        let (inline, odd) = compact_discriminator(discriminator);
        self.discriminator = inline;
        self.set_extra(odd, |e| &mut e.discriminator);
    }
    fn set_display_name(&mut self, name: Option<&str>) {
        self.display_name = name.map(Text::from).unwrap_or_default();
        self.has_display_name = name.is_some();
    }
    fn set_pronouns(&mut self, pronouns: Option<&str>) {
        self.set_extra(pronouns.map(|p| Box::new(Box::from(p))), |e| {
            &mut e.pronouns
        });
    }
    fn set_avatar(&mut self, avatar: Option<&File>) {
        self.set_extra(avatar.map(StoredFile::from_file), |e| &mut e.avatar);
    }
    fn set_relations(&mut self, relations: &[Relationship]) {
        let relations = (!relations.is_empty()).then(|| Box::new(relations.into()));
        self.set_extra(relations, |e| &mut e.relations);
    }
    fn set_badges(&mut self, badges: UserBadges) {
        self.badges = badges;
    }
    fn clear_status_text(&mut self) {
        self.clear_extra(|e| e.status.clear_text());
    }
    fn clear_status_presence(&mut self) {
        self.clear_extra(|e| e.status.clear_presence());
    }
    fn merge_status(&mut self, status: &UserStatus) {
        self.edit_extra(|e| e.status.merge(status));
    }
    fn set_flags(&mut self, flags: UserFlags) {
        self.flags = flags;
    }
    fn set_privileged(&mut self, privileged: bool) {
        self.privileged = privileged;
    }
    fn set_bot(&mut self, bot: &BotInformation) {
        self.bot_owner = Some(Box::new(bot.owner));
    }
    fn set_relationship(&mut self, relationship: &RelationshipStatus) {
        let (byte, unknown) = compact_relationship(relationship);
        self.relationship = byte;
        self.set_extra(unknown, |e| &mut e.unknown_relationship);
    }
    fn set_online(&mut self, online: bool) {
        self.online = online;
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
        // 64: with its 16-byte key, an 80-byte hash-table entry.
        assert!(size_of::<CachedUser>() <= 64, "{}", size_of::<CachedUser>());
        let json = r#"{"_id":{"server":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDGJKEQQDSY6RW2KHTPJQ"},"joined_at":"2026-11-24T08:58:11.926Z","nickname":"Bob","roles":["01M86CE2V81XCYGEGXRYKRWV6T"],"timeout":"2026-11-24T09:58:31.004Z","can_publish":false}"#;
        let member: Member = serde_json::from_str(json).unwrap();
        let slim = CachedMember::from_member(&member, &mut RoleLists::default());
        assert_eq!(slim.to_member(member.id.server, member.id.user), member);
        let user: User = serde_json::from_str(r#"{"_id":"01M86CDGJKEQQDSY6RW2KHTPJQ","username":"bob","discriminator":"0042","display_name":"Bobby","badges":256,"status":{"text":"hi","presence":"Busy"},"bot":{"owner":"01M86CDEXVEC1T9JZGTPNYYWGV"},"relationship":"Friend","online":true,
            "avatar":{"_id":"01KZHBCPWW1D5JJN26CNWRVC62","tag":"avatars","filename":"me.jpg","metadata":{"type":"Image","width":800,"height":800},"content_type":"image/jpeg","size":2137826}}"#).unwrap();
        assert_eq!(CachedUser::from_user(&user).to_user(user.id), user);
        // Every relationship, one this version does not know included, and no bot.
        for relationship in RELATIONSHIPS
            .iter()
            .cloned()
            .chain([serde_json::from_str(r#""Rival""#).unwrap()])
        {
            let mut other = user.clone();
            other.relationship = relationship;
            other.bot = None;
            assert_eq!(CachedUser::from_user(&other).to_user(other.id), other);
        }
        // Every form of status: none, empty, text alone (short, long), presence alone (known,
        // unknown), both.
        let long = "a status text longer than fifteen bytes".to_owned();
        for status in [
            None,
            Some(UserStatus::default()),
            Some(UserStatus {
                text: Some("brb".into()),
                presence: None,
            }),
            Some(UserStatus {
                text: Some(long.clone()),
                presence: None,
            }),
            Some(UserStatus {
                text: Some(String::new()),
                presence: Some(Presence::Idle),
            }),
            Some(UserStatus {
                text: None,
                presence: Some(Presence::Invisible),
            }),
            Some(UserStatus {
                text: Some(long),
                presence: serde_json::from_str(r#""Away""#).ok(),
            }),
        ] {
            let mut other = user.clone();
            other.status = status;
            assert_eq!(CachedUser::from_user(&other).to_user(other.id), other);
        }
        // Names inline and on the heap; an empty display name is not a missing one.
        for (name, display) in [
            ("a_name_of_exactly_", Some(String::new())),
            ("bob", None),
            (
                "someone_with_a_rather_long_username",
                Some("Ω and a long display name".into()),
            ),
        ] {
            let mut other = user.clone();
            other.username = name.into();
            other.display_name = display;
            assert_eq!(CachedUser::from_user(&other).to_user(other.id), other);
        }
        assert!(matches!(
            *StoredFile::from_file(user.avatar.as_ref().unwrap()).0,
            StoredKind::Image(_)
        ));
        // 56 bytes: one 64-byte heap chunk per stored image.
        assert!(size_of::<StoredKind>() <= 56, "{}", size_of::<StoredKind>());
        // What the compact form cannot hold exactly is kept as sent.
        for (id, size) in [
            ("01kzhbcpww1d5jjn26cnwrvc62", 21),
            ("01KZHBCPWW1D5JJN26CNWRVC6L", 21),
            ("01KZHBCPWW1D5JJN26CNWRVC6", 21),
            ("81KZHBCPWW1D5JJN26CNWRVC62", 21),
            ("not-a-ulid", 21),
            ("01KZHBCPWW1D5JJN26CNWRVC62", 5_000_000_000),
            ("01KZHBCPWW1D5JJN26CNWRVC62", -1),
        ] {
            let mut file = (**user.avatar.as_ref().unwrap()).clone();
            file.id = id.into();
            file.size = size;
            assert!(matches!(
                *StoredFile::from_file(&file).0,
                StoredKind::Other(_)
            ));
            assert_eq!(StoredFile::from_file(&file).to_file(), file);
        }
        let mut odd = user.avatar.clone().unwrap();
        odd.tag = "custom".into();
        odd.deleted = Some(true);
        assert_eq!(StoredFile::from_file(&odd).to_file(), *odd);
    }

    /// User updates applied in place to the compact form give what applying them to the
    /// model and compacting the result gives: thousands of combinations of set and cleared
    /// fields (unknown presences and relationships, odd discriminators included), on a plain
    /// user and on one with every rare field set.
    #[test]
    fn user_updates_in_place_equal_updates_of_the_model() {
        use ermine_model::user::{FieldsUser, PartialUser};
        let plain: User = serde_json::from_str(
            r#"{"_id":"01M86CDGJKEQQDSY6RW2KHTPJQ","username":"bob","discriminator":"0042","relationship":"None","online":false}"#,
        )
        .unwrap();
        let full: User = serde_json::from_str(r#"{"_id":"01M86CDGJKEQQDSY6RW2KHTPJQ","username":"bob","discriminator":"42","display_name":"Bobby","pronouns":"he/him","badges":256,"status":{"text":"hi","presence":"Busy"},"bot":{"owner":"01M86CDEXVEC1T9JZGTPNYYWGV"},"relationship":"Rival","online":true,"flags":2,"privileged":true,
            "relations":[{"_id":"01M86CDEXVEC1T9JZGTPNYYWGV","status":"Friend"}],
            "avatar":{"_id":"01KZHBCPWW1D5JJN26CNWRVC62","tag":"avatars","filename":"me.jpg","metadata":{"type":"Image","width":800,"height":800},"content_type":"image/jpeg","size":21}}"#).unwrap();
        // Each a part of an update; a combination merges some of them into one.
        let sets = [
            r#"{"username":"a_rather_long_username_on_the_heap"}"#,
            r#"{"discriminator":"0420"}"#,
            r#"{"discriminator":"12345"}"#,
            r#"{"display_name":"Shown"}"#,
            r#"{"pronouns":"they/them"}"#,
            r#"{"avatar":{"_id":"not-a-ulid","tag":"avatars","filename":"x.png","metadata":{"type":"File"},"content_type":"image/png","size":1}}"#,
            r#"{"relations":[]}"#,
            r#"{"relations":[{"_id":"01M86CDEXVEC1T9JZGTPNYYWGV","status":"Blocked"}]}"#,
            r#"{"badges":3,"flags":0,"privileged":false}"#,
            r#"{"status":{}}"#,
            r#"{"status":{"text":"away"}}"#,
            r#"{"status":{"presence":"Idle"}}"#,
            r#"{"status":{"presence":"Away"}}"#,
            r#"{"bot":{"owner":"01M86CDRZC9YVCV9K979HDVTHQ"}}"#,
            r#"{"relationship":"Friend"}"#,
            r#"{"relationship":"Rival"}"#,
            r#"{"online":true}"#,
        ]
        .map(|json| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json).unwrap());
        let clears = [
            FieldsUser::Avatar,
            FieldsUser::StatusText,
            FieldsUser::StatusPresence,
            FieldsUser::DisplayName,
            FieldsUser::Pronouns,
            FieldsUser::ProfileContent,
        ];
        // A fixed pseudo-random sequence (xorshift) of combinations.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for base in [&plain, &full] {
            for _ in 0..5_000 {
                let (pick, clear_pick) = (next(), next());
                let mut merged = serde_json::Map::new();
                for (i, set) in sets.iter().enumerate() {
                    if pick >> i & 1 == 1 {
                        merged.extend(set.clone());
                    }
                }
                let data: PartialUser = serde_json::from_value(merged.into()).unwrap();
                let clear: Vec<FieldsUser> = clears
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| clear_pick >> i & 1 == 1)
                    .map(|(_, f)| f.clone())
                    .collect();
                let mut model = base.clone();
                model.apply_update(&data, &clear);
                let mut slim = CachedUser::from_user(base);
                ermine_model::user::apply_update(&mut slim, &data, &clear);
                assert_eq!(slim, CachedUser::from_user(&model), "{data:?} {clear:?}");
                assert_eq!(slim.to_user(base.id), model);
            }
        }
    }

    /// Every combination of set, cleared and untouched fields, applied in place to the compact
    /// form, gives what applying it to the model and compacting the result gives.
    #[test]
    fn updates_in_place_equal_updates_of_the_model() {
        let json = r#"{"_id":{"server":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDGJKEQQDSY6RW2KHTPJQ"},"joined_at":"2026-11-24T08:58:11.926Z"}"#;
        let plain: Member = serde_json::from_str(json).unwrap();
        let role: RoleId = "01M86CE2V81XCYGEGXRYKRWV6T".parse().unwrap();
        let other: RoleId = "01M86CE2V81XCYGEGXRYKRWV6V".parse().unwrap();
        let avatar: File = serde_json::from_str(r#"{"_id":"01KZHBCPWW1D5JJN26CNWRVC62","tag":"avatars","filename":"me.jpg","metadata":{"type":"Image","width":8,"height":8},"content_type":"image/jpeg","size":21}"#).unwrap();
        let mut full = plain.clone();
        full.nickname = Some("Bob".into());
        full.pronouns = Some("he/him".into());
        full.avatar = Some(Box::new(avatar.clone()));
        full.roles = vec![role];
        full.timeout = Some(Timestamp::from_unix_millis(1_800_000_000_000));
        full.can_publish = false;
        full.can_receive = false;
        let fields = [
            FieldsMember::Nickname,
            FieldsMember::Pronouns,
            FieldsMember::Avatar,
            FieldsMember::Roles,
            FieldsMember::Timeout,
            FieldsMember::CanPublish,
            FieldsMember::CanReceive,
        ];
        let mut cases = 0;
        for base in [&plain, &full] {
            // Each field: 0 untouched, 1 cleared, 2 set.
            for code in 0..3_u32.pow(7) {
                let mut data = PartialMember::default();
                let mut clear = Vec::new();
                for (i, field) in fields.iter().enumerate() {
                    match code / 3_u32.pow(u32::try_from(i).unwrap()) % 3 {
                        1 => clear.push(field.clone()),
                        2 => match field {
                            FieldsMember::Nickname => data.nickname = Some("New".into()),
                            FieldsMember::Pronouns => data.pronouns = Some("they".into()),
                            FieldsMember::Avatar => data.avatar = Some(Box::new(avatar.clone())),
                            FieldsMember::Roles => data.roles = Some(vec![other, role]),
                            FieldsMember::Timeout => {
                                data.timeout = Some(Timestamp::from_unix_millis(1));
                            }
                            FieldsMember::CanPublish => data.can_publish = Some(true),
                            _ => data.can_receive = Some(true),
                        },
                        _ => {}
                    }
                }
                let mut lists = RoleLists::default();
                let mut model = base.clone();
                model.apply_update(&data, &clear);
                let mut slim = CachedMember::from_member(base, &mut lists);
                slim.apply_update(&data, &clear, &mut lists);
                assert_eq!(
                    slim,
                    CachedMember::from_member(&model, &mut lists),
                    "{data:?} {clear:?}"
                );
                assert_eq!(slim.to_member(base.id.server, base.id.user), model);
                // Kept replaced values make the member before the update again.
                let mut kept = CachedMember::from_member(base, &mut lists);
                let replaced = kept.apply_update_keeping(&data, &clear, &mut lists);
                assert_eq!(kept, slim);
                let mut restored = kept.to_member(base.id.server, base.id.user);
                replaced.restore(&mut restored);
                assert_eq!(restored, *base, "{data:?} {clear:?}");
                cases += 1;
            }
        }
        assert_eq!(cases, 2 * 2187);
    }
}

/// Tags and content types common enough to store as a byte.
const TAGS: [&str; 6] = [
    "avatars",
    "attachments",
    "backgrounds",
    "icons",
    "banners",
    "emojis",
];
const CONTENT_TYPES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
];

/// A file as stored: the common case (an image with a usual tag and type and nothing else)
/// in 64 bytes and one string, anything else as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredFile(Box<StoredKind>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum StoredKind {
    Image(CompactImage),
    Other(Box<File>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompactImage {
    /// The ID's 128 bits (a canonical ULID; any other ID is stored as sent), as bytes so the
    /// struct keeps an 8-byte alignment: with the enum around it, 56 bytes, one 64-byte heap
    /// chunk.
    id: [u8; 16],
    filename: Text,
    /// Bytes (files above 4 GiB are stored as sent).
    size: u32,
    width: u32,
    height: u32,
    tag: u8,
    content_type: u8,
}

impl StoredFile {
    fn compact(f: &File) -> Option<CompactImage> {
        let FileMetadata::Image(ImageMetadata {
            width,
            height,
            thumbhash: None,
            animated: None,
        }) = &f.metadata
        else {
            return None;
        };
        let plain = f.deleted.is_none()
            && f.reported.is_none()
            && f.message_id.is_none()
            && f.user_id.is_none()
            && f.server_id.is_none()
            && f.object_id.is_none();
        if !plain {
            return None;
        }
        // Only an ID in canonical form (upper-case Crockford base32) is stored as its bits;
        // any other is kept as sent.
        let canonical = f.id.bytes().all(|b| {
            matches!(b, b'0'..=b'9' | b'A'..=b'H' | b'J' | b'K' | b'M' | b'N' | b'P'..=b'T' | b'V'..=b'Z')
        });
        if !canonical {
            return None;
        }
        let id: FileUlid = f.id.parse().ok()?;
        Some(CompactImage {
            id: id.get().to_le_bytes(),
            filename: Text::from(f.filename.as_str()),
            size: u32::try_from(f.size).ok()?,
            width: u32::try_from(*width).ok()?,
            height: u32::try_from(*height).ok()?,
            tag: u8::try_from(TAGS.iter().position(|t| *t == f.tag)?).ok()?,
            content_type: u8::try_from(CONTENT_TYPES.iter().position(|t| *t == f.content_type)?)
                .ok()?,
        })
    }

    pub(crate) fn from_file(f: &File) -> Self {
        Self(Box::new(match Self::compact(f) {
            Some(image) => StoredKind::Image(image),
            None => StoredKind::Other(Box::new(f.clone())),
        }))
    }

    pub(crate) fn to_file(&self) -> File {
        match &*self.0 {
            StoredKind::Other(f) => (**f).clone(),
            StoredKind::Image(c) => File {
                id: FileUlid::from_u128(u128::from_le_bytes(c.id))
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                tag: TAGS[usize::from(c.tag)].to_owned(),
                filename: c.filename.to_string(),
                metadata: FileMetadata::Image(ImageMetadata {
                    width: u64::from(c.width),
                    height: u64::from(c.height),
                    thumbhash: None,
                    animated: None,
                }),
                content_type: CONTENT_TYPES[usize::from(c.content_type)].to_owned(),
                size: i64::from(c.size),
                deleted: None,
                reported: None,
                message_id: None,
                user_id: None,
                server_id: None,
                object_id: None,
            },
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match &*self.0 {
            StoredKind::Image(c) => size_of::<CompactImage>() + heap_len(&c.filename),
            StoredKind::Other(_) => size_of::<File>(),
        }
    }
}

/// The values an update replaced in a cached member, each kept only when the update changed
/// it: with the member as it is after the update, they make the member as it was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Replaced {
    /// Which fields are kept: [`Replaced`]'s bits.
    kept: u8,
    joined_at: i64,
    timeout: i64,
    roles: Option<SharedRoles>,
    nickname: Option<Text>,
    pronouns: Option<Box<Box<str>>>,
    avatar: Option<StoredFile>,
    can_publish: bool,
    can_receive: bool,
}

impl Replaced {
    const JOINED_AT: u8 = 1;
    const NICKNAME: u8 = 2;
    const PRONOUNS: u8 = 4;
    const AVATAR: u8 = 8;
    const ROLES: u8 = 16;
    const TIMEOUT: u8 = 32;
    const CAN_PUBLISH: u8 = 64;
    const CAN_RECEIVE: u8 = 128;

    /// Keeps a replaced value unless an earlier one of the same field is kept (an update
    /// that clears a field and then sets it replaced the value it had before both).
    fn keep(&mut self, field: u8, write: impl FnOnce(&mut Self)) {
        if self.kept & field == 0 {
            self.kept |= field;
            write(self);
        }
    }

    /// Turns `member` (as the update left it) back into the member before the update.
    pub(crate) fn restore(&self, member: &mut Member) {
        let kept = |field| self.kept & field != 0;
        if kept(Self::JOINED_AT) {
            member.joined_at = Timestamp::from_unix_millis(self.joined_at);
        }
        if kept(Self::NICKNAME) {
            member.nickname = self.nickname.as_deref().map(str::to_owned);
        }
        if kept(Self::PRONOUNS) {
            member.pronouns = self.pronouns.as_deref().map(ToString::to_string);
        }
        if kept(Self::AVATAR) {
            member.avatar = self.avatar.as_ref().map(|f| Box::new(f.to_file()));
        }
        if kept(Self::ROLES) {
            member.roles = self
                .roles
                .as_deref()
                .map(|r| r.to_vec())
                .unwrap_or_default();
        }
        if kept(Self::TIMEOUT) {
            member.timeout =
                (self.timeout != i64::MIN).then(|| Timestamp::from_unix_millis(self.timeout));
        }
        if kept(Self::CAN_PUBLISH) {
            member.can_publish = self.can_publish;
        }
        if kept(Self::CAN_RECEIVE) {
            member.can_receive = self.can_receive;
        }
    }
}

/// A cached member being updated, with the role lists its roles are interned in; with
/// `replaced`, what each setter replaces is kept there.
struct Updating<'a> {
    member: &'a mut CachedMember,
    roles: &'a mut RoleLists,
    replaced: Option<&'a mut Replaced>,
}

impl Updating<'_> {
    /// Keeps a replaced value when replaced values are asked for (else drops it).
    fn keep(&mut self, field: u8, write: impl FnOnce(&mut Replaced)) {
        if let Some(replaced) = self.replaced.as_deref_mut() {
            replaced.keep(field, write);
        }
    }
}

impl ermine_model::member::MemberFields for Updating<'_> {
    fn set_joined_at(&mut self, at: Timestamp) {
        let old = std::mem::replace(&mut self.member.joined_at, at.unix_millis());
        self.keep(Replaced::JOINED_AT, |r| r.joined_at = old);
    }
    fn set_nickname(&mut self, nickname: Option<&str>) {
        let old = self
            .member
            .edit_extra(|e| std::mem::replace(&mut e.nickname, nickname.map(Text::from)));
        self.keep(Replaced::NICKNAME, |r| r.nickname = old);
    }
    fn set_pronouns(&mut self, pronouns: Option<&str>) {
        let old = self.member.edit_extra(|e| {
            std::mem::replace(&mut e.pronouns, pronouns.map(|p| Box::new(Box::from(p))))
        });
        self.keep(Replaced::PRONOUNS, |r| r.pronouns = old);
    }
    fn set_avatar(&mut self, avatar: Option<&ermine_model::file::File>) {
        let old = self
            .member
            .edit_extra(|e| std::mem::replace(&mut e.avatar, avatar.map(StoredFile::from_file)));
        self.keep(Replaced::AVATAR, |r| r.avatar = old);
    }
    fn set_roles(&mut self, roles: &[RoleId]) {
        let new = if roles.is_empty() {
            None
        } else if self.member.roles.as_deref().map_or(&[][..], |r| &r[..]) != roles {
            self.roles.intern(roles)
        } else {
            return;
        };
        let old = std::mem::replace(&mut self.member.roles, new);
        self.keep(Replaced::ROLES, |r| r.roles = old);
    }
    fn set_timeout(&mut self, until: Option<Timestamp>) {
        let old = self.member.edit_extra(|e| {
            std::mem::replace(
                &mut e.timeout,
                until.map_or(i64::MIN, Timestamp::unix_millis),
            )
        });
        self.keep(Replaced::TIMEOUT, |r| r.timeout = old);
    }
    fn set_can_publish(&mut self, can: bool) {
        let old = std::mem::replace(&mut self.member.can_publish, can);
        self.keep(Replaced::CAN_PUBLISH, |r| r.can_publish = old);
    }
    fn set_can_receive(&mut self, can: bool) {
        let old = std::mem::replace(&mut self.member.can_receive, can);
        self.keep(Replaced::CAN_RECEIVE, |r| r.can_receive = old);
    }
}
