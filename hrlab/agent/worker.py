"""The livekit-agents worker: explicit dispatch by agent name, jobs as threads sharing one set of models.

Jobs run as threads of this process (not child processes) so one ModelRegistry (Whisper, llama.cpp,
Piper, festival) serves every concurrent interview and the Prometheus registry sees every job.
Load is the share of interview slots in use, not CPU: on 2 cores the models keep CPU high, and
the framework's CPU-based default would refuse jobs whenever the machine is busy.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field
from typing import Literal

from livekit.agents import AgentServer, JobContext, JobExecutorType, JobProcess
from livekit.agents.cli.log import setup_logging

from hrlab.agent.assessment_queue import AssessmentQueue, QueueOptions
from hrlab.agent.components import components_for
from hrlab.agent.job import JobServices, run_interview_job
from hrlab.agent.observability import AgentMetrics
from hrlab.agent.options import InterviewOptions
from hrlab.agent.variants import VariantResolver, prompts_only
from hrlab.config import Settings
from hrlab.domain.plan import Budget
from hrlab.domain.understanding.learned import default_scorer
from hrlab.providers import ModelRegistry
from hrlab.providers.deps import require_module
from hrlab.store.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerOptions:
    """How many interviews one worker runs and what it exposes."""

    max_interviews: int = 4
    # Job threads kept ready. livekit-agents estimates one job's load as load_threshold / idle_jobs
    # before any job runs, so with 1 it refuses a second job that arrives with the first.
    idle_jobs: int | None = None  # None: max_interviews
    metrics_port: int | None = None  # Prometheus /metrics; None: not served
    metrics_host: str = "127.0.0.1"
    health_port: int = 0  # livekit's health-check HTTP server; 0: any free port
    prewarm_languages: tuple[str, ...] = ("en", "ru")
    interview: InterviewOptions = field(default_factory=InterviewOptions)
    budget: Budget | None = None
    providers: dict | None = None  # overrides of the offline defaults, e.g. {"llm": "openai/gpt-4o-mini"}
    resolve_variant: VariantResolver = prompts_only  # a session's variant name -> its overrides
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        if not isinstance(self.max_interviews, int) or not 1 <= self.max_interviews <= 64:
            raise ValueError(f"max_interviews must be an integer in 1..64, got {self.max_interviews!r}")
        if self.idle_jobs is None:
            object.__setattr__(self, "idle_jobs", self.max_interviews)
        if not isinstance(self.idle_jobs, int) or not 0 <= self.idle_jobs <= self.max_interviews:
            raise ValueError(f"idle_jobs must be in 0..max_interviews, got {self.idle_jobs!r}")


def build_server(settings: Settings, *, options: WorkerOptions, registry: ModelRegistry, database: Database,
                 metrics: AgentMetrics) -> AgentServer:
    """An AgentServer registered under settings.agent_name whose jobs share `registry` and `metrics`."""
    services = JobServices(database=database, registry=registry, metrics=metrics, options=options.interview,
                           budget=options.budget, providers=options.providers,
                           resolve_variant=options.resolve_variant)

    def prewarm(proc: JobProcess) -> None:
        prewarm_models(registry, options)  # a no-op once serve_worker loaded them
        proc.userdata["registry"] = registry

    def load(server: AgentServer) -> float:
        return len(server.active_jobs) / options.max_interviews

    server = AgentServer(
        job_executor_type=JobExecutorType.THREAD, load_threshold=1.0, num_idle_processes=options.idle_jobs,
        ws_url=settings.livekit_url, api_key=settings.livekit_api_key,
        api_secret=settings.livekit_api_secret.get_secret_value(), port=options.health_port,
        setup_fnc=prewarm, load_fnc=load, initialize_process_timeout=300.0,
    )

    async def entrypoint(ctx: JobContext) -> None:
        await run_interview_job(ctx, services)

    server.rtc_session(entrypoint, agent_name=settings.agent_name)
    return server


def prewarm_models(registry: ModelRegistry, options: WorkerOptions) -> None:
    """Load every model the worker's languages need (each once per process)."""
    for language in options.prewarm_languages:
        components_for(registry, language, providers=options.providers, options=options.interview)
        default_scorer(language)  # the learned end-request opinion trains here (0.1-0.2 s), not on a first turn


async def serve_worker(settings: Settings, *, mode: Literal["dev", "start"], options: WorkerOptions | None = None,
                       stop: asyncio.Event | None = None, registry: ModelRegistry | None = None) -> None:
    """Run the worker until `stop` is set; `start` drains running interviews first, `dev` does not."""
    if mode not in ("dev", "start"):
        raise ValueError(f"mode must be 'dev' or 'start', got {mode!r}")
    options = options or WorkerOptions()
    database = Database(settings.database_url)
    owned_registry = registry is None
    registry = registry or ModelRegistry(llm_threads=settings.llm_threads)
    metrics = AgentMetrics()
    # livekit plugins register themselves on import and insist on the main thread: import here, not in a job.
    require_module("livekit.plugins.silero", extra="agent", package="livekit-plugins-silero")
    await asyncio.to_thread(prewarm_models, registry, options)
    http = metrics.serve(options.metrics_port, host=options.metrics_host) if options.metrics_port else None
    server = build_server(settings, options=options, registry=registry, database=database, metrics=metrics)
    stop = stop or asyncio.Event()
    runner = asyncio.get_running_loop().create_task(server.run(devmode=mode == "dev"))
    # Assessments run here, outside every job, and only while this worker holds no interview.
    queue = AssessmentQueue(database, registry.completer, busy=lambda: bool(server.active_jobs), metrics=metrics,
                            options=QueueOptions(timeout=options.interview.assessment_timeout))
    assessing = asyncio.get_running_loop().create_task(queue.serve(stop))
    log.info("agent worker %r started (%s mode, %d interviews max)", settings.agent_name, mode,
             options.max_interviews)
    try:
        await asyncio.wait({runner, asyncio.ensure_future(stop.wait())}, return_when=asyncio.FIRST_COMPLETED)
        if mode == "start" and not runner.done():
            await server.drain()
    finally:
        stop.set()
        await asyncio.gather(assessing, return_exceptions=True)
        await server.aclose()
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        if http is not None:
            http.shutdown()
        if owned_registry:
            registry.close()
        database.dispose()


def run_worker(settings: Settings, *, mode: Literal["dev", "start"], options: WorkerOptions | None = None) -> None:
    """Blocking entry for `hrlab agent dev|start`: runs until SIGINT/SIGTERM."""

    options = options or WorkerOptions()
    if not logging.getLogger().handlers:  # the caller's logging setup wins
        # JSON lines in `start` (every record's extra fields: job, room, session, latencies), colour in `dev`.
        setup_logging(options.log_level, devmode=mode == "dev", console=False)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve_worker(settings, mode=mode, options=options, stop=stop)

    asyncio.run(main())
