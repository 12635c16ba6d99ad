//! `/auth/mfa`: tickets, TOTP and recovery codes.

use ermine_model::auth::{MfaMethod, MfaResponse, MfaStatus, MfaTicket, Token, TotpSecret};

use crate::Client;
use crate::request::{body_request, path_request, request};

body_request! {
    /// A ticket for an account action, validated by a proof (the password, a TOTP code or a
    /// recovery code).
    ///
    /// # Errors
    /// `InvalidCredentials`; `InvalidToken`; `DisallowedMFAMethod`.
    CreateMfaTicket {} => MfaTicket,
    CREATE_MFA_TICKET, MfaResponse
}

path_request! {
    /// Which factors the account has.
    ///
    /// # Errors
    /// `InvalidSession`.
    FetchMfaStatus {} => MfaStatus,
    FETCH_MFA_STATUS
}

path_request! {
    /// The recovery codes (with a validated ticket).
    ///
    /// # Errors
    /// `InvalidToken`.
    FetchRecoveryCodes {} => Vec<String>,
    FETCH_RECOVERY_CODES
}

path_request! {
    /// New recovery codes, replacing the old ones (with a validated ticket).
    ///
    /// # Errors
    /// `InvalidToken`.
    GenerateRecoveryCodes {} => Vec<String>,
    GENERATE_RECOVERY_CODES
}

path_request! {
    /// The methods that pass a step for this account.
    ///
    /// # Errors
    /// `InvalidSession`.
    FetchMfaMethods {} => Vec<MfaMethod>,
    FETCH_MFA_METHODS
}

body_request! {
    /// Turns TOTP on, confirming the generated secret with a code.
    ///
    /// # Errors
    /// `InvalidToken` (a wrong code, or no secret generated).
    EnableTotp {} => (),
    ENABLE_TOTP, MfaResponse
}

path_request! {
    /// A new TOTP secret to enroll (with a validated ticket); enable it with a code.
    ///
    /// # Errors
    /// `InvalidToken`; `OperationFailed` (TOTP already on).
    GenerateTotpSecret {} => TotpSecret,
    GENERATE_TOTP_SECRET
}

path_request! {
    /// Turns TOTP off (with a validated ticket).
    ///
    /// # Errors
    /// `InvalidToken`.
    DisableTotp {} => (),
    DISABLE_TOTP
}

macro_rules! with_ticket {
    ($request:expr, $ticket:expr) => {{
        let mut request = $request;
        request.options.mfa_ticket = Some($ticket);
        request
    }};
}

impl Client {
    /// A ticket validated by `proof`.
    pub fn create_mfa_ticket(&self, proof: MfaResponse) -> CreateMfaTicket {
        CreateMfaTicket::with_body(self.clone(), proof)
    }

    /// Fetches the account's factors.
    pub fn fetch_mfa_status(&self) -> FetchMfaStatus {
        FetchMfaStatus::new(self.clone())
    }

    /// Fetches the recovery codes.
    pub fn fetch_recovery_codes(&self, ticket: Token) -> FetchRecoveryCodes {
        with_ticket!(FetchRecoveryCodes::new(self.clone()), ticket)
    }

    /// Makes new recovery codes.
    pub fn generate_recovery_codes(&self, ticket: Token) -> GenerateRecoveryCodes {
        with_ticket!(GenerateRecoveryCodes::new(self.clone()), ticket)
    }

    /// Fetches the methods that pass a step.
    pub fn fetch_mfa_methods(&self) -> FetchMfaMethods {
        FetchMfaMethods::new(self.clone())
    }

    /// Turns TOTP on with a code from the generated secret.
    pub fn enable_totp(&self, code: &str) -> EnableTotp {
        let proof = MfaResponse::Totp {
            totp_code: code.to_owned(),
        };
        EnableTotp::with_body(self.clone(), proof)
    }

    /// Generates a TOTP secret to enroll.
    pub fn generate_totp_secret(&self, ticket: Token) -> GenerateTotpSecret {
        with_ticket!(GenerateTotpSecret::new(self.clone()), ticket)
    }

    /// Turns TOTP off.
    pub fn disable_totp(&self, ticket: Token) -> DisableTotp {
        with_ticket!(DisableTotp::new(self.clone()), ticket)
    }
}
