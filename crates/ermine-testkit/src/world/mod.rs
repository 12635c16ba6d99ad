//! The server's in-memory database and the queries the routes share.

mod access;
pub(crate) mod limits;
mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use ermine_model::Timestamp;
use ermine_model::auth::Bot;
use ermine_model::channel::Channel;
use ermine_model::file::File;
use ermine_model::id::{ChannelId, Id, MessageId, ServerId, SessionId, UserId};
use ermine_model::invite::Invite;
use ermine_model::member::{Member, ServerBan};
use ermine_model::message::Message;
use ermine_model::report::ReportBody;
use ermine_model::server::Server;
use ermine_model::user::{RelationshipStatus, User, UserProfile};

/// An account: e-mail, password, the ID its user gets, its second factors, and whether it is
/// disabled.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) id: UserId,
    pub(crate) email: String,
    pub(crate) password: String,
    pub(crate) mfa: Mfa,
    pub(crate) disabled: bool,
}

impl Account {
    /// A new, enabled account without second factors.
    pub(crate) fn new(id: UserId, email: String, password: String) -> Self {
        Self {
            id,
            email,
            password,
            mfa: Mfa::default(),
            disabled: false,
        }
    }
}

/// An account's second factors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mfa {
    pub(crate) totp: Totp,
    pub(crate) recovery: Vec<String>,
}

/// TOTP: off, a secret generated and not yet confirmed, or on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Totp {
    #[default]
    Disabled,
    Pending(String),
    Enabled(String),
}

/// An MFA ticket: proof of a passed step, valid for five minutes.
#[derive(Debug, Clone)]
pub(crate) struct Ticket {
    pub(crate) id: String,
    /// When it was made (it expires five minutes later).
    pub(crate) created: Timestamp,
    pub(crate) account: UserId,
    pub(crate) token: String,
    pub(crate) validated: bool,
    pub(crate) authorised: bool,
    pub(crate) last_totp_code: Option<String>,
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub(crate) struct SessionRecord {
    pub(crate) id: SessionId,
    pub(crate) user: UserId,
    pub(crate) token: String,
    pub(crate) name: String,
    pub(crate) subscription: Option<ermine_model::auth::WebPushSubscription>,
}

/// Who a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Auth {
    pub(crate) user: UserId,
    /// The session, for user tokens; `None` for bot tokens.
    pub(crate) session: Option<SessionId>,
}

/// A stored user: the model as the owner sees it, plus what only the server knows.
#[derive(Debug, Clone)]
pub(crate) struct UserRecord {
    /// Stored with `relationship: None`, `online: false`, no `relations`; rendered per viewer.
    pub(crate) user: User,
    pub(crate) profile: UserProfile,
    pub(crate) relations: HashMap<UserId, RelationshipStatus>,
}

/// An uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct FileRecord {
    pub(crate) file: File,
    pub(crate) bytes: Vec<u8>,
    pub(crate) used: bool,
}

/// A report received through `POST /safety/report`.
#[derive(Debug, Clone)]
pub(crate) struct ReportRecord {
    pub(crate) author: UserId,
    pub(crate) body: ReportBody,
}

/// The whole state of the server.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub(crate) accounts: HashMap<String, Account>,
    pub(crate) account_ids: HashMap<UserId, String>,
    pub(crate) sessions: HashMap<SessionId, SessionRecord>,
    pub(crate) tokens: HashMap<String, Auth>,
    pub(crate) users: HashMap<UserId, UserRecord>,
    pub(crate) usernames: HashSet<(String, String)>,
    pub(crate) bots: HashMap<UserId, Bot>,
    pub(crate) servers: HashMap<ServerId, Server>,
    pub(crate) members: HashMap<ServerId, BTreeMap<UserId, Member>>,
    pub(crate) user_servers: HashMap<UserId, BTreeSet<ServerId>>,
    pub(crate) bans: HashMap<ServerId, BTreeMap<UserId, ServerBan>>,
    pub(crate) channels: HashMap<ChannelId, Channel>,
    pub(crate) dms: HashMap<(UserId, UserId), ChannelId>,
    pub(crate) saved: HashMap<UserId, ChannelId>,
    pub(crate) messages: HashMap<ChannelId, BTreeMap<MessageId, Message>>,
    pub(crate) unreads: HashMap<(ChannelId, UserId), MessageId>,
    pub(crate) files: HashMap<String, FileRecord>,
    pub(crate) invites: HashMap<String, Invite>,
    pub(crate) emojis: HashMap<ermine_model::id::EmojiId, ermine_model::emoji::Emoji>,
    /// MFA tickets by token.
    pub(crate) tickets: HashMap<String, Ticket>,
    /// Synced settings: per user, key → (last change in ms, value).
    pub(crate) settings: HashMap<UserId, ermine_model::auth::UserSettings>,
    pub(crate) webhooks: HashMap<ermine_model::id::WebhookId, ermine_model::webhook::Webhook>,
    pub(crate) reports: Vec<ReportRecord>,
    /// Users in a voice channel, by user (recorded by `join_call` without LiveKit, by
    /// LiveKit's webhooks with it).
    pub(crate) voice: HashMap<UserId, ChannelId>,
    /// The LiveKit node each call runs on, by channel (set by its first `join_call`).
    pub(crate) voice_nodes: HashMap<ChannelId, String>,
    pub(crate) idempotency: VecDeque<String>,
    /// Audit-log entries, oldest first (a ring of [`AUDIT_LOG_KEPT`]).
    pub(crate) audit_logs: VecDeque<ermine_model::audit::AuditLogEntry>,
    ids: IdSource,
}

/// How many audit-log entries the server keeps (the real one expires them after a while).
pub(crate) const AUDIT_LOG_KEPT: usize = 10_000;

impl World {
    /// Records an audit-log entry.
    pub(crate) fn audit(
        &mut self,
        server: ServerId,
        user: UserId,
        target: Option<UserId>,
        reason: Option<String>,
        action: ermine_model::audit::AuditLogAction,
        now: Timestamp,
    ) {
        let id: ermine_model::id::Id<()> = self.id(now);
        if self.audit_logs.len() >= AUDIT_LOG_KEPT {
            self.audit_logs.pop_front();
        }
        self.audit_logs
            .push_back(ermine_model::audit::AuditLogEntry {
                id: id.to_string(),
                server,
                reason,
                user,
                target: target.map(|t| t.to_string()),
                action,
            });
    }
}

/// Monotonic ULIDs, so that IDs sort in creation order as the real server's do.
#[derive(Default)]
struct IdSource {
    generator: Option<ulid::Generator>,
}

impl std::fmt::Debug for IdSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdSource").finish_non_exhaustive()
    }
}

impl IdSource {
    fn next(&mut self, now: Timestamp) -> u128 {
        let generator = self.generator.get_or_insert_with(ulid::Generator::new);
        let time = std::time::UNIX_EPOCH
            + std::time::Duration::from_millis(u64::try_from(now.unix_millis()).unwrap_or(0));
        if let Ok(id) = generator.generate_from_datetime(time) {
            id.0
        } else {
            // The random part overflowed within one millisecond: start a fresh sequence.
            *generator = ulid::Generator::new();
            ulid::Ulid::from_datetime(time).0
        }
    }
}

/// Discriminators the real server never hands out.
const RESERVED_DISCRIMINATORS: [&str; 12] = [
    "0123", "1234", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9999", "1488",
];

impl World {
    /// A fresh ID of any kind, created now.
    pub(crate) fn id<M>(&mut self, now: Timestamp) -> Id<M> {
        let value = self.ids.next(now);
        Id::from_u128(value).unwrap_or_else(|| Id::new_at(now, value >> 1))
    }

    /// A fresh random token (64 characters, like the real server's).
    pub(crate) fn token(&mut self, now: Timestamp) -> String {
        let a = ulid::Ulid::new().to_string();
        let b = ulid::Ulid::new().to_string();
        let c = self.ids.next(now);
        format!("{a}{b}{c:012x}").chars().take(64).collect()
    }

    /// A discriminator not yet taken for `username` (`None` when all are taken).
    pub(crate) fn discriminator(&mut self, username: &str) -> Option<String> {
        let lower = username.to_lowercase();
        let start = u32::try_from(ulid::Ulid::new().0 % 9997).unwrap_or(0) + 2;
        (0..9997u32)
            .map(|i| (start + i - 2) % 9997 + 2)
            .map(|n| format!("{n:04}"))
            .find(|d| {
                !RESERVED_DISCRIMINATORS.contains(&d.as_str())
                    && !self.usernames.contains(&(lower.clone(), d.clone()))
            })
    }

    /// Resolves a token to its owner.
    pub(crate) fn auth(&self, token: &str) -> Option<Auth> {
        self.tokens.get(token).copied()
    }

    /// Whether `user` is a bot.
    pub(crate) fn is_bot(&self, user: UserId) -> bool {
        self.users.get(&user).is_some_and(|u| u.user.bot.is_some())
    }

    /// The member object of `user` in `server`.
    pub(crate) fn member(&self, server: ServerId, user: UserId) -> Option<&Member> {
        self.members.get(&server).and_then(|m| m.get(&user))
    }

    /// The member object of `user` in `server`, mutably.
    pub(crate) fn member_mut(&mut self, server: ServerId, user: UserId) -> Option<&mut Member> {
        self.members.get_mut(&server).and_then(|m| m.get_mut(&user))
    }

    /// Adds `user` to `server` (no checks) and returns the new member.
    pub(crate) fn add_member(&mut self, server: ServerId, user: UserId, now: Timestamp) -> Member {
        let member = Member::new(ermine_model::MemberId { server, user }, now);
        self.members
            .entry(server)
            .or_default()
            .insert(user, member.clone());
        self.user_servers.entry(user).or_default().insert(server);
        member
    }

    /// Removes `user` from `server`; returns the member it was.
    pub(crate) fn remove_member(&mut self, server: ServerId, user: UserId) -> Option<Member> {
        if let Some(set) = self.user_servers.get_mut(&user) {
            set.remove(&server);
        }
        self.members.get_mut(&server).and_then(|m| m.remove(&user))
    }

    /// The stored relationship of `a` towards `b` (`None` when there is none).
    pub(crate) fn relationship(&self, a: UserId, b: UserId) -> RelationshipStatus {
        if a == b {
            return RelationshipStatus::User;
        }
        if let Some(status) = self.users.get(&a).and_then(|u| u.relations.get(&b)) {
            return status.clone();
        }
        // The owner of a bot sees it as `User`.
        if self
            .users
            .get(&b)
            .and_then(|u| u.user.bot.as_ref())
            .is_some_and(|bot| bot.owner == a)
        {
            return RelationshipStatus::User;
        }
        RelationshipStatus::None
    }

    /// Sets the relationship of `a` towards `b` (removing it for `None`).
    pub(crate) fn set_relationship(&mut self, a: UserId, b: UserId, status: RelationshipStatus) {
        if let Some(record) = self.users.get_mut(&a) {
            if status == RelationshipStatus::None {
                record.relations.remove(&b);
            } else {
                record.relations.insert(b, status);
            }
        }
    }

    /// The DM channel between two users, if one exists.
    pub(crate) fn dm_between(&self, a: UserId, b: UserId) -> Option<ChannelId> {
        self.dms.get(&dm_key(a, b)).copied()
    }

    /// Whether `a` and `b` share a server, a DM or a group.
    pub(crate) fn mutual_connection(&self, a: UserId, b: UserId) -> bool {
        let servers_a = self.user_servers.get(&a);
        let servers_b = self.user_servers.get(&b);
        if let (Some(sa), Some(sb)) = (servers_a, servers_b)
            && sa.iter().any(|s| sb.contains(s))
        {
            return true;
        }
        if self.dm_between(a, b).is_some() {
            return true;
        }
        self.channels.values().any(|c| match c {
            Channel::Group(g) => g.recipients.contains(&a) && g.recipients.contains(&b),
            _ => false,
        })
    }

    /// Records an idempotency key; `false` when it was seen among the last 1000.
    pub(crate) fn remember_idempotency_key(&mut self, key: &str) -> bool {
        if self.idempotency.iter().any(|k| k == key) {
            return false;
        }
        if self.idempotency.len() >= 1000 {
            self.idempotency.pop_front();
        }
        self.idempotency.push_back(key.to_owned());
        true
    }
}

/// The key of a DM between two users, independent of their order.
pub(crate) fn dm_key(a: UserId, b: UserId) -> (UserId, UserId) {
    if a <= b { (a, b) } else { (b, a) }
}
