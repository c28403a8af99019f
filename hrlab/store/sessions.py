"""Interview session rows: open or reuse the live session for a resume, read its state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from hrlab.domain.readiness import ResumeState, refusal
from hrlab.errors import CapacityExceeded
from hrlab.store.models import LIVE_SESSION_STATUSES, InterviewSession, Resume, utcnow
from hrlab.store.resumes import get_resume


@dataclass(frozen=True)
class OpenedSession:
    session_id: int
    resume_id: int
    room_name: str
    candidate_name: str | None
    language: str
    reused: bool


def live_session(session: Session, resume_id: int) -> InterviewSession | None:
    """The resume's session in state created or running, if any."""
    query = select(InterviewSession).where(
        InterviewSession.resume_id == resume_id, InterviewSession.status.in_(LIVE_SESSION_STATUSES)
    )
    return session.scalars(query).one_or_none()


def resume_state(resume: Resume, live: InterviewSession | None) -> ResumeState:
    """What the readiness rule needs to know about a resume and its live session."""
    return ResumeState(
        resume_id=resume.id,
        status=resume.status,
        failure_reason=resume.failure_reason,
        interview_completed_at=resume.interview_completed_at,
        live_session_status=live.status if live else None,
    )


def count_live_sessions(session: Session, *, pending_window: timedelta, now: datetime) -> int:
    """Running sessions plus sessions whose token was issued within `pending_window`."""
    query = select(func.count()).select_from(InterviewSession).where(
        or_(
            InterviewSession.status == "running",
            (InterviewSession.status == "created") & (InterviewSession.created_at > now - pending_window),
        )
    )
    return session.scalar(query) or 0


def reuse_live(session: Session, resume_id: int) -> OpenedSession | None:
    """The resume's live session read in one query without locks, or None when a new one is needed."""
    query = (
        select(Resume, InterviewSession)
        .outerjoin(
            InterviewSession,
            (InterviewSession.resume_id == Resume.id) & InterviewSession.status.in_(LIVE_SESSION_STATUSES),
        )
        .where(Resume.id == resume_id)
    )
    row = session.execute(query).one_or_none()
    if row is None or row[1] is None:
        return None  # the locked path below reports a missing resume and opens sessions
    resume, live = row
    error = refusal(resume_state(resume, live), allow_running=True)
    if error:
        raise error
    return _opened(resume, live, reused=True)


def _opened(resume: Resume, live: InterviewSession, *, reused: bool) -> OpenedSession:
    return OpenedSession(
        session_id=live.id,
        resume_id=resume.id,
        room_name=live.room_name,
        candidate_name=resume.candidate_name,
        language=resume.language or "en",
        reused=reused,
    )


# Any constant works: it names the one advisory lock that guards the count of live sessions.
_SLOTS_LOCK_KEY = 0x68726C6162  # "hrlab"


def lock_session_slots(session: Session) -> None:
    """Serialise opening sessions until this transaction ends, so count-then-insert cannot overshoot the cap.

    PostgreSQL: a transaction-scoped advisory lock (the row lock on the resume only serialises one
    resume). SQLite: the write transaction's BEGIN IMMEDIATE already holds the only write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SLOTS_LOCK_KEY})


def open_or_reuse(
    session: Session, resume_id: int, *, max_live: int, pending_window: timedelta
) -> OpenedSession:
    """Return the resume's live session, or open one; refuses what the readiness rule refuses."""
    # The row lock serialises concurrent requests for one resume on PostgreSQL; SQLite's
    # BEGIN IMMEDIATE does the same; the partial unique index is the last guard.
    resume = get_resume(session, resume_id, for_update=True)
    live = live_session(session, resume_id)
    error = refusal(resume_state(resume, live), allow_running=True)
    if error:
        raise error
    if live is None:
        lock_session_slots(session)
        now = utcnow()
        if count_live_sessions(session, pending_window=pending_window, now=now) >= max_live:
            raise CapacityExceeded(f"All {max_live} interview slots are busy; try again in a few minutes")
        live = InterviewSession(
            resume_id=resume_id,
            room_name=f"interview_{resume_id}_{int(now.timestamp() * 1000)}",
            status="created",
            created_at=now,
            language=resume.language,
        )
        session.add(live)
        session.flush()
        resume.interview_session_id = str(live.id)
        return _opened(resume, live, reused=False)
    return _opened(resume, live, reused=True)
