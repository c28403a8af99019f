"""Small helpers shared by the devserver tests: connecting rooms, making and measuring a sine."""

from __future__ import annotations

import asyncio

import numpy as np
from livekit import rtc

RATE = 48000
FRAME = 480  # 10 ms


def sine(freq: float, n_samples: int, *, start: int = 0, amplitude: float = 10000) -> np.ndarray:
    """int16 samples of a sine at `freq` Hz."""
    t = np.arange(start, start + n_samples) / RATE
    return (np.sin(2 * np.pi * freq * t) * amplitude).astype(np.int16)


def dominant_frequency(samples: np.ndarray) -> float:
    """The frequency with the most energy in `samples` (48 kHz)."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * RATE / len(samples))


def trim_silence(samples: np.ndarray, *, threshold: int = 500) -> np.ndarray:
    """The part of `samples` between the first and the last sample louder than `threshold`."""
    loud = np.nonzero(np.abs(samples) > threshold)[0]
    return samples[loud[0]:loud[-1] + 1] if len(loud) else samples[:0]


async def connect(url: str, token: str, **options) -> rtc.Room:
    """A connected rtc.Room."""
    room = rtc.Room()
    await room.connect(url, token, rtc.RoomOptions(**options))
    return room


async def publish_microphone(room: rtc.Room) -> tuple[rtc.AudioSource, rtc.LocalTrackPublication]:
    """Publish a 48 kHz mono microphone track fed from an AudioSource."""
    source = rtc.AudioSource(RATE, 1)
    track = rtc.LocalAudioTrack.create_audio_track("mic", source)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    publication = await room.local_participant.publish_track(track, options)
    return source, publication


async def play_sine(source: rtc.AudioSource, freq: float, seconds: float) -> None:
    """Feed `seconds` of a sine into `source` at real-time pace."""
    for i in range(int(seconds * RATE / FRAME)):
        samples = sine(freq, FRAME, start=i * FRAME)
        await source.capture_frame(rtc.AudioFrame(samples.tobytes(), RATE, 1, FRAME))
    await source.wait_for_playout()


class AudioCollector:
    """Collects every frame of a remote audio track as int16 samples."""

    def __init__(self, track: rtc.Track) -> None:
        self.chunks: list[np.ndarray] = []
        self._task = asyncio.ensure_future(self._read(track))

    async def _read(self, track: rtc.Track) -> None:
        async for event in rtc.AudioStream(track, sample_rate=RATE, num_channels=1):
            self.chunks.append(np.frombuffer(event.frame.data, dtype=np.int16).copy())

    def samples(self) -> np.ndarray:
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.int16)

    async def close(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


async def wait_for(predicate, *, timeout: float = 10.0, interval: float = 0.02) -> None:
    """Wait until `predicate()` is true or fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)
