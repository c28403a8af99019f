"""The publisher peer connection: the client offers, the server answers; tracks and data come in."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Callable

from aiortc import RTCDataChannel, RTCSessionDescription
from livekit.protocol import models, rtc

from hrlab.devserver import data
from hrlab.devserver.ids import new_sid
from hrlab.devserver.media import AudioFeed
from hrlab.devserver.peers import TrickleBuffer, loopback_candidates_only, media_directions, new_peer_connection

if TYPE_CHECKING:
    from hrlab.devserver.participant import Participant
    from hrlab.devserver.room import Room

log = logging.getLogger(__name__)


def track_info(request: rtc.AddTrackRequest) -> models.TrackInfo:
    """The TrackInfo announced for an AddTrackRequest (mid and codec are filled in on arrival)."""
    return models.TrackInfo(
        sid=new_sid("TR_"), type=request.type, name=request.name, muted=request.muted,
        source=request.source, disable_dtx=request.disable_dtx, stereo=request.stereo,
        disable_red=request.disable_red, encryption=request.encryption, stream=request.stream,
        audio_features=request.audio_features, width=request.width, height=request.height,
    )


class PublisherPeer:
    """Receives one participant's tracks and data packets and hands them to the room."""

    def __init__(self, room: Room, participant: Callable[[], Participant | None],
                 send: Callable[[rtc.SignalResponse], None]) -> None:
        self.room = room
        self._participant = participant
        self._send = send
        self.pc = new_peer_connection()
        self._pending_tracks: dict[str, models.TrackInfo] = {}  # cid -> announced track
        self._mid_tracks: dict[str, str] = {}  # mid -> published track sid
        self._trickle = TrickleBuffer()
        self._lock = asyncio.Lock()
        self.pc.on("datachannel", self._on_datachannel)
        self.pc.on("track", self._on_track)

    def announce(self, cid: str, info: models.TrackInfo) -> None:
        """Expect a track with client id `cid` in the next offer."""
        self._pending_tracks[cid] = info

    def _on_datachannel(self, channel: RTCDataChannel) -> None:
        label = channel.label

        def on_message(message) -> None:
            sender = self._participant()
            if sender is not None:
                data.route(self.room, sender, message.encode() if isinstance(message, str) else message,
                           channel=label)

        channel.on("message", on_message)

    def _on_track(self, track) -> None:
        sender = self._participant()
        if track.kind != "audio" or sender is None:
            log.info("%s published %s: only audio is forwarded by the devserver", sender, track.kind)
            return
        transceiver = next((t for t in self.pc.getTransceivers() if t.receiver.track is track), None)
        info = self._pending_tracks.pop(track.id, None)
        if info is None and self._pending_tracks:  # a client whose msid track id differs from its cid
            info = self._pending_tracks.pop(next(iter(self._pending_tracks)))
        if info is None or transceiver is None:
            log.warning("%s sent a track it never announced with add_track; ignored", sender.identity)
            return
        info.mid = transceiver.mid or ""
        info.mime_type = "audio/opus"
        self._mid_tracks[info.mid] = info.sid
        feed = AudioFeed(info.sid)
        feed.attach(transceiver.receiver)
        self.room.publish(sender, info, feed)

    async def on_offer(self, description: rtc.SessionDescription) -> None:
        """Answer the client's offer; tracks it stopped sending are unpublished."""
        async with self._lock:
            offer = RTCSessionDescription(loopback_candidates_only(description.sdp), "offer")
            await self.pc.setRemoteDescription(offer)
            await self._trickle.flush(self.pc)
            await self.pc.setLocalDescription(await self.pc.createAnswer())
            self._send(rtc.SignalResponse(answer=rtc.SessionDescription(
                type="answer", sdp=self.pc.localDescription.sdp, id=description.id)))
        self._unpublish_stopped(description.sdp)

    def _unpublish_stopped(self, sdp: str) -> None:
        sender = self._participant()
        for mid, direction in media_directions(sdp).items():
            track_sid = self._mid_tracks.get(mid)
            if track_sid and sender is not None and direction in ("inactive", "recvonly"):
                del self._mid_tracks[mid]
                self.room.unpublish(sender, track_sid)

    async def add_candidate(self, candidate_init: str) -> None:
        """Add a trickled candidate (kept until the offer arrives)."""
        await self._trickle.add(self.pc, candidate_init)

    async def close(self) -> None:
        """Close the connection (the room has already unpublished the tracks)."""
        await self.pc.close()
