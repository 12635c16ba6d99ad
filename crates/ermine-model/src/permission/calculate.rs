//! The permission algorithms, step for step as the server runs them (server 0.15.1 and
//! 0.16.2, after the 2026-08 change that put a channel's default override below role
//! overrides).
//!
//! Each calculation runs once; the `explain_*` variants record every step so that a bot author
//! can see which step granted or revoked a bit. Role overrides apply in rank order, largest
//! rank number first, so the most important role (rank 0) applies last and wins. Roles the
//! member lists that the server no longer has are skipped. When two roles share a rank the
//! server's order between them is that of a hash map (unspecified); ermine then keeps the
//! order of the member's role list.

use std::fmt;

use super::{Override, Permissions, UserPermissions};
use crate::Timestamp;
use crate::channel::Channel;
use crate::id::{RoleId, UserId};
use crate::member::Member;
use crate::server::Server;
use crate::user::RelationshipStatus;

/// Who is asking: the user whose permissions are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perspective {
    /// The user.
    pub user: UserId,
    /// Platform staff (`User.privileged`): gets everything safe everywhere.
    pub privileged: bool,
    /// Whether the user is a bot.
    pub bot: bool,
}

impl Perspective {
    /// An ordinary, non-bot user.
    pub const fn user(user: UserId) -> Self {
        Self {
            user,
            privileged: false,
            bot: false,
        }
    }
}

/// What the perspective knows about another user, for user permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUser {
    /// The other user.
    pub id: UserId,
    /// The perspective's relationship with them.
    pub relationship: RelationshipStatus,
    /// Whether they are a bot.
    pub bot: bool,
    /// Whether the two share a server, a DM or a group.
    pub mutual_connection: bool,
}

/// What else a channel's permissions depend on.
#[derive(Debug, Clone, Copy)]
pub enum ChannelScope<'a> {
    /// A server channel: its server and the perspective's membership (`None`: not a member).
    Server {
        /// The channel's server.
        server: &'a Server,
        /// The perspective's member object in it, if a member.
        member: Option<&'a Member>,
    },
    /// A direct message: the other recipient as seen by the perspective.
    Direct(&'a TargetUser),
    /// Saved messages, groups and unknown channels need nothing else.
    None,
}

/// One step of a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Platform staff: everything safe.
    Privileged,
    /// The server's owner: everything safe.
    ServerOwner,
    /// Not a member of the server: nothing.
    NotMember,
    /// The server's `default_permissions`.
    ServerDefault,
    /// The channel's default override.
    ChannelDefault,
    /// A server role's override.
    Role(RoleId),
    /// A channel's override for a role.
    ChannelRole(RoleId),
    /// `can_publish == false`: Speak and Video revoked.
    PublishRevoked,
    /// `can_receive == false`: Listen revoked.
    ReceiveRevoked,
    /// Timed out: only view and read history remain.
    TimedOut {
        /// When the timeout ends.
        until: Timestamp,
    },
    /// `ViewChannel` missing after everything else: nothing at all.
    NoViewChannel,
    /// Owner of the saved-messages channel.
    SavedMessagesOwner,
    /// Not the owner of the saved-messages channel, or not a recipient of the DM or group.
    NotParticipant,
    /// A DM: full DM permissions when the other user may be messaged, view-only otherwise.
    DirectMessage {
        /// Whether user permissions include `SendMessage`.
        can_message: bool,
    },
    /// Owner of the group.
    GroupOwner,
    /// A recipient of the group: view-only plus the group's permissions.
    GroupRecipient,
    /// A channel type this version does not know: nothing.
    UnknownChannel,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Privileged => f.write_str("privileged user"),
            Self::ServerOwner => f.write_str("server owner"),
            Self::NotMember => f.write_str("not a member"),
            Self::ServerDefault => f.write_str("server default permissions"),
            Self::ChannelDefault => f.write_str("channel default override"),
            Self::Role(id) => write!(f, "role {id}"),
            Self::ChannelRole(id) => write!(f, "channel override for role {id}"),
            Self::PublishRevoked => f.write_str("server-muted (can_publish false)"),
            Self::ReceiveRevoked => f.write_str("server-deafened (can_receive false)"),
            Self::TimedOut { until } => write!(f, "timed out until {until}"),
            Self::NoViewChannel => f.write_str("no ViewChannel"),
            Self::SavedMessagesOwner => f.write_str("saved messages owner"),
            Self::NotParticipant => f.write_str("not a participant of the channel"),
            Self::DirectMessage { can_message: true } => f.write_str("direct message"),
            Self::DirectMessage { can_message: false } => {
                f.write_str("direct message with a user who may not be messaged")
            }
            Self::GroupOwner => f.write_str("group owner"),
            Self::GroupRecipient => f.write_str("group recipient"),
            Self::UnknownChannel => f.write_str("unknown channel type"),
        }
    }
}

/// A step with the value before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    /// The step.
    pub step: Step,
    /// The value before it.
    pub before: Permissions,
    /// The value after it.
    pub after: Permissions,
}

impl StepRecord {
    /// Bits this step turned on.
    pub fn granted(&self) -> Permissions {
        self.after - self.before
    }

    /// Bits this step turned off.
    pub fn revoked(&self) -> Permissions {
        self.before - self.after
    }
}

/// The result of a calculation with every step that produced it.
///
/// ```
/// use ermine_model::permission::{explain_server_permissions, Permissions, Perspective, Step};
/// # use ermine_model::{member::Member, server::Server, Timestamp};
/// # let server: Server = serde_json::from_str(r#"{"_id":"01M86CDRZC9YVCV9K979HDVTHQ",
/// #   "owner":"01M86CDEXVEC1T9JZGTPNYYWGV","name":"s","channels":[],
/// #   "default_permissions":77014766592,"approximate_member_count":2}"#)?;
/// # let member: Member = serde_json::from_str(r#"{"_id":{"server":"01M86CDRZC9YVCV9K979HDVTHQ",
/// #   "user":"01M86CDGJKEQQDSY6RW2KHTPJQ"},"joined_at":"2026-11-24T08:58:11.926Z",
/// #   "timeout":"2999-01-01T00:00:00Z"}"#)?;
/// let why = explain_server_permissions(
///     &Perspective::user(member.id.user), &server, Some(&member), Timestamp::now());
/// assert_eq!(why.value, Permissions::ALLOW_IN_TIMEOUT);
/// let step = why.decided_by(Permissions::SEND_MESSAGE).unwrap();
/// assert!(matches!(step.step, Step::TimedOut { .. }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The final value.
    pub value: Permissions,
    /// Every step in order.
    pub steps: Vec<StepRecord>,
}

impl Explanation {
    /// The last step that changed `bit` (a single permission), which decided its final state;
    /// `None` when no step ever touched it.
    pub fn decided_by(&self, bit: Permissions) -> Option<&StepRecord> {
        self.steps
            .iter()
            .rev()
            .find(|s| s.granted().intersects(bit) || s.revoked().intersects(bit))
    }
}

impl fmt::Display for Explanation {
    /// One line per defined permission: whether it is held and which step decided it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, bit) in Permissions::NAMED {
            let held = self.value.contains(*bit);
            match self.decided_by(*bit) {
                Some(record) if held => writeln!(f, "{name}: granted by {}", record.step)?,
                Some(record) => writeln!(f, "{name}: revoked by {}", record.step)?,
                None => writeln!(f, "{name}: never granted")?,
            }
        }
        Ok(())
    }
}

/// Runs a calculation, recording steps only when asked.
struct Calc {
    value: Permissions,
    trace: Option<Vec<StepRecord>>,
}

impl Calc {
    fn new(explain: bool) -> Self {
        Self {
            value: Permissions::empty(),
            trace: explain.then(Vec::new),
        }
    }

    fn set(&mut self, step: Step, value: Permissions) {
        if let Some(trace) = &mut self.trace {
            trace.push(StepRecord {
                step,
                before: self.value,
                after: value,
            });
        }
        self.value = value;
    }

    fn apply(&mut self, step: Step, o: Override) {
        let next = self.value.apply(o);
        self.set(step, next);
    }

    fn finish(self) -> Explanation {
        Explanation {
            value: self.value,
            steps: self.trace.unwrap_or_default(),
        }
    }
}

/// The member's roles that the server has, deduplicated, in application order (largest rank
/// number first).
fn ordered_roles<'a>(
    server: &'a Server,
    member: &'a Member,
) -> Vec<(RoleId, &'a crate::server::Role)> {
    let mut roles: Vec<(RoleId, &crate::server::Role)> = Vec::with_capacity(member.roles.len());
    for id in &member.roles {
        if let Some(role) = server.roles.get(id)
            && !roles.iter().any(|(seen, _)| seen == id)
        {
            roles.push((*id, role));
        }
    }
    // Stable: ties keep the member's order.
    roles.sort_by_key(|(_, role)| std::cmp::Reverse(role.rank));
    roles
}

/// The owner and membership checks that server and server-channel permissions start with:
/// the member to go on with, or `None` when these checks decided the value.
fn member_or_decided<'a>(
    calc: &mut Calc,
    who: &Perspective,
    server: &Server,
    member: Option<&'a Member>,
) -> Option<&'a Member> {
    if server.owner == who.user {
        calc.set(Step::ServerOwner, Permissions::GRANT_ALL_SAFE);
        return None;
    }
    if member.is_none() {
        calc.set(Step::NotMember, Permissions::empty());
    }
    member
}

/// Steps shared by server and channel permissions after the overrides.
fn member_restrictions(calc: &mut Calc, member: &Member, now: Timestamp) {
    if !member.can_publish {
        let next = calc.value - (Permissions::SPEAK | Permissions::VIDEO);
        calc.set(Step::PublishRevoked, next);
    }
    if !member.can_receive {
        let next = calc.value - Permissions::LISTEN;
        calc.set(Step::ReceiveRevoked, next);
    }
    if let Some(until) = member.timeout.filter(|until| *until > now) {
        let next = calc.value & Permissions::ALLOW_IN_TIMEOUT;
        calc.set(Step::TimedOut { until }, next);
    }
}

fn server_calc(
    who: &Perspective,
    server: &Server,
    member: Option<&Member>,
    now: Timestamp,
    explain: bool,
) -> Explanation {
    let mut calc = Calc::new(explain);
    if who.privileged {
        calc.set(Step::Privileged, Permissions::GRANT_ALL_SAFE);
        return calc.finish();
    }
    let Some(member) = member_or_decided(&mut calc, who, server, member) else {
        return calc.finish();
    };
    calc.set(Step::ServerDefault, server.default_permissions);
    for (id, role) in ordered_roles(server, member) {
        calc.apply(Step::Role(id), role.permissions);
    }
    member_restrictions(&mut calc, member, now);
    calc.finish()
}

/// A member's server-wide permissions (`calculate_server_permissions`).
///
/// `member` is the perspective's member object in `server` (`None` if not a member); `now`
/// decides whether a timeout is active.
pub fn server_permissions(
    who: &Perspective,
    server: &Server,
    member: Option<&Member>,
    now: Timestamp,
) -> Permissions {
    server_calc(who, server, member, now, false).value
}

/// [`server_permissions`] with each step recorded.
pub fn explain_server_permissions(
    who: &Perspective,
    server: &Server,
    member: Option<&Member>,
    now: Timestamp,
) -> Explanation {
    server_calc(who, server, member, now, true)
}

fn channel_calc(
    who: &Perspective,
    channel: &Channel,
    scope: ChannelScope<'_>,
    now: Timestamp,
    explain: bool,
) -> Explanation {
    let mut calc = Calc::new(explain);
    if who.privileged {
        calc.set(Step::Privileged, Permissions::GRANT_ALL_SAFE);
        return calc.finish();
    }
    match channel {
        Channel::SavedMessages(c) => {
            if c.user == who.user {
                calc.set(
                    Step::SavedMessagesOwner,
                    Permissions::DEFAULT_SAVED_MESSAGES,
                );
            } else {
                calc.set(Step::NotParticipant, Permissions::empty());
            }
        }
        Channel::DirectMessage(c) => {
            if c.recipients.contains(&who.user) {
                let can_message = match scope {
                    ChannelScope::Direct(other) => {
                        user_permissions(who, other).contains(UserPermissions::SEND_MESSAGE)
                    }
                    _ => false,
                };
                let value = if can_message {
                    Permissions::DEFAULT_DIRECT_MESSAGE
                } else {
                    Permissions::DEFAULT_VIEW_ONLY
                };
                calc.set(Step::DirectMessage { can_message }, value);
            } else {
                calc.set(Step::NotParticipant, Permissions::empty());
            }
        }
        Channel::Group(c) => {
            if c.owner == who.user {
                calc.set(Step::GroupOwner, Permissions::GRANT_ALL_SAFE);
            } else if c.recipients.contains(&who.user) {
                let allow = c.permissions.unwrap_or(Permissions::DEFAULT_DIRECT_MESSAGE);
                calc.set(Step::GroupRecipient, Permissions::DEFAULT_VIEW_ONLY | allow);
            } else {
                calc.set(Step::NotParticipant, Permissions::empty());
            }
        }
        Channel::TextChannel(c) => {
            let ChannelScope::Server { server, member } = scope else {
                calc.set(Step::NotMember, Permissions::empty());
                return calc.finish();
            };
            let Some(member) = member_or_decided(&mut calc, who, server, member) else {
                return calc.finish();
            };
            calc.set(Step::ServerDefault, server.default_permissions);
            calc.apply(
                Step::ChannelDefault,
                c.default_permissions.unwrap_or_default(),
            );
            let roles = ordered_roles(server, member);
            for (id, role) in &roles {
                calc.apply(Step::Role(*id), role.permissions);
            }
            for (id, _) in &roles {
                if let Some(o) = c.role_permissions.get(id) {
                    calc.apply(Step::ChannelRole(*id), *o);
                }
            }
            member_restrictions(&mut calc, member, now);
            if !calc.value.contains(Permissions::VIEW_CHANNEL) {
                calc.set(Step::NoViewChannel, Permissions::empty());
            }
        }
        Channel::Unknown(_) => calc.set(Step::UnknownChannel, Permissions::empty()),
    }
    calc.finish()
}

/// The perspective's permissions in a channel (`calculate_channel_permissions`).
///
/// Pass [`ChannelScope::Server`] for a server channel and [`ChannelScope::Direct`] for a DM;
/// a server channel without its server, or a DM without the other user, yields the value a
/// non-member gets.
pub fn channel_permissions(
    who: &Perspective,
    channel: &Channel,
    scope: ChannelScope<'_>,
    now: Timestamp,
) -> Permissions {
    channel_calc(who, channel, scope, now, false).value
}

/// [`channel_permissions`] with each step recorded.
pub fn explain_channel_permissions(
    who: &Perspective,
    channel: &Channel,
    scope: ChannelScope<'_>,
    now: Timestamp,
) -> Explanation {
    channel_calc(who, channel, scope, now, true)
}

/// What `who` may do towards `target` (`calculate_user_permissions`, server 0.16.2 rules: a
/// bot target is reachable without a mutual connection).
pub fn user_permissions(who: &Perspective, target: &TargetUser) -> UserPermissions {
    if who.privileged || who.user == target.id {
        return UserPermissions::from_bits_retain(u64::MAX);
    }
    let mut value = UserPermissions::empty();
    match target.relationship {
        RelationshipStatus::Friend => return UserPermissions::from_bits_retain(u64::MAX),
        RelationshipStatus::Blocked | RelationshipStatus::BlockedOther => {
            return UserPermissions::ACCESS;
        }
        RelationshipStatus::Incoming | RelationshipStatus::Outgoing => {
            value = UserPermissions::ACCESS;
        }
        _ => {}
    }
    if target.mutual_connection || target.bot {
        value = UserPermissions::ACCESS | UserPermissions::VIEW_PROFILE;
    }
    if target.mutual_connection && (who.bot || target.bot) {
        value |= UserPermissions::SEND_MESSAGE;
    }
    value
}

/// A member's ranking: the smallest `rank` among its roles that the server has, or
/// `i64::MAX` with none. A smaller number outranks a larger one.
pub fn member_ranking(server: &Server, member: &Member) -> i64 {
    member
        .roles
        .iter()
        .filter_map(|id| server.roles.get(id))
        .map(|role| role.rank)
        .min()
        .unwrap_or(i64::MAX)
}

/// The ranking the server uses for a caller in kick, ban and edit checks: `i64::MIN` for the
/// owner (who outranks everyone), the member ranking otherwise, `i64::MIN` for a
/// non-member as the server does (such a caller fails the permission check first).
///
/// Acting on a target requires `member_ranking(target) > caller_ranking(caller)`.
pub fn caller_ranking(server: &Server, caller: UserId, member: Option<&Member>) -> i64 {
    if server.owner == caller {
        return i64::MIN;
    }
    member.map_or(i64::MIN, |m| member_ranking(server, m))
}
