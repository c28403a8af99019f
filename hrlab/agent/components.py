"""The STT, TTS, VAD and completion model one interview uses, built from provider strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hrlab.agent.options import InterviewOptions
from hrlab.domain.resume import ParsedResume
from hrlab.providers import ModelRegistry, TextCompleter, assessment_llm, default_providers

MAX_KEYTERMS = 24  # Whisper reads hotwords as a prompt of at most ~220 tokens


@dataclass
class Components:
    """livekit STT/TTS/VAD objects, the brain's TextCompleter (None: fallback questions only), the turn model,
    the phrase VAD."""

    stt: Any
    tts: Any
    vad: Any
    completer: TextCompleter | None
    turn: Any = None  # SmartTurnModel, or None: the end of a turn is silence alone
    phrase_vad: Any = None  # the VAD that cuts phrases for a batch STT (providers/phrase_stt.py)
    providers: dict[str, str] = field(default_factory=dict)


def resume_keyterms(resume: ParsedResume) -> list[str]:
    """The resume's skills, then its roles: the spellings STT should prefer (in Russian speech Whisper
    otherwise writes "пастгрюс" for PostgreSQL, and the assessment finds no quote for the skill)."""
    return list(dict.fromkeys([*resume.skills, *resume.roles]))[:MAX_KEYTERMS]


def components_for(registry: ModelRegistry, language: str, *, providers: dict[str, str] | None = None,
                   keyterms: list[str] | tuple[str, ...] = (), options: InterviewOptions | None = None) -> Components:
    """Components for an interview in `language`; `providers` overrides the offline defaults per kind
    (and "assessment", the assessment job's LLM); STT is biased towards `keyterms`; the turn VAD's settings
    come from `options`."""
    options = options or InterviewOptions()
    chosen = {**default_providers(language), **(providers or {})}
    chosen["assessment"] = assessment_llm(chosen)  # the job after the interview; loaded only when it runs
    return Components(
        stt=registry.stt(chosen["stt"], language=language, keyterms=keyterms),
        tts=registry.tts(chosen["tts"]),
        vad=registry.vad(chosen["vad"], min_silence=options.vad_min_silence, threshold=options.vad_threshold),
        completer=registry.completer(chosen["llm"]),
        turn=registry.turn(chosen["turn"]),
        phrase_vad=registry.phrase_vad(chosen["vad"]),
        providers=chosen,
    )
