"""Audio forwarding without decoding: Opus frames go from a publisher's receiver to subscribers' senders.

aiortc would hold received audio in its jitter buffer (4 frames of prefetch, about 100 ms), decode
every frame and re-encode it per subscriber. Instead each received Opus packet is passed straight
on (subscribers' own jitter buffers absorb jitter, as behind any SFU), taken before the decoder and
handed to each subscriber's sender as a pre-encoded packet, which aiortc packetises as it is
(`OpusEncoder.pack`).
"""

from __future__ import annotations

import asyncio
import fractions
import logging

import av
from aiortc import MediaStreamTrack, RTCRtpReceiver
from aiortc.jitterbuffer import JitterFrame
from aiortc.mediastreams import MediaStreamError

log = logging.getLogger(__name__)

OPUS_TIME_BASE = fractions.Fraction(1, 48000)
_QUEUE_FRAMES = 50  # one second of 20 ms frames; a slower subscriber loses the oldest


class ForwardedAudioTrack(MediaStreamTrack):
    """One subscriber's copy of a published audio track, yielding encoded Opus packets."""

    kind = "audio"

    def __init__(self, track_sid: str) -> None:
        super().__init__()
        self._track_sid = track_sid
        self._queue: asyncio.Queue[av.Packet | None] = asyncio.Queue(maxsize=_QUEUE_FRAMES)

    def push(self, packet: av.Packet) -> None:
        """Queue one encoded frame, dropping the oldest when the subscriber lags."""
        if self.readyState != "live":
            return
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(packet)

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        packet = await self._queue.get()
        if packet is None:
            raise MediaStreamError
        return packet

    def stop(self) -> None:
        if self.readyState == "live":
            super().stop()
            if self._queue.full():
                self._queue.get_nowait()
            self._queue.put_nowait(None)


class _EncodedFrameTap:
    """Stands in for the receiver's decoder queue: encoded frames go to the feed, not the decoder."""

    def __init__(self, decoder_put, feed: AudioFeed) -> None:
        self._decoder_put = decoder_put
        self._feed = feed

    def put(self, item) -> None:
        if item is None:  # the receiver is stopping: let its decoder thread end
            self._decoder_put(None)
            return
        _codec, frame = item
        self._feed.publish(frame.data, frame.timestamp)


class _PassThroughJitterBuffer:
    """Releases every audio packet at once: one Opus packet is one frame, and no prefetch is needed."""

    def add(self, packet) -> tuple[bool, JitterFrame | None]:
        return False, JitterFrame(data=packet._data, timestamp=packet.timestamp)


class AudioFeed:
    """One published audio track, fanned out to any number of subscriber tracks."""

    def __init__(self, track_sid: str) -> None:
        self.track_sid = track_sid
        self._subscribers: set[ForwardedAudioTrack] = set()

    def attach(self, receiver: RTCRtpReceiver) -> None:
        """Take encoded frames from `receiver` before they reach its decoder."""
        decoder_queue = receiver._RTCRtpReceiver__decoder_queue
        tap = _EncodedFrameTap(decoder_queue.put, self)
        decoder_queue.put = tap.put  # the decoder thread keeps its queue, which now stays empty
        receiver._RTCRtpReceiver__jitter_buffer = _PassThroughJitterBuffer()

    def publish(self, data: bytes, timestamp: int) -> None:
        """Hand one encoded Opus frame to every subscriber."""
        for track in self._subscribers:
            packet = av.Packet(data)
            packet.pts = timestamp
            packet.time_base = OPUS_TIME_BASE
            track.push(packet)

    def subscribe(self) -> ForwardedAudioTrack:
        """A new subscriber track fed from this feed."""
        track = ForwardedAudioTrack(self.track_sid)
        self._subscribers.add(track)
        return track

    def unsubscribe(self, track: ForwardedAudioTrack) -> None:
        """Stop feeding `track`."""
        self._subscribers.discard(track)
        track.stop()

    def close(self) -> None:
        """Stop every subscriber track."""
        for track in list(self._subscribers):
            self.unsubscribe(track)
