"""End of turn from the candidate's voice: Smart Turn v3.2 (open weights, ONNX, Russian and English).

Silence alone cannot tell a finished answer from a thinking pause; Smart Turn reads the last 8 s of
audio (intonation, a trailing "and...") and says how likely the speaker is done. Its weights ship in
the `pipecat-ai` wheel, installed without its dependencies (Makefile): we need only the file.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np

from hrlab.providers.deps import require_module
from hrlab.providers.spec import ProviderError
from hrlab.providers.thread_names import working_as

SAMPLE_RATE = 16000
WINDOW_SECONDS = 8  # the model's input: the last 8 s, zero-padded in front when shorter
_WEIGHTS = ("audio", "turn", "smart_turn", "data", "smart-turn-v3.2-cpu.onnx")


def smart_turn_weights() -> Path:
    """The Smart Turn v3.2 ONNX file inside the installed pipecat-ai package (its code is never imported)."""
    spec = importlib.util.find_spec("pipecat")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location).joinpath(*_WEIGHTS)
        if path.is_file():
            return path
    raise ProviderError("Smart Turn weights not found: install them with "
                        "`uv pip install --no-deps pipecat-ai==1.14.0` (make install does)")


class SmartTurnModel:
    """One loaded Smart Turn session, shared by every interview in the process (calls are serialised)."""

    def __init__(self, weights: Path | None = None, *, threads: int = 1):
        ort = require_module("onnxruntime", package="onnxruntime")
        features = require_module("faster_whisper.feature_extractor", package="faster-whisper")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # ~10-40 ms a call; more threads only steal from STT and the LLM
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(weights or smart_turn_weights()), sess_options=options,
                                             providers=["CPUExecutionProvider"])
        self._features = features.FeatureExtractor(feature_size=80, chunk_length=WINDOW_SECONDS)
        self._lock = threading.Lock()

    def end_probability(self, samples: np.ndarray) -> float:
        """How likely the speaker has finished, from 16 kHz mono float32 audio ending now (blocking)."""
        with working_as("turn"):
            return self._end_probability(samples)

    def _end_probability(self, samples: np.ndarray) -> float:
        window = np.asarray(samples, dtype=np.float32)[-SAMPLE_RATE * WINDOW_SECONDS:]
        window = np.pad(window, (SAMPLE_RATE * WINDOW_SECONDS - len(window), 0))
        # Whisper-style input: zero-mean, unit-variance waveform, then 80 log-mel bins x 800 frames.
        window = (window - window.mean()) / np.sqrt(window.var() + 1e-7)
        mel = self._features(window, padding=0)[np.newaxis].astype(np.float32)
        with self._lock:
            (out,) = self._session.run(None, {"input_features": mel})
        return float(np.asarray(out).reshape(-1)[0])
