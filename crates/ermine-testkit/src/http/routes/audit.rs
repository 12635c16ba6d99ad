//! `GET /servers/{id}/audit_logs`: the server's audit log, newest first, filtered by who did
//! it, whom it was done to, its type and an ID range; with the users and members it names.
//! Entries are recorded by the routes that write them: member edit, kick, ban, unban; role
//! create, edit, delete, permissions and order; server default permissions; channel create,
//! edit, permissions and delete; message delete, pin, unpin; invite create.

use std::collections::BTreeSet;

use axum::extract::{Path, RawQuery, State};
use ermine_model::audit::{AuditLogAction, AuditLogEntry, AuditLogQueryResponse};
use ermine_model::id::{ServerId, UserId};
use ermine_model::permission::Permissions;

use super::messages::require;
use super::presence;
use crate::http::{AppState, Caller, Reply, invalid, not_found, parse_id};
use crate::lock;

/// The query's filters.
#[derive(Debug, Default)]
struct Filters {
    user: Option<String>,
    target: Option<String>,
    types: Vec<String>,
    before: Option<String>,
    after: Option<String>,
    limit: usize,
}

fn filters(raw: Option<&str>) -> Reply<Filters> {
    let mut filters = Filters {
        limit: 50,
        ..Filters::default()
    };
    let id = |name: &str, value: String| {
        if value.chars().count() == 26 {
            Ok(Some(value))
        } else {
            Err(invalid(format!(
                "{name}: Validation error: length [{{\"min\": Number(26), \"max\": Number(26)}}]"
            )))
        }
    };
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "user" => filters.user = id("user", value)?,
            "target" => filters.target = id("target", value)?,
            "before" => filters.before = id("before", value)?,
            "after" => filters.after = id("after", value)?,
            "type" => filters.types.push(value),
            "limit" => {
                filters.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|l| (1..=100).contains(l))
                    .ok_or_else(|| invalid("limit: Validation error: range [{\"min\": Number(1.0), \"max\": Number(100.0)}]"))?;
            }
            _ => {}
        }
    }
    Ok(filters)
}

impl Filters {
    fn keeps(&self, server: ServerId, entry: &AuditLogEntry) -> bool {
        entry.server == server
            && self
                .user
                .as_ref()
                .is_none_or(|u| *u == entry.user.to_string())
            && self
                .target
                .as_ref()
                .is_none_or(|t| entry.target.as_ref() == Some(t))
            && self.before.as_ref().is_none_or(|b| entry.id < *b)
            && self.after.as_ref().is_none_or(|a| entry.id > *a)
            && (self.types.is_empty() || self.types.iter().any(|t| t == entry.action.kind()))
    }
}

/// The users an entry names besides who did it.
fn named(action: &AuditLogAction) -> Option<UserId> {
    match action {
        AuditLogAction::MessageDelete(a) => Some(a.author),
        AuditLogAction::MessagePin(a) => Some(a.author),
        AuditLogAction::MessageUnpin(a) => Some(a.author),
        AuditLogAction::BanCreate(a) => Some(a.user),
        AuditLogAction::BanDelete(a) => Some(a.user),
        AuditLogAction::MemberEdit(a) => Some(a.user),
        AuditLogAction::MemberKick(a) => Some(a.user),
        _ => None,
    }
}

/// `GET /servers/{id}/audit_logs` (needs `ViewAuditLogs`).
pub(crate) async fn query(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply<axum::Json<AuditLogQueryResponse>> {
    let filters = filters(raw.as_deref())?;
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let world = lock(&shared.world);
    if !world.servers.contains_key(&server) {
        return Err(not_found());
    }
    require(
        world.server_permissions(caller.user, server, now),
        Permissions::VIEW_AUDIT_LOGS,
    )?;
    let audit_logs: Vec<AuditLogEntry> = world
        .audit_logs
        .iter()
        .rev()
        .filter(|e| filters.keeps(server, e))
        .take(filters.limit)
        .cloned()
        .collect();
    let ids: BTreeSet<UserId> = audit_logs
        .iter()
        .flat_map(|e| [Some(e.user), named(&e.action)])
        .flatten()
        .collect();
    let online = presence(&shared);
    let users = ids
        .iter()
        .filter_map(|u| world.render_user(caller.user, *u, &online))
        .collect();
    let members = ids
        .iter()
        .filter_map(|u| world.member(server, *u).cloned())
        .collect();
    Ok(axum::Json(AuditLogQueryResponse {
        audit_logs,
        users,
        members,
    }))
}
