//! Voice end to end: `member.connect()` through the local Stoat server and a real
//! `livekit-server`, with the official LiveKit client (PyPI `livekit`, libwebrtc) as the other
//! participant. Each side publishes a tone and checks the other's frequency and level; the
//! Stoat events the LiveKit webhooks cause are checked on the way.
//!
//! WebRTC wants a real address, so each test runs again inside a private network namespace
//! of its own (a veth pair, nothing leaves the machine). Without `livekit-server`
//! (`LIVEKIT_SERVER`), the LiveKit client (`interop/.venv`, `ERMINE_LIVEKIT_PYTHON`) or
//! namespaces, the tests are skipped with a notice, and fail in CI.

#![cfg(feature = "voice")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ermine::model::error::ApiError;
use ermine::voice::{
    AudioStream, FRAME_SAMPLES, SAMPLE_RATE, Tone, TrackSource, VoiceError, VoiceEvent, rms_level,
    tone_frequency,
};
use ermine::{Client, Event, VoiceChange};
use ermine_testkit::TestServer;
use ermine_testkit::livekit::{LiveKitServer, private_network, with_livekit};
use serde_json::Value;

/// The tone ermine publishes, and the one the LiveKit client publishes.
const ERMINE_HZ: f64 = 660.0;
const PEER_HZ: f64 = 440.0;

/// The Python with the official LiveKit client, or `None` (a notice; a failure in CI).
fn peer_python() -> Option<PathBuf> {
    let python = std::env::var_os("ERMINE_LIVEKIT_PYTHON").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../interop/.venv/bin/python"),
        PathBuf::from,
    );
    let ok = Command::new(&python)
        .args(["-c", "import livekit.rtc"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    (ok || ermine_testkit::missing(
        "the LiveKit client is not installed (interop/.venv: pip install -r \
         interop/python/requirements.txt)",
    ))
    .then_some(python)
}

/// The official client in the call, talking JSON lines.
struct Peer {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: tokio::sync::mpsc::UnboundedReceiver<Value>,
}

impl Peer {
    fn start(python: &PathBuf, url: &str, token: &str, listen_to: &str) -> Self {
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../interop/python/livekit_peer.py");
        let mut child = Command::new(python)
            .arg(script)
            .args([url, token, &PEER_HZ.to_string(), listen_to])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the LiveKit client starts");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take();
        let (tx, lines) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    let _ = tx.send(value);
                } else {
                    eprintln!("peer: {line}");
                }
            }
        });
        Self {
            child,
            stdin,
            lines,
        }
    }

    /// The next line that has `key`, within 40 s.
    async fn expect(&mut self, key: &str) -> Value {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(40), self.lines.recv())
                .await
                .unwrap_or_else(|_| panic!("the LiveKit client said no {key} within 40 s"))
                .unwrap_or_else(|| panic!("the LiveKit client ended before {key}"));
            if let Some(value) = line.get(key) {
                return value.clone();
            }
        }
    }

    /// Asks it to leave, and waits for it to end.
    fn leave(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = writeln!(stdin, "stop");
        }
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the LiveKit client failed: {status}");
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Frequency (zero crossings) and RMS level (0..1), as the peer measures them.
fn measure(samples: &[i16]) -> (f64, f64) {
    (tone_frequency(samples), rms_level(samples))
}

/// Two seconds of sound from `stream`, after half a second for the codec to settle.
async fn listen(stream: &mut AudioStream) -> Vec<i16> {
    let settle = usize::try_from(SAMPLE_RATE / 2).unwrap();
    let want = 4 * settle;
    let mut skipped = 0;
    let mut heard = Vec::new();
    while heard.len() < want {
        let audio = tokio::time::timeout(Duration::from_secs(30), stream.recv())
            .await
            .expect("sound within 30 s")
            .expect("the call still runs");
        assert_eq!(audio.frame.samples().len(), FRAME_SAMPLES);
        if skipped < settle || audio.frame.samples().iter().all(|s| s.abs() <= 300) {
            skipped += FRAME_SAMPLES;
            continue;
        }
        heard.extend_from_slice(audio.frame.samples());
    }
    heard
}

/// The first of `call`'s events that `pick` takes (others skipped), within 30 s.
async fn voice_event<T>(
    call: &mut ermine::voice::VoiceConnection,
    what: &str,
    pick: impl Fn(VoiceEvent) -> Option<T>,
) -> T {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), call.next_event())
            .await
            .unwrap_or_else(|_| panic!("no {what} within 30 s"))
            .unwrap_or_else(|| panic!("the call ended before {what}"));
        if let Some(found) = pick(event) {
            return found;
        }
    }
}

/// Why a call ended, from its last event.
fn ended(event: VoiceEvent) -> Option<VoiceError> {
    match event {
        VoiceEvent::Disconnected(why) => Some(why),
        _ => None,
    }
}

fn assert_tone(what: &str, (frequency, level): (f64, f64), expected: f64) {
    assert!(
        (frequency - expected).abs() < 10.0,
        "{what}: {frequency:.1} Hz heard, {expected} Hz sent"
    );
    // Sent at 0.3 of full scale: RMS 0.212; Opus keeps the level within a few dB.
    assert!(
        (0.12..0.30).contains(&level),
        "{what}: level {level:.3}, 0.212 sent"
    );
}

/// The local Stoat server with LiveKit, inside the private network at `ip`.
async fn servers(ip: Ipv4Addr) -> Option<(LiveKitServer, TestServer)> {
    with_livekit(ip, "worldwide", support::config()).await
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn connect_joins_the_dm_call_and_audio_flows_both_ways() {
    let Some(ip) = private_network("connect_joins_the_dm_call_and_audio_flows_both_ways") else {
        return;
    };
    let Some(python) = peer_python() else { return };
    runtime().block_on(async move {
        let Some((livekit, stoat)) = servers(ip).await else { return };
        let seed = stoat.seed();
        let alice = seed.user("alice");
        let bot = seed.bot("echo", alice.id);
        let guild = seed.server("Guild", alice.id);
        seed.join(guild.id, bot.id);
        let api = stoat.urls().api.clone();
        let client = Client::builder().bot_token(&bot.token).base_url(&api).build().unwrap();
        let mut events = support::connected(&client).await;
        let alice_http = ermine::http::Client::builder()
            .session_token(&alice.token)
            .base_url(&api)
            .build()
            .unwrap();

        // The seed's item: the member's `connect()` joins the call of their DM (on the node
        // the instance lists; later calls of the channel stay on it without naming it).
        let member = client.fetch_member(guild.id, alice.id).await.unwrap();
        let mut call = member
            .connect()
            .with(|c| c.node("worldwide"))
            .await
            .expect("the bot joins the DM's call");
        let dm: ermine::model::id::ChannelId = call.room().parse().unwrap();
        assert_eq!(call.local().identity, bot.id.to_string());
        assert_eq!(call.local().user_id, Some(bot.id));
        assert!(call.participants().is_empty());
        // The webhook's join, as the real server emits it.
        let joined = support::next(&mut events, "the bot's VoiceChannelJoin", |e| {
            matches!(e, Event::Voice(VoiceChange::Join(j)) if j.state.id == bot.id)
        })
        .await;
        let Event::Voice(VoiceChange::Join(joined)) = joined else { unreachable!() };
        assert_eq!(joined.id, dm);
        assert!(joined.state.is_receiving && !joined.state.is_publishing);
        // A second join while in the call is refused, as the real server does.
        let again = client.channel(dm).join_call().await.unwrap_err();
        assert_eq!(again.api(), Some(&ApiError::AlreadyConnected));

        // ermine publishes a tone.
        let mut mic = call.publish_audio("tone").await.unwrap();
        let speaking = Arc::new(AtomicBool::new(true));
        let sender = tokio::spawn({
            let speaking = speaking.clone();
            async move {
                let mut tone = Tone::new(ERMINE_HZ, 0.3);
                while speaking.load(Ordering::Relaxed) {
                    mic.send(&tone.next_frame()).await.unwrap();
                }
                mic
            }
        });
        let published = support::next(&mut events, "the bot's voice state", |e| {
            matches!(e, Event::Voice(VoiceChange::State(s)) if s.id == bot.id)
        })
        .await;
        let Event::Voice(VoiceChange::State(published)) = published else { unreachable!() };
        assert_eq!(published.data.is_publishing, Some(true));

        // The official client joins with alice's token and publishes its own tone.
        let mut heard = call.audio_of(&alice.id.to_string());
        let alice_call = alice_http.join_call(dm).await.unwrap();
        assert_eq!(alice_call.url, livekit.node.url);
        let mut peer = Peer::start(&python, &alice_call.url, &alice_call.token, &bot.id.to_string());
        assert_eq!(peer.expect("joined").await, alice.id.to_string());
        // ermine sees alice join with her Stoat user, then her track.
        let mut alice_track = None;
        while alice_track.is_none() {
            let event = tokio::time::timeout(Duration::from_secs(20), call.next_event())
                .await
                .expect("voice events within 20 s")
                .expect("the call runs");
            match event {
                VoiceEvent::ParticipantJoined(p) => {
                    assert_eq!(p.user_id, Some(alice.id));
                    assert!(p.name.starts_with("alice#"), "{}", p.name);
                    assert_eq!(p.user.as_ref().map(|u| u.id), Some(alice.id));
                }
                VoiceEvent::TrackPublished { identity, track } => {
                    assert_eq!(identity, alice.id.to_string());
                    assert_eq!(track.source, TrackSource::Microphone);
                    alice_track = Some(track.sid);
                }
                _ => {}
            }
        }
        assert_eq!(peer.expect("published").await.as_str(), alice_track.as_deref());
        assert_eq!(call.participants().len(), 1);

        // Both directions, by frequency and level.
        let samples = listen(&mut heard).await;
        assert_tone("ermine hearing the LiveKit client", measure(&samples), PEER_HZ);
        let theirs = peer.expect("heard").await;
        assert!(!theirs.is_null(), "the LiveKit client heard nothing from ermine");
        let theirs = (theirs["frequency"].as_f64().unwrap(), theirs["level"].as_f64().unwrap());
        assert_tone("the LiveKit client hearing ermine", theirs, ERMINE_HZ);
        assert_eq!(heard.dropped(), 0, "frames were read as they came");
        // LiveKit hears her speak (libwebrtc sends audio levels), and says so.
        let (identity, active, level) = voice_event(&mut call, "a speaking update", |e| match e {
            VoiceEvent::Speaking { identity, active, level } => Some((identity, active, level)),
            _ => None,
        })
        .await;
        assert_eq!(identity, alice.id.to_string());
        assert!(active && level > 0.0, "{level}");

        // Muting shows in the call (LiveKit sends no webhook for it, so Stoat's state stays);
        // unpublishing shows in both.
        speaking.store(false, Ordering::Relaxed);
        let mic = sender.await.unwrap();
        mic.set_muted(true).await.unwrap();
        assert_eq!(peer.expect("muted").await, bot.id.to_string());
        mic.set_muted(false).await.unwrap();
        assert_eq!(peer.expect("unmuted").await, bot.id.to_string());
        mic.unpublish().await.unwrap();
        let unpublished = support::next(&mut events, "the bot's voice state", |e| {
            matches!(e, Event::Voice(VoiceChange::State(s)) if s.id == bot.id)
        })
        .await;
        let Event::Voice(VoiceChange::State(unpublished)) = unpublished else { unreachable!() };
        assert_eq!(unpublished.data.is_publishing, Some(false));

        // The client leaves: ermine and Stoat both see it.
        peer.leave();
        let left = voice_event(&mut call, "alice's leave", |e| match e {
            VoiceEvent::ParticipantLeft(p) => Some(p),
            _ => None,
        })
        .await;
        assert_eq!(left.user_id, Some(alice.id));
        support::next(&mut events, "alice's VoiceChannelLeave", |e| {
            matches!(e, Event::Voice(VoiceChange::Leave { user, channel }) if *user == alice.id && *channel == dm)
        })
        .await;

        // Leaving ends the call: the leave event, and the audio stream ends.
        call.leave().await;
        support::next(&mut events, "the bot's VoiceChannelLeave", |e| {
            matches!(e, Event::Voice(VoiceChange::Leave { user, .. }) if *user == bot.id)
        })
        .await;
        // The audio stream ends once what it held is read.
        tokio::time::timeout(Duration::from_secs(5), async { while heard.recv().await.is_some() {} })
            .await
            .expect("the audio stream ends with the call");
        drop(livekit);
    });
}

#[test]
fn a_refused_or_dropped_call_is_a_typed_error() {
    let Some(ip) = private_network("a_refused_or_dropped_call_is_a_typed_error") else {
        return;
    };
    runtime().block_on(async move {
        let Some((livekit, stoat)) = servers(ip).await else {
            return;
        };
        let seed = stoat.seed();
        let alice = seed.user("alice");
        let bob = seed.user("bob");
        let guild = seed.server("Guild", alice.id);
        seed.join(guild.id, bob.id);
        let talk = seed.channel(guild.id, "talk", true);
        let api = stoat.urls().api.clone();
        let client = Client::builder()
            .session_token(&alice.token)
            .base_url(&api)
            .build()
            .unwrap();
        let mut events = support::connected(&client).await;

        // A node the server does not know: the Stoat error, before any LiveKit traffic.
        let unknown = client
            .channel(talk)
            .connect()
            .with(|c| c.node("elsewhere"))
            .await;
        assert_eq!(unknown.unwrap_err().api(), Some(&ApiError::UnknownNode));

        // A token LiveKit does not accept (signed by another key): TokenRejected.
        let forged = ermine::voice::VoiceConnection::connect(
            &livekit.node.url,
            "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJvdGhlciJ9.c2lnbmF0dXJl",
            ermine::voice::VoiceOptions::default(),
        )
        .await;
        assert!(
            matches!(forged, Err(VoiceError::TokenRejected(_))),
            "{forged:?}"
        );

        // Nothing listening: Unreachable, not a hang.
        let closed = ermine::voice::VoiceConnection::connect(
            "ws://127.0.0.1:9",
            "token",
            ermine::voice::VoiceOptions::default(),
        )
        .await;
        assert!(
            matches!(closed, Err(VoiceError::Unreachable(_))),
            "{closed:?}"
        );

        // The first call pins the node; a later call without `node` uses it.
        let mut call = client
            .channel(talk)
            .connect()
            .with(|c| c.node("worldwide"))
            .await
            .unwrap();
        // Her voice state comes with LiveKit's webhook.
        support::next(
            &mut events,
            "alice's VoiceChannelJoin",
            |e| matches!(e, Event::Voice(VoiceChange::Join(j)) if j.state.id == alice.id),
        )
        .await;
        let bob_client = Client::builder()
            .session_token(&bob.token)
            .base_url(&api)
            .build()
            .unwrap();
        let bob_call = bob_client.channel(talk).connect().await.unwrap();
        // alice joining again from "another device" (forcing) removes her first session:
        // the server tells it why.
        let again = client
            .channel(talk)
            .connect()
            .with(|c| c.force_disconnect(true))
            .await
            .unwrap();
        let end = voice_event(&mut call, "the first session's end", ended).await;
        assert!(
            matches!(&end, VoiceError::Removed(_)),
            "the first session ends with the server's reason: {end:?}"
        );
        assert!(call.next_event().await.is_none());
        again.leave().await;

        // The voice server goes away mid-call: the call ends with a typed error, not silence.
        let mut bob_call = bob_call;
        drop(livekit);
        let end = voice_event(&mut bob_call, "the lost server's notice", ended).await;
        assert!(
            matches!(&end, VoiceError::SignalClosed | VoiceError::IceFailed),
            "{end:?}"
        );
        assert_eq!(
            bob_call.state(),
            ermine::voice::ConnectionState::Disconnected
        );
    });
}
