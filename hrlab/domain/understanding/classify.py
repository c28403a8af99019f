"""The turn-kind rules: which kind a turn is and which rule said so, most consequential rule first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from hrlab.domain.understanding.model import TurnKind
from hrlab.domain.understanding.patterns import (
    AUDIO_CHECK,
    BREAK_REQUEST,
    BY_LANGUAGE,
    DONT_KNOW_HEDGES,
    DONT_KNOW_NOISE,
    END_REQUEST_FRAMES,
    HALLUCINATIONS,
    HYPOTHETICAL,
    NEGATIVE,
    PERSONAL_QUESTION,
    READINESS,
    REPORTED_SPEECH,
    STALLING,
    STOPWORDS,
    YES_NO,
)
from hrlab.domain.understanding.rules import first_rule
from hrlab.domain.understanding.text import Turn, flatten, is_filler

REPEAT_MAX_WORDS = 25
QUESTION_MAX_WORDS = 20
ADDRESS_QUESTION_MAX_WORDS = 12
DONT_KNOW_MAX_CONTENT = 3
OFF_TOPIC_MIN_WORDS = 8
NOISE_MAX_WORDS = 10
HALLUCINATION_MAX_WORDS = 12
DEFAULT_REASON = "default: no rule fired"
_STEM = 5


def _empty(turn: Turn) -> str | None:
    return None if turn.words else "empty"


def _end_request(turn: Turn) -> str | None:
    return first_rule(BY_LANGUAGE[turn.language].end_rules, turn, frames=END_REQUEST_FRAMES)


def _repeat_request(turn: Turn) -> str | None:
    if turn.spoken_words > REPEAT_MAX_WORDS:
        return None
    return first_rule(BY_LANGUAGE[turn.language].repeat_rules, turn)


def _break_request(turn: Turn) -> str | None:
    """"Can we take a five minute break?" asks the interviewer for something; a story or a rule of thumb does not."""
    if turn.spoken_words > QUESTION_MAX_WORDS or BY_LANGUAGE[turn.language].narrative.search(turn.flat):
        return None
    if REPORTED_SPEECH.search(turn.flat) or HYPOTHETICAL.search(turn.flat):
        return None
    return "asks_for_a_break" if BREAK_REQUEST.search(turn.flat) else None


def _noise(turn: Turn) -> str | None:
    if turn.spoken_words <= HALLUCINATION_MAX_WORDS and HALLUCINATIONS.search(turn.flat):
        return "stt_hallucination"
    if turn.spoken_words > NOISE_MAX_WORDS or BY_LANGUAGE[turn.language].work_cues.search(turn.flat):
        return None
    if AUDIO_CHECK.search(turn.flat):
        return "audio_check"
    return "stalling" if STALLING.search(turn.flat) else None


def _asks(turn: Turn) -> bool:
    tables = BY_LANGUAGE[turn.language]
    if tables.not_a_question and tables.not_a_question.search(turn.flat):
        return False
    return bool(tables.question_frame.search(turn.flat)) or turn.raw.rstrip().endswith("?")


def _question_to_interviewer(turn: Turn) -> str | None:
    tables = BY_LANGUAGE[turn.language]
    if turn.spoken_words > QUESTION_MAX_WORDS or tables.narrative.search(turn.flat):
        return None
    if tables.direct_questions.search(turn.flat):
        return "direct_question"
    if not _asks(turn):
        return None
    if tables.job_topics.search(turn.flat):
        return "job_topic"
    if tables.address.search(turn.flat) and turn.spoken_words <= ADDRESS_QUESTION_MAX_WORDS:
        return "addresses_interviewer"
    return None


def _dont_know(turn: Turn) -> str | None:
    hits = [pattern for pattern in BY_LANGUAGE[turn.language].dont_know if pattern.search(turn.flat)]
    if not hits:
        return None
    residual = DONT_KNOW_HEDGES.sub(" ", turn.flat)
    for pattern in hits:
        residual = pattern.sub(" ", residual)
    content = [w for w in residual.split() if w not in DONT_KNOW_NOISE and not is_filler(w)]
    # "I don't know how many users we had, about 2 million" answers: the phrase is a clause there.
    if len(content) > DONT_KNOW_MAX_CONTENT or any(ch.isdigit() for w in content for ch in w):
        return None
    return "dont_know_phrase"


def _only_small_talk(turn: Turn) -> bool:
    vocabulary = BY_LANGUAGE[turn.language].non_answer_words
    return all(word in vocabulary or word in YES_NO or is_filler(word) for word in turn.words)


def _is_yes_no_question(question: str, language: str) -> bool:
    flat = flatten(question)
    if not flat or READINESS.search(flat):
        return False
    return not BY_LANGUAGE[language].open_question.search(flat)


def _declines(turn: Turn) -> str | None:
    """A bare "No." to an open request ("Could you tell me more?") declines it: move on, do not ask again."""
    words = [w for w in turn.words if not is_filler(w)]
    if not words or any(w not in NEGATIVE for w in words):
        return None
    return None if _is_yes_no_question(turn.question, turn.language) else "declined"


def _closed_yes_no(turn: Turn) -> str | None:
    if not _only_small_talk(turn) or not any(word in YES_NO for word in turn.words):
        return None
    return "yes_no_to_closed_question" if _is_yes_no_question(turn.question, turn.language) else None


def _small_talk(turn: Turn) -> str | None:
    return "greeting_filler_or_ack" if _only_small_talk(turn) else None


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in flatten(text).split() if len(w) >= 4 and w not in STOPWORDS}


def _off_topic(turn: Turn, tools: Sequence[str]) -> str | None:
    tables = BY_LANGUAGE[turn.language]
    # A tool, a work word or a topic term the interviewer gave is enough to keep a turn on topic.
    if turn.spoken_words < OFF_TOPIC_MIN_WORDS or tools or tables.work_cues.search(turn.flat):
        return None
    stems = _stems(turn.flat)
    if stems & _stems(" ".join(turn.topic_terms)):
        return None
    strong = len(tables.leisure_strong.findall(turn.flat))
    weak = len(tables.leisure_weak.findall(turn.flat))
    shared = stems & _stems(turn.question)
    if PERSONAL_QUESTION.search(flatten(turn.question)):
        # Asked about stress or motivation, family and sport may be the answer: ask for more evidence.
        return "leisure_talk" if strong >= 2 and weak >= 1 and not shared else None
    if strong >= 1 and strong + weak >= 2 + len(shared) and len(shared) <= 1:
        return "leisure_talk"
    if strong >= 1 and not shared:  # one clear leisure word, nothing in common with the question
        return "leisure_word"
    return None


# Most consequential first: a missed "I have to go" costs more than a missed "I don't know".
_CHECKS: tuple[tuple[TurnKind, Callable[[Turn], str | None]], ...] = (
    ("non_answer", _empty), ("end_request", _end_request), ("repeat_request", _repeat_request),
    ("question_to_interviewer", _break_request), ("non_answer", _noise),
    ("question_to_interviewer", _question_to_interviewer), ("dont_know", _dont_know),
    ("dont_know", _declines), ("answer", _closed_yes_no), ("non_answer", _small_talk),
)


def vetoes_end_request(turn: Turn) -> bool:
    """Whether the rules say the turn only sounds like a request to end: a quote, a general condition, a short break,
    a story, a habit, work that ends."""
    flat = turn.flat
    return bool(REPORTED_SPEECH.search(flat) or HYPOTHETICAL.search(flat) or BREAK_REQUEST.search(flat)
                or BY_LANGUAGE[turn.language].not_end_request.search(flat))


def classify(turn: Turn, tools: Sequence[str]) -> tuple[TurnKind, str]:
    """The turn's kind and the rule that placed it; an answer with `DEFAULT_REASON` when none did."""
    # Off-topic is judged last, and only with the turn's tools: naming one keeps a turn on topic.
    checks: tuple[tuple[TurnKind, Callable[[Turn], str | None]], ...] = (
        *_CHECKS, ("off_topic", partial(_off_topic, tools=tools)))
    for kind, check in checks:
        name = check(turn)
        if name:
            return kind, f"{kind}:{name}"
    return "answer", DEFAULT_REASON
