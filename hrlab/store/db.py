"""Engine and sessions for the operational database (SQLite file by default, PostgreSQL in production)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, Select, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from hrlab.errors import ConfigError
from hrlab.store.one_row import OneRowReader

# Defaults for processes that do not pass settings (CLI, agent); the API passes its own.
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_S = 10


def make_engine(url: str, *, connect_timeout: int = CONNECT_TIMEOUT_S,
                statement_timeout: int = STATEMENT_TIMEOUT_S, autocommit: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL gets time-outs.

    A database that accepts connections and never answers would otherwise hold a request until
    gunicorn kills the worker.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"HRLAB_DATABASE_URL: not a database URL: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # pool_recycle instead of pre-ping: a ping per checkout costs a round trip on every request.
    connect_args = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": connect_timeout,
                        "options": f"-c statement_timeout={statement_timeout * 1000}"}
    # An autocommit engine gets its own pool: switching a pooled connection's mode per use costs more
    # than it saves (measured: the next write on that connection ran twice as slow).
    isolation = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    return create_engine(url, pool_recycle=1800, pool_size=10, max_overflow=20, pool_timeout=connect_timeout,
                         connect_args=connect_args, **isolation)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Let the ORM issue BEGIN itself so "BEGIN IMMEDIATE" can serialise writers.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        write = connection.get_execution_options().get("hrlab_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """Owns the engine and hands out sessions; one per process, passed in, never global."""

    def __init__(self, url: str, *, connect_timeout: int = CONNECT_TIMEOUT_S,
                 statement_timeout: int = STATEMENT_TIMEOUT_S):
        self.url = url
        self.engine = make_engine(url, connect_timeout=connect_timeout, statement_timeout=statement_timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Hot single-statement reads on PostgreSQL (one_row.py says why); no connection opens until used.
        self._reader: OneRowReader | None = None
        if self.engine.dialect.name == "postgresql":
            self._reader = OneRowReader(make_engine(url, connect_timeout=connect_timeout,
                                                    statement_timeout=statement_timeout, autocommit=True))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error; `write` locks early on SQLite."""
        with self._sessions() as session:
            with session.begin():
                if write:
                    # Must be the first use of the session so the option reaches the BEGIN.
                    session.connection(execution_options={"hrlab_write": True})
                yield session

    def fetch_one(self, statement: Select, params: dict) -> tuple | None:
        """The first row of one read-only SELECT; a single statement sees one snapshot, so no transaction.

        SQLite goes through Core, whose type processing turns stored text into datetimes.
        """
        if self._reader is not None:
            return self._reader.fetch_one(statement, params)
        with self.engine.connect() as connection:
            return connection.execute(statement, params).fetchone()

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader is not None:
            self._reader.dispose()
