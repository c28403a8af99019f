"""The assessment queue: durable jobs, retries with the reason kept, leases a dead worker gives up, yielding
to live interviews (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from hrlab.agent.assessment_queue import AssessmentQueue, QueueOptions, load_inputs
from hrlab.store import assessment_jobs, interviews
from hrlab.store.interviews import TurnRecord
from hrlab.store.models import AssessmentJob, InterviewSession
from tests.agent.fakes import ScriptedCompleter
from tests.agent.test_persistence import open_session

ANSWER = "I built the order service in Django and moved its reports to PostgreSQL views."


def finished_interview(database, *, llm: str = "scripted") -> int:
    """A stored interview that ended: transcript committed, assessment queued."""
    _, session_id = open_session(database)
    with database.session(write=True) as s:
        interviews.mark_running(s, session_id, started_at=time.time(), language="en")
        interviews.add_turn(s, session_id, TurnRecord("ai", "Tell me about Django.", started_at=time.time(),
                                                      ended_at=time.time()))
        interviews.add_turn(s, session_id, TurnRecord("candidate", ANSWER, started_at=time.time(),
                                                      ended_at=time.time()))
        interviews.finish(s, session_id, end_reason="question_limit", transcript=f"Candidate: {ANSWER}",
                          completed_at=time.time())
        assessment_jobs.enqueue(s, session_id, llm=llm, prompts="default")
    return session_id


def job_row(database, session_id: int) -> AssessmentJob:
    with database.session() as s:
        job = s.query(AssessmentJob).filter_by(session_id=session_id).one()
        s.expunge(job)
        return job


def feedback(database, session_id: int) -> dict | None:
    with database.session() as s:
        body = s.get(InterviewSession, session_id).ai_feedback
    return None if body is None else json.loads(body)


async def test_a_model_answer_with_verified_quotes_is_stored(database):
    session_id = finished_interview(database)
    # Django, PostgreSQL (the answer names both): a score each; communication: a verdict on the one answer;
    # problem solving: the one answer's score, beside its question.
    score = json.dumps({"quote": 1, "score": 4})
    completer = ScriptedCompleter([score, score, json.dumps({"1": "specific"}), score])
    asked = []
    queue = AssessmentQueue(database, lambda llm: asked.append(llm) or completer)
    assert await queue.run_pending() == 1
    body = feedback(database, session_id)
    assert body["source"] == "llm" and body["recommendation"] == "hold"  # Python was never shown
    assert [c["score"] for c in body["competencies"] if c["name"] == "Django"] == [4]
    assert [c["evidence"] for c in body["competencies"] if c["name"] == "Django"] == [[ANSWER]]
    assert asked == ["scripted"] and ANSWER in completer.prompts[0] and len(completer.prompts) == 4
    job = job_row(database, session_id)
    assert (job.status, job.attempts, job.source, job.error) == ("done", 1, "llm", None)


def test_the_stored_interview_is_read_with_the_question_each_answer_answered(database):
    _, session_id = open_session(database)
    lines = [("ai", "Tell me about your work with Python.", "question:llm:next_topic"),
             ("candidate", "I wrote the loaders for twenty sources.", None),
             ("ai", "Could you say a little more?", "reprompt:script:reask"),
             ("candidate", "They share one test suite and typed configs.", None)]
    with database.session(write=True) as s:
        interviews.mark_running(s, session_id, started_at=time.time(), language="en")
        for speaker, text, kind in lines:
            interviews.add_turn(s, session_id, TurnRecord(speaker, text, started_at=time.time(),
                                                          ended_at=time.time(), kind=kind))
    inputs = load_inputs(database, session_id, prompts="default")
    assert inputs.candidate_texts == (lines[1][1], lines[3][1])
    assert inputs.questions == (lines[0][1], lines[0][1])  # a re-prompt asks nothing new


async def test_failures_are_retried_then_marked_failed_with_the_reason_and_nothing_else_lost(database):
    session_id = finished_interview(database, llm="openai/none")

    def no_model(llm: str):
        raise RuntimeError(f"cannot build {llm}: OPENAI_API_KEY is not set")

    queue = AssessmentQueue(database, no_model)
    assert await queue.run_pending() == 0
    job = job_row(database, session_id)
    assert (job.status, job.attempts) == ("failed", assessment_jobs.MAX_ATTEMPTS)
    assert "OPENAI_API_KEY is not set" in job.error
    with database.session() as s:
        row = s.get(InterviewSession, session_id)
        assert (row.status, row.ai_feedback) == ("completed", None) and ANSWER in row.transcript
    with database.session(write=True) as s:  # `hrlab assess SESSION_ID`: run it again
        assessment_jobs.requeue(s, session_id)
    assert await AssessmentQueue(database, lambda _llm: None).run_pending() == 1
    assert feedback(database, session_id)["source"] == "fallback"


async def test_a_dead_workers_job_is_taken_again_when_its_lease_runs_out(database):
    session_id = finished_interview(database)
    with database.session(write=True) as s:  # a worker claims it, then dies without a word
        assert assessment_jobs.claim(s, lease_seconds=0.2).session_id == session_id
    with database.session(write=True) as s:
        assert assessment_jobs.claim(s, lease_seconds=30) is None  # the lease still holds
    await asyncio.sleep(0.4)
    assert await AssessmentQueue(database, lambda _llm: None).run_pending() == 1
    job = job_row(database, session_id)
    assert (job.status, job.attempts) == ("done", 2)


async def test_serving_yields_to_a_live_interview_and_finishes_later(database):
    session_id = finished_interview(database)
    live = {"interviews": 0}
    completer = ScriptedCompleter([5.0])  # a slow model: still decoding when the interview starts
    queue = AssessmentQueue(database, lambda _llm: completer, busy=lambda: live["interviews"] > 0,
                            options=QueueOptions(poll=0.05, timeout=30))
    stop = asyncio.Event()
    serving = asyncio.ensure_future(queue.serve(stop))
    await _until(lambda: job_row(database, session_id).status == "running")
    live["interviews"] = 1
    await _until(lambda: job_row(database, session_id).status == "pending")
    assert job_row(database, session_id).attempts == 0  # handing back is not a failed attempt
    await asyncio.sleep(0.3)
    assert job_row(database, session_id).status == "pending"  # nothing runs while the interview is live
    completer.script = ["not json"]
    live["interviews"] = 0
    await _until(lambda: job_row(database, session_id).status == "done")
    stop.set()
    await serving
    assert feedback(database, session_id)["source"] == "fallback"


def test_requeue_names_what_is_missing(database):
    _, session_id = open_session(database)
    with database.session(write=True) as s:
        with pytest.raises(Exception, match="has no assessment job"):
            assessment_jobs.requeue(s, session_id)
        with pytest.raises(Exception, match="Interview session 9999 not found"):
            assessment_jobs.requeue(s, 9999)


async def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)
