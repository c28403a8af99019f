"""A worker killed while it assesses loses nothing: the transcript is already committed and a restarted
worker finishes the assessment (real agent worker, devserver room, simulated candidate)."""

from __future__ import annotations

import asyncio
import json
import signal
import time

import pytest

from hrlab.lab.batch import LanguageVoices
from hrlab.lab.live_stack import live_stack
from hrlab.lab.runner import RunSpec, run_live
from hrlab.lab.scenario import load_scenario
from hrlab.lab.store import RunLog
from hrlab.lab.variant import load_variant, variant_path
from hrlab.store.models import AssessmentJob, InterviewSession

pytestmark = [pytest.mark.livekit, pytest.mark.slow]


@pytest.fixture
def stack(tmp_path):
    from hrlab.devserver.netns import in_private_network

    if not in_private_network():
        pytest.skip("needs a private network namespace: run via scripts/test-livekit.sh (make test does)")
    with live_stack(tmp_path / "live", assessment_wait=0) as running:
        yield running


def _job(stack) -> tuple[str, int, str | None, str | None, str | None]:
    with stack.database.session() as session:
        job = session.query(AssessmentJob).one()
        row = session.get(InterviewSession, job.session_id)
        return job.status, job.attempts, row.status, row.transcript, row.ai_feedback


async def _until(condition, *, limit: float, what: str) -> None:
    """Poll `condition`; the limit only stops a hung test, it is far above what a slow machine needs."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {limit:.0f} s")
        await asyncio.sleep(0.5)


async def test_worker_killed_during_the_assessment_loses_nothing(stack, tmp_path):
    spec = RunSpec("durability", load_scenario("scenarios/en_short.toml"), load_variant(variant_path("default")), 0)
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        run_id, status = await run_live(spec, stack=stack, runlog=runlog, voices=LanguageVoices(), out_dir=tmp_path)
        assert status == "ok", runlog.frame("runs").set_index("run_id").loc[run_id, "error"]

    await _until(lambda: _job(stack)[0] == "running", limit=120, what="the worker claiming the assessment")
    stack.worker.send_signal(signal.SIGKILL)
    stack.worker.wait()
    job_status, attempts, session_status, transcript, feedback = _job(stack)
    assert (job_status, attempts, session_status, feedback) == ("running", 1, "completed", None)
    assert "Candidate:" in transcript and "Interviewer:" in transcript  # committed before any assessment work

    await asyncio.to_thread(stack.ensure_worker)  # a new worker process, as a supervisor would start
    await _until(lambda: _job(stack)[0] == "done", limit=600, what="the restarted worker finishing the assessment")
    job_status, attempts, session_status, transcript_after, feedback = _job(stack)
    assert attempts == 2 and session_status == "completed" and transcript_after == transcript
    body = json.loads(feedback)
    assert body["recommendation"] in ("advance", "hold", "reject") and body["competencies"]
