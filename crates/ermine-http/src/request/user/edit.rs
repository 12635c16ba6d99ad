//! `PATCH /users/{user}` and `PATCH /users/@me/username`.

use ermine_model::id::UserId;
use ermine_model::patch::Patch;
use ermine_model::user::{
    ChangeUsernameBody, FieldsUser, Presence, ProfileEditBody, User, UserEditBody, UserStatus,
};

use crate::Client;
use crate::request::{body_request, patch_setter, request};
use crate::validate;

body_request! {
    /// Edits the caller (`@me`) or a bot the caller owns. A setter never called leaves its
    /// field alone; `Some(v)` sets it; `None` clears it.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `NotPrivileged` (someone else; badges, flags).
    EditUser { user: String } => User,
    EDIT_USER, UserEditBody
}

impl EditUser {
    patch_setter! {
        /// Sets (2..=32 characters) or clears the display name.
        display_name => display_name, FieldsUser::DisplayName, chars(2, 32)
    }

    patch_setter! {
        /// Sets or clears the pronouns.
        pronouns => pronouns, FieldsUser::Pronouns
    }

    patch_setter! {
        /// Sets the avatar to an unused file uploaded to `avatars`, or clears it.
        avatar => avatar, FieldsUser::Avatar
    }

    /// Sets (≤ 128 characters) or clears the status text.
    pub fn status_text(mut self, text: Option<&str>) -> Self {
        if let Some(t) = text {
            self.check(validate::chars("status.text", t, 0, 128));
        }
        let mut slot = self.body.status.as_mut().and_then(|s| s.text.take());
        Patch::from(text.map(str::to_owned)).write(
            &mut slot,
            &mut self.body.remove,
            FieldsUser::StatusText,
        );
        self.status().text = slot;
        self.tidy_status();
        self
    }

    /// Sets or clears the presence.
    pub fn presence(mut self, presence: Option<Presence>) -> Self {
        let mut slot = self.body.status.as_mut().and_then(|s| s.presence.take());
        Patch::from(presence).write(&mut slot, &mut self.body.remove, FieldsUser::StatusPresence);
        self.status().presence = slot;
        self.tidy_status();
        self
    }

    /// Sets (≤ 2000 characters) or clears the profile text.
    pub fn profile_content(mut self, content: Option<&str>) -> Self {
        if let Some(c) = content {
            self.check(validate::chars("profile.content", c, 0, 2000));
        }
        let mut slot = self.body.profile.as_mut().and_then(|p| p.content.take());
        Patch::from(content.map(str::to_owned)).write(
            &mut slot,
            &mut self.body.remove,
            FieldsUser::ProfileContent,
        );
        self.profile().content = slot;
        self.tidy_profile();
        self
    }

    /// Sets the profile background to an unused file uploaded to `backgrounds`, or clears
    /// it.
    pub fn profile_background(mut self, file_id: Option<&str>) -> Self {
        let mut slot = self.body.profile.as_mut().and_then(|p| p.background.take());
        Patch::from(file_id.map(str::to_owned)).write(
            &mut slot,
            &mut self.body.remove,
            FieldsUser::ProfileBackground,
        );
        self.profile().background = slot;
        self.tidy_profile();
        self
    }

    fn status(&mut self) -> &mut UserStatus {
        self.body.status.get_or_insert_with(UserStatus::default)
    }

    fn profile(&mut self) -> &mut ProfileEditBody {
        self.body
            .profile
            .get_or_insert_with(ProfileEditBody::default)
    }

    /// An empty status object is left out of the body.
    fn tidy_status(&mut self) {
        if self.body.status == Some(UserStatus::default()) {
            self.body.status = None;
        }
    }

    fn tidy_profile(&mut self) {
        if self.body.profile == Some(ProfileEditBody::default()) {
            self.body.profile = None;
        }
    }
}

body_request! {
    /// Changes the caller's username (sessions only), confirmed with the account's password.
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidCredentials`; `UsernameTaken`; `IsBot`.
    ChangeUsername {} => User,
    CHANGE_USERNAME, ChangeUsernameBody
}

impl Client {
    /// Edits the caller.
    pub fn edit_self(&self) -> EditUser {
        EditUser::with_body(self.clone(), "@me".to_owned(), UserEditBody::default())
    }

    /// Edits a bot the caller owns.
    pub fn edit_bot_user(&self, bot: UserId) -> EditUser {
        EditUser::with_body(self.clone(), bot.to_string(), UserEditBody::default())
    }

    /// Changes the caller's username (2..=32 characters).
    pub fn change_username(&self, username: &str, password: &str) -> ChangeUsername {
        let body = ChangeUsernameBody {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        let mut request = ChangeUsername::with_body(self.clone(), body);
        request.check(validate::chars("username", username, 2, 32));
        request
    }
}
