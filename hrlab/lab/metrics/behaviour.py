"""How the interviewer reacted: which lines it chose, and whether the scenario's expectations held.

Each AI line carries the agent's label (`kind:source:reaction`, see hrlab/domain/turn_kinds.py). Per
line: `llm_question_share` / `fallback_share` are 1 for a question (after the opening) whose words came
from the LLM / from a fallback template, 0 for any other question (LLM, fallback or probe line), so their
mean over all questions is the share; `followup_grounding` is 1 for a follow-up question that shares a
content lemma with the answer it follows (grounding.py), 0 for one that does not.

Per scripted expectation (scenario turn `expect`, on the answer's turn): the AI lines that follow an
answer are those that began after the answer did, in order, each line the agent stored, including one
cut off before its audio (its `question` message still reached the page).
- `end_request_honoured` (end_within_ai_turns = N): 1 when a closing for the candidate's request
  (end reason candidate_ended) is among the next N lines.
- `probe_rate` (probe_after_terse): 1 when the next line is a follow-up question on the same topic
  (from the LLM, the probe line or a fallback), not the next topic or a re-prompt.
- `redirect_rate` (redirect_after_offtopic): 1 when the next line is the redirect re-prompt.
- `reask_rate` (reask_after_nonanswer): 1 when the next line is the re-ask re-prompt.
An expectation whose next line has no label (an agent from before labels) is left out, not scored 0;
one with no line after it at all scores 0 (the AI never reacted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from hrlab.domain.turn_kinds import TurnKind
from hrlab.lab.metrics.grounding import builds_on


@dataclass(frozen=True)
class AiLine:
    """One AI line as the agent stored it: when it began (run clock), its label and the answer before it."""

    seq: int
    start: float | None
    text: str
    kind: str | None = None  # kind:source:reaction, see hrlab/domain/turn_kinds.py
    answer: str | None = None  # what the agent heard the candidate say since its previous line


# scenario expectation key -> the per-turn metric that records whether it held
EXPECTATION_METRICS = {
    "end_within_ai_turns": "end_request_honoured",
    "probe_after_terse": "probe_rate",
    "redirect_after_offtopic": "redirect_rate",
    "reask_after_nonanswer": "reask_rate",
}
_NEXT_LINE_CHECKS: dict[str, Callable[[TurnKind], bool]] = {
    "probe_after_terse": lambda kind: kind.is_follow_up,
    "redirect_after_offtopic": lambda kind: kind.is_reprompt("redirect"),
    "reask_after_nonanswer": lambda kind: kind.is_reprompt("reask"),
}


def ai_lines(dialogue: Iterable[tuple[int, str, str, float | None, str | None]]) -> tuple[AiLine, ...]:
    """AiLines from (seq, speaker, text, start, label) in the agent's order, each with what the agent heard
    the candidate say since its previous line."""
    lines, heard = [], []
    for seq, speaker, text, start, label in dialogue:
        if speaker == "candidate":
            heard.append(text)
            continue
        lines.append(AiLine(seq=seq, start=start, text=text, kind=label, answer=" ".join(heard) or None))
        heard = []
    return tuple(lines)


def question_sources(lines: Sequence[AiLine]) -> list[tuple[int, str]]:
    """(seq, source) of every labelled question after the opening."""
    out = []
    for line in lines:
        kind = TurnKind.parse(line.kind)
        if kind is not None and kind.is_question:
            out.append((line.seq, kind.source or ""))
    return out


def line_grounding(line: AiLine, *, language: str) -> bool | None:
    """For a labelled follow-up question: does it build on the answer before it? None for any other line."""
    kind = TurnKind.parse(line.kind)
    if kind is None or not kind.is_follow_up:
        return None
    return builds_on(line.text, line.answer, language=language)


def follow_up_grounding(lines: Sequence[AiLine], *, language: str) -> list[tuple[int, bool]]:
    """(seq, builds on the previous answer) for every labelled follow-up that had an answer before it."""
    out = []
    for line in lines:
        grounded = line_grounding(line, language=language)
        if grounded is not None:
            out.append((line.seq, grounded))
    return out


def lines_after(start: float, lines: Sequence[AiLine]) -> list[AiLine]:
    """The AI lines that began after `start` (run clock), in order."""
    return sorted((line for line in lines if line.start is not None and line.start > start), key=lambda l: l.start)


def expectation_held(key: str, value: int | bool, *, following: Sequence[AiLine]) -> bool | None:
    """Whether one scripted expectation held, given the AI lines after the answer; None when unknowable."""
    if not following:
        return False
    if key == "end_within_ai_turns":
        kinds = [TurnKind.parse(line.kind) for line in following[: int(value)]]
        if any(kind is not None and kind.ends_on_request for kind in kinds):
            return True
        return None if all(kind is None for kind in kinds) else False
    if not value:  # `probe_after_terse = false` expects nothing
        return None
    kind = TurnKind.parse(following[0].kind)
    return None if kind is None else _NEXT_LINE_CHECKS[key](kind)
