//! A voice bot: joins a call, greets it with a short tone, then echoes what it hears.
//!
//! With `STOAT_TOKEN` (a bot token; `STOAT_API` for a self-hosted instance) it joins the voice
//! channel `STOAT_VOICE_CHANNEL` on node `STOAT_VOICE_NODE` (default `worldwide`) and echoes
//! until interrupted. Without, it plays a scene offline: the local Stoat server with a real
//! `livekit-server` (`LIVEKIT_SERVER`, installed by `.ci/run`), inside a private network
//! namespace the example makes itself; alice joins the bot's DM call with ermine too, speaks
//! a 440 Hz tone and checks that she hears it echoed. It prints the join latency and the CPU
//! time the streams cost.
//!
//! ```sh
//! cargo run -p ermine --example voice_bot
//! ```

mod scene;

use std::time::{Duration, Instant};

use ermine::Client;
use ermine::voice::{Tone, VoiceConnection, rms_level, tone_frequency};
use ermine_testkit::livekit::{private_network_for_program, with_livekit};
use scene::Failure;

/// The bot: a greeting, then every frame it hears goes back out.
async fn echo(call: VoiceConnection) -> Result<(), Failure> {
    let mut mic = call.publish_audio("echo").await?;
    let mut greeting = Tone::new(880.0, 0.2);
    for _ in 0..10 {
        mic.send(&greeting.next_frame()).await?;
    }
    let mut heard = call.audio();
    while let Some(audio) = heard.recv().await {
        mic.send(&audio.frame).await?;
    }
    Ok(())
}

fn main() -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(client) = scene::real_client()? {
        let channel = std::env::var("STOAT_VOICE_CHANNEL")
            .map_err(|_| "set STOAT_VOICE_CHANNEL to the voice channel's ID")?
            .parse()?;
        let node = std::env::var("STOAT_VOICE_NODE").unwrap_or_else(|_| "worldwide".to_owned());
        return runtime.block_on(async move {
            let call = client
                .channel(channel)
                .connect()
                .with(move |c| c.node(&node))
                .await?;
            println!("in the call of {channel}; echoing (Ctrl-C to stop)");
            tokio::select! {
                done = echo(call) => done,
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        });
    }
    // Offline: WebRTC needs a real address, so the scene runs in a namespace of its own.
    let Some(ip) = private_network_for_program() else {
        return Ok(());
    };
    runtime.block_on(offline(ip))
}

/// Process CPU time so far (user + system), from `/proc/self/stat` (USER_HZ is 100).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

async fn offline(ip: std::net::Ipv4Addr) -> Result<(), Failure> {
    let Some((livekit, stoat)) =
        with_livekit(ip, "worldwide", ermine_testkit::Config::default()).await
    else {
        return Ok(()); // not installed: said on stderr
    };
    println!(
        "local server at {} with LiveKit at {}",
        stoat.urls().api,
        livekit.node.url
    );
    let seed = stoat.seed();
    let alice = seed.user("alice");
    let bot = seed.bot("echo", alice.id);
    let guild = seed.server("Echo Chamber", alice.id);
    seed.join(guild.id, bot.id);
    let api = stoat.urls().api.clone();
    let bot_client = Client::builder()
        .bot_token(&bot.token)
        .base_url(&api)
        .build()?;
    let alice_client = Client::builder()
        .session_token(&alice.token)
        .base_url(&api)
        .build()?;

    // The bot joins the DM call with alice (the seed's `member.connect()`).
    let started = Instant::now();
    let member = bot_client.fetch_member(guild.id, alice.id).await?;
    let call = member.connect().with(|c| c.node("worldwide")).await?;
    let join_latency = started.elapsed();
    let dm = call.room().parse()?;
    println!(
        "bot joined the call in {} ms (join_call + LiveKit + media)",
        join_latency.as_millis()
    );
    let bot_task = tokio::spawn(echo(call));

    // alice joins the same call and speaks.
    let alice_call = alice_client.channel(dm).connect().await?;
    let mut from_bot = alice_call.audio_of(&bot.id.to_string());
    let mut voice = alice_call.publish_audio("voice").await?;
    let speaking = tokio::spawn(async move {
        let mut tone = Tone::new(440.0, 0.3);
        for _ in 0..250 {
            voice.send(&tone.next_frame()).await?;
        }
        Ok::<_, ermine::voice::VoiceError>(())
    });

    // Steady state: both streams flow for two seconds; then measure what alice hears.
    let mut heard: Vec<i16> = Vec::new();
    let mut cpu_start = None;
    while heard.len() < 2 * 48_000 {
        let Some(audio) = tokio::time::timeout(Duration::from_secs(20), from_bot.recv()).await?
        else {
            return Err("the call ended early".into());
        };
        let loud = audio.frame.level() > 0.05;
        let echoed = loud && tone_frequency(audio.frame.samples()) < 600.0; // the greeting: 880 Hz
        if echoed {
            cpu_start.get_or_insert_with(|| (Instant::now(), cpu_time()));
            heard.extend_from_slice(audio.frame.samples());
        }
    }
    let (wall, cpu) = cpu_start
        .map(|(w, c)| (w.elapsed(), cpu_time().saturating_sub(c)))
        .unwrap_or_default();
    let hz = tone_frequency(&heard);
    println!(
        "alice hears her 440 Hz tone echoed at {hz:.0} Hz, level {:.2} (0.21 sent)",
        rms_level(&heard)
    );
    // Two published streams (alice's, the bot's echo), each also received and decoded once.
    println!(
        "CPU per published stream (Opus encode + send, receive + decode): {:.1} % of one core",
        cpu.as_secs_f64() / wall.as_secs_f64().max(0.001) * 100.0 / 2.0
    );
    if (hz - 440.0).abs() > 10.0 {
        return Err(format!("the echo is {hz:.0} Hz, not 440 Hz").into());
    }
    speaking.abort();
    alice_call.leave().await;
    bot_task.abort();
    Ok(())
}
