"""The `hrlab` command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from hrlab.config import DATA_DIR, DEV_API_KEY, DEV_API_SECRET, Settings, env_names, load_settings
from hrlab.errors import ConfigError, HrlabError


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise click.ClickException(error.message) from None


def _lab_paths():
    from hrlab.lab import paths

    return paths


def _database(settings: Settings):
    from hrlab.store.db import Database

    return Database(settings.database_url)


@click.group()
def main() -> None:
    """hrlab: AI voice interviewer on LiveKit, and its research platform."""
    from hrlab.sdk_logs import quiet_expected_sdk_warnings

    quiet_expected_sdk_warnings()


@main.group()
def db() -> None:
    """Operational database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database (HRLAB_DATABASE_URL) to the newest schema."""
    from hrlab.store.migrate import current, upgrade

    settings = _settings()
    upgrade(settings.database_url)
    click.echo(f"database at revision {current(settings.database_url)}")


@main.group()
def resumes() -> None:
    """Import and list resumes."""


@resumes.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def resumes_import(files: tuple[Path, ...]) -> None:
    """Import resume files (.txt, .md, .json, .pdf); unreadable ones are stored as failed."""
    from sqlalchemy.exc import SQLAlchemyError

    from hrlab.resume_import import import_resume_file
    from hrlab.store.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url)
    database = _database(settings)
    failed = 0
    for path in files:
        try:
            result = import_resume_file(database, path)
        except (HrlabError, SQLAlchemyError) as error:  # each file succeeds or fails on its own
            failed += 1
            click.echo(f"-\tfailed\t{path}: {getattr(error, 'message', None) or error}")
            continue
        failed += result.status == "failed"
        reason = f": {result.failure_reason}" if result.failure_reason else ""
        click.echo(f"{result.resume_id}\t{result.status}\t{path}{reason}")
    if failed:
        sys.exit(1)


@resumes.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def resumes_list(as_json: bool) -> None:
    """List stored resumes, newest first."""
    from hrlab.api.serialize import resume_json
    from hrlab.store.resumes import list_resumes

    with _database(_settings()).session() as session:
        rows = [resume_json(r) for r in list_resumes(session, limit=1000)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        skills = ", ".join(row["skills"][:6])
        click.echo(f"{row['id']}\t{row['status']}\t{row['language'] or '-'}\t{row['candidateName'] or '-'}\t{skills}")


@main.command()
@click.argument("resume_id", type=click.IntRange(1, 2**31 - 1))
def invite(resume_id: int) -> None:
    """Issue a signed, expiring invite for a resume's interview."""
    from hrlab.api.auth import issue_invite
    from hrlab.store.resumes import get_resume

    settings = _settings()
    try:
        with _database(settings).session() as session:
            get_resume(session, resume_id)
    except HrlabError as error:
        raise click.ClickException(error.message) from None
    token = issue_invite(settings, resume_id)
    click.echo(f"invite (valid {settings.invite_ttl_hours} h): {token}")
    click.echo(f"interview page path: /interview/{resume_id}?invite={token}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=lambda: 2 * (os.cpu_count() or 1) + 1, type=click.IntRange(1, 64),
              help="gunicorn worker processes [default: 2 x cores + 1]")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn.")
def api(host: str, port: int, workers: int, threads: int, dev: bool) -> None:
    """Serve the interview API."""
    from hrlab.serve import run_dev_server, run_gunicorn

    settings = _settings()
    if dev:
        run_dev_server(settings, host=host, port=port)
    else:
        run_gunicorn(settings, host=host, port=port, workers=workers, threads=threads)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7880, show_default=True, type=click.IntRange(1, 65535))
@click.option("--api-key", envvar="LIVEKIT_API_KEY", default=DEV_API_KEY, show_default=True)
@click.option("--api-secret", envvar="LIVEKIT_API_SECRET", default=DEV_API_SECRET, show_default=True)
def devserver(host: str, port: int, api_key: str, api_secret: str) -> None:
    """Run the LiveKit-protocol dev server (livekit-server's dev credentials by default)."""
    from hrlab.devserver import serve

    serve(host=host, port=port, api_key=api_key, api_secret=api_secret)


@main.command("eval")
@click.argument("suite", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--runs", "runlog", default=lambda: str(_lab_paths().default_runlog_path()),
              show_default="DATA_DIR/lab/runs.duckdb, where `hrlab run` writes",
              type=click.Path(dir_okay=False, path_type=Path), help="DuckDB run log to read.")
@click.option("--export", "export_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the comparison tables to this folder.")
@click.option("--format", "export_format", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@click.option("--refresh-assessments", is_flag=True,
              help="First read each run's assessment again from the batch's database (after `hrlab assess --pending`).")
def eval_(suite: Path, runlog: Path, export_dir: Path | None, export_format: str, refresh_assessments: bool) -> None:
    """Compare a suite's variants from the run log; exits 1 when a regression gate fails."""
    from hrlab.lab.assessment_metrics import refresh_assessments as refresh
    from hrlab.lab.evals import run_eval

    if not runlog.exists():
        raise click.ClickException(f"{runlog}: no run log here; run the suite first with `hrlab run`")
    try:
        if refresh_assessments:
            done, runs = refresh(runlog)
            click.echo(f"assessments: {done} of {runs} runs done")
        sys.exit(run_eval(runlog, suite, export_dir=export_dir, export_format=export_format, echo=click.echo))
    except HrlabError as error:
        raise click.ClickException(error.message) from None


@main.command()
@click.argument("scenarios", nargs=-1)
@click.option("--suite", help="A suite name (evals/NAME.toml) or path; replaces scenario/variant arguments.")
@click.option("--variant", "variants", multiple=True, default=("default",), show_default=True,
              help="Variant name (evals/variants/NAME.toml); repeat for several.")
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(1, 1000))
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 32))
@click.option("--transport", type=click.Choice(["devserver", "livekit", "inprocess"]), default="devserver",
              show_default=True, help="devserver: started here; livekit: the server at LIVEKIT_URL; "
              "inprocess: no server, answers played to the agent in this process.")
@click.option("--speed", default=1.0, show_default=True, type=click.FloatRange(0.1, 50),
              help="inprocess only: clock speed; above 1 is faster than real time.")
@click.option("--out", default=lambda: str(_lab_paths().default_runlog_path()), show_default="DATA_DIR/lab/runs.duckdb",
              type=click.Path(dir_okay=False, path_type=Path))
@click.option("--resume", is_flag=True, help="Skip runs the run log already has (ok or error).")
@click.option("--progress-json", is_flag=True, hidden=True)
def run(scenarios, suite, variants, repeat, concurrency, transport, speed, out, resume, progress_json) -> None:
    """Play scenarios against variants in live rooms; every run goes to the DuckDB run log."""
    import asyncio

    from hrlab.lab.batch import (PROGRESS_PREFIX, BatchRequest, log_to_file, progress_json as report, run_in_process,
                                 run_suite, work_dir_for)

    if bool(suite) == bool(scenarios):
        raise click.UsageError("give either scenario names or --suite")
    log_path = work_dir_for(out) / "run.log"
    log_to_file(log_path)
    request = BatchRequest(suite=suite, scenarios=tuple(scenarios), variants=tuple(variants), repeats=repeat,
                           concurrency=concurrency)
    try:
        if progress_json:
            result = asyncio.run(run_in_process(request, out=out, transport=transport, resume=resume, progress=report))
            click.echo(PROGRESS_PREFIX + json.dumps({"done": True, "skipped": result.skipped}))
        else:
            result = asyncio.run(run_suite(request, out=out, transport=transport, resume=resume, speed=speed))
    except HrlabError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"runs: {len(result.ok)} ok, {len(result.error)} failed, {result.skipped} skipped; run log: {out}; "
               f"messages: {log_path}")
    sys.exit(1 if result.error else 0)


@main.command()
@click.argument("mode", type=click.Choice(["dev", "start"]))
@click.option("--max-interviews", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Interviews this worker runs at once.")
@click.option("--metrics-port", type=click.IntRange(1, 65535), help="Serve Prometheus /metrics on this port.")
def agent(mode: str, max_interviews: int, metrics_port: int | None) -> None:
    """Run the interview agent worker (dev: no draining on exit; start: finish interviews first)."""
    from hrlab.agent.worker import WorkerOptions, run_worker

    settings = _settings()
    from hrlab.store.migrate import upgrade

    upgrade(settings.database_url)
    try:  # research variants when the lab is installed; product sessions use "default" either way
        from hrlab.lab.agent_variants import resolve_lab_variant as resolver
    except ImportError:
        from hrlab.agent.variants import prompts_only as resolver
    options = WorkerOptions(max_interviews=max_interviews, metrics_port=metrics_port, resolve_variant=resolver)
    run_worker(settings, mode=mode, options=options)


@main.command()
@click.option("--resume", "resume_id", required=True, type=click.IntRange(1, 2**31 - 1), help="Stored resume id.")
@click.option("--answers", required=True, multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Answer WAV files, one per question (give the option once per file, or list them after it).")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="Interview language [default: the resume's].")
@click.option("--speed", default=1.0, show_default=True, type=click.FloatRange(0.1, 50),
              help="Clock speed; above 1 plays faster than real time.")
@click.option("--out", "out_dir", default=lambda: str(DATA_DIR / "rehearsals"), show_default="DATA_DIR/rehearsals",
              type=click.Path(file_okay=False, path_type=Path))
def rehearse(resume_id: int, answers: tuple[Path, ...], lang: str | None, speed: float, out_dir: Path) -> None:
    """Interview a stored resume in-process with recorded answers; no LiveKit server needed."""
    import asyncio

    from hrlab.agent.rehearse import rehearse as run_rehearsal, summary_text
    from hrlab.store.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url)
    database = _database(settings)
    try:
        result = asyncio.run(run_rehearsal(database=database, resume_id=resume_id, answers=list(answers),
                                           language=lang, speed=speed, out_dir=out_dir))
    except HrlabError as error:
        raise click.ClickException(error.message) from None
    click.echo(summary_text(result))


@main.command()
@click.argument("session_id", required=False, type=click.IntRange(1, 2**31 - 1))
@click.option("--pending", is_flag=True, help="Drain the queue: every pending job (and any whose worker died).")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(1, 3600),
              help="Seconds one assessment may take before it falls back to quotes without scores.")
def assess(session_id: int | None, pending: bool, timeout: float) -> None:
    """Run the assessment of one finished interview again, or every pending one."""
    import asyncio

    from hrlab.agent.assessment_queue import AssessmentQueue, QueueOptions
    from hrlab.providers import ModelRegistry
    from hrlab.store import assessment_jobs
    from hrlab.store.migrate import upgrade

    if (session_id is None) == (not pending):
        raise click.UsageError("give either a SESSION_ID or --pending")
    settings = _settings()
    upgrade(settings.database_url)
    database, registry = _database(settings), ModelRegistry(llm_threads=settings.llm_threads)
    try:
        if session_id is not None:
            with database.session(write=True) as session:
                assessment_jobs.requeue(session, session_id)
        queue = AssessmentQueue(database, registry.completer, options=QueueOptions(timeout=timeout))
        done = asyncio.run(queue.run_pending(session_id=session_id))
        with database.session() as session:
            left = assessment_jobs.count_waiting(session)
            failed = session_id is not None and assessment_jobs.status_of(session, session_id) != "done"
    except HrlabError as error:
        raise click.ClickException(error.message) from None
    finally:
        registry.close()
        database.dispose()
    click.echo(f"assessments done: {done}; still waiting: {left}")
    if failed:
        raise click.ClickException(f"the assessment of session {session_id} did not finish (see its job's error)")


@main.command()
def settings() -> None:
    """Print every setting's environment variable and description."""
    for name, description in env_names().items():
        click.echo(f"{name}\t{description}")


@main.command()
@click.option("--runs", "runlog", default=lambda: str(_lab_paths().default_runlog_path()),
              show_default="DATA_DIR/lab/runs.duckdb, where `hrlab run` writes",
              type=click.Path(dir_okay=False, path_type=Path), help="DuckDB run log to show (`hrlab run --out`).")
@click.option("--db", "database_url", help="Operational database URL [default: HRLAB_DATABASE_URL].")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--dev", is_flag=True, help="Allow serving without HRLAB_DASHBOARD_USERS (a local trial).")
@click.option("--hash-password", is_flag=True, help="Prompt for a password and print its hash for the users setting.")
def dashboard(runlog: Path, database_url: str | None, host: str, port: int, dev: bool, hash_password: bool) -> None:
    """Serve the HR/research dashboard (Gradio; login required)."""
    from hrlab.dashboard.auth import dashboard_users, hash_password as make_hash

    if hash_password:
        click.echo(make_hash(click.prompt("password", hide_input=True, confirmation_prompt=True)))
        return
    settings = _settings()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline: no telemetry, no version check
    try:
        from hrlab.dashboard.app import DashboardConfig, serve

        config = DashboardConfig(runs=runlog, database_url=database_url or settings.database_url,
                                 users=dashboard_users(settings), dev=dev)
        config.check()
    except ImportError as error:
        raise click.ClickException(f"{error}: install the dashboard extra (pip install 'hrlab[dashboard]')") from None
    except HrlabError as error:
        raise click.ClickException(error.message) from None
    from sqlalchemy.engine import make_url

    shown = make_url(config.database_url).render_as_string(hide_password=True)
    click.echo(f"dashboard on http://{host}:{port}/ (run log {runlog}, database {shown})")
    serve(config, host=host, port=port)


@main.command()
@click.option("--api-only", is_flag=True, help="Only the API part (no rooms, no models).")
def demo(api_only: bool) -> None:
    """The main job on embedded defaults: resumes in, both endpoints, then interviews in live rooms."""
    from hrlab.demo import run_api_demo, run_demo

    if api_only:
        run_api_demo(echo=click.echo)
        return
    try:
        results = run_demo(echo=click.echo)
    except RuntimeError as error:  # live rooms could not start (e.g. no root for the network namespace)
        raise click.ClickException(str(error)) from None
    sys.exit(1 if results["suite"] else 0)


if __name__ == "__main__":
    main()
