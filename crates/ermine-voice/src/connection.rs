//! A joined call: the handle, and the task that runs it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use livekit_protocol as wire;
use livekit_protocol::signal_request::Message as Request;
use livekit_protocol::signal_response::Message as Response;
use tokio::sync::{mpsc, oneshot, watch};
use webrtc::api::media_engine::MIME_TYPE_OPUS;
use webrtc::ice_transport::ice_candidate::RTCIceCandidateInit;
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;
use webrtc::peer_connection::sdp::session_description::RTCSessionDescription;
use webrtc::rtp_transceiver::rtp_codec::RTCRtpCodecCapability;
use webrtc::rtp_transceiver::rtp_sender::RTCRtpSender;
use webrtc::track::track_local::TrackLocal;
use webrtc::track::track_local::track_local_static_sample::TrackLocalStaticSample;

use crate::audio::{self, AudioPublisher, AudioStream, Sinks};
use crate::error::{DisconnectReason, VoiceError};
use crate::media::{Media, MediaEvent, Target};
use crate::participant::{Participant, Track, TrackSource};
use crate::signal::{self, Incoming};

/// How a call is joined.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VoiceOptions {
    /// Limit for each step of joining: the WebSocket, the join answer, the media connection.
    pub join_timeout: Duration,
    /// Events kept for [`VoiceConnection::next_event`] when it is not called; beyond that
    /// they are counted in [`VoiceConnection::events_dropped`] (the participant list stays
    /// exact either way).
    pub event_capacity: usize,
    /// Frames each [`AudioStream`] keeps when it is not read (50 = one second).
    pub audio_capacity: usize,
    /// Whether everyone's tracks are received as they are published (LiveKit's
    /// `auto_subscribe`). Without it nothing is heard.
    pub auto_subscribe: bool,
}

impl Default for VoiceOptions {
    fn default() -> Self {
        Self {
            join_timeout: Duration::from_secs(10),
            event_capacity: 1_024,
            audio_capacity: 50,
            auto_subscribe: true,
        }
    }
}

impl VoiceOptions {
    /// Sets [`join_timeout`](Self::join_timeout).
    pub fn join_timeout(mut self, limit: Duration) -> Self {
        self.join_timeout = limit;
        self
    }

    /// Sets [`event_capacity`](Self::event_capacity).
    pub fn event_capacity(mut self, capacity: usize) -> Self {
        self.event_capacity = capacity.max(1);
        self
    }

    /// Sets [`audio_capacity`](Self::audio_capacity).
    pub fn audio_capacity(mut self, capacity: usize) -> Self {
        self.audio_capacity = capacity.max(1);
        self
    }

    /// Sets [`auto_subscribe`](Self::auto_subscribe).
    pub fn auto_subscribe(mut self, on: bool) -> Self {
        self.auto_subscribe = on;
        self
    }
}

/// Where the call's media stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// Joined; the media path is being established.
    Connecting,
    /// Sound flows.
    Connected,
    /// The media path was interrupted; WebRTC is trying to restore it.
    Interrupted,
    /// The call ended.
    Disconnected,
}

/// What happens in a call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum VoiceEvent {
    /// Someone joined.
    ParticipantJoined(Participant),
    /// Someone left (as they were last seen).
    ParticipantLeft(Participant),
    /// Someone published a track.
    TrackPublished {
        /// Their identity (on Stoat, the user's ID).
        identity: String,
        /// The track.
        track: Track,
    },
    /// Someone stopped publishing a track.
    TrackUnpublished {
        /// Their identity.
        identity: String,
        /// The track as it was.
        track: Track,
    },
    /// Someone muted or unmuted a track.
    TrackMuted {
        /// Their identity.
        identity: String,
        /// The track, with its new `muted`.
        track: Track,
    },
    /// Who is speaking changed: each participant whose level changed, with it (0.0–1.0).
    Speaking {
        /// Their identity.
        identity: String,
        /// How loud, 0.0 to 1.0.
        level: f32,
        /// Whether they are speaking now.
        active: bool,
    },
    /// The media connection changed state.
    State(ConnectionState),
    /// The call ended, and why; the last event.
    Disconnected(VoiceError),
}

/// What a handle asks the call's task to do.
pub(crate) enum Command {
    Publish {
        name: String,
        source: TrackSource,
        reply: oneshot::Sender<Result<AudioPublisher, VoiceError>>,
    },
    Unpublish {
        sid: String,
        reply: oneshot::Sender<Result<(), VoiceError>>,
    },
    Mute {
        sid: String,
        muted: bool,
    },
    Leave {
        reply: oneshot::Sender<()>,
    },
}

/// What the handle and the task share.
struct Shared {
    participants: Mutex<HashMap<String, Participant>>,
    sinks: Arc<Sinks>,
    events_dropped: AtomicU64,
}

/// A joined call (LiveKit room). Dropping it leaves the call.
pub struct VoiceConnection {
    room: String,
    local: Participant,
    shared: Arc<Shared>,
    commands: mpsc::Sender<Command>,
    events: mpsc::Receiver<VoiceEvent>,
    state: watch::Receiver<ConnectionState>,
    audio_capacity: usize,
    _alive: oneshot::Sender<()>,
}

impl std::fmt::Debug for VoiceConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceConnection")
            .field("room", &self.room)
            .field("local", &self.local.identity)
            .field("state", &*self.state.borrow())
            .finish_non_exhaustive()
    }
}

impl VoiceConnection {
    /// Joins the room of `token` on the voice server at `url` (what Stoat's `join_call`
    /// answers), and returns once sound can flow.
    ///
    /// # Errors
    /// [`VoiceError::TokenRejected`] (expired: Stoat's tokens last seconds), [`NoRoom`],
    /// [`Unreachable`], [`IceFailed`] when no media path could be established,
    /// [`TimedOut`] when a step exceeds [`VoiceOptions::join_timeout`].
    ///
    /// [`NoRoom`]: VoiceError::NoRoom
    /// [`Unreachable`]: VoiceError::Unreachable
    /// [`IceFailed`]: VoiceError::IceFailed
    /// [`TimedOut`]: VoiceError::TimedOut
    pub async fn connect(
        url: &str,
        token: &str,
        options: VoiceOptions,
    ) -> Result<Self, VoiceError> {
        let signal =
            signal::connect(url, token, options.auto_subscribe, options.join_timeout).await?;
        let join = signal.join;
        let local = join
            .participant
            .as_ref()
            .map(Participant::from_wire)
            .ok_or_else(|| {
                VoiceError::Protocol("the join answer names no participant".to_owned())
            })?;
        let room = join
            .room
            .as_ref()
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let (media_tx, media_rx) = mpsc::channel(256);
        let media = Media::new(&join.ice_servers, &media_tx).await?;
        let shared = Arc::new(Shared {
            participants: Mutex::new(
                join.other_participants
                    .iter()
                    .map(|p| (p.sid.clone(), Participant::from_wire(p)))
                    .collect(),
            ),
            sinks: Arc::new(Sinks::default()),
            events_dropped: AtomicU64::new(0),
        });
        let (commands, commands_rx) = mpsc::channel(64);
        let (events_tx, events) = mpsc::channel(options.event_capacity.max(1));
        let (state_tx, mut state) = watch::channel(ConnectionState::Connecting);
        let (alive, alive_rx) = oneshot::channel();
        let ping = Duration::from_secs(u64::try_from(join.ping_interval).unwrap_or(0).max(1));
        let primary = if join.subscriber_primary {
            Target::Subscriber
        } else {
            Target::Publisher
        };
        let task = Task {
            local_sid: local.sid.clone(),
            out: signal.out,
            incoming: signal.incoming,
            media,
            media_rx,
            commands: commands_rx,
            self_commands: commands.clone(),
            events: events_tx,
            state: state_tx,
            shared: shared.clone(),
            primary,
            pending_candidates: HashMap::new(),
            publishing: HashMap::new(),
            senders: HashMap::new(),
            negotiating: false,
            renegotiate: false,
            next_cid: 0,
        };
        tokio::spawn(task.run(ping, alive_rx));
        let connection = Self {
            room,
            local,
            shared,
            commands,
            events,
            state: state.clone(),
            audio_capacity: options.audio_capacity,
            _alive: alive,
        };
        if primary == Target::Subscriber {
            // Sound can flow once the connection the server offers is up.
            let ready = tokio::time::timeout(
                options.join_timeout,
                state.wait_for(|s| {
                    matches!(
                        s,
                        ConnectionState::Connected | ConnectionState::Disconnected
                    )
                }),
            )
            .await
            .map_err(|_| VoiceError::TimedOut("the media connection"))?
            .is_ok_and(|state| *state == ConnectionState::Connected);
            if !ready {
                let mut connection = connection;
                return Err(connection.end_reason().await);
            }
        }
        Ok(connection)
    }

    /// Why the call ended, from its last event.
    async fn end_reason(&mut self) -> VoiceError {
        while let Some(event) = self.events.recv().await {
            if let VoiceEvent::Disconnected(why) = event {
                return why;
            }
        }
        VoiceError::Closed
    }

    /// The room's name (on Stoat, the channel's ID).
    pub fn room(&self) -> &str {
        &self.room
    }

    /// This client as the others see it.
    pub fn local(&self) -> &Participant {
        &self.local
    }

    /// Everyone else in the call now.
    pub fn participants(&self) -> Vec<Participant> {
        let map = self
            .shared
            .participants
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<_> = map.values().cloned().collect();
        all.sort_by(|a, b| a.identity.cmp(&b.identity));
        all
    }

    /// The participant with this identity (on Stoat, the user's ID), when in the call.
    pub fn participant(&self, identity: &str) -> Option<Participant> {
        let map = self
            .shared
            .participants
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        map.values().find(|p| p.identity == identity).cloned()
    }

    /// Where the media connection stands.
    pub fn state(&self) -> ConnectionState {
        *self.state.borrow()
    }

    /// Everyone's audio, decoded, from now on.
    pub fn audio(&self) -> AudioStream {
        self.shared.sinks.subscribe(None, self.audio_capacity)
    }

    /// One participant's audio (by identity: on Stoat, the user's ID), decoded, from now on,
    /// including tracks they publish later.
    pub fn audio_of(&self, identity: &str) -> AudioStream {
        self.shared
            .sinks
            .subscribe(Some(identity.to_owned()), self.audio_capacity)
    }

    /// Publishes a microphone track named `name` and returns its sender.
    ///
    /// # Errors
    /// [`VoiceError::Closed`] when the call ended; [`VoiceError::Media`] when the track could
    /// not be negotiated; [`VoiceError::TimedOut`] when the server does not answer.
    pub async fn publish_audio(&self, name: &str) -> Result<AudioPublisher, VoiceError> {
        let (reply, done) = oneshot::channel();
        self.commands
            .send(Command::Publish {
                name: name.to_owned(),
                source: TrackSource::Microphone,
                reply,
            })
            .await
            .map_err(|_| VoiceError::Closed)?;
        tokio::time::timeout(Duration::from_secs(15), done)
            .await
            .map_err(|_| VoiceError::TimedOut("publishing a track"))?
            .map_err(|_| VoiceError::Closed)?
    }

    /// The next thing that happened; `None` after [`VoiceEvent::Disconnected`].
    pub async fn next_event(&mut self) -> Option<VoiceEvent> {
        self.events.recv().await
    }

    /// Events not kept because nobody read them (see [`VoiceOptions::event_capacity`]).
    pub fn events_dropped(&self) -> u64 {
        self.shared.events_dropped.load(Ordering::Relaxed)
    }

    /// Leaves the call: tells the server, closes the media, ends every [`AudioStream`].
    pub async fn leave(self) {
        let (reply, done) = oneshot::channel();
        if self.commands.send(Command::Leave { reply }).await.is_ok() {
            let _ = done.await;
        }
    }
}

/// A track this client is publishing, between asking and the server's answer.
struct Publishing {
    name: String,
    reply: oneshot::Sender<Result<AudioPublisher, VoiceError>>,
}

/// The task that runs a call.
struct Task {
    local_sid: String,
    out: mpsc::Sender<Request>,
    incoming: mpsc::Receiver<Incoming>,
    media: Media,
    media_rx: mpsc::Receiver<MediaEvent>,
    commands: mpsc::Receiver<Command>,
    self_commands: mpsc::Sender<Command>,
    events: mpsc::Sender<VoiceEvent>,
    state: watch::Sender<ConnectionState>,
    shared: Arc<Shared>,
    primary: Target,
    /// Remote candidates that arrived before the remote description, per connection.
    pending_candidates: HashMap<Target, Vec<RTCIceCandidateInit>>,
    /// Tracks asked for, by client ID.
    publishing: HashMap<String, Publishing>,
    /// Tracks published, by server ID, with their senders.
    senders: HashMap<String, Arc<RTCRtpSender>>,
    /// Whether the publisher's offer waits for its answer.
    negotiating: bool,
    /// Whether another offer is needed once it comes.
    renegotiate: bool,
    next_cid: u64,
}

impl Task {
    async fn run(mut self, ping: Duration, mut alive: oneshot::Receiver<()>) {
        let mut pings = tokio::time::interval(ping);
        pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let end = loop {
            let step = tokio::select! {
                incoming = self.incoming.recv() => match incoming {
                    Some(Incoming::Message(message)) => self.on_signal(*message).await,
                    Some(Incoming::Closed(why)) => {
                        tracing::debug!(?why, "voice signalling closed");
                        Err(VoiceError::SignalClosed)
                    }
                    None => Err(VoiceError::SignalClosed),
                },
                Some(event) = self.media_rx.recv() => self.on_media(event).await,
                command = self.commands.recv() => match command {
                    Some(Command::Leave { reply }) => {
                        self.leave().await;
                        let _ = reply.send(());
                        Err(VoiceError::Closed)
                    }
                    Some(command) => self.on_command(command).await,
                    None => Err(VoiceError::Closed),
                },
                _ = &mut alive => {
                    self.leave().await;
                    Err(VoiceError::Closed)
                }
                _ = pings.tick() => self.send(Request::Ping(now_ms())).await,
            };
            if let Err(end) = step {
                break end;
            }
        };
        self.media.close().await;
        for (_, publishing) in self.publishing.drain() {
            let _ = publishing.reply.send(Err(VoiceError::Closed));
        }
        let _ = self.state.send(ConnectionState::Disconnected);
        self.shared
            .participants
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.shared.sinks.close();
        // The last event: waits for room, so it is never the one dropped.
        let _ = self.events.send(VoiceEvent::Disconnected(end)).await;
    }

    async fn leave(&mut self) {
        let _ = self
            .out
            .send(Request::Leave(wire::LeaveRequest {
                reason: wire::DisconnectReason::ClientInitiated as i32,
                ..wire::LeaveRequest::default()
            }))
            .await;
    }

    async fn send(&self, request: Request) -> Result<(), VoiceError> {
        self.out
            .send(request)
            .await
            .map_err(|_| VoiceError::SignalClosed)
    }

    fn emit(&self, event: VoiceEvent) {
        if self.events.try_send(event).is_err() {
            let dropped = self.shared.events_dropped.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::debug!(dropped, "a voice event was not kept: nobody reads them");
        }
    }

    async fn on_signal(&mut self, message: Response) -> Result<(), VoiceError> {
        match message {
            Response::Offer(offer) => {
                let pc = self.media.pc(Target::Subscriber).clone();
                pc.set_remote_description(RTCSessionDescription::offer(offer.sdp)?)
                    .await?;
                self.flush_candidates(Target::Subscriber).await?;
                let answer = pc.create_answer(None).await?;
                pc.set_local_description(answer.clone()).await?;
                self.send(Request::Answer(wire::SessionDescription {
                    r#type: "answer".to_owned(),
                    sdp: answer.sdp,
                    id: offer.id,
                    ..wire::SessionDescription::default()
                }))
                .await?;
            }
            Response::Answer(answer) => {
                let pc = self.media.pc(Target::Publisher).clone();
                pc.set_remote_description(RTCSessionDescription::answer(answer.sdp)?)
                    .await?;
                self.flush_candidates(Target::Publisher).await?;
                self.negotiating = false;
                if std::mem::take(&mut self.renegotiate) {
                    self.negotiate().await?;
                }
            }
            Response::Trickle(trickle) => {
                let target = Target::from_wire(trickle.target);
                let candidate: RTCIceCandidateInit = serde_json::from_str(&trickle.candidate_init)
                    .map_err(|e| VoiceError::Protocol(format!("unreadable ICE candidate: {e}")))?;
                let pc = self.media.pc(target);
                if pc.remote_description().await.is_some() {
                    pc.add_ice_candidate(candidate).await?;
                } else {
                    self.pending_candidates
                        .entry(target)
                        .or_default()
                        .push(candidate);
                }
            }
            Response::Update(update) => self.on_participants(&update.participants),
            Response::TrackPublished(published) => self.on_published(published).await?,
            Response::Leave(leave) => {
                return Err(VoiceError::Removed(DisconnectReason::from_wire(
                    leave.reason,
                )));
            }
            Response::SpeakersChanged(changed) => {
                let map = self
                    .shared
                    .participants
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                let events: Vec<_> = changed
                    .speakers
                    .iter()
                    .filter_map(|s| {
                        let identity = map.get(&s.sid).map(|p| p.identity.clone())?;
                        Some(VoiceEvent::Speaking {
                            identity,
                            level: s.level,
                            active: s.active,
                        })
                    })
                    .collect();
                drop(map);
                for event in events {
                    self.emit(event);
                }
            }
            other => tracing::trace!(?other, "voice signalling message not acted on"),
        }
        Ok(())
    }

    async fn flush_candidates(&mut self, target: Target) -> Result<(), VoiceError> {
        let pending = self.pending_candidates.remove(&target).unwrap_or_default();
        for candidate in pending {
            self.media.pc(target).add_ice_candidate(candidate).await?;
        }
        Ok(())
    }

    /// Applies a participant update: joins, leaves and track changes become events.
    fn on_participants(&mut self, infos: &[wire::ParticipantInfo]) {
        let mut events = Vec::new();
        {
            let mut map = self
                .shared
                .participants
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            for info in infos {
                if info.sid == self.local_sid {
                    continue;
                }
                let now = Participant::from_wire(info);
                if info.state == wire::participant_info::State::Disconnected as i32 {
                    if let Some(gone) = map.remove(&info.sid) {
                        events.push(VoiceEvent::ParticipantLeft(gone));
                    }
                    continue;
                }
                match map.insert(info.sid.clone(), now.clone()) {
                    None => {
                        events.push(VoiceEvent::ParticipantJoined(now.clone()));
                        for track in &now.tracks {
                            events.push(VoiceEvent::TrackPublished {
                                identity: now.identity.clone(),
                                track: track.clone(),
                            });
                        }
                    }
                    Some(before) => {
                        for track in &now.tracks {
                            match before.track(&track.sid) {
                                None => events.push(VoiceEvent::TrackPublished {
                                    identity: now.identity.clone(),
                                    track: track.clone(),
                                }),
                                Some(old) if old.muted != track.muted => {
                                    events.push(VoiceEvent::TrackMuted {
                                        identity: now.identity.clone(),
                                        track: track.clone(),
                                    });
                                }
                                Some(_) => {}
                            }
                        }
                        for track in &before.tracks {
                            if now.track(&track.sid).is_none() {
                                events.push(VoiceEvent::TrackUnpublished {
                                    identity: now.identity.clone(),
                                    track: track.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
        for event in events {
            self.emit(event);
        }
    }

    async fn on_media(&mut self, event: MediaEvent) -> Result<(), VoiceError> {
        match event {
            MediaEvent::Candidate(target, candidate) => {
                let candidate_init = serde_json::to_string(&candidate)
                    .map_err(|e| VoiceError::Protocol(e.to_string()))?;
                self.send(Request::Trickle(wire::TrickleRequest {
                    candidate_init,
                    target: target.wire(),
                    r#final: false,
                }))
                .await?;
            }
            MediaEvent::Track(track) => {
                // LiveKit's stream ID is `participant_sid|track_sid`.
                let stream = track.stream_id();
                let participant_sid = stream.split('|').next().unwrap_or_default();
                let identity = {
                    let map = self
                        .shared
                        .participants
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    map.get(participant_sid).map(|p| p.identity.clone())
                };
                let Some(identity) = identity else {
                    tracing::warn!(%stream, "a track from an unknown participant; not heard");
                    return Ok(());
                };
                if track.kind() == webrtc::rtp_transceiver::rtp_codec::RTPCodecType::Audio {
                    tokio::spawn(audio::decode_track(
                        track,
                        identity,
                        self.shared.sinks.clone(),
                    ));
                } else {
                    // Video is not decoded; read it so its buffers do not fill.
                    tokio::spawn(async move { while track.read_rtp().await.is_ok() {} });
                }
            }
            MediaEvent::State(target, state) => {
                if target != self.primary && self.primary == Target::Subscriber {
                    if state == RTCPeerConnectionState::Failed {
                        return Err(VoiceError::IceFailed);
                    }
                    return Ok(());
                }
                let now = match state {
                    RTCPeerConnectionState::Connected => ConnectionState::Connected,
                    RTCPeerConnectionState::Disconnected => ConnectionState::Interrupted,
                    RTCPeerConnectionState::Failed => return Err(VoiceError::IceFailed),
                    _ => return Ok(()),
                };
                if *self.state.borrow() != now {
                    let _ = self.state.send(now);
                    self.emit(VoiceEvent::State(now));
                }
            }
        }
        Ok(())
    }

    async fn on_command(&mut self, command: Command) -> Result<(), VoiceError> {
        match command {
            Command::Publish {
                name,
                source,
                reply,
            } => {
                self.next_cid += 1;
                let cid = format!("ermine-audio-{}", self.next_cid);
                let source = match source {
                    TrackSource::ScreenShareAudio => wire::TrackSource::ScreenShareAudio,
                    _ => wire::TrackSource::Microphone,
                };
                self.send(Request::AddTrack(wire::AddTrackRequest {
                    cid: cid.clone(),
                    name: name.clone(),
                    r#type: wire::TrackType::Audio as i32,
                    source: source as i32,
                    ..wire::AddTrackRequest::default()
                }))
                .await?;
                self.publishing.insert(cid, Publishing { name, reply });
            }
            Command::Unpublish { sid, reply } => {
                let result = match self.senders.remove(&sid) {
                    Some(sender) => {
                        self.media.publisher.remove_track(&sender).await?;
                        self.negotiate().await
                    }
                    None => Ok(()),
                };
                let _ = reply.send(result);
            }
            Command::Mute { sid, muted } => {
                self.send(Request::Mute(wire::MuteTrackRequest { sid, muted }))
                    .await?;
            }
            Command::Leave { .. } => {}
        }
        Ok(())
    }

    /// The server accepted a track: add it to the publisher connection and offer.
    async fn on_published(
        &mut self,
        published: wire::TrackPublishedResponse,
    ) -> Result<(), VoiceError> {
        let Some(publishing) = self.publishing.remove(&published.cid) else {
            tracing::debug!(cid = %published.cid, "an answer for a track not asked for");
            return Ok(());
        };
        let Some(info) = published.track else {
            let _ = publishing.reply.send(Err(VoiceError::Protocol(
                "the server's track answer has no track".to_owned(),
            )));
            return Ok(());
        };
        let track = Arc::new(TrackLocalStaticSample::new(
            RTCRtpCodecCapability {
                mime_type: MIME_TYPE_OPUS.to_owned(),
                clock_rate: 48_000,
                channels: 2,
                sdp_fmtp_line: "minptime=10;useinbandfec=1".to_owned(),
                ..RTCRtpCodecCapability::default()
            },
            published.cid.clone(),
            format!("{}|{}", self.local_sid, publishing.name),
        ));
        let added = self
            .media
            .publisher
            .add_track(Arc::clone(&track) as Arc<dyn TrackLocal + Send + Sync>)
            .await;
        let sender = match added {
            Ok(sender) => sender,
            Err(e) => {
                let _ = publishing.reply.send(Err(e.into()));
                return Ok(());
            }
        };
        // RTCP must be read for the sender's interceptors to work.
        let rtcp = sender.clone();
        tokio::spawn(async move { while rtcp.read_rtcp().await.is_ok() {} });
        self.senders.insert(info.sid.clone(), sender);
        let sender_handle = AudioPublisher::new(info.sid, track, self.self_commands.clone());
        let _ = publishing.reply.send(sender_handle);
        self.negotiate().await
    }

    /// Offers the publisher connection's current tracks (or queues the offer while one waits).
    async fn negotiate(&mut self) -> Result<(), VoiceError> {
        if self.negotiating {
            self.renegotiate = true;
            return Ok(());
        }
        self.negotiating = true;
        let pc = &self.media.publisher;
        let offer = pc.create_offer(None).await?;
        pc.set_local_description(offer.clone()).await?;
        self.send(Request::Offer(wire::SessionDescription {
            r#type: "offer".to_owned(),
            sdp: offer.sdp,
            ..wire::SessionDescription::default()
        }))
        .await
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
