"""Prometheus metrics of the interview agent, in a registry the worker owns (no global default registry)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 13.0)
STAGES = ("stt", "end_of_turn", "llm", "tts_first_audio", "assessment")


class AgentMetrics:
    """Connect time, interview duration, completion counts, per-stage latency."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.connect_seconds = Histogram(
            "hrlab_agent_connect_seconds", "Job start to joined room with the candidate present.",
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60), registry=r)
        self.interview_seconds = Histogram(
            "hrlab_agent_interview_duration_seconds", "Interview start to finish.",
            buckets=(30, 60, 120, 300, 600, 900, 1200, 1800, 3600), registry=r)
        self.started = Counter("hrlab_agent_interviews_started", "Interviews that began.", registry=r)
        self.finished = Counter("hrlab_agent_interviews_finished", "Interviews that ended, by end reason.",
                                ["end_reason"], registry=r)
        self.stage_seconds = Histogram("hrlab_agent_stage_latency_seconds", "Per-stage latency of one turn.",
                                       ["stage"], buckets=_LATENCY_BUCKETS, registry=r)
        self.llm_fallbacks = Counter("hrlab_agent_question_fallbacks", "Questions that came from a fallback "
                                     "instead of the LLM.", registry=r)
        self.errors = Counter("hrlab_agent_errors", "Errors reported by the pipeline, by source.", ["source"],
                              registry=r)
        self.active = Gauge("hrlab_agent_active_interviews", "Interviews running now.", registry=r)

    def observe_stage(self, stage: str, seconds: float | None) -> None:
        """Record one stage's latency (ignored when unknown)."""
        if seconds is not None and seconds >= 0:
            self.stage_seconds.labels(stage=stage).observe(seconds)

    def serve(self, port: int, *, host: str = "127.0.0.1"):
        """Expose /metrics on host:port; returns the server so the caller can stop it."""
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return server

    def completion_rate(self) -> float | None:
        """Share of started interviews that ended normally (completed, question or time limit, candidate)."""
        started = self.started._value.get()
        if not started:
            return None
        normal = sum(self.finished.labels(end_reason=reason)._value.get()
                     for reason in ("completed", "question_limit", "time_limit", "candidate_ended"))
        return normal / started
