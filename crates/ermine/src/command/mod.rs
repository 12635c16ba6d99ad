//! Commands: a prefix or a mention, typed arguments, permission checks, help.
//!
//! ```no_run
//! use ermine::command::{Commands, Command, Rest};
//! use ermine::model::permission::Permissions;
//! use ermine::{Client, Member};
//!
//! # async fn demo(client: Client) -> Result<(), ermine::Error> {
//! let commands = Commands::new("!")
//!     .command(Command::new("ping", "Checks that the bot is alive").run(|ctx, ()| async move {
//!         ctx.reply("pong").await?;
//!         Ok(())
//!     }))
//!     .command(
//!         Command::new("kick", "Kicks a member")
//!             .permissions(Permissions::KICK_MEMBERS)
//!             .run(|ctx, (member, reason): (Member, Option<Rest>)| async move {
//!                 let reason = reason.map_or_else(|| "no reason".to_owned(), |r| r.0);
//!                 member.kick().await?;
//!                 ctx.reply(&format!("kicked {} ({reason})", member.tag())).await?;
//!                 Ok(())
//!             }),
//!     );
//! commands.run(&client, client.connect().await?).await
//! # }
//! ```
//!
//! A message invokes a command when it starts with the prefix (or a mention of this account)
//! followed by the command's name. Then, in order: the invoker's permissions in the channel are
//! checked with the server's algorithm on the cache (and the bot's own, when asked); the
//! arguments are read into their types; the handler runs in a task of its own. A failure at
//! any step is answered in the channel (see [`CommandError`]) — never silently dropped — and
//! a built-in `help` lists the commands with their usage.

mod args;
mod context;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use ermine_model::permission::Permissions;
use futures_util::StreamExt as _;

pub use args::{ArgError, Args, Argument, Input, Param, Rest};
pub use context::Context;

use crate::event::Event;
use crate::{Client, Error, Events, Message};

type Handler = Arc<
    dyn Fn(Context, String) -> Pin<Box<dyn Future<Output = Result<(), CommandError>> + Send>>
        + Send
        + Sync,
>;

/// Why an invocation did not run to the end. Each is answered in the channel.
#[derive(Debug)]
#[non_exhaustive]
pub enum CommandError {
    /// The arguments could not be read.
    Arguments(ArgError),
    /// The invoker lacks these permissions in the channel.
    MissingPermissions(Permissions),
    /// This account lacks these permissions in the channel.
    BotMissingPermissions(Permissions),
    /// The handler failed.
    Failed(Error),
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Arguments(e) => write!(f, "{e}"),
            Self::MissingPermissions(p) => write!(f, "you need {}", names(*p)),
            Self::BotMissingPermissions(p) => write!(f, "I need {}", names(*p)),
            Self::Failed(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CommandError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Arguments(e) => Some(e),
            Self::Failed(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for CommandError {
    fn from(value: Error) -> Self {
        Self::Failed(value)
    }
}

/// Permission names as a person reads them: `Kick Members, Ban Members`.
fn names(permissions: Permissions) -> String {
    let words: Vec<String> = permissions
        .iter_names()
        .map(|(name, _)| {
            name.split('_')
                .map(|w| {
                    let lower = w.to_lowercase();
                    let mut chars = lower.chars();
                    chars.next().map_or_else(String::new, |c| {
                        c.to_uppercase().chain(chars).collect::<String>()
                    })
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    words.join(", ")
}

/// One command: its name, description, required permissions and handler.
#[must_use]
pub struct Command {
    name: String,
    description: String,
    aliases: Vec<String>,
    permissions: Permissions,
    bot_permissions: Permissions,
    usage: Vec<String>,
    handler: Option<Handler>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("name", &self.name)
            .field("usage", &self.usage)
            .field("permissions", &self.permissions)
            .finish_non_exhaustive()
    }
}

impl Command {
    /// A command named `name` (matched case-insensitively), described for the help.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            name: name.into().to_lowercase(),
            description: description.into(),
            aliases: Vec::new(),
            permissions: Permissions::empty(),
            bot_permissions: Permissions::empty(),
            usage: Vec::new(),
            handler: None,
        }
    }

    /// Another name it answers to.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.aliases.push(alias.into().to_lowercase());
        self
    }

    /// Permissions the invoker must have in the channel.
    pub fn permissions(mut self, permissions: Permissions) -> Self {
        self.permissions |= permissions;
        self
    }

    /// Permissions this account must have in the channel (checked before the handler, so
    /// the invoker hears what is missing instead of a refused request).
    pub fn bot_permissions(mut self, permissions: Permissions) -> Self {
        self.bot_permissions |= permissions;
        self
    }

    /// The handler, with its typed arguments (`()`, or a tuple of [`Param`]s).
    pub fn run<A, F, Fut>(mut self, handler: F) -> Self
    where
        A: Args,
        F: Fn(Context, A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), Error>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.usage = A::usage();
        self.handler = Some(Arc::new(move |ctx: Context, text: String| {
            let handler = Arc::clone(&handler);
            Box::pin(async move {
                let args = A::parse(&ctx, &text)
                    .await
                    .map_err(CommandError::Arguments)?;
                handler(ctx, args).await.map_err(CommandError::Failed)
            })
        }));
        self
    }

    /// `name <arg> [arg]…`.
    fn usage_line(&self, prefix: &str) -> String {
        let mut line = format!("{prefix}{}", self.name);
        for part in &self.usage {
            line.push(' ');
            line.push_str(part);
        }
        line
    }
}

type ErrorHook = Arc<dyn Fn(&Context, &CommandError) -> Option<String> + Send + Sync>;

/// A set of commands and how they are invoked.
#[must_use]
pub struct Commands {
    prefix: String,
    mention: bool,
    allow_bots: bool,
    help: bool,
    by_name: BTreeMap<String, Arc<Command>>,
    on_error: Option<ErrorHook>,
}

impl std::fmt::Debug for Commands {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Commands")
            .field("prefix", &self.prefix)
            .field("commands", &self.by_name.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Commands {
    /// Commands invoked with `prefix` (e.g. `"!"`) or a mention of this account.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            mention: true,
            allow_bots: false,
            help: true,
            by_name: BTreeMap::new(),
            on_error: None,
        }
    }

    /// Adds a command (a later one with the same name or alias replaces it).
    pub fn command(mut self, command: Command) -> Self {
        let command = Arc::new(command);
        for name in std::iter::once(&command.name).chain(&command.aliases) {
            self.by_name.insert(name.clone(), Arc::clone(&command));
        }
        self
    }

    /// Whether a mention of this account invokes commands too (default `true`).
    pub fn mention(mut self, mention: bool) -> Self {
        self.mention = mention;
        self
    }

    /// Whether other bots may invoke commands (default `false`; this account never does).
    pub fn allow_bots(mut self, allow: bool) -> Self {
        self.allow_bots = allow;
        self
    }

    /// Whether the built-in `help` answers (default `true`).
    pub fn help(mut self, help: bool) -> Self {
        self.help = help;
        self
    }

    /// What to answer for a failed invocation (`None`: answer nothing). The default answers
    /// every [`CommandError`] with its text and, for arguments, the usage.
    pub fn on_error(
        mut self,
        hook: impl Fn(&Context, &CommandError) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.on_error = Some(Arc::new(hook));
        self
    }

    /// The help text: every command with its usage and description.
    pub fn help_text(&self) -> String {
        let mut seen = std::collections::HashSet::new();
        let mut lines = vec!["Commands:".to_owned()];
        for command in self.by_name.values() {
            if seen.insert(command.name.clone()) {
                lines.push(format!(
                    "`{}` — {}",
                    command.usage_line(&self.prefix),
                    command.description
                ));
            }
        }
        if self.help {
            lines.push(format!("`{}help [command]` — This list", self.prefix));
        }
        lines.join("\n")
    }

    /// The command and the text after its name, when `message` invokes one.
    fn parse<'a>(&self, client: &Client, message: &'a Message) -> Option<(String, &'a str)> {
        let content = message.content.as_deref()?.trim_start();
        let after = if let Some(rest) = content.strip_prefix(self.prefix.as_str())
            && !self.prefix.is_empty()
        {
            rest
        } else if self.mention
            && let Some(me) = client.cache().me()
            && let Some(rest) = content.strip_prefix(&format!("<@{me}>"))
        {
            rest.trim_start()
        } else {
            return None;
        };
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        Some((after[..end].to_lowercase(), &after[end..]))
    }

    /// Whether the author may invoke commands at all.
    fn accepts(&self, client: &Client, message: &Message) -> bool {
        if client.cache().me() == Some(message.author) {
            return false;
        }
        if self.allow_bots {
            return true;
        }
        let is_bot = message
            .user
            .as_ref()
            .map(|u| u.bot.is_some())
            .or_else(|| client.cache().user(message.author).map(|u| u.bot.is_some()))
            .unwrap_or(false);
        !is_bot
    }

    /// Runs the command `event` invokes, if any, in a task of its own; the task's handle is
    /// returned (its failure has already been answered in the channel when it ends).
    pub fn dispatch(
        self: &Arc<Self>,
        client: &Client,
        event: &Event,
    ) -> Option<tokio::task::JoinHandle<Result<(), CommandError>>> {
        let Event::Message(message) = event else {
            return None;
        };
        if !self.accepts(client, message) {
            return None;
        }
        let (name, text) = self.parse(client, message)?;
        let text = text.to_owned();
        if self.help && name == "help" && !self.by_name.contains_key("help") {
            let commands = Arc::clone(self);
            let message = message.clone();
            return Some(tokio::spawn(async move {
                let answer = commands.help_for(text.trim());
                message.reply(&answer).await?;
                Ok(())
            }));
        }
        let command = Arc::clone(self.by_name.get(&name)?);
        let ctx = Context::new(message.clone(), command.name.clone());
        let commands = Arc::clone(self);
        Some(tokio::spawn(async move {
            let result = invoke(&command, ctx.clone(), text).await;
            if let Err(error) = &result {
                commands.report(&command, &ctx, error).await;
            }
            result
        }))
    }

    fn help_for(&self, name: &str) -> String {
        match self.by_name.get(&name.to_lowercase()) {
            Some(command) if !name.is_empty() => format!(
                "`{}` — {}",
                command.usage_line(&self.prefix),
                command.description
            ),
            _ => self.help_text(),
        }
    }

    /// Answers a failed invocation in its channel.
    async fn report(&self, command: &Command, ctx: &Context, error: &CommandError) {
        let answer = match &self.on_error {
            Some(hook) => hook(ctx, error),
            None => Some(match error {
                CommandError::Arguments(e) => {
                    format!("{e}. Usage: `{}`", command.usage_line(&self.prefix))
                }
                CommandError::Failed(e) => {
                    tracing::warn!(command = %command.name, error = %e, "command failed");
                    format!("The command failed: {e}")
                }
                other => format!("{other}."),
            }),
        };
        if let Some(answer) = answer
            && let Err(e) = ctx.reply(&answer).await
        {
            tracing::warn!(command = %command.name, error = %e, "could not report a command's failure");
        }
    }

    /// Reads `events` and dispatches every command until the stream ends; other events are
    /// passed over (use [`dispatch`](Self::dispatch) in your own loop to handle them too).
    ///
    /// # Errors
    /// The first fatal error of the events connection.
    pub async fn run(self, client: &Client, mut events: Events) -> Result<(), Error> {
        let commands = Arc::new(self);
        while let Some(event) = events.next().await {
            match event {
                Ok(event) => {
                    commands.dispatch(client, &event);
                }
                Err(Error::Gateway(e)) if !e.is_fatal() => {
                    tracing::warn!(error = %e, "events connection trouble");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Checks permissions, then reads the arguments and runs the handler.
async fn invoke(command: &Command, ctx: Context, text: String) -> Result<(), CommandError> {
    let client = ctx.client().clone();
    let channel = ctx.channel();
    if !command.permissions.is_empty() || !command.bot_permissions.is_empty() {
        let model = match channel.model() {
            Some(model) => model,
            None => channel.fetch().await?,
        };
        let has = |user| crate::permissions::in_channel(&client, &model, user).map(|e| e.value);
        let missing = command.permissions - has(ctx.message().author)?;
        if !missing.is_empty() {
            return Err(CommandError::MissingPermissions(missing));
        }
        if let Some(me) = client.cache().me() {
            let missing = command.bot_permissions - has(me)?;
            if !missing.is_empty() {
                return Err(CommandError::BotMissingPermissions(missing));
            }
        }
    }
    let Some(handler) = &command.handler else {
        return Ok(());
    };
    handler(ctx, text).await
}
