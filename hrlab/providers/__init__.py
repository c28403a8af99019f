"""STT, LLM, TTS and VAD backends picked by "vendor/model" strings; models load once per process.

Heavy packages are imported only when a provider is built. Public entry points:
`ModelRegistry` (stt/llm/completer/tts/vad), `parse_provider`, `default_providers`, `assessment_llm`, `Completion`,
`TranscriptFormat` (speaker labels when a base model plays a livekit `llm.LLM`).
"""

from __future__ import annotations

from hrlab.providers.chat_prompt import TranscriptFormat
from hrlab.providers.completion import Completion, TextCompleter
from hrlab.providers.registry import (
    DEFAULT_ASSESSMENT_LLM,
    DEFAULT_PROVIDERS,
    ModelRegistry,
    assessment_llm,
    default_providers,
)
from hrlab.providers.spec import (
    KNOWN,
    MissingDependency,
    ProviderError,
    ProviderSpec,
    known_providers,
    parse_provider,
)

__all__ = [
    "DEFAULT_ASSESSMENT_LLM",
    "DEFAULT_PROVIDERS",
    "KNOWN",
    "Completion",
    "MissingDependency",
    "ModelRegistry",
    "ProviderError",
    "ProviderSpec",
    "TextCompleter",
    "TranscriptFormat",
    "assessment_llm",
    "default_providers",
    "known_providers",
    "parse_provider",
]
