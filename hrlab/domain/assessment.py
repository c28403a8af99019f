"""The post-interview assessment: competencies to judge, and a strict reader of the LLM's JSON answer.

Guards: a score counts only with at least one quote found verbatim (after normalising case, spaces
and punctuation) in the candidate's own turns; invented quotes are dropped and listed; sentences
that read emotions or mood into the candidate are removed (no emotion inference).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

from hrlab.domain.guards import mentions
from hrlab.domain.resume import names_skill
from hrlab.domain.topics import InterviewFacts
from hrlab.errors import InvalidInput

Recommendation = Literal["advance", "hold", "reject"]
RECOMMENDATIONS: tuple[Recommendation, ...] = ("advance", "hold", "reject")
MAX_QUOTES = 3
MIN_QUOTE_WORDS = 3
_GENERIC = {"en": ("communication", "problem solving"), "ru": ("коммуникация", "решение задач")}
# Stems of words that describe feelings; a sentence using one is inference about emotions.
_EMOTION = re.compile(
    r"\b(nervous|anxious|anxiety|stressed|emotional|emotions?|upset|angry|frustrat\w*|happy|sad|afraid|"
    r"scared|fear\w*|excited|mood|нервнич\w*|нервн\w*|тревож\w*|волновал\w*|эмоци\w*|раздраж\w*|"
    r"испуга\w*|страх\w*|радост\w*|грустн\w*|настроени\w*)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


class AssessmentError(InvalidInput):
    """The LLM's assessment cannot be read; the message says what is wrong."""

    code = "assessment_error"


@dataclass(frozen=True)
class CompetencyScore:
    """One competency: a 1..5 score (None without evidence), verified quotes, a comment."""

    name: str
    score: int | None
    evidence: tuple[str, ...] = ()
    comment: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "score": self.score, "evidence": list(self.evidence), "comment": self.comment}


@dataclass(frozen=True)
class Assessment:
    """The whole assessment, plus what the guards removed (for audit)."""

    competencies: tuple[CompetencyScore, ...]
    recommendation: Recommendation
    summary: str
    dropped_quotes: tuple[str, ...] = ()
    removed_sentences: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """A JSON-able dict for `ai_feedback`."""
        return {
            "competencies": [c.to_json() for c in self.competencies],
            "recommendation": self.recommendation,
            "summary": self.summary,
            "droppedQuotes": list(self.dropped_quotes),
            "removedSentences": list(self.removed_sentences),
        }


def competencies_for(facts: InterviewFacts, *, max_skills: int = 4) -> list[str]:
    """The competencies to assess: the top resume skills plus communication and problem solving."""
    return [*facts.skills[:max_skills], *_GENERIC[facts.language]]


def normal_words(text: str) -> str:
    """Words only, case-folded, ё as е: how a quote is compared with what the candidate said."""
    return " ".join(_WORDS.findall(text.casefold().replace("ё", "е")))


def _extract_json(raw: str) -> dict:
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        raise AssessmentError("assessment has no JSON object")
    try:
        body = json.loads(raw[start:end + 1])
    except json.JSONDecodeError as exc:
        raise AssessmentError(f"assessment is not valid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(body, dict):
        raise AssessmentError("assessment JSON must be an object")
    return body


def _score(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise AssessmentError(f"score of {name!r} must be an integer 1..5 or null, got {value!r}")
    if not 1 <= value <= 5:
        raise AssessmentError(f"score of {name!r} must be 1..5, got {value!r}")
    return int(value)


def _strip_emotions(text: str, removed: list[str]) -> str:
    kept = []
    for sentence in _SENTENCE.split(" ".join(str(text).split())):
        if _EMOTION.search(sentence):
            removed.append(sentence)
        elif sentence:
            kept.append(sentence)
    return " ".join(kept)


def _verified(quotes: object, said: str, dropped: list[str], *, competency: str) -> tuple[str, ...]:
    if not isinstance(quotes, list):
        return ()
    kept = []
    for quote in quotes:
        if not isinstance(quote, str):
            continue
        normal = normal_words(quote)
        relevant = is_generic(competency) or names(quote, competency)  # a skill's evidence names it
        if len(normal.split()) >= MIN_QUOTE_WORDS and normal in said and relevant:
            kept.append(" ".join(quote.split()))
        else:
            dropped.append(quote)
    return tuple(kept[:MAX_QUOTES])


def parse_assessment(raw: str, *, competencies: Sequence[str], candidate_texts: Sequence[str]) -> Assessment:
    """Read the LLM's assessment JSON and apply the evidence and no-emotion guards."""
    body = _extract_json(raw)
    recommendation = body.get("recommendation")
    if recommendation not in RECOMMENDATIONS:
        raise AssessmentError(
            f"recommendation must be one of {', '.join(RECOMMENDATIONS)}, got {recommendation!r}"
        )
    items = body.get("competencies")
    if not isinstance(items, list):
        raise AssessmentError("assessment needs a 'competencies' list")
    said = " | ".join(normal_words(text) for text in candidate_texts)
    by_name = {c.casefold(): c for c in competencies}
    dropped: list[str] = []
    removed: list[str] = []
    scores: dict[str, CompetencyScore] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        name = by_name.get(item["name"].strip().casefold())
        if name is None or name in scores:
            continue  # only the competencies we asked about, once each
        evidence = _verified(item.get("evidence"), said, dropped, competency=name)
        score = _score(item.get("score"), name) if evidence else None
        scores[name] = CompetencyScore(name, score, evidence, _strip_emotions(item.get("comment", ""), removed))
    return Assessment(
        competencies=tuple(scores.get(name, CompetencyScore(name, None)) for name in competencies),
        recommendation=recommendation,
        summary=_strip_emotions(body.get("summary", ""), removed),
        dropped_quotes=tuple(dropped),
        removed_sentences=tuple(removed),
    )


_NO_MODEL_SUMMARY = {
    "en": "No automatic scores: the assessment model gave no usable answer ({why}). "
          "Quotes per competency are collected for the hiring team's review.",
    "ru": "Автоматической оценки нет: модель не дала пригодного ответа ({why}). "
          "Цитаты по компетенциям собраны для проверки командой найма.",
}


def quotable_sentences(candidate_texts: Sequence[str]) -> list[str]:
    """The candidate's sentences long enough to serve as evidence, in the order said, each once."""
    sentences = [s.strip() for text in candidate_texts for s in _SENTENCE.split(" ".join(text.split()))]
    return list(dict.fromkeys(s for s in sentences if len(s.split()) >= MIN_QUOTE_WORDS))


def evidence_only_assessment(
    competencies: Sequence[str], *, candidate_texts: Sequence[str], language: str, why: str = "unreadable answer"
) -> Assessment:
    """An honest fallback when the LLM's assessment is unusable: quotes per competency, no scores."""
    sentences = quotable_sentences(candidate_texts)
    scores = tuple(
        CompetencyScore(name, None, tuple(s for s in sentences if names(s, name))[:MAX_QUOTES])
        for name in competencies
    )
    summary = _NO_MODEL_SUMMARY.get(language, _NO_MODEL_SUMMARY["en"]).format(why=why)
    return Assessment(competencies=scores, recommendation="hold", summary=summary)


def names(text: str, competency: str) -> bool:
    """Whether the text names the competency: its words, or any spelling the skill vocabulary knows
    ("постгрес" names PostgreSQL: STT writes what Russian speakers say)."""
    return mentions(text, competency) or bool(names_skill(text, competency))


def is_generic(competency: str) -> bool:
    """Communication and problem solving show in any answer; a resume skill only where it is named."""
    return any(competency in names for names in _GENERIC.values())


def evidence_options(competencies: Sequence[str], candidate_texts: Sequence[str], *,
                     max_words: int = 25) -> dict[str, list[str]]:
    """Per competency, the candidate's sentences that may be quoted for it (a skill's must name the skill).

    A long sentence is offered by its opening (still verbatim) when the opening keeps what it must name.
    """
    sentences = quotable_sentences(candidate_texts)
    options = {}
    for name in competencies:
        chosen = []
        for sentence in sentences:
            opening = " ".join(sentence.split()[:max_words])
            if is_generic(name) or names(opening, name):
                chosen.append(opening)
            elif names(sentence, name):
                chosen.append(sentence)
        options[name] = list(dict.fromkeys(chosen))
    return options


def assessment_schema(evidence: Mapping[str, Sequence[str]]) -> dict:
    """The JSON schema an assessment must satisfy, for grammar-constrained decoding.

    Every competency of `evidence` once, in order; its quotes only from its own options (the candidate's
    sentences, verbatim by construction); scores 1..5 or null; bounded comment and summary.
    """
    def item(name: str, quotes: Sequence[str]) -> dict:
        # Where the candidate said something quotable, a quote is required: left optional, a 1.5B model
        # skipped every quote and scored from the resume (scores the evidence guard then drops).
        allowed = ({"type": "array", "items": {"enum": list(quotes)}, "minItems": 1, "maxItems": 2} if quotes
                   else {"type": "array", "maxItems": 0})
        return {"type": "object", "additionalProperties": False, "required": ["name", "evidence", "score", "comment"],
                "properties": {"name": {"const": name}, "evidence": allowed,
                               "score": {"enum": [1, 2, 3, 4, 5, None] if quotes else [None]},
                               "comment": {"type": "string", "maxLength": 200}}}

    items = [item(name, quotes) for name, quotes in evidence.items()]
    return {
        "type": "object", "additionalProperties": False,
        "required": ["competencies", "recommendation", "summary"],
        "properties": {
            "competencies": {"type": "array", "prefixItems": items, "items": False,
                             "minItems": len(items), "maxItems": len(items)},
            "recommendation": {"enum": list(RECOMMENDATIONS)},
            "summary": {"type": "string", "maxLength": 400},
        },
    }
