"""Whether each store can be shown, and what to tell the user when it cannot (missing, empty, old schema)."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from hrlab.errors import HrlabError
from hrlab.lab.store import RunLogError
from hrlab.store.db import Database
from hrlab.store.migrate import alembic_config, current
from hrlab.store.models import InterviewSession
from hrlab.dashboard.runs_data import RunStore


def head_revision(database_url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def database_problem(database: Database) -> str | None:
    """None when the operational database can be shown; else what is wrong and what to run."""
    shown = database.engine.url.render_as_string(hide_password=True)
    try:
        revision, head = current(database.url), head_revision(database.url)
    except Exception as error:  # unreachable server, unreadable file: say so instead of a stack trace
        return f"Cannot open the operational database {shown}: {error}"
    if revision is None:
        return (f"The operational database {shown} has no hrlab schema yet. Run `hrlab db upgrade` (with "
                "HRLAB_DATABASE_URL set), then `make demo` or real interviews to fill it.")
    if revision != head:
        return (f"The operational database is at schema revision {revision}; this dashboard needs {head}. "
                "Run `hrlab db upgrade` to migrate it (it keeps every row).")
    with database.session() as session:
        if not session.scalar(select(func.count()).select_from(InterviewSession)):
            return ("No interviews yet. Run `make demo`, or serve `hrlab api` and `hrlab agent start` and let a "
                    "candidate take an interview.")
    return None


def runlog_problem(store: RunStore) -> str | None:
    """None when the run log has runs to show; else what is wrong and what to run."""
    if not store.exists():
        return (f"No run log at {store.path}. Record runs with `hrlab run --suite smoke --out {store.path}` "
                "(or `make demo`), or point the dashboard at one with `--runs PATH`.")
    try:
        count = store.count()
    except RunLogError as error:
        if "older than" in error.message:
            return (f"This run log was written by an older hrlab: {error.message} (the next "
                    f"`hrlab run --out {store.path} ...` does that; the dashboard only reads until then).")
        return error.message
    except HrlabError as error:
        return error.message
    if count == 0:
        return f"The run log {store.path} has no runs yet: run `hrlab run --suite smoke --out {store.path}`."
    return None
