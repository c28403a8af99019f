"""Voice activity detection with livekit-plugins-silero (its ONNX model ships in the wheel)."""

from __future__ import annotations

from hrlab.providers.deps import require_module

UTTERANCE_SILENCE = 0.55  # the turn VAD: this much silence ends what the candidate said
# The phrase VAD (providers/phrase_stt.py): a breath between phrases. Its padding stays under it, so a
# phrase never starts with the end of the one before.
PHRASE_SILENCE = 0.25
PHRASE_PADDING = 0.2


def load_silero(*, min_silence_duration: float = UTTERANCE_SILENCE, activation_threshold: float = 0.5,
                phrases: bool = False):
    """Load Silero VAD; one instance serves many streams (each stream keeps its own state, but they
    share the instance's options). `phrases`: the VAD that cuts phrases for the STT."""
    silero = require_module("livekit.plugins.silero", extra="agent", package="livekit-plugins-silero")
    if phrases:
        return silero.VAD.load(min_silence_duration=PHRASE_SILENCE, prefix_padding_duration=PHRASE_PADDING,
                               activation_threshold=activation_threshold, force_cpu=True)
    return silero.VAD.load(
        min_silence_duration=min_silence_duration, activation_threshold=activation_threshold, force_cpu=True,
    )
