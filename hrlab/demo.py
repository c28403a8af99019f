"""`make demo`: the product path on embedded defaults, over real HTTP and a real database."""

from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path
from typing import Callable

import httpx
from livekit import api

from hrlab.api import create_app
from hrlab.api.auth import issue_invite
from hrlab.api.serving import serving
from hrlab.config import DATA_DIR, Settings, load_settings
from hrlab.resume_import import import_resume_file
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade

SAMPLES = ("resume_en.md", "resume_ru.txt")


def demo_settings(data_dir: Path = DATA_DIR) -> Settings:
    """Embedded defaults with a fresh demo database file."""
    db_file = data_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    return load_settings(database_url=f"sqlite:///{db_file}")


def run_demo(*, echo: Callable[[str], None] = print, data_dir: Path = DATA_DIR) -> dict:
    """The API part, then interviews in live rooms (the smoke suite) and the variants compared."""
    results = run_api_demo(echo=echo, data_dir=data_dir)
    results["suite"] = run_suite_demo(echo=echo, data_dir=data_dir)
    return results


def run_suite_demo(*, echo: Callable[[str], None], data_dir: Path, suite: str = "smoke") -> int:
    """Play a small suite through live rooms (devserver, agent, simulated candidates) and compare."""
    import asyncio
    import os

    from hrlab.lab.batch import run_suite, work_dir_for
    from hrlab.lab.evals import evaluate
    from hrlab.lab.paths import work_database_file
    from hrlab.lab.suite import suite_path

    runlog = data_dir / "lab" / "demo-runs.duckdb"
    database_file = work_database_file(work_dir_for(runlog))
    for leftover in (runlog, Path(f"{runlog}.wal"), *(Path(f"{database_file}{s}") for s in ("", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    transport = "livekit" if os.environ.get("LIVEKIT_URL") else "devserver"
    echo(f"\nsuite {suite!r}: interviews in live rooms ({transport}), run log {runlog}")
    result = asyncio.run(run_suite(suite, out=runlog, transport=transport))
    echo(f"runs: {len(result.ok)} ok, {len(result.error)} failed")
    _print_first_dialogue(runlog, echo)
    eval_command = f"hrlab eval {suite_path(suite)} --runs {runlog} --refresh-assessments"
    _print_assessments(database_file, echo, eval_command=eval_command)
    report = evaluate(runlog, suite)
    echo(report.table())
    echo(dashboard_hint(runlog, database_file))
    return len(result.error)


def dashboard_hint(runlog: Path, database_file: Path) -> str:
    """How to open the dashboard on what the demo recorded (runs, and the interviews behind them)."""
    return (f"\nto review these interviews and runs in the dashboard (local trial, no login; set "
            f"HRLAB_DASHBOARD_USERS and drop --dev for real use):\n"
            f"  .venv/bin/hrlab dashboard --dev --runs {runlog} --db sqlite:///{database_file}\n"
            f"  then open http://127.0.0.1:7860/")


def _print_first_dialogue(runlog: Path, echo) -> None:
    from hrlab.lab.store import load

    turns = load(runlog, "turns")
    if turns.empty:
        return
    first = turns[turns["run_id"] == turns["run_id"].iloc[0]].sort_values("seq")
    echo("\none interview, as logged:")
    for row in first.itertuples():
        start = f"{row.start_s:6.1f}s" if row.start_s == row.start_s else "      "
        echo(f"  {start} {row.who:9} {row.text}")


def _print_assessments(database_file: Path, echo, *, eval_command: str) -> None:
    """How far the agent's assessment queue got, and one finished assessment; pending is a state, not a failure:
    the hint finishes the rest and compares again (`eval_command`)."""
    from sqlalchemy import select

    from hrlab.store.models import AssessmentJob, InterviewSession

    database = Database(f"sqlite:///{database_file}")
    try:
        with database.session() as session:
            jobs = session.scalars(select(AssessmentJob).order_by(AssessmentJob.session_id)).all()
            done = next((job for job in jobs if job.status == "done"), None)
            feedback = json.loads(session.get(InterviewSession, done.session_id).ai_feedback) if done else None
            counts = {status: sum(job.status == status for job in jobs) for status in ("done", "pending", "running",
                                                                                      "failed")}
    finally:
        database.dispose()
    queued = counts["pending"] + counts["running"]
    echo(f"\nassessments: {counts['done']} done, {queued} still queued, {counts['failed']} failed")
    if queued:
        echo(f"  to finish them: HRLAB_DATABASE_URL=sqlite:///{database_file} hrlab assess --pending\n"
             f"  then compare with their figures: {eval_command}")
    if feedback:
        echo(f"  session {done.session_id}: recommendation {feedback['recommendation']} ({feedback['source']}); "
             + "; ".join(f"{c['name']}: {c['score'] or 'no score'}" for c in feedback["competencies"]))


def run_api_demo(*, echo: Callable[[str], None] = print, data_dir: Path = DATA_DIR) -> dict:
    """Import the sample resumes, invite, call both endpoints; returns what it printed as data."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings = demo_settings(data_dir)
    upgrade(settings.database_url)
    database = Database(settings.database_url)
    samples = resources.files("hrlab") / "samples"
    results = {}
    with serving(create_app(settings, database=database)) as base_url, httpx.Client(base_url=base_url) as http:
        echo(f"API at {base_url}, database {settings.database_url}, auth mode {settings.auth_mode}")
        for name in SAMPLES:
            with resources.as_file(samples / name) as path:
                imported = import_resume_file(database, path)
            echo(f"\nimported {name}: resume {imported.resume_id}, status {imported.status}")
            results[name] = _interview_calls(http, settings, imported.resume_id, echo)
    database.dispose()
    return results


def _interview_calls(http: httpx.Client, settings: Settings, resume_id: int, echo) -> dict:
    unauthorized = http.get(f"/api/resume/{resume_id}/validate-interview")
    echo(f"  without invite -> {unauthorized.status_code} {unauthorized.json()['message']}")
    headers = {"Authorization": f"Bearer {issue_invite(settings, resume_id)}"}
    validate = http.get(f"/api/resume/{resume_id}/validate-interview", headers=headers)
    echo(f"  GET validate-interview -> {validate.status_code} {json.dumps(validate.json(), ensure_ascii=False)}")
    token = http.post(f"/api/interview/{resume_id}/token", headers=headers)
    body = token.json()
    echo(f"  POST token -> {token.status_code} roomName={body['roomName']} serverUrl={body['serverUrl']}")
    claims = api.TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret.get_secret_value()).verify(
        body["token"]
    )
    grants = claims.video
    (dispatch,) = claims.room_config.agents
    echo(f"  token identity={claims.identity} name={claims.name!r}")
    echo(f"  grants: room={grants.room} join={grants.room_join} publish_sources={grants.can_publish_sources} "
         f"subscribe={grants.can_subscribe} data={grants.can_publish_data}")
    echo(f"  dispatches agent {dispatch.agent_name!r} with metadata {dispatch.metadata}")
    return {"validate": validate.status_code, "token": token.status_code, "room": body["roomName"],
            "identity": claims.identity, "sources": list(grants.can_publish_sources)}
