"""A real browser (Debian chromium + livekit-client) holds a conversation through the devserver."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from aiohttp import web

from hrlab.devserver.testing import free_port
from tests.devserver.rtc_helpers import (
    AudioCollector, connect, play_sine, publish_microphone, wait_for,
)

pytestmark = [pytest.mark.livekit, pytest.mark.browser, pytest.mark.slow]

HERE = Path(__file__).with_name("browser")
CLIENT_JS = HERE / "node_modules" / "livekit-client" / "dist" / "livekit-client.umd.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
async def page_server():
    """Serves the test page and livekit-client, and collects the page's report."""
    if CHROMIUM is None:
        pytest.skip("needs Debian chromium (scripts/install-system.sh)")
    if not CLIENT_JS.exists():
        pytest.skip("needs livekit-client: npm ci --prefix tests/devserver/browser")
    reports: asyncio.Queue = asyncio.Queue()

    async def receive(request: web.Request) -> web.Response:
        await reports.put(json.loads(await request.text()))
        return web.Response(text="ok")

    async def page(request: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "page.html")

    async def client_js(request: web.Request) -> web.FileResponse:
        return web.FileResponse(CLIENT_JS)

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/livekit-client.umd.js", client_js)
    app.router.add_post("/report", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", reports
    await runner.cleanup()


def _chromium(url: str, profile: str) -> subprocess.Popen:
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
             "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
             f"--user-data-dir={profile}"]
    return subprocess.Popen([CHROMIUM, *flags, url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_browser_and_sdk_participant_hear_each_other_and_exchange_data(devserver, page_server):
    page_url, reports = page_server
    agent = await connect(devserver.url, devserver.token("agent", "browser-1"))
    got: list[tuple[str, str, bytes]] = []
    heard: list[AudioCollector] = []
    agent.on("data_received", lambda p: got.append((p.participant.identity, p.topic, p.data)))
    agent.on("track_subscribed", lambda track, pub, who: heard.append(AudioCollector(track)))
    source, _ = await publish_microphone(agent)
    tone = asyncio.ensure_future(play_sine(source, 440.0, 20.0))
    token = devserver.token("candidate", "browser-1")
    with tempfile.TemporaryDirectory() as profile:
        browser = _chromium(f"{page_url}/?url={devserver.url}&token={token}", profile)
        try:
            await wait_for(lambda: "candidate" in agent.remote_participants, timeout=30)
            await agent.local_participant.publish_data(b'{"type":"question"}', topic="interview")
            report = await asyncio.wait_for(reports.get(), 30)
        finally:
            browser.terminate()
            browser.wait(timeout=10)
    tone.cancel()
    assert report["ok"], report.get("error")
    assert {"from": "agent", "topic": "interview", "text": '{"type":"question"}'} in report["received"]
    assert abs(report["heardHz"] - 440.0) < 10, f"the browser heard {report['heardHz']} Hz"
    assert ("candidate", "interview", b"hello from the browser") in got
    # Chrome's fake microphone beeps about once a second; the page stays about three seconds
    assert heard and np.count_nonzero(np.abs(heard[0].samples()) > 1000) > 480, "no beep arrived from the browser"
    for collector in heard:
        await collector.close()
    await agent.disconnect()
