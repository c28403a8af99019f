"""One participant's signal connection: the websocket, its two peer connections, its requests."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from aiohttp import web
from aiortc import RTCDataChannel, RTCPeerConnection, RTCSessionDescription
from google.protobuf.message import DecodeError
from livekit.protocol import models, rtc

from hrlab.devserver import data
from hrlab.devserver.grants import may_publish_source
from hrlab.devserver.ids import new_sid
from hrlab.devserver.media import AudioFeed, ForwardedAudioTrack
from hrlab.devserver.peers import (
    add_remote_candidate, loopback_candidates_only, media_directions, new_peer_connection, use_opus_only,
)

if TYPE_CHECKING:
    from hrlab.devserver.participant import Participant
    from hrlab.devserver.room import Room

log = logging.getLogger(__name__)

PING_INTERVAL = 5
PING_TIMEOUT = 15
_PENDING_DATA_LIMIT = 256


class SignalSession:
    """Signal and media state of one participant; the room calls `send`, `subscribe`, `close`."""

    def __init__(self, ws: web.WebSocketResponse, room: Room) -> None:
        self.ws = ws
        self.room = room
        self.participant: Participant | None = None
        self.publisher: RTCPeerConnection = new_peer_connection()
        self.subscriber: RTCPeerConnection = new_peer_connection()
        self.closed = False
        self.last_ping = time.monotonic()
        self._pending_tracks: dict[str, models.TrackInfo] = {}
        self._mid_tracks: dict[str, str] = {}  # publisher mid -> published track sid
        self._subscriptions: dict[str, tuple[object, ForwardedAudioTrack, AudioFeed]] = {}
        self._subscribed_notices: list[tuple[Participant, str]] = []
        self._offer_lock = asyncio.Lock()
        self._answer_received = asyncio.Event()
        self._answer_received.set()
        self._offer_wanted = False
        self._offer_task: asyncio.Task | None = None
        self._offer_id = 0
        self._pending_candidates: dict[int, list[str]] = {0: [], 1: []}
        self._channels: dict[str, RTCDataChannel] = {}
        self._pending_data: list[tuple[bytes, str]] = []
        self._tasks: set[asyncio.Task] = set()
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._writer: asyncio.Task | None = None
        self._setup_subscriber()
        self._setup_publisher()

    # --- outgoing -----------------------------------------------------------------------------

    def send(self, response: rtc.SignalResponse) -> None:
        """Queue a signal message to the client; dropped once the session is closed."""
        if self.closed or self.ws.closed:
            return
        self._outbox.put_nowait(response.SerializeToString())
        if self._writer is None:
            self._writer = self._spawn(self._write_loop())

    async def _write_loop(self) -> None:
        # one writer keeps signal messages in the order they were queued
        while not self.ws.closed:
            raw = await self._outbox.get()
            await self.ws.send_bytes(raw)

    def send_data(self, payload: bytes, *, channel: str) -> None:
        """Send a data packet on the subscriber channel of the same kind."""
        target = self._channels.get(channel if channel == data.RELIABLE else data.LOSSY)
        if target is not None and target.readyState == "open":
            target.send(payload)
        elif channel == data.RELIABLE and len(self._pending_data) < _PENDING_DATA_LIMIT:
            self._pending_data.append((payload, channel))

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None and not self.closed:
            log.warning("signal task failed: %r", task.exception())

    # --- peer connections ---------------------------------------------------------------------

    def _setup_subscriber(self) -> None:
        reliable = self.subscriber.createDataChannel(data.RELIABLE, ordered=True)
        lossy = self.subscriber.createDataChannel(data.LOSSY, ordered=False, maxRetransmits=0)
        for channel in (reliable, lossy):
            self._channels[channel.label] = channel
            channel.on("open", self._flush_pending_data)

    def _flush_pending_data(self) -> None:
        pending, self._pending_data = self._pending_data, []
        for payload, channel in pending:
            self.send_data(payload, channel=channel)

    def _setup_publisher(self) -> None:
        self.publisher.on("datachannel", self._on_datachannel)
        self.publisher.on("track", self._on_track)
        self.publisher.on("connectionstatechange", self._on_publisher_state)

    def _on_publisher_state(self) -> None:
        if self.publisher.connectionState == "failed":
            log.info("publisher connection of %s failed", self._identity())

    def _on_datachannel(self, channel: RTCDataChannel) -> None:
        label = channel.label

        def on_message(message) -> None:
            if isinstance(message, str):
                message = message.encode()
            if self.participant is not None and not self.closed:
                data.route(self.room, self.participant, message, channel=label)

        channel.on("message", on_message)

    def _on_track(self, track) -> None:
        if track.kind != "audio":
            log.info("%s published %s: only audio is forwarded by the devserver", self._identity(), track.kind)
            return
        transceiver = next((t for t in self.publisher.getTransceivers() if t.receiver.track is track), None)
        info = self._pending_tracks.pop(track.id, None)
        if info is None and self._pending_tracks:
            info = self._pending_tracks.pop(next(iter(self._pending_tracks)))
        if info is None or transceiver is None:
            log.warning("%s sent a track nobody announced with add_track; ignored", self._identity())
            return
        info.mid = transceiver.mid or ""
        info.mime_type = "audio/opus"
        self._mid_tracks[info.mid] = info.sid
        feed = AudioFeed(info.sid)
        feed.attach(transceiver.receiver)
        self.room.publish(self.participant, info, feed)

    # --- subscriber side ----------------------------------------------------------------------

    def subscribe(self, publisher: Participant, track: models.TrackInfo, feed: AudioFeed) -> None:
        """Start sending `track` to this participant; renegotiates the subscriber connection."""
        if self.closed or track.sid in self._subscriptions:
            return
        forwarded = feed.subscribe()
        transceiver = self.subscriber.addTransceiver(forwarded, direction="sendonly")
        use_opus_only(transceiver)
        # LiveKit's convention: stream id "<participant sid>|<track sid>", track id = track sid.
        transceiver.sender._stream_id = f"{publisher.sid}|{track.sid}"
        transceiver.sender._track_id = track.sid
        self._subscriptions[track.sid] = (transceiver, forwarded, feed)
        self._subscribed_notices.append((publisher, track.sid))
        self.negotiate()

    def unsubscribe(self, track_sid: str) -> None:
        """Stop sending a track to this participant."""
        entry = self._subscriptions.pop(track_sid, None)
        if entry is None:
            return
        transceiver, forwarded, feed = entry
        feed.unsubscribe(forwarded)
        transceiver.direction = "inactive"
        if not self.closed:
            self.negotiate()

    def negotiate(self) -> None:
        """Send a new subscriber offer soon (coalesced; one offer in flight at a time)."""
        self._offer_wanted = True
        if self._offer_task is None or self._offer_task.done():
            self._offer_task = self._spawn(self._offer_loop())

    async def _offer_loop(self) -> None:
        while self._offer_wanted and not self.closed:
            await asyncio.wait_for(self._answer_received.wait(), timeout=30)
            self._offer_wanted = False
            await self._send_offer()

    async def _send_offer(self) -> None:
        async with self._offer_lock:
            offer = await self.subscriber.createOffer()
            await self.subscriber.setLocalDescription(offer)
            self._offer_id += 1
            self._answer_received.clear()
            mids = {t.mid: sid for sid, (t, _f, _d) in self._subscriptions.items() if t.mid}
            description = rtc.SessionDescription(
                type="offer", sdp=self.subscriber.localDescription.sdp, id=self._offer_id, mid_to_track_id=mids
            )
            self.send(rtc.SignalResponse(offer=description))
        notices, self._subscribed_notices = self._subscribed_notices, []
        for publisher, track_sid in notices:
            publisher.session.send(rtc.SignalResponse(track_subscribed=rtc.TrackSubscribed(track_sid=track_sid)))

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
        async with self._offer_lock:
            await self.publisher.setRemoteDescription(RTCSessionDescription(loopback_candidates_only(description.sdp), "offer"))
            await self._add_buffered_candidates(rtc.SignalTarget.PUBLISHER)
            answer = await self.publisher.createAnswer()
            await self.publisher.setLocalDescription(answer)
            self.send(rtc.SignalResponse(answer=rtc.SessionDescription(
                type="answer", sdp=self.publisher.localDescription.sdp, id=description.id)))
        self._unpublish_stopped(description.sdp)

    def _unpublish_stopped(self, sdp: str) -> None:
        for mid, direction in media_directions(sdp).items():
            track_sid = self._mid_tracks.get(mid)
            if track_sid and direction in ("inactive", "recvonly"):
                del self._mid_tracks[mid]
                self.room.unpublish(self.participant, track_sid)

    async def _on_answer(self, description: rtc.SessionDescription) -> None:
        await self.subscriber.setRemoteDescription(RTCSessionDescription(loopback_candidates_only(description.sdp), "answer"))
        await self._add_buffered_candidates(rtc.SignalTarget.SUBSCRIBER)
        self._answer_received.set()

    async def _on_trickle(self, trickle: rtc.TrickleRequest) -> None:
        pc = self.publisher if trickle.target == rtc.SignalTarget.PUBLISHER else self.subscriber
        if pc.remoteDescription is None:
            self._pending_candidates[trickle.target].append(trickle.candidateInit)
            return
        await add_remote_candidate(pc, trickle.candidateInit)

    async def _add_buffered_candidates(self, target: int) -> None:
        pc = self.publisher if target == rtc.SignalTarget.PUBLISHER else self.subscriber
        pending, self._pending_candidates[target] = self._pending_candidates[target], []
        for candidate_init in pending:
            await add_remote_candidate(pc, candidate_init)

    async def _on_add_track(self, request: rtc.AddTrackRequest) -> None:
        participant = self.participant
        if not may_publish_source(participant.permission, request.source):
            log.info("%s may not publish source %s", participant.identity, request.source)
            self.send(rtc.SignalResponse(request_response=rtc.RequestResponse(
                reason=rtc.RequestResponse.Reason.NOT_ALLOWED,
                message="does not have permission to publish this source", add_track=request)))
            return
        info = models.TrackInfo(
            sid=new_sid("TR_"), type=request.type, name=request.name, muted=request.muted,
            source=request.source, disable_dtx=request.disable_dtx, stereo=request.stereo,
            disable_red=request.disable_red, encryption=request.encryption, stream=request.stream,
            audio_features=request.audio_features, width=request.width, height=request.height,
        )
        self._pending_tracks[request.cid] = info
        self.send(rtc.SignalResponse(track_published=rtc.TrackPublishedResponse(cid=request.cid, track=info)))

    async def _on_mute(self, request: rtc.MuteTrackRequest) -> None:
        track = self.participant.tracks.get(request.sid)
        if track is None:
            return
        track.muted = request.muted
        self.participant.touch()
        self.room.broadcast_update(self.participant)

    async def _on_subscription(self, request: rtc.UpdateSubscription) -> None:
        sids = list(request.track_sids) + [s for pt in request.participant_tracks for s in pt.track_sids]
        for track_sid in sids:
            if not request.subscribe:
                self.unsubscribe(track_sid)
                continue
            found = self.room.find_track(track_sid)
            if found is not None and self.participant.permission.can_subscribe:
                self.subscribe(found[0], found[1], found[2])

    async def _on_update_metadata(self, request: rtc.UpdateParticipantMetadata) -> None:
        participant = self.participant
        if not participant.permission.can_update_metadata:
            self._respond(request.request_id, rtc.RequestResponse.Reason.NOT_ALLOWED,
                          "does not have permission to update own metadata")
            return
        if request.metadata:
            participant.metadata = request.metadata
        if request.name:
            participant.name = request.name
        for key, value in request.attributes.items():
            if value:
                participant.attributes[key] = value
            else:
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

    async def _drain_outbox(self) -> None:
        for _ in range(50):
            if self._outbox.empty():
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)

    def _identity(self) -> str:
        return self.participant.identity if self.participant is not None else "?"

    async def close(self, *, reason: int, notify: bool = False) -> None:
        """Tell the client to leave (when `notify`), then close its connections."""
        if self.closed:
            return
        if notify and not self.ws.closed:
            leave = rtc.LeaveRequest(reason=reason, action=rtc.LeaveRequest.Action.DISCONNECT)
            self.send(rtc.SignalResponse(leave=leave))
            await self._drain_outbox()
        self.closed = True
        for track_sid in list(self._subscriptions):
            self.unsubscribe(track_sid)
        for task in list(self._tasks):
            task.cancel()
        await self.publisher.close()
        await self.subscriber.close()
        if not self.ws.closed:
            await self.ws.close()
