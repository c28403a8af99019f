"""Shared fixtures: a migrated database on SQLite (a fresh file) and on PostgreSQL (a fresh database)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from hrlab.store.db import Database
from hrlab.store.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "HRLAB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TABLES = ("human_reviews", "assessment_jobs", "interview_turns", "interview_sessions", "resumes")


def create_postgres_database(prefix: str):
    """A new, empty PostgreSQL database: (its URL, a function that drops it, the admin engine to dispose).

    Skips the test with the reason when no PostgreSQL is reachable."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} (set HRLAB_TEST_POSTGRES_URL): {error.orig}")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False), drop, admin


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database, migrated once; skipped with the reason when none is reachable."""
    url, drop, admin = create_postgres_database("hrlab_test")
    upgrade(url)
    yield url
    drop()
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A migrated, empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hrlab.db'}"
        upgrade(url)
        return url
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def database(database_url):
    db = Database(database_url)
    yield db
    db.dispose()
