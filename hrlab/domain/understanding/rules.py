"""What the language tables are written in: named rules, the set of tables a language supplies, shared fragments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hrlab.domain.understanding.text import Turn

# Weakness patterns capture the weak area as group `x`, after the admission or before it.
AREA = r"(?P<x>[^.,;:!?()\u2014\u2013]{2,60}?)"
# Unpunctuated speech runs on: a conjunction, a pronoun or a common verb ends the weak area's name.
AREA_END = r"(?=$|[.,;:!?()\u2014\u2013]| (?:but|and|because|so|which|though|although|i|we|its|it|as|since|yet|" \
           r"know|can|understand|only|just|especially|mostly|when|where|if|while|who|that|" \
           r"но|а|и|потому|так как|поэтому|я|мы|хотя|зато|же|когда|где|если|который|которая|которые|" \
           r"знаю|умею|понимаю|могу|хочу|стараюсь|только|пока|сейчас|особенно|в основном)\b)"
AREA_BEFORE = r"(?P<x>[^.,;:!?()\u2014\u2013]{2,40}?)"


@dataclass(frozen=True)
class Rule:
    """A named pattern for one turn kind, optionally only in short turns."""

    name: str
    pattern: re.Pattern[str]
    max_words: int = 1000  # phrases that only mean this in a short turn ("bye", "pardon")


@dataclass(frozen=True)
class Frame:
    """Words shortly before a phrase that make it no request of the speaker's ("I said ...", "if a call runs long")."""

    pattern: re.Pattern[str]
    window: int  # how many words before the phrase are searched
    # A sentence that began at most this many words before the phrase is searched from its start ("If a meeting
    # runs over I'd say, guys, we're out of time, let's stop here"). Unpunctuated speech runs sentences
    # together, so a longer one falls back to `window`.
    sentence_window: int = 0

    def frames(self, turn: Turn, start: int) -> bool:
        """Whether the phrase starting at `start` in `turn.flat` sits inside this frame."""
        words_before = turn.flat[:start].split()
        reach = self.window
        in_sentence = len(words_before) - turn.sentence_start(len(words_before))
        if in_sentence <= self.sentence_window:
            reach = max(reach, in_sentence)
        return bool(self.pattern.search(" ".join(words_before[max(0, len(words_before) - reach):])))


def first_rule(rules: Sequence[Rule], turn: Turn, *, frames: Sequence[Frame] = ()) -> str | None:
    """The first rule that matches; a match inside one of `frames` does not count."""
    for rule in rules:
        if turn.spoken_words > rule.max_words:
            continue
        for match in rule.pattern.finditer(turn.flat):
            if not any(frame.frames(turn, match.start()) for frame in frames):
                return rule.name
    return None


@dataclass(frozen=True)
class LanguagePatterns:
    """Everything one language supplies: the rules for each turn kind and the patterns extraction reads."""

    end_rules: tuple[Rule, ...]
    repeat_rules: tuple[Rule, ...]
    question_frame: re.Pattern[str]  # how a question opens
    not_a_question: re.Pattern[str] | None  # an opener that only looks like one ("Вы знаете, ...")
    job_topics: re.Pattern[str]  # what candidates ask an interviewer about
    address: re.Pattern[str]  # "you"
    direct_questions: re.Pattern[str]  # asks the interviewer whatever the frame
    narrative: re.Pattern[str]  # a story about what the candidate did
    dont_know: tuple[re.Pattern[str], ...]
    non_answer_words: frozenset[str]  # greetings, acknowledgements and fillers
    open_question: re.Pattern[str]  # an interviewer's question that "yes" cannot answer
    leisure_strong: re.Pattern[str]
    leisure_weak: re.Pattern[str]
    work_cues: re.Pattern[str]
    weaknesses: tuple[re.Pattern[str], ...]  # each captures the weak area as group `x`
    claim: re.Pattern[str]  # first person, did or does something
    not_claim: re.Pattern[str]
    negated_verb: re.Pattern[str]
    not_end_request: re.Pattern[str]  # a story, a habit or work that ends: vetoes the learned opinion
