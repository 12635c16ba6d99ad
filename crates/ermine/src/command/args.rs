//! Typed command arguments: how each type is read from the words after the command.

use std::future::Future;
use std::time::Duration;

use ermine_model::id::{ChannelId, RoleId, UserId};

use super::Context;
use crate::{Channel, Member, Role, User};

/// Why an argument could not be read; reported to the channel with the command's usage.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgError {
    /// A required argument is missing.
    Missing {
        /// What was expected, e.g. `member`.
        kind: &'static str,
    },
    /// A word could not be read as the argument.
    Invalid {
        /// What was expected.
        kind: &'static str,
        /// The word.
        word: String,
        /// Why.
        reason: String,
    },
    /// Words were left over after the last argument.
    TooMany {
        /// The first of them.
        word: String,
    },
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing { kind } => write!(f, "a {kind} is missing"),
            Self::Invalid { kind, word, reason } => {
                write!(f, "`{word}` is not a {kind}: {reason}")
            }
            Self::TooMany { word } => write!(f, "unexpected `{word}`"),
        }
    }
}

impl std::error::Error for ArgError {}

/// The words after a command: split on whitespace, with `"double quotes"` keeping spaces in
/// one word (a backslash escapes a quote inside them).
#[derive(Debug, Clone)]
pub struct Input<'a> {
    rest: &'a str,
}

impl<'a> Input<'a> {
    /// The words of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            rest: text.trim_start(),
        }
    }

    /// Whether nothing is left.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next word (unquoted), if any.
    pub fn next_word(&mut self) -> Option<String> {
        let text = self.rest;
        if text.is_empty() {
            return None;
        }
        let (word, rest) = if let Some(quoted) = text.strip_prefix('"') {
            let mut word = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            word.push(escaped);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => word.push(c),
                }
            }
            // An unclosed quote takes the rest of the line.
            let end = end.unwrap_or(quoted.len());
            (word, &quoted[end..])
        } else {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (text[..end].to_owned(), &text[end..])
        };
        self.rest = rest.trim_start();
        Some(word)
    }

    /// Everything left, as typed.
    pub fn take_rest(&mut self) -> &'a str {
        std::mem::take(&mut self.rest).trim_end()
    }
}

/// A type read from one word of a command (a mention or an ID, a number, a duration, …).
pub trait Argument: Sized + Send + 'static {
    /// What it is, for the usage line and errors (e.g. `member`).
    const KIND: &'static str;

    /// Reads it from `word` (resolving it through the client when needed).
    fn parse(ctx: &Context, word: String) -> impl Future<Output = Result<Self, ArgError>> + Send;
}

/// One parameter of a command: an [`Argument`] (required), an `Option` of one (optional:
/// `None` when no word is left), or [`Rest`].
pub trait Param: Sized + Send + 'static {
    /// How the usage line shows it: `<member>`, `[duration]`, `[text…]`.
    fn usage() -> String;

    /// Takes it from the input.
    fn take(
        ctx: &Context,
        input: &mut Input<'_>,
    ) -> impl Future<Output = Result<Self, ArgError>> + Send;
}

impl<T: Argument> Param for T {
    fn usage() -> String {
        format!("<{}>", T::KIND)
    }

    /// As the optional one, and missing is an error.
    fn take(
        ctx: &Context,
        input: &mut Input<'_>,
    ) -> impl Future<Output = Result<Self, ArgError>> + Send {
        let optional = <Option<T> as Param>::take(ctx, input);
        async move { optional.await?.ok_or(ArgError::Missing { kind: T::KIND }) }
    }
}

impl<T: Argument> Param for Option<T> {
    fn usage() -> String {
        format!("[{}]", T::KIND)
    }

    fn take(
        ctx: &Context,
        input: &mut Input<'_>,
    ) -> impl Future<Output = Result<Self, ArgError>> + Send {
        let word = input.next_word();
        async move {
            match word {
                Some(word) => T::parse(ctx, word).await.map(Some),
                None => Ok(None),
            }
        }
    }
}

/// The rest of the line as typed (at least one character; `Option<Rest>` when it may be
/// empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rest(pub String);

impl Param for Rest {
    fn usage() -> String {
        "<text…>".to_owned()
    }

    /// As the optional one, and missing is an error.
    fn take(
        ctx: &Context,
        input: &mut Input<'_>,
    ) -> impl Future<Output = Result<Self, ArgError>> + Send {
        let optional = <Option<Rest> as Param>::take(ctx, input);
        async move { optional.await?.ok_or(ArgError::Missing { kind: "text" }) }
    }
}

impl Param for Option<Rest> {
    fn usage() -> String {
        "[text…]".to_owned()
    }

    fn take(
        _: &Context,
        input: &mut Input<'_>,
    ) -> impl Future<Output = Result<Self, ArgError>> + Send {
        let rest = input.take_rest().to_owned();
        async move { Ok((!rest.is_empty()).then_some(Rest(rest))) }
    }
}

/// A command's parameters: `()` or a tuple of up to five [`Param`]s, read in order. Words
/// left over are an error.
pub trait Args: Sized + Send + 'static {
    /// The usage line's parameters.
    fn usage() -> Vec<String>;

    /// Reads them all.
    fn parse(ctx: &Context, text: &str) -> impl Future<Output = Result<Self, ArgError>> + Send;
}

fn leftover(input: &mut Input<'_>) -> Result<(), ArgError> {
    match input.next_word() {
        Some(word) => Err(ArgError::TooMany { word }),
        None => Ok(()),
    }
}

macro_rules! tuple_args {
    ($($name:ident),*) => {
        impl<$($name: Param),*> Args for ($($name,)*) {
            fn usage() -> Vec<String> {
                vec![$($name::usage()),*]
            }

            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn parse(
                ctx: &Context,
                text: &str,
            ) -> impl Future<Output = Result<Self, ArgError>> + Send {
                let text = text.to_owned();
                async move {
                    let mut input = Input::new(&text);
                    $(let $name = $name::take(ctx, &mut input).await?;)*
                    leftover(&mut input)?;
                    Ok(($($name,)*))
                }
            }
        }
    };
}

tuple_args!();
tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);

/// An ID written as a mention (`<@…>`, `<#…>`, `<%…>`) or bare.
fn id<M>(kind: &'static str, sigil: char, word: &str) -> Result<ermine_model::Id<M>, ArgError> {
    let bare = word
        .strip_prefix('<')
        .and_then(|w| w.strip_prefix(sigil))
        .and_then(|w| w.strip_suffix('>'))
        .unwrap_or(word);
    bare.parse().map_err(|_| ArgError::Invalid {
        kind,
        word: word.to_owned(),
        reason: "expected a mention or an ID".to_owned(),
    })
}

macro_rules! simple_argument {
    ($($ty:ty => $kind:literal, |$word:ident| $parse:expr;)*) => {$(
        impl Argument for $ty {
            const KIND: &'static str = $kind;

            fn parse(
                _: &Context,
                $word: String,
            ) -> impl Future<Output = Result<Self, ArgError>> + Send {
                std::future::ready($parse)
            }
        }
    )*};
}

fn invalid(kind: &'static str, word: &str, reason: impl std::fmt::Display) -> ArgError {
    ArgError::Invalid {
        kind,
        word: word.to_owned(),
        reason: reason.to_string(),
    }
}

simple_argument! {
    UserId => "user", |word| id("user", '@', &word);
    ChannelId => "channel", |word| id("channel", '#', &word);
    RoleId => "role", |word| id("role", '%', &word);
    String => "word", |word| Ok(word);
    i64 => "integer", |word| word.parse().map_err(|e| invalid("integer", &word, e));
    u64 => "number", |word| word.parse().map_err(|e| invalid("number", &word, e));
    u32 => "number", |word| word.parse().map_err(|e| invalid("number", &word, e));
    f64 => "number", |word| word.parse().map_err(|e| invalid("number", &word, e));
    Duration => "duration", |word| humantime::parse_duration(&word)
        .map_err(|e| invalid("duration", &word, format!("{e} (try 10m, 1h30m, 2d)")));
}

impl Argument for User {
    const KIND: &'static str = "user";

    fn parse(ctx: &Context, word: String) -> impl Future<Output = Result<Self, ArgError>> + Send {
        std::future::ready(id("user", '@', &word).map(|id| ctx.client().user(id)))
    }
}

impl Argument for Channel {
    const KIND: &'static str = "channel";

    fn parse(ctx: &Context, word: String) -> impl Future<Output = Result<Self, ArgError>> + Send {
        std::future::ready(id("channel", '#', &word).map(|id| ctx.client().channel(id)))
    }
}

impl Argument for Role {
    const KIND: &'static str = "role";

    fn parse(ctx: &Context, word: String) -> impl Future<Output = Result<Self, ArgError>> + Send {
        let found = id("role", '%', &word).and_then(|id| {
            let server = ctx
                .server()
                .ok_or_else(|| invalid("role", &word, "roles exist only in servers"))?;
            let role = server.role(id);
            if role.model().is_none() {
                return Err(invalid("role", &word, "no such role in this server"));
            }
            Ok(role)
        });
        std::future::ready(found)
    }
}

impl Argument for Member {
    const KIND: &'static str = "member";

    async fn parse(ctx: &Context, word: String) -> Result<Self, ArgError> {
        let user = id("member", '@', &word)?;
        let server = ctx
            .server()
            .ok_or_else(|| invalid("member", &word, "members exist only in servers"))?;
        if let Some(member) = server.member(user) {
            return Ok(member);
        }
        ctx.client()
            .fetch_member(server.id(), user)
            .await
            .map_err(|_| invalid("member", &word, "not a member of this server"))
    }
}
