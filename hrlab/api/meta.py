"""Health, metrics and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from hrlab.api.auth import authorize_metrics
from hrlab.api.errors import error_response
from hrlab.api.faults import database_fault, log_fault, rate_limit_fault
from hrlab.api.metrics import metrics_response
from hrlab.api.openapi import openapi_document
from hrlab.errors import DependencyUnavailable
from hrlab.store.migrate import head_revision, schema_revision

blueprint = Blueprint("meta", __name__)


@blueprint.get("/healthz")
def healthz():
    """200 only when the database answers at the newest schema and the rate-limit store answers."""
    fault = _database_fault() or _rate_limit_fault()
    if fault is not None:
        return error_response(fault.status, fault.code, fault.message)
    return jsonify({"status": "ok", "database": "ok", "rateLimits": "ok"})


def _database_fault() -> DependencyUnavailable | None:
    extensions = current_app.extensions
    try:
        with extensions["hrlab.db"].session() as session:
            revision = schema_revision(session)
    except SQLAlchemyError as error:
        fault = database_fault(error) or DependencyUnavailable(
            f"Database check failed: {type(error).__name__}", code="database_unavailable")
        log_fault(fault, error)
        return fault
    if "hrlab.schema_head" not in extensions:  # reading the migration scripts costs ~50 ms: once per app
        extensions["hrlab.schema_head"] = head_revision()
    head = extensions["hrlab.schema_head"]
    if revision != head:
        return DependencyUnavailable(f"The database is at schema revision {revision}, the code needs {head}: "
                                     "run `hrlab db upgrade`", code="database_not_migrated")
    return None


def _rate_limit_fault() -> DependencyUnavailable | None:
    storage = current_app.extensions["hrlab.limiter"].storage
    try:
        healthy = storage.check()
    except Exception:  # noqa: BLE001 -- a storage that raises on check is as down as one that says so
        healthy = False
    return None if healthy else rate_limit_fault()


@blueprint.get("/metrics")
def metrics():
    authorize_metrics(current_app.extensions["hrlab.settings"])
    return metrics_response(current_app.extensions["hrlab.metrics"])


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
