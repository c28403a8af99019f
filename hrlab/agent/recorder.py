"""Writes an interview to the database as it happens: running, each finished turn, the outcome."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hrlab.store import assessment_jobs, interviews
from hrlab.store.db import Database
from hrlab.store.interviews import TurnRecord

log = logging.getLogger(__name__)
# Well inside the API's HRLAB_SESSION_HEARTBEAT_TIMEOUT_SECONDS (at least 60 s), so a slow write or two
# never gets a live interview closed.
HEARTBEAT_INTERVAL_S = 15.0


@dataclass(frozen=True)
class AssessmentRequest:
    """Which model and prompt set assess the interview once it has ended."""

    llm: str
    prompts: str = "default"


class DatabaseRecorder:
    """One interview session's writes, in order, off the event loop (a crash loses at most one turn)."""

    def __init__(self, database: Database, session_id: int, *, assessment: AssessmentRequest | None = None,
                 heartbeat_interval: float = HEARTBEAT_INTERVAL_S) -> None:
        self.database = database
        self.session_id = session_id
        self.assessment = assessment
        self.heartbeat_interval = heartbeat_interval
        self._lock = asyncio.Lock()
        self._heartbeat: asyncio.Task | None = None
        self.failures = 0

    async def _write(self, what: str, action: Callable[[Any], Any]) -> Any:
        async with self._lock:  # keep the order turns happened in
            try:
                return await asyncio.to_thread(self._in_transaction, action)
            except Exception as exc:  # noqa: BLE001 - the interview goes on without this row
                self.failures += 1
                log.error("could not write %s for interview session %s: %s", what, self.session_id, exc,
                          extra={"session_id": self.session_id})
                return None

    def _in_transaction(self, action: Callable[[Any], Any]) -> Any:
        with self.database.session(write=True) as session:
            return action(session)

    async def started(self, *, at: float, language: str) -> None:
        """Mark the session running, and keep saying so until it finishes (the API closes silent sessions)."""
        await self._write("start", lambda s: interviews.mark_running(s, self.session_id, started_at=at,
                                                                     language=language))
        if self._heartbeat is None:
            self._heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            await self._write("heartbeat",
                              lambda s: interviews.record_heartbeat(s, self.session_id, at=time.time()))

    def stop_heartbeat(self) -> None:
        """No more heartbeats (the interview ended, or its job is going away)."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()

    async def turn(self, record: TurnRecord) -> int | None:
        """Append one finished turn; returns its sequence number."""
        return await self._write("turn", lambda s: interviews.add_turn(s, self.session_id, record))

    async def finished(self, *, end_reason: str, transcript: str, completed_at: float) -> str | None:
        """Store the outcome and queue its assessment in one transaction; returns the final session status."""
        self.stop_heartbeat()
        def store(session) -> str:
            status = interviews.finish(session, self.session_id, end_reason=end_reason, transcript=transcript,
                                       completed_at=completed_at)
            if self.assessment is not None:
                assessment_jobs.enqueue(session, self.session_id, llm=self.assessment.llm,
                                        prompts=self.assessment.prompts)
            return status

        return await self._write("outcome", store)
