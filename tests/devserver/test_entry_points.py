"""The public entry points: the test helper's lifecycle, the CLI, and the private-namespace runner."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from hrlab.devserver import serve
from hrlab.devserver.testing import running_devserver

pytestmark = pytest.mark.livekit


def test_running_devserver_starts_and_stops_cleanly():
    with running_devserver(api_key="k1", api_secret="s1-long-enough") as ds:
        assert ds.url.startswith("ws://127.0.0.1:") and (ds.api_key, ds.api_secret) == ("k1", "s1-long-enough")
        with urllib.request.urlopen(ds.http_url + "/", timeout=5) as response:
            assert response.read() == b"OK"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(ds.http_url + "/", timeout=2)
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(ds.pid, 0)


def test_cli_help_names_every_option():
    out = subprocess.run([sys.executable, "-m", "hrlab.devserver", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for option in ("--host", "--port", "--api-key", "--api-secret"):
        assert option in out


def test_serve_refuses_empty_credentials():
    with pytest.raises(ValueError, match="api_key and api_secret"):
        serve(api_key="", api_secret="secret")


@pytest.mark.skipif(os.geteuid() != 0, reason="a network namespace needs root")
def test_netns_runner_hides_the_host_network():
    result = subprocess.run([sys.executable, "-m", "hrlab.devserver.netns", "--", "ip", "-br", "addr"],
                            capture_output=True, text=True, check=True)
    names = {line.split()[0].split("@")[0] for line in result.stdout.splitlines()}
    assert names == {"lo", "hrlab0", "hrlab1"}
    assert "10.77.0.1" in result.stdout
