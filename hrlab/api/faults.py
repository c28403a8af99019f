"""Turn a failing dependency (database, Redis) into a 503 that says which one and why."""

from __future__ import annotations

import logging

from sqlalchemy import exc as sa_exc

from hrlab.errors import DependencyUnavailable

log = logging.getLogger(__name__)
# What the database says when the schema is missing: SQLite's text, PostgreSQL's SQLSTATE 42P01.
_NOT_MIGRATED_SQLITE = "no such table"
_UNDEFINED_TABLE = "42P01"
_QUERY_CANCELED = "57014"  # statement_timeout fired


def database_fault(error: sa_exc.SQLAlchemyError) -> DependencyUnavailable | None:
    """The 503 for a database that is unreachable, hung or unmigrated; None for any other error."""
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None)
    if sqlstate == _UNDEFINED_TABLE or _NOT_MIGRATED_SQLITE in str(error):
        return DependencyUnavailable("The database is not migrated: run `hrlab db upgrade`",
                                     code="database_not_migrated")
    if sqlstate == _QUERY_CANCELED:
        return DependencyUnavailable("The database did not answer within the statement time-out; try again shortly",
                                     code="database_timeout")
    if isinstance(error, sa_exc.TimeoutError):
        return DependencyUnavailable("No database connection came free in time; try again shortly",
                                     code="database_busy")
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        reason = "did not answer in time" if "timeout" in str(error).lower() else "could not be reached"
        return DependencyUnavailable(f"The database {reason}; try again shortly", code="database_unavailable")
    return None


def rate_limit_fault() -> DependencyUnavailable:
    """The 503 for an unreachable rate-limit store: refusing is safer than serving without limits."""
    return DependencyUnavailable("The rate-limit store (Redis, HRLAB_RATE_LIMIT_STORAGE_URL) is unreachable; "
                                 "try again shortly", code="rate_limit_unavailable")


def log_fault(fault: DependencyUnavailable, error: Exception) -> None:
    """Operators get the driver's own words in the log; clients get only the category."""
    log.error("%s: %s", fault.code, str(error).splitlines()[0] if str(error) else type(error).__name__)
