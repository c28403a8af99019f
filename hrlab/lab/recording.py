"""A run's recording: candidate on the left channel, AI on the right, both on the run clock."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hrlab.lab.synthesis import SAMPLE_RATE, write_wav


def write_stereo_wav(path: str | Path, *, candidate: np.ndarray, ai: np.ndarray,
                     sample_rate: int = SAMPLE_RATE) -> Path:
    """Write two mono int16 tracks that start at run time 0 as one stereo WAV (shorter one padded)."""
    length = max(len(candidate), len(ai))
    stereo = np.zeros((length, 2), dtype=np.int16)
    stereo[: len(candidate), 0] = candidate
    stereo[: len(ai), 1] = ai
    path = Path(path)
    write_wav(path, stereo.reshape(-1), sample_rate=sample_rate, channels=2)
    return path


def read_stereo_wav(path: str | Path) -> tuple[np.ndarray, np.ndarray, int]:
    """(candidate, ai, sample_rate) from a recording written by write_stereo_wav."""
    import wave

    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 2 or wav.getsampwidth() != 2:
            raise ValueError(f"{path}: expected a 16-bit stereo WAV")
        rate = wav.getframerate()
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2)
    return frames[:, 0].copy(), frames[:, 1].copy(), rate
