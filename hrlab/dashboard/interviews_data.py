"""What the Interviews view reads and writes in the operational database (through hrlab.store)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import pandas as pd
from sqlalchemy import select

from hrlab.store import reviews
from hrlab.store.db import Database
from hrlab.store.models import HumanReview, InterviewSession, InterviewTurn, Resume

LIST_LIMIT = 500  # rows shown; filters narrow the rest
ANY = "any"
LIST_COLUMNS = ["session", "created", "candidate", "resume", "language", "status", "end reason",
                "AI recommendation", "human decision", "reviewer"]


@dataclass(frozen=True)
class InterviewFilters:
    date_from: date | None = None
    date_to: date | None = None
    status: str = ANY
    resume: str = ""  # resume id, or part of the candidate's name or file name
    language: str = ANY
    recommendation: str = ANY
    reviewed: str = ANY  # any, "needs decision", "decided"


def _feedback(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:  # an unreadable assessment is shown as missing, not a crash
        return {}
    return value if isinstance(value, dict) else {}


def _query(filters: InterviewFilters):
    latest = reviews.latest_review_ids()
    query = (select(InterviewSession.id, InterviewSession.created_at, Resume.candidate_name, Resume.id,
                    Resume.source_name, InterviewSession.language, InterviewSession.status,
                    InterviewSession.end_reason, InterviewSession.ai_feedback, HumanReview.decision,
                    HumanReview.reviewer)
             .join(Resume, Resume.id == InterviewSession.resume_id)
             .outerjoin(latest, latest.c.session_id == InterviewSession.id)
             .outerjoin(HumanReview, HumanReview.id == latest.c.review_id)
             .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc()))
    if filters.date_from:
        query = query.where(InterviewSession.created_at >= datetime.combine(filters.date_from, time.min, timezone.utc))
    if filters.date_to:
        query = query.where(InterviewSession.created_at <= datetime.combine(filters.date_to, time.max, timezone.utc))
    if filters.status != ANY:
        query = query.where(InterviewSession.status == filters.status)
    if filters.language != ANY:
        query = query.where(InterviewSession.language == filters.language)
    if filters.recommendation != ANY:  # narrows in SQL; the exact check reads the JSON (list_interviews)
        query = query.where(InterviewSession.ai_feedback.contains(filters.recommendation))
    if filters.reviewed == "needs decision":
        query = query.where(HumanReview.id.is_(None))
    elif filters.reviewed == "decided":
        query = query.where(HumanReview.id.is_not(None))
    text = filters.resume.strip()
    if text.isdigit():
        query = query.where(Resume.id == int(text))
    elif text:
        pattern = f"%{text}%"
        query = query.where(Resume.candidate_name.ilike(pattern) | Resume.source_name.ilike(pattern))
    # Streamed, so a filter that Python finishes (the recommendation) stops reading at LIST_LIMIT rows.
    return query.execution_options(yield_per=LIST_LIMIT)


def list_interviews(database: Database, filters: InterviewFilters = InterviewFilters()) -> pd.DataFrame:
    """Interviews, newest first, with the AI's recommendation and the human decision (blank: none yet)."""
    rows = []
    with database.session() as session:
        for sid, created, name, rid, source, language, status, end_reason, feedback, decision, reviewer \
                in session.execute(_query(filters)):
            recommendation = _feedback(feedback).get("recommendation") or ""
            if filters.recommendation != ANY and recommendation != filters.recommendation:
                continue
            rows.append([sid, _stamp(created), name or "", f"{rid} {source or ''}".strip(), language or "", status,
                         end_reason or "", recommendation, decision or "NEEDS DECISION", reviewer or ""])
            if len(rows) >= LIST_LIMIT:
                break
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def filter_choices(database: Database) -> dict[str, list[str]]:
    """The statuses and languages present, for the filter dropdowns."""
    with database.session() as session:
        statuses = session.scalars(select(InterviewSession.status).distinct()).all()
        languages = session.scalars(select(InterviewSession.language).distinct()).all()
    return {"status": [ANY, *sorted(s for s in statuses if s)], "language": [ANY, *sorted(x for x in languages if x)]}


@dataclass(frozen=True)
class InterviewDetail:
    session_id: int
    header: dict
    turns: pd.DataFrame
    assessment: dict
    reviews: pd.DataFrame


def interview_detail(database: Database, session_id: int) -> InterviewDetail | None:
    """One interview: header facts, transcript with times and speakers, assessment, review history."""
    with database.session() as session:
        interview = session.get(InterviewSession, session_id)
        if interview is None:
            return None
        resume = session.get(Resume, interview.resume_id)
        turns = session.scalars(select(InterviewTurn).where(InterviewTurn.session_id == session_id)
                                .order_by(InterviewTurn.seq)).all()
        history = reviews.reviews_for(session, session_id)
        header = {"session": interview.id, "candidate": resume.candidate_name, "resume": resume.id,
                  "status": interview.status, "end reason": interview.end_reason or "",
                  "language": interview.language, "variant": interview.variant,
                  "started": _stamp(interview.started_at), "completed": _stamp(interview.completed_at)}
        start = interview.started_at or (turns[0].started_at if turns else None)
        turn_rows = [[t.seq, _offset(t.started_at, start), t.speaker, t.text] for t in turns]
        review_rows = [[_stamp(r.created_at), r.reviewer, r.decision, r.notes] for r in history]
        return InterviewDetail(
            session_id=session_id, header=header,
            turns=pd.DataFrame(turn_rows, columns=["#", "time", "speaker", "text"]),
            assessment=_feedback(interview.ai_feedback),
            reviews=pd.DataFrame(review_rows, columns=["time", "reviewer", "decision", "notes"]))


def save_review(database: Database, session_id: int, *, decision: str, reviewer: str, notes: str) -> None:
    """Store the decision (hrlab.store.reviews validates it)."""
    with database.session(write=True) as session:
        reviews.add_review(session, session_id, decision=decision, reviewer=reviewer, notes=notes)


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _offset(value: datetime | None, start: datetime | None) -> str:
    if value is None or start is None:
        return ""
    if (value.tzinfo is None) != (start.tzinfo is None):  # SQLite returns naive UTC times
        value, start = value.replace(tzinfo=None), start.replace(tzinfo=None)
    seconds = (value - start).total_seconds()
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"
