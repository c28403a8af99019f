"""`hrlab api` under real gunicorn: its own refusals are JSON, and memory:// limits with workers warn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from hrlab.config import load_settings
from hrlab.serve import shared_limits_warning
from hrlab.store.migrate import upgrade


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn_api(tmp_path):
    url = f"sqlite:///{tmp_path / 'hrlab.db'}"
    upgrade(url)
    port = _free_port()
    log = tmp_path / "api.log"
    env = {**os.environ, "HRLAB_DATABASE_URL": url, "HRLAB_AUTH_MODE": "none"}
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "hrlab.cli", "api", "--port", str(port), "--workers", "2"],
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # polling for readiness; nothing is decided by how long it takes
        try:
            httpx.get(f"{base}/healthz", timeout=5)
            break
        except httpx.HTTPError:
            if process.poll() is not None:
                pytest.fail(log.read_text())
            time.sleep(0.1)
    yield base, log
    process.terminate()
    process.wait(timeout=30)


def test_gunicorn_refusals_are_json_and_memory_limits_warn(gunicorn_api):
    base, log = gunicorn_api
    long_uri = httpx.get(f"{base}/healthz?{'a' * 9000}", timeout=10)
    assert long_uri.status_code == 414
    assert long_uri.headers["content-type"] == "application/json"
    assert long_uri.json()["error"] == "uri_too_long"
    big_header = httpx.get(f"{base}/healthz", headers={"X-Big": "b" * 9000}, timeout=10)
    assert big_header.status_code == 431
    assert big_header.json()["error"] == "request_header_fields_too_large"
    assert "memory:// with 2 workers" in log.read_text()


def _gunicorn_stderr(tmp_path, workers: int, storage: str) -> str:
    """Start `hrlab api` under real gunicorn, wait until it answers, stop it; what it wrote to stderr."""
    url = f"sqlite:///{tmp_path / f'w{workers}.db'}"
    upgrade(url)
    port = _free_port()
    env = {**os.environ, "HRLAB_DATABASE_URL": url, "HRLAB_AUTH_MODE": "none", "HRLAB_RATE_LIMIT_STORAGE_URL": storage}
    command = [sys.executable, "-m", "hrlab.cli", "api", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):  # polling for readiness; nothing is decided by how long it takes
            if process.poll() is not None:
                break
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "Booting worker" in stderr, stderr  # it really was gunicorn, and it really started
    return stderr


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_with_memory_limits_warn_on_stderr(tmp_path, workers):
    stderr = _gunicorn_stderr(tmp_path, workers, "memory://")
    assert f"memory:// with {workers} workers" in stderr
    assert stderr.count("memory://") == 1, stderr  # once: not also by logging's last-resort handler
    assert f"up to {workers}x the configured limits" in stderr
    # Said by the master before any worker boots, so an operator sees it at the top of the log.
    assert stderr.index("memory://") < stderr.index("Booting worker")


def test_one_worker_with_memory_limits_does_not_warn(tmp_path):
    assert "memory://" not in _gunicorn_stderr(tmp_path, 1, "memory://")


def test_no_warning_for_one_worker_or_redis():
    assert shared_limits_warning(load_settings(), 1) is None
    assert shared_limits_warning(load_settings(rate_limit_storage_url="redis://127.0.0.1:6379"), 4) is None
    assert "up to 3x the configured limits" in shared_limits_warning(load_settings(), 3)
