"""Synthesizers for the simulated candidate over hrlab's local TTS engines (piper, festival, espeak).

A voice may be played at another speed, "festival/ru@0.88": lower and slower together, as if another speaker
(the only second Russian voice the default STT understands: espeak/ru is near WER 1 at every rate).
"""

from __future__ import annotations

import re

import numpy as np

from hrlab.lab.synthesis import SAMPLE_RATE
from hrlab.providers.spec import ProviderError, parse_provider

RETIMED = re.compile(r"^(?P<provider>[^@]+)@(?P<speed>\d+(\.\d+)?)$")
SPEED_RANGE = (0.7, 1.4)  # beyond this a voice stops sounding like speech


class EngineSynthesizer:
    """A lab Synthesizer over a providers TTS engine (`synthesize_pcm(text)` chunks at `sample_rate`)."""

    def __init__(self, engine, *, voice: str):
        self.engine = engine
        self.voice = voice

    def synthesize(self, text: str, language: str) -> np.ndarray:
        """The whole text as 16 kHz mono int16 samples (the engine's rate converted with livekit's resampler)."""
        pcm = np.frombuffer(b"".join(self.engine.synthesize_pcm(text)), dtype="<i2")
        return resample_int16(pcm, int(self.engine.sample_rate), SAMPLE_RATE)

    def close(self) -> None:
        """Stop the engine's helper process, if it has one (festival)."""
        close = getattr(self.engine, "close", None)
        if callable(close):
            close()


def resample_int16(pcm: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """Mono int16 samples from `source_rate` to `target_rate` (livekit's high-quality resampler)."""
    if source_rate == target_rate or len(pcm) == 0:
        return pcm.astype(np.int16)
    from livekit import rtc

    frame = rtc.AudioFrame(data=pcm.astype("<i2").tobytes(), sample_rate=source_rate, num_channels=1,
                           samples_per_channel=len(pcm))
    resampler = rtc.AudioResampler(source_rate, target_rate, num_channels=1,
                                   quality=rtc.AudioResamplerQuality.HIGH)
    frames = resampler.push(frame) + resampler.flush()
    return np.concatenate([np.frombuffer(f.data, dtype=np.int16) for f in frames]) if frames else pcm[:0]


class RetimedSynthesizer:
    """Another synthesizer's speech played `speed` times as fast: pitch and tempo move together (tape speed)."""

    def __init__(self, inner: EngineSynthesizer, *, speed: float, voice: str):
        self.inner = inner
        self.speed = speed
        self.voice = voice

    def synthesize(self, text: str, language: str) -> np.ndarray:
        # The samples taken as recorded at speed x the rate, converted back to the rate: 1/speed as many.
        pcm = self.inner.synthesize(text, language)
        return resample_int16(pcm, round(SAMPLE_RATE * self.speed), SAMPLE_RATE)

    def close(self) -> None:
        self.inner.close()


def synthesizer_for(provider: str) -> EngineSynthesizer | RetimedSynthesizer:
    """A Synthesizer for a local TTS provider string: "piper/en_US-joe", "festival/ru" or "espeak/<voice>",
    optionally played at another speed ("festival/ru@0.88")."""
    retimed = RETIMED.match(provider)
    if retimed:
        speed = float(retimed["speed"])
        if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
            raise ProviderError(f"voice speed must be within {SPEED_RANGE[0]}-{SPEED_RANGE[1]}, got {provider!r}")
        return RetimedSynthesizer(synthesizer_for(retimed["provider"]), speed=speed, voice=provider)
    spec = parse_provider("tts", provider)
    if spec.vendor == "piper":
        from hrlab.providers.piper_tts import PiperEngine

        return EngineSynthesizer(PiperEngine(spec.model), voice=str(spec))
    if spec.vendor == "festival":
        from hrlab.providers.festival_tts import FestivalEngine

        return EngineSynthesizer(FestivalEngine(spec.model), voice=str(spec))
    if spec.vendor == "espeak":
        from hrlab.providers.espeak_tts import EspeakEngine

        return EngineSynthesizer(EspeakEngine(spec.model), voice=str(spec))
    raise ProviderError(f"the simulated candidate needs a local voice (piper, festival, espeak), got {provider!r}")
