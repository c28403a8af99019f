"""The interview transcript: ordered turns of the AI and the candidate, with times and latencies."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["ai", "candidate"]
SPEAKERS: tuple[Speaker, ...] = ("ai", "candidate")
_LABELS = {"en": {"ai": "Interviewer", "candidate": "Candidate"}, "ru": {"ai": "Интервьюер", "candidate": "Кандидат"}}


@dataclass
class Turn:
    """One utterance; times are seconds on the caller's clock, latencies are per-stage seconds."""

    speaker: Speaker
    text: str
    started_at: float
    ended_at: float | None = None
    question_number: int | None = None
    latencies: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.speaker not in SPEAKERS:
            raise ValueError(f"speaker must be one of {', '.join(SPEAKERS)}, got {self.speaker!r}")
        if not isinstance(self.text, str):
            raise ValueError(f"turn text must be a string, got {type(self.text).__name__}")
        _check_time(self.started_at, "started_at")
        if self.ended_at is not None:
            self.finish(self.ended_at)

    def finish(self, ended_at: float) -> None:
        """Set the end time; it may not be before the start."""
        _check_time(ended_at, "ended_at")
        if ended_at < self.started_at:
            raise ValueError(f"ended_at {ended_at} is before started_at {self.started_at}")
        self.ended_at = ended_at

    def to_json(self) -> dict:
        """A JSON-able dict of this turn."""
        body: dict = {"speaker": self.speaker, "text": self.text, "startedAt": self.started_at,
                      "endedAt": self.ended_at}
        if self.question_number is not None:
            body["questionNumber"] = self.question_number
        if self.latencies:
            body["latencies"] = dict(self.latencies)
        return body


def _check_time(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")


class Transcript:
    """Turns in the order they were spoken."""

    def __init__(self) -> None:
        self._turns: list[Turn] = []

    def add(self, turn: Turn) -> Turn:
        """Append a turn; a turn starting before the previous one is refused."""
        if self._turns and turn.started_at < self._turns[-1].started_at:
            raise ValueError(
                f"turn starts at {turn.started_at}, before the previous turn at {self._turns[-1].started_at}"
            )
        self._turns.append(turn)
        return turn

    @property
    def turns(self) -> tuple[Turn, ...]:
        return tuple(self._turns)

    def __len__(self) -> int:
        return len(self._turns)

    def last(self, speaker: Speaker | None = None) -> Turn | None:
        """The latest turn, optionally of one speaker."""
        for turn in reversed(self._turns):
            if speaker is None or turn.speaker == speaker:
                return turn
        return None

    def recent(self, count: int) -> tuple[Turn, ...]:
        """The last `count` turns."""
        return tuple(self._turns[-count:]) if count > 0 else ()

    def texts(self, speaker: Speaker) -> list[str]:
        """Every text one speaker said, in order."""
        return [turn.text for turn in self._turns if turn.speaker == speaker]

    def to_json(self) -> list[dict]:
        """The turns as a JSON-able list."""
        return [turn.to_json() for turn in self._turns]

    def render(self, *, language: str = "en") -> str:
        """Plain text for storage: one `[mm:ss] Speaker: text` line per turn, times from the first turn."""
        labels = _LABELS.get(language, _LABELS["en"])
        origin = self._turns[0].started_at if self._turns else 0.0
        lines = []
        for turn in self._turns:
            seconds = int(turn.started_at - origin)
            text = " ".join(turn.text.split())
            lines.append(f"[{seconds // 60:02d}:{seconds % 60:02d}] {labels[turn.speaker]}: {text}")
        return "\n".join(lines)

    @classmethod
    def from_json(cls, items: list[dict]) -> Transcript:
        """Rebuild a transcript from `to_json` output."""
        transcript = cls()
        for item in items:
            transcript.add(Turn(
                speaker=item["speaker"], text=item["text"], started_at=item["startedAt"],
                ended_at=item.get("endedAt"), question_number=item.get("questionNumber"),
                latencies=dict(item.get("latencies") or {}),
            ))
        return transcript
