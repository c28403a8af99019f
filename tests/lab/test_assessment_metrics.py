"""Assessments reach the run log after the batch: a done one with its figures, a pending one as a state."""

from __future__ import annotations

import json

from click.testing import CliRunner

from hrlab.agent.assessment_queue import AssessmentQueue
from hrlab.cli import main
from hrlab.lab.assessment_metrics import SESSION_EVENT, record_assessments
from hrlab.lab.batch import work_dir_for
from hrlab.lab.evals import metric_rows
from hrlab.lab.paths import evals_dir, work_database_file
from hrlab.lab.store import RunLog
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade
from tests.agent.fakes import ScriptedCompleter
from tests.agent.test_assessment_queue import feedback, finished_interview

# The model's short answers: Django and PostgreSQL (the answer names both), communication, problem solving (beside
# its question).
ANSWERS = [json.dumps(body) for body in ({"quote": 1, "score": 4}, {"quote": 1, "score": 3}, {"1": "specific"},
                                         {"quote": 1, "score": 2})]


def _run(runlog: RunLog, scenario: str, session_id: int, *, suite: str = "s") -> str:
    recorder = runlog.start_run(suite=suite, scenario=scenario, variant="default", transport="livekit")
    recorder.add_event(t_s=0.0, direction="local", type=SESSION_EVENT, payload={"sessionId": session_id})
    recorder.add_metric("latency_s", 1.5, seq=1)
    recorder.finish_ok()
    return recorder.run_id


async def test_done_assessments_give_figures_and_pending_ones_only_their_state(database, tmp_path):
    done_session = finished_interview(database)
    assert await AssessmentQueue(database, lambda llm: ScriptedCompleter(ANSWERS)).run_pending() == 1
    pending_session = finished_interview(database)  # queued after the worker stopped: still pending
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        done_run, pending_run = _run(runlog, "a", done_session), _run(runlog, "b", pending_session)
        assert record_assessments(runlog, database) == (1, 2)
        assert record_assessments(runlog, database) == (1, 2)  # again: replaced, not doubled
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


async def test_eval_refreshes_an_assessment_finished_after_the_batch(tmp_path):
    """The batch ended with an assessment queued; `hrlab assess --pending` finished it later (here: the queue it
    runs); `hrlab eval --refresh-assessments` reads it from the batch's database into the run log."""
    runlog_path = tmp_path / "runs.duckdb"
    url = f"sqlite:///{work_database_file(work_dir_for(runlog_path))}"
    work_dir_for(runlog_path).mkdir()
    upgrade(url)
    database = Database(url)
    try:
        session_id = finished_interview(database)
        with RunLog(runlog_path) as runlog:
            run_id = _run(runlog, "en_short", session_id, suite="smoke")
            assert record_assessments(runlog, database) == (0, 1)  # as the batch left it: still pending
        assert await AssessmentQueue(database, lambda llm: ScriptedCompleter(ANSWERS)).run_pending() == 1
    finally:
        database.dispose()
    suite = str(evals_dir() / "smoke.toml")
    plain = CliRunner().invoke(main, ["eval", suite, "--runs", str(runlog_path)])
    assert "assessment_llm" not in plain.output  # without the option, the run log is read as it is
    refreshed = CliRunner().invoke(main, ["eval", suite, "--runs", str(runlog_path), "--refresh-assessments"])
    assert "assessments: 1 of 1 runs done" in refreshed.output
    assert "assessment_llm" in refreshed.output
    with RunLog(runlog_path, read_only=True) as runlog:
        metrics = runlog.frame("metrics")
    done = metrics[(metrics["run_id"] == run_id) & (metrics["name"] == "assessment_done")]
    assert list(done["value"]) == [1.0]


def test_refreshing_assessments_needs_the_batch_database(tmp_path):
    runlog_path = tmp_path / "inprocess.duckdb"
    RunLog(runlog_path).close()
    result = CliRunner().invoke(main, ["eval", str(evals_dir() / "smoke.toml"), "--runs", str(runlog_path),
                                       "--refresh-assessments"])
    assert result.exit_code == 1
    expected = f"{work_database_file(work_dir_for(runlog_path))}: no batch database beside run log {runlog_path}"
    assert expected in result.output
