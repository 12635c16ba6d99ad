//! What the bot examples share: a real instance when `STOAT_TOKEN` is set (a bot token;
//! `STOAT_API` for a self-hosted instance), else the bundled local server with a short
//! scripted scene played against the bot.
//!
//! The local scene: a server "Ermine Demo" whose owner is `owner`, with `moderator` (a
//! Moderator role that may kick, ban, time out and rename), `newcomer` and `spammer` as
//! members, a `#logs` channel, and the bot (with the same powers). Each step is taken by the
//! moderator unless it says otherwise; `{newcomer}` and `{spammer}` in a text become
//! mentions.

#![allow(dead_code)] // each example uses part of it

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use ermine::model::id::{ChannelId, UserId};
use ermine::model::permission::{Override, Permissions};
use ermine::{Client, Event, Events};
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;

pub(crate) type Failure = Box<dyn std::error::Error + Send + Sync>;

/// One step of the scene.
pub(crate) enum Step {
    /// The moderator says something in #general and waits for the bot's answer.
    Say(&'static str),
    /// The moderator says something the bot does not answer.
    Post(&'static str),
    /// The moderator edits their last message; the bot answers.
    Edit(&'static str),
    /// The moderator deletes their last message; the bot answers.
    Delete,
    /// The moderator reacts to the bot's last message; the bot answers.
    React(&'static str),
    /// This user joins the server through an invite; the bot answers.
    Join(&'static str),
}

/// Where the bot runs.
pub(crate) enum Scene {
    /// A real instance: the bot runs until interrupted.
    Real,
    /// The local server and the people in it.
    Local(Box<Local>),
}

pub(crate) struct Local {
    server: TestServer,
    users: HashMap<&'static str, (UserId, String)>,
    general: ChannelId,
    invite: String,
}

/// The bot's client on the real instance, when `STOAT_TOKEN` is set.
pub(crate) fn real_client() -> Result<Option<Client>, Failure> {
    let Ok(token) = std::env::var("STOAT_TOKEN") else {
        return Ok(None);
    };
    let api =
        std::env::var("STOAT_API").unwrap_or_else(|_| ermine::http::DEFAULT_BASE_URL.to_owned());
    Ok(Some(
        Client::builder().bot_token(token).base_url(api).build()?,
    ))
}

/// A client for the bot: the real instance's, or the local server's (seeded).
pub(crate) async fn bot_client() -> Result<(Client, Scene), Failure> {
    if let Some(client) = real_client()? {
        return Ok((client, Scene::Real));
    }
    // A 1-second rate-limit window keeps the scene short; the real server's is 10 s.
    let server =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_secs(1))).await?;
    println!(
        "local server at {} (set STOAT_TOKEN to use a real instance)",
        server.urls().api
    );
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("ermine-bot", owner.id);
    let guild = seed.server("Ermine Demo", owner.id);
    seed.channel(guild.id, "logs", false);
    let powers = Permissions::KICK_MEMBERS
        | Permissions::BAN_MEMBERS
        | Permissions::TIMEOUT_MEMBERS
        | Permissions::MANAGE_NICKNAMES
        | Permissions::MANAGE_MESSAGES;
    let mods = seed.role(
        guild.id,
        "Moderator",
        0,
        Override::new(powers, Permissions::empty()),
    );
    let bots = seed.role(
        guild.id,
        "Bots",
        1,
        Override::new(powers, Permissions::empty()),
    );
    let mut users = HashMap::new();
    users.insert("owner", (owner.id, owner.token.clone()));
    for name in ["moderator", "newcomer", "spammer"] {
        let user = seed.user(name);
        users.insert(name, (user.id, user.token.clone()));
    }
    let moderator = users["moderator"].0;
    let spammer = users["spammer"].0;
    for user in [moderator, spammer, bot.id] {
        seed.join(guild.id, user);
    }
    seed.assign(guild.id, moderator, &[mods]);
    seed.assign(guild.id, bot.id, &[bots]);
    let owner_http = user_client(&server, &owner.token)?;
    let invite = match owner_http.http().create_invite(guild.general).await? {
        ermine::model::invite::Invite::Server(invite) => invite.code,
        other => return Err(format!("unexpected invite {other:?}").into()),
    };
    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .build()?;
    Ok((
        client,
        Scene::Local(Box::new(Local {
            server,
            users,
            general: guild.general,
            invite,
        })),
    ))
}

fn user_client(server: &TestServer, token: &str) -> Result<Client, Failure> {
    Ok(Client::builder()
        .session_token(token)
        .base_url(server.urls().api.clone())
        .build()?)
}

impl Scene {
    /// Runs `bot`: until interrupted on a real instance; locally, while the steps are played,
    /// each step waiting for the bot's answer (printed).
    pub(crate) async fn play(
        self,
        steps: &[Step],
        bot: impl Future<Output = Result<(), ermine::Error>> + Send + 'static,
    ) -> Result<(), Failure> {
        let local = match self {
            Scene::Real => return Ok(bot.await?),
            Scene::Local(local) => local,
        };
        let bot = tokio::spawn(bot);
        let result = local.play(steps).await;
        bot.abort();
        result
    }
}

impl Local {
    fn text(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (name, (id, _)) in &self.users {
            text = text.replace(&format!("{{{name}}}"), &format!("<@{id}>"));
        }
        text
    }

    async fn play(&self, steps: &[Step]) -> Result<(), Failure> {
        let moderator = user_client(&self.server, &self.users["moderator"].1)?;
        let mut watch = moderator.connect().await?;
        wait_for(&mut watch, |e| matches!(e, Event::Ready(_))).await?;
        let bot_id = self.bot_id(&moderator).await?;
        let general = moderator.channel(self.general);
        let mut mine = None;
        let mut bots = None;
        for step in steps {
            match step {
                Step::Say(text) | Step::Post(text) => {
                    let text = self.text(text);
                    println!("moderator: {text}");
                    mine = Some(general.send(&text).await?);
                }
                Step::Edit(text) => {
                    let message = mine.as_ref().ok_or("nothing to edit")?;
                    println!("moderator edits their message: {text}");
                    mine = Some(message.edit_content(&self.text(text)).await?);
                }
                Step::Delete => {
                    let message = mine.take().ok_or("nothing to delete")?;
                    println!("moderator deletes their message");
                    message.delete().await?;
                }
                Step::React(emoji) => {
                    let message: &ermine::Message = bots.as_ref().ok_or("no bot message")?;
                    println!("moderator reacts {emoji}");
                    message.react(emoji).await?;
                }
                Step::Join(name) => {
                    let (_, token) = self.users.get(name).ok_or("no such user")?;
                    println!("{name} joins");
                    user_client(&self.server, token)?
                        .http()
                        .join_invite(&self.invite)
                        .await?;
                }
            }
            if matches!(step, Step::Post(_)) {
                continue;
            }
            let answer = wait_for(
                &mut watch,
                |e| matches!(e, Event::Message(m) if m.author == bot_id),
            )
            .await?;
            if let Event::Message(message) = answer {
                println!("bot: {}", message.content.as_deref().unwrap_or(""));
                bots = Some(message);
            }
        }
        Ok(())
    }

    async fn bot_id(&self, moderator: &Client) -> Result<UserId, Failure> {
        let members = moderator.fetch_members(self.server_id(moderator)?).await?;
        members
            .iter()
            .find(|m| m.is_bot())
            .map(|m| m.user_id())
            .ok_or_else(|| "the bot is not in the server".into())
    }

    fn server_id(&self, client: &Client) -> Result<ermine::model::id::ServerId, Failure> {
        client
            .channel(self.general)
            .server_id()
            .ok_or_else(|| "the server is not cached".into())
    }
}

/// The next event that matches, within 10 s.
async fn wait_for(events: &mut Events, pick: impl Fn(&Event) -> bool) -> Result<Event, Failure> {
    let wait = async {
        while let Some(event) = events.next().await {
            let event = event?;
            if pick(&event) {
                return Ok(event);
            }
        }
        Err::<Event, Failure>("the events connection ended".into())
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .map_err(|_| Failure::from("the bot did not answer within 10 s"))?
}
