"""Database.fetch_one: the token endpoint's one-statement read, on SQLite (Core) and PostgreSQL (driver)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from hrlab.domain.resume import ParsedResume
from hrlab.store import resumes
from hrlab.store.models import Resume
from hrlab.store.sessions import open_or_reuse, reuse_live

LIFETIMES = {"pending_window": timedelta(minutes=10), "heartbeat_timeout": timedelta(minutes=2)}


def _resume(database) -> int:
    parsed = ParsedResume("Ada", "en", ("python",), ("Developer",), 3.0, "text")
    with database.session(write=True) as session:
        return resumes.add_parsed(session, parsed, source_name="cv.md").id


def test_reuse_live_reads_what_open_wrote(database):
    rid = _resume(database)
    assert reuse_live(database, rid, **LIFETIMES) is None  # nothing live yet: the locked path opens one
    with database.session(write=True) as session:
        opened = open_or_reuse(session, rid, max_live=5, **LIFETIMES)
    again = reuse_live(database, rid, **LIFETIMES)
    assert (again.session_id, again.room_name, again.reused) == (opened.session_id, opened.room_name, True)
    assert again.expires_at == opened.expires_at
    assert reuse_live(database, rid, pending_window=timedelta(0), heartbeat_timeout=timedelta(0)) is None


def test_fetch_one_binds_and_misses(database):
    rid = _resume(database)
    statement = select(Resume.id, Resume.candidate_name).where(Resume.id == rid)
    assert tuple(database.fetch_one(statement, {})) == (rid, "Ada")
    assert database.fetch_one(select(Resume.id).where(Resume.status == "uploaded"), {}) is None


@pytest.mark.postgres
def test_a_dropped_connection_is_replaced(postgres_url):
    from hrlab.store.db import Database

    database = Database(postgres_url)
    try:
        rid = _resume(database)
        statement = select(text("pg_backend_pid()")).select_from(Resume).where(Resume.id == rid)
        (first_pid,) = database.fetch_one(statement, {})
        with database.session() as session:  # another connection ends the reader's, as a restart would
            session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_pid})
        with pytest.raises(OperationalError):  # SQLAlchemy's error, so the API answers 503
            database.fetch_one(statement, {})
        (second_pid,) = database.fetch_one(statement, {})  # the dead connection did not go back to the pool
        assert second_pid != first_pid
    finally:
        database.dispose()
