"""The interview agent's writes: load what an interview needs, mark it running, add turns, finish it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hrlab.domain.resume import ParsedResume
from hrlab.errors import Conflict, NotFound
from hrlab.store.models import InterviewSession, InterviewTurn, Resume
from hrlab.store.resumes import as_parsed, get_resume

# End reasons after which the interview counts as done for the resume (no second interview);
# a dropped connection or a technical failure leaves the resume free to try again.
FINAL_END_REASONS = ("completed", "question_limit", "time_limit", "candidate_ended")


@dataclass(frozen=True)
class InterviewTarget:
    """What the agent needs to run one interview."""

    session_id: int
    resume_id: int
    resume: ParsedResume
    language: str
    variant: str
    status: str


@dataclass(frozen=True)
class TurnRecord:
    """One spoken turn as the agent writes it."""

    speaker: str
    text: str
    started_at: float  # epoch seconds
    ended_at: float | None
    stt_ms: float | None = None
    llm_ms: float | None = None
    tts_ms: float | None = None
    kind: str | None = None  # an AI line's label (domain/turn_kinds.py); None for the candidate


def _when(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=timezone.utc)


def load_target(session: Session, *, session_id: int, resume_id: int) -> InterviewTarget:
    """The interview session and its resume; NotFound or Conflict say what does not match."""
    row = session.get(InterviewSession, session_id)
    if row is None:
        raise NotFound(f"Interview session {session_id} not found")
    if row.resume_id != resume_id:
        raise Conflict(f"Interview session {session_id} belongs to resume {row.resume_id}, not {resume_id}")
    if row.status not in ("created", "running"):
        raise Conflict(f"Interview session {session_id} is already {row.status}")
    resume = get_resume(session, resume_id)
    parsed = as_parsed(resume)
    return InterviewTarget(session_id=row.id, resume_id=resume.id, resume=parsed,
                           language=row.language or parsed.language, variant=row.variant or "default",
                           status=row.status)


def open_rehearsal(session: Session, *, resume_id: int, language: str, variant: str, now: float) -> int:
    """Create a session row for an in-process rehearsal (no token, no room) and return its id."""
    resume = get_resume(session, resume_id)
    row = InterviewSession(resume_id=resume.id, room_name=f"rehearsal_{resume.id}_{int(now * 1000)}",
                           status="created", language=language, variant=variant)
    session.add(row)
    session.flush()
    return row.id


def mark_running(session: Session, session_id: int, *, started_at: float, language: str) -> None:
    """The interview started: status running, started_at, the language in use."""
    row = _session_row(session, session_id)
    if row.status not in ("created", "running"):
        raise Conflict(f"Interview session {session_id} is already {row.status}")
    row.status = "running"
    row.started_at = row.started_at or _when(started_at)
    row.heartbeat_at = _when(started_at)
    row.language = language


def record_heartbeat(session: Session, session_id: int, *, at: float) -> bool:
    """The agent is alive and the interview still runs; False when the session is no longer running."""
    result = session.execute(
        update(InterviewSession)
        .where(InterviewSession.id == session_id, InterviewSession.status == "running")
        .values(heartbeat_at=_when(at))
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def add_turn(session: Session, session_id: int, turn: TurnRecord) -> int:
    """Append one turn with the next sequence number; returns that number."""
    last = session.scalar(select(func.max(InterviewTurn.seq)).where(InterviewTurn.session_id == session_id))
    seq = (last or 0) + 1
    session.add(InterviewTurn(
        session_id=session_id, seq=seq, speaker=turn.speaker, text=turn.text,
        started_at=_when(turn.started_at), ended_at=_when(turn.ended_at),
        stt_ms=turn.stt_ms, llm_ms=turn.llm_ms, tts_ms=turn.tts_ms, kind=turn.kind,
    ))
    session.flush()
    return seq


def finish(
    session: Session, session_id: int, *, end_reason: str, transcript: str, completed_at: float,
) -> str:
    """Store the outcome; a final end reason also marks the resume's interview completed. Returns the status.

    The assessment comes later, from its job (assessment_jobs.complete writes `ai_feedback`).
    """
    row = _session_row(session, session_id)
    final = end_reason in FINAL_END_REASONS
    row.status = "completed" if final else "ended"
    row.end_reason = end_reason
    row.transcript = transcript
    row.completed_at = _when(completed_at)
    if final:
        resume = session.get(Resume, row.resume_id)
        if resume is not None:
            resume.interview_completed_at = _when(completed_at)
    return row.status


def _session_row(session: Session, session_id: int) -> InterviewSession:
    row = session.get(InterviewSession, session_id)
    if row is None:
        raise NotFound(f"Interview session {session_id} not found")
    return row
