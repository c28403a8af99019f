"""The post-interview assessment: ask the LLM, check its JSON, or fall back to quotes without scores."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from hrlab.domain.assessment import (
    Assessment,
    AssessmentError,
    assessment_schema,
    competencies_for,
    evidence_only_assessment,
    evidence_options,
    parse_assessment,
)
from hrlab.domain.prompting import PromptSet, render_assessment_prompt
from hrlab.domain.topics import InterviewFacts
from hrlab.providers.completion import TextCompleter

log = logging.getLogger(__name__)

# Room for every competency's quotes and comment under the schema's limits; a cut-off answer cannot parse.
ASSESSMENT_MAX_TOKENS = 1500
QUOTE_WORDS = 25  # quotes offered to the model are sentence openings: still verbatim, never a paragraph


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


@dataclass(frozen=True)
class AssessmentInputs:
    """What an assessment reads: the resume facts, the prompt set, the stored transcript, the candidate's words."""

    facts: InterviewFacts
    prompts: PromptSet
    transcript_text: str
    candidate_texts: tuple[str, ...]


async def assess(inputs: AssessmentInputs, completer: TextCompleter | None, *, timeout: float) -> AssessmentOutcome:
    """Assess a finished interview with the LLM under a JSON schema; any failure gives the quotes-only fallback."""
    facts = inputs.facts
    competencies = competencies_for(facts)
    said = list(inputs.candidate_texts)
    loop = asyncio.get_running_loop()
    started = loop.time()

    def fallback(why: str) -> AssessmentOutcome:
        assessment = evidence_only_assessment(competencies, candidate_texts=said, language=facts.language, why=why)
        return AssessmentOutcome(assessment, "fallback", loop.time() - started, why)

    if completer is None or not any(text.strip() for text in said):
        return fallback("no model" if completer is None else "the candidate said nothing")
    prompt = render_assessment_prompt(inputs.prompts, facts=facts, competencies=competencies,
                                      transcript_text=inputs.transcript_text)
    schema = assessment_schema(evidence_options(competencies, said, max_words=QUOTE_WORDS))
    try:
        completion = await asyncio.wait_for(completer.complete(
            prompt, max_tokens=ASSESSMENT_MAX_TOKENS, temperature=0.0, json_schema=schema), timeout)
        log.info("assessment LLM answered", extra={"prompt_chars": len(prompt), "response_chars": len(completion.text)})
        assessment = parse_assessment(completion.text, competencies=competencies, candidate_texts=said)
        if all(item.score is None for item in assessment.competencies):
            raise AssessmentError("no competency has a score backed by a verified quote")
        return AssessmentOutcome(assessment, "llm", loop.time() - started)
    except Exception as exc:  # noqa: BLE001 - any failure (unreadable, time-out, provider error): fallback
        why = _describe(exc)
        log.warning("assessment fell back to quotes: %s", why)
        return fallback(why)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"[:300]
