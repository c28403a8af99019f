"""The assessment queue in the operational database: enqueue, claim with a lease, finish, fail, re-run.

A job is claimed by setting it `running` with a lease; a worker that dies leaves the lease to run
out, and the next claim takes the job again. Claims lock the row (SKIP LOCKED on PostgreSQL; SQLite
serialises writers), so two workers never hold the same job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hrlab.errors import NotFound
from hrlab.store.models import AssessmentJob, InterviewSession

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker now holds."""

    id: int
    session_id: int
    llm: str
    prompts: str
    attempt: int


def _now() -> datetime:
    return datetime.now(timezone.utc)


def enqueue(session: Session, session_id: int, *, llm: str, prompts: str) -> None:
    """Queue the assessment of a finished interview (again, if it had one)."""
    job = session.scalar(select(AssessmentJob).where(AssessmentJob.session_id == session_id))
    if job is None:
        session.add(AssessmentJob(session_id=session_id, llm=llm, prompts=prompts, status="pending", attempts=0))
        return
    job.llm, job.prompts = llm, prompts
    _reset(job)


def _reset(job: AssessmentJob) -> None:
    job.status, job.attempts, job.error, job.lease_until, job.finished_at = "pending", 0, None, None, None


def requeue(session: Session, session_id: int) -> None:
    """Run a session's assessment again (`hrlab assess SESSION_ID`); NotFound when it never had one."""
    job = session.scalar(select(AssessmentJob).where(AssessmentJob.session_id == session_id))
    if job is None:
        if session.get(InterviewSession, session_id) is None:
            raise NotFound(f"Interview session {session_id} not found")
        raise NotFound(f"Interview session {session_id} has no assessment job (the interview has not finished)")
    _reset(job)


def claim(session: Session, *, lease_seconds: float, session_id: int | None = None) -> ClaimedJob | None:
    """Take the oldest pending job (or one whose lease ran out); None when there is nothing to do."""
    now = _now()
    query = (
        select(AssessmentJob)
        .where(or_(AssessmentJob.status == "pending",
                   (AssessmentJob.status == "running") & (AssessmentJob.lease_until < now)))
        .order_by(AssessmentJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if session_id is not None:
        query = query.where(AssessmentJob.session_id == session_id)
    job = session.scalar(query)
    if job is None:
        return None
    job.status, job.attempts, job.lease_until = "running", job.attempts + 1, now + timedelta(seconds=lease_seconds)
    return ClaimedJob(job.id, job.session_id, job.llm, job.prompts, job.attempts)


def renew(session: Session, job_id: int, *, lease_seconds: float) -> None:
    """Extend a running job's lease (the worker holding it is alive)."""
    job = _job(session, job_id)
    if job.status == "running":
        job.lease_until = _now() + timedelta(seconds=lease_seconds)


def release(session: Session, job_id: int) -> None:
    """Give a claimed job back untouched (the worker yielded to a live interview): not an attempt."""
    job = _job(session, job_id)
    if job.status == "running":
        job.status, job.attempts, job.lease_until = "pending", max(0, job.attempts - 1), None


def complete(session: Session, job_id: int, *, ai_feedback: str, source: str, seconds: float) -> None:
    """Store the assessment on the interview and mark the job done."""
    job = _job(session, job_id)
    row = session.get(InterviewSession, job.session_id)
    row.ai_feedback = ai_feedback
    job.status, job.source, job.seconds, job.error = "done", source, seconds, None
    job.lease_until, job.finished_at = None, _now()


def fail(session: Session, job_id: int, *, reason: str) -> str:
    """Record a failed attempt: back to pending, or `failed` after the last attempt. Returns the status."""
    job = _job(session, job_id)
    job.error = reason[:2000]
    job.lease_until = None
    job.status = "failed" if job.attempts >= MAX_ATTEMPTS else "pending"
    if job.status == "failed":
        job.finished_at = _now()
    return job.status


def status_of(session: Session, session_id: int) -> str | None:
    """The assessment status of one interview session (None: no job)."""
    return session.scalar(select(AssessmentJob.status).where(AssessmentJob.session_id == session_id))


def count_waiting(session: Session) -> int:
    """Jobs pending or running."""
    return session.scalar(select(func.count()).select_from(AssessmentJob)
                          .where(AssessmentJob.status.in_(("pending", "running"))))


def _job(session: Session, job_id: int) -> AssessmentJob:
    job = session.get(AssessmentJob, job_id)
    if job is None:
        raise NotFound(f"Assessment job {job_id} not found")
    return job
