//! The two WebRTC peer connections LiveKit uses: one to publish, one to subscribe.

use std::sync::Arc;

use livekit_protocol as wire;
use tokio::sync::mpsc;
use webrtc::api::APIBuilder;
use webrtc::api::interceptor_registry::register_default_interceptors;
use webrtc::api::media_engine::MediaEngine;
use webrtc::ice_transport::ice_candidate::RTCIceCandidateInit;
use webrtc::ice_transport::ice_server::RTCIceServer;
use webrtc::interceptor::registry::Registry;
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::peer_connection::configuration::RTCConfiguration;
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;
use webrtc::track::track_remote::TrackRemote;

use crate::error::VoiceError;

/// Which of the two connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Publisher,
    Subscriber,
}

impl Target {
    pub(crate) fn wire(self) -> i32 {
        match self {
            Self::Publisher => wire::SignalTarget::Publisher as i32,
            Self::Subscriber => wire::SignalTarget::Subscriber as i32,
        }
    }

    pub(crate) fn from_wire(code: i32) -> Self {
        if code == wire::SignalTarget::Subscriber as i32 {
            Self::Subscriber
        } else {
            Self::Publisher
        }
    }
}

/// What the peer connections report to the call's task.
pub(crate) enum MediaEvent {
    /// A local ICE candidate to send to the server.
    Candidate(Target, RTCIceCandidateInit),
    /// A remote track arrived on the subscriber connection.
    Track(Arc<TrackRemote>),
    /// A connection changed state.
    State(Target, RTCPeerConnectionState),
}

/// Both connections, configured with the ICE servers the join answer gave.
pub(crate) struct Media {
    pub(crate) publisher: Arc<RTCPeerConnection>,
    pub(crate) subscriber: Arc<RTCPeerConnection>,
}

impl Media {
    pub(crate) async fn new(
        ice_servers: &[wire::IceServer],
        events: &mpsc::Sender<MediaEvent>,
    ) -> Result<Self, VoiceError> {
        let mut engine = MediaEngine::default();
        engine.register_default_codecs()?;
        let registry = register_default_interceptors(Registry::new(), &mut engine)?;
        let api = APIBuilder::new()
            .with_media_engine(engine)
            .with_interceptor_registry(registry)
            .build();
        let config = RTCConfiguration {
            ice_servers: ice_servers
                .iter()
                .map(|s| RTCIceServer {
                    urls: s.urls.clone(),
                    username: s.username.clone(),
                    credential: s.credential.clone(),
                })
                .collect(),
            ..RTCConfiguration::default()
        };
        let publisher = Arc::new(api.new_peer_connection(config.clone()).await?);
        let subscriber = Arc::new(api.new_peer_connection(config).await?);
        for (pc, target) in [
            (&publisher, Target::Publisher),
            (&subscriber, Target::Subscriber),
        ] {
            let tx = events.clone();
            pc.on_ice_candidate(Box::new(move |candidate| {
                let tx = tx.clone();
                Box::pin(async move {
                    let Some(candidate) = candidate else { return };
                    match candidate.to_json() {
                        Ok(init) => {
                            let _ = tx.send(MediaEvent::Candidate(target, init)).await;
                        }
                        Err(e) => tracing::warn!(error = %e, "a local ICE candidate could not be described"),
                    }
                })
            }));
            let tx = events.clone();
            pc.on_peer_connection_state_change(Box::new(move |state| {
                let tx = tx.clone();
                Box::pin(async move {
                    let _ = tx.send(MediaEvent::State(target, state)).await;
                })
            }));
        }
        let tx = events.clone();
        subscriber.on_track(Box::new(move |track, _, _| {
            let tx = tx.clone();
            Box::pin(async move {
                let _ = tx.send(MediaEvent::Track(track)).await;
            })
        }));
        Ok(Self {
            publisher,
            subscriber,
        })
    }

    pub(crate) fn pc(&self, target: Target) -> &Arc<RTCPeerConnection> {
        match target {
            Target::Publisher => &self.publisher,
            Target::Subscriber => &self.subscriber,
        }
    }

    pub(crate) async fn close(&self) {
        let _ = self.publisher.close().await;
        let _ = self.subscriber.close().await;
    }
}
