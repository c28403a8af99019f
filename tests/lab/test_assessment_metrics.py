"""Assessments reach the run log after the batch: a done one with its figures, a pending one as a state."""

from __future__ import annotations

import json

from hrlab.agent.assessment_queue import AssessmentQueue
from hrlab.lab.assessment_metrics import SESSION_EVENT, record_assessments
from hrlab.lab.evals import metric_rows
from hrlab.lab.store import RunLog
from tests.agent.fakes import ScriptedCompleter
from tests.agent.test_assessment_queue import feedback, finished_interview


def _run(runlog: RunLog, scenario: str, session_id: int) -> str:
    recorder = runlog.start_run(suite="s", scenario=scenario, variant="default", transport="livekit")
    recorder.add_event(t_s=0.0, direction="local", type=SESSION_EVENT, payload={"sessionId": session_id})
    recorder.add_metric("latency_s", 1.5, seq=1)
    recorder.finish_ok()
    return recorder.run_id


async def test_done_assessments_give_figures_and_pending_ones_only_their_state(database, tmp_path):
    done_session = finished_interview(database)
    # The model's short answers: Django and PostgreSQL (the answer names both), communication, problem solving
    # (beside its question).
    answers = [json.dumps(body) for body in ({"quote": 1, "score": 4}, {"quote": 1, "score": 3}, {"1": "specific"},
                                             {"quote": 1, "score": 2})]
    assert await AssessmentQueue(database, lambda llm: ScriptedCompleter(answers)).run_pending() == 1
    pending_session = finished_interview(database)  # queued after the worker stopped: still pending
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        done_run, pending_run = _run(runlog, "a", done_session), _run(runlog, "b", pending_session)
        assert record_assessments(runlog, database) == 1
        assert record_assessments(runlog, database) == 1  # again: replaced, not doubled
        runlog.recompute_metrics()  # the trace-derived metrics are redone; the assessment's stay
        values = metric_rows(runlog.frame("runs"), runlog.frame("metrics"), runlog.frame("turns"))
        events = runlog.frame("events")
    logged = events[events["type"] == "assessment"]
    assert list(logged["run_id"]) == [done_run]  # once, though recorded twice
    assert json.loads(logged.iloc[0]["payload"]) == feedback(database, done_session)
    assert len(values[values["name"].str.startswith("assessment_")]) == 6  # 5 for the done run, 1 for the other
    figures = {(row.run_id, row.name): row.value for row in values.itertuples()}
    assert figures[(done_run, "assessment_done")] == 1.0
    assert figures[(done_run, "assessment_llm")] == 1.0
    stored = feedback(database, done_session)["competencies"]
    scored = sum(c["score"] is not None for c in stored)
    assert scored == 4 and figures[(done_run, "assessment_scored_share")] == scored / len(stored)
    assert figures[(done_run, "assessment_quotes_verbatim")] == 1.0
    assert figures[(done_run, "assessment_s")] >= 0.0
    assert figures[(pending_run, "assessment_done")] == 0.0
    assert not [name for run, name in figures if run == pending_run and name.startswith("assessment_")
                and name != "assessment_done"]
