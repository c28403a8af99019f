"""What each AI line was, as one label the agent stores with the turn and the lab measures.

A label is `kind:source:reaction`, e.g. `question:llm:follow_up`, `question:fallback:next_topic`,
`question:probe:follow_up`, `reprompt:script:redirect`, `closing:script:candidate_ended`, `opening:script`.
`kind` is the Say's kind (opening, question, reprompt, closing); `source` where its words came from
(script, llm, probe, fallback); `reaction` why it was said: a question's move (follow_up, next_topic,
move_on after "I don't know" or silence), a re-prompt's line (repeat, reask, redirect, defer, pause, silence),
a closing's end reason. Labels are plain text so an older or newer agent's rows still load.
"""

from __future__ import annotations

from dataclasses import dataclass

QUESTION_SOURCES = ("llm", "fallback", "probe")  # where a question after the opening can come from


@dataclass(frozen=True)
class TurnKind:
    """One AI line's kind, source and reaction (see the module docstring)."""

    kind: str
    source: str | None = None
    reaction: str | None = None

    @property
    def label(self) -> str:
        parts = [self.kind, self.source or "", self.reaction or ""]
        return ":".join(parts).rstrip(":")

    @classmethod
    def parse(cls, label: str | None) -> TurnKind | None:
        """Read a label back; None for a missing one (a turn stored before labels existed)."""
        if not label:
            return None
        kind, source, reaction = (label.split(":", 2) + ["", ""])[:3]
        return cls(kind, source or None, reaction or None)

    @property
    def is_question(self) -> bool:
        """A numbered question after the opening (the opening's first question is scripted)."""
        return self.kind == "question"

    @property
    def is_follow_up(self) -> bool:
        """A question that stays on the candidate's last answer."""
        return self.is_question and self.reaction == "follow_up"

    def is_reprompt(self, line: str) -> bool:
        """A re-prompt with the named line (repeat, reask, redirect, defer, pause, silence)."""
        return self.kind == "reprompt" and self.reaction == line

    @property
    def ends_on_request(self) -> bool:
        """The closing said because the candidate asked to end."""
        return self.kind == "closing" and self.reaction == "candidate_ended"
