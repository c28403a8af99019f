"""Voice activity detection with livekit-plugins-silero (its ONNX model ships in the wheel)."""

from __future__ import annotations

from hrlab.providers.deps import require_module


def load_silero(*, min_silence_duration: float = 0.55, activation_threshold: float = 0.5):
    """Load Silero VAD; one instance serves many streams (each stream keeps its own state)."""
    silero = require_module("livekit.plugins.silero", extra="agent", package="livekit-plugins-silero")
    return silero.VAD.load(
        min_silence_duration=min_silence_duration, activation_threshold=activation_threshold, force_cpu=True,
    )
