"""Two SDK participants in one devserver room hear each other and exchange data."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from livekit import rtc

from tests.devserver.rtc_helpers import (
    AudioCollector, connect, dominant_frequency, play_sine, publish_microphone, trim_silence, wait_for,
)

pytestmark = pytest.mark.livekit


async def test_audio_reaches_the_other_participant_unchanged(devserver):
    alice = await connect(devserver.url, devserver.token("alice", "media-1"))
    bob = await connect(devserver.url, devserver.token("bob", "media-1"))
    collectors: list[AudioCollector] = []
    bob.on("track_subscribed", lambda track, pub, who: collectors.append(AudioCollector(track)))
    source, publication = await publish_microphone(alice)
    await wait_for(lambda: collectors)
    await play_sine(source, 440.0, 1.5)
    await asyncio.sleep(0.3)
    received = collectors[0].samples()
    await collectors[0].close()
    await alice.disconnect()
    await bob.disconnect()
    voiced = trim_silence(received)
    assert len(voiced) > 1.4 * 48000, f"only {len(voiced) / 48000:.2f} s of the 1.5 s sine arrived"
    assert abs(dominant_frequency(voiced) - 440.0) < 5
    rms = float(np.sqrt(np.mean(voiced.astype(np.float64) ** 2)))
    assert 5000 < rms < 9000, f"level changed on the way: rms {rms:.0f} for a 10000-peak sine"
    assert publication.sid.startswith("TR_")


async def test_participants_see_each_other_and_the_track(devserver):
    alice = await connect(devserver.url, devserver.token("alice", "media-2"))
    bob = await connect(devserver.url, devserver.token("bob", "media-2"))
    assert "alice" in bob.remote_participants
    await wait_for(lambda: "bob" in alice.remote_participants)
    _, publication = await publish_microphone(alice)
    await wait_for(lambda: publication.sid in bob.remote_participants["alice"].track_publications)
    remote = bob.remote_participants["alice"].track_publications[publication.sid]
    assert remote.source == rtc.TrackSource.SOURCE_MICROPHONE
    muted = asyncio.Event()
    bob.on("track_muted", lambda participant, pub: muted.set())
    publication.track.mute()
    await asyncio.wait_for(muted.wait(), 5)
    assert remote.muted
    await alice.local_participant.unpublish_track(publication.sid)
    await wait_for(lambda: publication.sid not in bob.remote_participants["alice"].track_publications)
    left = asyncio.Event()
    bob.on("participant_disconnected", lambda p: left.set())
    await alice.disconnect()
    await asyncio.wait_for(left.wait(), 5)
    await bob.disconnect()


async def test_data_carries_topic_and_sender_identity(devserver):
    alice = await connect(devserver.url, devserver.token("alice", "data-1"))
    bob = await connect(devserver.url, devserver.token("bob", "data-1"))
    carol = await connect(devserver.url, devserver.token("carol", "data-1"))
    got: dict[str, list[tuple[str, str, bytes]]] = {"bob": [], "carol": []}
    for name, room in (("bob", bob), ("carol", carol)):
        room.on("data_received", lambda p, name=name: got[name].append((p.participant.identity, p.topic, p.data)))
    await alice.local_participant.publish_data(b'{"type":"question"}', topic="interview", reliable=True)
    # A lossy packet is dropped for anyone whose channel is not open yet (as on livekit-server); the reliable
    # one arriving shows that both of their channels are (they open together).
    await wait_for(lambda: got["bob"] and got["carol"])
    await alice.local_participant.publish_data(b"lossy", topic="noise", reliable=False)
    await alice.local_participant.publish_data(b"just bob", topic="dm", destination_identities=["bob"])
    await wait_for(lambda: len(got["bob"]) == 3 and len(got["carol"]) == 2)
    await asyncio.sleep(0.2)
    assert ("alice", "interview", b'{"type":"question"}') in got["bob"]
    assert ("alice", "noise", b"lossy") in got["carol"]
    assert ("alice", "dm", b"just bob") in got["bob"]
    assert all(topic != "dm" for _, topic, _ in got["carol"])
    for room in (alice, bob, carol):
        await room.disconnect()


async def test_data_goes_to_those_in_the_room_when_it_arrives_never_to_later_joiners(devserver):
    """As on a LiveKit server: a packet is not kept for participants who join after it arrived."""
    alice = await connect(devserver.url, devserver.token("alice", "data-2"))
    carol = await connect(devserver.url, devserver.token("carol", "data-2"))
    got: dict[str, list[bytes]] = {"bob": [], "carol": []}
    carol.on("data_received", lambda p: got["carol"].append(p.data))
    await alice.local_participant.publish_data(b"before bob", topic="interview")
    await wait_for(lambda: got["carol"] == [b"before bob"])  # it has passed the server
    bob = await connect(devserver.url, devserver.token("bob", "data-2"))
    bob.on("data_received", lambda p: got["bob"].append(p.data))
    await wait_for(lambda: "bob" in alice.remote_participants)
    await alice.local_participant.publish_data(b"after bob", topic="interview")
    await wait_for(lambda: b"after bob" in got["bob"])
    assert got["bob"] == [b"after bob"]  # reliable data is ordered: an old packet would have come first
    for room in (alice, bob, carol):
        await room.disconnect()
