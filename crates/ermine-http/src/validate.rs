//! The server's limits, checked before a request is sent.

use std::fmt;

/// An argument the server would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The field, as the API names it.
    pub field: &'static str,
    /// What is wrong with it.
    pub kind: ValidationErrorKind,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// Its length (characters, or bytes where the server counts bytes) is outside the range.
    Length {
        /// Smallest accepted length.
        min: usize,
        /// Largest accepted length.
        max: usize,
        /// The length given.
        actual: usize,
    },
    /// A number is outside the range.
    Range {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
        /// The value given.
        actual: i64,
    },
    /// It cannot be combined with another field that is set.
    Conflict {
        /// The other field.
        with: &'static str,
    },
    /// It has characters the server does not accept.
    Pattern {
        /// The characters accepted.
        allowed: &'static str,
    },
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ValidationErrorKind::Length { min, max, actual } => {
                write!(f, "{} must be {min}..={max} long, got {actual}", self.field)
            }
            ValidationErrorKind::Range { min, max, actual } => {
                write!(f, "{} must be in {min}..={max}, got {actual}", self.field)
            }
            ValidationErrorKind::Conflict { with } => {
                write!(f, "{} cannot be used together with {with}", self.field)
            }
            ValidationErrorKind::Pattern { allowed } => {
                write!(f, "{} may only have {allowed}", self.field)
            }
        }
    }
}

impl std::error::Error for ValidationError {}

/// `value` must have `min..=max` characters.
pub(crate) fn chars(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    length(field, value.chars().count(), min, max)
}

/// `len` must be in `min..=max`.
pub(crate) fn length(
    field: &'static str,
    actual: usize,
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    if (min..=max).contains(&actual) {
        Ok(())
    } else {
        Err(ValidationError {
            field,
            kind: ValidationErrorKind::Length { min, max, actual },
        })
    }
}

/// `actual` must be in `min..=max`.
pub(crate) fn range(
    field: &'static str,
    actual: i64,
    min: i64,
    max: i64,
) -> Result<(), ValidationError> {
    if (min..=max).contains(&actual) {
        Ok(())
    } else {
        Err(ValidationError {
            field,
            kind: ValidationErrorKind::Range { min, max, actual },
        })
    }
}

/// `field` and `with` cannot both be set.
pub(crate) fn conflict(field: &'static str, with: &'static str) -> ValidationError {
    ValidationError {
        field,
        kind: ValidationErrorKind::Conflict { with },
    }
}

/// A value that is not of the accepted form (`allowed` says which is).
pub(crate) fn pattern_error(field: &'static str, allowed: &'static str) -> ValidationError {
    ValidationError {
        field,
        kind: ValidationErrorKind::Pattern { allowed },
    }
}

/// Every character of `value` must pass `ok`; `allowed` says which do.
pub(crate) fn pattern(
    field: &'static str,
    value: &str,
    ok: impl Fn(char) -> bool,
    allowed: &'static str,
) -> Result<(), ValidationError> {
    if value.chars().all(ok) {
        Ok(())
    } else {
        Err(pattern_error(field, allowed))
    }
}
