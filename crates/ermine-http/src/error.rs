//! Errors you can match: what the server said (typed), what the transport did, and what was
//! refused before anything was sent.

use std::fmt;
use std::time::Duration;

use ermine_model::error::{ApiError, ErrorBody, FrameworkErrorBody};

use crate::validate::ValidationError;

/// An error from a request. `kind()` tells what happened; the status, method, path and raw
/// body of the response are kept when there was one.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    response: Option<Box<ResponseInfo>>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What the failed request and its answer looked like.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseInfo {
    /// HTTP method.
    pub method: String,
    /// Path (without the base URL).
    pub path: String,
    /// HTTP status.
    pub status: u16,
    /// The start of the body as received (lossy UTF-8): at most [`SHOWN_BODY`] bytes, with a
    /// note of how much was left out.
    pub body: String,
}

/// How much of an error body an [`Error`] keeps (and its `Debug` shows).
pub const SHOWN_BODY: usize = 1024;

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a typed error (`{"type": ...}`), one variant per type.
    Api {
        /// The error, with its typed fields.
        error: ApiError,
        /// Where in the server's source it was raised (debugging only; often absent).
        location: Option<String>,
    },
    /// The server's web framework refused the request (bad or missing token, malformed
    /// body, oversized header, reused idempotency key, unknown route).
    Framework {
        /// Status reason, e.g. `Unauthorized`.
        reason: String,
        /// The framework's explanation.
        description: String,
    },
    /// Rate limited and out of retries.
    RateLimited {
        /// How long the server asked to wait.
        retry_after: Duration,
    },
    /// An error status with a body that is neither a typed error nor the framework's JSON
    /// (an HTML page, plain text or nothing).
    Status,
    /// The request was refused before sending: an argument breaks the server's limits.
    Validation(ValidationError),
    /// The request could not be sent or its answer not received.
    Transport,
    /// No answer within the timeout.
    Timeout,
    /// The answer's body did not decode as the expected model.
    Decode,
    /// The answer's body was larger than the client's limit
    /// ([`ClientBuilder::max_body`](crate::ClientBuilder::max_body)); reading stopped there.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server redirected to another origin (or from https to http). Such redirects are
    /// never followed, so credentials never leave the origin they were given for;
    /// same-origin redirects are followed (at most 5).
    Redirect {
        /// The origin it pointed to (scheme, host and port only), when readable.
        to: Option<String>,
    },
    /// The request could not be built (an invalid header value, a file that cannot be read).
    Build,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            response: None,
            source: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn with_response(mut self, info: ResponseInfo) -> Self {
        self.response = Some(Box::new(info));
        self
    }

    /// A [`Decode`](ErrorKind::Decode) error: an answer's body that did not decode as
    /// expected (for bodies a caller decodes itself, from a request's `body()`).
    pub fn decode(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(ErrorKind::Decode).with_source(source)
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The typed API error, if the server sent one.
    pub fn api(&self) -> Option<&ApiError> {
        match &self.kind {
            ErrorKind::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the server answered `NoEffect` (nothing to change).
    pub fn is_no_effect(&self) -> bool {
        matches!(self.api(), Some(ApiError::NoEffect))
    }

    /// Whether the token was refused: the typed `InvalidSession`, or the 401 page the server's
    /// framework answers when a token is missing or unknown (stoat.py's `Unauthorized`).
    pub fn is_invalid_session(&self) -> bool {
        matches!(self.api(), Some(ApiError::InvalidSession))
            || (self.status() == Some(401)
                && matches!(self.kind, ErrorKind::Framework { .. } | ErrorKind::Status))
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }

    /// The request and answer, when there was one.
    pub fn response(&self) -> Option<&ResponseInfo> {
        self.response.as_deref()
    }

    /// Reads an error answer: a typed error, the framework's JSON, a rate limit, or a bare
    /// status. Never fails; anything unreadable becomes [`ErrorKind::Status`].
    pub(crate) fn from_response(
        mut info: ResponseInfo,
        retry_after_header: Option<Duration>,
    ) -> Self {
        let kind = classify(&info, retry_after_header);
        shorten(&mut info.body);
        Self::new(kind).with_response(info)
    }
}

/// Cuts a body to [`SHOWN_BODY`] bytes (at a character boundary) with a note of the rest.
pub(crate) fn shorten(body: &mut String) {
    use fmt::Write as _;
    if body.len() > SHOWN_BODY {
        let mut end = SHOWN_BODY;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        let left_out = body.len() - end;
        body.truncate(end);
        let _ = write!(body, "… ({left_out} more bytes)");
    }
}

fn classify(info: &ResponseInfo, retry_after_header: Option<Duration>) -> ErrorKind {
    let json: Option<serde_json::Value> = ermine_model::decode::json(info.body.as_bytes()).ok();
    if let Some(value) = &json {
        if value.get("type").is_some_and(serde_json::Value::is_string)
            && let Ok(body) = serde_json::from_value::<ErrorBody>(value.clone())
        {
            return ErrorKind::Api {
                error: body.error,
                location: body.location,
            };
        }
        if info.status == 429
            && let Some(ms) = value.get("retry_after").and_then(serde_json::Value::as_u64)
        {
            return ErrorKind::RateLimited {
                retry_after: Duration::from_millis(ms),
            };
        }
        if let Ok(body) = serde_json::from_value::<FrameworkErrorBody>(value.clone()) {
            return ErrorKind::Framework {
                reason: body.error.reason,
                description: body.error.description,
            };
        }
    }
    if info.status == 429 {
        return ErrorKind::RateLimited {
            retry_after: retry_after_header.unwrap_or(Duration::from_secs(1)),
        };
    }
    ErrorKind::Status
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Api { error, .. } => write!(f, "api error {}", error.type_name())?,
            ErrorKind::Framework { reason, .. } => write!(f, "request refused: {reason}")?,
            ErrorKind::RateLimited { retry_after } => {
                write!(f, "rate limited, retry after {retry_after:?}")?;
            }
            ErrorKind::Status => f.write_str("error status")?,
            ErrorKind::Validation(v) => write!(f, "invalid request: {v}")?,
            ErrorKind::Transport => f.write_str("transport error")?,
            ErrorKind::Timeout => f.write_str("request timed out")?,
            ErrorKind::Decode => f.write_str("response did not decode")?,
            ErrorKind::BodyTooLarge { limit } => {
                write!(f, "response body larger than the limit of {limit} bytes")?;
            }
            ErrorKind::Redirect { to } => match to {
                Some(to) => write!(f, "redirected to another origin ({to}); not followed")?,
                None => f.write_str("redirected to another origin; not followed")?,
            },
            ErrorKind::Build => f.write_str("request could not be built")?,
        }
        if let Some(r) = &self.response {
            write!(f, " ({} {} → {})", r.method, r.path, r.status)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Validation(v) => Some(v),
            _ => self
                .source
                .as_deref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
        }
    }
}

impl From<ValidationError> for Error {
    fn from(value: ValidationError) -> Self {
        Self::new(ErrorKind::Validation(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(status: u16, body: &str) -> ResponseInfo {
        ResponseInfo {
            method: "GET".into(),
            path: "/x".into(),
            status,
            body: body.into(),
        }
    }

    #[test]
    fn every_kind_of_error_body_is_read() {
        let typed = Error::from_response(
            info(
                403,
                r#"{"type":"MissingPermission","permission":"KickMembers","location":"a.rs:1:2"}"#,
            ),
            None,
        );
        match typed.kind() {
            ErrorKind::Api {
                error: ApiError::MissingPermission { permission },
                location,
            } => {
                assert_eq!(permission, "KickMembers");
                assert_eq!(location.as_deref(), Some("a.rs:1:2"));
            }
            other => panic!("{other:?}"),
        }
        let framework = Error::from_response(
            info(
                401,
                r#"{"error":{"code":401,"reason":"Unauthorized","description":"d"}}"#,
            ),
            None,
        );
        assert!(
            matches!(framework.kind(), ErrorKind::Framework { reason, .. } if reason == "Unauthorized")
        );
        let limited = Error::from_response(info(429, r#"{"retry_after":1500}"#), None);
        assert!(
            matches!(limited.kind(), ErrorKind::RateLimited { retry_after } if *retry_after == Duration::from_millis(1500))
        );
        let html = Error::from_response(info(422, "<!DOCTYPE html>"), None);
        assert!(matches!(html.kind(), ErrorKind::Status));
        assert_eq!(html.status(), Some(422));
        let slow = Error::from_response(info(429, ""), Some(Duration::from_millis(700)));
        assert!(
            matches!(slow.kind(), ErrorKind::RateLimited { retry_after } if *retry_after == Duration::from_millis(700))
        );
        let unknown = Error::from_response(info(400, r#"{"type":"BrandNew","x":1}"#), None);
        assert!(
            matches!(unknown.api(), Some(ApiError::Unknown { r#type, .. }) if r#type == "BrandNew")
        );
        let in_slowmode =
            Error::from_response(info(429, r#"{"type":"InSlowmode","retry_after":3}"#), None);
        assert!(matches!(
            in_slowmode.api(),
            Some(ApiError::InSlowmode { retry_after: 3 })
        ));
        assert!(Error::from_response(info(400, r#"{"type":"NoEffect"}"#), None).is_no_effect());
    }

    #[test]
    fn a_huge_error_body_is_kept_short_in_the_error_and_its_debug() {
        let body = format!("<html>{}</html>", "é".repeat(100_000));
        let error = Error::from_response(info(500, &body), None);
        let kept = &error.response().unwrap().body;
        assert!(kept.len() < SHOWN_BODY + 40, "{}", kept.len());
        assert!(kept.ends_with("more bytes)"), "{kept}");
        assert!(format!("{error:?}").len() < 2 * SHOWN_BODY);
    }
}
