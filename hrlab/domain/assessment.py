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
from hrlab.domain.resume import names_skill, skill_is_case_sensitive
from hrlab.domain.topics import InterviewFacts
from hrlab.domain.turn_kinds import TurnKind
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
_CLOCK = re.compile(r"^\[\d+:\d\d(?::\d\d)?\] ", re.MULTILINE)


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


def _verified(quotes: object, said: str, dropped: list[str], *, competency: str,
              asked_about: Sequence[str]) -> tuple[str, ...]:
    """The quotes found verbatim in `said` that may stand for the competency: a skill's quote names it or
    comes from an answer to a question that named it (`asked_about`, normalised)."""
    if not isinstance(quotes, list):
        return ()
    kept = []
    for quote in quotes:
        if not isinstance(quote, str):
            continue
        normal = normal_words(quote)
        relevant = (is_generic(competency) or names(quote, competency)
                    or any(normal in answer for answer in asked_about))
        if len(normal.split()) >= MIN_QUOTE_WORDS and normal in said and relevant:
            kept.append(" ".join(quote.split()))
        else:
            dropped.append(quote)
    return tuple(kept[:MAX_QUOTES])


def parse_assessment(raw: str, *, competencies: Sequence[str], candidate_texts: Sequence[str],
                     questions: Sequence[str] = ()) -> Assessment:
    """Read the LLM's assessment JSON and apply the evidence and no-emotion guards. `questions`, when known,
    are the questions the texts answered (as for `passages`)."""
    body = _extract_json(raw)
    recommendation = body.get("recommendation")
    if recommendation not in RECOMMENDATIONS:
        raise AssessmentError(
            f"recommendation must be one of {', '.join(RECOMMENDATIONS)}, got {recommendation!r}"
        )
    items = body.get("competencies")
    if not isinstance(items, list):
        raise AssessmentError("assessment needs a 'competencies' list")
    normal_texts = [normal_words(text) for text in candidate_texts]
    said = " | ".join(normal_texts)
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
        asked_about = [text for text, question in zip(normal_texts, questions) if names(question, name)]
        evidence = _verified(item.get("evidence"), said, dropped, competency=name, asked_about=asked_about)
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
    competencies: Sequence[str], *, candidate_texts: Sequence[str], language: str, why: str = "unreadable answer",
    recommendation: Recommendation = "hold",
) -> Assessment:
    """An honest fallback when the LLM's assessment is unusable: quotes per competency, no scores.

    `recommendation` stays "hold" (nothing judged) unless the caller knows better: a candidate who
    said nothing is "reject" by the recommendation rule."""
    sentences = quotable_sentences(candidate_texts)
    scores = tuple(
        CompetencyScore(name, None, tuple(s for s in sentences if names(s, name))[:MAX_QUOTES])
        for name in competencies
    )
    summary = _NO_MODEL_SUMMARY.get(language, _NO_MODEL_SUMMARY["en"]).format(why=why)
    return Assessment(competencies=scores, recommendation=recommendation, summary=summary)


def names(text: str, competency: str) -> bool:
    """Whether the text names the competency: its words, or any spelling the skill vocabulary knows
    ("постгрес" names PostgreSQL: STT writes what Russian speakers say).

    A skill whose lower-case form is an ordinary word ("spring", "go") counts only as the vocabulary
    spells it: the season is not Spring evidence."""
    if skill_is_case_sensitive(competency):
        return bool(names_skill(text, competency))
    return mentions(text, competency) or bool(names_skill(text, competency))


def is_generic(competency: str) -> bool:
    """Communication and problem solving show in any answer; a resume skill only where it is named."""
    return any(competency in names for names in _GENERIC.values())


# --- one competency at a time -----------------------------------------------------------------

GENERIC_KINDS = ("communication", "problem_solving")  # rubric keys of _GENERIC's two names, in order
PASSAGE_WORDS = 60  # a passage runs on to its answer's end, up to this many words: still verbatim


def rubric_kind(competency: str) -> str:
    """Which rubric scores the competency: "skill", "communication" or "problem_solving"."""
    for names_ in _GENERIC.values():
        if competency in names_:
            return GENERIC_KINDS[names_.index(competency)]
    return "skill"


def passages(competency: str, candidate_texts: Sequence[str], *, questions: Sequence[str] = (),
             max_words: int = PASSAGE_WORDS) -> list[str]:
    """The candidate's passages that may be quoted for the competency, each verbatim from one answer.

    A skill's passage starts at the first sentence of an answer that names the skill and runs on to the
    answer's end (what was done is often in the next sentence: "PostgreSQL is my area. I set up ...").
    An answer to a question that names the skill is a passage whole even when it does not name it:
    asked "Tell me about your work with Python", people tell what they built, and the STT may garble the
    name when they do say it (issue 10's fairness run lost a Python answer so). `questions` are the
    interviewer's questions the texts answered, in the same order (none: not known). A generic competency's
    passage is a whole answer. Too short to quote: left out.
    """
    return list(passage_questions(competency, candidate_texts, questions=questions, max_words=max_words))


def passage_questions(competency: str, candidate_texts: Sequence[str], *, questions: Sequence[str] = (),
                      max_words: int = PASSAGE_WORDS) -> dict[str, str]:
    """Each of `passages(...)`, in its order, with the question its answer answered ("" when not known).

    A passage said word for word in two answers is listed once, with the first answer's question."""
    if not questions:
        questions = [""] * len(candidate_texts)
    elif len(questions) != len(candidate_texts):
        raise ValueError(f"{len(questions)} questions for {len(candidate_texts)} answers")
    asked: dict[str, str] = {}
    for text, question in zip(candidate_texts, questions):
        passage = _passage(competency, text, question, max_words)
        if passage is not None:
            asked.setdefault(passage, question)
    return asked


def _passage(competency: str, text: str, question: str, max_words: int) -> str | None:
    """The answer's passage for the competency (see `passages`), or None."""
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]
    if rubric_kind(competency) == "skill":
        first = next((i for i, s in enumerate(sentences) if names(s, competency)), None)
        if first is not None:
            sentences = sentences[first:]
        elif not names(question, competency):
            sentences = []
    words = " ".join(sentences).split()[:max_words]
    return " ".join(words) if len(words) >= MIN_QUOTE_WORDS else None


def answered_questions(lines: Sequence[tuple[str, str, str | None]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """From a stored interview's lines (speaker, text, kind label) in order: the candidate's texts and, for
    each, the question it answered (the last opening or question before it; a re-prompt or an
    acknowledgement asks nothing new). "" where none came before."""
    said, asked, question = [], [], ""
    for speaker, text, label in lines:
        if speaker == "candidate":
            said.append(text)
            asked.append(question)
            continue
        kind = TurnKind.parse(label)
        if kind is None or kind.kind in ("opening", "question"):
            question = text
    return tuple(said), tuple(asked)


def competency_schema(passage_count: int) -> dict:
    """The JSON schema of one competency's score: the number of the passage quoted, then the score."""
    return {
        "type": "object", "additionalProperties": False, "required": ["quote", "score"],
        "properties": {"quote": {"enum": list(range(1, passage_count + 1))}, "score": {"enum": [1, 2, 3, 4, 5]}},
    }


def pick_schema(passage_count: int) -> dict:
    """The JSON schema of a choice of one passage by its number."""
    return {"type": "object", "additionalProperties": False, "required": ["quote"],
            "properties": {"quote": {"enum": list(range(1, passage_count + 1))}}}


CLARITY = ("specific", "vague")


def verdicts_schema(passage_count: int, verdicts: Sequence[str]) -> dict:
    """The JSON schema of one verdict per passage, keyed by its number in order (e.g. "specific" or "vague")."""
    keys = [str(n) for n in range(1, passage_count + 1)]
    return {"type": "object", "additionalProperties": False, "required": keys,
            "properties": {key: {"enum": list(verdicts)} for key in keys}}


def numbered_transcript(transcript_text: str, answers: Sequence[str]) -> str | None:
    """The transcript with each answer marked "[n] " where it is said, so a prompt can show the questions
    and still ask for an answer by number; None when an answer is not found in it, in order. Line clocks
    ("[01:20] ") are dropped: they would read like answer numbers."""
    transcript_text = _CLOCK.sub("", transcript_text)
    marked, position = [], 0
    for number, answer in enumerate(answers, 1):
        found = transcript_text.find(answer, position)
        if found < 0:
            return None
        marked.append(f"{transcript_text[position:found]}[{number}] {answer}")
        position = found + len(answer)
    return "".join(marked) + transcript_text[position:]


def communication_score(verdicts: Sequence[str]) -> int:
    """Communication from the answers judged specific, as the communication rubric reads: every one 5,
    most (two thirds) 4, some (a third) 3, fewer 2, none 1."""
    share = sum(v == "specific" for v in verdicts) / len(verdicts) if verdicts else 0.0
    if share == 1.0:
        return 5
    if share >= 2 / 3:
        return 4
    if share >= 1 / 3:
        return 3
    return 2 if share > 0 else 1


def recommend(scores: Mapping[str, int | None], skills: Sequence[str]) -> Recommendation:
    """The recommendation from the verified scores of the resume's skills, by a stated rule, not by the model.

    advance: every skill scored 4 or 5; reject: no skill scored above 2 (a skill with no evidence
    counts as not shown), so a candidate who said nothing is rejected; hold: anything between.
    """
    skill_scores = [scores.get(name) for name in skills]
    if skill_scores and all(score is not None and score >= 4 for score in skill_scores):
        return "advance"
    if all(score is None or score <= 2 for score in skill_scores):
        return "reject"
    return "hold"


_SUMMARY = {
    "en": "Scores from the candidate's own words: {scores}. Recommendation {recommendation}: {rule}",
    "ru": "Оценки по словам кандидата: {scores}. Рекомендация {recommendation}: {rule}",
}
_RULE = {
    "en": {"advance": "every resume skill scored 4 or 5.", "reject": "no resume skill scored above 2.",
           "hold": "some resume skills scored above 2, not all of them 4 or 5."},
    "ru": {"advance": "все навыки из резюме оценены на 4 или 5.", "reject": "ни один навык из резюме не выше 2.",
           "hold": "часть навыков из резюме выше 2, но не все на 4 или 5."},
}
_NO_EVIDENCE = {"en": "no evidence", "ru": "нет доказательств"}


def rule_summary(scores: Mapping[str, int | None], recommendation: Recommendation, language: str) -> str:
    """The summary of a per-competency assessment: the scores and the rule that gave the recommendation."""
    lang = language if language in _SUMMARY else "en"
    listed = ", ".join(f"{name} {_NO_EVIDENCE[lang] if score is None else score}" for name, score in scores.items())
    return _SUMMARY[lang].format(scores=listed, recommendation=recommendation, rule=_RULE[lang][recommendation])
