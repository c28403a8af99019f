"""In-process audio for rehearsals: a microphone that plays WAV answers, a speaker that buffers the AI's audio.

Both keep wall-clock time paced at `speed` times real time and log when audio starts and ends, so the
voice-to-voice latency (end of the candidate's audio to the first AI sample played) can be measured.
"""

from __future__ import annotations

import asyncio
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from livekit import rtc
from livekit.agents.voice.io import AudioInput, AudioOutput, AudioOutputCapabilities

from hrlab.errors import InvalidInput

FRAME_SECONDS = 0.02


@dataclass(frozen=True)
class Answer:
    """One recorded answer: 16-bit mono samples and where they came from."""

    samples: np.ndarray
    sample_rate: int
    source: str

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def read_answer(path: Path) -> Answer:
    """Read a 16-bit PCM WAV answer (stereo is mixed down); InvalidInput says what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"answer file {path} does not exist")
    try:
        with wave.open(str(path), "rb") as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            data = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise InvalidInput(f"answer file {path} is not a readable WAV file: {exc}") from None
    if width != 2:
        raise InvalidInput(f"answer file {path} is {8 * width}-bit; 16-bit PCM WAV is needed")
    if not 8000 <= rate <= 48000:
        raise InvalidInput(f"answer file {path} has sample rate {rate} Hz; 8000..48000 Hz is supported")
    samples = np.frombuffer(data, dtype=np.int16).reshape(-1, channels).mean(axis=1).astype(np.int16)
    if len(samples) < rate // 10:
        raise InvalidInput(f"answer file {path} holds under 0.1 s of audio")
    return Answer(samples, rate, str(path))


@dataclass
class PlayedAnswer:
    """When one answer was played into the session (epoch seconds)."""

    source: str
    started_at: float
    ended_at: float | None = None


class AnswerMicrophone(AudioInput):
    """A live microphone: silence, except when an answer is played; frames paced at `speed` x real time."""

    def __init__(self, *, sample_rate: int = 16000, speed: float = 1.0) -> None:
        super().__init__(label="hrlab-answer-microphone")
        self.sample_rate = sample_rate
        self.speed = speed
        self.played: list[PlayedAnswer] = []
        self._samples_per_frame = int(sample_rate * FRAME_SECONDS)
        self._queue: list[np.ndarray] = []
        self._current: PlayedAnswer | None = None
        self._next_at: float | None = None
        self._closed = False

    def play(self, answer: Answer) -> None:
        """Start speaking `answer` with the next frame (resampled to the microphone's rate)."""
        samples = _resample(answer.samples, answer.sample_rate, self.sample_rate)
        frames = [samples[i:i + self._samples_per_frame] for i in range(0, len(samples), self._samples_per_frame)]
        if len(frames[-1]) < self._samples_per_frame:
            frames[-1] = np.pad(frames[-1], (0, self._samples_per_frame - len(frames[-1])))
        self._queue.extend(frames)
        self._current = PlayedAnswer(answer.source, started_at=time.time())
        self.played.append(self._current)

    @property
    def speaking(self) -> bool:
        return bool(self._queue)

    def close(self) -> None:
        """End the stream (the session's audio input stops)."""
        self._closed = True

    async def __anext__(self) -> rtc.AudioFrame:
        if self._closed:
            raise StopAsyncIteration
        now = time.perf_counter()
        if self._next_at is None:
            self._next_at = now
        if self._next_at > now:
            await asyncio.sleep(self._next_at - now)
        self._next_at += FRAME_SECONDS / self.speed
        if self._queue:
            chunk = self._queue.pop(0)
            if not self._queue and self._current is not None:
                self._current.ended_at = time.time()  # the last answer frame is captured now
        else:
            chunk = np.zeros(self._samples_per_frame, dtype=np.int16)
        return rtc.AudioFrame(data=chunk.tobytes(), sample_rate=self.sample_rate, num_channels=1,
                              samples_per_channel=len(chunk))


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return samples
    positions = np.arange(0, len(samples), rate / target)
    return np.interp(positions, np.arange(len(samples)), samples.astype(np.float32)).astype(np.int16)


@dataclass
class PlayedSegment:
    """One stretch of the AI's speech as it was played (epoch seconds)."""

    started_at: float
    sample_rate: int
    chunks: list[bytes] = field(default_factory=list)
    duration: float = 0.0
    played: float | None = None
    interrupted: bool = False

    def pcm(self) -> bytes:
        """The part of the audio that was actually heard."""
        audio = b"".join(self.chunks)
        if self.played is None:
            return audio
        return audio[: int(self.played * self.sample_rate) * 2]


class BufferSpeaker(AudioOutput):
    """Keeps the AI's audio; reports playback started/finished as a speaker playing at `speed` x real time."""

    def __init__(self, *, speed: float = 1.0) -> None:
        super().__init__(label="hrlab-buffer-speaker", capabilities=AudioOutputCapabilities(pause=False))
        self.speed = speed
        self.segments: list[PlayedSegment] = []
        self._segment: PlayedSegment | None = None
        self._finish_timer: asyncio.TimerHandle | None = None

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if self._segment is None:
            self._finish_now(interrupted=False)  # a previous segment still "playing" ends where this one starts
            self._segment = PlayedSegment(started_at=time.time(), sample_rate=frame.sample_rate)
            self.segments.append(self._segment)
            self.on_playback_started(created_at=self._segment.started_at)
        pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, frame.num_channels).mean(axis=1)
        self._segment.chunks.append(pcm.astype(np.int16).tobytes())
        self._segment.duration += frame.duration

    def flush(self) -> None:
        super().flush()
        segment = self._segment
        if segment is None:
            return
        remaining = segment.started_at + segment.duration / self.speed - time.time()
        self._finish_timer = asyncio.get_event_loop().call_later(
            max(0.0, remaining), lambda: self._finish(segment, interrupted=False))
        self._segment = None

    def clear_buffer(self) -> None:
        if self._segment is not None:
            segment, self._segment = self._segment, None
            self._finish(segment, interrupted=True)
        else:
            self._finish_now(interrupted=True)

    def _finish_now(self, *, interrupted: bool) -> None:
        if self._finish_timer is not None:
            self._finish_timer.cancel()
            self._finish_timer = None
            pending = next((s for s in reversed(self.segments) if s.played is None), None)
            if pending is not None:
                self._finish(pending, interrupted=interrupted)

    def _finish(self, segment: PlayedSegment, *, interrupted: bool) -> None:
        if segment.played is not None:
            return
        self._finish_timer = None
        heard = min(segment.duration, (time.time() - segment.started_at) * self.speed)
        segment.played = heard if interrupted else segment.duration
        segment.interrupted = interrupted
        self.on_playback_finished(playback_position=segment.played, interrupted=interrupted)

    def audio(self) -> tuple[bytes, int]:
        """All of the AI's audio that was heard, concatenated, and its sample rate."""
        rate = self.segments[0].sample_rate if self.segments else 16000
        return b"".join(s.pcm() for s in self.segments if s.sample_rate == rate), rate
