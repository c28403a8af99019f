"""Health, metrics and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from hrlab.api.errors import error_response
from hrlab.api.metrics import metrics_response
from hrlab.api.openapi import openapi_document

blueprint = Blueprint("meta", __name__)


@blueprint.get("/healthz")
def healthz():
    try:
        with current_app.extensions["hrlab.db"].session() as session:
            session.execute(text("SELECT 1"))
    except Exception as error:  # any database failure means unhealthy, and says why
        return error_response(503, "database_unavailable", f"Database check failed: {type(error).__name__}")
    return jsonify({"status": "ok"})


@blueprint.get("/metrics")
def metrics():
    return metrics_response(current_app.extensions["hrlab.metrics"])


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
