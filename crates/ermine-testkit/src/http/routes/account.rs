//! The account side of `/auth` beyond signing up and in: e-mail (this instance sends none),
//! password changes, disabling and deleting, sessions, MFA tickets, TOTP and recovery codes.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use ermine_model::Timestamp;
use ermine_model::auth::{
    AccountDeletionBody, ChangeEmailBody, ChangePasswordBody, EditSessionBody, EmailBody,
    MfaMethod, MfaResponse, MfaStatus, MfaTicket, PasswordResetBody, SessionInfo, Token,
    TotpSecret,
};
use ermine_model::error::ApiError;
use ermine_model::id::{SessionId, UserId};
use serde::Deserialize;

use super::auth::{assert_safe, valid_email};
use crate::Shared;
use crate::http::{AppState, Json, Query, Reply, SessionCaller, fail, no_content, parse_id};
use crate::lock;
use crate::world::{Account, Mfa, Ticket, Totp, World};

/// How long a ticket lasts.
const TICKET_LIFETIME_MS: i64 = 5 * 60 * 1000;

/// The RFC 6238 code of a base32 `secret` at `at` (30-second steps, six digits, SHA-1), as
/// the real server computes it; `None` for a secret that is not base32.
pub(crate) fn totp_code(secret: &str, at: Timestamp) -> Option<String> {
    let key = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let seconds = u64::try_from(at.unix_millis() / 1000).ok()?;
    Some(totp_lite::totp_custom::<totp_lite::Sha1>(
        totp_lite::DEFAULT_STEP,
        6,
        &key,
        seconds,
    ))
}

impl Mfa {
    /// The methods that pass a step: TOTP (and recovery codes if any are left) when TOTP is
    /// on, the password otherwise.
    pub(crate) fn methods(&self) -> Vec<MfaMethod> {
        if matches!(self.totp, Totp::Enabled(_)) {
            let mut methods = vec![MfaMethod::Totp];
            if !self.recovery.is_empty() {
                methods.push(MfaMethod::Recovery);
            }
            methods
        } else {
            vec![MfaMethod::Password]
        }
    }

    /// The current TOTP code of a pending or enabled secret.
    fn code(&self, now: Timestamp) -> Option<String> {
        match &self.totp {
            Totp::Pending(secret) | Totp::Enabled(secret) => totp_code(secret, now),
            Totp::Disabled => None,
        }
    }
}

impl World {
    /// The account of `user`.
    pub(crate) fn account_of(&mut self, user: UserId) -> Reply<&mut Account> {
        let key = self
            .account_ids
            .get(&user)
            .cloned()
            .ok_or_else(|| fail(ApiError::InvalidSession))?;
        self.accounts
            .get_mut(&key)
            .ok_or_else(|| fail(ApiError::InvalidSession))
    }

    /// A new ticket for `account`.
    pub(crate) fn new_ticket(
        &mut self,
        account: UserId,
        validated: bool,
        now: Timestamp,
    ) -> Ticket {
        let ticket = Ticket {
            id: self.id::<()>(now).to_string(),
            created: now,
            account,
            token: self.token(now),
            validated,
            authorised: false,
            last_totp_code: None,
        };
        self.tickets.insert(ticket.token.clone(), ticket.clone());
        ticket
    }

    /// Checks `proof` against `user`'s account, in the real server's order; a recovery code
    /// is used up.
    pub(crate) fn consume_mfa_response(
        &mut self,
        user: UserId,
        proof: &MfaResponse,
        ticket: Option<&Ticket>,
        now: Timestamp,
    ) -> Reply<()> {
        let account = self.account_of(user)?;
        let allowed = account.mfa.methods();
        match proof {
            MfaResponse::Password { password } => {
                if !allowed.contains(&MfaMethod::Password) {
                    return Err(fail(ApiError::DisallowedMFAMethod));
                }
                if *password != account.password {
                    return Err(fail(ApiError::InvalidCredentials));
                }
            }
            MfaResponse::Totp { totp_code } => {
                if !allowed.contains(&MfaMethod::Totp) {
                    return Err(fail(ApiError::DisallowedMFAMethod));
                }
                let earlier = ticket.and_then(|t| t.last_totp_code.as_ref());
                if earlier != Some(totp_code) && account.mfa.code(now).as_ref() != Some(totp_code) {
                    return Err(fail(ApiError::InvalidToken));
                }
            }
            MfaResponse::Recovery { recovery_code } => {
                if !allowed.contains(&MfaMethod::Recovery) {
                    return Err(fail(ApiError::DisallowedMFAMethod));
                }
                let index = account
                    .mfa
                    .recovery
                    .iter()
                    .position(|c| c == recovery_code)
                    .ok_or_else(|| fail(ApiError::InvalidToken))?;
                account.mfa.recovery.remove(index);
            }
        }
        Ok(())
    }

    /// Ends every session of `user` but `keep`, logging their sockets out.
    pub(crate) fn end_sessions(&mut self, shared: &Shared, user: UserId, keep: Option<SessionId>) {
        let ended: Vec<SessionId> = self
            .sessions
            .values()
            .filter(|s| s.user == user && Some(s.id) != keep)
            .map(|s| s.id)
            .collect();
        for id in ended {
            self.close_session(id);
            shared.hub.logout_session(id);
        }
    }
}

/// The ticket in `X-MFA-Ticket`, which must be validated and unexpired; it is used up
/// (`MissingHeaders` without one, `InvalidToken` otherwise).
fn claim_validated(world: &mut World, headers: &HeaderMap, now: Timestamp) -> Reply<Ticket> {
    let token = headers
        .get("x-mfa-ticket")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| fail(ApiError::MissingHeaders))?;
    let ticket = world
        .tickets
        .get(token)
        .cloned()
        .ok_or_else(|| fail(ApiError::InvalidToken))?;
    if !ticket.validated || now.unix_millis() - ticket.created.unix_millis() > TICKET_LIFETIME_MS {
        return Err(fail(ApiError::InvalidToken));
    }
    world.tickets.remove(token);
    Ok(ticket)
}

/// A ticket as the API shows it.
fn shown(ticket: &Ticket) -> MfaTicket {
    MfaTicket {
        id: ticket.id.clone(),
        account_id: ticket.account,
        token: Token::new(ticket.token.clone()),
        validated: ticket.validated,
        authorised: ticket.authorised,
        last_totp_code: ticket.last_totp_code.clone(),
    }
}

/// `POST /auth/account/reverify`: this instance sends no e-mail and verifies accounts at
/// once, so for a known address it answers as the real one does then (`OperationFailed`,
/// from the password-reset mail it would send instead); an unknown address gets `204`.
pub(crate) async fn resend_verification(
    State(shared): State<AppState>,
    Json(body): Json<EmailBody>,
) -> Reply<Response> {
    email_only(&shared, &body, true)
}

/// `POST /auth/account/reset_password`: `204` whatever the address (the real server hides
/// the failure to send mail).
pub(crate) async fn send_password_reset(
    State(shared): State<AppState>,
    Json(body): Json<EmailBody>,
) -> Reply<Response> {
    email_only(&shared, &body, false)
}

fn email_only(shared: &Shared, body: &EmailBody, report: bool) -> Reply<Response> {
    if !valid_email(&body.email) {
        return Err(fail(ApiError::IncorrectData {
            with: "email".to_owned(),
        }));
    }
    let known = lock(&shared.world)
        .accounts
        .contains_key(&body.email.to_lowercase());
    if known && report {
        return Err(fail(ApiError::OperationFailed));
    }
    Ok(no_content())
}

/// `PUT /auth/account/delete` and `PATCH /auth/account/reset_password`: tokens only e-mails
/// carry, so none is ever valid here.
pub(crate) async fn confirm_deletion(Json(_body): Json<AccountDeletionBody>) -> Reply<Response> {
    Err(fail(ApiError::InvalidToken))
}

/// `PATCH /auth/account/reset_password`; see [`confirm_deletion`]. The new password is
/// checked after the token, as on the real server.
pub(crate) async fn password_reset(Json(_body): Json<PasswordResetBody>) -> Reply<Response> {
    Err(fail(ApiError::InvalidToken))
}

/// `POST /auth/account/delete`: without e-mail, deletion is scheduled at once, which
/// disables the account and ends its sessions.
pub(crate) async fn delete_account(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
) -> Reply<Response> {
    disable(&shared, caller, &headers)
}

/// `POST /auth/account/disable`.
pub(crate) async fn disable_account(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
) -> Reply<Response> {
    disable(&shared, caller, &headers)
}

fn disable(shared: &Shared, caller: SessionCaller, headers: &HeaderMap) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    world.account_of(caller.user)?;
    claim_validated(&mut world, headers, now)?;
    world.account_of(caller.user)?.disabled = true;
    world.end_sessions(shared, caller.user, None);
    Ok(no_content())
}

/// `PATCH /auth/account/change/password`: with TOTP on, a validated ticket too.
pub(crate) async fn change_password(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
    Json(body): Json<ChangePasswordBody>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    second_factor(&mut world, caller.user, &headers, now)?;
    assert_safe(&body.password)?;
    let account = world.account_of(caller.user)?;
    if account.password != body.current_password {
        return Err(fail(ApiError::InvalidCredentials));
    }
    account.password = body.password;
    Ok(no_content())
}

/// `PATCH /auth/account/change/email`: without e-mail, the address changes at once.
pub(crate) async fn change_email(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
    Json(body): Json<ChangeEmailBody>,
) -> Reply<Response> {
    if !valid_email(&body.email) {
        return Err(fail(ApiError::IncorrectData {
            with: "email".to_owned(),
        }));
    }
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    second_factor(&mut world, caller.user, &headers, now)?;
    let account = world.account_of(caller.user)?;
    if account.password != body.current_password {
        return Err(fail(ApiError::InvalidCredentials));
    }
    let old = std::mem::replace(&mut account.email, body.email.clone());
    let moved = account.clone();
    let new_key = body.email.to_lowercase();
    world.accounts.remove(&old.to_lowercase());
    world.accounts.insert(new_key.clone(), moved);
    world.account_ids.insert(caller.user, new_key);
    Ok(no_content())
}

/// With TOTP on, account changes need a validated ticket (`InvalidCredentials` without).
fn second_factor(
    world: &mut World,
    user: UserId,
    headers: &HeaderMap,
    now: Timestamp,
) -> Reply<()> {
    if matches!(world.account_of(user)?.mfa.totp, Totp::Enabled(_)) {
        claim_validated(world, headers, now).map_err(|_| fail(ApiError::InvalidCredentials))?;
    }
    Ok(())
}

/// `POST /auth/account/verify/{code}`: codes only e-mails carry; none is valid here.
pub(crate) async fn verify_email(Path(_code): Path<String>) -> Reply<Response> {
    Err(fail(ApiError::InvalidToken))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RevokeAll {
    #[serde(default)]
    revoke_self: Option<bool>,
}

/// `DELETE /auth/session/all`: every session but this one (all with `revoke_self`), their
/// sockets logged out.
pub(crate) async fn revoke_all(
    State(shared): State<AppState>,
    caller: SessionCaller,
    Query(options): Query<RevokeAll>,
) -> Reply<Response> {
    let mut world = lock(&shared.world);
    let keep = (!options.revoke_self.unwrap_or(false)).then_some(caller.session);
    world.end_sessions(&shared, caller.user, keep);
    Ok(no_content())
}

/// `PATCH /auth/session/{id}`: renames one of the account's sessions.
pub(crate) async fn edit_session(
    State(shared): State<AppState>,
    caller: SessionCaller,
    Path(id): Path<String>,
    Json(body): Json<EditSessionBody>,
) -> Reply<axum::Json<SessionInfo>> {
    let id: SessionId = parse_id(&id)?;
    let mut world = lock(&shared.world);
    let session = world
        .sessions
        .get_mut(&id)
        .filter(|s| s.user == caller.user)
        .ok_or_else(|| fail(ApiError::InvalidSession))?;
    session.name = body.friendly_name;
    Ok(axum::Json(SessionInfo {
        id,
        name: session.name.clone(),
    }))
}

/// `PUT /auth/mfa/ticket`: a validated ticket, proven by the session's account, or by an
/// unvalidated ticket from a login (which is used up); both at once is `OperationFailed`.
pub(crate) async fn create_ticket(
    State(shared): State<AppState>,
    headers: HeaderMap,
    Json(proof): Json<MfaResponse>,
) -> Reply<axum::Json<MfaTicket>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let caller = headers
        .get("x-session-token")
        .and_then(|t| world.auth(t.to_str().ok()?))
        .filter(|a| a.session.is_some());
    let existing = headers
        .get("x-mfa-ticket")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| world.tickets.get(t).cloned())
        .filter(|t| !t.validated);
    let (account, earlier) = match (caller, existing) {
        (Some(_), Some(_)) => return Err(fail(ApiError::OperationFailed)),
        (Some(auth), None) => (auth.user, None),
        (None, Some(ticket)) => {
            world.tickets.remove(&ticket.token);
            (ticket.account, Some(ticket))
        }
        (None, None) => return Err(fail(ApiError::InvalidToken)),
    };
    world.consume_mfa_response(account, &proof, earlier.as_ref(), now)?;
    let ticket = world.new_ticket(account, true, now);
    Ok(axum::Json(shown(&ticket)))
}

/// `GET /auth/mfa/`.
pub(crate) async fn status(
    State(shared): State<AppState>,
    caller: SessionCaller,
) -> Reply<axum::Json<MfaStatus>> {
    let mut world = lock(&shared.world);
    let mfa = &world.account_of(caller.user)?.mfa;
    Ok(axum::Json(MfaStatus {
        totp_mfa: matches!(mfa.totp, Totp::Enabled(_)),
        recovery_active: !mfa.recovery.is_empty(),
        ..MfaStatus::default()
    }))
}

/// `GET /auth/mfa/methods`.
pub(crate) async fn methods(
    State(shared): State<AppState>,
    caller: SessionCaller,
) -> Reply<axum::Json<Vec<MfaMethod>>> {
    let mut world = lock(&shared.world);
    Ok(axum::Json(world.account_of(caller.user)?.mfa.methods()))
}

/// `POST /auth/mfa/recovery`.
pub(crate) async fn fetch_recovery(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
) -> Reply<axum::Json<Vec<String>>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    world.account_of(caller.user)?;
    claim_validated(&mut world, &headers, now)?;
    Ok(axum::Json(
        world.account_of(caller.user)?.mfa.recovery.clone(),
    ))
}

/// `PATCH /auth/mfa/recovery`: ten new codes of the real server's shape (`xxxxx-xxxxx`).
pub(crate) async fn generate_recovery(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
) -> Reply<axum::Json<Vec<String>>> {
    const ALPHABET: &[u8] = b"1234567890abcdefghjkmnpqrstvwxyz";
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    world.account_of(caller.user)?;
    claim_validated(&mut world, &headers, now)?;
    let half = || -> String {
        (0..5)
            .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
            .collect()
    };
    let codes: Vec<String> = (0..10).map(|_| format!("{}-{}", half(), half())).collect();
    world
        .account_of(caller.user)?
        .mfa
        .recovery
        .clone_from(&codes);
    Ok(axum::Json(codes))
}

/// `POST /auth/mfa/totp`: a new base32 secret, pending until enabled with a code
/// (`OperationFailed` while TOTP is on).
pub(crate) async fn generate_totp_secret(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
) -> Reply<axum::Json<TotpSecret>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    world.account_of(caller.user)?;
    claim_validated(&mut world, &headers, now)?;
    let account = world.account_of(caller.user)?;
    if matches!(account.mfa.totp, Totp::Enabled(_)) {
        return Err(fail(ApiError::OperationFailed));
    }
    let bytes: [u8; 10] = std::array::from_fn(|_| fastrand::u8(..));
    let secret = data_encoding::BASE32_NOPAD.encode(&bytes);
    account.mfa.totp = Totp::Pending(secret.clone());
    Ok(axum::Json(TotpSecret {
        secret: Token::new(secret),
    }))
}

/// `PUT /auth/mfa/totp`: confirms the pending secret with its current code.
pub(crate) async fn enable_totp(
    State(shared): State<AppState>,
    caller: SessionCaller,
    Json(proof): Json<MfaResponse>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let account = world.account_of(caller.user)?;
    let MfaResponse::Totp { totp_code } = proof else {
        return Err(fail(ApiError::InvalidToken));
    };
    let expected = account
        .mfa
        .code(now)
        .ok_or_else(|| fail(ApiError::OperationFailed))?;
    if expected != totp_code {
        return Err(fail(ApiError::InvalidToken));
    }
    match std::mem::take(&mut account.mfa.totp) {
        Totp::Pending(secret) => account.mfa.totp = Totp::Enabled(secret),
        other => {
            account.mfa.totp = other;
            return Err(fail(ApiError::OperationFailed));
        }
    }
    Ok(no_content())
}

/// `DELETE /auth/mfa/totp`.
pub(crate) async fn disable_totp(
    State(shared): State<AppState>,
    caller: SessionCaller,
    headers: HeaderMap,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    world.account_of(caller.user)?;
    claim_validated(&mut world, &headers, now)?;
    world.account_of(caller.user)?.mfa.totp = Totp::Disabled;
    Ok(no_content())
}
