//! `/users`: users, profiles, relationships, DMs and default avatars.

pub mod block;
pub mod default_avatar;
pub mod edit;
pub mod fetch;
pub mod fetch_dms;
pub mod fetch_self;
pub mod flags;
pub mod friend;
pub mod mutual;
pub mod open_dm;
pub mod profile;
pub mod remove_friend;
pub mod unblock;

pub use block::BlockUser;
pub use default_avatar::FetchDefaultAvatar;
pub use edit::{ChangeUsername, EditUser};
pub use fetch::FetchUser;
pub use fetch_dms::FetchDms;
pub use fetch_self::FetchSelf;
pub use flags::FetchUserFlags;
pub use friend::{AddFriend, SendFriendRequest};
pub use mutual::FetchMutuals;
pub use open_dm::OpenDm;
pub use profile::FetchProfile;
pub use remove_friend::RemoveFriend;
pub use unblock::UnblockUser;
