"""The servers a live run needs: a LiveKit server, the interview API, and an agent worker.

The LiveKit server is the devserver (started here) unless `livekit_url` names another one. The API
runs in this process over real HTTP on a SQLite file in the work folder; the agent worker is
`hrlab agent dev` in a subprocess pointed at the same server and database. The devserver and the
worker log to `devserver.log` and `agent-worker.log` in the work folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from hrlab.api import create_app
from hrlab.api.auth import issue_invite
from hrlab.api.serving import serving
from hrlab.config import Settings, load_settings
from hrlab.devserver.testing import stop_process
from hrlab.lab.paths import work_database_file
from hrlab.store import assessment_jobs
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade

log = logging.getLogger(__name__)


class StackError(RuntimeError):
    """A server the run needs did not come up."""


@dataclass
class LiveStack:
    """Handles to the running servers."""

    settings: Settings
    database: Database
    api_url: str
    worker: subprocess.Popen | None
    worker_env: dict[str, str]
    worker_log: Path
    worker_timeout: float
    assessment_wait: float = 90.0
    join_spacing: float = 1.5
    restarts: int = 0
    _settled: bool = False
    _last_join: float = 0.0
    _join_lock: asyncio.Lock | None = None

    async def join_turn(self) -> None:
        """Return when a candidate may join: `join_spacing` s after the previous one, as real candidates
        arrive. Two agent jobs connecting in the same instant have crashed a worker (hrlab/agent/job.py)."""
        self._join_lock = self._join_lock or asyncio.Lock()
        async with self._join_lock:
            await asyncio.sleep(max(0.0, self._last_join + self.join_spacing - time.monotonic()))
            self._last_join = time.monotonic()

    def settle_assessments(self) -> int:
        """Give the worker's queue up to `assessment_wait` s (once); returns how many are still waiting.

        One still pending then is a state, not an error: it stays queued in the work folder's database
        for the next worker or `hrlab assess --pending`."""
        waiting = wait_for_assessments(self.database, seconds=0.0 if self._settled else self.assessment_wait)
        self._settled = True
        if waiting:
            log.info("%d assessment(s) still pending after %.0f s; they stay queued in %s", waiting,
                     self.assessment_wait, self.settings.database_url)
        return waiting

    def invite_headers(self, resume_id: int) -> dict[str, str]:
        """What the simulated candidate's page would send: an invite for its resume."""
        return {"Authorization": f"Bearer {issue_invite(self.settings, resume_id)}"}

    def ensure_worker(self) -> None:
        """Start a new agent worker when the last one died, so one crash fails its runs, not the batch."""
        if self.worker is None or self.worker.poll() is None:
            return
        self.restarts += 1
        crashed = self.worker_log.with_suffix(f".crash{self.restarts}.log")
        self.worker_log.replace(crashed)
        log.warning("agent worker exited with status %s (log kept in %s); starting a new one",
                    self.worker.returncode, crashed)
        self.worker = _start_worker(self.worker_env, self.worker_log)
        _wait_registered(self.worker, self.worker_log, self.worker_timeout)


@contextlib.contextmanager
def _livekit(livekit_url: str | None, api_key: str, api_secret: str, log_path: Path) -> Iterator[tuple[str, str, str]]:
    if livekit_url:
        yield livekit_url, api_key, api_secret
        return
    from hrlab.devserver.testing import running_devserver

    with running_devserver(api_key=api_key, api_secret=api_secret, log_path=log_path) as server:
        yield server.url, server.api_key, server.api_secret


def _start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log_file = log_path.open("wb")  # a fresh log: _wait_registered must not read an earlier worker's lines
    process = subprocess.Popen([sys.executable, "-m", "hrlab.cli", "agent", "dev"], env=env,
                               stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    log_file.close()
    return process


def _wait_registered(process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    """Wait until the worker says it registered with the server (it prints its worker id then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            raise StackError(f"the agent worker exited with status {process.returncode}:\n{tail}")
        if "registered worker" in log_path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise StackError(f"the agent worker did not register within {timeout:.0f} s (log: {log_path})")


def wait_for_assessments(database: Database, *, seconds: float) -> int:
    """Give the worker's assessment queue up to `seconds` to finish; returns how many are still waiting."""
    deadline = time.monotonic() + seconds
    while True:
        with database.session() as session:
            waiting = assessment_jobs.count_waiting(session)
        if waiting == 0 or time.monotonic() >= deadline:
            return waiting
        time.sleep(0.5)


@contextlib.contextmanager
def live_stack(work_dir: Path, *, livekit_url: str | None = None, worker_timeout: float = 180.0,
               assessment_wait: float = 90.0) -> Iterator[LiveStack]:
    """Start what a live run needs; stop it all on exit, after the assessments (LiveStack.settle_assessments)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    base = load_settings()
    external = livekit_url or os.environ.get("HRLAB_RUN_LIVEKIT_URL")
    key, secret = base.livekit_api_key, base.livekit_api_secret.get_secret_value()
    with _livekit(external, key, secret, work_dir / "devserver.log") as (url, key, secret):
        database_url = f"sqlite:///{work_database_file(work_dir)}"
        upgrade(database_url)
        settings = load_settings(livekit_url=url, livekit_api_key=key, livekit_api_secret=secret,
                                 database_url=database_url, rate_limit_ip="100000/minute",
                                 rate_limit_resume="1000/minute", max_live_sessions=1000)
        env = {**os.environ, "LIVEKIT_URL": url, "LIVEKIT_API_KEY": key, "LIVEKIT_API_SECRET": secret,
               "HRLAB_DATABASE_URL": database_url}
        database = Database(database_url)
        log_path = work_dir / "agent-worker.log"
        worker, stack = _start_worker(env, log_path), None
        try:
            _wait_registered(worker, log_path, worker_timeout)
            with serving(create_app(settings, database=database)) as api_url:
                stack = LiveStack(settings=settings, database=database, api_url=api_url, worker=worker,
                                  worker_env=env, worker_log=log_path, worker_timeout=worker_timeout,
                                  assessment_wait=assessment_wait)
                yield stack
            stack.settle_assessments()
        finally:
            stop_process(stack.worker if stack else worker, timeout=20)  # the stack may have restarted it
            database.dispose()
