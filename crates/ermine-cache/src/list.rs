//! Member lists (`GET /servers/{id}/members`: `{"members": [...], "users": [...]}`) put in
//! the cache: a decoded list at once, or the encoded list decoded straight into the cache a
//! batch at a time.

use std::collections::HashSet;
use std::fmt;
use std::hash::BuildHasherDefault;

use ermine_model::id::{ServerId, UserId};
use ermine_model::member::{AllMemberResponse, Member};
use ermine_model::user::User;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::change::{Change, MemberSnapshot};
use crate::config::{CacheConfig, ResourceTypes};
use crate::hash::IdHasher;
use crate::store::{Cache, Inner};
use crate::update::{Scratch, put_members, put_users};

/// Members or users decoded before they are put in the cache together: small enough that the
/// write lock is held briefly (readers get in between batches) and the batch's memory is
/// reused while still in the processor's cache, large enough that locking costs nothing.
const DECODED_BATCH: usize = 1024;

/// The most items a format's declared length makes room for ahead (a larger list grows the
/// tables as it arrives).
const MAX_DECLARED: usize = 1 << 20;

/// Puts one list in: members and users as they come, in any number of parts; when replacing a
/// server's members, those the list does not name are removed at the end.
struct ListWriter {
    /// The server whose members the list replaces, and the members it named.
    replacing: Option<(ServerId, HashSet<UserId, BuildHasherDefault<IdHasher>>)>,
    /// What differed from the cache (when replacing).
    changes: Vec<Change>,
    /// Reused by every part of the list.
    scratch: Scratch,
}

impl ListWriter {
    fn new(replacing: Option<ServerId>) -> Self {
        Self {
            replacing: replacing.map(|server| (server, HashSet::default())),
            changes: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    fn members(&mut self, inner: &mut Inner, config: &CacheConfig, members: &[Member]) {
        let report = if let Some((server, named)) = &mut self.replacing {
            named.extend(
                members
                    .iter()
                    .filter(|m| m.id.server == *server)
                    .map(|m| m.id.user),
            );
            Some(&mut self.changes)
        } else {
            None
        };
        put_members(inner, config, members, report, &mut self.scratch);
    }

    fn users(&mut self, inner: &mut Inner, config: &CacheConfig, users: &[User]) {
        put_users(inner, config, users, None, &mut self.scratch);
    }

    /// Room for a list of `members` members of `server` and `users` users, counting what is
    /// cached already: a refreshed list mostly replaces entries, and reserving its whole
    /// length again would double the tables on every refresh.
    fn reserve(
        inner: &mut Inner,
        config: &CacheConfig,
        server: Option<ServerId>,
        members: usize,
        users: usize,
    ) {
        if config.resources.contains(ResourceTypes::USERS) {
            inner.users.reserve(users.saturating_sub(inner.users.len()));
        }
        if let Some(server) = server
            && config.resources.contains(ResourceTypes::MEMBERS)
        {
            let table = inner.members.entry(server).or_default();
            table.reserve(members.saturating_sub(table.len()));
        }
    }

    /// Removes the replaced server's members the list did not name; what differed.
    fn finish(mut self, inner: &mut Inner) -> Vec<Change> {
        if let Some((server, named)) = self.replacing
            && let Some(members) = inner.members.get_mut(&server)
        {
            let gone: Vec<UserId> = members
                .keys()
                .filter(|u| !named.contains(u))
                .copied()
                .collect();
            for user in gone {
                if let Some(before) = members.remove(&user) {
                    self.changes.push(Change::Member {
                        server,
                        user,
                        before: Some(MemberSnapshot::stored(server, user, before)),
                        after: None,
                        reason: None,
                    });
                }
            }
        }
        self.changes
    }
}

impl Cache {
    /// Inserts a fetched member list (members joined to users by ID, never by position),
    /// adding to what is cached. See [`replace_members`](Self::replace_members) to also drop
    /// members that are gone, and [`insert_members_from`](Self::insert_members_from) to
    /// decode a list straight into the cache.
    pub fn insert_members(&self, list: &AllMemberResponse) {
        self.put_list(None, list);
    }

    /// Replaces a server's cached members with a fetched list (`GET /servers/{id}/members`,
    /// joined to users by ID) and returns what differed: joins, changes, and members that
    /// are gone (`after: None`, no reason known).
    pub fn replace_members(&self, server: ServerId, list: &AllMemberResponse) -> Vec<Change> {
        self.put_list(Some(server), list)
    }

    fn put_list(&self, replacing: Option<ServerId>, list: &AllMemberResponse) -> Vec<Change> {
        let mut inner = self.write();
        let mut writer = ListWriter::new(replacing);
        let server = replacing.or_else(|| list.members.first().map(|m| m.id.server));
        ListWriter::reserve(
            &mut inner,
            &self.config,
            server,
            list.members.len(),
            list.users.len(),
        );
        writer.users(&mut inner, &self.config, &list.users);
        writer.members(&mut inner, &self.config, &list.members);
        writer.finish(&mut inner)
    }

    /// Decodes a member list (`{"members": [...], "users": [...]}`, the body of
    /// `GET /servers/{id}/members`) from any serde format straight into the cache, like
    /// [`insert_members`](Self::insert_members) does with a decoded list.
    ///
    /// The list is never built whole: members and users are decoded and put in a batch at a
    /// time (the write lock is taken per batch, so readers are not held up for the whole
    /// list), which for a large server is faster and needs a fraction of the memory. The
    /// caller checks what follows the list (`serde_json::Deserializer::end`).
    ///
    /// # Errors
    /// What the deserializer reports: the list is malformed. What was decoded before the
    /// error stays in the cache.
    ///
    /// ```
    /// # fn main() -> Result<(), serde_json::Error> {
    /// let cache = ermine_cache::Cache::new();
    /// let body = br#"{"members": [{"_id": {"server": "01M86CDRZC9YVCV9K979HDVTHQ",
    ///   "user": "01M86CDGJKEQQDSY6RW2KHTPJQ"}, "joined_at": "2026-11-24T08:58:11.926Z"}],
    ///   "users": [{"_id": "01M86CDGJKEQQDSY6RW2KHTPJQ", "username": "bob",
    ///   "discriminator": "0042", "relationship": "None", "online": false}]}"#;
    /// let mut json = serde_json::Deserializer::from_slice(body);
    /// cache.insert_members_from(&mut json)?;
    /// json.end()?;
    /// assert_eq!(cache.stats().members, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn insert_members_from<'de, D: Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<(), D::Error> {
        self.decode_list(None, deserializer).map(drop)
    }

    /// Decodes a member list straight into the cache as
    /// [`insert_members_from`](Self::insert_members_from) does, replacing `server`'s cached
    /// members as [`replace_members`](Self::replace_members) does, and returns what differed.
    ///
    /// # Errors
    /// What the deserializer reports: the list is malformed. Members and users decoded
    /// before the error stay in the cache (they are as fresh as the rest); no member is
    /// removed.
    pub fn replace_members_from<'de, D: Deserializer<'de>>(
        &self,
        server: ServerId,
        deserializer: D,
    ) -> Result<Vec<Change>, D::Error> {
        let writer = self.decode_list(Some(server), deserializer)?;
        Ok(writer.finish(&mut self.write()))
    }

    /// [`insert_members_from`](Self::insert_members_from) for a JSON body (what
    /// `GET /servers/{id}/members` answers), which must hold nothing after the list.
    ///
    /// # Errors
    /// The body is not a member list. What was decoded before the error stays in the cache.
    pub fn insert_members_json(&self, body: &[u8]) -> Result<(), serde_json::Error> {
        self.decode_json(None, body).map(drop)
    }

    /// [`replace_members_from`](Self::replace_members_from) for a JSON body, which must hold
    /// nothing after the list: what follows it is checked before any member is removed.
    ///
    /// # Errors
    /// The body is not a member list. Members and users decoded before the error stay in
    /// the cache; no member is removed.
    pub fn replace_members_json(
        &self,
        server: ServerId,
        body: &[u8],
    ) -> Result<Vec<Change>, serde_json::Error> {
        let writer = self.decode_json(Some(server), body)?;
        Ok(writer.finish(&mut self.write()))
    }

    /// Decodes a JSON body into the cache, checking it holds nothing after the list. A body
    /// that is UTF-8 (any list is) is checked so once, whole, and its strings are not
    /// checked again one by one; one that is not is decoded as bytes, for the error.
    fn decode_json(
        &self,
        replacing: Option<ServerId>,
        body: &[u8],
    ) -> Result<ListWriter, serde_json::Error> {
        fn decode<'de, R: serde_json::de::Read<'de>>(
            cache: &Cache,
            replacing: Option<ServerId>,
            mut json: serde_json::Deserializer<R>,
        ) -> Result<ListWriter, serde_json::Error> {
            let writer = cache.decode_list(replacing, &mut json)?;
            json.end()?;
            Ok(writer)
        }
        match std::str::from_utf8(body) {
            Ok(text) => decode(self, replacing, serde_json::Deserializer::from_str(text)),
            Err(_) => decode(self, replacing, serde_json::Deserializer::from_slice(body)),
        }
    }

    /// Decodes a list into the cache; the writer, to finish (remove what it did not name).
    fn decode_list<'de, D: Deserializer<'de>>(
        &self,
        replacing: Option<ServerId>,
        deserializer: D,
    ) -> Result<ListWriter, D::Error> {
        deserializer.deserialize_map(ListVisitor {
            cache: self,
            writer: ListWriter::new(replacing),
        })
    }
}

/// The list object: its `members` and `users` arrays, in either order; other keys ignored.
struct ListVisitor<'c> {
    cache: &'c Cache,
    writer: ListWriter,
}

impl<'de> Visitor<'de> for ListVisitor<'_> {
    type Value = ListWriter;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member list with `members` and `users`")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<ListWriter, A::Error> {
        let (mut members, mut users) = (false, false);
        // A list's users are its members' users, one each: the first array's length sizes the
        // second's table when the format does not say (JSON).
        let mut first_len = None;
        while let Some(key) = map.next_key::<ListKey>()? {
            let (seen, name) = match key {
                ListKey::Members => (&mut members, "members"),
                ListKey::Users => (&mut users, "users"),
                ListKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if std::mem::replace(seen, true) {
                return Err(de::Error::duplicate_field(name));
            }
            let len = map.next_value_seed(Batches {
                cache: self.cache,
                writer: &mut self.writer,
                members: key == ListKey::Members,
                expected: first_len,
            })?;
            first_len.get_or_insert(len);
        }
        if !members {
            return Err(de::Error::missing_field("members"));
        }
        if !users {
            return Err(de::Error::missing_field("users"));
        }
        Ok(self.writer)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKey {
    Members,
    Users,
    Other,
}

impl<'de> de::Deserialize<'de> for ListKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = ListKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<ListKey, E> {
                Ok(match key {
                    "members" => ListKey::Members,
                    "users" => ListKey::Users,
                    _ => ListKey::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// One of the list's arrays, decoded and put in a batch at a time.
struct Batches<'c, 'w> {
    cache: &'c Cache,
    writer: &'w mut ListWriter,
    members: bool,
    /// How many items to make room for when the format does not say.
    expected: Option<usize>,
}

/// Decoding an array gives how many items it held.
impl<'de> DeserializeSeed<'de> for Batches<'_, '_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Batches<'_, '_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.members {
            "a list of members"
        } else {
            "a list of users"
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<usize, A::Error> {
        let config = &self.cache.config;
        // A length known ahead sizes the tables once: the other array's (counted), or what
        // the format declares (msgpack), believed only up to a bound since nothing backs it
        // until the items arrive.
        let declared = seq.size_hint().map(|n| n.min(MAX_DECLARED));
        if let Some(len) = declared.or(self.expected) {
            let server = self.writer.replacing.as_ref().map(|(s, _)| *s);
            let (members, users) = if self.members { (len, 0) } else { (0, len) };
            ListWriter::reserve(&mut self.cache.write(), config, server, members, users);
        }
        if self.members {
            in_batches(seq, |batch: &[Member]| {
                self.writer.members(&mut self.cache.write(), config, batch);
            })
        } else {
            in_batches(seq, |batch: &[User]| {
                self.writer.users(&mut self.cache.write(), config, batch);
            })
        }
    }
}

/// Decodes a sequence [`DECODED_BATCH`] items at a time, handing each batch to `put`, the
/// items decoded before an error too; how many there were.
fn in_batches<'de, A, T>(mut seq: A, mut put: impl FnMut(&[T])) -> Result<usize, A::Error>
where
    A: SeqAccess<'de>,
    T: de::Deserialize<'de>,
{
    let mut batch = Vec::with_capacity(DECODED_BATCH);
    let mut count = 0;
    let decoded = loop {
        match seq.next_element() {
            Ok(Some(item)) => {
                batch.push(item);
                count += 1;
                if batch.len() == DECODED_BATCH {
                    put(&batch);
                    batch.clear();
                }
            }
            Ok(None) => break Ok(count),
            Err(error) => break Err(error),
        }
    };
    put(&batch);
    decoded
}
