//! The requests of part one built without the network: method, path, query, credentials
//! and body, with every tri-state field left alone, cleared and set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::many_single_char_names
)]

mod support;

use support::{offline_client, shape};

use ermine_http::Prepared;
use ermine_http::error::ErrorKind;
use ermine_http::validate::ValidationErrorKind;
use ermine_model::auth::Token;
use ermine_model::id::{ChannelId, EmojiId, MessageId, RoleId, ServerId, UserId, WebhookId};
use ermine_model::permission::{Override, Permissions};
use ermine_model::user::Presence;
use serde_json::{Value, json};

struct Ids {
    s: ServerId,
    u: UserId,
    ch: ChannelId,
    m: MessageId,
    r: RoleId,
    e: EmojiId,
    w: WebhookId,
}

fn ids() -> Ids {
    Ids {
        s: "01M86CDRZC9YVCV9K979HDVTHQ".parse().unwrap(),
        u: "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap(),
        ch: "01M86CDRZC5Y42Q4GC71KR5ZC0".parse().unwrap(),
        m: "01M86CF0EFDK2MZVKTHSYQ4AF9".parse().unwrap(),
        r: "01M86CE2V81XCYGEGXRYKRWV6T".parse().unwrap(),
        e: "01M86CE2V81XCYGEGXRYKRWV6V".parse().unwrap(),
        w: "01M86CE2V81XCYGEGXRYKRWV6W".parse().unwrap(),
    }
}

#[test]
fn every_part_one_request_has_its_method_path_query_and_body() {
    let c = offline_client();
    let Ids {
        s,
        u,
        ch,
        m,
        r,
        e,
        w,
    } = ids();
    let t = || Token::new("hook-secret");
    let deny = Override::new(Permissions::empty(), Permissions::SEND_MESSAGE);
    let cases: Vec<(Prepared, &str, Value, bool)> = vec![
        (
            c.create_server("S")
                .description("d")
                .nsfw(true)
                .prepare()
                .unwrap(),
            "POST /servers/create",
            json!({"name": "S", "description": "d", "nsfw": true}),
            true,
        ),
        (
            c.delete_server(s).leave_silently(true).prepare().unwrap(),
            "DELETE /servers/{s}?leave_silently=true",
            Value::Null,
            true,
        ),
        (
            c.ack_server(s).prepare().unwrap(),
            "PUT /servers/{s}/ack",
            Value::Null,
            true,
        ),
        (
            c.fetch_server_invites(s).prepare().unwrap(),
            "GET /servers/{s}/invites",
            Value::Null,
            true,
        ),
        (
            c.fetch_server_emojis(s).prepare().unwrap(),
            "GET /servers/{s}/emojis",
            Value::Null,
            true,
        ),
        (
            c.create_channel(s, "c")
                .kind(ermine_model::channel::ServerChannelKind::Voice)
                .prepare()
                .unwrap(),
            "POST /servers/{s}/channels",
            json!({"type": "Voice", "name": "c"}),
            true,
        ),
        (
            c.create_role(s, "R").prepare().unwrap(),
            "POST /servers/{s}/roles",
            json!({"name": "R"}),
            true,
        ),
        (
            c.delete_role(s, r).prepare().unwrap(),
            "DELETE /servers/{s}/roles/{r}",
            Value::Null,
            true,
        ),
        (
            c.edit_role_ranks(s, &[r]).prepare().unwrap(),
            "PATCH /servers/{s}/roles/ranks",
            json!({"ranks": [r]}),
            true,
        ),
        (
            c.set_default_permissions(s, Permissions::SEND_MESSAGE)
                .prepare()
                .unwrap(),
            "PUT /servers/{s}/permissions/default",
            json!({"permissions": Permissions::SEND_MESSAGE.bits()}),
            true,
        ),
        (
            c.set_role_permissions(s, r, deny).prepare().unwrap(),
            "PUT /servers/{s}/permissions/{r}",
            json!({"permissions": {"allow": 0, "deny": Permissions::SEND_MESSAGE.bits()}}),
            true,
        ),
        (
            c.delete_channel(ch).prepare().unwrap(),
            "DELETE /channels/{ch}",
            Value::Null,
            true,
        ),
        (
            c.set_channel_role_permissions(ch, r, deny)
                .prepare()
                .unwrap(),
            "PUT /channels/{ch}/permissions/{r}",
            json!({"permissions": {"allow": 0, "deny": Permissions::SEND_MESSAGE.bits()}}),
            true,
        ),
        (
            c.set_channel_default_permissions(ch, deny)
                .prepare()
                .unwrap(),
            "PUT /channels/{ch}/permissions/default",
            json!({"permissions": {"allow": 0, "deny": Permissions::SEND_MESSAGE.bits()}}),
            true,
        ),
        (
            c.set_group_permissions(ch, Permissions::SEND_MESSAGE)
                .prepare()
                .unwrap(),
            "PUT /channels/{ch}/permissions/default",
            json!({"permissions": Permissions::SEND_MESSAGE.bits()}),
            true,
        ),
        (
            c.create_invite(ch).prepare().unwrap(),
            "POST /channels/{ch}/invites",
            Value::Null,
            true,
        ),
        (
            c.create_group("G").users(&[u]).prepare().unwrap(),
            "POST /channels/create",
            json!({"name": "G", "users": [u]}),
            true,
        ),
        (
            c.fetch_group_members(ch).prepare().unwrap(),
            "GET /channels/{ch}/members",
            Value::Null,
            true,
        ),
        (
            c.add_group_member(ch, u).prepare().unwrap(),
            "PUT /channels/{ch}/recipients/{u}",
            Value::Null,
            true,
        ),
        (
            c.remove_group_member(ch, u).prepare().unwrap(),
            "DELETE /channels/{ch}/recipients/{u}",
            Value::Null,
            true,
        ),
        (
            c.edit_message(ch, m).content("x").prepare().unwrap(),
            "PATCH /channels/{ch}/messages/{m}",
            json!({"content": "x"}),
            true,
        ),
        (
            c.delete_message(ch, m).prepare().unwrap(),
            "DELETE /channels/{ch}/messages/{m}",
            Value::Null,
            true,
        ),
        (
            c.pin_message(ch, m).prepare().unwrap(),
            "POST /channels/{ch}/messages/{m}/pin",
            Value::Null,
            true,
        ),
        (
            c.unpin_message(ch, m).prepare().unwrap(),
            "DELETE /channels/{ch}/messages/{m}/pin",
            Value::Null,
            true,
        ),
        (
            c.bulk_delete_messages(ch, &[m]).prepare().unwrap(),
            "DELETE /channels/{ch}/messages/bulk",
            json!({"ids": [m]}),
            true,
        ),
        (
            c.add_reaction(ch, m, "👍").prepare().unwrap(),
            "PUT /channels/{ch}/messages/{m}/reactions/%F0%9F%91%8D",
            Value::Null,
            true,
        ),
        (
            c.remove_reaction(ch, m, "👍")
                .user(u)
                .remove_all(false)
                .prepare()
                .unwrap(),
            "DELETE /channels/{ch}/messages/{m}/reactions/%F0%9F%91%8D?user_id={u}&remove_all=false",
            Value::Null,
            true,
        ),
        (
            c.clear_reactions(ch, m).prepare().unwrap(),
            "DELETE /channels/{ch}/messages/{m}/reactions",
            Value::Null,
            true,
        ),
        (
            c.fetch_channel_webhooks(ch).prepare().unwrap(),
            "GET /channels/{ch}/webhooks",
            Value::Null,
            true,
        ),
        (
            c.create_webhook(ch, "H").avatar("file").prepare().unwrap(),
            "POST /channels/{ch}/webhooks",
            json!({"name": "H", "avatar": "file"}),
            true,
        ),
        (
            c.fetch_webhook(w).prepare().unwrap(),
            "GET /webhooks/{w}",
            Value::Null,
            true,
        ),
        (
            c.delete_webhook(w).prepare().unwrap(),
            "DELETE /webhooks/{w}",
            Value::Null,
            true,
        ),
        (
            c.edit_webhook(w).name("N").avatar(None).prepare().unwrap(),
            "PATCH /webhooks/{w}",
            json!({"name": "N", "remove": ["Avatar"]}),
            true,
        ),
        (
            c.edit_webhook_with_token(w, t())
                .permissions(Permissions::SEND_MESSAGE)
                .prepare()
                .unwrap(),
            "PATCH /webhooks/{w}/hook-secret",
            json!({"permissions": Permissions::SEND_MESSAGE.bits()}),
            false,
        ),
        (
            c.fetch_webhook_with_token(w, t()).prepare().unwrap(),
            "GET /webhooks/{w}/hook-secret",
            Value::Null,
            false,
        ),
        (
            c.execute_webhook(w, t())
                .content("x")
                .silent(true)
                .prepare()
                .unwrap(),
            "POST /webhooks/{w}/hook-secret",
            json!({"content": "x", "flags": 2}),
            false,
        ),
        (
            c.edit_webhook_message(w, t(), m)
                .content("x")
                .prepare()
                .unwrap(),
            "PATCH /webhooks/{w}/hook-secret/{m}",
            json!({"content": "x"}),
            false,
        ),
        (
            c.execute_github_webhook(w, t(), "push", json!({"ref": "x"}))
                .prepare()
                .unwrap(),
            "POST /webhooks/{w}/hook-secret/github",
            json!({"ref": "x"}),
            false,
        ),
        (
            c.fetch_invite("AbC").prepare().unwrap(),
            "GET /invites/AbC",
            Value::Null,
            false,
        ),
        (
            c.join_invite("AbC").prepare().unwrap(),
            "POST /invites/AbC",
            Value::Null,
            true,
        ),
        (
            c.delete_invite("AbC").prepare().unwrap(),
            "DELETE /invites/AbC",
            Value::Null,
            true,
        ),
        (
            c.fetch_emoji(e).prepare().unwrap(),
            "GET /custom/emoji/{e}",
            Value::Null,
            false,
        ),
        (
            c.create_emoji("file1", s, "party")
                .nsfw(true)
                .prepare()
                .unwrap(),
            "PUT /custom/emoji/file1",
            json!({"name": "party", "parent": {"type": "Server", "id": s}, "nsfw": true}),
            true,
        ),
        (
            c.edit_emoji(e, "fiesta").prepare().unwrap(),
            "PATCH /custom/emoji/{e}",
            json!({"name": "fiesta"}),
            true,
        ),
        (
            c.delete_emoji(e).prepare().unwrap(),
            "DELETE /custom/emoji/{e}",
            Value::Null,
            true,
        ),
        (
            c.change_username("new", "pw").prepare().unwrap(),
            "PATCH /users/@me/username",
            json!({"username": "new", "password": "pw"}),
            true,
        ),
    ];
    for (prepared, expected, body, token) in cases {
        let expected = expected
            .replace("{s}", &s.to_string())
            .replace("{u}", &u.to_string())
            .replace("{ch}", &ch.to_string())
            .replace("{m}", &m.to_string())
            .replace("{r}", &r.to_string())
            .replace("{e}", &e.to_string())
            .replace("{w}", &w.to_string());
        let (line, sent, with_token, _) = shape(&prepared);
        assert_eq!(
            (line, sent, with_token),
            (expected.clone(), body, token),
            "{expected}"
        );
    }
    assert_eq!(
        c.execute_github_webhook(w, t(), "push", json!({}))
            .prepare()
            .unwrap()
            .header("x-github-event"),
        Some("push")
    );
}

#[test]
fn tri_state_edits_leave_clear_and_set() {
    let c = offline_client();
    let Ids { s, u, ch, r, .. } = ids();
    let body = |p: Prepared| shape(&p).1;

    // Server: never called, cleared, set; setting after clearing sets.
    assert_eq!(body(c.edit_server(s).prepare().unwrap()), json!({}));
    assert_eq!(
        body(
            c.edit_server(s)
                .description(None)
                .icon(None)
                .banner(None)
                .categories(None)
                .system_messages(None)
                .prepare()
                .unwrap()
        ),
        json!({"remove": ["Description", "Icon", "Banner", "Categories", "SystemMessages"]})
    );
    assert_eq!(
        body(
            c.edit_server(s)
                .description(None)
                .description(Some("d"))
                .name("N")
                .analytics(true)
                .owner(u)
                .prepare()
                .unwrap()
        ),
        json!({"name": "N", "description": "d", "analytics": true, "owner": u})
    );
    // Role.
    assert_eq!(
        body(c.edit_role(s, r).colour(None).icon(None).prepare().unwrap()),
        json!({"remove": ["Colour", "Icon"]})
    );
    assert_eq!(
        body(
            c.edit_role(s, r)
                .colour(Some("red"))
                .hoist(true)
                .prepare()
                .unwrap()
        ),
        json!({"colour": "red", "hoist": true})
    );
    // Channel.
    assert_eq!(
        body(
            c.edit_channel(ch)
                .description(None)
                .icon(None)
                .voice(None)
                .slowmode(None)
                .clear_default_permissions()
                .prepare()
                .unwrap()
        ),
        json!({"remove": ["Description", "Icon", "Voice", "Slowmode", "DefaultPermissions"]})
    );
    assert_eq!(
        body(
            c.edit_channel(ch)
                .name("n")
                .slowmode(Some(5))
                .nsfw(true)
                .archived(false)
                .prepare()
                .unwrap()
        ),
        json!({"name": "n", "nsfw": true, "archived": false, "slowmode": 5})
    );
    // User: nested status and profile fields clear by name and set inside their object.
    assert_eq!(
        body(
            c.edit_self()
                .status_text(None)
                .presence(None)
                .profile_content(None)
                .profile_background(None)
                .avatar(None)
                .prepare()
                .unwrap()
        ),
        json!({"remove": ["StatusText", "StatusPresence", "ProfileContent", "ProfileBackground", "Avatar"]})
    );
    assert_eq!(
        body(
            c.edit_self()
                .status_text(Some("hi"))
                .presence(Some(Presence::Busy))
                .profile_content(Some("me"))
                .display_name(Some("Al"))
                .prepare()
                .unwrap()
        ),
        json!({"display_name": "Al", "status": {"text": "hi", "presence": "Busy"}, "profile": {"content": "me"}})
    );
    assert_eq!(
        body(
            c.edit_self()
                .status_text(Some("hi"))
                .status_text(None)
                .prepare()
                .unwrap()
        ),
        json!({"remove": ["StatusText"]}),
        "clearing after setting leaves no empty status object"
    );
    assert_eq!(
        shape(
            &c.edit_bot_user(u)
                .display_name(Some("Bot"))
                .prepare()
                .unwrap()
        )
        .0,
        format!("PATCH /users/{u}")
    );
}

#[test]
fn part_one_limits_are_checked_before_sending() {
    let c = offline_client();
    let Ids { s, ch, m, e, .. } = ids();
    let kind = |r: Result<Prepared, ermine_http::Error>| match r.unwrap_err().kind() {
        ErrorKind::Validation(v) => (v.field, v.kind.clone()),
        other => panic!("{other:?}"),
    };
    let long = "x".repeat(33);
    assert_eq!(kind(c.create_server(&long).prepare()).0, "name");
    assert_eq!(kind(c.create_role(s, "").prepare()).0, "name");
    assert_eq!(
        kind(c.edit_role(s, ids().r).colour(Some("")).prepare()).0,
        "colour"
    );
    assert_eq!(kind(c.create_channel(s, &long).prepare()).0, "name");
    assert_eq!(kind(c.edit_channel(ch).name("").prepare()).0, "name");
    assert_eq!(kind(c.create_group("").prepare()).0, "name");
    assert_eq!(kind(c.create_webhook(ch, &long).prepare()).0, "name");
    assert_eq!(
        kind(c.edit_message(ch, m).content(&"x".repeat(2001)).prepare()).0,
        "content"
    );
    let hundred_and_one = vec![m; 101];
    assert_eq!(
        kind(c.bulk_delete_messages(ch, &hundred_and_one).prepare()).0,
        "ids"
    );
    assert_eq!(
        kind(c.edit_emoji(e, "Has Spaces").prepare()),
        (
            "name",
            ValidationErrorKind::Pattern {
                allowed: "a-z, 0-9 and _"
            }
        )
    );
    assert_eq!(kind(c.change_username("x", "pw").prepare()).0, "username");
    assert_eq!(
        kind(c.edit_self().display_name(Some("x")).prepare()).0,
        "display_name"
    );
}

#[test]
fn webhook_tokens_and_passwords_stay_out_of_debug_and_logs() {
    let c = offline_client();
    let Ids { w, m, .. } = ids();
    let request = c
        .edit_webhook_message(w, Token::new("hook-secret"), m)
        .content("x");
    for shown in [
        format!("{request:?}"),
        format!("{:?}", request.raw().unwrap()),
        format!("{:?}", request.prepare().unwrap()),
        request.raw().unwrap().shown_path().into_owned(),
    ] {
        assert!(!shown.contains("hook-secret"), "{shown}");
    }
    assert_eq!(
        request.raw().unwrap().shown_path(),
        format!("/webhooks/{w}/{{token}}/{m}")
    );
    let rename = c.change_username("new", "hunter22");
    for shown in [
        format!("{rename:?}"),
        format!("{:?}", rename.raw().unwrap()),
        format!("{:?}", rename.prepare().unwrap()),
    ] {
        assert!(!shown.contains("hunter22"), "{shown}");
    }
}
