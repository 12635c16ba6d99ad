//! The API's routes, in one table: each operation of the API with its method, path template,
//! the credentials it takes and the rate-limit bucket the server counts it in.
//!
//! The HTTP client builds every request from a [`Route`] (so the path and its bucket never have
//! to be parsed back out of a string), and the local test server routes and rate-limits with
//! the same table.
//!
//! ```
//! use ermine_model::route::{self, Bucket, Method};
//!
//! let path = route::KICK_MEMBER.path(["01HSERVER", "01HUSER"]).unwrap();
//! assert_eq!(path.as_str(), "/servers/01HSERVER/members/01HUSER");
//! assert_eq!(path.bucket(), (Bucket::Servers, "01HSERVER"));
//! assert_eq!(route::resolve(Method::Delete, "/servers/S/members/U"), Some(&route::KICK_MEMBER));
//! ```

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Reads a method name (upper case, as on the wire); `None` for any other method.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "GET" => Self::Get,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "PATCH" => Self::Patch,
            "DELETE" => Self::Delete,
            _ => return None,
        })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The credentials an operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Auth {
    /// None: the operation is public (instance information, invites, emoji, webhook tokens,
    /// signing up and in). A client sends no token.
    Public,
    /// A session or bot token (`X-Session-Token` / `X-Bot-Token`).
    Token,
    /// An MFA ticket (`X-MFA-Ticket`), with or instead of the session token.
    Ticket,
}

/// A rate-limit bucket of the server: every request is counted in one, per identity and,
/// for some, per resource (the server or channel it is about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Bucket {
    /// `PATCH /users/{user}…`, per user: 2 per window.
    UserEdit,
    /// `/users/{user}/default_avatar`: 255 per window.
    DefaultAvatar,
    /// Every other `/users/…`: 20 per window.
    Users,
    /// `/bots/…`: 10 per window.
    Bots,
    /// `POST /channels/{channel}/messages…`, per channel: 10 per window.
    Messaging,
    /// Every other `/channels/{channel}/…`, per channel: 15 per window.
    Channels,
    /// `/servers/{server}/…`, per server: 5 per window.
    Servers,
    /// `DELETE /auth/…`: 255 per window.
    AuthDelete,
    /// Every other `/auth/…`: 15 per window.
    Auth,
    /// `/swagger/…`: 100 per window.
    Swagger,
    /// `/safety/report`: 3 per window.
    SafetyReport,
    /// Every other `/safety/…`: 15 per window.
    Safety,
    /// Everything else: 20 per window.
    Any,
}

impl Bucket {
    /// The bucket's name in the server's table.
    pub const fn name(self) -> &'static str {
        match self {
            Self::UserEdit => "user_edit",
            Self::DefaultAvatar => "default_avatar",
            Self::Users => "users",
            Self::Bots => "bots",
            Self::Messaging => "messaging",
            Self::Channels => "channels",
            Self::Servers => "servers",
            Self::AuthDelete => "auth_delete",
            Self::Auth => "auth",
            Self::Swagger => "swagger",
            Self::SafetyReport => "safety_report",
            Self::Safety => "safety",
            Self::Any => "any",
        }
    }

    /// Requests allowed per window (the server's windows last 10 seconds).
    pub const fn limit(self) -> u32 {
        match self {
            Self::UserEdit => 2,
            Self::DefaultAvatar | Self::AuthDelete => 255,
            Self::Users | Self::Any => 20,
            Self::Bots | Self::Messaging => 10,
            Self::Channels | Self::Auth | Self::Safety => 15,
            Self::Servers => 5,
            Self::Swagger => 100,
            Self::SafetyReport => 3,
        }
    }

    /// The bucket of any request and the path segment that keys it, as the server resolves
    /// them: from the method and the path's segments (after an optional leading `0.8`),
    /// whether or not a route exists there. The resource is empty for global buckets.
    pub fn of(method: Method, path: &str) -> (Self, &str) {
        let path = path.split(['?', '#']).next().unwrap_or("");
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        let mut first = segments.next();
        if first == Some("0.8") {
            first = segments.next();
        }
        let second = segments.next();
        let third = segments.next();
        match (first, second, third) {
            (Some("users"), id, _) if method == Method::Patch => (Self::UserEdit, id.unwrap_or("")),
            (Some("users"), Some(_), Some("default_avatar")) => (Self::DefaultAvatar, ""),
            (Some("users"), ..) => (Self::Users, ""),
            (Some("bots"), ..) => (Self::Bots, ""),
            (Some("channels"), Some(id), Some("messages")) if method == Method::Post => {
                (Self::Messaging, id)
            }
            (Some("channels"), Some(id), _) => (Self::Channels, id),
            (Some("servers"), Some(id), _) => (Self::Servers, id),
            (Some("auth"), ..) if method == Method::Delete => (Self::AuthDelete, ""),
            (Some("auth"), ..) => (Self::Auth, ""),
            (Some("swagger"), ..) => (Self::Swagger, ""),
            (Some("safety"), Some("report"), _) => (Self::SafetyReport, "report"),
            (Some("safety"), ..) => (Self::Safety, ""),
            _ => (Self::Any, ""),
        }
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One operation of the API.
#[derive(Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Route {
    /// The operation's ID in the API's OpenAPI document.
    pub operation: &'static str,
    /// The operation's group (its OpenAPI tag), e.g. `Server Members`.
    pub group: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path with its parameters in braces, e.g. `/servers/{server}/members/{member}`.
    pub template: &'static str,
    /// The credentials it takes.
    pub auth: Auth,
}

/// Characters written as themselves in a path parameter: letters, digits and `-._~`; every
/// other byte is percent-encoded, so a parameter can never add a segment or a query.
const PARAMETER: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl Route {
    /// The names of the path's parameters, in order.
    pub fn parameters(&self) -> impl Iterator<Item = &'static str> {
        self.template
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
    }

    /// Whether sending it twice does no more than sending it once (`GET`, `PUT`, `DELETE`).
    pub const fn idempotent(&self) -> bool {
        matches!(self.method, Method::Get | Method::Put | Method::Delete)
    }

    /// The bucket the server counts this operation in.
    pub fn bucket(&self) -> Bucket {
        Bucket::of(self.method, self.template).0
    }

    /// The route with its parameters filled in, in the template's order; each is
    /// percent-encoded. Fails when the count is wrong or a parameter is empty.
    pub fn path<I>(&'static self, parameters: I) -> Result<Path, RouteError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut values = parameters.into_iter();
        let mut path = String::with_capacity(self.template.len() + 32);
        for segment in self.template.split('/').skip(1) {
            path.push('/');
            if segment.starts_with('{') {
                let value = values
                    .next()
                    .ok_or(RouteError::Parameters(self.operation))?;
                let value = value.as_ref();
                if value.is_empty() {
                    return Err(RouteError::Empty(self.operation));
                }
                path.extend(utf8_percent_encode(value, PARAMETER));
            } else {
                path.push_str(segment);
            }
        }
        if values.next().is_some() {
            return Err(RouteError::Parameters(self.operation));
        }
        Ok(Path { route: self, path })
    }

    /// `path` (a path of this route) as logs and errors may show it: a secret parameter
    /// (a webhook's `{token}`) is written as its name.
    pub fn shown<'a>(&self, path: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.template.contains("{token}") {
            return std::borrow::Cow::Borrowed(path);
        }
        let mut template = self.template.split('/');
        path.split('/')
            .map(|segment| match template.next() {
                Some(secret @ "{token}") => secret,
                _ => segment,
            })
            .collect::<Vec<_>>()
            .join("/")
            .into()
    }

    /// Whether `method` and `path` (without query) name this route, and how closely: `None`
    /// when they do not, otherwise the number of literal segments that matched (a literal
    /// segment beats a parameter, so `/users/@me` is not `/users/{user}`).
    fn matches(&self, method: Method, path: &str) -> Option<usize> {
        if method != self.method {
            return None;
        }
        let mut template = self.template.split('/');
        let mut given = path.split('/');
        let mut literal = 0;
        loop {
            match (template.next(), given.next()) {
                (None, None) => return Some(literal),
                (Some(t), Some(g)) if t.starts_with('{') && !g.is_empty() => {}
                (Some(t), Some(g)) if t == g => literal += 1,
                _ => return None,
            }
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

/// A route with its parameters filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    route: &'static Route,
    path: String,
}

impl Path {
    /// The route.
    pub const fn route(&self) -> &'static Route {
        self.route
    }

    /// The path, from the API's base (e.g. `/servers/01…/members`).
    pub fn as_str(&self) -> &str {
        &self.path
    }

    /// The path as an owned string.
    pub fn into_string(self) -> String {
        self.path
    }

    /// The bucket the server counts it in, and the resource that keys it (empty for global
    /// buckets).
    pub fn bucket(&self) -> (Bucket, &str) {
        Bucket::of(self.route.method, &self.path)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

/// A route's parameters did not fit its template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteError {
    /// Too few or too many parameters for the operation.
    Parameters(&'static str),
    /// A parameter of the operation was empty.
    Empty(&'static str),
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parameters(op) => write!(f, "wrong number of path parameters for {op}"),
            Self::Empty(op) => write!(f, "an empty path parameter for {op}"),
        }
    }
}

impl std::error::Error for RouteError {}

/// The route a request names: the one whose template matches `path` (with or without a
/// leading `/0.8`, query ignored) most literally for `method`.
pub fn resolve(method: Method, path: &str) -> Option<&'static Route> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path
        .strip_prefix("/0.8")
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .unwrap_or(path);
    let path = if path.is_empty() { "/" } else { path };
    ALL.iter()
        .filter_map(|route| Some((route.matches(method, path)?, *route)))
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, route)| route)
}

macro_rules! table {
    ($(
        $(#[$doc:meta])*
        $name:ident: $method:ident $template:literal, $operation:literal, $group:literal, $auth:ident;
    )*) => {
        $(
            $(#[$doc])*
            pub static $name: Route = Route {
                operation: $operation,
                group: $group,
                method: Method::$method,
                template: $template,
                auth: Auth::$auth,
            };
        )*

        /// Every operation of the API, in the order of its OpenAPI document.
        pub static ALL: &[&Route] = &[$(&$name),*];
    };
}

table! {
    /// `GET /` (Core): Query Node.
    ROOT: Get "/", "root_root", "Core", Public;
    /// `GET /users/@me` (User Information): Fetch Self.
    FETCH_SELF: Get "/users/@me", "fetch_self_fetch", "User Information", Token;
    /// `GET /users/{user}` (User Information): Fetch User.
    FETCH_USER: Get "/users/{user}", "fetch_user_fetch", "User Information", Token;
    /// `PATCH /users/{user}` (User Information): Edit User.
    EDIT_USER: Patch "/users/{user}", "edit_user_edit", "User Information", Token;
    /// `GET /users/{user}/flags` (User Information): Fetch User Flags.
    FETCH_USER_FLAGS: Get "/users/{user}/flags", "fetch_user_flags_fetch_user_flags", "User Information", Public;
    /// `PATCH /users/@me/username` (User Information): Change Username.
    CHANGE_USERNAME: Patch "/users/@me/username", "change_username_change_username", "User Information", Token;
    /// `GET /users/{user}/default_avatar` (User Information): Fetch Default Avatar.
    DEFAULT_AVATAR: Get "/users/{user}/default_avatar", "get_default_avatar_default_avatar", "User Information", Public;
    /// `GET /users/{user}/profile` (User Information): Fetch User Profile.
    FETCH_PROFILE: Get "/users/{user}/profile", "fetch_profile_profile", "User Information", Token;
    /// `GET /users/dms` (Direct Messaging): Fetch Direct Message Channels.
    FETCH_DMS: Get "/users/dms", "fetch_dms_direct_messages", "Direct Messaging", Token;
    /// `GET /users/{user}/dm` (Direct Messaging): Open Direct Message.
    OPEN_DM: Get "/users/{user}/dm", "open_dm_open_dm", "Direct Messaging", Token;
    /// `GET /users/{user}/mutual` (Relationships): Fetch Mutual Friends, Servers, Groups and DMs.
    FIND_MUTUAL: Get "/users/{user}/mutual", "find_mutual_mutual", "Relationships", Token;
    /// `PUT /users/{user}/friend` (Relationships): Accept Friend Request.
    ADD_FRIEND: Put "/users/{user}/friend", "add_friend_add", "Relationships", Token;
    /// `DELETE /users/{user}/friend` (Relationships): Deny Friend Request / Remove Friend.
    REMOVE_FRIEND: Delete "/users/{user}/friend", "remove_friend_remove", "Relationships", Token;
    /// `PUT /users/{user}/block` (Relationships): Block User.
    BLOCK_USER: Put "/users/{user}/block", "block_user_block", "Relationships", Token;
    /// `DELETE /users/{user}/block` (Relationships): Unblock User.
    UNBLOCK_USER: Delete "/users/{user}/block", "unblock_user_unblock", "Relationships", Token;
    /// `POST /users/friend` (Relationships): Send Friend Request.
    SEND_FRIEND_REQUEST: Post "/users/friend", "send_friend_request_send_friend_request", "Relationships", Token;
    /// `POST /bots/create` (Bots): Create Bot.
    CREATE_BOT: Post "/bots/create", "create_create_bot", "Bots", Token;
    /// `GET /bots/{bot}/invite` (Bots): Fetch Public Bot.
    FETCH_PUBLIC_BOT: Get "/bots/{bot}/invite", "fetch_public_fetch_public_bot", "Bots", Token;
    /// `POST /bots/{bot}/invite` (Bots): Invite Bot.
    INVITE_BOT: Post "/bots/{bot}/invite", "invite_invite_bot", "Bots", Token;
    /// `GET /bots/{bot}` (Bots): Fetch Bot.
    FETCH_BOT: Get "/bots/{bot}", "fetch_fetch_bot", "Bots", Token;
    /// `DELETE /bots/{bot}` (Bots): Delete Bot.
    DELETE_BOT: Delete "/bots/{bot}", "delete_delete_bot", "Bots", Token;
    /// `PATCH /bots/{bot}` (Bots): Edit Bot.
    EDIT_BOT: Patch "/bots/{bot}", "edit_edit_bot", "Bots", Token;
    /// `GET /bots/@me` (Bots): Fetch Owned Bots.
    FETCH_OWNED_BOTS: Get "/bots/@me", "fetch_owned_fetch_owned_bots", "Bots", Token;
    /// `PUT /channels/{channel}/ack/{message}` (Messaging): Acknowledge Message.
    ACK_MESSAGE: Put "/channels/{channel}/ack/{message}", "channel_ack_ack", "Messaging", Token;
    /// `GET /channels/{channel}` (Channel Information): Fetch Channel.
    FETCH_CHANNEL: Get "/channels/{channel}", "channel_fetch_fetch", "Channel Information", Token;
    /// `DELETE /channels/{channel}` (Channel Information): Close Channel.
    DELETE_CHANNEL: Delete "/channels/{channel}", "channel_delete_delete", "Channel Information", Token;
    /// `PATCH /channels/{channel}` (Channel Information): Edit Channel.
    EDIT_CHANNEL: Patch "/channels/{channel}", "channel_edit_edit", "Channel Information", Token;
    /// `GET /channels/{channel}/members` (Groups): Fetch Group Members.
    FETCH_GROUP_MEMBERS: Get "/channels/{channel}/members", "members_fetch_fetch_members", "Groups", Token;
    /// `POST /channels/{channel}/invites` (Channel Invites): Create Invite.
    CREATE_INVITE: Post "/channels/{channel}/invites", "invite_create_create_invite", "Channel Invites", Token;
    /// `GET /channels/{channel}/messages` (Messaging): Fetch Messages.
    MESSAGE_HISTORY: Get "/channels/{channel}/messages", "message_query_query", "Messaging", Token;
    /// `POST /channels/{channel}/messages` (Messaging): Send Message.
    SEND_MESSAGE: Post "/channels/{channel}/messages", "message_send_message_send", "Messaging", Token;
    /// `POST /channels/{channel}/search` (Messaging): Search for Messages.
    SEARCH_MESSAGES: Post "/channels/{channel}/search", "message_search_search", "Messaging", Token;
    /// `POST /channels/{channel}/messages/{message}/pin` (Messaging): Pins a message.
    PIN_MESSAGE: Post "/channels/{channel}/messages/{message}/pin", "message_pin_message_pin", "Messaging", Token;
    /// `DELETE /channels/{channel}/messages/{message}/pin` (Messaging): Unpins a message.
    UNPIN_MESSAGE: Delete "/channels/{channel}/messages/{message}/pin", "message_unpin_message_unpin", "Messaging", Token;
    /// `GET /channels/{channel}/messages/{message}` (Messaging): Fetch Message.
    FETCH_MESSAGE: Get "/channels/{channel}/messages/{message}", "message_fetch_fetch", "Messaging", Token;
    /// `DELETE /channels/{channel}/messages/{message}` (Messaging): Delete Message.
    DELETE_MESSAGE: Delete "/channels/{channel}/messages/{message}", "message_delete_delete", "Messaging", Token;
    /// `PATCH /channels/{channel}/messages/{message}` (Messaging): Edit Message.
    EDIT_MESSAGE: Patch "/channels/{channel}/messages/{message}", "message_edit_edit", "Messaging", Token;
    /// `DELETE /channels/{channel}/messages/bulk` (Messaging): Bulk Delete Messages.
    BULK_DELETE_MESSAGES: Delete "/channels/{channel}/messages/bulk", "message_bulk_delete_bulk_delete_messages", "Messaging", Token;
    /// `POST /channels/create` (Groups): Create Group.
    CREATE_GROUP: Post "/channels/create", "group_create_create_group", "Groups", Token;
    /// `PUT /channels/{channel}/recipients/{user}` (Groups): Add Member to Group.
    ADD_GROUP_MEMBER: Put "/channels/{channel}/recipients/{user}", "group_add_member_add_member", "Groups", Token;
    /// `DELETE /channels/{channel}/recipients/{user}` (Groups): Remove Member from Group.
    REMOVE_GROUP_MEMBER: Delete "/channels/{channel}/recipients/{user}", "group_remove_member_remove_member", "Groups", Token;
    /// `POST /channels/{channel}/join_call` (Voice): Join Call.
    JOIN_CALL: Post "/channels/{channel}/join_call", "voice_join_call", "Voice", Token;
    /// `PUT /channels/{channel}/end_ring/{user}` (Voice): Stop Ring.
    END_RING: Put "/channels/{channel}/end_ring/{user}", "voice_stop_ring_stop_ring", "Voice", Token;
    /// `PUT /channels/{channel}/permissions/{role}` (Channel Permissions): Set Role Permission.
    SET_CHANNEL_ROLE_PERMISSIONS: Put "/channels/{channel}/permissions/{role}", "permissions_set_set_role_permissions", "Channel Permissions", Token;
    /// `PUT /channels/{channel}/permissions/default` (Channel Permissions): Set Default Permission.
    SET_CHANNEL_DEFAULT_PERMISSIONS: Put "/channels/{channel}/permissions/default", "permissions_set_default_set_default_channel_permissions", "Channel Permissions", Token;
    /// `PUT /channels/{channel}/messages/{message}/reactions/{emoji}` (Interactions): Add Reaction to Message.
    ADD_REACTION: Put "/channels/{channel}/messages/{message}/reactions/{emoji}", "message_react_react_message", "Interactions", Token;
    /// `DELETE /channels/{channel}/messages/{message}/reactions/{emoji}` (Interactions): Remove Reaction(s) to Message.
    REMOVE_REACTION: Delete "/channels/{channel}/messages/{message}/reactions/{emoji}", "message_unreact_unreact_message", "Interactions", Token;
    /// `DELETE /channels/{channel}/messages/{message}/reactions` (Interactions): Remove All Reactions from Message.
    CLEAR_REACTIONS: Delete "/channels/{channel}/messages/{message}/reactions", "message_clear_reactions_clear_reactions", "Interactions", Token;
    /// `GET /channels/{channel}/webhooks` (Webhooks): Gets all webhooks.
    FETCH_CHANNEL_WEBHOOKS: Get "/channels/{channel}/webhooks", "webhook_fetch_all_fetch_webhooks", "Webhooks", Token;
    /// `POST /channels/{channel}/webhooks` (Webhooks): Creates a webhook.
    CREATE_WEBHOOK: Post "/channels/{channel}/webhooks", "webhook_create_create_webhook", "Webhooks", Token;
    /// `POST /servers/create` (Server Information): Create Server.
    CREATE_SERVER: Post "/servers/create", "server_create_create_server", "Server Information", Token;
    /// `GET /servers/{server}` (Server Information): Fetch Server.
    FETCH_SERVER: Get "/servers/{server}", "server_fetch_fetch", "Server Information", Token;
    /// `DELETE /servers/{server}` (Server Information): Delete / Leave Server.
    DELETE_SERVER: Delete "/servers/{server}", "server_delete_delete", "Server Information", Token;
    /// `PATCH /servers/{server}` (Server Information): Edit Server.
    EDIT_SERVER: Patch "/servers/{server}", "server_edit_edit", "Server Information", Ticket;
    /// `PUT /servers/{server}/ack` (Server Information): Mark Server As Read.
    ACK_SERVER: Put "/servers/{server}/ack", "server_ack_ack", "Server Information", Token;
    /// `POST /servers/{server}/channels` (Server Information): Create Channel.
    CREATE_CHANNEL: Post "/servers/{server}/channels", "channel_create_create_server_channel", "Server Information", Token;
    /// `GET /servers/{server}/members` (Server Members): Fetch Members.
    FETCH_MEMBERS: Get "/servers/{server}/members", "member_fetch_all_fetch_all", "Server Members", Token;
    /// `GET /servers/{server}/members/{member}` (Server Members): Fetch Member.
    FETCH_MEMBER: Get "/servers/{server}/members/{member}", "member_fetch_fetch", "Server Members", Token;
    /// `DELETE /servers/{server}/members/{member}` (Server Members): Kick Member.
    KICK_MEMBER: Delete "/servers/{server}/members/{member}", "member_remove_kick", "Server Members", Token;
    /// `PATCH /servers/{server}/members/{member}` (Server Members): Edit Member.
    EDIT_MEMBER: Patch "/servers/{server}/members/{member}", "member_edit_edit", "Server Members", Token;
    /// `GET /servers/{server}/members_experimental_query` (Server Members): Query members by name.
    QUERY_MEMBERS: Get "/servers/{server}/members_experimental_query", "member_experimental_query_member_experimental_query", "Server Members", Token;
    /// `PUT /servers/{server}/bans/{user}` (Server Members): Ban User.
    BAN: Put "/servers/{server}/bans/{user}", "ban_create_ban", "Server Members", Token;
    /// `DELETE /servers/{server}/bans/{user}` (Server Members): Unban user.
    UNBAN: Delete "/servers/{server}/bans/{user}", "ban_remove_unban", "Server Members", Token;
    /// `GET /servers/{server}/bans` (Server Members): Fetch Bans.
    FETCH_BANS: Get "/servers/{server}/bans", "ban_list_list", "Server Members", Token;
    /// `GET /servers/{server}/invites` (Server Members): Fetch Invites.
    FETCH_SERVER_INVITES: Get "/servers/{server}/invites", "invites_fetch_invites", "Server Members", Token;
    /// `POST /servers/{server}/roles` (Server Permissions): Create Role.
    CREATE_ROLE: Post "/servers/{server}/roles", "roles_create_create", "Server Permissions", Token;
    /// `GET /servers/{server}/roles/{role}` (Server Permissions): Fetch Role.
    FETCH_ROLE: Get "/servers/{server}/roles/{role}", "roles_fetch_fetch", "Server Permissions", Token;
    /// `DELETE /servers/{server}/roles/{role}` (Server Permissions): Delete Role.
    DELETE_ROLE: Delete "/servers/{server}/roles/{role}", "roles_delete_delete", "Server Permissions", Token;
    /// `PATCH /servers/{server}/roles/{role}` (Server Permissions): Edit Role.
    EDIT_ROLE: Patch "/servers/{server}/roles/{role}", "roles_edit_edit", "Server Permissions", Token;
    /// `PUT /servers/{server}/permissions/{role}` (Server Permissions): Set Role Permission.
    SET_ROLE_PERMISSIONS: Put "/servers/{server}/permissions/{role}", "permissions_set_set_role_permission", "Server Permissions", Token;
    /// `PUT /servers/{server}/permissions/default` (Server Permissions): Set Default Permission.
    SET_DEFAULT_PERMISSIONS: Put "/servers/{server}/permissions/default", "permissions_set_default_set_default_server_permissions", "Server Permissions", Token;
    /// `GET /servers/{server}/emojis` (Server Customisation): Fetch Server Emoji.
    FETCH_SERVER_EMOJIS: Get "/servers/{server}/emojis", "emoji_list_list_emoji", "Server Customisation", Token;
    /// `PATCH /servers/{server}/roles/ranks` (Server Permissions): Edits server roles ranks.
    EDIT_ROLE_RANKS: Patch "/servers/{server}/roles/ranks", "roles_edit_positions_edit_role_ranks", "Server Permissions", Token;
    /// `GET /servers/{server}/audit_logs` (Audit Logs): Audit Log Query.
    FETCH_AUDIT_LOGS: Get "/servers/{server}/audit_logs", "audit_log_query_query", "Audit Logs", Token;
    /// `GET /invites/{invite}` (Invites): Fetch Invite.
    FETCH_INVITE: Get "/invites/{invite}", "invite_fetch_fetch", "Invites", Public;
    /// `POST /invites/{invite}` (Invites): Join Invite.
    JOIN_INVITE: Post "/invites/{invite}", "invite_join_join", "Invites", Token;
    /// `DELETE /invites/{invite}` (Invites): Delete Invite.
    DELETE_INVITE: Delete "/invites/{invite}", "invite_delete_delete", "Invites", Token;
    /// `GET /custom/emoji/{emoji}` (Emojis): Fetch Emoji.
    FETCH_EMOJI: Get "/custom/emoji/{emoji}", "emoji_fetch_fetch_emoji", "Emojis", Public;
    /// `PUT /custom/emoji/{emoji}` (Emojis): Create New Emoji.
    CREATE_EMOJI: Put "/custom/emoji/{emoji}", "emoji_create_create_emoji", "Emojis", Token;
    /// `DELETE /custom/emoji/{emoji}` (Emojis): Delete Emoji.
    DELETE_EMOJI: Delete "/custom/emoji/{emoji}", "emoji_delete_delete_emoji", "Emojis", Token;
    /// `PATCH /custom/emoji/{emoji}` (Emojis): Edit Emoji.
    EDIT_EMOJI: Patch "/custom/emoji/{emoji}", "emoji_edit_edit_emoji", "Emojis", Token;
    /// `POST /safety/report` (User Safety): Report Content.
    REPORT_CONTENT: Post "/safety/report", "report_content_report_content", "User Safety", Token;
    /// `POST /auth/account/create` (Account): Create Account.
    CREATE_ACCOUNT: Post "/auth/account/create", "create_account_create_account", "Account", Public;
    /// `POST /auth/account/reverify` (Account): Resend Verification.
    RESEND_VERIFICATION: Post "/auth/account/reverify", "resend_verification_resend_verification", "Account", Public;
    /// `PUT /auth/account/delete` (Account): Confirm Account Deletion.
    CONFIRM_ACCOUNT_DELETION: Put "/auth/account/delete", "confirm_deletion_confirm_deletion", "Account", Public;
    /// `POST /auth/account/delete` (Account): Delete Account.
    DELETE_ACCOUNT: Post "/auth/account/delete", "delete_account_delete_account", "Account", Ticket;
    /// `GET /auth/account/` (Account): Fetch Account.
    FETCH_ACCOUNT: Get "/auth/account/", "fetch_account_fetch_account", "Account", Token;
    /// `POST /auth/account/disable` (Account): Disable Account.
    DISABLE_ACCOUNT: Post "/auth/account/disable", "disable_account_disable_account", "Account", Ticket;
    /// `PATCH /auth/account/change/password` (Account): Change Password.
    CHANGE_PASSWORD: Patch "/auth/account/change/password", "change_password_change_password", "Account", Ticket;
    /// `PATCH /auth/account/change/email` (Account): Change Email.
    CHANGE_EMAIL: Patch "/auth/account/change/email", "change_email_change_email", "Account", Ticket;
    /// `POST /auth/account/verify/{code}` (Account): Verify Email.
    VERIFY_EMAIL: Post "/auth/account/verify/{code}", "verify_email_verify_email", "Account", Public;
    /// `POST /auth/account/reset_password` (Account): Send Password Reset.
    SEND_PASSWORD_RESET: Post "/auth/account/reset_password", "send_password_reset_send_password_reset", "Account", Public;
    /// `PATCH /auth/account/reset_password` (Account): Password Reset.
    RESET_PASSWORD: Patch "/auth/account/reset_password", "password_reset_password_reset", "Account", Public;
    /// `POST /auth/session/login` (Session): Login.
    LOGIN: Post "/auth/session/login", "login_login", "Session", Public;
    /// `POST /auth/session/logout` (Session): Logout.
    LOGOUT: Post "/auth/session/logout", "logout_logout", "Session", Token;
    /// `GET /auth/session/all` (Session): Fetch Sessions.
    FETCH_SESSIONS: Get "/auth/session/all", "fetch_all_fetch_all", "Session", Token;
    /// `DELETE /auth/session/all` (Session): Delete All Sessions.
    REVOKE_ALL_SESSIONS: Delete "/auth/session/all", "revoke_all_revoke_all", "Session", Ticket;
    /// `DELETE /auth/session/{session}` (Session): Revoke Session.
    REVOKE_SESSION: Delete "/auth/session/{session}", "revoke_revoke", "Session", Ticket;
    /// `PATCH /auth/session/{session}` (Session): Edit Session.
    EDIT_SESSION: Patch "/auth/session/{session}", "edit_edit", "Session", Token;
    /// `PUT /auth/mfa/ticket` (MFA): Create MFA ticket.
    CREATE_MFA_TICKET: Put "/auth/mfa/ticket", "create_ticket_create_ticket", "MFA", Ticket;
    /// `GET /auth/mfa/` (MFA): MFA Status.
    FETCH_MFA_STATUS: Get "/auth/mfa/", "fetch_status_fetch_status", "MFA", Token;
    /// `POST /auth/mfa/recovery` (MFA): Fetch Recovery Codes.
    FETCH_RECOVERY_CODES: Post "/auth/mfa/recovery", "fetch_recovery_fetch_recovery", "MFA", Ticket;
    /// `PATCH /auth/mfa/recovery` (MFA): Generate Recovery Codes.
    GENERATE_RECOVERY_CODES: Patch "/auth/mfa/recovery", "generate_recovery_generate_recovery", "MFA", Ticket;
    /// `GET /auth/mfa/methods` (MFA): Get MFA Methods.
    FETCH_MFA_METHODS: Get "/auth/mfa/methods", "get_mfa_methods_get_mfa_methods", "MFA", Token;
    /// `PUT /auth/mfa/totp` (MFA): Enable TOTP 2FA.
    ENABLE_TOTP: Put "/auth/mfa/totp", "totp_enable_totp_enable", "MFA", Token;
    /// `POST /auth/mfa/totp` (MFA): Generate TOTP Secret.
    GENERATE_TOTP_SECRET: Post "/auth/mfa/totp", "totp_generate_secret_totp_generate_secret", "MFA", Ticket;
    /// `DELETE /auth/mfa/totp` (MFA): Disable TOTP 2FA.
    DISABLE_TOTP: Delete "/auth/mfa/totp", "totp_disable_totp_disable", "MFA", Ticket;
    /// `GET /onboard/hello` (Onboarding): Check Onboarding Status.
    ONBOARD_HELLO: Get "/onboard/hello", "hello_hello", "Onboarding", Token;
    /// `POST /onboard/complete` (Onboarding): Complete Onboarding.
    ONBOARD_COMPLETE: Post "/onboard/complete", "complete_complete", "Onboarding", Token;
    /// `POST /policy/acknowledge` (Policy): Acknowledge Policy Changes.
    ACKNOWLEDGE_POLICY_CHANGES: Post "/policy/acknowledge", "acknowledge_policy_changes_acknowledge_policy_changes", "Policy", Token;
    /// `POST /push/subscribe` (Web Push): Push Subscribe.
    PUSH_SUBSCRIBE: Post "/push/subscribe", "subscribe_subscribe", "Web Push", Token;
    /// `POST /push/unsubscribe` (Web Push): Unsubscribe.
    PUSH_UNSUBSCRIBE: Post "/push/unsubscribe", "unsubscribe_unsubscribe", "Web Push", Token;
    /// `POST /sync/settings/fetch` (Sync): Fetch Settings.
    FETCH_SETTINGS: Post "/sync/settings/fetch", "get_settings_fetch", "Sync", Token;
    /// `POST /sync/settings/set` (Sync): Set Settings.
    SET_SETTINGS: Post "/sync/settings/set", "set_settings_set", "Sync", Token;
    /// `GET /sync/unreads` (Sync): Fetch Unreads.
    FETCH_UNREADS: Get "/sync/unreads", "get_unreads_unreads", "Sync", Token;
    /// `DELETE /webhooks/{webhook}/{token}/{message}` (Webhooks): Deletes a webhook message.
    DELETE_WEBHOOK_MESSAGE: Delete "/webhooks/{webhook}/{token}/{message}", "webhook_delete_message_webhook_delete_message", "Webhooks", Public;
    /// `PATCH /webhooks/{webhook}/{token}/{message}` (Webhooks): Edits a webhook message.
    EDIT_WEBHOOK_MESSAGE: Patch "/webhooks/{webhook}/{token}/{message}", "webhook_edit_message_webhook_edit_message", "Webhooks", Public;
    /// `GET /webhooks/{webhook}/{token}` (Webhooks): Gets a webhook.
    FETCH_WEBHOOK_WITH_TOKEN: Get "/webhooks/{webhook}/{token}", "webhook_fetch_token_webhook_fetch_token", "Webhooks", Public;
    /// `POST /webhooks/{webhook}/{token}` (Webhooks): Executes a webhook.
    EXECUTE_WEBHOOK: Post "/webhooks/{webhook}/{token}", "webhook_execute_webhook_execute", "Webhooks", Public;
    /// `DELETE /webhooks/{webhook}/{token}` (Webhooks): Deletes a webhook.
    DELETE_WEBHOOK_WITH_TOKEN: Delete "/webhooks/{webhook}/{token}", "webhook_delete_token_webhook_delete_token", "Webhooks", Public;
    /// `PATCH /webhooks/{webhook}/{token}` (Webhooks): Edits a webhook.
    EDIT_WEBHOOK_WITH_TOKEN: Patch "/webhooks/{webhook}/{token}", "webhook_edit_token_webhook_edit_token", "Webhooks", Public;
    /// `GET /webhooks/{webhook}` (Webhooks): Gets a webhook.
    FETCH_WEBHOOK: Get "/webhooks/{webhook}", "webhook_fetch_webhook_fetch", "Webhooks", Token;
    /// `DELETE /webhooks/{webhook}` (Webhooks): Deletes a webhook.
    DELETE_WEBHOOK: Delete "/webhooks/{webhook}", "webhook_delete_webhook_delete", "Webhooks", Token;
    /// `PATCH /webhooks/{webhook}` (Webhooks): Edits a webhook.
    EDIT_WEBHOOK: Patch "/webhooks/{webhook}", "webhook_edit_webhook_edit", "Webhooks", Token;
    /// `POST /webhooks/{webhook}/{token}/github` (Webhooks): Executes a webhook specific to github.
    EXECUTE_GITHUB_WEBHOOK: Post "/webhooks/{webhook}/{token}/github", "webhook_execute_github_webhook_execute_github", "Webhooks", Public;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_unique_and_resolve_to_themselves() {
        for route in ALL {
            let params: Vec<String> = route.parameters().map(|p| format!("x{p}")).collect();
            let path = route.path(&params).unwrap();
            assert_eq!(
                resolve(route.method, path.as_str()),
                Some(*route),
                "{route}"
            );
            assert_eq!(
                resolve(route.method, &format!("/0.8{path}?a=b")),
                Some(*route)
            );
        }
    }

    #[test]
    fn literal_segments_win() {
        assert_eq!(resolve(Method::Get, "/users/@me"), Some(&FETCH_SELF));
        assert_eq!(resolve(Method::Get, "/users/01U"), Some(&FETCH_USER));
        assert_eq!(
            resolve(Method::Put, "/servers/S/permissions/default"),
            Some(&SET_DEFAULT_PERMISSIONS)
        );
        assert_eq!(
            resolve(Method::Delete, "/channels/C/messages/bulk"),
            Some(&BULK_DELETE_MESSAGES)
        );
        assert_eq!(resolve(Method::Get, "/"), Some(&ROOT));
        assert_eq!(resolve(Method::Get, "/0.8"), Some(&ROOT));
        assert_eq!(resolve(Method::Get, "/servers/S/nothing"), None);
        assert_eq!(resolve(Method::Get, "/servers//members"), None);
        assert_eq!(resolve(Method::Put, "/users/@me"), None);
    }

    #[test]
    fn parameters_are_encoded_and_counted() {
        let p = ADD_REACTION.path(["C", "M", "👍 /?#"]).unwrap();
        assert_eq!(
            p.as_str(),
            "/channels/C/messages/M/reactions/%F0%9F%91%8D%20%2F%3F%23"
        );
        assert_eq!(
            KICK_MEMBER.path(["S"]),
            Err(RouteError::Parameters("member_remove_kick"))
        );
        assert_eq!(
            KICK_MEMBER.path(["S", "U", "V"]),
            Err(RouteError::Parameters("member_remove_kick"))
        );
        assert_eq!(
            KICK_MEMBER.path(["S", ""]),
            Err(RouteError::Empty("member_remove_kick"))
        );
        assert_eq!(ROOT.path([""; 0]).unwrap().as_str(), "/");
        let secret = EXECUTE_WEBHOOK.path(["W", "s3cret"]).unwrap();
        assert_eq!(
            EXECUTE_WEBHOOK.shown(secret.as_str()),
            "/webhooks/W/{token}"
        );
        assert_eq!(FETCH_WEBHOOK.shown("/webhooks/W"), "/webhooks/W");
    }

    #[test]
    fn buckets_follow_the_servers_table() {
        let of = |route: &'static Route, params: &[&str]| {
            let path = route.path(params).unwrap();
            let (bucket, resource) = path.bucket();
            (bucket.name(), resource.to_owned(), bucket.limit())
        };
        let own =
            |name: &'static str, resource: &str, limit: u32| (name, resource.to_owned(), limit);
        assert_eq!(of(&EDIT_USER, &["U"]), own("user_edit", "U", 2));
        assert_eq!(of(&DEFAULT_AVATAR, &["U"]), own("default_avatar", "", 255));
        assert_eq!(of(&CHANGE_USERNAME, &[]), own("user_edit", "@me", 2));
        assert_eq!(of(&FETCH_SELF, &[]), own("users", "", 20));
        assert_eq!(of(&FETCH_BOT, &["B"]), own("bots", "", 10));
        assert_eq!(of(&SEND_MESSAGE, &["C"]), own("messaging", "C", 10));
        assert_eq!(of(&PIN_MESSAGE, &["C", "M"]), own("messaging", "C", 10));
        assert_eq!(of(&MESSAGE_HISTORY, &["C"]), own("channels", "C", 15));
        assert_eq!(of(&SEARCH_MESSAGES, &["C"]), own("channels", "C", 15));
        assert_eq!(of(&CREATE_GROUP, &[]), own("channels", "create", 15));
        assert_eq!(of(&EDIT_MEMBER, &["S", "U"]), own("servers", "S", 5));
        assert_eq!(of(&CREATE_SERVER, &[]), own("servers", "create", 5));
        assert_eq!(of(&REVOKE_SESSION, &["X"]), own("auth_delete", "", 255));
        assert_eq!(of(&LOGIN, &[]), own("auth", "", 15));
        assert_eq!(of(&REPORT_CONTENT, &[]), own("safety_report", "report", 3));
        assert_eq!(of(&ROOT, &[]), own("any", "", 20));
        assert_eq!(of(&FETCH_WEBHOOK, &["W"]), own("any", "", 20));
        assert_eq!(Bucket::of(Method::Get, "/swagger/x").0, Bucket::Swagger);
        assert_eq!(
            Bucket::of(Method::Get, "/safety/snapshot/x").0,
            Bucket::Safety
        );
        assert_eq!(
            Bucket::of(Method::Patch, "/0.8/users/U").0,
            Bucket::UserEdit
        );
        assert_eq!(
            Bucket::of(Method::Get, "/users/U/default_avatar").0,
            Bucket::DefaultAvatar
        );
        assert_eq!(CREATE_SERVER.bucket(), Bucket::Servers);
    }
}
