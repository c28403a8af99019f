"""One row from one read-only statement, on the cheapest path the database allows.

The token endpoint's re-issue is one indexed SELECT; SQLAlchemy's execution layer (cache key of the
statement, execution context, result object) cost more CPU than the query itself (profiled:
about 0.2 ms of 0.9 ms a request in-process). On PostgreSQL the statement is compiled once to the
driver's SQL and run on a pooled autocommit connection: one round trip, no BEGIN/COMMIT, and a
single statement sees one snapshot on its own. Errors still come out as SQLAlchemy's, so the API's
fault handling (503 with the reason) and the pool's handling of dropped connections are unchanged.
"""

from __future__ import annotations

from sqlalchemy import Engine, Select
from sqlalchemy.exc import DBAPIError


class OneRowReader:
    """Runs Core SELECTs whose binds are plain values (no expanding IN) and returns the first row."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._compiled: dict[int, tuple[Select, str, dict]] = {}

    def _sql(self, statement: Select) -> tuple[str, dict]:
        entry = self._compiled.get(id(statement))
        if entry is None or entry[0] is not statement:
            compiled = statement.compile(dialect=self._engine.dialect)
            constants = {key: value for key, value in compiled.params.items() if value is not None}
            entry = self._compiled[id(statement)] = (statement, compiled.string, constants)
        return entry[1], entry[2]

    def fetch_one(self, statement: Select, params: dict) -> tuple | None:
        sql, constants = self._sql(statement)
        parameters = {**constants, **params}
        dbapi_error = self._engine.dialect.loaded_dbapi.Error
        try:
            raw = self._engine.raw_connection()
        except dbapi_error as error:
            raise DBAPIError.instance(None, None, error, dbapi_error, dialect=self._engine.dialect) from error
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(sql, parameters)
                return cursor.fetchone()
            finally:
                cursor.close()
        except dbapi_error as error:
            lost = self._engine.dialect.is_disconnect(error, raw.dbapi_connection, None)
            if lost:
                raw.invalidate(error)  # a dropped connection must not go back to the pool
            raise DBAPIError.instance(sql, parameters, error, dbapi_error, connection_invalidated=lost,
                                      dialect=self._engine.dialect) from error
        finally:
            raw.close()

    def dispose(self) -> None:
        self._engine.dispose()
