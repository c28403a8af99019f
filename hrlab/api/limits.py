"""Rate limits: per client IP on the interview and admin APIs, and per resume on the token endpoint."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter

from hrlab.api import window_store
from hrlab.api.client_address import client_address_func
from hrlab.config import Settings


def _authorised(response) -> bool:
    """Refused calls (401/403) do not spend the resume's budget, so strangers cannot lock a candidate out."""
    return response.status_code not in (401, 403)


def _resume_key() -> str:
    return f"resume:{(request.view_args or {}).get('resume_id', '')}"


def _redis_timeouts(settings: Settings) -> dict:
    if not settings.rate_limit_storage_url.startswith("redis"):
        return {}
    return {"socket_connect_timeout": settings.db_connect_timeout_seconds,
            "socket_timeout": settings.db_connect_timeout_seconds}


def _storage_uri(settings: Settings) -> str:
    """memory:// is served by our own per-process store (window_store says why); Redis as configured."""
    url = settings.rate_limit_storage_url
    return f"{window_store.SCHEME}://" if url.startswith("memory://") else url


def install_rate_limits(app: Flask, settings: Settings) -> Limiter:
    """Attach a limiter owned by this app (memory or Redis storage) to the interview endpoints."""
    limiter = Limiter(
        client_address_func(settings.trusted_proxy_networks),
        app=app,
        storage_uri=_storage_uri(settings),
        # A dead or hung Redis must answer 503 quickly, not hold the worker.
        storage_options=_redis_timeouts(settings),
        headers_enabled=True,
        key_prefix="hrlab",
        strategy="fixed-window",
    )
    for endpoint in ("interview.validate_interview", "interview.interview_token"):
        view = app.view_functions[endpoint]
        view = limiter.limit(settings.rate_limit_ip, scope="ip")(view)
        if endpoint == "interview.interview_token":
            view = limiter.limit(
                settings.rate_limit_resume, key_func=_resume_key, scope="resume", deduct_when=_authorised
            )(view)
        app.view_functions[endpoint] = view
    # Counted before the admin key is checked, so guessing keys is limited too.
    limiter.limit(settings.rate_limit_admin, scope="admin")(app.blueprints["admin"])
    return limiter
