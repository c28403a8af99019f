"""The audio a candidate plays for one answer: a clip or synthesised speech, thinking pauses inserted."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hrlab.lab.scenario import CandidateTurn
from hrlab.lab.synthesis import SAMPLE_RATE, Synthesizer, synthesize_cached


SNAP_MS = 250


class AnswerAudioError(ValueError):
    """An answer's audio cannot be played as scripted (wrong format, pause past its end)."""


@dataclass(frozen=True)
class AnswerAudio:
    """16 kHz mono int16 samples, and where the scripted pauses sit in them (seconds from the start)."""

    pcm: np.ndarray
    pauses_s: tuple[tuple[float, float], ...]

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / SAMPLE_RATE

    def pauses_at(self, start_s: float) -> tuple[tuple[float, float], ...]:
        """The scripted pauses on the run clock, when the answer starts playing at `start_s`."""
        return tuple((start_s + a, start_s + b) for a, b in self.pauses_s)


def read_wav_16k_mono(path: Path) -> np.ndarray:
    """Read a 16 kHz mono 16-bit WAV; anything else is an AnswerAudioError naming the file."""
    try:
        with wave.open(str(path), "rb") as wav:
            shape = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
            frames = wav.readframes(wav.getnframes())
    except (OSError, wave.Error, EOFError) as exc:
        raise AnswerAudioError(f"{path}: cannot read WAV: {exc}") from None
    if shape != (SAMPLE_RATE, 1, 2):
        raise AnswerAudioError(f"{path}: must be 16 kHz mono 16-bit, got {shape[0]} Hz, {shape[1]} ch, "
                               f"{8 * shape[2]}-bit")
    return np.frombuffer(frames, dtype="<i2").astype(np.int16)


def answer_audio(turn: CandidateTurn, *, language: str, synthesizer: Synthesizer | None = None,
                 cache_dir: Path | None = None, root: Path | None = None) -> AnswerAudio:
    """Load a clip (or synthesise text in `language`, cached) and insert the turn's thinking pauses."""
    if turn.action != "answer":
        raise AnswerAudioError(f"turn {turn.index} is {turn.action!r}, not an answer")
    if turn.audio:
        return with_pauses(read_wav_16k_mono(turn.audio_path(root=root)), turn)
    if synthesizer is None or cache_dir is None:
        raise AnswerAudioError(f"turn {turn.index} is text to synthesise: pass a synthesizer and cache_dir")
    path = synthesize_cached(synthesizer, turn.text or "", language, cache_dir=cache_dir)
    return with_pauses(read_wav_16k_mono(path), turn)


def with_pauses(pcm: np.ndarray, turn: CandidateTurn, *, snap_ms: int = SNAP_MS) -> AnswerAudio:
    """Insert each scripted pause as digital silence; return the samples and the pause intervals.

    A pause moves up to `snap_ms` to a clearly quieter spot, so it falls between words, not inside one.
    """
    pieces, spans, cursor, shift = [], [], 0, 0
    for pause in turn.pauses:
        at = pause.at_ms * SAMPLE_RATE // 1000
        if at > len(pcm):
            raise AnswerAudioError(f"turn {turn.index}: pause at {pause.at_ms} ms is past the end of its "
                                   f"{1000 * len(pcm) // SAMPLE_RATE} ms of speech")
        at = max(cursor, quiet_point(pcm, at, snap=snap_ms * SAMPLE_RATE // 1000))
        silence = pause.duration_ms * SAMPLE_RATE // 1000
        pieces += [pcm[cursor:at], np.zeros(silence, dtype=np.int16)]
        start = (at + shift) / SAMPLE_RATE
        spans.append((start, start + silence / SAMPLE_RATE))
        cursor, shift = at, shift + silence
    pieces.append(pcm[cursor:])
    return AnswerAudio(pcm=np.concatenate(pieces) if pieces else pcm, pauses_s=tuple(spans))


def quiet_point(pcm: np.ndarray, at: int, *, snap: int, frame: int = SAMPLE_RATE // 100) -> int:
    """The centre of the quietest 10 ms frame within `snap` samples of `at`, if it is under half as loud."""
    def loudness(centre: int) -> float:
        chunk = pcm[max(0, centre - frame // 2): centre + frame // 2].astype(np.float64)
        return float(np.sqrt(np.mean(chunk**2))) if len(chunk) else 0.0

    candidates = range(max(0, at - snap), min(len(pcm), at + snap) + 1, frame)
    best = min(candidates, key=lambda c: (loudness(c), abs(c - at)), default=at)
    return best if loudness(best) < 0.5 * loudness(at) else at
