"""The signal protocol spoken over a raw websocket: what an SDK sees before any media flows."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from livekit import api
from livekit.protocol import agent as agent_pb
from livekit.protocol import models, rtc

pytestmark = pytest.mark.livekit


class SignalClient:
    """A bare signal connection speaking the protobuf protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def send(self, request: rtc.SignalRequest) -> None:
        await self.ws.send_bytes(request.SerializeToString())

    async def next(self, kind: str, timeout: float = 5.0):
        """The next message of `kind`, skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.receive_bytes(), max(0.01, deadline - time.monotonic()))
            response = rtc.SignalResponse.FromString(raw)
            if response.WhichOneof("message") == kind:
                return getattr(response, kind)


async def _join(http: aiohttp.ClientSession, ds, identity: str, room: str, **grant) -> tuple[SignalClient, rtc.JoinResponse]:
    grants = api.VideoGrants(room_join=True, room=room, **grant)
    token = api.AccessToken(ds.api_key, ds.api_secret).with_identity(identity).with_grants(grants).to_jwt()
    ws = await http.ws_connect(f"{ds.url}/rtc", params={"access_token": token, "protocol": "17"})
    client = SignalClient(ws)
    return client, await client.next("join")


async def test_health_and_single_pc_path(signal_devserver):
    async with aiohttp.ClientSession() as http:
        async with http.get(signal_devserver.http_url + "/") as response:
            assert await response.text() == "OK"
        async with http.get(signal_devserver.http_url + "/rtc/v1") as response:
            assert response.status == 404


async def test_join_response_and_subscriber_offer(signal_devserver):
    async with aiohttp.ClientSession() as http:
        alice, join = await _join(http, signal_devserver, "alice", "sig-1", can_publish_sources=["microphone"])
        assert join.room.name == "sig-1" and join.room.sid.startswith("RM_")
        assert join.participant.identity == "alice" and join.participant.sid.startswith("PA_")
        assert list(join.participant.permission.can_publish_sources) == [models.TrackSource.MICROPHONE]
        assert join.ping_interval > 0 and join.ping_timeout > join.ping_interval
        assert join.subscriber_primary
        offer = await alice.next("offer")
        assert "m=application" in offer.sdp and "a=candidate" in offer.sdp and "127.0.0.1" in offer.sdp
        bob, bob_join = await _join(http, signal_devserver, "bob", "sig-1")
        assert [p.identity for p in bob_join.other_participants] == ["alice"]
        update = await alice.next("update")
        assert [(p.identity, p.state) for p in update.participants] == [("bob", models.ParticipantInfo.State.JOINED)]
        await bob.send(rtc.SignalRequest(leave=rtc.LeaveRequest(reason=models.DisconnectReason.CLIENT_INITIATED)))
        update = await alice.next("update")
        assert update.participants[0].state == models.ParticipantInfo.State.DISCONNECTED
        await alice.ws.close()
        await bob.ws.close()


async def test_bad_messages_do_not_end_the_session(signal_devserver):
    async with aiohttp.ClientSession() as http:
        client, _ = await _join(http, signal_devserver, "robust", "sig-2")
        await client.ws.send_bytes(b"\xff\x00 not a protobuf")
        await client.ws.send_str("text frames are not the protocol")
        await client.send(rtc.SignalRequest(trickle=rtc.TrickleRequest(candidateInit="{not json", target=0)))
        await client.send(rtc.SignalRequest(ping_req=rtc.Ping(timestamp=1234)))
        pong = await client.next("pong_resp")
        assert pong.last_ping_timestamp == 1234
        await client.ws.close()


async def test_publish_and_metadata_requests_are_answered(signal_devserver):
    async with aiohttp.ClientSession() as http:
        mic, _ = await _join(http, signal_devserver, "mic", "sig-3", can_publish_sources=["microphone"],
                             can_update_own_metadata=True)
        await mic.send(rtc.SignalRequest(add_track=rtc.AddTrackRequest(
            cid="c1", name="mic", type=models.TrackType.AUDIO, source=models.TrackSource.MICROPHONE)))
        published = await mic.next("track_published")
        assert published.cid == "c1" and published.track.sid.startswith("TR_")
        await mic.send(rtc.SignalRequest(add_track=rtc.AddTrackRequest(
            cid="c2", name="cam", type=models.TrackType.VIDEO, source=models.TrackSource.CAMERA)))
        refused = await mic.next("request_response")
        assert refused.reason == rtc.RequestResponse.Reason.NOT_ALLOWED
        await mic.send(rtc.SignalRequest(update_metadata=rtc.UpdateParticipantMetadata(
            metadata="m1", attributes={"k": "v"}, request_id=7)))
        answer = await mic.next("request_response")
        assert (answer.request_id, answer.reason) == (7, rtc.RequestResponse.Reason.OK)
        plain, _ = await _join(http, signal_devserver, "plain", "sig-3")
        await plain.send(rtc.SignalRequest(update_metadata=rtc.UpdateParticipantMetadata(metadata="x", request_id=8)))
        denied = await plain.next("request_response")
        assert (denied.request_id, denied.reason) == (8, rtc.RequestResponse.Reason.NOT_ALLOWED)
        await mic.ws.close()
        await plain.ws.close()


async def test_agent_worker_protocol(signal_devserver):
    ds = signal_devserver
    async with aiohttp.ClientSession() as http:
        plain = api.AccessToken(ds.api_key, ds.api_secret).with_grants(api.VideoGrants(room_list=True)).to_jwt()
        async with http.get(f"{ds.http_url}/agent", headers={"Authorization": f"Bearer {plain}"}) as response:
            assert response.status == 401 and "agent grant" in await response.text()
        token = api.AccessToken(ds.api_key, ds.api_secret).with_grants(api.VideoGrants(agent=True)).to_jwt()
        ws = await http.ws_connect(f"{ds.url}/agent", headers={"Authorization": f"Bearer {token}"})
        register = agent_pb.WorkerMessage(register=agent_pb.RegisterWorkerRequest(agent_name="raw-worker"))
        await ws.send_bytes(register.SerializeToString())
        answer = agent_pb.ServerMessage.FromString(await ws.receive_bytes(timeout=5))
        assert answer.register.worker_id.startswith("AW_")
        await ws.send_bytes(b"\x01garbage")
        await ws.send_bytes(agent_pb.WorkerMessage(ping=agent_pb.WorkerPing(timestamp=99)).SerializeToString())
        pong = agent_pb.ServerMessage.FromString(await ws.receive_bytes(timeout=5))
        assert pong.pong.last_timestamp == 99
        await ws.close()


async def test_twirp_accepts_json_bodies(signal_devserver):
    ds = signal_devserver
    token = api.AccessToken(ds.api_key, ds.api_secret).with_grants(api.VideoGrants(room_create=True)).to_jwt()
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{ds.http_url}/twirp/livekit.RoomService/CreateRoom", json={"name": "sig-json"},
                             headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200
            assert (await response.json())["name"] == "sig-json"
        async with http.post(f"{ds.http_url}/twirp/livekit.RoomService/Nope", json={},
                             headers={"Authorization": f"Bearer {token}"}) as response:
            assert (await response.json())["code"] == "bad_route"


async def _worker_message(ws) -> agent_pb.ServerMessage:
    return agent_pb.ServerMessage.FromString(await ws.receive_bytes(timeout=5))


async def test_job_lifecycle_for_an_automatic_dispatch(signal_devserver):
    ds = signal_devserver
    token = api.AccessToken(ds.api_key, ds.api_secret).with_grants(api.VideoGrants(agent=True)).to_jwt()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(f"{ds.url}/agent", headers={"Authorization": f"Bearer {token}"})
        await ws.send_bytes(agent_pb.WorkerMessage(register=agent_pb.RegisterWorkerRequest()).SerializeToString())
        worker_id = (await _worker_message(ws)).register.worker_id
        candidate, _ = await _join(http, ds, "candidate", "sig-auto")
        job = (await _worker_message(ws)).availability.job
        assert job.room.name == "sig-auto" and job.id.startswith("AJ_") and job.agent_name == ""
        await ws.send_bytes(agent_pb.WorkerMessage(availability=agent_pb.AvailabilityResponse(
            job_id=job.id, available=True, participant_identity="agent-x")).SerializeToString())
        assignment = (await _worker_message(ws)).assignment
        claims = api.TokenVerifier(ds.api_key, ds.api_secret).verify(assignment.token)
        assert (claims.identity, claims.video.room, claims.video.agent, claims.kind) == (
            "agent-x", "sig-auto", True, "agent")
        await ws.send_bytes(agent_pb.WorkerMessage(update_job=agent_pb.UpdateJobStatus(
            job_id=job.id, status=agent_pb.JobStatus.JS_RUNNING)).SerializeToString())
        lk = ds.api()
        try:
            dispatches = await lk.agent_dispatch.list_dispatch("sig-auto")
            assert dispatches[0].state.jobs[0].state.status == agent_pb.JobStatus.JS_RUNNING
            assert dispatches[0].state.jobs[0].state.worker_id == worker_id
            await lk.room.delete_room(api.DeleteRoomRequest(room="sig-auto"))
        finally:
            await lk.aclose()
        assert (await _worker_message(ws)).termination.job_id == job.id
        await ws.close()
        await candidate.ws.close()
