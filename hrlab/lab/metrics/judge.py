"""Optional LLM-as-judge rubric scores; hrlab ships no default judge."""

from __future__ import annotations

import math
from typing import Protocol, Sequence, runtime_checkable

RUBRIC = ("relevance", "clarity", "follow_up_quality", "professionalism")


class JudgeError(ValueError):
    """A judge returned scores outside the contract."""


@runtime_checkable
class Judge(Protocol):
    """Scores a finished interview on a rubric, each criterion 0.0 (poor) .. 1.0 (excellent).

    `dialogue` is the transcript as (who, text) pairs, who being "ai" or "candidate".
    """

    name: str

    def score(self, dialogue: Sequence[tuple[str, str]], *, language: str, resume_text: str) -> dict[str, float]: ...


def judge_scores(judge: Judge, dialogue: Sequence[tuple[str, str]], *, language: str,
                 resume_text: str) -> dict[str, float]:
    """Run the judge and check its answer; keys come back as `judge_<criterion>`."""
    scores = judge.score(dialogue, language=language, resume_text=resume_text)
    checked = {}
    for criterion, value in scores.items():
        if not isinstance(criterion, str) or not criterion.isidentifier():
            raise JudgeError(f"judge {judge.name}: criterion {criterion!r} must be an identifier")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not 0.0 <= value <= 1.0:
            raise JudgeError(f"judge {judge.name}: {criterion} must be a number in 0..1, got {value!r}")
        checked[f"judge_{criterion}"] = float(value)
    return checked
