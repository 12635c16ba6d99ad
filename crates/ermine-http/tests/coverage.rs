//! Coverage of the API: the route table against the vendored OpenAPI document, and every
//! operation against the client's request types and the local server's handlers (the table
//! of groups is printed).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::many_single_char_names
)]

use std::collections::BTreeSet;

use ermine_http::Client;
use ermine_http::request::RawRequest;
use ermine_model::auth::Token;
use ermine_model::auth::{MfaResponse, WebPushSubscription};
use ermine_model::id::{
    ChannelId, EmojiId, MessageId, RoleId, ServerId, SessionId, UserId, WebhookId,
};
use ermine_model::permission::{Override, Permissions};
use ermine_model::report::{ContentReportReason, ReportedContent, ReportedMessage};
use ermine_model::route;

fn openapi() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/api/openapi.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every operation of the document: (operation ID, method, path with `{}` parameters, tag).
fn operations() -> Vec<(String, String, String, String)> {
    let doc = openapi();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(|v| v.as_str()) else {
                continue;
            };
            let tag = op["tags"][0].as_str().unwrap().to_owned();
            out.push((id.to_owned(), method.to_uppercase(), normal(path), tag));
        }
    }
    out
}

/// A template with its parameter names erased.
fn normal(template: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_route_table_is_the_documents_operations() {
    let ops = operations();
    assert_eq!(ops.len(), route::ALL.len(), "operation count");
    for (id, method, path, tag) in &ops {
        let entry = route::ALL
            .iter()
            .find(|r| r.operation == id)
            .unwrap_or_else(|| panic!("{id} has no route"));
        assert_eq!(entry.method.as_str(), method, "{id}");
        assert_eq!(normal(entry.template), *path, "{id}");
        assert_eq!(entry.group, tag, "{id}");
    }
}

/// Every request the client can build, as raw requests.
fn client_requests() -> Vec<RawRequest> {
    let c = Client::builder()
        .bot_token("t")
        .base_url("http://stoat.invalid")
        .build()
        .unwrap();
    let s: ServerId = "01M86CDRZC9YVCV9K979HDVTHQ".parse().unwrap();
    let u: UserId = "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap();
    let ch: ChannelId = "01M86CDRZC5Y42Q4GC71KR5ZC0".parse().unwrap();
    let m: MessageId = "01M86CDRZCZAN5SR8S3KC8H0CV".parse().unwrap();
    let r: RoleId = "01M86CDRZCQAK1VWXZ3F4R8Z12".parse().unwrap();
    let e: EmojiId = "01M86CDRZCQAK1VWXZ3F4R8Z13".parse().unwrap();
    let w: WebhookId = "01M86CDRZCQAK1VWXZ3F4R8Z14".parse().unwrap();
    let t = || Token::new("secret");
    let o = Override::default();
    let session: SessionId = "01M86CDRZCQAK1VWXZ3F4R8Z16".parse().unwrap();
    vec![
        c.fetch_instance().raw(),
        c.fetch_self().raw(),
        c.fetch_user(u).raw(),
        c.edit_self().raw(),
        c.fetch_user_flags(u).raw(),
        c.change_username("name", "password").raw(),
        c.fetch_default_avatar(u).raw(),
        c.fetch_profile(u).raw(),
        c.fetch_dms().raw(),
        c.open_dm(u).raw(),
        c.fetch_mutuals(u).raw(),
        c.remove_friend(u).raw(),
        c.block_user(u).raw(),
        c.unblock_user(u).raw(),
        c.ack_message(ch, m).raw(),
        c.fetch_messages(ch).raw(),
        c.send_message(ch).content("x").raw(),
        c.search_messages(ch).query("x").raw(),
        c.pin_message(ch, m).raw(),
        c.unpin_message(ch, m).raw(),
        c.fetch_message(ch, m).raw(),
        c.delete_message(ch, m).raw(),
        c.edit_message(ch, m).content("x").raw(),
        c.bulk_delete_messages(ch, &[m]).raw(),
        c.fetch_channel(ch).raw(),
        c.delete_channel(ch).raw(),
        c.edit_channel(ch).raw(),
        c.fetch_group_members(ch).raw(),
        c.create_group("g").raw(),
        c.add_group_member(ch, u).raw(),
        c.remove_group_member(ch, u).raw(),
        c.create_invite(ch).raw(),
        c.join_call(ch).raw(),
        c.end_ring(ch, u).raw(),
        c.set_channel_role_permissions(ch, r, o).raw(),
        c.set_channel_default_permissions(ch, o).raw(),
        c.add_reaction(ch, m, "👍").raw(),
        c.remove_reaction(ch, m, "👍").raw(),
        c.clear_reactions(ch, m).raw(),
        c.fetch_channel_webhooks(ch).raw(),
        c.create_webhook(ch, "w").raw(),
        c.delete_webhook_message(w, t(), m).raw(),
        c.edit_webhook_message(w, t(), m).content("x").raw(),
        c.fetch_webhook_with_token(w, t()).raw(),
        c.execute_webhook(w, t()).content("x").raw(),
        c.delete_webhook_with_token(w, t()).raw(),
        c.edit_webhook_with_token(w, t()).raw(),
        c.fetch_webhook(w).raw(),
        c.delete_webhook(w).raw(),
        c.edit_webhook(w).raw(),
        c.execute_github_webhook(w, t(), "push", serde_json::json!({}))
            .raw(),
        c.create_server("s").raw(),
        c.fetch_server(s).raw(),
        c.delete_server(s).raw(),
        c.edit_server(s).raw(),
        c.ack_server(s).raw(),
        c.create_channel(s, "c").raw(),
        c.fetch_members(s).raw(),
        c.fetch_member(s, u).raw(),
        c.kick_member(s, u).raw(),
        c.edit_member(s, u).raw(),
        c.query_members(s, "x").raw(),
        c.ban_member(s, u).raw(),
        c.unban_member(s, u).raw(),
        c.fetch_bans(s).raw(),
        c.fetch_server_invites(s).raw(),
        c.create_role(s, "r").raw(),
        c.fetch_role(s, r).raw(),
        c.delete_role(s, r).raw(),
        c.edit_role(s, r).raw(),
        c.set_role_permissions(s, r, o).raw(),
        c.set_default_permissions(s, Permissions::empty()).raw(),
        c.fetch_server_emojis(s).raw(),
        c.edit_role_ranks(s, &[r]).raw(),
        c.fetch_audit_logs(s).raw(),
        c.fetch_invite("code").raw(),
        c.join_invite("code").raw(),
        c.delete_invite("code").raw(),
        c.fetch_emoji(e).raw(),
        c.create_emoji("file", s, "name").raw(),
        c.delete_emoji(e).raw(),
        c.edit_emoji(e, "name").raw(),
        c.add_friend(u).raw(),
        c.send_friend_request("bob#0001").raw(),
        c.create_bot("helper").raw(),
        c.fetch_public_bot(u).raw(),
        c.invite_bot_to_server(u, s).raw(),
        c.fetch_bot(u).raw(),
        c.delete_bot(u).raw(),
        c.edit_bot(u).raw(),
        c.fetch_owned_bots().raw(),
        c.create_account("a@b.c", "long password").raw(),
        c.resend_verification("a@b.c").raw(),
        c.confirm_account_deletion("token").raw(),
        c.delete_account(t()).raw(),
        c.fetch_account().raw(),
        c.disable_account(t()).raw(),
        c.change_password("new password", "old password").raw(),
        c.change_email("x@y.z", "password").raw(),
        c.verify_email("code").raw(),
        c.send_password_reset("a@b.c").raw(),
        c.reset_password("token", "new password").raw(),
        c.login("a@b.c", "password").raw(),
        c.logout().raw(),
        c.fetch_sessions().raw(),
        c.revoke_all_sessions().raw(),
        c.revoke_session(session).raw(),
        c.edit_session(session, "laptop").raw(),
        c.create_mfa_ticket(MfaResponse::Password {
            password: "pw".into(),
        })
        .raw(),
        c.fetch_mfa_status().raw(),
        c.fetch_recovery_codes(t()).raw(),
        c.generate_recovery_codes(t()).raw(),
        c.fetch_mfa_methods().raw(),
        c.enable_totp("123456").raw(),
        c.generate_totp_secret(t()).raw(),
        c.disable_totp(t()).raw(),
        c.onboard_hello().raw(),
        c.onboard_complete("name").raw(),
        c.acknowledge_policy_changes().raw(),
        c.push_subscribe(WebPushSubscription::default()).raw(),
        c.push_unsubscribe().raw(),
        c.fetch_settings(&["theme"]).raw(),
        c.set_settings(std::collections::HashMap::new()).raw(),
        c.fetch_unreads().raw(),
        c.report(ReportedContent::Message(ReportedMessage {
            id: m,
            report_reason: ContentReportReason::SpamAbuse,
        }))
        .raw(),
    ]
    .into_iter()
    .map(|raw| raw.expect("every request builds"))
    .collect()
}

#[test]
fn every_operation_is_typed_in_the_client_and_served_by_the_local_server() {
    let typed: BTreeSet<&str> = client_requests()
        .iter()
        .map(|raw| raw.route.expect("an API route").operation)
        .collect();
    let served: BTreeSet<&str> = ermine_testkit::served_routes()
        .iter()
        .map(|r| r.operation)
        .collect();
    println!("| group | operations | typed | served |\n| --- | --- | --- | --- |");
    let mut groups: Vec<&str> = Vec::new();
    for r in route::ALL {
        if !groups.contains(&r.group) {
            groups.push(r.group);
        }
    }
    for group in groups {
        let of = || route::ALL.iter().filter(move |r| r.group == group);
        println!(
            "| {group} | {} | {} | {} |",
            of().count(),
            of().filter(|r| typed.contains(r.operation)).count(),
            of().filter(|r| served.contains(r.operation)).count()
        );
    }
    let missing: Vec<String> = route::ALL
        .iter()
        .filter_map(|r| {
            let (t, s) = (typed.contains(r.operation), served.contains(r.operation));
            (!(t && s)).then(|| {
                format!(
                    "{r} ({}){}{}",
                    r.operation,
                    if t { "" } else { " no client request" },
                    if s { "" } else { " not served" }
                )
            })
        })
        .collect();
    assert!(missing.is_empty(), "missing:\n{}", missing.join("\n"));
}
