//! Applying gateway events, in receive order.

use ermine_model::channel::Channel;
use ermine_model::event::{ServerCreate, ServerEvent};
use ermine_model::id::{ChannelId, ServerId, UserId};
use ermine_model::member::Member;
use ermine_model::message::Message;
use ermine_model::server::Role;
use ermine_model::user::User;
use ermine_model::{MemberId, Timestamp};

use crate::change::{Change, MemberSnapshot, UserSnapshot};
use crate::compact::{CachedMember, CachedUser};
use crate::config::{CacheConfig, ResourceTypes};
use crate::store::{Cache, Inner};

impl Cache {
    /// Applies one event and says what changed. Feed every event, in receive order, before
    /// handlers run.
    pub fn update(&self, event: &ServerEvent) -> Change {
        let mut inner = self.write();
        apply(&mut inner, &self.config, event)
    }

    /// Applies one event like [`update`](Self::update), without saying what changed: the
    /// cache ends in the same state, and a member update (the bulk of a large server's
    /// traffic) makes no before/after snapshots, so its rare fields are changed in place
    /// instead of copied. For caches whose changes nobody reads.
    pub fn apply(&self, event: &ServerEvent) {
        let mut inner = self.write();
        apply_quietly(&mut inner, &self.config, event);
    }
}

/// [`apply`] without the change report where skipping it saves work (member updates); the
/// rest goes through [`apply`] and its report is dropped.
fn apply_quietly(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) {
    match event {
        ServerEvent::ServerMemberUpdate(update) => {
            member_update(inner, update, false);
        }
        ServerEvent::UserUpdate(update) => {
            user_update(inner, update, false);
        }
        ServerEvent::Bulk(bulk) => {
            for event in &bulk.v {
                apply_quietly(inner, config, event);
            }
        }
        _ => drop(apply(inner, config, event)),
    }
}

/// Applies a member update in place; with `report`, the member before and after.
fn member_update(
    inner: &mut Inner,
    update: &ermine_model::event::ServerMemberUpdate,
    report: bool,
) -> Change {
    let (server, user) = (update.id.server, update.id.user);
    let Some(slot) = inner
        .members
        .get_mut(&server)
        .and_then(|m| m.get_mut(&user))
    else {
        return Change::Member {
            server,
            user,
            before: None,
            after: None,
            reason: None,
        };
    };
    if !report {
        slot.apply_update(&update.data, &update.clear, &mut inner.roles);
        return Change::None;
    }
    // The before snapshot is the member after the update and what the update replaced: the
    // update edits in place, copying no field it leaves alone.
    let replaced = slot.apply_update_keeping(&update.data, &update.clear, &mut inner.roles);
    let after = slot.clone();
    Change::Member {
        server,
        user,
        before: Some(MemberSnapshot::before(
            server,
            user,
            after.clone(),
            replaced,
        )),
        after: Some(MemberSnapshot::stored(server, user, after)),
        reason: None,
    }
}

/// Applies a user update; with `report`, the user before and after.
fn user_update(
    inner: &mut Inner,
    update: &ermine_model::event::UserUpdate,
    report: bool,
) -> Change {
    let Some(slot) = inner.users.get_mut(&update.id) else {
        return Change::User {
            before: None,
            after: None,
        };
    };
    let before = report.then(|| UserSnapshot::stored(update.id, slot.clone()));
    ermine_model::user::apply_update(slot, &update.data, &update.clear);
    if report {
        Change::User {
            before,
            after: Some(UserSnapshot::stored(update.id, slot.clone())),
        }
    } else {
        Change::None
    }
}

fn boxed<T>(value: Option<T>) -> Option<Box<T>> {
    value.map(Box::new)
}

pub(crate) fn apply(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::Ready(ready) => crate::reconcile::ready(inner, config, ready),
        ServerEvent::Bulk(bulk) => {
            Change::Many(bulk.v.iter().map(|e| apply(inner, config, e)).collect())
        }
        ServerEvent::ServerCreate(_)
        | ServerEvent::ServerUpdate(_)
        | ServerEvent::ServerDelete(_) => servers(inner, config, event),
        ServerEvent::ServerMemberJoin(_)
        | ServerEvent::ServerMemberUpdate(_)
        | ServerEvent::ServerMemberLeave(_) => members(inner, config, event),
        ServerEvent::ServerRoleUpdate(_)
        | ServerEvent::ServerRoleDelete(_)
        | ServerEvent::ServerRoleRanksUpdate(_) => roles(inner, event),
        ServerEvent::UserUpdate(_)
        | ServerEvent::UserRelationship(_)
        | ServerEvent::UserPlatformWipe(_) => users(inner, config, event),
        ServerEvent::ChannelCreate(_)
        | ServerEvent::ChannelUpdate(_)
        | ServerEvent::ChannelDelete(_) => channels(inner, config, event),
        _ => messages(inner, config, event),
    }
}

/// Server create, update and delete.
fn servers(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::ServerCreate(create) => server_create(inner, config, create),
        ServerEvent::ServerUpdate(update) => {
            let Some(server) = inner.servers.get_mut(&update.id) else {
                return Change::None;
            };
            let before = server.clone();
            server.apply_update(&update.data, &update.clear);
            Change::Server {
                before: Some(Box::new(before)),
                after: Some(Box::new(server.clone())),
            }
        }
        ServerEvent::ServerDelete(delete) => {
            let before = remove_server(inner, delete.id);
            Change::Server {
                before: boxed(before),
                after: None,
            }
        }
        _ => Change::None,
    }
}

/// Member join, update and leave.
fn members(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::ServerMemberJoin(join) => {
            let joined;
            let member = if let Some(member) = &join.member {
                member
            } else {
                let id = MemberId {
                    server: join.id,
                    user: join.user,
                };
                joined = Member::new(id, Timestamp::now());
                &joined
            };
            let (server, user) = (member.id.server, member.id.user);
            // What is stored when members are kept (no copy of the model), else the model.
            let (before, after) = match compact_member(inner, config, member) {
                Some(slim) => {
                    let after = MemberSnapshot::stored(server, user, slim.clone());
                    (store_member(inner, member.id, slim), after)
                }
                None => (None, MemberSnapshot::model(member.clone())),
            };
            Change::Member {
                server: join.id,
                user: join.user,
                before: before.map(|b| MemberSnapshot::stored(server, user, b)),
                after: Some(after),
                reason: None,
            }
        }
        ServerEvent::ServerMemberUpdate(update) => member_update(inner, update, true),
        ServerEvent::ServerMemberLeave(leave) => {
            let (server, user) = (leave.id, leave.user);
            let before = inner
                .members
                .get_mut(&server)
                .and_then(|m| m.remove(&user))
                .map(|m| MemberSnapshot::stored(server, user, m));
            if inner.me == Some(user) {
                remove_server(inner, server);
            }
            Change::Member {
                server,
                user,
                before,
                after: None,
                reason: Some(leave.reason.clone()),
            }
        }
        _ => Change::None,
    }
}

/// Role update, delete and ranks.
fn roles(inner: &mut Inner, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::ServerRoleUpdate(update) => {
            let Some(server) = inner.servers.get_mut(&update.id) else {
                return Change::None;
            };
            let before = server.roles.get(&update.role_id).cloned();
            let mut role = before
                .clone()
                .unwrap_or_else(|| Role::from_partial(update.role_id, &update.data));
            if before.is_some() {
                role.apply_update(&update.data, &update.clear);
            }
            server.roles.insert(update.role_id, role.clone());
            Change::Role {
                server: update.id,
                before: boxed(before),
                after: Some(Box::new(role)),
            }
        }
        ServerEvent::ServerRoleDelete(delete) => {
            let before = inner
                .servers
                .get_mut(&delete.id)
                .and_then(|s| s.roles.remove(&delete.role_id));
            let Inner { members, roles, .. } = &mut *inner;
            for member in members
                .get_mut(&delete.id)
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                member.strip_role(delete.role_id, roles);
            }
            roles.prune();
            for channel in inner.channels.values_mut() {
                if let Channel::TextChannel(text) = channel
                    && text.server == delete.id
                {
                    text.role_permissions.remove(&delete.role_id);
                }
            }
            Change::Role {
                server: delete.id,
                before: boxed(before),
                after: None,
            }
        }
        ServerEvent::ServerRoleRanksUpdate(ranks) => {
            if let Some(server) = inner.servers.get_mut(&ranks.id) {
                for (rank, id) in ranks.ranks.iter().enumerate() {
                    if let Some(role) = server.roles.get_mut(id) {
                        role.rank = i64::try_from(rank).unwrap_or(i64::MAX);
                    }
                }
            }
            Change::RoleRanks { server: ranks.id }
        }
        _ => Change::None,
    }
}

/// User updates, relationships and wipes.
fn users(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::UserUpdate(update) => user_update(inner, update, true),
        ServerEvent::UserRelationship(rel) => {
            let before = put_user(inner, config, &rel.user);
            Change::User {
                before: before.map(|b| UserSnapshot::stored(rel.user.id, b)),
                after: Some(UserSnapshot::model(rel.user.clone())),
            }
        }
        ServerEvent::UserPlatformWipe(wipe) => wipe_user(inner, wipe.user_id),
        _ => Change::None,
    }
}

/// Channel create, update and delete.
fn channels(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::ChannelCreate(channel) => {
            let before = put_channel(inner, config, (**channel).clone());
            Change::Channel {
                before: boxed(before),
                after: Some(channel.clone()),
            }
        }
        ServerEvent::ChannelUpdate(update) => {
            let Some(channel) = inner.channels.get_mut(&update.id) else {
                return Change::None;
            };
            let before = channel.clone();
            channel.apply_update(&update.data, &update.clear);
            Change::Channel {
                before: Some(Box::new(before)),
                after: Some(Box::new(channel.clone())),
            }
        }
        ServerEvent::ChannelDelete(delete) => {
            let before = remove_channel(inner, delete.id);
            Change::Channel {
                before: boxed(before),
                after: None,
            }
        }
        _ => Change::None,
    }
}

/// Messages and their updates and deletions.
fn messages(inner: &mut Inner, config: &CacheConfig, event: &ServerEvent) -> Change {
    match event {
        ServerEvent::Message(message) => put_message(inner, config, message),
        ServerEvent::MessageUpdate(update) => {
            let Some(stored) = inner
                .messages
                .get_mut(&update.channel)
                .and_then(|m| m.iter_mut().find(|m| m.id == update.id))
            else {
                return Change::None;
            };
            let before = stored.clone();
            stored.apply_update(&update.data, &update.clear);
            Change::Message {
                before: Some(Box::new(before)),
                after: Some(Box::new(stored.clone())),
            }
        }
        ServerEvent::MessageDelete(delete) => Change::Message {
            before: boxed(remove_message(inner, delete.channel, |m| m.id == delete.id).pop()),
            after: None,
        },
        ServerEvent::BulkMessageDelete(delete) => Change::Many(
            remove_message(inner, delete.channel, |m| delete.ids.contains(&m.id))
                .into_iter()
                .map(|m| Change::Message {
                    before: Some(Box::new(m)),
                    after: None,
                })
                .collect(),
        ),

        _ => Change::None,
    }
}

fn server_create(inner: &mut Inner, config: &CacheConfig, create: &ServerCreate) -> Change {
    let before = inner.servers.get(&create.id).cloned();
    if config.resources.contains(ResourceTypes::SERVERS) {
        inner.servers.insert(create.id, create.server.clone());
    }
    for channel in &create.channels {
        put_channel(inner, config, channel.clone());
    }
    // Joining a server: the own member is not in the payload; make it up.
    if let Some(me) = inner.me {
        let exists = inner
            .members
            .get(&create.id)
            .is_some_and(|m| m.contains_key(&me));
        if !exists {
            let member = Member::new(
                MemberId {
                    server: create.id,
                    user: me,
                },
                Timestamp::now(),
            );
            put_member(inner, config, &member);
        }
    }
    Change::Server {
        before: boxed(before),
        after: Some(Box::new(create.server.clone())),
    }
}

/// Puts a member in when members are kept; the member it replaced.
pub(crate) fn put_member(
    inner: &mut Inner,
    config: &CacheConfig,
    member: &Member,
) -> Option<CachedMember> {
    let slim = compact_member(inner, config, member)?;
    store_member(inner, member.id, slim)
}

/// A member's compact form, when members are kept.
fn compact_member(
    inner: &mut Inner,
    config: &CacheConfig,
    member: &Member,
) -> Option<CachedMember> {
    config
        .resources
        .contains(ResourceTypes::MEMBERS)
        .then(|| CachedMember::from_member(member, &mut inner.roles))
}

/// Stores a member's compact form; the one it replaced.
fn store_member(inner: &mut Inner, id: MemberId, slim: CachedMember) -> Option<CachedMember> {
    inner
        .members
        .entry(id.server)
        .or_default()
        .insert(id.user, slim)
}

/// Entries converted to their compact forms before they go into a table together. On a large
/// cache most of an insert is waiting for the table's memory; with the conversions done
/// first, the inserts of a batch run back to back and those waits overlap.
const BATCH: usize = 4096;

/// The room converted batches are made in. A list put in part by part reuses one: a new
/// one per part would be a large allocation each time, and with glibc's allocator each large
/// allocation first merges every small chunk freed since the last (the part just decoded).
#[derive(Default)]
pub(crate) struct Scratch {
    members: Vec<(MemberId, CachedMember)>,
    users: Vec<(UserId, CachedUser)>,
}

/// Puts members in (a list, a `Ready`), in batches; with `changes`, each member that is new
/// or differs from its cached value is reported there.
pub(crate) fn put_members(
    inner: &mut Inner,
    config: &CacheConfig,
    members: &[Member],
    mut changes: Option<&mut Vec<Change>>,
    scratch: &mut Scratch,
) {
    if !config.resources.contains(ResourceTypes::MEMBERS) {
        return;
    }
    let (roles, tables) = (&mut inner.roles, &mut inner.members);
    convert_in_batches(
        members,
        &mut scratch.members,
        |m| (m.id, CachedMember::from_member(m, roles)),
        |mut rest| {
            // Runs of one server's members go into its table without looking it up again.
            while let Some((id, slim)) = rest.next() {
                let server = id.server;
                let table = tables.entry(server).or_default();
                let mut next = Some((id.user, slim));
                while let Some((user, slim)) = next {
                    if let Some((ahead, _)) = rest.as_slice().get(LOOK_AHEAD) {
                        std::hint::black_box(table.contains_key(&ahead.user));
                    }
                    let before = table.insert(user, slim);
                    if let Some(changes) = changes.as_deref_mut() {
                        report_member(changes, table, server, user, before);
                    }
                    next = if rest
                        .as_slice()
                        .first()
                        .is_some_and(|(id, _)| id.server == server)
                    {
                        rest.next().map(|(id, slim)| (id.user, slim))
                    } else {
                        None
                    };
                }
            }
        },
    );
}

/// How many entries ahead of the one going in a batch looks up its key (a lookup nothing
/// reads, kept by `black_box`): in a table larger than the processor's caches, it starts
/// fetching the memory that entry's insert will read while the inserts before it run, instead
/// of each insert waiting for its own (W1 at a million members: 3–5 % faster; a few entries
/// ahead is enough, and further the fetched memory may be gone again before it is used).
const LOOK_AHEAD: usize = 4;

/// Converts `items` a [`BATCH`] at a time into `batch`, then hands each converted batch to
/// `insert`.
fn convert_in_batches<T, C>(
    items: &[T],
    batch: &mut Vec<C>,
    mut convert: impl FnMut(&T) -> C,
    mut insert: impl FnMut(std::vec::Drain<'_, C>),
) {
    batch.reserve(BATCH.min(items.len()));
    for chunk in items.chunks(BATCH) {
        batch.extend(chunk.iter().map(&mut convert));
        insert(batch.drain(..));
    }
}

/// Reports a member just put in `table` when it is new or differs from `before`.
#[inline(never)]
fn report_member(
    changes: &mut Vec<Change>,
    table: &crate::store::MemberTable,
    server: ServerId,
    user: UserId,
    before: Option<CachedMember>,
) {
    let Some(after) = table.get(&user) else {
        return;
    };
    if before.as_ref() != Some(after) {
        changes.push(Change::Member {
            server,
            user,
            before: before.map(|b| MemberSnapshot::stored(server, user, b)),
            after: Some(MemberSnapshot::stored(server, user, after.clone())),
            reason: None,
        });
    }
}

/// Puts users in (a list, a `Ready`), in batches; with `changed`, each user that is new or
/// differs from its cached value is named there.
pub(crate) fn put_users(
    inner: &mut Inner,
    config: &CacheConfig,
    users: &[User],
    mut changed: Option<&mut Vec<UserId>>,
    scratch: &mut Scratch,
) {
    if !config.resources.contains(ResourceTypes::USERS) {
        return;
    }
    convert_in_batches(
        users,
        &mut scratch.users,
        |u| (u.id, CachedUser::from_user(u)),
        |mut batch| {
            while let Some((id, user)) = batch.next() {
                if let Some((ahead, _)) = batch.as_slice().get(LOOK_AHEAD) {
                    std::hint::black_box(inner.users.contains_key(ahead));
                }
                let (at, before) = inner.users.insert_full(id, user);
                if let Some(changed) = changed.as_deref_mut() {
                    // The compact form is exact, so comparing it compares the users.
                    if before.as_ref() != inner.users.get_index(at).map(|(_, u)| u) {
                        changed.push(id);
                    }
                }
            }
        },
    );
}

pub(crate) fn put_user(inner: &mut Inner, config: &CacheConfig, user: &User) -> Option<CachedUser> {
    if !config.resources.contains(ResourceTypes::USERS) {
        return None;
    }
    inner.users.insert(user.id, CachedUser::from_user(user))
}

pub(crate) fn put_channel(
    inner: &mut Inner,
    config: &CacheConfig,
    channel: Channel,
) -> Option<Channel> {
    if !config.resources.contains(ResourceTypes::CHANNELS) {
        return None;
    }
    let id = channel.id()?;
    // The DM with a user, by that user; your Saved Messages are your DM with yourself.
    let with = match (&channel, inner.me) {
        (Channel::DirectMessage(dm), Some(me)) => dm.other(me),
        (Channel::SavedMessages(saved), _) => Some(saved.user),
        _ => None,
    };
    if let Some(user) = with {
        inner.dms.insert(user, id);
    }
    inner.channels.insert(id, channel)
}

fn remove_channel(inner: &mut Inner, id: ChannelId) -> Option<Channel> {
    inner.messages.remove(&id);
    inner.dms.retain(|_, c| *c != id);
    inner.channels.remove(&id)
}

/// Drops a server and everything under it.
pub(crate) fn remove_server(
    inner: &mut Inner,
    id: ServerId,
) -> Option<ermine_model::server::Server> {
    inner.members.remove(&id);
    let channels: Vec<ChannelId> = inner
        .channels
        .iter()
        .filter(|(_, c)| c.server() == Some(id))
        .map(|(k, _)| *k)
        .collect();
    for channel in channels {
        remove_channel(inner, channel);
    }
    inner.servers.remove(&id)
}

fn put_message(inner: &mut Inner, config: &CacheConfig, message: &Message) -> Change {
    if let Some(user) = &message.user {
        put_user(inner, config, user);
    }
    if let Some(member) = &message.member {
        put_member(inner, config, member);
    }
    if !config.resources.contains(ResourceTypes::MESSAGES) || config.messages_per_channel == 0 {
        return Change::None;
    }
    let mut stored = message.clone();
    stored.user = None;
    stored.member = None;
    let list = inner.messages.entry(message.channel).or_default();
    // A message seen again (a replayed event) replaces its copy instead of doubling it.
    let before = if let Some(at) = list.iter().rposition(|m| m.id == stored.id) {
        Some(Box::new(std::mem::replace(&mut list[at], stored)))
    } else {
        list.push_back(stored);
        None
    };
    while list.len() > config.messages_per_channel {
        list.pop_front();
    }
    Change::Message {
        before,
        after: Some(Box::new(message.clone())),
    }
}

fn remove_message(
    inner: &mut Inner,
    channel: ChannelId,
    doomed: impl Fn(&Message) -> bool,
) -> Vec<Message> {
    let Some(list) = inner.messages.get_mut(&channel) else {
        return Vec::new();
    };
    let (gone, kept): (Vec<Message>, Vec<Message>) = list.drain(..).partition(|m| doomed(m));
    list.extend(kept);
    gone
}

/// `UserPlatformWipe`: the user's messages, DMs, relationship and memberships go.
fn wipe_user(inner: &mut Inner, user: UserId) -> Change {
    for list in inner.messages.values_mut() {
        list.retain(|m| m.author != user);
    }
    if let Some(dm) = inner.dms.remove(&user) {
        inner.channels.remove(&dm);
        inner.messages.remove(&dm);
    }
    let mut changes = Vec::new();
    for (server, members) in &mut inner.members {
        if let Some(m) = members.remove(&user) {
            changes.push(Change::Member {
                server: *server,
                user,
                before: Some(MemberSnapshot::stored(*server, user, m)),
                after: None,
                reason: None,
            });
        }
    }
    let before = inner.users.swap_remove(&user);
    changes.push(Change::User {
        before: before.map(|b| UserSnapshot::stored(user, b)),
        after: None,
    });
    Change::Many(changes)
}
