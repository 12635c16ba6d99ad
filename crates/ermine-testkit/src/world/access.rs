//! Permission questions, answered with the model crate's calculator.

use ermine_model::Timestamp;
use ermine_model::channel::Channel;
use ermine_model::id::{ServerId, UserId};
use ermine_model::permission::calculate::{
    ChannelScope, Perspective, TargetUser, caller_ranking, channel_permissions, member_ranking,
    server_permissions, user_permissions,
};
use ermine_model::permission::{Permissions, UserPermissions};

use super::World;

impl World {
    /// `user` as the calculator's perspective.
    pub(crate) fn perspective(&self, user: UserId) -> Perspective {
        let record = self.users.get(&user);
        Perspective {
            user,
            privileged: record.is_some_and(|r| r.user.privileged),
            bot: record.is_some_and(|r| r.user.bot.is_some()),
        }
    }

    /// `user`'s server-wide permissions in `server` (0 for a non-member or unknown server).
    pub(crate) fn server_permissions(
        &self,
        user: UserId,
        server: ServerId,
        now: Timestamp,
    ) -> Permissions {
        let Some(srv) = self.servers.get(&server) else {
            return Permissions::empty();
        };
        server_permissions(&self.perspective(user), srv, self.member(server, user), now)
    }

    /// `user`'s permissions in `channel`.
    pub(crate) fn channel_permissions(
        &self,
        user: UserId,
        channel: &Channel,
        now: Timestamp,
    ) -> Permissions {
        let who = self.perspective(user);
        match channel {
            Channel::TextChannel(text) => {
                let Some(server) = self.servers.get(&text.server) else {
                    return Permissions::empty();
                };
                let member = self.member(text.server, user);
                channel_permissions(&who, channel, ChannelScope::Server { server, member }, now)
            }
            Channel::DirectMessage(dm) => match dm.other(user) {
                Some(other) => {
                    let target = self.target_user(user, other);
                    channel_permissions(&who, channel, ChannelScope::Direct(&target), now)
                }
                None => Permissions::empty(),
            },
            _ => channel_permissions(&who, channel, ChannelScope::None, now),
        }
    }

    /// What `who` knows about `target`, for user permissions.
    pub(crate) fn target_user(&self, who: UserId, target: UserId) -> TargetUser {
        TargetUser {
            id: target,
            relationship: self.relationship(who, target),
            bot: self.is_bot(target),
            mutual_connection: self.mutual_connection(who, target),
        }
    }

    /// What `who` may do towards `target`.
    pub(crate) fn user_permissions(&self, who: UserId, target: UserId) -> UserPermissions {
        user_permissions(&self.perspective(who), &self.target_user(who, target))
    }

    /// The ranking kick, ban and edit use for the caller.
    pub(crate) fn caller_ranking(&self, server: ServerId, caller: UserId) -> i64 {
        self.servers.get(&server).map_or(i64::MIN, |srv| {
            caller_ranking(srv, caller, self.member(server, caller))
        })
    }

    /// A member's ranking (`i64::MAX` with no roles, or for a non-member).
    pub(crate) fn member_ranking(&self, server: ServerId, user: UserId) -> i64 {
        match (self.servers.get(&server), self.member(server, user)) {
            (Some(srv), Some(member)) => member_ranking(srv, member),
            _ => i64::MAX,
        }
    }
}
