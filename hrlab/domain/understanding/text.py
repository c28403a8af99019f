"""Views of a turn's text that every rule reads, and the small text helpers the tables are built with."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_DROP_APOSTROPHES = str.maketrans({"'": "", "\u2019": "", "\u2018": "", "`": "", "ё": "е", "Ё": "Е"})
_NON_WORD = re.compile(r"[^\w%]+")
_FILLER = re.compile(r"^(?:u+[hm]+|h+m+|m+h*m*|e+r+m*|a+h+|e+h+|э+м*|м+|х+м+|ну+)$")
_SENTENCE_END = re.compile(r"[.!?;]+")


def is_filler(word: str) -> bool:
    """Whether a word is a hesitation sound ("uhm", "hmm", "эм", "ну")."""
    return bool(_FILLER.match(word))


@dataclass(frozen=True)
class Turn:
    """One candidate turn in the forms the rules match against, with what it answers."""

    raw: str
    lower: str  # lower case, apostrophes dropped (STT writes "dont" as often as "don't"), ё → е
    flat: str  # `lower` with punctuation turned into single spaces
    words: tuple[str, ...]
    language: str
    question: str
    topic_terms: tuple[str, ...]
    sentence_starts: tuple[int, ...] = (0,)  # the index in `words` where each sentence begins

    @property
    def spoken_words(self) -> int:
        """How many words the turn has, hesitation sounds not counted."""
        return sum(1 for word in self.words if not is_filler(word))

    def sentence_start(self, word: int) -> int:
        """The index in `words` where the sentence holding word number `word` begins."""
        return max(start for start in self.sentence_starts if start <= word)


def lower(text: str) -> str:
    """Lower case with apostrophes dropped and ё read as е."""
    return text.translate(_DROP_APOSTROPHES).lower()


def flatten(text: str) -> str:
    """`lower(text)` with punctuation and underscores turned into single spaces."""
    return _squash(lower(text))


def _squash(lowered: str) -> str:
    return " ".join(_NON_WORD.sub(" ", lowered).replace("_", " ").split())


def read_turn(text: str, *, language: str, question: str, topic_terms: Sequence[str]) -> Turn:
    """Build the views of one transcript that the rules read."""
    lowered = lower(text)
    flat = _squash(lowered)
    return Turn(text, lowered, flat, tuple(flat.split()), language, question, tuple(topic_terms),
                _sentence_starts(lowered))


def _sentence_starts(lowered: str) -> tuple[int, ...]:
    # Sentence ends are punctuation, which `flat` drops, so counting each sentence's words gives the same indices.
    starts, count = [0], 0
    for sentence in _SENTENCE_END.split(lowered):
        count += len(_squash(sentence).split())
        if count != starts[-1]:
            starts.append(count)
    return tuple(starts[:-1]) if len(starts) > 1 else (0,)


def rx(*alternatives: str) -> re.Pattern[str]:
    """One pattern that matches any of the alternatives."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def compile_each(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Each pattern compiled on its own, for tables where each match is used separately."""
    return tuple(re.compile(p) for p in patterns)


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Items in first-seen order, once each, ignoring case."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return tuple(seen.values())
