//! The smallest bot: answers `!ping` with `pong`. The bot is the ten lines in `main` between
//! the scene's lines; `scene` (shared by the examples) picks a real instance with
//! `STOAT_TOKEN`, else plays a short scene on the bundled local server.
//!
//! ```text
//! cargo run -p ermine --example ping_bot
//! ```

mod scene;

use ermine::command::{Command, Commands};
use scene::{Failure, Step};

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let (client, scene) = scene::bot_client().await?;
    let events = client.connect().await?;
    let bot = Commands::new("!").command(Command::new("ping", "Answers pong").run(
        |ctx, ()| async move {
            ctx.reply("pong").await?;
            Ok(())
        },
    ));
    let run = async move { bot.run(&client, events).await };
    scene
        .play(&[Step::Say("!ping"), Step::Say("!help")], run)
        .await
}
