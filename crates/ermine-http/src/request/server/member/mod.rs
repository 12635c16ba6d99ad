//! `/servers/{server}/members`.

pub mod edit;
pub mod fetch;
pub mod fetch_all;
pub mod kick;
pub mod query;

pub use edit::EditMember;
pub use fetch::{FetchMember, FetchMemberWithRoles};
pub use fetch_all::FetchMembers;
pub use kick::KickMember;
pub use query::QueryMembers;
