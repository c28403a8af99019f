"""The one JSON error shape: {"error": code, "message": text}, for every 4xx and 5xx."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from hrlab.api.faults import database_fault, log_fault, rate_limit_fault
from hrlab.errors import HrlabError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, **extra):
    """A Flask response in the shared error shape; `extra` adds endpoint-specific fields."""
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    """Route every error, ours or Werkzeug's or unexpected, to the shared shape."""

    @app.errorhandler(HrlabError)
    def _hrlab(error: HrlabError):
        return error_response(error.status, error.code, error.message, **error.details)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        response = error_response(error.code or 500, code, error.description or error.name)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(SQLAlchemyError)
    def _database(error: SQLAlchemyError):
        fault = database_fault(error)
        if fault is None:
            return _unexpected(error)
        log_fault(fault, error)
        return _hrlab(fault)

    try:
        from redis.exceptions import RedisError
    except ImportError:  # no Redis client installed: memory:// limits only
        pass
    else:
        @app.errorhandler(RedisError)
        def _redis(error: RedisError):
            fault = rate_limit_fault()
            log_fault(fault, error)
            return _hrlab(fault)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Internal server error")
