"""The post-interview assessment: ask the LLM, check its JSON, or fall back to quotes without scores."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Sequence

from hrlab.domain.assessment import (
    MAX_QUOTES,
    MIN_QUOTE_WORDS,
    Assessment,
    AssessmentError,
    CompetencyScore,
    competencies_for,
    parse_assessment,
)
from hrlab.domain.guards import mentions
from hrlab.domain.plan import InterviewMachine
from hrlab.domain.prompting import render_assessment_prompt
from hrlab.providers.completion import TextCompleter

log = logging.getLogger(__name__)

ASSESSMENT_MAX_TOKENS = 600
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_FALLBACK_SUMMARY = {
    "en": "No automatic scores: the assessment model gave no usable answer ({why}). "
          "Quotes per competency are collected for the hiring team's review.",
    "ru": "Автоматической оценки нет: модель не дала пригодного ответа ({why}). "
          "Цитаты по компетенциям собраны для проверки командой найма.",
}


@dataclass(frozen=True)
class AssessmentOutcome:
    """The assessment, where it came from, and what it cost."""

    assessment: Assessment
    source: str  # "llm" or "fallback"
    seconds: float
    problem: str | None = None

    def to_json(self) -> dict:
        """The `ai_feedback` body."""
        body = {"source": self.source, **self.assessment.to_json()}
        if self.problem:
            body["problem"] = self.problem
        return body


async def assess(machine: InterviewMachine, completer: TextCompleter | None, *, timeout: float) -> AssessmentOutcome:
    """Assess a finished interview with the LLM; any failure gives the deterministic fallback."""
    facts = machine.plan.facts
    competencies = competencies_for(facts)
    said = machine.transcript.texts("candidate")
    loop = asyncio.get_running_loop()
    started = loop.time()
    if completer is None or not any(text.strip() for text in said):
        why = "no model" if completer is None else "the candidate said nothing"
        return AssessmentOutcome(fallback_assessment(competencies, said, language=facts.language, why=why),
                                 "fallback", loop.time() - started, why)
    prompt = render_assessment_prompt(machine.prompts, facts=facts, competencies=competencies,
                                      transcript_text=machine.transcript.render(language=facts.language))
    try:
        completion = await asyncio.wait_for(
            completer.complete(prompt, max_tokens=ASSESSMENT_MAX_TOKENS, temperature=0.0), timeout
        )
        log.info("assessment LLM answered", extra={"prompt_chars": len(prompt), "response_chars": len(completion.text)})
        assessment = parse_assessment(completion.text, competencies=competencies, candidate_texts=said)
        if all(item.score is None for item in assessment.competencies):
            raise AssessmentError("no competency has a score backed by a verified quote")
        return AssessmentOutcome(assessment, "llm", loop.time() - started)
    except (AssessmentError, asyncio.TimeoutError, Exception) as exc:  # noqa: BLE001 - any failure: fallback
        why = _describe(exc)
        log.warning("assessment fell back to quotes: %s", why)
        return AssessmentOutcome(fallback_assessment(competencies, said, language=facts.language, why=why),
                                 "fallback", loop.time() - started, why)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"[:300]


def fallback_assessment(
    competencies: Sequence[str], candidate_texts: Sequence[str], *, language: str, why: str
) -> Assessment:
    """Per competency, the candidate's own sentences that name it; no scores, recommendation `hold`."""
    sentences = [s.strip() for text in candidate_texts for s in _SENTENCES.split(" ".join(text.split()))]
    sentences = [s for s in sentences if len(s.split()) >= MIN_QUOTE_WORDS]
    scores = []
    for name in competencies:
        quotes = tuple(s for s in sentences if mentions(s, name))[:MAX_QUOTES]
        scores.append(CompetencyScore(name, None, quotes, ""))
    summary = _FALLBACK_SUMMARY.get(language, _FALLBACK_SUMMARY["en"]).format(why=why)
    return Assessment(competencies=tuple(scores), recommendation="hold", summary=summary)
