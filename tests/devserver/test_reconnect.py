"""When the signal connection drops, the unmodified SDK rejoins and its audio flows again."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from tests.devserver.rtc_helpers import AudioCollector, connect, play_sine, publish_microphone, wait_for

pytestmark = pytest.mark.livekit


async def test_sdk_rejoins_after_its_signal_connection_drops(inprocess_devserver):
    ds, registry = inprocess_devserver.server, inprocess_devserver.registry
    alice = await connect(ds.url, ds.token("alice", "rejoin-1"))
    bob = await connect(ds.url, ds.token("bob", "rejoin-1"))
    collectors: list[AudioCollector] = []
    bob.on("track_subscribed", lambda track, pub, who: collectors.append(AudioCollector(track)))
    source, _ = await publish_microphone(alice)
    await wait_for(lambda: len(collectors) == 1)
    reconnected = asyncio.Event()
    alice.on("reconnected", reconnected.set)
    old_sid = registry.rooms["rejoin-1"].participants["alice"].sid
    await registry.rooms["rejoin-1"].participants["alice"].session.ws.close()  # drop, no leave
    await asyncio.wait_for(reconnected.wait(), 15)
    assert registry.rooms["rejoin-1"].participants["alice"].sid != old_sid
    await wait_for(lambda: len(collectors) == 2)  # the SDK republished its microphone
    await play_sine(source, 440.0, 0.6)
    await asyncio.sleep(0.2)
    received = collectors[1].samples()
    assert np.count_nonzero(np.abs(received) > 1000) > 10000
    for collector in collectors:
        await collector.close()
    await alice.disconnect()
    await bob.disconnect()
