"""HR reviewers' decisions on interviews: save one, read an interview's history, which are decided."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrlab.errors import InvalidInput, NotFound
from hrlab.store.models import REVIEW_DECISIONS, HumanReview, InterviewSession

MAX_NOTES_CHARS = 10_000


def add_review(session: Session, session_id: int, *, decision: str, reviewer: str, notes: str = "") -> HumanReview:
    """Store a reviewer's decision; bad input raises InvalidInput and stores nothing."""
    if decision not in REVIEW_DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(REVIEW_DECISIONS)}, got {decision!r}")
    if not reviewer or not reviewer.strip():
        raise InvalidInput("a review needs the reviewer's name")
    if len(notes or "") > MAX_NOTES_CHARS:
        raise InvalidInput(f"notes are limited to {MAX_NOTES_CHARS} characters")
    if session.get(InterviewSession, session_id) is None:
        raise NotFound(f"Interview session {session_id} not found")
    review = HumanReview(session_id=session_id, decision=decision, reviewer=reviewer.strip(), notes=notes or "")
    session.add(review)
    session.flush()
    return review


def reviews_for(session: Session, session_id: int) -> list[HumanReview]:
    """An interview's reviews, oldest first (the last one stands)."""
    query = select(HumanReview).where(HumanReview.session_id == session_id).order_by(HumanReview.id)
    return list(session.scalars(query))


def latest_review_ids():
    """A subquery: the newest review id per interview session."""
    return select(HumanReview.session_id, func.max(HumanReview.id).label("review_id")).group_by(
        HumanReview.session_id).subquery()
