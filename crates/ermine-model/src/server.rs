//! Servers, roles and categories.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::file::File;
use crate::id::{ChannelId, RoleId, ServerId, UserId};
use crate::permission::{Override, Permissions};
use crate::wire::{bitflags_serde, is_false, string_enum};

/// A server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    /// The server's ID.
    #[serde(rename = "_id")]
    pub id: ServerId,
    /// The owner.
    pub owner: UserId,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Channels of the server.
    #[serde(default)]
    pub channels: Vec<ChannelId>,
    /// Categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Category>>,
    /// Where system messages go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_messages: Option<SystemMessageChannels>,
    /// Roles by ID.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub roles: HashMap<RoleId, Role>,
    /// Base permissions of every member.
    #[serde(with = "crate::permission::signed_bits")]
    pub default_permissions: Permissions,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// Banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<File>,
    /// Flags (official, verified).
    #[serde(default, skip_serializing_if = "ServerFlags::is_empty")]
    pub flags: ServerFlags,
    /// Age-restricted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nsfw: bool,
    /// Analytics enabled.
    #[serde(default, skip_serializing_if = "is_false")]
    pub analytics: bool,
    /// Listed in discovery.
    #[serde(default, skip_serializing_if = "is_false")]
    pub discoverable: bool,
    /// Approximate number of members (server 0.15+; `0` from older servers).
    #[serde(default)]
    pub approximate_member_count: u64,
}

/// A server with every field optional: the `data` of `ServerUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialServer {
    /// New ID (never sent in practice).
    #[serde(alias = "_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ServerId>,
    /// New owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New channel list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<ChannelId>>,
    /// New categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Category>>,
    /// New system message channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_messages: Option<SystemMessageChannels>,
    /// New roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<HashMap<RoleId, Role>>,
    /// New default permissions.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_signed_bits"
    )]
    pub default_permissions: Option<Permissions>,
    /// New icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// New banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<File>,
    /// New flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<ServerFlags>,
    /// New age restriction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
    /// New analytics setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<bool>,
    /// New discovery setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    /// New approximate member count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approximate_member_count: Option<u64>,
}

pub(crate) mod option_signed_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::permission::Permissions;

    #[allow(clippy::ref_option)]
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Permissions>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_some(&v.bits().cast_signed()),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Permissions>, D::Error> {
        Option::<Permissions>::deserialize(deserializer)
    }
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The role's ID.
    #[serde(rename = "_id")]
    pub id: RoleId,
    /// Name.
    pub name: String,
    /// What the role allows and denies.
    pub permissions: Override,
    /// Colour: any CSS colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// Shown separately in the member list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hoist: bool,
    /// Ranking: a lower number is a more important role.
    #[serde(default)]
    pub rank: i64,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// Bot that owns this managed role (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
}

/// A role with every field optional: the `data` of `ServerRoleUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialRole {
    /// New ID (never sent in practice).
    #[serde(alias = "_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<RoleId>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Override>,
    /// New colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// New hoist setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hoist: Option<bool>,
    /// New rank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    /// New icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// New owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
}

string_enum! {
    /// Optional server fields that an edit or a `ServerUpdate` can clear.
    pub enum FieldsServer {
        /// The description.
        Description = "Description",
        /// The categories.
        Categories = "Categories",
        /// The system message channels.
        SystemMessages = "SystemMessages",
        /// The icon.
        Icon = "Icon",
        /// The banner.
        Banner = "Banner",
    }
}

string_enum! {
    /// Optional role fields that an edit or a `ServerRoleUpdate` can clear.
    pub enum FieldsRole {
        /// The colour.
        Colour = "Colour",
        /// The icon.
        Icon = "Icon",
    }
}

/// A channel category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Category ID (1..=32 characters, not a ULID).
    pub id: String,
    /// Title.
    pub title: String,
    /// Channels in it.
    pub channels: Vec<ChannelId>,
}

/// Channels that receive system messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemMessageChannels {
    /// Where "user joined" goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_joined: Option<ChannelId>,
    /// Where "user left" goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_left: Option<ChannelId>,
    /// Where "user kicked" goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_kicked: Option<ChannelId>,
    /// Where "user banned" goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_banned: Option<ChannelId>,
}

bitflags::bitflags! {
    /// Server flags.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct ServerFlags: u32 {
        /// Official server.
        const OFFICIAL = 1;
        /// Verified server.
        const VERIFIED = 2;
    }
}
bitflags_serde!(ServerFlags, u32);

/// `GET /servers/{id}`: the server, and its channels when `include_channels=true`.
///
/// With channels the server writes the channel objects in place of the ID list; this type
/// reads both forms and keeps [`Server::channels`] as the IDs either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchServerResponse {
    /// The server.
    pub server: Server,
    /// Its channels, when asked for.
    pub channels: Option<Vec<Channel>>,
}

impl Serialize for FetchServerResponse {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let Some(channels) = &self.channels else {
            return self.server.serialize(serializer);
        };
        let mut value = serde_json::to_value(&self.server).map_err(S::Error::custom)?;
        let full = serde_json::to_value(channels).map_err(S::Error::custom)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("channels".to_owned(), full);
        }
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FetchServerResponse {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut value = serde_json::Value::deserialize(deserializer)?;
        let mut channels = None;
        if let Some(serde_json::Value::Array(items)) = value.get_mut("channels")
            && items.iter().any(serde_json::Value::is_object)
        {
            let full: Vec<Channel> =
                serde_json::from_value(serde_json::Value::Array(std::mem::take(items)))
                    .map_err(D::Error::custom)?;
            *items = full
                .iter()
                .filter_map(Channel::id)
                .map(|id| serde_json::Value::String(id.to_string()))
                .collect();
            channels = Some(full);
        }
        let server = Server::deserialize(value).map_err(D::Error::custom)?;
        Ok(Self { server, channels })
    }
}

/// `POST /servers/create`: the new server and its channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateServerResponse {
    /// The server.
    pub server: Server,
    /// Its channels.
    pub channels: Vec<Channel>,
}

/// `POST /servers/{id}/roles`: the new role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRoleResponse {
    /// Its ID.
    pub id: RoleId,
    /// The role.
    pub role: Role,
}

/// Body of `POST /servers/create` (`DataCreateServer`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCreateBody {
    /// Name (1..=32 characters).
    pub name: String,
    /// Description (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is age-restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
}

/// Body of `PATCH /servers/{server}` (`DataEditServer`): fields set, fields cleared through
/// `remove`, the rest left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerEditBody {
    /// Name (1..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// File ID of the icon (tag `icons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// File ID of the banner (tag `banners`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// The categories, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Category>>,
    /// Where system messages go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_messages: Option<SystemMessageChannels>,
    /// Flags (privileged users only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<u32>,
    /// Whether it is listed in discovery (privileged users only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    /// Whether analytics are collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<bool>,
    /// New owner (the owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    /// Fields to clear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsServer>,
}

/// Body of `POST /servers/{server}/roles` (`DataCreateRole`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCreateBody {
    /// Name (1..=32 characters).
    pub name: String,
    /// Rank (deprecated by the server: new roles go last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
}

/// Body of `PATCH /servers/{server}/roles/{role}` (`DataEditRole`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleEditBody {
    /// Name (1..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Colour: any CSS colour (1..=128 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// Whether members are listed apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hoist: Option<bool>,
    /// Rank (deprecated: use the ranks route).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    /// File ID of the icon (tag `icons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Fields to clear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsRole>,
}

/// Body of `PATCH /servers/{server}/roles/ranks` (`DataEditRoleRanks`): every role, highest
/// first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRanksBody {
    /// The roles in their new order.
    pub ranks: Vec<RoleId>,
}

/// Body of `PUT /servers/{server}/permissions/default` (`DataPermissionsValue`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultPermissionsBody {
    /// What every member may do.
    pub permissions: Permissions,
}

/// Body of `PUT /servers/{server}/permissions/{role}` and
/// `PUT /channels/{channel}/permissions/{role}` (`DataSetServerRolePermission`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePermissionsBody {
    /// The role's override.
    pub permissions: crate::permission::OverrideRequest,
}

impl Server {
    /// Applies a `ServerUpdate`: the `clear` list first, then the fields of `data`.
    pub fn apply_update(&mut self, data: &PartialServer, clear: &[FieldsServer]) {
        for field in clear {
            match field {
                FieldsServer::Description => self.description = None,
                FieldsServer::Categories => self.categories = None,
                FieldsServer::SystemMessages => self.system_messages = None,
                FieldsServer::Icon => self.icon = None,
                FieldsServer::Banner => self.banner = None,
                _ => {}
            }
        }
        let d = data.clone();
        if let Some(v) = d.owner {
            self.owner = v;
        }
        if let Some(v) = d.name {
            self.name = v;
        }
        if d.description.is_some() {
            self.description = d.description;
        }
        if let Some(v) = d.channels {
            self.channels = v;
        }
        if d.categories.is_some() {
            self.categories = d.categories;
        }
        if d.system_messages.is_some() {
            self.system_messages = d.system_messages;
        }
        if let Some(v) = d.roles {
            self.roles = v;
        }
        if let Some(v) = d.default_permissions {
            self.default_permissions = v;
        }
        if d.icon.is_some() {
            self.icon = d.icon;
        }
        if d.banner.is_some() {
            self.banner = d.banner;
        }
        if let Some(v) = d.flags {
            self.flags = v;
        }
        if let Some(v) = d.nsfw {
            self.nsfw = v;
        }
        if let Some(v) = d.analytics {
            self.analytics = v;
        }
        if let Some(v) = d.discoverable {
            self.discoverable = v;
        }
        if let Some(v) = d.approximate_member_count {
            self.approximate_member_count = v;
        }
    }
}

impl Role {
    /// A role made from a `ServerRoleUpdate` for a role not seen before (missing fields take
    /// the server's defaults).
    pub fn from_partial(id: RoleId, data: &PartialRole) -> Self {
        let mut role = Self {
            id,
            name: String::new(),
            permissions: crate::permission::Override::default(),
            colour: None,
            hoist: false,
            rank: 0,
            icon: None,
            owner: None,
        };
        role.apply_update(data, &[]);
        role
    }

    /// Applies a `ServerRoleUpdate`: the `clear` list first, then the fields of `data`.
    pub fn apply_update(&mut self, data: &PartialRole, clear: &[FieldsRole]) {
        for field in clear {
            match field {
                FieldsRole::Colour => self.colour = None,
                FieldsRole::Icon => self.icon = None,
                _ => {}
            }
        }
        let d = data.clone();
        if let Some(v) = d.name {
            self.name = v;
        }
        if let Some(v) = d.permissions {
            self.permissions = v;
        }
        if d.colour.is_some() {
            self.colour = d.colour;
        }
        if let Some(v) = d.hoist {
            self.hoist = v;
        }
        if let Some(v) = d.rank {
            self.rank = v;
        }
        if d.icon.is_some() {
            self.icon = d.icon;
        }
        if d.owner.is_some() {
            self.owner = d.owner;
        }
    }
}
