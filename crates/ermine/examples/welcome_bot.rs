//! A welcome bot: greets each member who joins in the server's first channel, with the
//! server's name and member count, and gives them a role named `Newcomer` when the server has
//! one.
//!
//! ```text
//! cargo run -p ermine --example welcome_bot
//! ```

mod scene;

use ermine::prelude::*;
use scene::{Failure, Step};

async fn welcome(client: Client, mut events: Events) -> Result<(), Error> {
    while let Some(event) = events.next().await {
        let Event::MemberJoin(member) = event? else {
            continue;
        };
        let server = client.server(member.server_id());
        let model = server.get()?;
        if let Some(role) = server
            .roles()
            .into_iter()
            .find(|r| r.model().is_some_and(|m| m.name == "Newcomer"))
        {
            member.edit().roles(Some(&[role.id()])).await?;
        }
        let count = server.members().await?.len();
        if let Some(first) = server.channels().first() {
            first
                .send(&format!(
                    "Welcome to {}, {}! You are member number {count}.",
                    model.name,
                    member.mention()
                ))
                .await?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let (client, scene) = scene::bot_client().await?;
    let events = client.connect().await?;
    scene
        .play(&[Step::Join("newcomer")], welcome(client, events))
        .await
}
