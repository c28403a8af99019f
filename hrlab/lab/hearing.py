"""What the simulated candidate hears: remote audio frames stamped on the candidate's clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from livekit import rtc

from hrlab.lab.metrics.timing import Segment, speech_segments

SAMPLE_RATE = 16_000


def place_on_clock(chunks: list[tuple[float, np.ndarray]], *, until_s: float | None = None) -> np.ndarray:
    """One mono int16 track: each chunk ends at its time stamp (seconds, sample rate 16 kHz)."""
    if not chunks:
        return np.zeros(0, dtype=np.int16)
    end = max(t for t, _ in chunks) if until_s is None else until_s
    track = np.zeros(int(end * SAMPLE_RATE) + SAMPLE_RATE // 10, dtype=np.int16)
    for t, pcm in chunks:
        stop = min(int(round(t * SAMPLE_RATE)), len(track))
        start = max(0, stop - len(pcm))
        track[start:stop] = pcm[len(pcm) - (stop - start):]
    return track


@dataclass
class Hearing:
    """Collects every remote audio track's frames as (arrival time, samples)."""

    chunks: list[tuple[float, np.ndarray]] = field(default_factory=list)
    _tasks: list[asyncio.Task] = field(default_factory=list)

    def listen(self, track: rtc.Track, *, clock: Callable[[], float], who: str) -> None:
        """Start recording a subscribed audio track."""
        stream = rtc.AudioStream.from_track(track=track, sample_rate=SAMPLE_RATE, num_channels=1)
        self._tasks.append(asyncio.get_running_loop().create_task(self._consume(stream, clock), name=f"hear-{who}"))

    async def _consume(self, stream: rtc.AudioStream, clock: Callable[[], float]) -> None:
        try:
            async for event in stream:
                pcm = np.frombuffer(event.frame.data, dtype=np.int16).copy()
                self.chunks.append((clock(), pcm))
        finally:
            await stream.aclose()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def track(self, *, until_s: float | None = None) -> np.ndarray:
        """Everything heard, as one track on the candidate's clock."""
        return place_on_clock(self.chunks, until_s=until_s)

    def ai_segments(self) -> list[Segment]:
        """Spans where the AI's audio was audible to the candidate."""
        return list(speech_segments(self.track(), sample_rate=SAMPLE_RATE))
