//! Permissions from the cache, by the model's calculator: the one place that builds the
//! calculator's inputs (who is asking, and what the channel depends on).

use ermine_model::Timestamp;
use ermine_model::channel::Channel;
use ermine_model::id::{ServerId, UserId};
use ermine_model::permission::calculate::{
    ChannelScope, Explanation, Perspective, TargetUser, explain_channel_permissions,
    explain_server_permissions,
};

use crate::{Client, Error};

/// The calculator's view of a user: privileged and bot as cached (neither when not cached).
pub(crate) fn perspective(client: &Client, user: UserId) -> Perspective {
    let cached = client.cache().user(user);
    Perspective {
        user,
        privileged: cached.as_ref().is_some_and(|u| u.privileged),
        bot: cached.as_ref().is_some_and(|u| u.bot.is_some()),
    }
}

/// A user's server-wide permissions, step by step.
pub(crate) fn in_server(
    client: &Client,
    server: ServerId,
    user: UserId,
    member: Option<&ermine_model::member::Member>,
) -> Result<Explanation, Error> {
    let cached = client
        .cache()
        .server(server)
        .ok_or_else(|| Error::not_cached("server", &server))?;
    let cached_member = if member.is_none() {
        client.cache().member(server, user)
    } else {
        None
    };
    let member = member.or(cached_member.as_ref());
    Ok(explain_server_permissions(
        &perspective(client, user),
        &cached,
        member,
        Timestamp::now(),
    ))
}

/// A user's permissions in a cached channel, step by step.
pub(crate) fn in_channel(
    client: &Client,
    channel: &Channel,
    user: UserId,
) -> Result<Explanation, Error> {
    let who = perspective(client, user);
    let now = Timestamp::now();
    let cache = client.cache();
    match channel {
        Channel::TextChannel(text) => {
            let server = cache
                .server(text.server)
                .ok_or_else(|| Error::not_cached("server", &text.server))?;
            let member = cache.member(text.server, user);
            let scope = ChannelScope::Server {
                server: &server,
                member: member.as_ref(),
            };
            Ok(explain_channel_permissions(&who, channel, scope, now))
        }
        Channel::DirectMessage(dm) => {
            let other = dm.recipients.iter().copied().find(|r| *r != user);
            let target = other.map(|id| {
                let cached = cache.user(id);
                TargetUser {
                    id,
                    relationship: cached
                        .as_ref()
                        .map(|u| u.relationship.clone())
                        .unwrap_or_default(),
                    bot: cached.as_ref().is_some_and(|u| u.bot.is_some()),
                    mutual_connection: true,
                }
            });
            let scope = target
                .as_ref()
                .map_or(ChannelScope::None, ChannelScope::Direct);
            Ok(explain_channel_permissions(&who, channel, scope, now))
        }
        _ => Ok(explain_channel_permissions(
            &who,
            channel,
            ChannelScope::None,
            now,
        )),
    }
}
