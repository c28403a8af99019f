"""What understanding a turn produces and accepts: the turn kinds, the result, and the judge's shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, get_args

TurnKind = Literal[
    "answer", "non_answer", "end_request", "repeat_request", "dont_know", "off_topic",
    "question_to_interviewer",
]
TURN_KINDS: tuple[TurnKind, ...] = get_args(TurnKind)


@dataclass(frozen=True)
class Understanding:
    """One candidate turn, understood: its kind and the facts a follow-up question can use."""

    kind: TurnKind
    terse: bool = False
    claims: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()
    reason: str = ""


class TurnJudge(Protocol):
    """A second opinion (an LLM, say) for turns no rule placed; None keeps the rules' answer."""

    def __call__(self, text: str, *, language: str, question: str) -> TurnKind | None: ...
