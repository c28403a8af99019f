"""Start a devserver in a subprocess for tests and notebooks: `with running_devserver() as ds: ...`."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from livekit import api

from hrlab.config import DEV_API_KEY, DEV_API_SECRET


@dataclass(frozen=True)
class RunningDevserver:
    """Where a running devserver listens and the credentials it accepts."""

    url: str
    api_key: str
    api_secret: str
    http_url: str
    pid: int = 0

    def token(self, identity: str, room: str, *, grants: api.VideoGrants | None = None, **claims) -> str:
        """A join token for `identity` in `room` (extra AccessToken `with_*` values as keywords)."""
        token = api.AccessToken(self.api_key, self.api_secret).with_identity(identity)
        token = token.with_grants(grants or api.VideoGrants(room_join=True, room=room))
        for name, value in claims.items():
            token = getattr(token, f"with_{name}")(value)
        return token.to_jwt()

    def api(self) -> api.LiveKitAPI:
        """A LiveKitAPI client for this server (close it with `await lk.aclose()`)."""
        return api.LiveKitAPI(self.http_url, self.api_key, self.api_secret)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(http_url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"devserver exited with status {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(http_url + "/", timeout=1) as response:
                if response.read() == b"OK":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise TimeoutError(f"devserver did not answer GET / within {timeout} s")


def stop_process(process: subprocess.Popen, *, timeout: float) -> None:
    """Ask a child process to stop; kill it when it has not stopped within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_devserver(
    *, api_key: str = DEV_API_KEY, api_secret: str = DEV_API_SECRET, port: int | None = None, startup_timeout: float = 20.0,
    log_path: Path | None = None,
) -> Iterator[RunningDevserver]:
    """Run `python -m hrlab.devserver` on a free port; yield its URL and credentials; stop it after.

    Its log goes to `log_path` when given, else to this process's stderr.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "hrlab.devserver", "--host", "127.0.0.1", "--port", str(port),
               "--api-key", api_key, "--api-secret", api_secret]
    log_file = log_path.open("ab") if log_path is not None else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log_file, env=dict(os.environ))
    if log_file is not None:
        log_file.close()  # the child holds its own descriptor
    http_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(http_url, process, startup_timeout)
        yield RunningDevserver(f"ws://127.0.0.1:{port}", api_key, api_secret, http_url, process.pid)
    finally:
        stop_process(process, timeout=10)
