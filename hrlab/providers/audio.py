"""Convert between livekit audio frames, numpy samples and WAV bytes."""

from __future__ import annotations

import io
import wave

import numpy as np


def frames_to_mono_float(buffer, *, sample_rate: int) -> np.ndarray:
    """Mix a livekit AudioBuffer (frame or list) to mono float32 in [-1, 1] at `sample_rate`."""
    from livekit import rtc

    frames = buffer if isinstance(buffer, list) else [buffer]
    frames = [f for f in frames if f.samples_per_channel > 0]
    if not frames:
        return np.zeros(0, dtype=np.float32)
    frame = rtc.combine_audio_frames(frames)
    if frame.sample_rate != sample_rate:
        frame = _resample(frame, sample_rate)
    pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, frame.num_channels)
    return (pcm.astype(np.float32).mean(axis=1) / 32768.0).astype(np.float32)


def _resample(frame, sample_rate: int):
    from livekit import rtc

    resampler = rtc.AudioResampler(
        frame.sample_rate, sample_rate, num_channels=frame.num_channels,
        quality=rtc.AudioResamplerQuality.HIGH,
    )
    out = resampler.push(frame) + resampler.flush()
    return rtc.combine_audio_frames(out)


def read_wav_frame(path_or_bytes):
    """Read a 16-bit PCM WAV (path or bytes) into one livekit AudioFrame."""
    from livekit import rtc

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else open(path_or_bytes, "rb")
    with source, wave.open(source, "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit PCM WAV, got {8 * wav.getsampwidth()}-bit")
        data = wav.readframes(wav.getnframes())
        return rtc.AudioFrame(
            data=data, sample_rate=wav.getframerate(), num_channels=wav.getnchannels(),
            samples_per_channel=wav.getnframes(),
        )


def wav_pcm(wav_bytes: bytes) -> tuple[bytes, int, int]:
    """(16-bit PCM bytes, sample rate, channels) from WAV bytes."""
    with wave.open(io.BytesIO(wav_bytes), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit PCM WAV, got {8 * wav.getsampwidth()}-bit")
        return wav.readframes(wav.getnframes()), wav.getframerate(), wav.getnchannels()
