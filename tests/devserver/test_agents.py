"""An unmodified livekit-agents worker registers, gets dispatched and its job joins the room."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from livekit import api, rtc

from tests.devserver.rtc_helpers import (
    AudioCollector, connect, dominant_frequency, publish_microphone, trim_silence, wait_for,
)

pytestmark = [pytest.mark.livekit, pytest.mark.slow]

AGENT_NAME = "hrlab-test-agent"
WORKER = Path(__file__).with_name("agent_worker.py")


@pytest.fixture(scope="module")
def agent_worker(devserver):
    env = dict(os.environ, LIVEKIT_URL=devserver.url, LIVEKIT_API_KEY=devserver.api_key,
               LIVEKIT_API_SECRET=devserver.api_secret, TEST_AGENT_NAME=AGENT_NAME)
    process = subprocess.Popen([sys.executable, str(WORKER), "start"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    yield process
    process.terminate()  # the worker drains its jobs; their job processes share its process group
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _candidate_token(devserver, room: str, *, metadata: str) -> str:
    config = api.RoomConfiguration(agents=[api.RoomAgentDispatch(agent_name=AGENT_NAME, metadata=metadata)])
    return devserver.token("candidate", room, room_config=config)


async def _hello(room: rtc.Room, timeout: float = 40) -> dict:
    hello: asyncio.Future = asyncio.get_running_loop().create_future()

    def on_data(packet: rtc.DataPacket) -> None:
        if packet.topic == "agent-hello" and packet.data != b"pong" and not hello.done():
            hello.set_result((packet.participant.identity, json.loads(packet.data)))

    room.on("data_received", on_data)
    return await asyncio.wait_for(hello, timeout)


async def test_token_room_config_dispatches_the_agent_and_its_job_joins(devserver, agent_worker):
    candidate = await connect(devserver.url, _candidate_token(devserver, "agents-1", metadata='{"resume": 7}'))
    sender, hello = await _hello(candidate)
    assert hello["metadata"] == '{"resume": 7}'
    assert sender == hello["identity"]
    agent = candidate.remote_participants[sender]
    assert agent.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT
    pongs: list[bytes] = []
    candidate.on("data_received", lambda p: pongs.append(p.data) if p.data == b"pong" else None)
    await candidate.local_participant.publish_data(b"ping", topic="test")
    await wait_for(lambda: pongs, timeout=10)
    lk = devserver.api()
    try:
        dispatches = await lk.agent_dispatch.list_dispatch("agents-1")
        assert [d.agent_name for d in dispatches] == [AGENT_NAME]
        assert dispatches[0].state.jobs[0].state.participant_identity == sender
    finally:
        await lk.aclose()
    await candidate.disconnect()


async def test_dispatch_api_sends_the_agent_into_an_existing_room(devserver, agent_worker):
    candidate = await connect(devserver.url, devserver.token("candidate", "agents-2"))
    lk = devserver.api()
    try:
        dispatch = await lk.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(agent_name=AGENT_NAME, room="agents-2", metadata="by-api"))
        assert dispatch.id.startswith("AD_")
        _, hello = await _hello(candidate)
        assert hello["metadata"] == "by-api"
    finally:
        await lk.aclose()
    await candidate.disconnect()


async def test_agent_session_speaks_into_the_room(devserver, agent_worker):
    candidate = await connect(devserver.url, _candidate_token(devserver, "agents-3", metadata="say"))
    collectors: list[AudioCollector] = []
    candidate.on("track_subscribed", lambda track, pub, who: collectors.append(AudioCollector(track)))
    await publish_microphone(candidate)  # the session's RoomIO subscribes to the candidate
    await _hello(candidate)  # sent after say() finished
    await asyncio.sleep(0.3)
    assert collectors, "the agent published no audio"
    received = collectors[0].samples()
    voiced = trim_silence(received)
    assert len(voiced) > 48000, f"only {len(voiced) / 48000:.2f} s of the 1.5 s tone arrived"
    assert abs(dominant_frequency(voiced) - 660.0) < 5
    for collector in collectors:
        await collector.close()
    await candidate.disconnect()
