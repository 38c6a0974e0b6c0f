//! The one error type of the core: every failure a user can cause, as data.
//! Messages name the field, the value and what was expected; formula errors carry a byte span.

use std::ops::Range;

/// Every error the core reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A formula could not be parsed; `span` is the byte range of the offending text.
    #[error("formula error at {}..{}: {message}", span.start, span.end)]
    Formula { message: String, span: Range<usize> },
    /// A setting has a value outside what it accepts.
    #[error("invalid value for `{field}`: {value} ({expected})")]
    InvalidValue {
        field: String,
        value: String,
        expected: String,
    },
    /// A config could not be read (unknown key, wrong type, bad JSON).
    #[error("invalid config: {0}")]
    Config(String),
    /// A name (optimizer, schedule, preset, ...) that does not exist.
    #[error("unknown {kind} `{name}`; expected one of: {expected}")]
    UnknownName {
        kind: String,
        name: String,
        expected: String,
    },
}

impl Error {
    /// Shorthand for [`Error::InvalidValue`].
    pub fn invalid(field: &str, value: impl std::fmt::Display, expected: &str) -> Self {
        Error::InvalidValue {
            field: field.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
