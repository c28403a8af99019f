"""Synthesised candidate answers: the Synthesizer interface and a content-addressed WAV cache."""

from __future__ import annotations

import hashlib
import os
import tempfile
import wave
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

SAMPLE_RATE = 16_000
CACHE_KEY_VERSION = "1"  # bump when the WAV layout or the key recipe changes


@runtime_checkable
class Synthesizer(Protocol):
    """Turns text into speech for the simulated candidate.

    `voice` names the engine and voice (e.g. "piper/en_US-joe"); it is part of the cache key, so a
    different voice never reuses another's audio. `synthesize` returns 16 kHz mono int16 PCM, either
    as little-endian bytes or a 1-D numpy int16 array.
    """

    voice: str

    def synthesize(self, text: str, language: str) -> bytes | np.ndarray: ...


class SynthesisError(RuntimeError):
    """A synthesizer returned something that is not 16 kHz mono int16 PCM."""


def synthesis_cache_key(text: str, language: str, voice: str) -> str:
    """Hex SHA-256 of the voice, language and exact text (whitespace at the ends ignored)."""
    content = "\x1f".join((CACHE_KEY_VERSION, voice, language, text.strip()))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def synthesis_cache_path(cache_dir: Path, key: str) -> Path:
    """Where the WAV for `key` lives: `<cache_dir>/<key[:2]>/<key>.wav`."""
    return Path(cache_dir) / key[:2] / f"{key}.wav"


def synthesize_cached(synthesizer: Synthesizer, text: str, language: str, *, cache_dir: Path) -> Path:
    """Return the cached WAV for this text, synthesising and storing it on a miss."""
    path = synthesis_cache_path(cache_dir, synthesis_cache_key(text, language, synthesizer.voice))
    if path.is_file():
        return path
    pcm = _as_pcm(synthesizer.synthesize(text, language), voice=synthesizer.voice)
    write_wav(path, pcm)
    return path


def write_wav(path: Path, pcm: np.ndarray, *, sample_rate: int = SAMPLE_RATE, channels: int = 1) -> None:
    """Write int16 PCM atomically (a temp file renamed in place), so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle, wave.open(handle, "wb") as out:
            out.setnchannels(channels)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            out.writeframes(np.ascontiguousarray(pcm, dtype="<i2").tobytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_pcm(audio: bytes | np.ndarray, *, voice: str) -> np.ndarray:
    if isinstance(audio, (bytes, bytearray, memoryview)):
        data = bytes(audio)
        if len(data) % 2:
            raise SynthesisError(f"{voice}: PCM bytes must be whole int16 samples, got {len(data)} bytes")
        return np.frombuffer(data, dtype="<i2")
    if isinstance(audio, np.ndarray) and audio.dtype == np.int16 and audio.ndim == 1:
        return audio
    raise SynthesisError(f"{voice}: synthesize must return int16 PCM bytes or a 1-D int16 array, got {type(audio).__name__}")
