//! `/servers/{server}/roles`.

pub mod create;
pub mod delete;
pub mod edit;
pub mod fetch;

pub use create::CreateRole;
pub use delete::DeleteRole;
pub use edit::{EditRole, EditRoleRanks};
pub use fetch::FetchRole;
