"""Dependency faults answer 503 with the reason, and /healthz tells the truth about each.

Real PostgreSQL and Redis; a hung database is a local socket that accepts and never answers; a
dropped database is created and removed here.
"""

from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from hrlab.api import create_app
from hrlab.config import load_settings
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade
from tests.api.conftest import add_resume
from tests.conftest import create_postgres_database


def _app(database_url: str, **overrides):
    settings = load_settings(database_url=database_url, auth_mode="none", db_connect_timeout_seconds=1,
                             db_statement_timeout_seconds=1, **overrides)
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hung_server():
    """A TCP port that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def scratch_postgres():
    """A PostgreSQL database of our own that the test may leave unmigrated or drop; always removed."""
    url, drop, admin = create_postgres_database("hrlab_fault")
    yield url, drop
    drop()
    admin.dispose()


def _assert_503(response, code: str, words: str):
    assert response.status_code == 503, response.json
    assert response.json["error"] == code
    assert words in response.json["message"]


def test_database_refused_is_503():
    app = _app(f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/nothing")
    client = app.test_client()
    _assert_503(client.post("/api/interview/1/token"), "database_unavailable", "could not be reached")
    _assert_503(client.get("/healthz"), "database_unavailable", "could not be reached")
    validate = client.get("/api/resume/1/validate-interview")
    _assert_503(validate, "database_unavailable", "could not be reached")


@pytest.mark.postgres
def test_hung_database_times_out_with_503(hung_server):
    app = _app(f"postgresql+psycopg://postgres@127.0.0.1:{hung_server}/hung")
    client = app.test_client()
    _assert_503(client.post("/api/interview/1/token"), "database_unavailable", "did not answer in time")
    _assert_503(client.get("/healthz"), "database_unavailable", "did not answer in time")


@pytest.mark.postgres
def test_statement_timeout_is_a_setting(scratch_postgres):
    url, _drop = scratch_postgres
    database = Database(url, statement_timeout=1)
    try:
        with database.session() as session:
            assert session.execute(text("SHOW statement_timeout")).scalar() == "1s"
        with pytest.raises(OperationalError) as info:
            with database.session() as session:
                session.execute(text("SELECT pg_sleep(30)"))
        from hrlab.api.faults import database_fault

        assert database_fault(info.value).code == "database_timeout"
    finally:
        database.dispose()


@pytest.mark.postgres
def test_unmigrated_database_is_503_and_unhealthy(scratch_postgres):
    url, _drop = scratch_postgres
    client = _app(url).test_client()
    _assert_503(client.get("/healthz"), "database_not_migrated", "hrlab db upgrade")
    _assert_503(client.post("/api/interview/1/token"), "database_not_migrated", "hrlab db upgrade")


@pytest.mark.postgres
def test_dropped_database_is_503_and_unhealthy(scratch_postgres):
    url, drop = scratch_postgres
    upgrade(url)
    app = _app(url)
    client = app.test_client()
    rid = add_resume(app.extensions["hrlab.db"])
    assert client.get("/healthz").status_code == 200
    assert client.post(f"/api/interview/{rid}/token").status_code == 200
    drop()
    _assert_503(client.post(f"/api/interview/{rid}/token"), "database_unavailable", "could not be reached")
    _assert_503(client.get("/healthz"), "database_unavailable", "could not be reached")
    app.extensions["hrlab.db"].dispose()


def test_unmigrated_sqlite_is_503(tmp_path):
    client = _app(f"sqlite:///{tmp_path / 'empty.db'}").test_client()
    _assert_503(client.get("/healthz"), "database_not_migrated", "hrlab db upgrade")
    _assert_503(client.post("/api/interview/1/token"), "database_not_migrated", "hrlab db upgrade")


@pytest.mark.redis
def test_redis_down_is_503_naming_rate_limits(tmp_path):
    url = f"sqlite:///{tmp_path / 'hrlab.db'}"
    upgrade(url)
    client = _app(url, rate_limit_storage_url=f"redis://127.0.0.1:{_free_port()}").test_client()
    _assert_503(client.post("/api/interview/1/token"), "rate_limit_unavailable", "HRLAB_RATE_LIMIT_STORAGE_URL")
    _assert_503(client.get("/healthz"), "rate_limit_unavailable", "rate-limit store")


@pytest.mark.redis
def test_healthy_with_redis_and_a_migrated_database(database):
    from tests.api.test_rate_limits import _redis_or_skip

    settings = load_settings(database_url=database.url, rate_limit_storage_url=_redis_or_skip())
    response = create_app(settings, database=database).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "rateLimits": "ok"}
