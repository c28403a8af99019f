"""A participant that joins while another publishes its microphone hears it ("deaf agent").

The agent joins a moment after the candidate, often while the candidate's microphone is being
published. Here a publisher plays a tone from the moment it starts publishing, and a listener joins
at offsets around that moment; each listener must receive the tone (energy, not timing).
"""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest
from livekit import rtc

from tests.devserver.rtc_helpers import FRAME, RATE, AudioCollector, connect, sine

pytestmark = pytest.mark.livekit

# Seconds between the publisher's publish_track call and the listener's connect (negative: listener first).
# Listeners that joined 0.04-0.1 s before the publish were deaf here: the publisher's offer arrived while
# the listener's subscriber connection was still in its DTLS handshake. The sweep is wide and fine so that
# slower or faster machines still cross that window.
_DEFAULT_OFFSETS = " ".join(f"{-0.2 + 0.01 * i:.2f}" for i in range(26))
OFFSETS = tuple(float(x) for x in os.environ.get("HRLAB_JOIN_RACE_OFFSETS", _DEFAULT_OFFSETS).split())
ROUNDS = int(os.environ.get("HRLAB_JOIN_RACE_ROUNDS", "1"))
HEAR_WITHIN_S = 8.0
RMS_FLOOR = 1000.0  # the tone's RMS is about 7000; silence and concealment are near 0


async def _play_tone(source: rtc.AudioSource, stop: asyncio.Event) -> None:
    i = 0
    while not stop.is_set():
        await source.capture_frame(rtc.AudioFrame(sine(440.0, FRAME, start=i * FRAME).tobytes(), RATE, 1, FRAME))
        i += 1


def _loudest_rms(samples: np.ndarray) -> float:
    """The RMS of the loudest 100 ms window."""
    window = RATE // 10
    if len(samples) < window:
        return 0.0
    blocks = samples[: len(samples) // window * window].astype(np.float64).reshape(-1, window)
    return float(np.sqrt((blocks ** 2).mean(axis=1)).max())


async def _listener_hears(url: str, token: str, delay: float) -> tuple[bool, float]:
    """Join after `delay` s; (subscribed, loudest RMS heard within HEAR_WITHIN_S of subscribing)."""
    await asyncio.sleep(max(delay, 0.0))
    collectors: list[AudioCollector] = []
    room = rtc.Room()
    room.on("track_subscribed", lambda track, pub, who: collectors.append(AudioCollector(track)))
    await room.connect(url, token)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HEAR_WITHIN_S
    while loop.time() < deadline and not (collectors and _loudest_rms(collectors[0].samples()) > RMS_FLOOR):
        await asyncio.sleep(0.1)
    rms = _loudest_rms(collectors[0].samples()) if collectors else 0.0
    for collector in collectors:
        await collector.close()
    await room.disconnect()
    return bool(collectors), rms


async def _one_join(devserver, room_name: str, offset: float) -> tuple[bool, float]:
    publisher = await connect(devserver.url, devserver.token("candidate", room_name))
    source = rtc.AudioSource(RATE, 1)
    track = rtc.LocalAudioTrack.create_audio_track("microphone", source)
    stop = asyncio.Event()
    tone = asyncio.ensure_future(_play_tone(source, stop))
    if offset < 0:
        listening = asyncio.ensure_future(_listener_hears(devserver.url, devserver.token("agent", room_name), 0.0))
        await asyncio.sleep(-offset)
    else:
        listening = None
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    publishing = asyncio.ensure_future(publisher.local_participant.publish_track(track, options))
    if listening is None:
        listening = asyncio.ensure_future(_listener_hears(devserver.url, devserver.token("agent", room_name), offset))
    try:
        await publishing
        return await listening
    finally:
        stop.set()
        await asyncio.gather(tone, return_exceptions=True)
        await publisher.disconnect()


async def test_a_listener_joining_around_a_publish_hears_the_tone(devserver):
    heard: list[tuple[float, bool, float]] = []
    for round_ in range(ROUNDS):
        for i, offset in enumerate(OFFSETS):
            subscribed, rms = await _one_join(devserver, f"join-race-{round_}-{i}", offset)
            heard.append((offset, subscribed, rms))
    deaf = [(offset, subscribed, round(rms)) for offset, subscribed, rms in heard if rms <= RMS_FLOOR]
    print(f"\njoin race: {len(deaf)} of {len(heard)} listeners heard nothing: {deaf}")
    assert not deaf, f"{len(deaf)} of {len(heard)} listeners (offset s, subscribed, rms) heard no audio: {deaf}"
