"""ModelRegistry: builds providers from "vendor/model" strings, loading each model once per process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hrlab.providers.completion import TextCompleter
from hrlab.providers.spec import ProviderError, ProviderSpec, parse_provider
from hrlab.providers.thread_names import working_as
from hrlab.providers.vad import UTTERANCE_SILENCE

# What an interview in each language uses unless configured otherwise: all offline. The question model is
# qwen2.5-1.5b, an instruct model whose prompt is read while the candidate speaks (agent/read_ahead.py): on the
# behaviour suite 11 of 16 questions were its own (the rest probe lines) and 9 of 11 follow-ups built on the
# answer, against 5 of 16 and 4 of 9 for gemma3-270m, at about 2.3 s more to the question (BENCHMARKS.md,
# "Qwen as the question model").
DEFAULT_PROVIDERS = {
    "en": {"stt": "whisper/base", "llm": "llamacpp/qwen2.5-1.5b", "tts": "piper/en_US-joe", "vad": "silero",
           "turn": "smart_turn/v3.2"},
    "ru": {"stt": "whisper/base", "llm": "llamacpp/qwen2.5-1.5b", "tts": "festival/ru", "vad": "silero",
           "turn": "smart_turn/v3.2"},
}


# The assessment job's model, chosen on the labelled set (BENCHMARKS.md, "Assessment"): the job runs
# off the live path, so it may use a bigger model than the interview's questions.
DEFAULT_ASSESSMENT_LLM = "llamacpp/qwen2.5-1.5b"
# Tokens of context per llama.cpp slot, by model; others get the engine's 2048. The assessment model's
# prompts carry a whole transcript, and a long Russian one (Cyrillic costs more tokens) overflowed 2048.
LLM_CTX_PER_SLOT = {"qwen2.5-1.5b": 4096}


def assessment_llm(providers: dict[str, str] | None = None) -> str:
    """The assessment's LLM provider: `providers["assessment"]` when set (e.g. "openai/gpt-4o-mini"), else the
    offline default; the interview's own "llm" does not change it."""
    chosen = (providers or {}).get("assessment") or DEFAULT_ASSESSMENT_LLM
    parse_provider("llm", chosen)  # a typo fails when the interview starts, not after it
    return chosen


def default_providers(language: str) -> dict[str, str]:
    """The offline provider strings for an interview in `language` ("en" or "ru")."""
    if language not in DEFAULT_PROVIDERS:
        raise ProviderError(f"no default providers for language {language!r}; known: {', '.join(DEFAULT_PROVIDERS)}")
    return dict(DEFAULT_PROVIDERS[language])


def _require_agents() -> None:
    # The wrappers subclass livekit-agents' bases; say how to install it before importing them.
    from hrlab.providers.deps import require_module

    require_module("livekit.agents", extra="agent", package="livekit-agents")


def _ctx_option(model: str) -> dict[str, int]:
    return {"ctx_per_slot": LLM_CTX_PER_SLOT[model]} if model in LLM_CTX_PER_SLOT else {}


class ModelRegistry:
    """Create once per worker process; hands out livekit STT/LLM/TTS/VAD objects over shared models.

    Heavy engines (Whisper, llama.cpp, Piper, a warm festival) are cached by provider string; each
    call returns a fresh, cheap livekit wrapper, so one interview's event listeners never see
    another's events.
    """

    def __init__(self, *, model_dir: Path | None = None, stt_threads: int | None = None,
                 llm_threads: int | None = None, llm_parallel: int = 4):
        from hrlab.providers.model_files import default_model_dir

        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self._stt_threads = stt_threads
        self._llm_threads = llm_threads
        self._llm_parallel = llm_parallel
        self._engines: dict[tuple[str, str, str], Any] = {}  # (kind, provider, role)
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def _engine(self, spec: ProviderSpec, build: Callable[[], Any], *, role: str = "") -> Any:
        key = (spec.kind, str(spec), role)
        with self._guard:
            if key in self._engines:
                return self._engines[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # concurrent first requests wait for one load instead of loading twice
            if key not in self._engines:
                # Threads the engine starts now carry its name (thread_names.py); an LLM is named by model,
                # since one worker holds two (questions and assessments).
                with working_as(spec.model if spec.kind == "llm" else spec.kind):
                    self._engines[key] = build()
            return self._engines[key]

    def loaded(self) -> list[str]:
        """Provider strings whose models are loaded, as 'kind:vendor/model'."""
        with self._guard:
            return [f"{kind}:{name}" + (f" ({role})" if role else "") for kind, name, role in self._engines]

    def stt(self, provider: str, *, language: str, keyterms: Sequence[str] = ()):
        """A livekit `stt.STT` for `provider` (e.g. "whisper/base") in `language`, biased to `keyterms`."""
        spec = parse_provider("stt", provider)
        _require_agents()
        if spec.vendor == "openai":
            from hrlab.providers.openai_compat import OpenAIEndpoint, openai_stt

            return openai_stt(spec.model, OpenAIEndpoint.from_env(), language=language, keyterms=keyterms)
        from hrlab.providers.whisper_stt import WhisperSTT

        return WhisperSTT(self._engine(spec, lambda: self._load_whisper(spec.model)), language=language,
                          keyterms=keyterms)

    def _load_whisper(self, model: str):
        from hrlab.providers.deps import require_module
        from hrlab.providers.model_files import whisper_model_dir
        from hrlab.providers.whisper_stt import WhisperEngine

        require_module("faster_whisper", package="faster-whisper")  # before copying 145 MB of weights

        return WhisperEngine(whisper_model_dir(model, self.model_dir), name=model,
                             english_only=model.endswith(".en"), cpu_threads=self._stt_threads or 0)

    def llm(self, provider: str, **options):
        """A livekit `llm.LLM` for "llamacpp/<model>" or "openai/<model>"; options go to its class."""
        spec = parse_provider("llm", provider)
        _require_agents()
        if spec.vendor == "openai":
            from hrlab.providers.openai_compat import OpenAIEndpoint, openai_llm

            return openai_llm(spec.model, OpenAIEndpoint.from_env(), **options)
        from hrlab.providers.llamacpp_llm import LlamaCppLLM

        return LlamaCppLLM(self._llama(spec), **options)

    def completer(self, provider: str) -> TextCompleter:
        """The `complete(prompt, *, max_tokens, stop, temperature)` object for an LLM provider."""
        spec = parse_provider("llm", provider)
        if spec.vendor == "openai":
            from hrlab.providers.openai_compat import OpenAICompleter, OpenAIEndpoint

            return OpenAICompleter(spec.model, OpenAIEndpoint.from_env())
        return self._llama(spec)

    def _llama(self, spec: ProviderSpec):
        def build():
            from hrlab.providers.chat_prompt import CHAT_TEMPLATES
            from hrlab.providers.deps import require_module
            from hrlab.providers.llamacpp_llm import LlamaCppEngine
            from hrlab.providers.model_files import gguf_path

            require_module("xllamacpp", package="xllamacpp")  # before assembling 250 MB to 1.1 GB of GGUF

            return LlamaCppEngine(gguf_path(spec.model, self.model_dir), name=spec.model,
                                  parallel=self._llm_parallel, threads=self._llm_threads,
                                  template=CHAT_TEMPLATES.get(spec.model), **_ctx_option(spec.model))

        return self._engine(spec, build)

    def tts(self, provider: str, **options):
        """A livekit `tts.TTS` for `provider` (e.g. "piper/en_US-joe", "festival/ru", "espeak/ru")."""
        spec = parse_provider("tts", provider)
        _require_agents()
        if spec.vendor == "openai":
            from hrlab.providers.openai_compat import OpenAIEndpoint, openai_tts

            return openai_tts(spec.model, OpenAIEndpoint.from_env(), **options)
        from hrlab.providers.local_tts import LocalTTS

        return LocalTTS(self._engine(spec, lambda: self._load_tts(spec)), provider=spec.vendor)

    @staticmethod
    def _load_tts(spec: ProviderSpec):
        if spec.vendor == "piper":
            from hrlab.providers.piper_tts import PiperEngine

            return PiperEngine(spec.model)
        if spec.vendor == "festival":
            from hrlab.providers.festival_tts import FestivalEngine

            return FestivalEngine(spec.model)
        from hrlab.providers.espeak_tts import EspeakEngine

        return EspeakEngine(spec.model)

    def vad(self, provider: str = "silero", *, min_silence: float = UTTERANCE_SILENCE, threshold: float = 0.5):
        """A livekit VAD ending an utterance after `min_silence` seconds; one per setting, shared by the
        interviews that use it (every stream has its own state)."""
        spec = parse_provider("vad", provider)
        _require_agents()
        from hrlab.providers.vad import load_silero

        settings = "" if (min_silence, threshold) == (UTTERANCE_SILENCE, 0.5) else f"{min_silence}s,{threshold}"
        return self._engine(spec, lambda: load_silero(min_silence_duration=min_silence,
                                                      activation_threshold=threshold), role=settings)

    def phrase_vad(self, provider: str = "silero"):
        """The VAD that cuts the candidate's speech into phrases for the STT (providers/phrase_stt.py)."""
        spec = parse_provider("vad", provider)
        _require_agents()
        from hrlab.providers.vad import load_silero

        return self._engine(spec, lambda: load_silero(phrases=True), role="phrases")

    def turn(self, provider: str):
        """The end-of-turn model for `provider`: a shared SmartTurnModel, or None for silence alone."""
        spec = parse_provider("turn", provider)
        if spec.vendor == "silence":
            return None
        from hrlab.providers.smart_turn import SmartTurnModel

        return self._engine(spec, SmartTurnModel)

    def close(self) -> None:
        """Stop helper processes (festival) and drop every loaded model."""
        with self._guard:
            engines, self._engines = list(self._engines.values()), {}
        for engine in engines:
            close = getattr(engine, "close", None)
            if callable(close):
                close()
