"""Research variants (evals/variants/*.toml) as the interview agent's per-session overrides."""

from __future__ import annotations

from hrlab.agent.variants import AgentVariant
from hrlab.domain.plan import Budget
from hrlab.errors import ConfigError
from hrlab.lab.variant import Variant, load_variant, variant_path


def agent_variant(variant: Variant, language: str) -> AgentVariant:
    """The agent's overrides for one variant in one language."""
    plan, endpointing = variant.plan, variant.endpointing
    return AgentVariant(
        name=variant.name,
        prompts=variant.prompts,
        providers={"stt": variant.stt[language], "llm": variant.llm[language], "tts": variant.tts[language],
                   "turn": endpointing.turn_model},
        budget=Budget(max_questions=plan.max_questions, follow_ups_per_topic=plan.followups_per_topic,
                      max_minutes=plan.max_minutes, min_questions_before_end=min(3, plan.max_questions)),
        min_endpointing_delay=endpointing.min_endpointing_delay,
        max_endpointing_delay=endpointing.max_endpointing_delay,
        vad_min_silence=endpointing.vad_min_silence,
        vad_threshold=endpointing.vad_threshold,
        acknowledge=endpointing.acknowledge,
        stt_phrases=endpointing.stt_phrases,
    )


def resolve_lab_variant(name: str, language: str) -> AgentVariant:
    """The resolver `hrlab agent` uses: a variant file if there is one; `default` means the worker's own."""
    path = variant_path(name)
    if path.is_file():
        return agent_variant(load_variant(path), language)
    if name == "default":
        return AgentVariant()
    raise ConfigError(f"unknown variant {name!r}: no {path}")
