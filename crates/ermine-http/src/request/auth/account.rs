//! `/auth/account`: create, verify, change, reset, disable and delete an account.
//!
//! An instance without e-mail verifies accounts at once; the routes that send mail answer as
//! it does.

use ermine_model::auth::{
    AccountDeletionBody, AccountInfo, ChangeEmailBody, ChangePasswordBody, CreateAccountBody,
    EmailBody, PasswordResetBody, Token, VerifyResponse,
};

use super::{email, password};
use crate::Client;
use crate::request::{body_request, path_request, request};

body_request! {
    /// Creates an account (then log in and complete onboarding).
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidCredentials`; `EmailInUse` is not reported (the server
    /// answers as for a new address); `Blacklisted`; `CompromisedPassword`;
    /// `ShortPassword`; `InvalidInvite`; `CaptchaFailed`.
    CreateAccount {} => (),
    CREATE_ACCOUNT, CreateAccountBody
}

impl CreateAccount {
    /// An invite code, for instances that require one.
    pub fn invite(mut self, code: &str) -> Self {
        self.body.invite = Some(code.to_owned());
        self
    }

    /// A captcha answer, for instances that require one.
    pub fn captcha(mut self, answer: &str) -> Self {
        self.body.captcha = Some(answer.to_owned());
        self
    }
}

body_request! {
    /// Sends the verification e-mail again.
    ///
    /// # Errors
    /// `UnknownUser`; `CaptchaFailed`; `OperationFailed` (no e-mail on this instance).
    ResendVerification {} => (),
    RESEND_VERIFICATION, EmailBody
}

body_request! {
    /// Confirms a deletion with the token from its e-mail.
    ///
    /// # Errors
    /// `InvalidToken`.
    ConfirmAccountDeletion {} => (),
    CONFIRM_ACCOUNT_DELETION, AccountDeletionBody
}

path_request! {
    /// Asks for the account's deletion (a confirmation e-mail; with an MFA ticket).
    ///
    /// # Errors
    /// `InvalidToken` (no valid ticket).
    DeleteAccount {} => (),
    DELETE_ACCOUNT
}

path_request! {
    /// The account: its ID and e-mail.
    ///
    /// # Errors
    /// `InvalidSession`.
    FetchAccount {} => AccountInfo,
    FETCH_ACCOUNT
}

path_request! {
    /// Disables the account (with an MFA ticket); its sessions end.
    ///
    /// # Errors
    /// `InvalidToken` (no valid ticket).
    DisableAccount {} => (),
    DISABLE_ACCOUNT
}

body_request! {
    /// Changes the password.
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidCredentials`; `CompromisedPassword`; `ShortPassword`.
    ChangePassword {} => (),
    CHANGE_PASSWORD, ChangePasswordBody
}

body_request! {
    /// Changes the e-mail address.
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidCredentials`; `EmailInUse`; `Blacklisted`.
    ChangeEmail {} => (),
    CHANGE_EMAIL, ChangeEmailBody
}

path_request! {
    /// Verifies an address with the code from its e-mail; a new account's answer holds a
    /// ticket to log in with.
    ///
    /// # Errors
    /// `InvalidToken`.
    VerifyEmail { code: String } => Option<VerifyResponse>,
    VERIFY_EMAIL
}

body_request! {
    /// Sends a password-reset e-mail.
    ///
    /// # Errors
    /// `CaptchaFailed`; `OperationFailed` (no e-mail on this instance).
    SendPasswordReset {} => (),
    SEND_PASSWORD_RESET, EmailBody
}

body_request! {
    /// Sets a new password with the token from a reset e-mail.
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidToken`; `CompromisedPassword`; `ShortPassword`.
    ResetPassword {} => (),
    RESET_PASSWORD, PasswordResetBody
}

impl ResetPassword {
    /// Also logs out every session.
    pub fn remove_sessions(mut self, remove: bool) -> Self {
        self.body.remove_sessions = remove;
        self
    }
}

impl Client {
    /// Creates an account.
    pub fn create_account(&self, address: &str, pass: &str) -> CreateAccount {
        let body = CreateAccountBody {
            email: address.to_owned(),
            password: pass.to_owned(),
            invite: None,
            captcha: None,
        };
        let mut request = CreateAccount::with_body(self.clone(), body);
        request.check(email(address));
        request.check(password("password", pass));
        request
    }

    /// Sends the verification e-mail again.
    pub fn resend_verification(&self, address: &str) -> ResendVerification {
        let body = EmailBody {
            email: address.to_owned(),
            captcha: None,
        };
        let mut request = ResendVerification::with_body(self.clone(), body);
        request.check(email(address));
        request
    }

    /// Confirms an account's deletion with the e-mailed token.
    pub fn confirm_account_deletion(&self, token: &str) -> ConfirmAccountDeletion {
        let body = AccountDeletionBody {
            token: token.to_owned(),
        };
        ConfirmAccountDeletion::with_body(self.clone(), body)
    }

    /// Asks for the account's deletion, with a validated MFA ticket.
    pub fn delete_account(&self, ticket: Token) -> DeleteAccount {
        let mut request = DeleteAccount::new(self.clone());
        request.options.mfa_ticket = Some(ticket);
        request
    }

    /// Fetches the account.
    pub fn fetch_account(&self) -> FetchAccount {
        FetchAccount::new(self.clone())
    }

    /// Disables the account, with a validated MFA ticket.
    pub fn disable_account(&self, ticket: Token) -> DisableAccount {
        let mut request = DisableAccount::new(self.clone());
        request.options.mfa_ticket = Some(ticket);
        request
    }

    /// Changes the password.
    pub fn change_password(&self, new: &str, current: &str) -> ChangePassword {
        let body = ChangePasswordBody {
            password: new.to_owned(),
            current_password: current.to_owned(),
        };
        let mut request = ChangePassword::with_body(self.clone(), body);
        request.check(password("password", new));
        request
    }

    /// Changes the e-mail address.
    pub fn change_email(&self, address: &str, current_password: &str) -> ChangeEmail {
        let body = ChangeEmailBody {
            email: address.to_owned(),
            current_password: current_password.to_owned(),
        };
        let mut request = ChangeEmail::with_body(self.clone(), body);
        request.check(email(address));
        request
    }

    /// Verifies an address with the e-mailed code.
    pub fn verify_email(&self, code: &str) -> VerifyEmail {
        VerifyEmail::new(self.clone(), code.to_owned())
    }

    /// Sends a password-reset e-mail.
    pub fn send_password_reset(&self, address: &str) -> SendPasswordReset {
        let body = EmailBody {
            email: address.to_owned(),
            captcha: None,
        };
        let mut request = SendPasswordReset::with_body(self.clone(), body);
        request.check(email(address));
        request
    }

    /// Sets a new password with the e-mailed reset token.
    pub fn reset_password(&self, token: &str, new: &str) -> ResetPassword {
        let body = PasswordResetBody {
            token: token.to_owned(),
            password: new.to_owned(),
            remove_sessions: false,
        };
        let mut request = ResetPassword::with_body(self.clone(), body);
        request.check(password("password", new));
        request
    }
}
