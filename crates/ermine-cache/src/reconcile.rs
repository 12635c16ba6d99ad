//! `Ready` after a reconnect, and fetched member lists: replacing what they cover and saying
//! what differed.

use std::collections::{HashMap, HashSet};

use ermine_model::event::Ready;
use ermine_model::id::{ServerId, UserId};
use ermine_model::member::{AllMemberResponse, Member};

use crate::change::{Change, ReadySummary};
use crate::compact::CachedMember;
use crate::config::{CacheConfig, ResourceTypes};
use crate::store::{Cache, Inner};
use crate::update::{put_channel, put_member, put_user, remove_server};

pub(crate) fn ready(inner: &mut Inner, config: &CacheConfig, ready: &Ready) -> Change {
    let reconnect = inner.readies > 0;
    inner.readies += 1;
    let mut summary = ReadySummary {
        reconnect,
        ..ReadySummary::default()
    };
    // Yourself: the user of your own members, else the self view among the users (the one
    // with `relations`, or the only `User` relationship that is online).
    let me = ready
        .members
        .as_ref()
        .and_then(|m| m.first())
        .map(|m| m.id.user)
        .or_else(|| {
            ready.users.as_ref().and_then(|users| {
                users
                    .iter()
                    .find(|u| {
                        u.relationship == ermine_model::user::RelationshipStatus::User && u.online
                    })
                    .map(|u| u.id)
            })
        });
    if me.is_some() {
        inner.me = me;
    }
    if let Some(servers) = &ready.servers {
        let fresh: HashSet<ServerId> = servers.iter().map(|s| s.id).collect();
        let known: Vec<ServerId> = inner.servers.keys().copied().collect();
        for id in known {
            if !fresh.contains(&id) {
                remove_server(inner, id);
                summary.servers_removed.push(id);
            }
        }
        for server in servers {
            if !inner.servers.contains_key(&server.id) {
                summary.servers_added.push(server.id);
            }
            if config.resources.contains(ResourceTypes::SERVERS) {
                inner.servers.insert(server.id, server.clone());
            }
        }
    }
    if let Some(channels) = &ready.channels {
        // Channels the fresh Ready lists replace the cached ones; others are gone.
        let fresh: HashSet<_> = channels
            .iter()
            .filter_map(ermine_model::channel::Channel::id)
            .collect();
        inner.channels.retain(|id, _| fresh.contains(id));
        inner.messages.retain(|id, _| fresh.contains(id));
        inner.dms.retain(|_, c| fresh.contains(c));
        for channel in channels {
            put_channel(inner, config, channel.clone());
        }
    }
    if reconnect {
        // Only your own members come with Ready: the others may be stale.
        let me = inner.me;
        for (server, members) in &mut inner.members {
            if config.keep_member_lists {
                if members.len() > 1 {
                    summary.refresh.push(*server);
                }
            } else {
                let before = members.len();
                members.retain(|user, _| Some(*user) == me);
                summary.members_dropped += before - members.len();
            }
        }
    }
    if let Some(members) = &ready.members {
        for member in members {
            put_member(inner, config, member);
        }
    }
    if let Some(users) = &ready.users {
        for user in users {
            let before = put_user(inner, config, user);
            if reconnect && before.as_ref() != Some(user) {
                summary.users_changed.push(user.id);
            }
        }
        if reconnect && !config.keep_member_lists {
            // Users nobody refers to any more cannot be vouched for either.
            let listed: HashSet<UserId> = users.iter().map(|u| u.id).collect();
            let referenced: HashSet<UserId> = inner
                .members
                .values()
                .flat_map(|m| m.keys().copied())
                .chain(inner.dms.keys().copied())
                .collect();
            inner
                .users
                .retain(|id, _| listed.contains(id) || referenced.contains(id));
        }
    }
    summary.refresh.sort();
    Change::Ready(summary)
}

/// Adds a fetched member list; returns the members that differed from the cache.
pub(crate) fn put_list(
    inner: &mut Inner,
    config: &CacheConfig,
    list: &AllMemberResponse,
    report: bool,
) -> Vec<Change> {
    let mut changes = Vec::new();
    // Users are joined to members by ID: each list goes in under its own keys.
    inner.users.reserve(list.users.len());
    for user in &list.users {
        put_user(inner, config, user);
    }
    if let Some(first) = list.members.first() {
        inner
            .members
            .entry(first.id.server)
            .or_default()
            .reserve(list.members.len());
    }
    for member in &list.members {
        let before = put_member(inner, config, member)
            .map(|b| crate::change::MemberSnapshot::stored(member.id.server, member.id.user, b));
        if report
            && before
                .as_ref()
                .map(crate::change::MemberSnapshot::to_member)
                .as_ref()
                != Some(member)
        {
            changes.push(Change::Member {
                server: member.id.server,
                user: member.id.user,
                before,
                after: Some(crate::change::MemberSnapshot::model(member.clone())),
                reason: None,
            });
        }
    }
    changes
}

impl Cache {
    /// Replaces a server's cached members with a fetched list (`GET /servers/{id}/members`,
    /// joined to users by ID) and returns what differed: joins, changes, and members that
    /// are gone (`after: None`, no reason known).
    pub fn replace_members(&self, server: ServerId, list: &AllMemberResponse) -> Vec<Change> {
        let mut inner = self.write();
        let fresh: HashSet<UserId> = list.members.iter().map(|m| m.id.user).collect();
        let gone: Vec<(UserId, CachedMember)> = inner
            .members
            .get_mut(&server)
            .map(|members| {
                let doomed: Vec<UserId> = members
                    .keys()
                    .filter(|u| !fresh.contains(u))
                    .copied()
                    .collect();
                doomed
                    .into_iter()
                    .filter_map(|u| members.remove(&u).map(|m| (u, m)))
                    .collect()
            })
            .unwrap_or_default();
        let mut changes: Vec<Change> = gone
            .into_iter()
            .map(|(user, m)| Change::Member {
                server,
                user,
                before: Some(crate::change::MemberSnapshot::stored(server, user, m)),
                after: None,
                reason: None,
            })
            .collect();
        changes.extend(put_list(&mut inner, &self.config, list, true));
        changes
    }

    /// Members of a server as a map (for comparisons in tests and reconciliation checks).
    pub fn member_map(&self, server: ServerId) -> HashMap<UserId, Member> {
        self.members(server)
            .into_iter()
            .map(|m| (m.id.user, m))
            .collect()
    }
}
