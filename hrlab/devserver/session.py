"""One participant's signal connection: the websocket, its requests, and its two peer connections."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from aiohttp import web
from google.protobuf.message import DecodeError
from livekit.protocol import models, rtc

from hrlab.devserver.grants import may_publish_source
from hrlab.devserver.media import AudioFeed
from hrlab.devserver.publisher import PublisherPeer, track_info
from hrlab.devserver.subscriber import SubscriberPeer

if TYPE_CHECKING:
    from hrlab.devserver.participant import Participant
    from hrlab.devserver.room import Room

log = logging.getLogger(__name__)

PING_INTERVAL = 5
PING_TIMEOUT = 15
_LEAVE_FLUSH_SECONDS = 0.5


class SignalSession:
    """Signal side of one participant; the room calls `send`, `send_data`, `subscribe`, `close`."""

    def __init__(self, ws: web.WebSocketResponse, room: Room) -> None:
        self.ws = ws
        self.room = room
        self.participant: Participant | None = None
        self.closed = False
        self.last_ping = time.monotonic()
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._writer: asyncio.Task | None = None
        self.publisher = PublisherPeer(room, lambda: None if self.closed else self.participant, self.send)
        self.subscriber = SubscriberPeer(self.send)
        # livekit-server marks a participant ACTIVE once its media transport connects; the SDKs'
        # `participant_active` event (and agents' wait_for_participant) depend on it.
        for pc in (self.publisher.pc, self.subscriber.pc):
            pc.on("connectionstatechange", self._on_transport_state)

    def _on_transport_state(self) -> None:
        participant = self.participant
        connected = any(pc.connectionState == "connected" for pc in (self.publisher.pc, self.subscriber.pc))
        if self.closed or participant is None or not connected:
            return
        if participant.state != models.ParticipantInfo.State.ACTIVE:
            participant.state = models.ParticipantInfo.State.ACTIVE
            self.room.broadcast_update(participant, include_self=True)

    # --- what the room uses -------------------------------------------------------------------

    def send(self, response: rtc.SignalResponse) -> None:
        """Queue a signal message to the client; dropped once the session is closed."""
        if self.closed or self.ws.closed:
            return
        self._outbox.put_nowait(response.SerializeToString())
        if self._writer is None:
            self._writer = asyncio.ensure_future(self._write_loop())

    async def _write_loop(self) -> None:
        # one writer keeps signal messages in the order they were queued
        try:
            while not self.ws.closed:
                await self.ws.send_bytes(await self._outbox.get())
        except (ConnectionError, RuntimeError) as exc:
            log.info("signal connection of %s lost while sending: %s", self._identity(), exc)

    def send_data(self, payload: bytes, *, channel: str) -> None:
        """Forward a data packet to this participant."""
        self.subscriber.send_data(payload, channel=channel)

    def subscribe(self, publisher: Participant, track: models.TrackInfo, feed: AudioFeed) -> None:
        """Start forwarding `track` to this participant."""
        if not self.closed:
            self.subscriber.subscribe(publisher, track, feed)

    def unsubscribe(self, track_sid: str) -> None:
        """Stop forwarding a track to this participant."""
        self.subscriber.unsubscribe(track_sid)

    def negotiate(self) -> None:
        """Offer the subscriber connection (sent right after the JoinResponse)."""
        self.subscriber.negotiate()

    # --- requests -----------------------------------------------------------------------------

    async def handle(self, raw: bytes) -> None:
        """Handle one SignalRequest; a bad one is logged, never fatal."""
        request = rtc.SignalRequest()
        try:
            request.ParseFromString(raw)
        except DecodeError:
            log.warning("ignored a malformed signal request from %s", self._identity())
            return
        kind = request.WhichOneof("message")
        handler = getattr(self, f"_on_{kind}", None)
        if handler is None:
            log.debug("ignored signal request %s from %s", kind, self._identity())
            return
        await handler(getattr(request, kind))

    async def _on_offer(self, description: rtc.SessionDescription) -> None:
        await self.publisher.on_offer(description)

    async def _on_answer(self, description: rtc.SessionDescription) -> None:
        await self.subscriber.on_answer(description)

    async def _on_trickle(self, trickle: rtc.TrickleRequest) -> None:
        peer = self.publisher if trickle.target == rtc.SignalTarget.PUBLISHER else self.subscriber
        await peer.add_candidate(trickle.candidateInit)

    async def _on_add_track(self, request: rtc.AddTrackRequest) -> None:
        if not may_publish_source(self.participant.permission, request.source):
            log.info("%s may not publish source %s", self._identity(), request.source)
            self.send(rtc.SignalResponse(request_response=rtc.RequestResponse(
                reason=rtc.RequestResponse.Reason.NOT_ALLOWED,
                message="does not have permission to publish this source", add_track=request)))
            return
        info = track_info(request)
        self.publisher.announce(request.cid, info)
        self.send(rtc.SignalResponse(track_published=rtc.TrackPublishedResponse(cid=request.cid, track=info)))

    async def _on_mute(self, request: rtc.MuteTrackRequest) -> None:
        track = self.participant.tracks.get(request.sid)
        if track is not None:
            track.muted = request.muted
            self.participant.touch()
            self.room.broadcast_update(self.participant)

    async def _on_subscription(self, request: rtc.UpdateSubscription) -> None:
        sids = list(request.track_sids) + [s for pt in request.participant_tracks for s in pt.track_sids]
        for track_sid in sids:
            found = self.room.find_track(track_sid)
            if not request.subscribe:
                self.unsubscribe(track_sid)
            elif found is not None and self.participant.permission.can_subscribe:
                self.subscribe(*found)

    async def _on_update_metadata(self, request: rtc.UpdateParticipantMetadata) -> None:
        participant = self.participant
        if not participant.permission.can_update_metadata:
            self._respond(request.request_id, rtc.RequestResponse.Reason.NOT_ALLOWED,
                          "does not have permission to update own metadata")
            return
        participant.metadata = request.metadata or participant.metadata
        participant.name = request.name or participant.name
        for key, value in request.attributes.items():
            if value:
                participant.attributes[key] = value
            else:  # an empty value deletes the attribute, as in LiveKit
                participant.attributes.pop(key, None)
        participant.touch()
        self.room.broadcast_update(participant, include_self=True)
        self._respond(request.request_id, rtc.RequestResponse.Reason.OK, "")

    def _respond(self, request_id: int, reason: int, message: str) -> None:
        self.send(rtc.SignalResponse(request_response=rtc.RequestResponse(
            request_id=request_id, reason=reason, message=message)))

    async def _on_ping(self, timestamp: int) -> None:
        self.last_ping = time.monotonic()
        self.send(rtc.SignalResponse(pong=int(time.time() * 1000)))

    async def _on_ping_req(self, ping: rtc.Ping) -> None:
        self.last_ping = time.monotonic()
        self.send(rtc.SignalResponse(pong_resp=rtc.Pong(
            last_ping_timestamp=ping.timestamp, timestamp=int(time.time() * 1000))))

    async def _on_leave(self, request: rtc.LeaveRequest) -> None:
        await self.room.remove(self.participant, reason=models.DisconnectReason.CLIENT_INITIATED)

    # --- lifetime -----------------------------------------------------------------------------

    def _identity(self) -> str:
        return self.participant.identity if self.participant is not None else "?"

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _LEAVE_FLUSH_SECONDS
        while not self._outbox.empty() and loop.time() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)

    async def close(self, *, reason: int, notify: bool = False) -> None:
        """Tell the client to leave (when `notify`), then close its connections."""
        if self.closed:
            return
        if notify and not self.ws.closed:
            self.send(rtc.SignalResponse(leave=rtc.LeaveRequest(
                reason=reason, action=rtc.LeaveRequest.Action.DISCONNECT)))
            await self._flush()
        self.closed = True
        if self._writer is not None:
            self._writer.cancel()
        await self.subscriber.close()
        await self.publisher.close()
        if not self.ws.closed:
            await self.ws.close()
