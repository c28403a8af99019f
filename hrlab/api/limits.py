"""Rate limits: per client IP on the interview and admin APIs, and per resume on the token endpoint.

Fixed windows in a `limits` store (what Flask-Limiter counts with), under the same keys, so counters in
Redis carry over. Two request hooks do the checking: Flask-Limiter's per-request machinery cost about
0.3 ms of worker CPU per token call under gunicorn (a fifth of the endpoint, measured with it switched
off). The hooks talk to the store directly, as `limits`' fixed-window strategy does, with each key built
once a request and the count each call returns kept for the headers: a token call makes four store calls
(Redis round trips) instead of six.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, g, request
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string

from hrlab.api import window_store
from hrlab.api.client_address import client_address_func
from hrlab.config import Settings
from hrlab.errors import HrlabError

KEY_PREFIX = "hrlab"


class RateLimited(HrlabError):
    status = 429
    code = "rate_limited"


@dataclass(frozen=True)
class Rule:
    """One limit: what it allows, whose budget it counts (key), and its name among the counters (scope)."""

    item: RateLimitItem
    scope: str
    key: Callable[[], str]
    # Counted after the response, only when this says so; checked (not counted) before the view.
    counts: Callable[[Response], bool] | None = None


def _authorised(response: Response) -> bool:
    """Refused calls (401/403) do not spend the resume's budget, so strangers cannot lock a candidate out."""
    return response.status_code not in (401, 403)


def _resume_key() -> str:
    return f"resume:{(request.view_args or {}).get('resume_id', '')}"


def _storage_uri(settings: Settings) -> str:
    """memory:// is served by our own per-process store (window_store says why); Redis as configured."""
    url = settings.rate_limit_storage_url
    return f"{window_store.SCHEME}://" if url.startswith("memory://") else url


def _redis_timeouts(settings: Settings) -> dict:
    if not settings.rate_limit_storage_url.startswith("redis"):
        return {}
    return {"socket_connect_timeout": settings.db_connect_timeout_seconds,
            "socket_timeout": settings.db_connect_timeout_seconds}


@dataclass
class Applied:
    """A rule as applied to this request: its store key, and the count the store last returned for it."""

    rule: Rule
    key: str
    count: int


class RateLimits:
    """The app's limits, its counter store, and the hooks that apply them."""

    def __init__(self, settings: Settings):
        # A dead or hung Redis must answer 503 quickly, not hold the worker.
        self.storage: Storage = storage_from_string(_storage_uri(settings), **_redis_timeouts(settings))
        ip = Rule(parse(settings.rate_limit_ip), "ip", client_address_func(settings.trusted_proxy_networks))
        resume = Rule(parse(settings.rate_limit_resume), "resume", _resume_key, counts=_authorised)
        self._by_endpoint = {"interview.validate_interview": (ip,), "interview.interview_token": (ip, resume)}
        # Counted before the admin key is checked, so guessing keys is limited too.
        self._by_blueprint = {"admin": (Rule(parse(settings.rate_limit_admin), "admin", ip.key),)}

    def _rules(self) -> tuple[Rule, ...]:
        return self._by_endpoint.get(request.endpoint) or self._by_blueprint.get(request.blueprint) or ()

    def _count(self, applied: Applied) -> int:
        """One more request in the rule's window (the window starts with the first); the new count."""
        item = applied.rule.item
        applied.count = self.storage.incr(applied.key, item.get_expiry(), amount=1)
        return applied.count

    def check(self) -> None:
        """Before the view: count (or, for conditional rules, test) each rule; the first one over refuses."""
        applied_so_far: list[Applied] = []
        g.hrlab_limits = applied_so_far
        for rule in self._rules():
            applied = Applied(rule, rule.item.key_for(KEY_PREFIX, rule.key(), rule.scope), 0)
            # A store that fails here raises before anything is recorded, so finish() leaves it alone (503).
            if rule.counts:  # tested now, counted after the response if it qualifies
                applied.count = self.storage.get(applied.key)
                allowed = applied.count < rule.item.amount
            else:
                allowed = self._count(applied) <= rule.item.amount
            applied_so_far.append(applied)
            if not allowed:
                g.hrlab_limit_breached = True
                raise RateLimited(f"Too many requests: limit is {rule.item}")

    def finish(self, response: Response) -> Response:
        """After the response: count the conditional rules it qualifies for, and say where the client stands."""
        applied_so_far = g.get("hrlab_limits")
        if not applied_so_far:
            return response
        breached = g.get("hrlab_limit_breached", False)
        for applied in applied_so_far:
            if applied.rule.counts and not breached and applied.rule.counts(response):
                self._count(applied)
        # The refusing rule when one refused, else the tightest (last) rule applied.
        last = applied_so_far[-1]
        reset_at = int(self.storage.get_expiry(last.key) + 1)
        response.headers["X-RateLimit-Limit"] = str(last.rule.item.amount)
        response.headers["X-RateLimit-Remaining"] = str(max(0, last.rule.item.amount - last.count))
        response.headers["X-RateLimit-Reset"] = str(reset_at)
        if breached:
            response.headers["Retry-After"] = str(max(1, int(reset_at - time.time())))
        return response


def install_rate_limits(app: Flask, settings: Settings) -> RateLimits:
    """Apply the limits to this app's interview and admin endpoints (memory or Redis counters)."""
    limits = RateLimits(settings)
    app.before_request(limits.check)
    app.after_request(limits.finish)
    return limits
