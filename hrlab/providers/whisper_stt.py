"""Speech to text with faster-whisper on packaged CTranslate2 weights, as a livekit `stt.STT`."""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from livekit.agents import APIConnectOptions, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr
from livekit.agents.utils import AudioBuffer

from hrlab.domain.term_mentions import words_of
from hrlab.providers.audio import frames_to_mono_float
from hrlab.providers.deps import require_module
from hrlab.providers.spec import ProviderError
from hrlab.providers.term_correction import correct_terms
from hrlab.providers.thread_names import working_as

SAMPLE_RATE = 16000
HOP = 160  # samples per mel frame
# The encoder's window with encoder_window="audio": the utterance plus 3 s, and never under 15 s. Whisper was
# trained on 30 s windows; cut to the utterance alone (or to 10 s) it mis-heard Russian far more often, from
# 15 s on it did not (BENCHMARKS.md "Whisper's encoder window").
MARGIN_FRAMES = 300
MIN_WINDOW_FRAMES = 1500
ENCODER_WINDOWS = ("audio", "full")
# People say at least this many words a second; a transcript made only of the hotwords, and slower than
# this, is Whisper echoing its prompt over speech it could not read (BENCHMARKS.md, "a Russian fairness pair").
MIN_WORDS_PER_SECOND = 0.3

log = logging.getLogger(__name__)


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
                 beam_size: int = 5, encoder_window: str = "audio"):
        """`encoder_window` "audio": encode the utterance plus 3 s (at least 15 s), not the whole 30 s window
        Whisper pads every input to: an answer's segment is seconds long, so this halves the encoder's work.
        "full": Whisper's own window.
        """
        faster_whisper = require_module("faster_whisper", package="faster-whisper")
        if encoder_window not in ENCODER_WINDOWS:
            raise ProviderError(f"encoder_window must be one of {ENCODER_WINDOWS}, got {encoder_window!r}")
        self.name = name
        self.english_only = english_only
        self.beam_size = beam_size
        self.encoder_window = encoder_window
        # int8 on two cores; one worker serialises calls on the shared model.
        self._model = _audio_window_model(faster_whisper)(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=1,
        )

    def transcribe(self, samples: np.ndarray, *, language: str, keyterms: Sequence[str] = (),
                   correct: bool = True, prompt: str | None = None) -> Transcript:
        """Transcribe 16 kHz mono float32 samples in `language`, biased towards `keyterms` (blocking).

        `correct`: respell words that sound like a keyterm as the keyterm (hrlab.providers.term_correction).
        `prompt`: text Whisper reads as what came before (measured in bench/stt_terms.py; not used live).
        """
        self.check_language(language)
        options = {}
        if self.encoder_window == "audio":
            self._model.frame_limit.value = max(MIN_WINDOW_FRAMES, len(samples) // HOP + 1 + MARGIN_FRAMES)
            # Timestamp tokens past a cut window, and the retries at higher temperatures that follow, are where
            # Whisper looped (one clip took 22 s in the full window); a single pass at temperature 0 without
            # timestamps did not, and heard as well (same benchmark).
            options = {"without_timestamps": True, "temperature": 0.0}
        try:
            with working_as("stt"):
                segments, _info = self._model.transcribe(
                    samples, language=language, beam_size=self.beam_size,
                    condition_on_previous_text=False, vad_filter=False,
                    hotwords=", ".join(keyterms) if keyterms else None, initial_prompt=prompt, **options,
                )
                segments = list(segments)  # decoding happens here, while the generator is drained
        finally:
            self._model.frame_limit.value = None
        text = " ".join(s.text.strip() for s in segments).strip()
        logprob = (sum(s.avg_logprob for s in segments) / len(segments)) if segments else -10.0
        if correct and keyterms:
            text = correct_terms(text, keyterms, language=language)  # before the echo guard: it sees the terms
        if echoes_hotwords(text, keyterms, seconds=len(samples) / SAMPLE_RATE):
            log.info("dropped a transcript made of the hotwords alone over %.1f s of audio: %r",
                     len(samples) / SAMPLE_RATE, text)
            text, logprob = "", -10.0
        return Transcript(text=text, language=language, duration=len(samples) / SAMPLE_RATE,
                          confidence=math.exp(min(logprob, 0.0)))

    def check_language(self, language: str) -> None:
        """Refuse a language this model cannot transcribe."""
        if not language:
            raise ProviderError("Whisper needs the interview language (e.g. 'en' or 'ru'); none was given")
        if self.english_only and language != "en":
            raise ProviderError(f"whisper/{self.name} is English-only; use whisper/base for {language!r}")


def echoes_hotwords(text: str, keyterms: Sequence[str], *, seconds: float) -> bool:
    """True when every word of `text` comes from the keyterms and there are too few for the audio's length:
    on speech it cannot read, Whisper writes its hotwords ("Java-разработчик" for 15 s of robotic Russian),
    and that would be quoted as the candidate's evidence. A short answer naming a term ("Kafka.") is kept."""
    words = words_of(text)
    hotwords = {w for term in keyterms for w in words_of(term)}
    if not words or not hotwords or not set(words) <= hotwords:
        return False
    return len(words) < MIN_WORDS_PER_SECOND * seconds


@functools.cache
def _audio_window_model(faster_whisper):
    """faster-whisper's WhisperModel whose encoder sees at most `frame_limit.value` mel frames (per thread)."""

    class AudioWindowWhisper(faster_whisper.WhisperModel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.frame_limit = threading.local()

        def encode(self, features: np.ndarray):
            limit = getattr(self.frame_limit, "value", None)
            if limit is not None and features.shape[-1] > limit:
                features = np.ascontiguousarray(features[..., :limit])
            return super().encode(features)

    return AudioWindowWhisper


class WhisperSTT(stt.STT):
    """Batch (non-streaming) STT; AgentSession pairs it with a VAD to cut utterances.

    `keyterms` (e.g. the resume's skills and employers) bias recognition towards those spellings;
    on this corpus they fix names Whisper otherwise mishears, but unrelated terms can hurt, so
    pass only what the candidate is likely to say. Words that still come out sounding like a Latin
    keyterm («пейтхан») are respelled as it (hrlab.providers.term_correction).
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
