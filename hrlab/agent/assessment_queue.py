"""Assessment jobs, processed outside the livekit job so no job cancellation or worker crash loses one.

An interview's end commits its transcript and a pending job in one transaction (recorder.py). The
agent worker serves the queue in its own loop, only while it holds no live interview: a job that is
running when an interview starts is cancelled and handed back, so assessments never take CPU from a
conversation. A claimed job holds a lease renewed while it runs; when a worker dies, the lease runs
out and the next worker (or `hrlab assess --pending`) takes the job again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from hrlab.agent.assessor import AssessmentInputs, AssessmentOutcome, assess
from hrlab.agent.observability import AgentMetrics
from hrlab.agent.options import InterviewOptions
from hrlab.domain.assessment import answered_questions
from hrlab.domain.topics import facts_from_resume
from hrlab.prompts import load_prompt_set
from hrlab.providers.completion import TextCompleter
from hrlab.store import assessment_jobs
from hrlab.store.assessment_jobs import ClaimedJob
from hrlab.store.db import Database
from hrlab.store.models import InterviewSession, InterviewTurn
from hrlab.store.resumes import as_parsed, get_resume

log = logging.getLogger(__name__)

CompleterFor = Callable[[str], TextCompleter | None]


@dataclass(frozen=True)
class QueueOptions:
    """How long one assessment may take, how long a claim lasts unrenewed, how often to look for work."""

    timeout: float = InterviewOptions.assessment_timeout
    lease: float = 30.0
    poll: float = 1.0


def load_inputs(database: Database, session_id: int, *, prompts: str) -> AssessmentInputs:
    """What the assessment of a stored interview reads, from the database alone."""
    with database.session() as session:
        row = session.get(InterviewSession, session_id)
        parsed = as_parsed(get_resume(session, row.resume_id))
        lines = session.execute(select(InterviewTurn.speaker, InterviewTurn.text, InterviewTurn.kind).where(
            InterviewTurn.session_id == session_id).order_by(InterviewTurn.seq)).all()
        language, transcript = row.language or parsed.language, row.transcript or ""
    facts = facts_from_resume(parsed, language=language)
    said, asked = answered_questions([tuple(line) for line in lines])
    return AssessmentInputs(facts, load_prompt_set(prompts, facts.language), transcript, said, asked)


class AssessmentQueue:
    """Claims and runs assessment jobs; `busy()` says a live interview needs the CPU."""

    def __init__(self, database: Database, completer_for: CompleterFor, *, options: QueueOptions | None = None,
                 busy: Callable[[], bool] = lambda: False, metrics: AgentMetrics | None = None) -> None:
        self.database = database
        self.completer_for = completer_for
        self.options = options or QueueOptions()
        self.busy = busy
        self.metrics = metrics

    async def run_pending(self, *, session_id: int | None = None) -> int:
        """Run jobs until none is left (only `session_id`'s, when given); returns how many finished."""
        finished = 0
        while (job := await self._claim(session_id)) is not None:
            finished += await self._run(job)
        return finished

    async def serve(self, stop: asyncio.Event) -> None:
        """Run jobs while the worker is idle, until `stop` is set."""
        while not stop.is_set():
            job = None if self.busy() else await self._claim(None)
            if job is None:
                await _wait(stop, self.options.poll)
                continue
            await self._run_yielding(job, stop)

    async def _claim(self, session_id: int | None) -> ClaimedJob | None:
        def claim(session):
            return assessment_jobs.claim(session, lease_seconds=self.options.lease, session_id=session_id)

        return await asyncio.to_thread(self._write, claim)

    async def _run_yielding(self, job: ClaimedJob, stop: asyncio.Event) -> None:
        """Run one job; hand it back if an interview starts or the worker stops first."""
        task = asyncio.ensure_future(self._run(job))
        while not task.done():
            await asyncio.wait({task}, timeout=0.25)
            if not task.done() and (self.busy() or stop.is_set()):
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await asyncio.to_thread(self._write, lambda s: assessment_jobs.release(s, job.id))
                log.info("assessment of session %s handed back: %s", job.session_id,
                         "an interview started" if self.busy() else "the worker is stopping")
                return

    async def _run(self, job: ClaimedJob) -> int:
        """One attempt: 1 when the job is done, 0 when it failed (it is retried or marked failed)."""
        renew = asyncio.ensure_future(self._renew(job))
        try:
            outcome = await self._assess(job)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the reason is stored on the job
            reason = f"{type(exc).__name__}: {exc}"
            status = await asyncio.to_thread(self._write, lambda s: assessment_jobs.fail(s, job.id, reason=reason))
            log.error("assessment of session %s failed (attempt %d, now %s): %s", job.session_id, job.attempt,
                      status, reason, extra={"session_id": job.session_id})
            return 0
        finally:
            renew.cancel()
        body = json.dumps(outcome.to_json(), ensure_ascii=False)
        await asyncio.to_thread(self._write, lambda s: assessment_jobs.complete(
            s, job.id, ai_feedback=body, source=outcome.source, seconds=outcome.seconds))
        if self.metrics:
            self.metrics.observe_stage("assessment", outcome.seconds)
        log.info("assessment of session %s done in %.1f s (%s)", job.session_id, outcome.seconds, outcome.source,
                 extra={"session_id": job.session_id, "assessment_s": outcome.seconds, "source": outcome.source})
        return 1

    async def _assess(self, job: ClaimedJob) -> AssessmentOutcome:
        inputs = await asyncio.to_thread(load_inputs, self.database, job.session_id, prompts=job.prompts)
        completer = await asyncio.to_thread(self.completer_for, job.llm)
        return await assess(inputs, completer, timeout=self.options.timeout)

    async def _renew(self, job: ClaimedJob) -> None:
        while True:
            await asyncio.sleep(self.options.lease / 3)
            await asyncio.to_thread(self._write, lambda s: assessment_jobs.renew(
                s, job.id, lease_seconds=self.options.lease))

    def _write(self, action):
        with self.database.session(write=True) as session:
            return action(session)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass
