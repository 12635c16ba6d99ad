"""The official LiveKit client (PyPI `livekit`) as the other participant of ermine's voice tests.

Usage: livekit_peer.py URL TOKEN TONE_HZ LISTEN_TO

Joins the room with the token (from the local Stoat server's `join_call`), publishes a sine
tone of TONE_HZ as a microphone track, and listens to the audio of the participant whose
identity is LISTEN_TO. Prints one JSON object per line on stdout:

- {"joined": identity} once in the room,
- {"published": track_sid} once the tone is published,
- {"heard": {"frequency": Hz, "level": rms, "seconds": s}} once it has heard two seconds of
  sound from LISTEN_TO (the first half second skipped), or {"heard": null} after 30 s,
- {"muted": identity} / {"unmuted": identity} when someone mutes or unmutes a track.

It keeps publishing until a line arrives on stdin (or stdin closes), then leaves and exits.
"""

import asyncio
import json
import math
import sys

from livekit import rtc

RATE = 48_000
FRAME = 480  # 10 ms


def say(obj):
    print(json.dumps(obj), flush=True)


def measure(samples):
    """Frequency by zero crossings, and the RMS level (0..1 of full scale)."""
    crossings = sum(1 for a, b in zip(samples, samples[1:]) if (a < 0) != (b < 0))
    seconds = len(samples) / RATE
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    return {"frequency": crossings / 2 / seconds, "level": rms, "seconds": seconds}


async def main():
    url, token, tone_hz, listen_to = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    room = rtc.Room()
    heard = []
    done = asyncio.Event()

    async def listen(track):
        stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1)
        skipped = 0
        async for event in stream:
            data = list(event.frame.data)
            # Skip the start (the codec settling) and any silence before the tone.
            if skipped < RATE // 2 or not any(abs(s) > 300 for s in data):
                skipped += len(data)
                continue
            heard.extend(data)
            if len(heard) >= 2 * RATE:
                done.set()
                return

    def on_track(track, publication, participant):
        if track.kind == rtc.TrackKind.KIND_AUDIO and participant.identity == listen_to:
            asyncio.ensure_future(listen(track))

    room.on("track_subscribed", on_track)
    room.on("track_muted", lambda participant, publication: say({"muted": participant.identity}))
    room.on("track_unmuted", lambda participant, publication: say({"unmuted": participant.identity}))
    await room.connect(url, token)
    say({"joined": room.local_participant.identity})

    source = rtc.AudioSource(RATE, 1)
    track = rtc.LocalAudioTrack.create_audio_track("tone", source)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    publication = await room.local_participant.publish_track(track, options)
    say({"published": publication.sid})

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_reader(sys.stdin, stop.set)

    async def tone():
        phase = 0.0
        step = 2 * math.pi * tone_hz / RATE
        while not stop.is_set():
            frame = rtc.AudioFrame.create(RATE, 1, FRAME)
            samples = frame.data
            for i in range(FRAME):
                samples[i] = int(math.sin(phase) * 0.3 * 32767)
                phase = (phase + step) % (2 * math.pi)
            await source.capture_frame(frame)  # waits while its queue is full: real time

    sender = asyncio.ensure_future(tone())
    try:
        await asyncio.wait_for(done.wait(), 30)
        say({"heard": measure(heard)})
    except asyncio.TimeoutError:
        say({"heard": None})
    await stop.wait()
    sender.cancel()
    await room.disconnect()


if __name__ == "__main__":
    asyncio.run(main())
