"""The served dashboard over HTTP: recordings and data need the login; it listens on 127.0.0.1 only."""

from __future__ import annotations

import socket

import httpx
import pytest

from hrlab.lab.store import RunLog

pytestmark = pytest.mark.slow  # starts the real server (gradio import) in a subprocess


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent; this only picks a route
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_recording_and_config_need_the_login_and_loopback_only(dashboard_server):
    url, seeded = dashboard_server
    with RunLog(seeded.runlog, read_only=True) as runlog:
        wav = runlog.execute("SELECT path FROM audio LIMIT 1")[0][0]
    assert httpx.get(f"{url}/gradio_api/file={wav}").status_code == 401
    assert httpx.get(f"{url}/config").status_code == 401
    port = int(url.rsplit(":", 1)[1])
    other = _other_address()
    if other is not None:
        with socket.socket() as probe:
            assert probe.connect_ex((other, port)) != 0, "the dashboard must not listen beyond 127.0.0.1"
