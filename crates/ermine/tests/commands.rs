//! Commands end to end: prefix and mention triggers, typed arguments, permission checks,
//! errors answered in the channel, help, concurrency, and waiting for a reply or reaction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use std::time::Duration;

use ermine::command::{Command, Commands, Rest};
use ermine::model::id::{ChannelId, UserId};
use ermine::model::permission::{Override, Permissions};
use ermine::{Client, Event, Events, Member};
use futures_util::StreamExt;

/// The next message `author` sends in `channel`, as another client sees it.
async fn said_by(events: &mut Events, author: UserId, channel: ChannelId) -> String {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .expect("an answer within 5 s")
            .unwrap()
            .unwrap();
        if let Event::Message(m) = event
            && m.author == author
            && m.channel == channel
        {
            return m.content.clone().unwrap_or_default();
        }
    }
}

/// A channel as another member sees it.
struct Chat {
    watch: Events,
    bot: UserId,
    channel: ChannelId,
}

impl Chat {
    async fn say(&self, client: &Client, text: &str) {
        client.channel(self.channel).send(text).await.unwrap();
    }

    async fn answer(&mut self) -> String {
        said_by(&mut self.watch, self.bot, self.channel).await
    }

    /// Says `text` as `client` and returns the bot's next message.
    async fn answer_to(&mut self, text: &str, client: &Client) -> String {
        self.say(client, text).await;
        self.answer().await
    }
}

fn commands() -> Commands {
    Commands::new("!")
        .command(
            Command::new("ping", "Checks that the bot is alive").run(|ctx, ()| async move {
                ctx.reply("pong").await?;
                Ok(())
            }),
        )
        .command(
            Command::new("kick", "Kicks a member")
                .permissions(Permissions::KICK_MEMBERS)
                .bot_permissions(Permissions::KICK_MEMBERS)
                .run(|ctx, (member, reason): (Member, Option<Rest>)| async move {
                    member.kick().await?;
                    let reason = reason.map_or_else(|| "no reason".to_owned(), |r| r.0);
                    ctx.reply(&format!("kicked {} ({reason})", member.name()))
                        .await?;
                    Ok(())
                }),
        )
        .command(
            Command::new("timeout", "Times a member out")
                .alias("mute")
                .permissions(Permissions::TIMEOUT_MEMBERS)
                .run(|ctx, (member, length): (Member, Duration)| async move {
                    ctx.reply(&format!(
                        "would time {} out for {}s",
                        member.name(),
                        length.as_secs()
                    ))
                    .await?;
                    Ok(())
                }),
        )
        .command(Command::new("say", "Repeats words").run(
            |ctx, (times, word): (u32, String)| async move {
                ctx.send(&vec![word; times as usize].join(" ")).await?;
                Ok(())
            },
        ))
        .command(
            Command::new("ask", "Asks your name and waits for it").run(|ctx, ()| async move {
                ctx.reply("what is your name?").await?;
                match ctx.wait_for_reply(Duration::from_secs(10)).await {
                    Ok(answer) => {
                        let name = answer.content.clone().unwrap_or_default();
                        ctx.send(&format!("hello, {name}")).await?;
                    }
                    Err(ermine::Error::TimedOut) => {
                        ctx.send("too slow").await?;
                    }
                    Err(e) => return Err(e),
                }
                Ok(())
            }),
        )
        .command(
            Command::new("confirm", "Waits for a reaction").run(|ctx, ()| async move {
                let question = ctx.reply("react to confirm").await?;
                let react = ctx
                    .wait_for_reaction(&question, Duration::from_secs(10))
                    .await?;
                ctx.send(&format!("confirmed with {}", react.emoji_id))
                    .await?;
                Ok(())
            }),
        )
        .command(
            Command::new("quick", "Waits briefly for a reply").run(|ctx, ()| async move {
                match ctx.wait_for_reply(Duration::from_millis(50)).await {
                    Err(ermine::Error::TimedOut) => ctx.send("nobody answered").await?,
                    other => ctx.send(&format!("unexpected: {other:?}")).await?,
                };
                Ok(())
            }),
        )
}

#[tokio::test]
async fn commands_parse_check_report_and_wait() {
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let alice = seed.user("alice");
    let carol = seed.user("carol");
    let bot = seed.bot("helper", owner.id);
    let guild = seed.server("Guild", owner.id);
    for user in [alice.id, carol.id, bot.id] {
        seed.join(guild.id, user);
    }
    let moderator = seed.role(
        guild.id,
        "Moderator",
        1,
        Override {
            allow: Permissions::KICK_MEMBERS | Permissions::TIMEOUT_MEMBERS,
            deny: Permissions::empty(),
        },
    );
    seed.assign(guild.id, bot.id, &[moderator]);
    let api = server.urls().api.clone();
    let bot_client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(api.clone())
        .build()
        .unwrap();
    let bot_events = support::connected(&bot_client).await;
    let runner = tokio::spawn({
        let client = bot_client.clone();
        async move { commands().run(&client, bot_events).await }
    });
    let user = |token: &str| {
        Client::builder()
            .session_token(token)
            .base_url(api.clone())
            .build()
            .unwrap()
    };
    let owner_client = user(&owner.token);
    let carol_client = user(&carol.token);
    let watch = support::connected(&owner_client).await;
    let mut chat = Chat {
        watch,
        bot: bot.id,
        channel: guild.general,
    };
    // The prefix and a mention both invoke; the name is case-insensitive.
    assert_eq!(chat.answer_to("!ping", &owner_client).await, "pong");
    assert_eq!(
        chat.answer_to(&format!("<@{}> PING", bot.id), &owner_client)
            .await,
        "pong"
    );
    // Typed arguments: an integer and a word; a quoted word keeps its spaces.
    assert_eq!(chat.answer_to("!say 3 ho", &owner_client).await, "ho ho ho");
    assert_eq!(
        chat.answer_to("!say 2 \"a b\"", &owner_client).await,
        "a b a b"
    );
    // Errors are answered with the usage.
    assert_eq!(
        chat.answer_to("!say many ho", &owner_client).await,
        "`many` is not a number: invalid digit found in string. Usage: `!say <number> <word>`"
    );
    assert_eq!(
        chat.answer_to("!say 2", &owner_client).await,
        "a word is missing. Usage: `!say <number> <word>`"
    );
    assert_eq!(
        chat.answer_to("!say 2 a b", &owner_client).await,
        "unexpected `b`. Usage: `!say <number> <word>`"
    );
    let wrong = chat
        .answer_to(&format!("!mute <@{}> soon", alice.id), &owner_client)
        .await;
    assert!(
        wrong.starts_with("`soon` is not a duration")
            && wrong.ends_with("Usage: `!timeout <member> <duration>`"),
        "{wrong}"
    );
    assert_eq!(
        chat.answer_to(&format!("!mute <@{}> 10m", alice.id), &owner_client)
            .await,
        "would time alice out for 600s"
    );
    // Permissions: carol may not kick; the owner may, with a reason as the rest of the line.
    assert_eq!(
        chat.answer_to(&format!("!kick <@{}>", alice.id), &carol_client)
            .await,
        "you need Kick Members."
    );
    assert!(
        owner_client
            .server(guild.id)
            .fetch_member(alice.id)
            .await
            .is_ok()
    );
    assert_eq!(
        chat.answer_to(&format!("!kick {} being loud", alice.id), &owner_client)
            .await,
        "kicked alice (being loud)"
    );
    assert!(
        owner_client
            .server(guild.id)
            .fetch_member(alice.id)
            .await
            .is_err()
    );
    assert_eq!(
        chat.answer_to(&format!("!kick <@{}>", alice.id), &owner_client)
            .await,
        format!(
            "`<@{}>` is not a member: not a member of this server. Usage: `!kick <member> [text…]`",
            alice.id
        )
    );
    // Help lists every command once with its usage.
    let help = chat.answer_to("!help", &owner_client).await;
    assert!(
        help.contains("`!kick <member> [text…]` — Kicks a member"),
        "{help}"
    );
    assert_eq!(help.matches("!timeout").count(), 1, "{help}");
    assert_eq!(
        chat.answer_to("!help say", &owner_client).await,
        "`!say <number> <word>` — Repeats words"
    );
    // Unknown commands and messages without the prefix are passed over; the next answer is
    // the ping's.
    chat.say(&owner_client, "!nothing").await;
    chat.say(&owner_client, "just talking").await;
    assert_eq!(chat.answer_to("!ping", &owner_client).await, "pong");

    // Waiting for a reply: each invocation runs in its own task, so someone else's ping is
    // answered while the question waits.
    assert_eq!(
        chat.answer_to("!ask", &owner_client).await,
        "what is your name?"
    );
    assert_eq!(chat.answer_to("!ping", &carol_client).await, "pong");
    assert_eq!(chat.answer_to("Ann", &owner_client).await, "hello, Ann");
    // Only the invoker's reply counts.
    assert_eq!(
        chat.answer_to("!ask", &owner_client).await,
        "what is your name?"
    );
    chat.say(&carol_client, "Carol").await;
    assert_eq!(chat.answer_to("Olive", &owner_client).await, "hello, Olive");
    assert_eq!(
        chat.answer_to("!quick", &owner_client).await,
        "nobody answered"
    );

    // Waiting for a reaction on the bot's question.
    chat.say(&owner_client, "!confirm").await;
    let question = loop {
        if let Event::Message(m) = chat.watch.next().await.unwrap().unwrap()
            && m.author == bot.id
        {
            break m;
        }
    };
    assert_eq!(question.content.as_deref(), Some("react to confirm"));
    question.react("👍").await.unwrap();
    assert_eq!(chat.answer().await, "confirmed with 👍");

    runner.abort();
}

#[test]
fn words_split_on_whitespace_and_quotes() {
    let mut input = ermine::command::Input::new("  one \"two three\" \"esc\\\"aped\" rest of it  ");
    assert_eq!(input.next_word().as_deref(), Some("one"));
    assert_eq!(input.next_word().as_deref(), Some("two three"));
    assert_eq!(input.next_word().as_deref(), Some("esc\"aped"));
    assert_eq!(input.take_rest(), "rest of it");
    assert!(input.is_empty());
    assert_eq!(input.next_word(), None);
    let mut open = ermine::command::Input::new("\"never closed");
    assert_eq!(open.next_word().as_deref(), Some("never closed"));
}
