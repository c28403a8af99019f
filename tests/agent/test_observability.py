"""The agent's Prometheus metrics: filled by a real interview, served on a port of their own."""

from __future__ import annotations

import urllib.request

from hrlab.agent.candidate import Reply
from hrlab.agent.observability import AgentMetrics
from hrlab.agent.worker import WorkerOptions, build_server
from hrlab.config import load_settings
from hrlab.devserver.testing import free_port
from hrlab.domain.plan import Budget
from tests.agent.conftest import run_scripted
from tests.agent.fakes import tone_answer
from tests.agent.test_flow import LAST

LONG = "I built REST APIs with Python and Django for online shops and payment services over five years"


def sample(metrics: AgentMetrics, name: str, **labels) -> float:
    value = metrics.registry.get_sample_value(name, labels or None)
    return 0.0 if value is None else value


async def test_an_interview_fills_the_metrics_and_they_are_served():
    metrics = AgentMetrics()
    await run_scripted([Reply(tone_answer(0.5)), Reply(tone_answer(0.4))], transcripts=[LONG, LAST],
                       completions=["Which Django project are you proudest of?"], budget=Budget(max_questions=2),
                       metrics=metrics)
    assert sample(metrics, "hrlab_agent_interviews_started_total") == 1
    assert sample(metrics, "hrlab_agent_interviews_finished_total", end_reason="question_limit") == 1
    assert sample(metrics, "hrlab_agent_active_interviews") == 0
    assert sample(metrics, "hrlab_agent_stage_latency_seconds_count", stage="llm") == 1
    assert sample(metrics, "hrlab_agent_stage_latency_seconds_count", stage="tts_first_audio") == 3
    assert sample(metrics, "hrlab_agent_stage_latency_seconds_count", stage="end_of_turn") >= 1  # where reported
    assert sample(metrics, "hrlab_agent_interview_duration_seconds_count") == 1
    assert metrics.completion_rate() == 1.0
    port = free_port()
    server = metrics.serve(port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            body = response.read().decode()
    finally:
        server.shutdown()
    assert 'hrlab_agent_interviews_finished_total{end_reason="question_limit"} 1.0' in body
    assert "python_gc_objects_collected_total" not in body  # its own registry, not the global default


def test_worker_is_sized_by_interview_slots_not_cpu():
    settings = load_settings(agent_name="interviewer-x")
    options = WorkerOptions(max_interviews=2, idle_jobs=1)
    server = build_server(settings, options=options, registry=None, database=None, metrics=AgentMetrics())

    class Busy:
        active_jobs = [object()]

    assert server.load_fnc(Busy()) == 0.5
    Busy.active_jobs = [object(), object()]
    assert server.load_fnc(Busy()) == 1.0  # at the threshold: no more jobs offered
