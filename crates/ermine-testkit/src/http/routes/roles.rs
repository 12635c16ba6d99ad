//! `/servers/{id}/roles` and `/servers/{id}/permissions`: roles, ranks and overrides.

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::error::ApiError;
use ermine_model::event::{
    ServerEvent, ServerRoleDelete, ServerRoleRanksUpdate, ServerRoleUpdate, ServerUpdate,
};
use ermine_model::id::{RoleId, ServerId, UserId};
use ermine_model::permission::{Override, Permissions};
use ermine_model::server::{
    DefaultPermissionsBody, RoleCreateBody, RoleEditBody, RolePermissionsBody, RoleRanksBody,
};
use ermine_model::server::{FieldsRole, NewRoleResponse, PartialRole, PartialServer, Role, Server};

use super::servers::length;
use super::{announce_permission_change, server_audience, visibility};
use ermine_model::audit::{
    AuditLogAction, AuditRoleCreate, AuditRoleDelete, AuditRoleEdit, AuditRolesReorder,
    AuditServerEdit,
};

use crate::http::{
    AppState, AuditReason, Caller, Json, Reply, fail, missing, no_content, not_found, parse_id,
};
use crate::lock;
use crate::world::World;

/// The caller's server permissions after checking membership and `need`.
fn gate(
    world: &World,
    server: ServerId,
    caller: UserId,
    need: Permissions,
    now: ermine_model::Timestamp,
) -> Reply<Permissions> {
    if !world.servers.contains_key(&server) || world.member(server, caller).is_none() {
        return Err(not_found());
    }
    let have = world.server_permissions(caller, server, now);
    if !have.contains(need) {
        return Err(missing(need.api_name().unwrap_or("Unknown")));
    }
    Ok(have)
}

fn role_event(
    shared: &crate::Shared,
    world: &World,
    server: ServerId,
    role: RoleId,
    data: PartialRole,
    clear: Vec<FieldsRole>,
) {
    shared.hub.send(
        server_audience(shared, world, server),
        &ServerEvent::ServerRoleUpdate(Box::new(ServerRoleUpdate {
            id: server,
            role_id: role,
            data,
            clear,
        })),
    );
}

/// `POST /servers/{id}/roles`.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<RoleCreateBody>,
) -> Reply<axum::Json<NewRoleResponse>> {
    length("name", &body.name, 1, 32)?;
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    gate(&world, server, caller.user, Permissions::MANAGE_ROLE, now)?;
    let role_id: RoleId = world.id(now);
    let srv = world.servers.get_mut(&server).ok_or_else(not_found)?;
    if srv.roles.len() >= 200 {
        return Err(fail(ApiError::TooManyRoles { max: 200 }));
    }
    let role = Role {
        id: role_id,
        name: body.name,
        permissions: Override::default(),
        colour: None,
        hoist: false,
        rank: i64::try_from(srv.roles.len()).unwrap_or(i64::MAX),
        icon: None,
        owner: None,
    };
    srv.roles.insert(role_id, role.clone());
    let data = PartialRole {
        id: Some(role_id),
        name: Some(role.name.clone()),
        permissions: Some(role.permissions),
        hoist: Some(false),
        rank: Some(role.rank),
        ..PartialRole::default()
    };
    role_event(&shared, &world, server, role_id, data, Vec::new());
    let action = AuditLogAction::RoleCreate(AuditRoleCreate {
        role: role_id,
        name: role.name.clone(),
    });
    world.audit(server, caller.user, None, reason, action, now);
    Ok(axum::Json(NewRoleResponse { id: role_id, role }))
}

/// `GET /servers/{id}/roles/{role}`.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, role)): Path<(String, String)>,
) -> Reply<axum::Json<Role>> {
    let server: ServerId = parse_id(&id)?;
    let role: RoleId = parse_id(&role)?;
    let world = lock(&shared.world);
    if world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    world
        .servers
        .get(&server)
        .and_then(|s| s.roles.get(&role))
        .cloned()
        .map(axum::Json)
        .ok_or_else(not_found)
}

/// The role, after checking the caller outranks it.
fn outranked_role(world: &World, server: ServerId, caller: UserId, role: RoleId) -> Reply<Role> {
    let found = world
        .servers
        .get(&server)
        .and_then(|s| s.roles.get(&role))
        .cloned()
        .ok_or_else(not_found)?;
    if found.rank <= world.caller_ranking(server, caller) {
        return Err(fail(ApiError::NotElevated));
    }
    Ok(found)
}

/// `PATCH /servers/{id}/roles/{role}`.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, role)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    Json(body): Json<RoleEditBody>,
) -> Reply<axum::Json<Role>> {
    if let Some(name) = &body.name {
        length("name", name, 1, 32)?;
    }
    if let Some(colour) = &body.colour {
        length("colour", colour, 1, 128)?;
    }
    let server: ServerId = parse_id(&id)?;
    let role_id: RoleId = parse_id(&role)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    gate(&world, server, caller.user, Permissions::MANAGE_ROLE, now)?;
    let mut role = outranked_role(&world, server, caller.user, role_id)?;
    let previous = role.clone();
    for field in &body.remove {
        match field {
            FieldsRole::Colour => role.colour = None,
            FieldsRole::Icon => role.icon = None,
            _ => {}
        }
    }
    let mut data = PartialRole::default();
    if let Some(name) = body.name {
        role.name.clone_from(&name);
        data.name = Some(name);
    }
    if let Some(colour) = body.colour {
        role.colour = Some(colour.clone());
        data.colour = Some(colour);
    }
    if let Some(hoist) = body.hoist {
        role.hoist = hoist;
        data.hoist = Some(hoist);
    }
    if let Some(srv) = world.servers.get_mut(&server) {
        srv.roles.insert(role_id, role.clone());
    }
    // Before: the changed and removed fields as they were.
    let removed = |field: FieldsRole| body.remove.contains(&field);
    let before = PartialRole {
        name: data.name.as_ref().map(|_| previous.name.clone()),
        colour: previous
            .colour
            .clone()
            .filter(|_| data.colour.is_some() || removed(FieldsRole::Colour)),
        hoist: data.hoist.map(|_| previous.hoist),
        ..PartialRole::default()
    };
    let action = AuditLogAction::RoleEdit(Box::new(AuditRoleEdit {
        role: role_id,
        before,
        after: data.clone(),
    }));
    world.audit(server, caller.user, None, reason, action, now);
    role_event(&shared, &world, server, role_id, data, body.remove);
    Ok(axum::Json(role))
}

/// `DELETE /servers/{id}/roles/{role}`.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, role)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    let server: ServerId = parse_id(&id)?;
    let role_id: RoleId = parse_id(&role)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    gate(&world, server, caller.user, Permissions::MANAGE_ROLE, now)?;
    let deleted = outranked_role(&world, server, caller.user, role_id)?;
    world.delete_role(server, role_id);
    let action = AuditLogAction::RoleDelete(AuditRoleDelete {
        role: role_id,
        name: deleted.name,
    });
    world.audit(server, caller.user, None, reason, action, now);
    shared.hub.send(
        server_audience(&shared, &world, server),
        &ServerEvent::ServerRoleDelete(ServerRoleDelete {
            id: server,
            role_id,
        }),
    );
    Ok(no_content())
}

impl World {
    /// Deletes a role from the server, its members and its channels' overrides.
    pub(crate) fn delete_role(&mut self, server: ServerId, role: RoleId) {
        let Some(srv) = self.servers.get_mut(&server) else {
            return;
        };
        srv.roles.remove(&role);
        let channels = srv.channels.clone();
        for member in self.members.get_mut(&server).into_iter().flatten() {
            member.1.roles.retain(|r| *r != role);
        }
        for channel in channels {
            if let Some(ermine_model::channel::Channel::TextChannel(text)) =
                self.channels.get_mut(&channel)
            {
                text.role_permissions.remove(&role);
            }
        }
    }
}

/// `PATCH /servers/{id}/roles/ranks`.
pub(crate) async fn ranks(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<RoleRanksBody>,
) -> Reply<axum::Json<Server>> {
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    gate(&world, server, caller.user, Permissions::MANAGE_ROLE, now)?;
    let caller_ranking = world.caller_ranking(server, caller.user);
    let srv = world.servers.get(&server).ok_or_else(not_found)?;
    let mut sorted = body.ranks.clone();
    sorted.sort();
    sorted.dedup();
    let mut existing: Vec<RoleId> = srv.roles.keys().copied().collect();
    existing.sort();
    if sorted != existing || sorted.len() != body.ranks.len() {
        return Err(fail(ApiError::InvalidOperation));
    }
    for (new_rank, role) in body.ranks.iter().enumerate() {
        let old = srv.roles.get(role).map_or(i64::MAX, |r| r.rank);
        let new_rank = i64::try_from(new_rank).unwrap_or(i64::MAX);
        if old != new_rank && (old <= caller_ranking || new_rank <= caller_ranking) {
            return Err(fail(ApiError::NotElevated));
        }
    }
    let mut previous: Vec<(i64, RoleId)> = srv.roles.values().map(|r| (r.rank, r.id)).collect();
    previous.sort_unstable();
    let srv = world.servers.get_mut(&server).ok_or_else(not_found)?;
    for (rank, role) in body.ranks.iter().enumerate() {
        if let Some(r) = srv.roles.get_mut(role) {
            r.rank = i64::try_from(rank).unwrap_or(i64::MAX);
        }
    }
    let action = AuditLogAction::RolesReorder(Box::new(AuditRolesReorder {
        before: previous.into_iter().map(|(_, id)| id).collect(),
        after: body.ranks.clone(),
    }));
    world.audit(server, caller.user, None, reason, action, now);
    shared.hub.send(
        server_audience(&shared, &world, server),
        &ServerEvent::ServerRoleRanksUpdate(ServerRoleRanksUpdate {
            id: server,
            ranks: body.ranks,
        }),
    );
    world
        .render_server(server)
        .map(axum::Json)
        .ok_or_else(not_found)
}

/// A non-owner may only hand out permissions they have.
fn check_grant(have: Permissions, owner: bool, granted: Permissions) -> Reply<()> {
    if !owner && !have.contains(granted) {
        return Err(fail(ApiError::CannotGiveMissingPermissions));
    }
    Ok(())
}

/// `PUT /servers/{id}/permissions/default`.
pub(crate) async fn default_permissions(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<DefaultPermissionsBody>,
) -> Reply<axum::Json<Server>> {
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let have = gate(
        &world,
        server,
        caller.user,
        Permissions::MANAGE_PERMISSIONS,
        now,
    )?;
    let before = visibility(&shared, &world, server, now);
    let srv = world.servers.get_mut(&server).ok_or_else(not_found)?;
    check_grant(have, srv.owner == caller.user, body.permissions)?;
    let previous = srv.default_permissions;
    srv.default_permissions = body.permissions;
    let action = AuditLogAction::ServerEdit(Box::new(AuditServerEdit {
        before: PartialServer {
            default_permissions: Some(previous),
            ..PartialServer::default()
        },
        after: PartialServer {
            default_permissions: Some(body.permissions),
            ..PartialServer::default()
        },
    }));
    world.audit(server, caller.user, None, reason, action, now);
    let event = ServerEvent::ServerUpdate(Box::new(ServerUpdate {
        id: server,
        data: PartialServer {
            default_permissions: Some(body.permissions),
            ..PartialServer::default()
        },
        clear: Vec::new(),
    }));
    announce_permission_change(&shared, &world, server, &before, &event, None, now);
    world
        .render_server(server)
        .map(axum::Json)
        .ok_or_else(not_found)
}

/// `PUT /servers/{id}/permissions/{role}`.
pub(crate) async fn role_permissions(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, role)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    Json(body): Json<RolePermissionsBody>,
) -> Reply<axum::Json<Server>> {
    let server: ServerId = parse_id(&id)?;
    let role_id: RoleId = parse_id(&role)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let have = gate(
        &world,
        server,
        caller.user,
        Permissions::MANAGE_PERMISSIONS,
        now,
    )?;
    let previous = outranked_role(&world, server, caller.user, role_id)?.permissions;
    let value: Override = body.permissions.into();
    let before = visibility(&shared, &world, server, now);
    let srv = world.servers.get_mut(&server).ok_or_else(not_found)?;
    check_grant(have, srv.owner == caller.user, value.allow | value.deny)?;
    if let Some(r) = srv.roles.get_mut(&role_id) {
        r.permissions = value;
    }
    let permissions = |value| PartialRole {
        permissions: Some(value),
        ..PartialRole::default()
    };
    let action = AuditLogAction::RoleEdit(Box::new(AuditRoleEdit {
        role: role_id,
        before: permissions(previous),
        after: permissions(value),
    }));
    world.audit(server, caller.user, None, reason, action, now);
    let event = ServerEvent::ServerRoleUpdate(Box::new(ServerRoleUpdate {
        id: server,
        role_id,
        data: PartialRole {
            permissions: Some(value),
            ..PartialRole::default()
        },
        clear: Vec::new(),
    }));
    announce_permission_change(&shared, &world, server, &before, &event, None, now);
    world
        .render_server(server)
        .map(axum::Json)
        .ok_or_else(not_found)
}
