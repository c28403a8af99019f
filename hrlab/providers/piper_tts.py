"""English text to speech with piper-tts and the packaged en_US-joe voice."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from hrlab.providers.deps import require_module
from hrlab.providers.model_files import piper_voice_files


class PiperEngine:
    """One loaded Piper voice (ONNX); calls are serialised because the session is shared."""

    def __init__(self, voice: str):
        piper = require_module("piper", package="piper-tts")
        model, config = piper_voice_files(voice)
        self.name = voice
        self._voice = piper.PiperVoice.load(model, config_path=config)
        self.sample_rate = int(self._voice.config.sample_rate)
        self._lock = threading.Lock()

    def synthesize_pcm(self, text: str) -> Iterator[bytes]:
        """16-bit mono PCM, one chunk per sentence piper finds (blocking)."""
        with self._lock:
            chunks = [c.audio_int16_bytes for c in self._voice.synthesize(text)]
        yield from chunks
