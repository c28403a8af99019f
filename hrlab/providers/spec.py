"""Parse "vendor/model" provider strings and say clearly what is wrong with a bad one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hrlab.errors import ConfigError

Kind = Literal["stt", "llm", "tts", "vad", "turn"]

# vendor -> models it knows offline; None means any model name (a remote endpoint decides).
KNOWN: dict[str, dict[str, tuple[str, ...] | None]] = {
    "stt": {"whisper": ("base", "tiny.en"), "openai": None},
    "llm": {"llamacpp": ("gemma3-270m", "qwen2.5-1.5b"), "openai": None},
    "tts": {"piper": ("en_US-joe",), "festival": ("ru", "en"), "espeak": None, "openai": None},
    "vad": {"silero": ("default",)},
    # end of turn: Smart Turn on the candidate's audio, or silence alone (the VAD and a fixed delay)
    "turn": {"smart_turn": ("v3.2",), "silence": ("default",)},
}


class ProviderError(ConfigError):
    """A provider string is malformed, names an unknown backend, or its backend cannot start."""

    code = "provider_error"


class MissingDependency(ProviderError):
    """A provider needs a package or program that is not installed; the message says how to get it."""

    code = "missing_dependency"


@dataclass(frozen=True)
class ProviderSpec:
    """One parsed provider string, e.g. kind="stt", vendor="whisper", model="base"."""

    kind: Kind
    vendor: str
    model: str

    def __str__(self) -> str:
        return f"{self.vendor}/{self.model}"


def known_providers(kind: Kind) -> list[str]:
    """Human-readable list of the provider strings a kind accepts."""
    names = []
    for vendor, models in KNOWN[kind].items():
        names.extend([f"{vendor}/<model>"] if models is None else [f"{vendor}/{m}" for m in models])
    return names


def parse_provider(kind: Kind, text: str) -> ProviderSpec:
    """Parse `text` as a provider of `kind`; raise ProviderError listing the known ones."""
    if kind not in KNOWN:
        raise ProviderError(f"unknown provider kind {kind!r}; expected one of {sorted(KNOWN)}")
    if not isinstance(text, str) or not text.strip():
        raise ProviderError(f"empty {kind} provider; expected one of: {', '.join(known_providers(kind))}")
    text = text.strip()
    vendor, _, model = text.partition("/")
    if kind in ("vad", "turn") and not model and KNOWN[kind].get(vendor) == ("default",):
        model = "default"  # "silero" or "silence" alone is the natural way to name a one-model vendor
    models = KNOWN[kind].get(vendor)
    if vendor not in KNOWN[kind]:
        raise ProviderError(
            f"unknown {kind} provider {text!r} (vendor {vendor!r}); "
            f"known: {', '.join(known_providers(kind))}"
        )
    if not model:
        raise ProviderError(f"{kind} provider {text!r} names no model; write it as 'vendor/model', "
                            f"one of: {', '.join(known_providers(kind))}")
    if models is not None and model not in models:
        raise ProviderError(
            f"unknown {kind} model {model!r} for {vendor!r}; known: {', '.join(known_providers(kind))}"
        )
    return ProviderSpec(kind=kind, vendor=vendor, model=model)
