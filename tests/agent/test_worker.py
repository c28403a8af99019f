"""The worker end to end: a token dispatches it, a candidate talks to it in a devserver room, the DB gets the outcome.

Needs a private network namespace for ICE (like tests/devserver): run with
`python -m hrlab.devserver.netns .venv/bin/python -m pytest tests/agent/test_worker.py`.
"""

from __future__ import annotations

import asyncio
import json
import wave
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from livekit import api, rtc

import hrlab
from hrlab.agent.job import Dispatch
from hrlab.agent.options import InterviewOptions
from hrlab.agent.worker import WorkerOptions, serve_worker
from hrlab.config import load_settings
from hrlab.devserver.netns import in_private_network
from hrlab.devserver.testing import running_devserver
from hrlab.domain.protocol import EndInterview, StartInterview, parse_server_message
from hrlab.errors import InvalidInput
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade
from hrlab.store.models import InterviewSession, InterviewTurn
from hrlab.store.resumes import add_parsed
from hrlab.store.sessions import open_or_reuse
from tests.agent.conftest import RESUME

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"
AGENT = "hrlab-interviewer-test"


def test_dispatch_metadata_is_checked():
    assert Dispatch.parse('{"sessionId": 3, "resumeId": "7", "language": "ru"}') == Dispatch(3, 7, "ru")
    for bad, message in (("", "not JSON"), ("[]", "JSON object"), ('{"resumeId": 7}', "sessionId"),
                         ('{"sessionId": 1, "resumeId": true}', "resumeId"),
                         ('{"sessionId": 1, "resumeId": 2, "language": "de"}', "language")):
        with pytest.raises(InvalidInput, match=message):
            Dispatch.parse(bad)


def _answer_48k(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), np.int16).astype(np.float32)
        rate = wav.getframerate()
    positions = np.arange(0, len(samples), rate / 48000)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)


async def _speak(source: rtc.AudioSource, samples: np.ndarray) -> None:
    silence = np.zeros(480 * 150, np.int16)  # 1.5 s after the answer, so the VAD sees it end
    audio = np.concatenate([samples, silence])
    for start in range(0, len(audio) - 479, 480):
        await source.capture_frame(rtc.AudioFrame(audio[start:start + 480].tobytes(), 48000, 1, 480))


def _needs_room() -> None:
    if not in_private_network():
        pytest.skip("needs a private network namespace for ICE: "
                    "python -m hrlab.devserver.netns .venv/bin/python -m pytest tests/agent/test_worker.py")


def _open_session(tmp_path: Path) -> tuple[str, Database, object, object]:
    url = f"sqlite:///{tmp_path / 'hrlab.db'}"
    upgrade(url)
    database = Database(url)
    with database.session(write=True) as s:
        resume = add_parsed(s, RESUME, source_name="anna.txt")
        opened = open_or_reuse(s, resume.id, max_live=5, pending_window=timedelta(minutes=10))
    return url, database, resume, opened


@pytest.mark.livekit
@pytest.mark.slow
async def test_worker_runs_an_interview_in_a_room(tmp_path):
    _needs_room()
    if not (CORPUS / "en_librivox_sns_0890.wav").is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    url, database, resume, opened = _open_session(tmp_path)
    with running_devserver() as devserver:
        worker, stop = _start_worker(devserver, url, max_interviews=2, start_wait=60.0)
        try:
            received = await _candidate(devserver, opened.room_name, resume.id, opened.session_id)
        finally:
            stop.set()
            await asyncio.wait_for(worker, 60)
    types = [m.type for m in received]
    assert types[0] == "question" and types[1] == "ai_speaking_start"
    assert types[-1] == "interview_complete"
    with database.session() as s:
        row = s.get(InterviewSession, opened.session_id)
        assert (row.status, row.end_reason) == ("completed", "candidate_ended")
        assert s.query(InterviewTurn).filter_by(session_id=opened.session_id, speaker="candidate").count() >= 1
    database.dispose()


@pytest.mark.livekit
@pytest.mark.slow
async def test_interview_starts_when_the_start_message_came_before_the_agent(tmp_path):
    """The spec's page sends start_interview right after connecting; a LiveKit server delivers data only to
    those in the room, so an agent joining later never hears it. The interview must start anyway, long before
    the start_wait fallback (set far beyond this test's time-out)."""
    _needs_room()
    url, database, resume, opened = _open_session(tmp_path)
    with running_devserver() as devserver:
        room = rtc.Room()
        events: asyncio.Queue = asyncio.Queue()
        room.on("data_received", lambda packet: events.put_nowait(parse_server_message(packet.data).type))
        token = devserver.token("candidate", opened.room_name, room_config=_dispatch(resume.id, opened.session_id))
        await room.connect(devserver.url, token)
        await room.local_participant.publish_data(StartInterview(resume.id).encode(), topic="interview")
        source = rtc.AudioSource(48000, 1)
        track = rtc.LocalAudioTrack.create_audio_track("mic", source)
        await room.local_participant.publish_track(track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE))
        assert not room.remote_participants, "the agent must join after the start message for this test"
        # Only now does a worker exist to take the dispatch: the agent joins after the packet was delivered.
        worker, stop = _start_worker(devserver, url, max_interviews=1, start_wait=3600.0)
        try:
            await _next(events, "question", timeout=180)
            await room.local_participant.publish_data(EndInterview(resume.id).encode(), topic="interview")
            await _next(events, "interview_complete", timeout=120)
            await room.disconnect()
        finally:
            stop.set()
            await asyncio.wait_for(worker, 60)
    with database.session() as s:
        assert s.get(InterviewSession, opened.session_id).status == "completed"
    database.dispose()


@pytest.mark.livekit
@pytest.mark.slow
async def test_two_interviews_dispatched_in_the_same_instant_both_start(tmp_path):
    """A server may hand one worker two jobs at once; their connects once crashed the whole worker."""
    _needs_room()
    url, database, first, opened = _open_session(tmp_path)
    with database.session(write=True) as s:
        second = add_parsed(s, RESUME, source_name="anna-2.txt")
        other = open_or_reuse(s, second.id, max_live=5, pending_window=timedelta(minutes=10))
    with running_devserver() as devserver:
        rooms = []
        for resume, session in ((first, opened), (second, other)):
            events: asyncio.Queue = asyncio.Queue()
            room = rtc.Room()
            room.on("data_received", lambda packet, q=events: q.put_nowait(parse_server_message(packet.data).type))
            token = devserver.token(f"candidate-{session.session_id}", session.room_name,
                                    room_config=_dispatch(resume.id, session.session_id))
            rooms.append((room, events, resume, token))
        await asyncio.gather(*(room.connect(devserver.url, token) for room, _, _, token in rooms))
        # Both dispatches wait for a worker; the one that registers now gets both jobs in the same instant.
        worker, stop = _start_worker(devserver, url, max_interviews=2, start_wait=5.0)
        try:
            await asyncio.gather(*(_next(events, "question", timeout=180) for _, events, _, _ in rooms))
            for room, _, resume, _ in rooms:
                await room.local_participant.publish_data(EndInterview(resume.id).encode(), topic="interview")
            await asyncio.gather(*(_next(events, "interview_complete", timeout=120) for _, events, _, _ in rooms))
            assert not worker.done(), "the worker must still be serving"
        finally:
            for room, _, _, _ in rooms:
                await room.disconnect()
            stop.set()
            await asyncio.wait_for(worker, 60)
    with database.session() as s:
        assert [s.get(InterviewSession, x.session_id).status for x in (opened, other)] == ["completed", "completed"]
    database.dispose()


def _start_worker(devserver, database_url: str, *, max_interviews: int,
                  start_wait: float) -> tuple[asyncio.Task, asyncio.Event]:
    """An agent worker in this event loop, registered with the devserver; set the event to stop it."""
    settings = load_settings(livekit_url=devserver.url, livekit_api_key=devserver.api_key,
                             livekit_api_secret=devserver.api_secret, database_url=database_url, agent_name=AGENT)
    stop = asyncio.Event()
    options = WorkerOptions(max_interviews=max_interviews, prewarm_languages=("en",),
                            interview=InterviewOptions(assessment_timeout=15.0, start_wait=start_wait))
    return asyncio.get_running_loop().create_task(serve_worker(settings, mode="dev", options=options, stop=stop)), stop


def _dispatch(resume_id: int, session_id: int) -> api.RoomConfiguration:
    metadata = json.dumps({"sessionId": session_id, "resumeId": resume_id, "language": "en"})
    return api.RoomConfiguration(agents=[api.RoomAgentDispatch(agent_name=AGENT, metadata=metadata)])


async def _candidate(devserver, room_name: str, resume_id: int, session_id: int) -> list:
    config = _dispatch(resume_id, session_id)
    room = rtc.Room()
    received: list = []
    events: asyncio.Queue = asyncio.Queue()

    def on_data(packet: rtc.DataPacket) -> None:
        message = parse_server_message(packet.data)
        received.append(message)
        events.put_nowait(message.type)

    room.on("data_received", on_data)
    await room.connect(devserver.url, devserver.token("candidate", room_name, room_config=config))
    source = rtc.AudioSource(48000, 1)
    track = rtc.LocalAudioTrack.create_audio_track("mic", source)
    await room.local_participant.publish_track(track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE))
    await _wait_agent(room)
    await room.local_participant.publish_data(StartInterview(resume_id).encode())  # no topic, like an unknown page
    await _next(events, "ai_speaking_end", timeout=120)
    await _speak(source, _answer_48k(CORPUS / "en_librivox_sns_0890.wav"))
    await _next(events, "ai_speaking_start", timeout=120)
    await room.local_participant.publish_data(EndInterview(resume_id).encode(), topic="interview")
    await _next(events, "interview_complete", timeout=120)
    await room.disconnect()
    return received


async def _wait_agent(room: rtc.Room, timeout: float = 120) -> None:
    async def present() -> None:
        while not any(p.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT for p in room.remote_participants.values()):
            await asyncio.sleep(0.1)

    await asyncio.wait_for(present(), timeout)


async def _next(events: asyncio.Queue, kind: str, *, timeout: float) -> None:
    async def wait() -> None:
        while await events.get() != kind:
            pass

    await asyncio.wait_for(wait(), timeout)
