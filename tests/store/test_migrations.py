"""Migrations build the spec's schema and the partial unique index guards one live session per resume."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from hrlab.store.migrate import current
from hrlab.store.models import InterviewSession
from tests.api.conftest import add_resume


def test_schema_has_the_spec_columns(database):
    inspector = inspect(database.engine)
    resume_columns = {c["name"] for c in inspector.get_columns("resumes")}
    assert {"status", "interview_session_id", "interview_completed_at"} <= resume_columns
    session_columns = {c["name"] for c in inspector.get_columns("interview_sessions")}
    assert {"resume_id", "room_name", "status", "started_at", "completed_at", "transcript", "ai_feedback",
            "variant", "language", "consent_at", "end_reason"} <= session_columns
    turn_columns = {c["name"] for c in inspector.get_columns("interview_turns")}
    assert {"session_id", "seq", "speaker", "text", "started_at", "ended_at", "stt_ms", "llm_ms", "tts_ms",
            "kind"} <= turn_columns
    assert current(database.url) == "0005"


def test_one_live_session_per_resume_enforced_by_database(database):
    rid = add_resume(database)
    with database.session(write=True) as session:
        session.add(InterviewSession(resume_id=rid, room_name="a", status="completed"))
        session.add(InterviewSession(resume_id=rid, room_name="b", status="created"))
    with pytest.raises(IntegrityError):
        with database.session(write=True) as session:
            session.add(InterviewSession(resume_id=rid, room_name="c", status="running"))


def test_bad_status_rejected_by_check_constraint(database):
    rid = add_resume(database)
    with pytest.raises(IntegrityError):
        with database.session(write=True) as session:
            session.add(InterviewSession(resume_id=rid, room_name="x", status="bogus"))
