"""Tokens and grants are enforced the way livekit-server enforces them."""

from __future__ import annotations

import asyncio
import datetime
import urllib.error
import urllib.request

import pytest
from livekit import api, rtc

from tests.devserver.rtc_helpers import RATE, connect, wait_for

pytestmark = pytest.mark.livekit


def _validate(devserver, token: str) -> tuple[int, str]:
    url = f"{devserver.http_url}/rtc/validate?access_token={token}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _token(devserver, identity: str, *, secret: str | None = None, ttl: float = 600, **grant) -> str:
    grants = api.VideoGrants(room_join=True, **grant)
    token = api.AccessToken(devserver.api_key, secret or devserver.api_secret).with_identity(identity)
    return token.with_grants(grants).with_ttl(datetime.timedelta(seconds=ttl)).to_jwt()


async def test_expired_forged_and_roomless_tokens_are_refused_with_a_reason(devserver):
    expired = _token(devserver, "late", room="g-1", ttl=-120)
    forged = _token(devserver, "mallory", room="g-1", secret="not-the-secret-but-just-as-long-as-one")
    no_join = api.AccessToken(devserver.api_key, devserver.api_secret).with_identity("nomad").with_grants(
        api.VideoGrants(room_list=True, room="g-1")).to_jwt()
    assert _validate(devserver, expired) == (401, "invalid token: token is expired")
    assert _validate(devserver, forged)[1] == "invalid token: signature does not match the API secret"
    assert _validate(devserver, no_join)[1] == "permissions denied: token has no roomJoin grant"
    assert _validate(devserver, _token(devserver, "ok", room="g-1")) == (200, "success")
    with pytest.raises(rtc.ConnectError):
        await connect(devserver.url, forged)


async def test_a_token_only_opens_its_own_room(devserver):
    alice = await connect(devserver.url, _token(devserver, "alice", room="g-room-a"))
    bob = await connect(devserver.url, _token(devserver, "bob", room="g-room-b"))
    assert alice.name == "g-room-a" and bob.name == "g-room-b"
    assert not alice.remote_participants and not bob.remote_participants
    status, reason = _validate_with_room(devserver, _token(devserver, "alice", room="g-room-a"), "g-room-b")
    assert status == 401 and "g-room-a" in reason
    await alice.disconnect()
    await bob.disconnect()


def _validate_with_room(devserver, token: str, room: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{devserver.http_url}/rtc/validate?access_token={token}&room={room}") as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


async def _publish(room: rtc.Room, source, *, timeout: float = 15) -> rtc.LocalTrackPublication:
    # a refused publish gets NOT_ALLOWED, which this SDK ignores and then times out on (10 s)
    track = rtc.LocalAudioTrack.create_audio_track("t", rtc.AudioSource(RATE, 1))
    return await asyncio.wait_for(
        room.local_participant.publish_track(track, rtc.TrackPublishOptions(source=source)), timeout)


async def test_publish_grants_limit_sources(devserver):
    mic_only = await connect(devserver.url, _token(devserver, "cand", room="g-2", can_publish_sources=["microphone"]))
    listener = await connect(devserver.url, _token(devserver, "viewer", room="g-2", can_publish=False))
    publication = await _publish(mic_only, rtc.TrackSource.SOURCE_MICROPHONE)
    assert publication.sid.startswith("TR_")
    with pytest.raises(Exception):
        await _publish(mic_only, rtc.TrackSource.SOURCE_SCREENSHARE_AUDIO, timeout=3)
    with pytest.raises(Exception):
        await _publish(listener, rtc.TrackSource.SOURCE_MICROPHONE, timeout=3)
    assert not listener.local_participant.track_publications
    await wait_for(lambda: "cand" in listener.remote_participants)
    assert list(listener.remote_participants["cand"].track_publications) == [publication.sid]
    await mic_only.disconnect()
    await listener.disconnect()


async def test_data_needs_can_publish_data(devserver):
    mute = await connect(devserver.url, _token(devserver, "mute", room="g-3", can_publish_data=False))
    talker = await connect(devserver.url, _token(devserver, "talker", room="g-3"))
    got: list[bytes] = []
    mute.on("data_received", lambda p: got.append(p.data))
    talker.on("data_received", lambda p: got.append(p.data))
    await mute.local_participant.publish_data(b"should not pass", topic="x")
    await talker.local_participant.publish_data(b"passes", topic="x")
    await wait_for(lambda: got)
    await asyncio.sleep(0.3)
    assert got == [b"passes"]
    await mute.disconnect()
    await talker.disconnect()


async def test_metadata_updates_need_the_grant_and_reach_others(devserver):
    allowed = await connect(devserver.url, _token(devserver, "self-editor", room="g-4", can_update_own_metadata=True))
    denied = await connect(devserver.url, _token(devserver, "plain", room="g-4"))
    await allowed.local_participant.set_metadata('{"stage":"intro"}')
    await allowed.local_participant.set_attributes({"lang": "ru"})
    await wait_for(lambda: denied.remote_participants["self-editor"].attributes.get("lang") == "ru")
    assert denied.remote_participants["self-editor"].metadata == '{"stage":"intro"}'
    try:  # livekit-server answers NOT_ALLOWED; whether the SDK raises on it is the SDK's business
        await asyncio.wait_for(denied.local_participant.set_metadata("nope"), 10)
    except Exception:
        pass
    await asyncio.sleep(0.5)
    assert allowed.remote_participants["plain"].metadata == ""
    await allowed.disconnect()
    await denied.disconnect()
