//! `/servers/{server}/bans`.

pub mod ban_member;
pub mod fetch_bans;
pub mod unban_member;

pub use ban_member::BanMember;
pub use fetch_bans::FetchBans;
pub use unban_member::UnbanMember;
