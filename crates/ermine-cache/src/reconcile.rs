//! `Ready` after a reconnect, and fetched member lists: replacing what they cover and saying
//! what differed.

use std::collections::{HashMap, HashSet};

use ermine_model::event::Ready;
use ermine_model::id::{ServerId, UserId};
use ermine_model::member::Member;

use crate::change::{Change, ReadySummary};
use crate::config::{CacheConfig, ResourceTypes};
use crate::store::{Cache, Inner};
use crate::update::{Scratch, put_channel, put_members, put_users, remove_server};

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
    let mut scratch = Scratch::default();
    if let Some(members) = &ready.members {
        put_members(inner, config, members, None, &mut scratch);
    }
    if let Some(users) = &ready.users {
        if config.resources.contains(ResourceTypes::USERS) {
            // Room for them all, counting those already cached (a reconnect's are).
            inner
                .users
                .reserve(users.len().saturating_sub(inner.users.len()));
        }
        put_users(
            inner,
            config,
            users,
            reconnect.then_some(&mut summary.users_changed),
            &mut scratch,
        );
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

impl Cache {
    /// Members of a server as a map (for comparisons in tests and reconciliation checks).
    pub fn member_map(&self, server: ServerId) -> HashMap<UserId, Member> {
        self.members(server)
            .into_iter()
            .map(|m| (m.id.user, m))
            .collect()
    }
}
