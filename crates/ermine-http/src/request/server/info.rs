//! `PUT /servers/{server}/ack`, `GET /servers/{server}/invites`,
//! `GET /servers/{server}/emojis`.

use ermine_model::emoji::Emoji;
use ermine_model::id::ServerId;
use ermine_model::invite::Invite;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Marks every channel of a server read.
    ///
    /// # Errors
    /// `IsBot`; `NotFound`.
    AckServer { server: ServerId } => (),
    ACK_SERVER
}

path_request! {
    /// A server's invites.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageServer`).
    FetchServerInvites { server: ServerId } => Vec<Invite>,
    FETCH_SERVER_INVITES
}

path_request! {
    /// A server's custom emoji.
    ///
    /// # Errors
    /// `NotFound` (also when the caller is not a member).
    FetchServerEmojis { server: ServerId } => Vec<Emoji>,
    FETCH_SERVER_EMOJIS
}

impl Client {
    /// Marks every channel of a server read.
    pub fn ack_server(&self, server: ServerId) -> AckServer {
        AckServer::new(self.clone(), server)
    }

    /// Fetches a server's invites.
    pub fn fetch_server_invites(&self, server: ServerId) -> FetchServerInvites {
        FetchServerInvites::new(self.clone(), server)
    }

    /// Fetches a server's custom emoji.
    pub fn fetch_server_emojis(&self, server: ServerId) -> FetchServerEmojis {
        FetchServerEmojis::new(self.clone(), server)
    }
}
