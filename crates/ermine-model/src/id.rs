//! Typed, `Copy` identifiers.
//!
//! Every Stoat object ID is a [ULID](https://github.com/ulid/spec): 128 bits printed as 26
//! Crockford base32 characters whose first 48 bits are the creation time in milliseconds.
//! [`Id<M>`] stores those 128 bits and carries a zero-sized marker `M` saying what the ID
//! names, so a [`UserId`] can never be passed where a [`ServerId`] is expected.
//!
//! An [`Id`] is 16 bytes and `Option<Id>` is 16 bytes too: the value is stored inverted in a
//! `NonZeroU128`, which reserves the single ULID `7ZZZZZZZZZZZZZZZZZZZZZZZZZ` (all bits set,
//! a creation time in the year 10889). Parsing that string is an [`IdParseError`].
//!
//! Members have no ID of their own: a member is named by [`MemberId`] `{ server, user }`.
//! File IDs and invite codes are not ULIDs and are kept as opaque strings.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::num::NonZeroU128;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Timestamp;

/// A typed Stoat ID: a ULID naming an object of kind `M`.
///
/// ```
/// use ermine_model::id::UserId;
///
/// let id: UserId = "01M86CDEXVEC1T9JZGTPNYYWGV".parse()?;
/// assert_eq!(id.to_string(), "01M86CDEXVEC1T9JZGTPNYYWGV");
/// assert_eq!(id.created_at().to_string(), "2026-11-24T08:58:00.507Z");
/// # Ok::<(), ermine_model::id::IdParseError>(())
/// ```
pub struct Id<M> {
    inverted: NonZeroU128,
    marker: PhantomData<fn() -> M>,
}

impl<M> Id<M> {
    /// The largest value an ID can hold; `u128::MAX` is reserved (see the module docs).
    pub const MAX: u128 = u128::MAX - 1;

    /// Builds an ID from its 128-bit value, or `None` for the one reserved value `u128::MAX`.
    pub const fn from_u128(value: u128) -> Option<Self> {
        match NonZeroU128::new(!value) {
            Some(inverted) => Some(Self {
                inverted,
                marker: PhantomData,
            }),
            None => None,
        }
    }

    /// The ID's 128-bit value.
    pub const fn get(self) -> u128 {
        !self.inverted.get()
    }

    /// The all-zero ID, `00000000000000000000000000`: Stoat's system user (author of system
    /// messages).
    pub const fn sentinel() -> Self {
        Self {
            inverted: NonZeroU128::MAX,
            marker: PhantomData,
        }
    }

    /// Whether this is the all-zero system ID.
    pub const fn is_sentinel(self) -> bool {
        self.get() == 0
    }

    /// Creation time encoded in the ULID (millisecond precision).
    pub fn created_at(self) -> Timestamp {
        let millis = self.get() >> 80;
        // 48 bits always fit in an i64.
        Timestamp::from_unix_millis(i64::try_from(millis).unwrap_or(i64::MAX))
    }

    /// The same ID viewed as naming another kind of object (a bot's user ID as the bot ID,
    /// a DM author's user ID, ...).
    pub const fn cast<N>(self) -> Id<N> {
        Id {
            inverted: self.inverted,
            marker: PhantomData,
        }
    }

    /// A new ID for the given creation time with random low bits (what a server does when it
    /// creates an object).
    pub fn new_at(time: Timestamp, random: u128) -> Self {
        let millis = u128::try_from(time.unix_millis().max(0)).unwrap_or(0) & ((1 << 48) - 1);
        let value = (millis << 80) | (random & ((1 << 80) - 1));
        // The reserved value needs all 80 random bits set; fall back to clearing one.
        Self::from_u128(value)
            .unwrap_or_else(|| Self::from_u128(value - 1).unwrap_or(Self::sentinel()))
    }
}

impl<M> Clone for Id<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Id<M> {}
impl<M> PartialEq for Id<M> {
    fn eq(&self, other: &Self) -> bool {
        self.inverted == other.inverted
    }
}
impl<M> Eq for Id<M> {}
impl<M> Hash for Id<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.get().hash(state);
    }
}
impl<M> PartialOrd for Id<M> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
/// IDs order by value, which is creation time first.
impl<M> Ord for Id<M> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.get().cmp(&other.get())
    }
}

impl<M> fmt::Display for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; ulid::ULID_LEN];
        let text = ulid::Ulid(self.get()).array_to_str(&mut buf);
        f.write_str(text)
    }
}

impl<M: Marker> fmt::Debug for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({self})", M::NAME)
    }
}

/// Why a string is not a valid ID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdParseError {
    /// The string is not 26 characters long.
    InvalidLength {
        /// Its length in bytes.
        len: usize,
    },
    /// The string holds a character outside Crockford base32.
    InvalidChar,
    /// The first character is above `7`, so the value does not fit in 128 bits.
    Overflow,
    /// The one value reserved by ermine, `7ZZZZZZZZZZZZZZZZZZZZZZZZZ`.
    Reserved,
}

impl fmt::Display for IdParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidLength { len } => {
                write!(f, "an id is 26 characters, this one has {len} bytes")
            }
            Self::InvalidChar => f.write_str("an id holds only Crockford base32 characters"),
            Self::Overflow => f.write_str("an id's first character must be 0 to 7"),
            Self::Reserved => f.write_str("the id 7ZZZZZZZZZZZZZZZZZZZZZZZZZ is reserved"),
        }
    }
}

impl std::error::Error for IdParseError {}

impl<M> FromStr for Id<M> {
    type Err = IdParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != ulid::ULID_LEN {
            return Err(IdParseError::InvalidLength { len: s.len() });
        }
        // 26 base32 digits hold 130 bits; a ULID's first digit is 0..=7.
        if matches!(s.as_bytes()[0], b'8'..=b'9' | b'A'..=b'Z' | b'a'..=b'z') {
            return Err(IdParseError::Overflow);
        }
        match ulid::Ulid::from_string(s) {
            Ok(value) => Self::from_u128(value.0).ok_or(IdParseError::Reserved),
            Err(ulid::DecodeError::InvalidLength) => {
                Err(IdParseError::InvalidLength { len: s.len() })
            }
            Err(_) => Err(IdParseError::InvalidChar),
        }
    }
}

impl<M> Serialize for Id<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; ulid::ULID_LEN];
        serializer.serialize_str(ulid::Ulid(self.get()).array_to_str(&mut buf))
    }
}

impl<'de, M> Deserialize<'de> for Id<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor<M>(PhantomData<fn() -> M>);

        impl<M> Visitor<'_> for IdVisitor<M> {
            type Value = Id<M>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 26-character ULID string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse()
                    .map_err(|e: IdParseError| E::custom(format_args!("{e}: {v:?}")))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                match std::str::from_utf8(v) {
                    Ok(s) => self.visit_str(s),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
                }
            }
        }

        deserializer.deserialize_str(IdVisitor(PhantomData))
    }
}

/// A zero-sized type naming what an [`Id`] identifies.
pub trait Marker {
    /// Name used in `Debug` output.
    const NAME: &'static str;
}

macro_rules! markers {
    ($($(#[$doc:meta])* $marker:ident => $alias:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub struct $marker;

        impl Marker for $marker {
            const NAME: &'static str = stringify!($alias);
        }

        #[doc = concat!("ID of a ", stringify!($marker), "'s object.")]
        pub type $alias = Id<$marker>;
    )+};
}

markers! {
    /// Marks a user ID (bots are users too; a bot's ID is its user's ID).
    UserMarker => UserId;
    /// Marks a server ID.
    ServerMarker => ServerId;
    /// Marks a channel ID (server channels, DMs, groups, saved messages).
    ChannelMarker => ChannelId;
    /// Marks a role ID.
    RoleMarker => RoleId;
    /// Marks a message ID.
    MessageMarker => MessageId;
    /// Marks a custom emoji ID.
    EmojiMarker => EmojiId;
    /// Marks a webhook ID.
    WebhookMarker => WebhookId;
    /// Marks a session ID.
    SessionMarker => SessionId;
    /// Marks a safety report ID.
    ReportMarker => ReportId;
    /// Marks an audit-log entry ID.
    AuditLogMarker => AuditLogId;
}

/// A member's identity: the server and the user (`MemberCompositeKey` on the wire).
///
/// Bans use the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MemberId {
    /// The server.
    pub server: ServerId,
    /// The user.
    pub user: UserId,
}

impl MemberId {
    /// The key for `user` in `server`.
    pub const fn new(server: ServerId, user: UserId) -> Self {
        Self { server, user }
    }
}

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.server, self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size_of::<UserId>(), 16);
        assert_eq!(size_of::<Option<UserId>>(), 16);
        assert_eq!(size_of::<MemberId>(), 32);
    }

    #[test]
    fn round_trip_and_order() {
        let a: UserId = "01M86CDEXVEC1T9JZGTPNYYWGV".parse().unwrap();
        let b: UserId = "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "01M86CDEXVEC1T9JZGTPNYYWGV");
        assert_eq!(format!("{a:?}"), "UserId(01M86CDEXVEC1T9JZGTPNYYWGV)");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"01M86CDEXVEC1T9JZGTPNYYWGV\"");
        assert_eq!(serde_json::from_str::<UserId>(&json).unwrap(), a);
    }

    #[test]
    fn lower_case_is_accepted_and_printed_upper() {
        let a: UserId = "01m86cdexvec1t9jzgtpnyywgv".parse().unwrap();
        assert_eq!(a.to_string(), "01M86CDEXVEC1T9JZGTPNYYWGV");
    }

    #[test]
    fn sentinel() {
        let s: UserId = "00000000000000000000000000".parse().unwrap();
        assert!(s.is_sentinel());
        assert_eq!(s, UserId::sentinel());
        assert_eq!(s.created_at().unix_millis(), 0);
    }

    #[test]
    fn errors_are_typed() {
        assert_eq!(
            "".parse::<UserId>(),
            Err(IdParseError::InvalidLength { len: 0 })
        );
        assert_eq!(
            "01M86CDEXVEC1T9JZGTPNYYWG!".parse::<UserId>(),
            Err(IdParseError::InvalidChar)
        );
        assert_eq!(
            "81M86CDEXVEC1T9JZGTPNYYWGV".parse::<UserId>(),
            Err(IdParseError::Overflow)
        );
        assert_eq!(
            "7ZZZZZZZZZZZZZZZZZZZZZZZZZ".parse::<UserId>(),
            Err(IdParseError::Reserved)
        );
        assert!(serde_json::from_str::<UserId>("\"nope\"").is_err());
        assert!(serde_json::from_str::<UserId>("12").is_err());
        // A multi-byte string of 26 bytes must not panic either.
        assert!("ééééééééééééé".parse::<UserId>().is_err());
    }

    #[test]
    fn new_at_keeps_time() {
        let t = Timestamp::from_unix_millis(1_795_510_821_029);
        let id = ServerId::new_at(t, u128::MAX);
        assert_eq!(id.created_at(), t);
    }
}
