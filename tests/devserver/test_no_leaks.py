"""Opening and closing many rooms leaves no rooms, tasks or threads behind (server run in-process)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from livekit import api

from hrlab.config import DEV_API_KEY, DEV_API_SECRET
from tests.devserver.rtc_helpers import connect, publish_microphone, wait_for

pytestmark = pytest.mark.livekit

KEY, SECRET = DEV_API_KEY, DEV_API_SECRET  # what the inprocess_devserver fixture accepts
_WATCHED = ("/aiortc/", "/aioice/", "/hrlab/devserver/")


def _server_tasks() -> list[asyncio.Task]:
    found = []
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if task is not asyncio.current_task() and code and any(p in code.co_filename for p in _WATCHED):
            found.append(task)
    return found


def _server_threads(before: set[threading.Thread]) -> list[str]:
    # Threads that earlier tests in this process left are not this test's business; "Dummy-N"
    # threads are the SDK's native threads calling back into Python, not the server's.
    return [t.name for t in threading.enumerate()
            if t not in before and t is not threading.main_thread() and not t.name.startswith("Dummy-")]


def _token(identity: str, room: str) -> str:
    grants = api.VideoGrants(room_join=True, room=room)
    config = api.RoomConfiguration(departure_timeout=1)
    return (api.AccessToken(KEY, SECRET).with_identity(identity).with_grants(grants)
            .with_room_config(config).to_jwt())


async def _one_room(url: str, name: str) -> None:
    host = await connect(url, _token("host", name))
    guest = await connect(url, _token("guest", name))
    got: list[bytes] = []
    guest.on("data_received", lambda p: got.append(p.data))
    await publish_microphone(host)
    await host.local_participant.publish_data(b"hi")
    await wait_for(lambda: got and guest.remote_participants["host"].track_publications)
    await guest.disconnect()
    await host.disconnect()


async def test_many_rooms_open_and_close_without_leftovers(inprocess_devserver):
    url = inprocess_devserver.server.url
    before = set(threading.enumerate())
    for batch in range(4):
        await asyncio.gather(*(_one_room(url, f"leak-{batch}-{i}") for i in range(4)))
    await wait_for(lambda: not inprocess_devserver.registry.rooms, timeout=10)
    await wait_for(lambda: not _server_tasks(), timeout=10)
    await wait_for(lambda: not _server_threads(before), timeout=10)
