"""Rooms and participants come and go cleanly: API control, timeouts, drops, rejoin."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from livekit import api, rtc

from tests.devserver.rtc_helpers import connect, wait_for

pytestmark = pytest.mark.livekit

HOLDER = Path(__file__).with_name("hold_connection.py")


async def _room_names(lk: api.LiveKitAPI) -> set[str]:
    return {r.name for r in (await lk.room.list_rooms(api.ListRoomsRequest())).rooms}


async def test_room_service_controls_rooms_and_participants(devserver):
    lk = devserver.api()
    try:
        room = await lk.room.create_room(api.CreateRoomRequest(name="life-1", max_participants=1))
        assert room.sid.startswith("RM_") and "life-1" in await _room_names(lk)
        first = await connect(devserver.url, devserver.token("first", "life-1"))
        with pytest.raises(rtc.ConnectError):
            await connect(devserver.url, devserver.token("second", "life-1"))
        listed = await lk.room.list_participants(api.ListParticipantsRequest(room="life-1"))
        assert [p.identity for p in listed.participants] == ["first"]
        gone = asyncio.Event()
        first.on("disconnected", lambda reason: gone.set())
        await lk.room.remove_participant(api.RoomParticipantIdentity(room="life-1", identity="first"))
        await asyncio.wait_for(gone.wait(), 5)
        await lk.room.delete_room(api.DeleteRoomRequest(room="life-1"))
        assert "life-1" not in await _room_names(lk)
        with pytest.raises(api.TwirpError) as missing:
            await lk.room.list_participants(api.ListParticipantsRequest(room="life-1"))
        assert missing.value.code == "not_found"
    finally:
        await lk.aclose()


async def test_api_calls_need_valid_credentials_and_grants(devserver):
    forged = api.LiveKitAPI(devserver.http_url, devserver.api_key, "a-wrong-secret-of-a-proper-length-32b")
    try:
        with pytest.raises(api.TwirpError) as refused:
            await forged.room.list_rooms(api.ListRoomsRequest())
        assert refused.value.status == 401
    finally:
        await forged.aclose()
    token = api.AccessToken(devserver.api_key, devserver.api_secret).with_grants(api.VideoGrants(room_list=True))
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{devserver.http_url}/twirp/livekit.RoomService/DeleteRoom", json={"room": "x"},
                             headers={"Authorization": f"Bearer {token.to_jwt()}"}) as response:
            assert response.status == 403
            assert (await response.json())["code"] == "permission_denied"


async def test_rooms_close_after_their_timeouts(devserver):
    lk = devserver.api()
    try:
        await lk.room.create_room(api.CreateRoomRequest(name="life-empty", empty_timeout=1))
        config = api.RoomConfiguration(departure_timeout=1)
        visitor = await connect(devserver.url, devserver.token("visitor", "life-departed", room_config=config))
        assert {"life-empty", "life-departed"} <= await _room_names(lk)
        await visitor.disconnect()
        await asyncio.sleep(2.0)
        assert not {"life-empty", "life-departed"} & await _room_names(lk)
    finally:
        await lk.aclose()


def _hold(devserver, identity: str, room: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(HOLDER), devserver.url, devserver.token(identity, room)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "joined"
    return process


async def test_vanished_participant_is_cleaned_up_and_can_rejoin(devserver):
    watcher = await connect(devserver.url, devserver.token("watcher", "life-drop"))
    holder = await asyncio.to_thread(_hold, devserver, "candidate", "life-drop")
    await wait_for(lambda: "candidate" in watcher.remote_participants)
    left = asyncio.Event()
    watcher.on("participant_disconnected", lambda p: left.set())
    holder.kill()  # no leave message: the connection just drops
    holder.wait()
    await asyncio.wait_for(left.wait(), 10)
    assert "candidate" not in watcher.remote_participants
    again = await connect(devserver.url, devserver.token("candidate", "life-drop"))
    await wait_for(lambda: "candidate" in watcher.remote_participants)
    got: list[bytes] = []
    watcher.on("data_received", lambda p: got.append(p.data))
    await again.local_participant.publish_data(b"back again")
    await wait_for(lambda: got == [b"back again"])
    await again.disconnect()
    await watcher.disconnect()


async def test_same_identity_replaces_the_old_connection(devserver):
    old = await connect(devserver.url, devserver.token("twin", "life-dup"))
    kicked = asyncio.Event()
    old.on("disconnected", lambda reason: kicked.set())
    new = await connect(devserver.url, devserver.token("twin", "life-dup"))
    await asyncio.wait_for(kicked.wait(), 5)
    lk = devserver.api()
    try:
        listed = await lk.room.list_participants(api.ListParticipantsRequest(room="life-dup"))
        assert [p.identity for p in listed.participants] == ["twin"]
    finally:
        await lk.aclose()
    await new.disconnect()
