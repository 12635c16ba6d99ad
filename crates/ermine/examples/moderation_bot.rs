//! A moderation bot: commands with permission checks, help, confirmations that wait for a
//! reaction or a reply, a welcome for members who join, and a log of edited and deleted
//! messages with their content before.
//!
//! Commands (`!help` lists them): `!members`, `!nick @user name`, `!timeout @user 10m`,
//! `!dm @user text`, `!kick @user [reason]` (confirmed with a ✅ reaction) and
//! `!ban @user [reason]` (confirmed by replying `yes`).
//!
//! With `STOAT_TOKEN` set (a bot token; `STOAT_API` for a self-hosted instance) it runs
//! against that instance until interrupted. Without it, it starts the bundled local server,
//! plays a short scripted scene there and exits.
//!
//! ```text
//! cargo run -p ermine --example moderation_bot
//! ```

mod scene;

use std::sync::Arc;
use std::time::Duration;

use ermine::model::permission::Permissions;
use ermine::prelude::*;
use scene::{Failure, Step};

/// How long a confirmation waits.
const CONFIRM: Duration = Duration::from_secs(30);

fn commands() -> Commands {
    Commands::new("!")
        .command(
            Command::new("members", "Lists the members with their top role").run(
                |ctx, ()| async move {
                    let server = ctx.server().ok_or(ermine::Error::NotConnected)?;
                    let mut lines = Vec::new();
                    for member in server.members().await? {
                        let top = member.top_role().map_or_else(|| "-".to_owned(), |r| r.name);
                        lines.push(format!("{} ({top})", member.shown_name()));
                    }
                    ctx.reply(&lines.join(", ")).await?;
                    Ok(())
                },
            ),
        )
        .command(
            Command::new("nick", "Renames a member")
                .permissions(Permissions::MANAGE_NICKNAMES)
                .bot_permissions(Permissions::MANAGE_NICKNAMES)
                .run(|ctx, (member, name): (Member, Rest)| async move {
                    let renamed = member.edit().nickname(Some(&name.0)).await?;
                    ctx.reply(&format!(
                        "{} is now {}",
                        member.name(),
                        renamed.shown_name()
                    ))
                    .await?;
                    Ok(())
                }),
        )
        .command(
            Command::new("timeout", "Times a member out, e.g. 10m")
                .alias("mute")
                .permissions(Permissions::TIMEOUT_MEMBERS)
                .bot_permissions(Permissions::TIMEOUT_MEMBERS)
                .run(|ctx, (member, length): (Member, Duration)| async move {
                    let timed = member.timeout(Some(length)).await?;
                    let until = timed.timed_out_until().map(|t| t.to_string());
                    ctx.reply(&format!(
                        "{} is timed out until {}",
                        member.name(),
                        until.unwrap_or_default()
                    ))
                    .await?;
                    Ok(())
                }),
        )
        .command(
            Command::new("dm", "Sends a member a direct message")
                .permissions(Permissions::KICK_MEMBERS)
                .run(|ctx, (member, text): (Member, Rest)| async move {
                    let typing = member.typing().await?;
                    member.send(&text.0).await?;
                    drop(typing);
                    ctx.reply(&format!("sent {} a DM", member.name())).await?;
                    Ok(())
                }),
        )
        .command(
            Command::new("kick", "Kicks a member (confirm with ✅)")
                .permissions(Permissions::KICK_MEMBERS)
                .bot_permissions(Permissions::KICK_MEMBERS)
                .run(|ctx, (member, reason): (Member, Option<Rest>)| async move {
                    let question = ctx
                        .reply(&format!("React ✅ to kick {}", member.name()))
                        .await?;
                    question.react("✅").await?;
                    if !confirmed_by_reaction(&ctx, &question).await? {
                        ctx.send("kick cancelled").await?;
                        return Ok(());
                    }
                    let reason = reason.map_or_else(|| "no reason given".to_owned(), |r| r.0);
                    member.kick().audit_log_reason(reason.clone()).await?;
                    ctx.send(&format!("kicked {} ({reason})", member.name()))
                        .await?;
                    Ok(())
                }),
        )
        .command(
            Command::new("ban", "Bans a member (confirm by replying yes)")
                .permissions(Permissions::BAN_MEMBERS)
                .bot_permissions(Permissions::BAN_MEMBERS)
                .run(|ctx, (member, reason): (Member, Option<Rest>)| async move {
                    ctx.reply(&format!("Ban {}? Reply yes to confirm", member.name()))
                        .await?;
                    let answer = ctx.wait_for_reply(CONFIRM).await;
                    let yes = answer
                        .as_ref()
                        .is_ok_and(|m| m.content.as_deref() == Some("yes"));
                    if !yes {
                        ctx.send("ban cancelled").await?;
                        return Ok(());
                    }
                    let reason = reason.map_or_else(|| "no reason given".to_owned(), |r| r.0);
                    member.ban().reason(&reason).await?;
                    ctx.send(&format!("banned {} ({reason})", member.name()))
                        .await?;
                    Ok(())
                }),
        )
}

/// Whether the invoker reacted ✅ to `question` in time.
async fn confirmed_by_reaction(ctx: &Context, question: &Message) -> Result<bool, ermine::Error> {
    match ctx.wait_for_reaction(question, CONFIRM).await {
        Ok(react) => Ok(react.emoji_id == "✅"),
        Err(ermine::Error::TimedOut) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The bot: commands, a welcome, and a log of edits and deletions.
async fn run(client: Client, mut events: Events) -> Result<(), ermine::Error> {
    let commands = Arc::new(commands());
    while let Some(event) = events.next().await {
        let event = event?;
        commands.dispatch(&client, &event);
        match event {
            Event::Ready(ready) => println!("(bot ready; reconnect: {})", ready.reconnect),
            Event::MemberJoin(member) => {
                let server = client.server(member.server_id());
                if let Some(general) = server.channels().first() {
                    general
                        .send(&format!(
                            "Welcome, {}! Read the rules, please.",
                            member.mention()
                        ))
                        .await?;
                }
            }
            Event::MessageUpdate {
                before: Some(before),
                after: Some(after),
                ..
            } if before.content != after.content => {
                client
                    .channel(after.channel)
                    .send(&format!(
                        "(edited) {:?} → {:?}",
                        before.content.unwrap_or_default(),
                        after.content.unwrap_or_default()
                    ))
                    .await?;
            }
            Event::MessageDelete {
                channel,
                message: Some(message),
                ..
            } if client.cache().me() != Some(message.author) => {
                client
                    .channel(channel)
                    .send(&format!(
                        "(deleted) {:?}",
                        message.content.unwrap_or_default()
                    ))
                    .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let (client, scene) = scene::bot_client().await?;
    let events = client.connect().await?;
    let bot = run(client, events);
    scene
        .play(
            &[
                Step::Join("newcomer"),
                Step::Say("!help"),
                Step::Say("!members"),
                Step::Say("!nick {newcomer} Newbie"),
                Step::Say("!timeout {newcomer} ten"),
                Step::Say("!timeout {newcomer} 10m"),
                Step::Say("!dm {newcomer} Welcome! Please read the rules."),
                Step::Post("a message with a tpyo"),
                Step::Edit("a message with a typo"),
                Step::Delete,
                Step::Say("!kick {newcomer} testing the door"),
                Step::React("✅"),
                Step::Say("!ban {spammer} spam links"),
                Step::Say("yes"),
            ],
            bot,
        )
        .await
}
