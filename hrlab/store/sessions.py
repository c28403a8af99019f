"""Interview session rows: open or reuse the live session for a resume, read its state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, bindparam, case, func, or_, select, text, update
from sqlalchemy.orm import Session

from hrlab.domain.readiness import ResumeState, refusal
from hrlab.errors import CapacityExceeded
from hrlab.store.db import Database
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
    # A session nobody joined yet expires a token TTL after it was opened; re-issued tokens end there too.
    expires_at: datetime | None = None


# The agent writes a heartbeat every 15 s (hrlab/agent/recorder.py); this many seconds of silence
# mean it died. The API passes HRLAB_SESSION_HEARTBEAT_TIMEOUT_SECONDS instead.
DEFAULT_HEARTBEAT_TIMEOUT = timedelta(seconds=120)
TOKEN_UNUSED, AGENT_LOST = "token_unused", "agent_lost"


def _last_sign_of_life():
    return func.coalesce(InterviewSession.heartbeat_at, InterviewSession.started_at, InterviewSession.created_at)


def _live(now: datetime, pending_window: timedelta, heartbeat_timeout: timedelta):
    """Still live: a token issued within its TTL, or running with a recent heartbeat."""
    return or_(
        (InterviewSession.status == "created") & (InterviewSession.created_at > now - pending_window),
        (InterviewSession.status == "running") & (_last_sign_of_life() > now - heartbeat_timeout),
    )


# The token endpoint's common case, built once and reading plain columns: building the expression and
# loading ORM objects per request cost more than running the query (profiled). Cut-offs are bound per
# call; the status tests hold only constants, so the statement compiles once to plain SQL (one_row.py).
REUSE_QUERY = (
    select(Resume.id, Resume.status, Resume.failure_reason, Resume.interview_completed_at, Resume.candidate_name,
           Resume.language, InterviewSession.id, InterviewSession.room_name, InterviewSession.status,
           InterviewSession.created_at)
    .outerjoin(
        InterviewSession,
        (InterviewSession.resume_id == Resume.id)
        & or_(
            (InterviewSession.status == "created")
            & (InterviewSession.created_at > bindparam("pending_since", type_=DateTime(timezone=True))),
            (InterviewSession.status == "running")
            & (_last_sign_of_life() > bindparam("heard_since", type_=DateTime(timezone=True))),
        ),
    )
    .where(Resume.id == bindparam("resume_id"))
)


def live_session(session: Session, resume_id: int, *, pending_window: timedelta,
                 heartbeat_timeout: timedelta = DEFAULT_HEARTBEAT_TIMEOUT) -> InterviewSession | None:
    """The resume's session that is still live (see `_live`), if any; a stale one counts as gone."""
    query = select(InterviewSession).where(
        InterviewSession.resume_id == resume_id, InterviewSession.status.in_(LIVE_SESSION_STATUSES),
        _live(utcnow(), pending_window, heartbeat_timeout),
    )
    return session.scalars(query).one_or_none()


def expire_stale(session: Session, *, now: datetime, pending_window: timedelta,
                 heartbeat_timeout: timedelta) -> int:
    """Close sessions that are no longer live, unused tokens and silent agents, in one statement; returns how many."""
    unused = (InterviewSession.status == "created") & (InterviewSession.created_at <= now - pending_window)
    silent = (InterviewSession.status == "running") & (_last_sign_of_life() <= now - heartbeat_timeout)
    result = session.execute(
        update(InterviewSession)
        .where(or_(unused, silent))
        .values(status="expired", completed_at=now,
                end_reason=case((InterviewSession.status == "created", TOKEN_UNUSED), else_=AGENT_LOST))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def resume_state(resume: Resume, live: InterviewSession | None) -> ResumeState:
    """What the readiness rule needs to know about a resume and its live session."""
    return ResumeState(
        resume_id=resume.id,
        status=resume.status,
        failure_reason=resume.failure_reason,
        interview_completed_at=resume.interview_completed_at,
        live_session_status=live.status if live else None,
    )


def count_live_sessions(session: Session, *, pending_window: timedelta, now: datetime,
                        heartbeat_timeout: timedelta = DEFAULT_HEARTBEAT_TIMEOUT) -> int:
    """Sessions that hold a slot: tokens issued within `pending_window`, and running ones still heard from."""
    query = select(func.count()).select_from(InterviewSession).where(_live(now, pending_window, heartbeat_timeout))
    return session.scalar(query) or 0


def reuse_live(database: Database, resume_id: int, *, pending_window: timedelta,
               heartbeat_timeout: timedelta = DEFAULT_HEARTBEAT_TIMEOUT) -> OpenedSession | None:
    """The resume's live session read in one statement without locks, or None when a new one is needed."""
    now = utcnow()
    params = {"resume_id": resume_id, "pending_since": now - pending_window, "heard_since": now - heartbeat_timeout}
    row = database.fetch_one(REUSE_QUERY, params)
    if row is None or row[6] is None:
        return None  # the locked path below reports a missing resume and opens sessions
    rid, status, failure_reason, completed_at, candidate_name, language, session_id, room, session_status, created = row
    state = ResumeState(resume_id=rid, status=status, failure_reason=failure_reason,
                        interview_completed_at=completed_at, live_session_status=session_status)
    error = refusal(state, allow_running=True)
    if error:
        raise error
    return _opened_session(session_id, room, session_status, created, resume_id=rid, candidate_name=candidate_name,
                           language=language, reused=True, pending_window=pending_window)


def _opened(resume: Resume, live: InterviewSession, *, reused: bool, pending_window: timedelta) -> OpenedSession:
    return _opened_session(live.id, live.room_name, live.status, live.created_at, resume_id=resume.id,
                           candidate_name=resume.candidate_name, language=resume.language, reused=reused,
                           pending_window=pending_window)


def _opened_session(session_id: int, room_name: str, status: str, created_at: datetime, *, resume_id: int,
                    candidate_name: str | None, language: str | None, reused: bool,
                    pending_window: timedelta) -> OpenedSession:
    created = created_at if created_at.tzinfo else created_at.replace(tzinfo=timezone.utc)
    return OpenedSession(
        session_id=session_id,
        resume_id=resume_id,
        room_name=room_name,
        candidate_name=candidate_name,
        language=language or "en",
        reused=reused,
        expires_at=created + pending_window if status == "created" else None,
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
    session: Session, resume_id: int, *, max_live: int, pending_window: timedelta,
    heartbeat_timeout: timedelta = DEFAULT_HEARTBEAT_TIMEOUT,
) -> OpenedSession:
    """Return the resume's live session, or open one; refuses what the readiness rule refuses."""
    # The row lock serialises concurrent requests for one resume on PostgreSQL; SQLite's
    # BEGIN IMMEDIATE does the same; the partial unique index is the last guard.
    resume = get_resume(session, resume_id, for_update=True)
    live = live_session(session, resume_id, pending_window=pending_window, heartbeat_timeout=heartbeat_timeout)
    error = refusal(resume_state(resume, live), allow_running=True)
    if error:
        raise error
    if live is not None:
        return _opened(resume, live, reused=True, pending_window=pending_window)
    lock_session_slots(session)
    now = utcnow()
    # Stale sessions give back their slots, and this resume's stale one its place in the unique index.
    expire_stale(session, now=now, pending_window=pending_window, heartbeat_timeout=heartbeat_timeout)
    if count_live_sessions(session, pending_window=pending_window, now=now,
                           heartbeat_timeout=heartbeat_timeout) >= max_live:
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
    return _opened(resume, live, reused=False, pending_window=pending_window)
