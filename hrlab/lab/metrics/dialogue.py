"""What the AI said: questions asked, repeats, resume grounding, language consistency, WER of what it heard."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Sequence

from hrlab.domain.language import detect_language
from hrlab.textnorm import transcript_words
from hrlab.wer import corpus_wer, wer

REPEAT_SIMILARITY = 0.8
MIN_STEM = 4


def repeated_questions(questions: Sequence[str], *, similarity: float = REPEAT_SIMILARITY) -> int:
    """How many questions are near-duplicates (word-sequence similarity >= `similarity`) of an earlier one."""
    seen: list[list[str]] = []
    repeats = 0
    for question in questions:
        words = transcript_words(question)
        if any(SequenceMatcher(None, words, old).ratio() >= similarity for old in seen if words or old):
            repeats += 1
        seen.append(words)
    return repeats


def mentions(text: str, term: str) -> bool:
    """Does `text` mention `term`? Each word of the term must start a word of the text, so Russian
    inflections still match ("разработчиком" for "Разработчик"); words under 4 letters match whole."""
    words = transcript_words(text)
    for part in transcript_words(term):
        if len(part) < MIN_STEM:  # "go", "sql": a prefix match would find "good", "sqlalchemy"
            found = part in words
        else:
            stem = part if len(part) <= MIN_STEM + 1 else part[: max(MIN_STEM, len(part) - 2)]
            found = any(word.startswith(stem) for word in words)
        if not found:
            return False
    return bool(transcript_words(term))


def resume_grounding(questions: Sequence[str], terms: Sequence[str]) -> float | None:
    """Share of questions that mention at least one resume skill or role; None with no questions."""
    if not questions:
        return None
    grounded = sum(any(mentions(q, term) for term in terms) for q in questions)
    return grounded / len(questions)


def language_consistency(utterances: Sequence[str], language: str) -> float | None:
    """Share of AI utterances detected as `language`; utterances with no judgeable words are skipped."""
    detected = [detect_language(text) for text in utterances]
    judged = [lang for lang in detected if lang is not None]
    if not judged:
        return None
    return sum(lang == language for lang in judged) / len(judged)


def _scorable(reference: str | None, transcript: str | None) -> bool:
    # A reference of only markers and fillers has no words to score against.
    return reference is not None and transcript is not None and bool(transcript_words(reference))


def turn_wer(reference: str | None, transcript: str | None) -> float | None:
    """WER of the agent's transcript of one answer against its reference; None if either has nothing to score."""
    return wer(reference, transcript) if _scorable(reference, transcript) else None


def pooled_wer(pairs: Sequence[tuple[str | None, str | None]]) -> float | None:
    """WER pooled over the (reference, transcript) pairs that can be scored; None when none can."""
    usable = [(r, t) for r, t in pairs if _scorable(r, t)]
    return corpus_wer(usable) if usable else None
