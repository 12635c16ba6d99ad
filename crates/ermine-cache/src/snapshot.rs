//! The whole cache as one value: to hand its state to another process or restore it after a
//! restart.

use ermine_model::channel::Channel;
use ermine_model::id::UserId;
use ermine_model::member::Member;
use ermine_model::message::Message;
use ermine_model::server::Server;
use ermine_model::user::User;
use serde::{Deserialize, Serialize};

use crate::Cache;

/// Everything a cache holds, in the API's shapes (members joined to users by ID).
///
/// Restoring a snapshot taken after a `Ready` keeps that fact: the next `Ready` is then
/// reconciled against it (what changed meanwhile is reported), as after a reconnect.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CacheSnapshot {
    /// Your own user ID, once known.
    pub me: Option<UserId>,
    /// How many `Ready`s the cache has applied.
    pub readies: u64,
    /// Users.
    pub users: Vec<User>,
    /// Servers.
    pub servers: Vec<Server>,
    /// Members of every server.
    pub members: Vec<Member>,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Cached messages, oldest first per channel.
    pub messages: Vec<Message>,
}

impl Cache {
    /// A copy of everything the cache holds, taken under one read lock (consistent).
    pub fn export(&self) -> CacheSnapshot {
        let inner = self.read();
        CacheSnapshot {
            me: inner.me,
            readies: inner.readies,
            users: inner.users.iter().map(|(id, u)| u.to_user(*id)).collect(),
            servers: inner.servers.values().cloned().collect(),
            members: inner
                .members
                .iter()
                .flat_map(|(server, list)| list.iter().map(|(user, m)| m.to_member(*server, *user)))
                .collect(),
            channels: inner.channels.values().cloned().collect(),
            messages: inner.messages.values().flatten().cloned().collect(),
        }
    }

    /// Replaces everything the cache holds with a snapshot (what the cache's configuration
    /// does not keep is left out).
    pub fn import(&self, snapshot: &CacheSnapshot) {
        use crate::ResourceTypes as R;
        let mut inner = self.write();
        let keeps = |r: R| self.config.resources.contains(r);
        *inner = crate::store::Inner::default();
        inner.me = snapshot.me;
        inner.readies = snapshot.readies;
        let mut scratch = crate::update::Scratch::default();
        crate::update::put_users(
            &mut inner,
            &self.config,
            &snapshot.users,
            None,
            &mut scratch,
        );
        if keeps(R::SERVERS) {
            for server in &snapshot.servers {
                inner.servers.insert(server.id, server.clone());
            }
        }
        crate::update::put_members(
            &mut inner,
            &self.config,
            &snapshot.members,
            None,
            &mut scratch,
        );
        for channel in &snapshot.channels {
            crate::update::put_channel(&mut inner, &self.config, channel.clone());
        }
        if keeps(R::MESSAGES) {
            let cap = self.config.messages_per_channel;
            for message in &snapshot.messages {
                let list = inner.messages.entry(message.channel).or_default();
                list.push_back(message.clone());
                while list.len() > cap {
                    list.pop_front();
                }
            }
        }
    }
}
