//! Error answers: `{"type": ...}` bodies from handlers, and the web framework's own pages
//! (`{"error": {...}}` or HTML, by `Accept`) from failed guards.

use std::panic::Location;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ermine_model::error::{ApiError, ErrorBody, FrameworkError, FrameworkErrorBody};

/// Why a request failed.
#[derive(Debug)]
pub(crate) enum Fail {
    /// A handler error: `{"type": ..., "location": ...}` with the type's status.
    Api {
        error: ApiError,
        location: &'static Location<'static>,
    },
    /// A guard failure, answered by the framework's default catcher.
    Framework(StatusCode),
}

/// Result of a handler.
pub(crate) type Reply<T> = Result<T, Fail>;

/// An API error raised here (the location is the caller's, as the real server reports its
/// source location).
#[track_caller]
pub(crate) fn fail(error: ApiError) -> Fail {
    Fail::Api {
        error,
        location: Location::caller(),
    }
}

/// `MissingPermission { permission }`.
#[track_caller]
pub(crate) fn missing(permission: &str) -> Fail {
    fail(ApiError::MissingPermission {
        permission: permission.to_owned(),
    })
}

/// `FailedValidation { error }`.
#[track_caller]
pub(crate) fn invalid(error: impl Into<String>) -> Fail {
    fail(ApiError::FailedValidation {
        error: error.into(),
    })
}

/// `NotFound`.
#[track_caller]
pub(crate) fn not_found() -> Fail {
    fail(ApiError::NotFound)
}

/// Marks a response whose body the catcher writes according to `Accept`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrameworkFailure;

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        match self {
            Self::Api { error, location } => {
                let status = StatusCode::from_u16(error.status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let body = ErrorBody {
                    error,
                    location: Some(format!(
                        "{}:{}:{}",
                        location.file(),
                        location.line(),
                        location.column()
                    )),
                };
                (status, axum::Json(body)).into_response()
            }
            Self::Framework(status) => framework_response(status),
        }
    }
}

/// An empty response that the catcher will fill in.
pub(crate) fn framework_response(status: StatusCode) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(FrameworkFailure);
    response
}

fn description(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request could not be understood by the server due to malformed syntax.",
        401 => "The request requires user authentication.",
        403 => "The server refused to authorize the request.",
        404 => "The requested resource could not be found.",
        409 => "The request could not be processed because of a conflict in the request.",
        413 => "The request is larger than the server is willing or able to process.",
        422 => "The request was well-formed but was unable to be followed due to semantic errors.",
        431 => {
            "The server is unwilling to process the request because either an individual header field, or all the header fields collectively, are too large."
        }
        500 => "The server encountered an internal error while processing this request.",
        _ => "An error occurred while processing this request.",
    }
}

/// Whether the request's `Accept` prefers JSON (the framework's rule: the highest-weighted
/// media type is JSON).
pub(crate) fn prefers_json(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut best: Option<(f32, bool)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let weight = parts
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let json = media == "application/json" || media.ends_with("+json");
        if best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, json));
        }
    }
    best.is_some_and(|(_, json)| json)
}

/// Writes the framework's body for `status`: JSON when preferred, else its HTML page.
pub(crate) fn render_framework(status: StatusCode, json: bool) -> Response {
    let reason = status.canonical_reason().unwrap_or("Unknown");
    let code = status.as_u16();
    if json {
        let body = FrameworkErrorBody {
            error: FrameworkError {
                code,
                reason: reason.to_owned(),
                description: description(status).to_owned(),
            },
        };
        return (status, axum::Json(body)).into_response();
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"utf-8\">\n    <meta name=\"color-scheme\" content=\"light dark\">\n    <title>{code} {reason}</title>\n</head>\n<body align=\"center\">\n    <div role=\"main\" align=\"center\">\n        <h1>{code}: {reason}</h1>\n        <p>{}</p>\n        <hr />\n    </div>\n    <div role=\"contentinfo\" align=\"center\">\n        <small>Rocket</small>\n    </div>\n</body>\n</html>",
        description(status)
    );
    let mut response = (status, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
