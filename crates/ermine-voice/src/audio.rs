//! PCM in and out: Opus encoding of what is published, decoding of what is heard.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use ermine_model::id::UserId;
use opus_rs::{Application, OpusDecoder, OpusEncoder};
use tokio::sync::mpsc;
use tokio::time::{Interval, MissedTickBehavior};
use webrtc::media::Sample;
use webrtc::track::track_local::track_local_static_sample::TrackLocalStaticSample;
use webrtc::track::track_remote::TrackRemote;

use crate::connection::Command;
use crate::error::VoiceError;

/// Samples per second of every frame (Opus's native rate).
pub const SAMPLE_RATE: u32 = 48_000;
/// Samples in one frame: 20 ms at 48 kHz, mono.
pub const FRAME_SAMPLES: usize = 960;
/// How long one frame lasts.
const FRAME: Duration = Duration::from_millis(20);
/// The longest Opus packet (120 ms), in samples at 48 kHz.
const MAX_PACKET_SAMPLES: usize = 5_760;

/// 20 ms of mono sound at 48 kHz, signed 16-bit samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFrame {
    samples: Vec<i16>,
}

impl AudioFrame {
    /// A frame of these samples.
    ///
    /// # Errors
    /// [`VoiceError::Codec`] unless there are exactly [`FRAME_SAMPLES`].
    pub fn new(samples: Vec<i16>) -> Result<Self, VoiceError> {
        if samples.len() == FRAME_SAMPLES {
            Ok(Self { samples })
        } else {
            Err(VoiceError::Codec(format!(
                "a frame has {FRAME_SAMPLES} samples (20 ms at 48 kHz), not {}",
                samples.len()
            )))
        }
    }

    /// A silent frame.
    pub fn silence() -> Self {
        Self {
            samples: vec![0; FRAME_SAMPLES],
        }
    }

    /// The samples.
    pub fn samples(&self) -> &[i16] {
        &self.samples
    }

    /// Root mean square level, from 0.0 (silence) to 1.0 (full scale).
    pub fn level(&self) -> f64 {
        rms_level(&self.samples)
    }
}

/// Root mean square level of `samples` (48 kHz mono), from 0.0 (silence) to 1.0 (full
/// scale); 0.0 for none.
pub fn rms_level(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    #[allow(clippy::cast_precision_loss)] // far below 2^52 samples
    let mean = sum / samples.len() as f64;
    mean.sqrt() / 32_768.0
}

/// The frequency of a pure tone in `samples` (48 kHz mono), by counting zero crossings: what
/// tests and examples use to check that a tone arrived as it was sent. 0.0 for none.
pub fn tone_frequency(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let crossings = samples
        .windows(2)
        .filter(|w| (w[0] < 0) != (w[1] < 0))
        .count();
    #[allow(clippy::cast_precision_loss)] // far below 2^52 samples
    let seconds = samples.len() as f64 / f64::from(SAMPLE_RATE);
    #[allow(clippy::cast_precision_loss)]
    let hz = crossings as f64 / 2.0 / seconds;
    hz
}

/// A sine tone cut into frames, for tests and examples: each call to
/// [`next_frame`](Self::next_frame) continues where the last one ended.
#[derive(Debug, Clone)]
pub struct Tone {
    frequency: f64,
    amplitude: f64,
    phase: f64,
}

impl Tone {
    /// A tone of `frequency` Hz at `amplitude` (0.0 to 1.0 of full scale).
    pub fn new(frequency: f64, amplitude: f64) -> Self {
        Self {
            frequency,
            amplitude: amplitude.clamp(0.0, 1.0),
            phase: 0.0,
        }
    }

    /// The next 20 ms.
    pub fn next_frame(&mut self) -> AudioFrame {
        let step = std::f64::consts::TAU * self.frequency / f64::from(SAMPLE_RATE);
        let samples = (0..FRAME_SAMPLES)
            .map(|_| {
                let s = self.phase.sin() * self.amplitude * 32_767.0;
                self.phase = (self.phase + step) % std::f64::consts::TAU;
                // In range: amplitude is at most 1.0.
                #[allow(clippy::cast_possible_truncation)]
                let s = s.round() as i16;
                s
            })
            .collect();
        AudioFrame { samples }
    }
}

/// Decoded sound from one participant's track.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReceivedAudio {
    /// Who published it (the participant's identity: on Stoat, the user's ID).
    pub identity: String,
    /// The same as a Stoat user ID, when it is one.
    pub user_id: Option<UserId>,
    /// The track it came from.
    pub track: String,
    /// 20 ms of it.
    pub frame: AudioFrame,
}

/// Where decoded frames go: every [`AudioStream`] that wants them.
#[derive(Default)]
pub(crate) struct Sinks {
    sinks: Mutex<Vec<Sink>>,
}

struct Sink {
    identity: Option<String>,
    tx: mpsc::Sender<ReceivedAudio>,
    dropped: Arc<AtomicU64>,
}

impl Sinks {
    /// A stream of the frames of `identity` (everyone's with `None`), `capacity` frames deep.
    pub(crate) fn subscribe(&self, identity: Option<String>, capacity: usize) -> AudioStream {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let dropped = Arc::new(AtomicU64::new(0));
        self.sinks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Sink {
                identity,
                tx,
                dropped: dropped.clone(),
            });
        AudioStream { rx, dropped }
    }

    /// Ends every stream (after what it holds).
    pub(crate) fn close(&self) {
        self.sinks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn deliver(&self, audio: &ReceivedAudio) {
        let mut sinks = self.sinks.lock().unwrap_or_else(PoisonError::into_inner);
        sinks.retain(|sink| !sink.tx.is_closed());
        for sink in sinks.iter() {
            if sink
                .identity
                .as_ref()
                .is_some_and(|who| *who != audio.identity)
            {
                continue;
            }
            if sink.tx.try_send(audio.clone()).is_err() {
                sink.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Decoded frames as they arrive (48 kHz mono, 20 ms each), from
/// [`VoiceConnection::audio`](crate::VoiceConnection::audio) or
/// [`audio_of`](crate::VoiceConnection::audio_of). Sound is real time: a stream that is not
/// read keeps the frames it has room for and counts those that came while it was full in
/// [`dropped`](Self::dropped). It ends when the call does.
#[derive(Debug)]
pub struct AudioStream {
    rx: mpsc::Receiver<ReceivedAudio>,
    dropped: Arc<AtomicU64>,
}

impl AudioStream {
    /// The next frame; `None` once the call ended.
    pub async fn recv(&mut self) -> Option<ReceivedAudio> {
        self.rx.recv().await
    }

    /// Frames that arrived while this stream was full, and were not kept.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl futures_util::Stream for AudioStream {
    type Item = ReceivedAudio;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

/// Opus packets in, 20 ms frames out (48 kHz mono); a packet that does not decode is
/// counted and skipped.
pub(crate) struct Decoder {
    opus: OpusDecoder,
    pcm: Vec<f32>,
    pending: Vec<i16>,
    pub(crate) undecodable: u64,
}

impl Decoder {
    pub(crate) fn new() -> Result<Self, VoiceError> {
        Ok(Self {
            opus: OpusDecoder::new(48_000, 1).map_err(|why| VoiceError::Codec(why.to_owned()))?,
            pcm: vec![0f32; MAX_PACKET_SAMPLES],
            pending: Vec::with_capacity(FRAME_SAMPLES * 2),
            undecodable: 0,
        })
    }

    /// Decodes one packet; each complete frame goes to `emit`.
    pub(crate) fn push(&mut self, packet: &[u8], mut emit: impl FnMut(AudioFrame)) {
        if packet.is_empty() {
            return;
        }
        let n = match self.opus.decode(packet, MAX_PACKET_SAMPLES, &mut self.pcm) {
            Ok(n) => n.min(self.pcm.len()),
            Err(why) => {
                self.undecodable += 1;
                tracing::debug!(%why, undecodable = self.undecodable, "an Opus packet did not decode; skipped");
                return;
            }
        };
        self.pending
            .extend(self.pcm[..n].iter().map(|&s| to_i16(s)));
        while self.pending.len() >= FRAME_SAMPLES {
            let samples: Vec<i16> = self.pending.drain(..FRAME_SAMPLES).collect();
            emit(AudioFrame { samples });
        }
    }
}

/// Reads one remote audio track until it ends, decoding each packet into frames.
pub(crate) async fn decode_track(track: Arc<TrackRemote>, identity: String, sinks: Arc<Sinks>) {
    let mut decoder = match Decoder::new() {
        Ok(decoder) => decoder,
        Err(why) => {
            tracing::warn!(%why, "no Opus decoder; the track is not heard");
            return;
        }
    };
    let user_id = identity.parse().ok();
    let track_sid = track.id();
    while let Ok((packet, _)) = track.read_rtp().await {
        decoder.push(&packet.payload, |frame| {
            sinks.deliver(&ReceivedAudio {
                identity: identity.clone(),
                user_id,
                track: track_sid.clone(),
                frame,
            });
        });
    }
    if decoder.undecodable > 0 {
        tracing::info!(undecodable = decoder.undecodable, track = %track_sid, "packets skipped because they did not decode");
    }
}

/// The encoder of published tracks: 48 kHz mono, 64 kbit/s, for music as well as speech.
pub(crate) fn encoder() -> Result<OpusEncoder, VoiceError> {
    let mut encoder = OpusEncoder::new(48_000, 1, Application::Audio)
        .map_err(|why| VoiceError::Codec(why.to_owned()))?;
    encoder.bitrate_bps = 64_000;
    Ok(encoder)
}

/// One frame as an Opus packet in `packet`; its length.
pub(crate) fn encode(
    encoder: &mut OpusEncoder,
    frame: &AudioFrame,
    packet: &mut [u8],
) -> Result<usize, VoiceError> {
    encoder
        .encode_i16(&frame.samples, FRAME_SAMPLES, packet)
        .map_err(|why| VoiceError::Codec(why.to_owned()))
}

fn to_i16(sample: f32) -> i16 {
    // Clamped to the range first.
    #[allow(clippy::cast_possible_truncation)]
    let s = (sample.clamp(-1.0, 1.0) * 32_767.0).round() as i16;
    s
}

/// A published audio track: frames sent are Opus-encoded and sent at the pace of real time
/// (one frame per 20 ms, however fast they are handed over). Dropping it stops sending; the
/// track stays published until the call ends or [`unpublish`](Self::unpublish).
pub struct AudioPublisher {
    pub(crate) sid: String,
    pub(crate) track: Arc<TrackLocalStaticSample>,
    pub(crate) encoder: OpusEncoder,
    pub(crate) pace: Interval,
    pub(crate) muted: Arc<AtomicBool>,
    pub(crate) commands: mpsc::Sender<Command>,
    pub(crate) packet: Vec<u8>,
}

impl std::fmt::Debug for AudioPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioPublisher")
            .field("sid", &self.sid)
            .field("muted", &self.muted.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl AudioPublisher {
    pub(crate) fn new(
        sid: String,
        track: Arc<TrackLocalStaticSample>,
        commands: mpsc::Sender<Command>,
    ) -> Result<Self, VoiceError> {
        let encoder = encoder()?;
        let mut pace = tokio::time::interval(FRAME);
        pace.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Ok(Self {
            sid,
            track,
            encoder,
            pace,
            muted: Arc::new(AtomicBool::new(false)),
            commands,
            packet: vec![0; 4_000],
        })
    }

    /// The voice server's ID of this track.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// Sends one frame: waits for its turn (20 ms after the previous one), encodes and sends
    /// it. While muted, frames are paced and not sent.
    ///
    /// # Errors
    /// [`VoiceError::Codec`] when the frame does not encode; [`VoiceError::Media`] when the
    /// track can no longer send.
    pub async fn send(&mut self, frame: &AudioFrame) -> Result<(), VoiceError> {
        self.pace.tick().await;
        if self.muted.load(Ordering::Relaxed) {
            return Ok(());
        }
        let len = encode(&mut self.encoder, frame, &mut self.packet)?;
        let sample = Sample {
            data: Bytes::copy_from_slice(&self.packet[..len]),
            duration: FRAME,
            ..Sample::default()
        };
        self.track
            .write_sample(&sample)
            .await
            .map_err(VoiceError::from)
    }

    /// Mutes or unmutes the track: the others see it muted (and Stoat's voice state follows),
    /// and frames sent meanwhile are not sent.
    ///
    /// # Errors
    /// [`VoiceError::Closed`] when the call ended.
    pub async fn set_muted(&self, muted: bool) -> Result<(), VoiceError> {
        self.muted.store(muted, Ordering::Relaxed);
        self.commands
            .send(Command::Mute {
                sid: self.sid.clone(),
                muted,
            })
            .await
            .map_err(|_| VoiceError::Closed)
    }

    /// Whether the track is muted.
    pub fn is_muted(&self) -> bool {
        self.muted.load(Ordering::Relaxed)
    }

    /// Stops publishing the track: the others see it go.
    ///
    /// # Errors
    /// [`VoiceError::Closed`] when the call ended.
    pub async fn unpublish(self) -> Result<(), VoiceError> {
        let (reply, done) = tokio::sync::oneshot::channel();
        self.commands
            .send(Command::Unpublish {
                sid: self.sid.clone(),
                reply,
            })
            .await
            .map_err(|_| VoiceError::Closed)?;
        done.await.map_err(|_| VoiceError::Closed)?
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_frame_is_exactly_twenty_milliseconds() {
        assert!(AudioFrame::new(vec![0; FRAME_SAMPLES]).is_ok());
        for wrong in [0, 480, 961, 1920] {
            assert!(matches!(
                AudioFrame::new(vec![0; wrong]),
                Err(VoiceError::Codec(_))
            ));
        }
        assert!(AudioFrame::silence().level().abs() < f64::EPSILON);
    }

    #[test]
    fn a_tone_survives_the_codec_at_its_frequency_and_level() {
        let mut encoder = encoder().unwrap();
        let mut decoder = Decoder::new().unwrap();
        let mut tone = Tone::new(1_000.0, 0.5);
        let mut packet = vec![0; 4_000];
        let mut out = Vec::new();
        for _ in 0..100 {
            let len = encode(&mut encoder, &tone.next_frame(), &mut packet).unwrap();
            decoder.push(&packet[..len], |frame| {
                out.extend_from_slice(frame.samples());
            });
        }
        assert_eq!(out.len(), 100 * FRAME_SAMPLES, "one frame out per frame in");
        let settled = &out[25 * FRAME_SAMPLES..];
        assert!(
            (tone_frequency(settled) - 1_000.0).abs() < 5.0,
            "{}",
            tone_frequency(settled)
        );
        let level = AudioFrame {
            samples: settled[..FRAME_SAMPLES].to_vec(),
        }
        .level();
        assert!((0.30..0.40).contains(&level), "0.354 sent, {level} decoded");
    }

    #[test]
    fn packets_that_do_not_decode_are_skipped_without_a_panic() {
        let mut decoder = Decoder::new().unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        for len in 0..2_000 {
            let packet: Vec<u8> = (0..len % 1_500).map(|_| rng.u8(..)).collect();
            decoder.push(&packet, |frame| {
                assert_eq!(frame.samples().len(), FRAME_SAMPLES);
            });
        }
        // Whatever garbage decodes to comes out as whole frames; the rest is counted.
        assert!(decoder.undecodable > 0);
    }

    #[test]
    fn a_full_stream_counts_what_it_could_not_keep() {
        let sinks = Sinks::default();
        let mut all = sinks.subscribe(None, 2);
        let mut bob = sinks.subscribe(Some("bob".to_owned()), 10);
        for who in ["alice", "bob", "alice", "bob"] {
            sinks.deliver(&ReceivedAudio {
                identity: who.to_owned(),
                user_id: None,
                track: "TR".to_owned(),
                frame: AudioFrame::silence(),
            });
        }
        assert_eq!(all.dropped(), 2, "two kept, two counted");
        assert_eq!(bob.dropped(), 0);
        assert_eq!(all.rx.try_recv().unwrap().identity, "alice");
        assert_eq!(bob.rx.try_recv().unwrap().identity, "bob");
        assert_eq!(bob.rx.try_recv().unwrap().identity, "bob");
        assert!(bob.rx.try_recv().is_err());
        sinks.close();
        assert!(all.rx.try_recv().is_ok());
        assert!(matches!(
            all.rx.try_recv(),
            Err(mpsc::error::TryRecvError::Disconnected)
        ));
    }
}
