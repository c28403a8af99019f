"""Prometheus metrics for the API: requests, latency, tokens minted."""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest


class ApiMetrics:
    """One registry per app, so tests and several apps in a process never share counters."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hrlab_http_requests_total", "HTTP requests", ["method", "endpoint", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "hrlab_http_request_seconds", "HTTP request latency", ["endpoint"], registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
        )
        self.tokens_minted = Counter(
            "hrlab_tokens_minted_total", "Candidate tokens minted", ["reused"], registry=self.registry
        )
        self._by_request: dict[tuple[str, str, int], tuple] = {}

    def exposition(self) -> bytes:
        """The text format; under gunicorn with PROMETHEUS_MULTIPROC_DIR, all workers summed."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)

    def init_app(self, app: Flask) -> None:
        app.extensions["hrlab.metrics"] = self

        @app.before_request
        def _start():
            g.hrlab_started = time.perf_counter()

        @app.after_request
        def _record(response):
            rule = request.url_rule
            counter, latency = self._series(request.method, rule.rule if rule else "unmatched", response.status_code)
            counter.inc()
            latency.observe(time.perf_counter() - g.get("hrlab_started", time.perf_counter()))
            return response

    def _series(self, method: str, endpoint: str, status: int):
        """The request's counter and latency series, looked up once per kind of request.

        prometheus_client validates the labels on every `labels()` call, a third of this hook's cost.
        """
        key = (method, endpoint, status)
        series = self._by_request.get(key)
        if series is None:
            series = self._by_request[key] = (self.requests.labels(method, endpoint, str(status)),
                                               self.latency.labels(endpoint))
        return series


def metrics_response(metrics: ApiMetrics) -> Response:
    return Response(metrics.exposition(), mimetype=CONTENT_TYPE_LATEST)
