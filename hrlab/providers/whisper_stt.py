"""Speech to text with faster-whisper on packaged CTranslate2 weights, as a livekit `stt.STT`."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from livekit.agents import APIConnectOptions, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr
from livekit.agents.utils import AudioBuffer

from hrlab.providers.audio import frames_to_mono_float
from hrlab.providers.deps import require_module
from hrlab.providers.spec import ProviderError

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Transcript:
    """What one recognition produced."""

    text: str
    language: str
    duration: float
    confidence: float


class WhisperEngine:
    """One loaded Whisper model; thread-safe, shared by every interview in the process."""

    def __init__(self, model_dir: Path, *, name: str, english_only: bool, cpu_threads: int = 0,
                 beam_size: int = 5):
        faster_whisper = require_module("faster_whisper", package="faster-whisper")
        self.name = name
        self.english_only = english_only
        self.beam_size = beam_size
        # int8 on two cores: base runs at RTF ~0.13 with beam 5. One worker serialises calls on the shared model.
        self._model = faster_whisper.WhisperModel(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=1,
        )

    def transcribe(self, samples: np.ndarray, *, language: str, keyterms: Sequence[str] = ()) -> Transcript:
        """Transcribe 16 kHz mono float32 samples in `language`, biased towards `keyterms` (blocking)."""
        self.check_language(language)
        segments, _info = self._model.transcribe(
            samples, language=language, beam_size=self.beam_size,
            condition_on_previous_text=False, vad_filter=False,
            hotwords=", ".join(keyterms) if keyterms else None,
        )
        segments = list(segments)
        text = " ".join(s.text.strip() for s in segments).strip()
        logprob = (sum(s.avg_logprob for s in segments) / len(segments)) if segments else -10.0
        return Transcript(text=text, language=language, duration=len(samples) / SAMPLE_RATE,
                          confidence=math.exp(min(logprob, 0.0)))

    def check_language(self, language: str) -> None:
        """Refuse a language this model cannot transcribe."""
        if not language:
            raise ProviderError("Whisper needs the interview language (e.g. 'en' or 'ru'); none was given")
        if self.english_only and language != "en":
            raise ProviderError(f"whisper/{self.name} is English-only; use whisper/base for {language!r}")


class WhisperSTT(stt.STT):
    """Batch (non-streaming) STT; AgentSession pairs it with a VAD to cut utterances.

    `keyterms` (e.g. the resume's skills and employers) bias recognition towards those spellings;
    on this corpus they fix names Whisper otherwise mishears, but unrelated terms can hurt, so
    pass only what the candidate is likely to say.
    """

    def __init__(self, engine: WhisperEngine, *, language: str, keyterms: Sequence[str] = ()):
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False, keyterms=True))
        engine.check_language(language)
        self._engine = engine
        self._language = language
        self._keyterms = list(keyterms)
        self._session_keyterms: list[str] = []

    @property
    def keyterms(self) -> list[str]:
        """The caller's keyterms, then the framework's, without repeats."""
        return list(dict.fromkeys([*self._keyterms, *self._session_keyterms]))

    def update_options(self, *, keyterms: Sequence[str] | None = None) -> None:
        """Replace the caller's keyterms (the next recognition uses them)."""
        if keyterms is not None:
            self._keyterms = list(keyterms)

    def _update_session_keyterms(self, keyterms: list[str]) -> None:
        self._session_keyterms = list(keyterms)

    @property
    def model(self) -> str:
        return f"whisper-{self._engine.name}"

    @property
    def provider(self) -> str:
        return "faster-whisper"

    async def _recognize_impl(
        self, buffer: AudioBuffer, *, language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        lang = language if isinstance(language, str) and language else self._language
        samples = frames_to_mono_float(buffer, sample_rate=SAMPLE_RATE)
        result = await asyncio.to_thread(self._engine.transcribe, samples, language=lang, keyterms=self.keyterms)
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            request_id=uuid.uuid4().hex,
            alternatives=[stt.SpeechData(language=result.language, text=result.text, start_time=0.0,
                                         end_time=result.duration, confidence=result.confidence)],
        )
