//! The file server: uploads.

pub mod upload;
