//! `POST /safety/report`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ermine_model::error::ApiError;
use ermine_model::report::{ContentReportReason, ReportBody, ReportedContent, UserReportReason};

use super::servers::length;
use crate::http::{AppState, Caller, Fail, Json, Reply, fail, no_content, not_found};
use crate::lock;
use crate::world::ReportRecord;

/// `POST /safety/report`.
pub(crate) async fn report(
    State(shared): State<AppState>,
    caller: Caller,
    Json(body): Json<ReportBody>,
) -> Reply<Response> {
    let unknown_reason = match &body.content {
        ReportedContent::Message(m) => matches!(m.report_reason, ContentReportReason::Unknown(_)),
        ReportedContent::Server(s) => matches!(s.report_reason, ContentReportReason::Unknown(_)),
        ReportedContent::User(u) => matches!(u.report_reason, UserReportReason::Unknown(_)),
        _ => true,
    };
    if unknown_reason {
        return Err(Fail::Framework(StatusCode::UNPROCESSABLE_ENTITY));
    }
    length("additional_context", &body.additional_context, 0, 1000)?;
    if caller.is_bot() {
        return Err(fail(ApiError::IsBot));
    }
    let mut world = lock(&shared.world);
    let own = match &body.content {
        ReportedContent::Message(m) => {
            world
                .messages
                .values()
                .find_map(|c| c.get(&m.id))
                .ok_or_else(not_found)?
                .author
                == caller.user
        }
        ReportedContent::Server(s) => {
            world.servers.get(&s.id).ok_or_else(not_found)?.owner == caller.user
        }
        ReportedContent::User(u) => {
            if !world.users.contains_key(&u.id) {
                return Err(not_found());
            }
            u.id == caller.user
        }
        _ => return Err(Fail::Framework(StatusCode::UNPROCESSABLE_ENTITY)),
    };
    if own {
        return Err(fail(ApiError::CannotReportYourself));
    }
    world.reports.push(ReportRecord {
        author: caller.user,
        body,
    });
    Ok(no_content())
}
