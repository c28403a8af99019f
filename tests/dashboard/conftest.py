"""Dashboard fixtures: a seeded run log and database, and a real `hrlab dashboard` server in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from hrlab.dashboard.auth import hash_password
from hrlab.devserver.testing import free_port
from tests.dashboard.seed import seed_database, seed_runlog

USER, PASSWORD = "hr", "correct horse battery"


@dataclass(frozen=True)
class Seeded:
    runlog: Path
    database_url: str
    run_ids: list[str]
    session_ids: list[int]


@pytest.fixture
def seeded(tmp_path) -> Seeded:
    runlog = tmp_path / "runs.duckdb"
    url = f"sqlite:///{tmp_path / 'hrlab.db'}"
    return Seeded(runlog=runlog, database_url=url, run_ids=seed_runlog(runlog), session_ids=seed_database(url))


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(600):  # startup imports gradio and matplotlib: generous on a loaded 2-core machine
        if process.poll() is not None:
            raise RuntimeError(f"dashboard exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"dashboard did not listen on {port}:\n{log.read_text()[-3000:]}")


@pytest.fixture
def dashboard_server(seeded, tmp_path):
    """`hrlab dashboard` over the seeded stores, with one login; yields (url, seeded)."""
    port = free_port()
    env = {**os.environ, "HRLAB_DASHBOARD_USERS": f"{USER}:{hash_password(PASSWORD)}",
           "GRADIO_ANALYTICS_ENABLED": "False", "HRLAB_DATABASE_URL": "sqlite:///" + str(tmp_path / "unused.db")}
    log = tmp_path / "dashboard.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "hrlab.cli", "dashboard", "--runs", str(seeded.runlog),
                                    "--db", seeded.database_url, "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}", seeded
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
