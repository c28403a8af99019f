"""Devserver fixtures: a private network namespace for ICE, a running devserver, token helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from hrlab.config import DEV_API_KEY, DEV_API_SECRET
from hrlab.devserver.app import REGISTRY_KEY, build_app
from hrlab.devserver.auth import Credentials
from hrlab.devserver.netns import NetnsError, enter_private_network, in_private_network
from hrlab.devserver.rooms import RoomRegistry
from hrlab.devserver.testing import RunningDevserver, free_port, running_devserver

_HERE = Path(__file__).resolve().parent
_NETNS_PROBLEM: str | None = None


def _only_devserver_tests(config: pytest.Config) -> bool:
    paths = [Path(str(arg).split("::")[0]).resolve() for arg in config.args]
    return bool(paths) and all(p == _HERE or _HERE in p.parents for p in paths)


def pytest_configure(config: pytest.Config) -> None:
    # libwebrtc needs a non-loopback address for ICE; a private namespace gives it one without
    # touching the host's network. Entering it changes the whole process, so do it only when this
    # session runs nothing but devserver tests (otherwise run them via `python -m hrlab.devserver.netns`).
    global _NETNS_PROBLEM
    if in_private_network():
        return
    if not _only_devserver_tests(config):
        _NETNS_PROBLEM = ("needs a private network namespace: run `python -m hrlab.devserver.netns "
                          "pytest tests/devserver` (or pytest tests/devserver alone, as root)")
        return
    try:
        enter_private_network()
    except NetnsError as exc:
        _NETNS_PROBLEM = f"cannot make a private network namespace: {exc}"


@pytest.fixture(scope="session")
def _netns_checked() -> None:
    """Skip (with the reason) when ICE cannot work because no private namespace is in place."""
    if _NETNS_PROBLEM:
        pytest.skip(_NETNS_PROBLEM)


@pytest.fixture(scope="session")
def devserver(_netns_checked):
    """One devserver for the session (each test uses its own room names)."""
    with running_devserver() as server:
        yield server


@pytest.fixture(scope="session")
def signal_devserver():
    """A devserver for signalling-only tests (no ICE), which need no private namespace."""
    with running_devserver() as server:
        yield server


@dataclass
class InProcessDevserver:
    """A devserver on this test's event loop: its URL and credentials plus its live room registry."""

    server: RunningDevserver
    registry: RoomRegistry


@pytest.fixture
async def inprocess_devserver(_netns_checked):
    """A devserver running in the test process, for tests that look at or poke its state."""
    app = build_app(Credentials(DEV_API_KEY, DEV_API_SECRET))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    server = RunningDevserver(f"ws://127.0.0.1:{port}", DEV_API_KEY, DEV_API_SECRET, f"http://127.0.0.1:{port}")
    yield InProcessDevserver(server, app[REGISTRY_KEY])
    await runner.cleanup()
