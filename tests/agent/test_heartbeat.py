"""The agent's recorder writes a heartbeat while the interview runs, and stops when it ends."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from hrlab.agent.recorder import DatabaseRecorder
from hrlab.store.models import InterviewSession
from hrlab.store.resumes import add_parsed
from hrlab.store.sessions import open_or_reuse
from tests.agent.conftest import RESUME


def _heartbeat(database, session_id):
    with database.session() as session:
        return session.get(InterviewSession, session_id).heartbeat_at


async def test_heartbeat_while_running_and_not_after(database):
    with database.session(write=True) as s:
        resume = add_parsed(s, RESUME, source_name="anna.txt")
        session_id = open_or_reuse(s, resume.id, max_live=5, pending_window=timedelta(minutes=10)).session_id
    recorder = DatabaseRecorder(database, session_id, heartbeat_interval=0.01)
    await recorder.started(at=time.time() - 300, language="en")
    first = _heartbeat(database, session_id)
    assert first is not None
    for _ in range(500):  # wait for a later beat; how long it takes decides nothing
        await asyncio.sleep(0.01)
        if _heartbeat(database, session_id) != first:
            break
    assert _heartbeat(database, session_id) > first
    await recorder.finished(end_reason="completed", transcript="", completed_at=time.time())
    last = _heartbeat(database, session_id)
    await asyncio.sleep(0.05)
    assert _heartbeat(database, session_id) == last
    assert recorder.failures == 0
