"""The STT, TTS, VAD and completion model one interview uses, built from provider strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hrlab.providers import ModelRegistry, TextCompleter, default_providers


@dataclass
class Components:
    """livekit STT/TTS/VAD objects plus the brain's TextCompleter (None: fallback questions only)."""

    stt: Any
    tts: Any
    vad: Any
    completer: TextCompleter | None
    providers: dict[str, str] = field(default_factory=dict)


def components_for(registry: ModelRegistry, language: str, *, providers: dict[str, str] | None = None) -> Components:
    """Components for an interview in `language`; `providers` overrides the offline defaults per kind."""
    chosen = {**default_providers(language), **(providers or {})}
    return Components(
        stt=registry.stt(chosen["stt"], language=language),
        tts=registry.tts(chosen["tts"]),
        vad=registry.vad(chosen["vad"]),
        completer=registry.completer(chosen["llm"]),
        providers=chosen,
    )
