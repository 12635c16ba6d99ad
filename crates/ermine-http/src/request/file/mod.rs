//! The file server: uploads.

pub mod upload;

pub use upload::{FileSource, FileTag, UploadFile};
