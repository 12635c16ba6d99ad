//! `PATCH /servers/{server}`: edit a server, with each field left alone, cleared or set.

use ermine_model::id::{ServerId, UserId};
use ermine_model::patch::Patch;
use ermine_model::server::{Category, FieldsServer, Server, ServerEditBody, SystemMessageChannels};

use crate::Client;
use crate::request::{body_request, patch_setter, request};
use crate::validate;

body_request! {
    /// Edits a server. A setter never called leaves its field alone; `Some(v)` sets it;
    /// `None` clears it (the body's `remove` list).
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageServer`, or
    /// `ManageChannel` for categories); `NotPrivileged` (flags, discoverable);
    /// `NotOwner` (a new owner).
    EditServer { server: ServerId } => Server,
    EDIT_SERVER, ServerEditBody
}

impl EditServer {
    /// Renames it (1..=32 characters).
    pub fn name(mut self, name: &str) -> Self {
        self.check(validate::chars("name", name, 1, 32));
        self.body.name = Some(name.to_owned());
        self
    }

    patch_setter! {
        /// Sets (≤ 1024 characters) or clears the description.
        description => description, FieldsServer::Description, chars(0, 1024)
    }

    patch_setter! {
        /// Sets the icon to an unused file uploaded to `icons`, or clears it.
        icon => icon, FieldsServer::Icon
    }

    patch_setter! {
        /// Sets the banner to an unused file uploaded to `banners`, or clears it.
        banner => banner, FieldsServer::Banner
    }

    /// Replaces the categories, or clears them.
    pub fn categories(mut self, categories: Option<&[Category]>) -> Self {
        let b = &mut self.body;
        Patch::from(categories.map(<[Category]>::to_vec)).write(
            &mut b.categories,
            &mut b.remove,
            FieldsServer::Categories,
        );
        self
    }

    /// Sets where system messages go, or clears it (none are sent).
    pub fn system_messages(mut self, channels: Option<SystemMessageChannels>) -> Self {
        let b = &mut self.body;
        Patch::from(channels).write(
            &mut b.system_messages,
            &mut b.remove,
            FieldsServer::SystemMessages,
        );
        self
    }

    /// Whether analytics are collected.
    pub fn analytics(mut self, analytics: bool) -> Self {
        self.body.analytics = Some(analytics);
        self
    }

    /// Server flags (privileged users only).
    pub fn flags(mut self, flags: u32) -> Self {
        self.body.flags = Some(flags);
        self
    }

    /// Whether it is listed in discovery (privileged users only).
    pub fn discoverable(mut self, discoverable: bool) -> Self {
        self.body.discoverable = Some(discoverable);
        self
    }

    /// Hands the server to another member (the owner only).
    pub fn owner(mut self, owner: UserId) -> Self {
        self.body.owner = Some(owner);
        self
    }
}

impl Client {
    /// Edits a server.
    pub fn edit_server(&self, server: ServerId) -> EditServer {
        EditServer::with_body(self.clone(), server, ServerEditBody::default())
    }
}
