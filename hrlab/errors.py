"""One error tree for hrlab; each class carries the HTTP status and code the API answers with."""

from __future__ import annotations


class HrlabError(Exception):
    """Base of every error hrlab raises on purpose."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class ConfigError(HrlabError):
    """A setting is missing or malformed; raised at start-up."""

    code = "config_error"


class InvalidInput(HrlabError):
    """The caller sent something malformed."""

    status = 400
    code = "invalid_input"


class ResumeNotReady(HrlabError):
    status = 400
    code = "resume_not_ready"


class Unauthorized(HrlabError):
    status = 401
    code = "unauthorized"


class Forbidden(HrlabError):
    status = 403
    code = "forbidden"


class NotFound(HrlabError):
    status = 404
    code = "not_found"


class Conflict(HrlabError):
    """The request is valid but the resource's state refuses it (interview done or running)."""

    status = 409
    code = "conflict"


class CapacityExceeded(HrlabError):
    status = 503
    code = "capacity_exceeded"


class DependencyUnavailable(HrlabError):
    """Something the API depends on (database, rate-limit store) is down, hung or not set up."""

    status = 503
    code = "dependency_unavailable"

    def __init__(self, message: str, *, code: str, **details):
        super().__init__(message, **details)
        self.code = code


class ResumeParseError(InvalidInput):
    """A resume file could not be read or holds no usable text."""

    status = 422
    code = "resume_parse_error"
