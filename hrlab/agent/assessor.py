"""The post-interview assessment: score each competency in its own short LLM call, check the answers, or
fall back to quotes without scores.

A resume skill: one call with the skill rubric and the candidate's passages naming the skill (JSON
schema: a passage number and a score). Communication: one call judging each answer specific or vague.
Problem solving: one call picking the answer about a problem, one scoring it on its rubric beside the
question it answered. In one call for all six, a 1.5B model used almost only 5, 3 and null, so weak and
mixed answers tied. A score is the mean under the model's probabilities of 1..5 where the provider gives
them (score_probabilities.py), else the score it wrote; a skill's passages are shown under the questions
they answered, so a term the STT misheard ("Firefox" for "Airflow") still reads as an answer about it. The
recommendation follows from the verified skill scores by a stated rule (domain/assessment.py `recommend`),
not from the model.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hrlab.agent.score_probabilities import expected_score, round_half_up, score_distribution
from hrlab.domain.assessment import (
    CLARITY,
    Assessment,
    AssessmentError,
    communication_score,
    competencies_for,
    competency_schema,
    evidence_only_assessment,
    numbered_transcript,
    parse_assessment,
    passage_questions,
    pick_schema,
    recommend,
    rubric_kind,
    rule_summary,
    verdicts_schema,
)
from hrlab.domain.prompting import PromptSet, render_assessment_prompt, rubric_anchor
from hrlab.domain.topics import InterviewFacts
from hrlab.providers.completion import Completion, TextCompleter

log = logging.getLogger(__name__)

# Under the schemas an answer is at most about 60 tokens ({"1": "specific", ...} for a long interview).
COMPETENCY_MAX_TOKENS = 96
# Alternatives asked for at each token of a score's answer: the five scores are the likeliest there.
SCORE_ALTERNATIVES = 10


@dataclass(frozen=True)
class AssessmentOutcome:
    """The assessment, where it came from, and what it cost."""

    assessment: Assessment
    source: str  # "llm" or "fallback"
    seconds: float
    problem: str | None = None
    raw: str = ""  # the model's answers assembled into one assessment JSON (what the guards read)
    # each scored competency's score before it was rounded to a whole one (how far apart two readings are)
    unrounded: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The `ai_feedback` body."""
        body = {"source": self.source, **self.assessment.to_json()}
        if self.problem:
            body["problem"] = self.problem
        return body


@dataclass(frozen=True)
class AssessmentInputs:
    """What an assessment reads: the resume facts, the prompt set, the stored transcript, the candidate's words
    and the question each of them answered (`questions`, in the same order; empty when not known)."""

    facts: InterviewFacts
    prompts: PromptSet
    transcript_text: str
    candidate_texts: tuple[str, ...]
    questions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.questions and len(self.questions) != len(self.candidate_texts):
            raise ValueError(f"{len(self.questions)} questions for {len(self.candidate_texts)} candidate texts")


async def assess(inputs: AssessmentInputs, completer: TextCompleter | None, *, timeout: float) -> AssessmentOutcome:
    """Assess a finished interview, one competency per LLM call under a JSON schema; any failure gives the
    quotes-only fallback. `timeout` bounds the whole assessment."""
    facts = inputs.facts
    competencies = competencies_for(facts)
    said = list(inputs.candidate_texts)
    loop = asyncio.get_running_loop()
    started = loop.time()

    def fallback(why: str, recommendation: str = "hold") -> AssessmentOutcome:
        assessment = evidence_only_assessment(competencies, candidate_texts=said, language=facts.language, why=why,
                                              recommendation=recommendation)
        return AssessmentOutcome(assessment, "fallback", loop.time() - started, why)

    if completer is None:
        return fallback("no model")
    if not any(text.strip() for text in said):
        return fallback("the candidate said nothing", "reject")  # no skill shown: the rule's reject
    try:
        raw, unrounded = await asyncio.wait_for(_score_each(inputs, competencies, completer), timeout)
        assessment = parse_assessment(raw, competencies=competencies, candidate_texts=said,
                                      questions=inputs.questions)
        if all(item.score is None for item in assessment.competencies):
            raise AssessmentError("no competency has a score backed by a verified quote")
        return AssessmentOutcome(assessment, "llm", loop.time() - started, raw=raw, unrounded=unrounded)
    except Exception as exc:  # noqa: BLE001 - any failure (unreadable, time-out, provider error): fallback
        why = _describe(exc)
        log.warning("assessment fell back to quotes: %s", why)
        return fallback(why)


async def _score_each(inputs: AssessmentInputs, competencies: list[str],
                      completer: TextCompleter) -> tuple[str, dict[str, float]]:
    """Each competency scored by its own short calls; the answers assembled into one assessment JSON with
    the rule's recommendation, and each score before rounding. A competency without passages gets no call
    and no score."""
    items, unrounded = [], {}
    for name in competencies:
        asked = passage_questions(name, inputs.candidate_texts, questions=inputs.questions)
        quotable, kind = list(asked), rubric_kind(name)
        if not quotable:
            quote, value = None, None
        elif kind == "skill":
            prompt = render_assessment_prompt(inputs.prompts, "assessment_skill", competency=name,
                                              rubric_kind=kind, passages=quotable,
                                              questions=[asked[passage] for passage in quotable])
            quote, value = await _score(completer, prompt, name, len(quotable))
        elif kind == "communication":
            quote, value = await _communication(inputs.prompts, quotable, completer, name,
                                                numbered_transcript(inputs.transcript_text, quotable))
        else:
            quote, value = await _problem_solving(inputs.prompts, asked, completer, name,
                                                  numbered_transcript(inputs.transcript_text, quotable))
        score = None
        if value is not None:
            score, unrounded[name] = round_half_up(value), value
        items.append({"name": name, "evidence": [] if quote is None else [quotable[quote - 1]], "score": score,
                      "comment": "" if score is None else rubric_anchor(inputs.prompts, kind, score)})
    scores = {item["name"]: item["score"] for item in items}
    recommendation = recommend(scores, [name for name in competencies if rubric_kind(name) == "skill"])
    summary = rule_summary(scores, recommendation, inputs.facts.language)
    return json.dumps({"competencies": items, "recommendation": recommendation, "summary": summary},
                      ensure_ascii=False), unrounded


async def _communication(prompts: PromptSet, answers: list[str], completer: TextCompleter, name: str,
                         numbered: str | None):
    """Each answer judged specific or vague in one call (a 1.5B model asked for one overall score gave 4-5
    to vague answers); the score is the share judged specific, the quote the first specific answer."""
    prompt = render_assessment_prompt(prompts, "assessment_clarity", passages=answers, numbered_text=numbered)
    verdicts = await _verdicts(completer, prompt, len(answers), CLARITY, name)
    quote = verdicts.index("specific") + 1 if "specific" in verdicts else 1
    return quote, communication_score(verdicts)


async def _problem_solving(prompts: PromptSet, asked: dict[str, str], completer: TextCompleter, name: str,
                           numbered: str | None):
    """The answer that tells of a problem (`asked`: each answer with its question, "" when not known), chosen
    in one call that shows the questions (it opens like the clarity call: cached), then scored on the rubric
    beside the question it answered (alone when not known). Over all answers at once the model gave 5 to "I
    waited until somebody fixed it"; without the questions it chose the wrong answer; scored without its
    question ("How did you solve it?"), "Data was wrong once. I told my boss and that was it." got 1 and its STT
    garble 3. A second reading alone, averaged in while scores were the token sampled, is gone: under the
    probabilities it read STT garbles higher («Бывали боги, ...» 3.83 alone, 3.39 beside, BENCHMARKS.md)."""
    answers = list(asked)
    quote = 1
    if len(answers) > 1:
        prompt = render_assessment_prompt(prompts, "assessment_problem_pick", passages=answers, numbered_text=numbered)
        quote = (await _ask(completer, prompt, pick_schema(len(answers)), name))[0].get("quote")
        if not isinstance(quote, int) or not 1 <= quote <= len(answers):
            raise AssessmentError(f"the answer for {name!r} needs an answer 1..{len(answers)}: {quote!r}")
    answer = answers[quote - 1]
    question = asked[answer]
    key = "assessment_problem_question" if question.strip() else "assessment_problem"
    prompt = render_assessment_prompt(prompts, key, passages=[answer], rubric_kind="problem_solving",
                                      question=question)
    return quote, (await _score(completer, prompt, name, 1))[1]


async def _score(completer: TextCompleter, prompt: str, name: str, passage_count: int) -> tuple[int, float]:
    """The passage quoted and the score of one competency's call: the mean under the model's probabilities of
    1..5 where the completion carries them, else the score written."""
    body, completion = await _ask(completer, prompt, competency_schema(passage_count), name,
                                  top_logprobs=SCORE_ALTERNATIVES)
    quote, written = _scored(body, name, passage_count)
    distribution = score_distribution(completion.tokens)
    if distribution is None:
        return quote, float(written)
    log.info("assessment score", extra={"competency": name, "written": written,
                                        "probabilities": {k: round(v, 3) for k, v in distribution.items()}})
    return quote, expected_score(distribution)


async def _verdicts(completer: TextCompleter, prompt: str, count: int, allowed: Sequence[str], name: str) -> list:
    """One call giving a verdict (one of `allowed`) per numbered passage."""
    body, _ = await _ask(completer, prompt, verdicts_schema(count, allowed), name)
    verdicts = [body.get(str(n)) for n in range(1, count + 1)]
    if any(verdict not in allowed for verdict in verdicts):
        raise AssessmentError(f"the answer for {name!r} needs one of {allowed} per passage: {body!r}"[:200])
    return verdicts


async def _ask(completer: TextCompleter, prompt: str, schema: dict, name: str, *,
               top_logprobs: int = 0) -> tuple[dict, Completion]:
    """One short call under `schema`: its JSON object and the completion; AssessmentError when it is not one or
    was cut off."""
    completion = await completer.complete(prompt, max_tokens=COMPETENCY_MAX_TOKENS, temperature=0.0,
                                          json_schema=schema, top_logprobs=top_logprobs)
    text = completion.text
    if completion.finish_reason == "length":
        raise AssessmentError(f"the answer for {name!r} was cut off at {COMPETENCY_MAX_TOKENS} tokens: {text[:80]!r}")
    try:
        body = json.loads(text[text.find("{"):text.rfind("}") + 1])
    except ValueError:
        raise AssessmentError(f"the answer for {name!r} is not JSON: {text[:80]!r}") from None
    if not isinstance(body, dict):
        raise AssessmentError(f"the answer for {name!r} is not a JSON object: {text[:80]!r}")
    log.info("assessment call", extra={"competency": name, "prompt_chars": len(prompt), "answer": text})
    return body, completion


def _scored(body: dict, name: str, passage_count: int) -> tuple[int, int]:
    """The passage number and score of one competency's answer; AssessmentError when it is not that."""
    quote, score = body.get("quote"), body.get("score")
    if not (isinstance(quote, int) and 1 <= quote <= passage_count and isinstance(score, int) and 1 <= score <= 5):
        raise AssessmentError(f"the answer for {name!r} needs a passage 1..{passage_count} and a score 1..5: "
                              f"{body!r}"[:200])
    return quote, score


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"[:300]
