"""What a research variant changes in one interview: prompts, models, budget, endpointing, turn taking.

A session row names its variant ("default" for product interviews). The worker turns that name
into an AgentVariant with a resolver it is given; without one, the name is the prompt set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from hrlab.agent.options import InterviewOptions
from hrlab.domain.plan import Budget


@dataclass(frozen=True)
class AgentVariant:
    """Overrides for one interview; None keeps the worker's own setting."""

    name: str = "default"
    prompts: str = "default"
    providers: dict[str, str] | None = None  # "stt", "llm", "tts" for the interview's language
    budget: Budget | None = None
    min_endpointing_delay: float | None = None
    max_endpointing_delay: float | None = None
    acknowledge: bool | None = None
    stt_phrases: bool | None = None
    vad_min_silence: float | None = None
    vad_threshold: float | None = None

    def interview_options(self, base: InterviewOptions) -> InterviewOptions:
        """The worker's options with this variant's endpointing, VAD, acknowledgements and STT phrasing."""
        changes = {k: v for k, v in (("min_endpointing_delay", self.min_endpointing_delay),
                                     ("max_endpointing_delay", self.max_endpointing_delay),
                                     ("vad_min_silence", self.vad_min_silence),
                                     ("vad_threshold", self.vad_threshold),
                                     ("acknowledge", self.acknowledge),
                                     ("stt_phrases", self.stt_phrases)) if v is not None}
        return replace(base, **changes) if changes else base


VariantResolver = Callable[[str, str], AgentVariant]  # (variant name, language) -> overrides


def prompts_only(name: str, language: str) -> AgentVariant:
    """The resolver without a variant catalogue: the variant names its prompt set."""
    return AgentVariant(name=name, prompts=name)
