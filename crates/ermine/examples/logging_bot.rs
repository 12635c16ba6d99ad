//! A logging bot: records every edited and deleted message with its content before, in a
//! channel named `logs` (or on standard output when the server has none). The cache keeps
//! recent messages, so a deletion still knows what was said.
//!
//! ```text
//! cargo run -p ermine --example logging_bot
//! ```

mod scene;

use ermine::model::id::ChannelId;
use ermine::prelude::*;
use scene::{Failure, Step};

/// The `logs` channel of the server `channel` belongs to.
fn log_channel(client: &Client, channel: ChannelId) -> Option<Channel> {
    let server = client.channel(channel).server()?;
    server
        .channels()
        .into_iter()
        .find(|c| c.model().and_then(|m| m.name().map(|n| n == "logs")) == Some(true))
}

async fn log(client: &Client, channel: ChannelId, line: String) -> Result<(), Error> {
    if let Some(logs) = log_channel(client, channel) {
        logs.send(&line).await?;
    } else {
        println!("{line}");
    }
    Ok(())
}

async fn logger(client: Client, events: Events) -> Result<(), Error> {
    let mut events = events.only([
        EventKind::MessageUpdate,
        EventKind::MessageDelete,
        EventKind::MessagesDelete,
    ]);
    while let Some(event) = events.next().await {
        match event? {
            Event::MessageUpdate {
                channel,
                before: Some(before),
                after: Some(after),
                ..
            } if before.content != after.content => {
                let line = format!(
                    "<@{}> edited in <#{channel}>: {:?} → {:?}",
                    after.author,
                    before.content.unwrap_or_default(),
                    after.content.unwrap_or_default()
                );
                log(&client, channel, line).await?;
            }
            Event::MessageDelete {
                channel,
                id,
                message,
            } => {
                let line = match message {
                    Some(m) => format!(
                        "<@{}> deleted in <#{channel}>: {:?}",
                        m.author,
                        m.content.unwrap_or_default()
                    ),
                    None => format!("message {id} deleted in <#{channel}> (not cached)"),
                };
                log(&client, channel, line).await?;
            }
            Event::MessagesDelete { channel, ids, .. } => {
                let line = format!("{} messages deleted in <#{channel}>", ids.len());
                log(&client, channel, line).await?;
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
    scene
        .play(
            &[
                Step::Post("hello wrold"),
                Step::Edit("hello world"),
                Step::Delete,
            ],
            logger(client, events),
        )
        .await
}
