"""Each live run's assessment, from the operational database into the run log once the batch ends.

The agent assesses after the interview, from a queue (hrlab/agent/assessment_queue.py), so a run is
over before its assessment. After the batch the runner waits a while, then records per run
`assessment_done` (0 while pending or failed: a state, not a run error) and, only for a done
assessment, what it says: which model wrote it (LLM or the evidence-only fallback), how long it took,
the share of competencies scored and the share of quotes found verbatim in what the agent heard;
the assessment itself goes in as an `assessment` event.
`hrlab eval` so reports assessment figures only for runs whose assessment is done; with
`--refresh-assessments` it records them again first, e.g. after `hrlab assess --pending` finished the rest.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import select

from hrlab.domain.assessment import normal_words
from hrlab.errors import InvalidInput
from hrlab.lab.paths import work_database_file
from hrlab.store.db import Database
from hrlab.store.models import AssessmentJob, InterviewSession, InterviewTurn

log = logging.getLogger(__name__)

SESSION_EVENT = "session_opened"  # run log event naming a run's interview session (payload {"sessionId"})
ASSESSMENT_EVENT = "assessment"  # run log event holding a done assessment (the dashboard's Annotate view)
PREFIX = "assessment_"  # metrics that come from the database, not from the run's trace (store.py keeps them)


def assessment_figures(database: Database, session_id: int) -> tuple[dict[str, float], str | None]:
    """The session's assessment figures and its stored JSON; only `assessment_done` (0), and no JSON,
    while it is not done."""
    with database.session() as session:
        job = session.scalars(select(AssessmentJob).where(AssessmentJob.session_id == session_id)).first()
        row = session.get(InterviewSession, session_id)
        if job is None or job.status != "done" or row is None or not row.ai_feedback:
            return {"assessment_done": 0.0}, None
        heard = list(session.scalars(select(InterviewTurn.text).where(
            InterviewTurn.session_id == session_id, InterviewTurn.speaker == "candidate")))
        stored, seconds, llm = row.ai_feedback, job.seconds, job.source == "llm"
    competencies = json.loads(stored).get("competencies") or []
    quotes = [quote for item in competencies for quote in item.get("evidence") or []]
    said = " | ".join(normal_words(text or "") for text in heard)  # as the guard does: no quote spans two turns
    figures = {
        "assessment_done": 1.0,
        "assessment_llm": float(llm),
        "assessment_scored_share": (sum(item.get("score") is not None for item in competencies) / len(competencies)
                                    if competencies else 0.0),
    }
    if seconds is not None:
        figures["assessment_s"] = seconds
    if quotes:
        figures["assessment_quotes_verbatim"] = sum(normal_words(q) in said for q in quotes) / len(quotes)
    return figures, stored


def record_assessments(runlog, database: Database) -> tuple[int, int]:
    """Write the assessment figures of every run that names a session; returns (done, runs naming a session)."""
    rows = runlog.execute("SELECT run_id, payload FROM events WHERE type = ?", [SESSION_EVENT])
    done = 0
    for run_id, payload in rows:
        figures, stored = assessment_figures(database, int(json.loads(payload)["sessionId"]))
        runlog.execute("DELETE FROM metrics WHERE run_id = ? AND starts_with(name, ?)", [run_id, PREFIX])
        for name, value in figures.items():
            runlog.execute("INSERT INTO metrics (run_id, seq, name, value) VALUES (?, NULL, ?, ?)",
                           [run_id, name, value])
        if stored is not None:  # the assessment itself, for HR to rate in the dashboard
            runlog.execute("DELETE FROM events WHERE run_id = ? AND type = ?", [run_id, ASSESSMENT_EVENT])
            runlog.execute("INSERT INTO events (run_id, t_s, direction, type, payload) VALUES (?, ?, 'local', ?, ?)",
                           [run_id, 0.0, ASSESSMENT_EVENT, stored])
        done += figures["assessment_done"] == 1.0
    log.info("assessments recorded: %d of %d runs done", done, len(rows))
    return done, len(rows)


def refresh_assessments(runlog_path: Path) -> tuple[int, int]:
    """Record the assessments again from the database of the live batch that wrote `runlog_path` (in its work
    folder, `work_dir_for`); returns (done, runs naming a session)."""
    from hrlab.lab.batch import work_dir_for
    from hrlab.lab.store import RunLog

    database_file = work_database_file(work_dir_for(runlog_path))
    if not database_file.is_file():
        raise InvalidInput(f"{database_file}: no batch database beside run log {runlog_path}; only a live batch "
                           "(`hrlab run` with the devserver or livekit transport) keeps one")
    database = Database(f"sqlite:///{database_file}")
    try:
        with RunLog(runlog_path) as runlog:
            return record_assessments(runlog, database)
    finally:
        database.dispose()
