"""Each turn is written as it finishes; the outcome lands in the session and resume rows (SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from hrlab.agent.assessment_queue import AssessmentQueue
from hrlab.agent.candidate import Reply
from hrlab.agent.conductor import Conductor
from hrlab.agent.messages import MemoryMessages
from hrlab.agent.options import InterviewOptions
from hrlab.agent.recorder import AssessmentRequest, DatabaseRecorder
from hrlab.domain.plan import Budget
from hrlab.errors import Conflict, NotFound
from hrlab.store import assessment_jobs, interviews
from hrlab.store.models import InterviewSession, InterviewTurn, Resume
from hrlab.store.resumes import add_parsed
from hrlab.store.sessions import open_or_reuse
from tests.agent.conftest import RESUME, make_machine, run_scripted
from tests.agent.fakes import tone_answer

LONG = "I worked five years as a backend developer building REST APIs with Python and Django for online shops"


def open_session(database) -> tuple[int, int]:
    with database.session(write=True) as s:
        resume = add_parsed(s, RESUME, source_name="anna.txt")
        opened = open_or_reuse(s, resume.id, max_live=5, pending_window=timedelta(minutes=10))
        return resume.id, opened.session_id


async def test_turns_outcome_and_resume_are_written(database):
    resume_id, session_id = open_session(database)
    with database.session() as s:
        target = interviews.load_target(s, session_id=session_id, resume_id=resume_id)
    assert (target.language, target.status, target.resume.skills[0]) == ("en", "created", "Python")
    recorder = DatabaseRecorder(database, session_id, assessment=AssessmentRequest(llm="scripted"))
    machine = make_machine(budget=Budget(max_questions=2), resume_id=resume_id)
    run, _ = await run_scripted([Reply(tone_answer(0.5)), Reply(tone_answer(0.4))], transcripts=[LONG, "Mostly Django"],
                                completions=["Which Django project are you proudest of?"], recorder=recorder,
                                machine=machine)
    assert recorder.failures == 0
    with database.session() as s:
        row = s.get(InterviewSession, session_id)
        turns = s.scalars(select(InterviewTurn).where(InterviewTurn.session_id == session_id)
                          .order_by(InterviewTurn.seq)).all()
        resume = s.get(Resume, resume_id)
        assert (row.status, row.end_reason, row.language) == ("completed", "question_limit", "en")
        assert row.started_at is not None and row.completed_at >= row.started_at
        assert resume.interview_completed_at == row.completed_at
        assert row.transcript == run.result.transcript and "Candidate: Mostly Django" in row.transcript
        # The outcome is committed at once; the assessment is a queued job, run outside the interview.
        assert row.ai_feedback is None and assessment_jobs.status_of(s, session_id) == "pending"
        speakers = [(t.seq, t.speaker) for t in turns]
    assert await AssessmentQueue(database, lambda _llm: None).run_pending() == 1
    with database.session() as s:
        feedback = json.loads(s.get(InterviewSession, session_id).ai_feedback)
        assert assessment_jobs.status_of(s, session_id) == "done"
    assert feedback["source"] == "fallback" and feedback["recommendation"] == "hold"
    assert {c["name"] for c in feedback["competencies"]} >= {"Python", "Django"}
    assert speakers == [(1, "ai"), (2, "candidate"), (3, "ai"), (4, "candidate"), (5, "ai")]
    ai = [t for t in turns if t.speaker == "ai"]
    assert all(t.tts_ms is not None and t.tts_ms >= 0 for t in ai)
    assert ai[1].llm_ms is not None and ai[0].llm_ms is None  # the opening is scripted
    assert all(t.started_at <= t.ended_at for t in turns)
    assert [t.text for t in turns if t.speaker == "candidate"] == [LONG, "Mostly Django"]


async def test_disconnect_ends_without_closing_line_and_leaves_the_resume_open(database):
    resume_id, session_id = open_session(database)
    recorder = DatabaseRecorder(database, session_id)
    machine = make_machine(resume_id=resume_id)
    messages = MemoryMessages()
    conductor = Conductor(machine=machine, completer=None, sender=messages, recorder=recorder,
                          options=InterviewOptions(disconnect_grace=0.05))
    await recorder.started(at=1_800_000_000.0, language="en")
    conductor.candidate_left()
    result = await conductor.done
    await conductor.aclose()
    assert result.end_reason == "disconnected" and result.status == "ended"
    assert conductor.spoken == []  # nobody is there to hear a goodbye
    assert [m.message.to_json() for m in messages.sent] == [
        {"type": "interview_complete", "summary": "Interview ended: the candidate disconnected"}]
    with database.session() as s:
        assert s.get(InterviewSession, session_id).status == "ended"
        assert s.get(Resume, resume_id).interview_completed_at is None


async def test_candidate_returning_within_grace_keeps_the_interview(database):
    _, session_id = open_session(database)
    conductor = Conductor(machine=make_machine(), completer=None, sender=MemoryMessages(),
                          options=InterviewOptions(disconnect_grace=0.2))
    conductor.candidate_left()
    conductor.candidate_returned()
    await asyncio.sleep(0.3)
    assert not conductor.done.done()
    await conductor.aclose()


def test_load_target_refuses_mismatches(database):
    resume_id, session_id = open_session(database)
    with database.session() as s:
        with pytest.raises(NotFound, match="Interview session 999 not found"):
            interviews.load_target(s, session_id=999, resume_id=resume_id)
        with pytest.raises(Conflict, match="belongs to resume"):
            interviews.load_target(s, session_id=session_id, resume_id=resume_id + 1)
    with database.session(write=True) as s:
        interviews.finish(s, session_id, end_reason="error", transcript="", completed_at=1.8e9)
    with database.session() as s:
        with pytest.raises(Conflict, match="already ended"):
            interviews.load_target(s, session_id=session_id, resume_id=resume_id)
