"""The subscriber peer connection: the server offers, the client answers; tracks and data go out."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Callable

from aiortc import RTCDataChannel, RTCRtpTransceiver, RTCSessionDescription
from livekit.protocol import models, rtc

from hrlab.devserver import data
from hrlab.devserver.media import AudioFeed, ForwardedAudioTrack
from hrlab.devserver.peers import TrickleBuffer, loopback_candidates_only, new_peer_connection, use_opus_only

if TYPE_CHECKING:
    from hrlab.devserver.participant import Participant

log = logging.getLogger(__name__)

ANSWER_TIMEOUT = 30
_PENDING_DATA_LIMIT = 256


class SubscriberPeer:
    """Sends forwarded tracks and data packets to one participant; renegotiates as tracks come and go."""

    def __init__(self, send: Callable[[rtc.SignalResponse], None]) -> None:
        self._send = send
        self.pc = new_peer_connection()
        self.closed = False
        self._subscriptions: dict[str, tuple[RTCRtpTransceiver, ForwardedAudioTrack, AudioFeed]] = {}
        self._subscribed_notices: list[tuple[Participant, str]] = []
        self._answer_received = asyncio.Event()
        self._answer_received.set()
        self._offer_wanted = False
        self._offer_task: asyncio.Task | None = None
        self._offer_id = 0
        self._trickle = TrickleBuffer()
        self._channels: dict[str, RTCDataChannel] = {}
        self._pending_data: list[tuple[bytes, str]] = []
        self._open_channels()

    def _open_channels(self) -> None:
        reliable = self.pc.createDataChannel(data.RELIABLE, ordered=True)
        lossy = self.pc.createDataChannel(data.LOSSY, ordered=False, maxRetransmits=0)
        for channel in (reliable, lossy):
            self._channels[channel.label] = channel
            channel.on("open", self._flush_pending_data)

    def _flush_pending_data(self) -> None:
        pending, self._pending_data = self._pending_data, []
        for payload, channel in pending:
            self.send_data(payload, channel=channel)

    def send_data(self, payload: bytes, *, channel: str) -> None:
        """Send a data packet on the channel of the same kind (reliable ones wait for it to open)."""
        target = self._channels.get(channel if channel == data.RELIABLE else data.LOSSY)
        if target is not None and target.readyState == "open":
            target.send(payload)
        elif channel == data.RELIABLE and len(self._pending_data) < _PENDING_DATA_LIMIT:
            self._pending_data.append((payload, channel))

    def subscribe(self, publisher: Participant, track: models.TrackInfo, feed: AudioFeed) -> None:
        """Start sending `track`; renegotiates."""
        if self.closed or track.sid in self._subscriptions:
            return
        forwarded = feed.subscribe()
        transceiver = self.pc.addTransceiver(forwarded, direction="sendonly")
        use_opus_only(transceiver)
        # LiveKit's convention: stream id "<participant sid>|<track sid>", track id = track sid.
        transceiver.sender._stream_id = f"{publisher.sid}|{track.sid}"
        transceiver.sender._track_id = track.sid
        self._subscriptions[track.sid] = (transceiver, forwarded, feed)
        self._subscribed_notices.append((publisher, track.sid))
        self.negotiate()

    def unsubscribe(self, track_sid: str) -> None:
        """Stop sending a track; renegotiates."""
        entry = self._subscriptions.pop(track_sid, None)
        if entry is None:
            return
        transceiver, forwarded, feed = entry
        feed.unsubscribe(forwarded)
        transceiver.direction = "inactive"
        if not self.closed:
            self.negotiate()

    def negotiate(self) -> None:
        """Send a new offer soon (coalesced; one offer in flight at a time)."""
        self._offer_wanted = True
        if self._offer_task is None or self._offer_task.done():
            self._offer_task = asyncio.ensure_future(self._offer_loop())
            self._offer_task.add_done_callback(_log_failure)

    async def _offer_loop(self) -> None:
        while self._offer_wanted and not self.closed:
            await asyncio.wait_for(self._answer_received.wait(), timeout=ANSWER_TIMEOUT)
            self._offer_wanted = False
            await self._send_offer()

    async def _send_offer(self) -> None:
        offer = await self.pc.createOffer()
        await self.pc.setLocalDescription(offer)
        self._offer_id += 1
        self._answer_received.clear()
        mids = {t.mid: sid for sid, (t, _f, _d) in self._subscriptions.items() if t.mid}
        self._send(rtc.SignalResponse(offer=rtc.SessionDescription(
            type="offer", sdp=self.pc.localDescription.sdp, id=self._offer_id, mid_to_track_id=mids)))
        # agents' RoomIO waits for this before it plays audio (publication.wait_for_subscription)
        notices, self._subscribed_notices = self._subscribed_notices, []
        for publisher, track_sid in notices:
            publisher.session.send(rtc.SignalResponse(track_subscribed=rtc.TrackSubscribed(track_sid=track_sid)))

    async def on_answer(self, description: rtc.SessionDescription) -> None:
        """Apply the client's answer to the last offer."""
        await self.pc.setRemoteDescription(RTCSessionDescription(loopback_candidates_only(description.sdp), "answer"))
        await self._trickle.flush(self.pc)
        self._answer_received.set()

    async def add_candidate(self, candidate_init: str) -> None:
        """Add a trickled candidate (kept until the answer arrives)."""
        await self._trickle.add(self.pc, candidate_init)

    async def close(self) -> None:
        """Stop every forwarded track and close the connection."""
        self.closed = True
        for track_sid in list(self._subscriptions):
            self.unsubscribe(track_sid)
        if self._offer_task is not None:
            self._offer_task.cancel()
        await self.pc.close()


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("subscriber negotiation failed: %r", task.exception())
