"""The assessor: one short call per competency, the recommendation by rule, the guards, the fallbacks."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from hrlab.agent.assessor import SCORE_ALTERNATIVES, AssessmentInputs, assess
from hrlab.domain.topics import InterviewFacts
from hrlab.prompts import load_prompt_set
from hrlab.providers.completion import Completion, TokenChoice
from tests.agent.fakes import ScriptedCompleter

FACTS = InterviewFacts(language="en", skills=("Python", "Django", "Docker"))
SAID = ("Python every day. I profiled the batch import and made it five times faster.",
        "Django I only opened once, someone else set it up.",
        "A release broke the page. I rolled it back and found the missing field the next day.")


def inputs(said=SAID) -> AssessmentInputs:
    transcript = "\n".join(f"Interviewer: Question {n}?\nCandidate: {text}" for n, text in enumerate(said, 1))
    return AssessmentInputs(FACTS, load_prompt_set("default", "en"), transcript, tuple(said))


def answer(quote: int, score: int) -> str:
    return json.dumps({"quote": quote, "score": score})


async def test_each_competency_is_scored_by_its_own_short_calls_and_the_rule_recommends():
    # Python, Django: one call each (Docker was never named: no call); communication: a verdict per
    # answer; problem solving: which answer tells of a problem, then its score (no questions known: alone).
    clarity = json.dumps({"1": "specific", "2": "vague", "3": "specific"})
    completer = ScriptedCompleter([answer(1, 5), answer(1, 2), clarity, json.dumps({"quote": 3}), answer(1, 3)])
    outcome = await assess(inputs(), completer, timeout=10)
    assert outcome.source == "llm"
    assert "Python every day." in completer.prompts[0] and "Django I only opened once" not in completer.prompts[0]
    assert "[3] A release broke the page." in completer.prompts[3]  # answers numbered in the transcript
    assert SAID[0] not in completer.prompts[4] and SAID[2] in completer.prompts[4]
    scores = {c.name: c.score for c in outcome.assessment.competencies}
    assert scores == {"Python": 5, "Django": 2, "Docker": None, "communication": 4, "problem solving": 3}
    assert outcome.assessment.competencies[4].evidence == (SAID[2],)
    django = outcome.assessment.competencies[1]
    assert django.evidence == (SAID[1],) and "only opened it" in django.comment  # the rubric's words for 2
    assert outcome.assessment.recommendation == "hold"  # not every skill is 4-5, one is above 2
    assert json.loads(outcome.raw)["recommendation"] == "hold"


async def test_an_answer_to_the_docker_question_is_scored_for_docker_though_it_never_says_docker():
    said = SAID + ("I packed each service in its own image and cut the build to two minutes.",)
    asked = ("Tell me about Python.", "And Django?", "Tell me about a hard problem.",
             "How do you use Docker in your projects?")
    clarity = json.dumps({"1": "specific", "2": "vague", "3": "specific", "4": "specific"})
    completer = ScriptedCompleter([answer(1, 5), answer(1, 2), answer(1, 4), clarity, json.dumps({"quote": 3}),
                                   answer(1, 3), answer(1, 3)])
    outcome = await assess(replace(inputs(said), questions=asked), completer, timeout=10)
    assert said[3] in completer.prompts[2] and SAID[0] not in completer.prompts[2]  # Docker's call reads it alone
    docker = outcome.assessment.competencies[2]
    assert docker.score == 4 and docker.evidence == (said[3],)  # the guards keep the quote


async def test_the_problem_answer_is_scored_beside_the_question_it_answered():
    # A short answer means little without its question: "I told my boss" to "How did you solve it?".
    said = ("Yes.", *SAID)  # "Yes." is no passage: the numbers of the answers and of the questions differ
    asked = ("Ready?", "Tell me about Python.", "And Django?", "How did you solve the last production problem?")
    clarity = json.dumps({"1": "specific", "2": "vague", "3": "specific"})
    completer = ScriptedCompleter([answer(1, 5), answer(1, 2), clarity, json.dumps({"quote": 3}), answer(1, 2)])
    outcome = await assess(replace(inputs(said), questions=asked), completer, timeout=10)
    score_prompt = completer.prompts[4]
    assert f"The question: How did you solve the last production problem?\n[1] {SAID[2]}" in score_prompt
    assert "Tell me about Python." not in score_prompt and SAID[0] not in score_prompt
    assert outcome.assessment.competencies[4].score == 2


async def test_a_skills_passages_are_shown_under_the_questions_they_answered():
    # "Firefox" for "Airflow": the STT's word, in an answer to the question about Airflow. Under its question the
    # model reads it as an answer about Airflow (2.98 alone, 1.44 under the question: BENCHMARKS.md).
    said = ("Python every day. I profiled the batch import and made it five times faster.",
            "Firefox I only rerun when asked.", "Python again, and the import is in Python too.")
    facts = InterviewFacts(language="en", skills=("Python", "Airflow"))
    asked = ("Tell me about Python.", "How do you use Airflow?", "")
    transcript = "\n".join(f"Interviewer: {q}\nCandidate: {a}" for q, a in zip(asked, said))
    completer = ScriptedCompleter([answer(1, 5), answer(1, 1)])
    await assess(AssessmentInputs(facts, load_prompt_set("default", "en"), transcript, said, asked), completer,
                 timeout=10)
    python, airflow = completer.prompts[:2]
    assert f"The question: Tell me about Python.\n[1] {said[0]}\n[2] {said[2]}" in python  # no question known: none
    assert f"The question: How do you use Airflow?\n[1] {said[1]}" in airflow


def weighed(quote: int, written: int, probabilities: dict[int, float]) -> Completion:
    """A score's answer with the model's probabilities of 1..5 at the score's token, as llama.cpp gives them."""
    head = f'{{"quote": {quote}, "score": '
    alternatives = tuple((str(score), math.log(p)) for score, p in probabilities.items())
    tokens = (TokenChoice(head, ()), TokenChoice(str(written), alternatives), TokenChoice("}", ()))
    return Completion(text=head + f"{written}}}", finish_reason="stop", prompt_tokens=100, completion_tokens=3,
                      seconds=0.01, tokens=tokens)


async def test_a_score_is_the_mean_under_the_models_probabilities_where_it_gives_them():
    # The model wrote 1 for Python, unsure (0.4 on 1, the rest on 2-5): the mean, 2.7, is 3. One word the STT
    # changes can move the 1 to a 5; it moves the mean a little. Django's answer has no probabilities: as written.
    asked = ("Tell me about Python.", "And Django?", "How did you solve the last production problem?")
    clarity = json.dumps({"1": "specific", "2": "vague", "3": "specific"})
    completer = ScriptedCompleter([
        weighed(1, 1, {1: 0.4, 2: 0.1, 3: 0.1, 4: 0.2, 5: 0.2}), answer(1, 2), clarity, json.dumps({"quote": 3}),
        weighed(1, 3, {3: 0.75, 4: 0.25})])  # problem solving: 3.25
    outcome = await assess(replace(inputs(), questions=asked), completer, timeout=10)
    scores = {c.name: c.score for c in outcome.assessment.competencies}
    assert scores == {"Python": 3, "Django": 2, "Docker": None, "communication": 4, "problem solving": 3}
    assert outcome.unrounded == pytest.approx({"Python": 2.7, "Django": 2.0, "communication": 4.0,
                                               "problem solving": 3.25})
    assert outcome.assessment.competencies[0].evidence == (SAID[0],)
    assert "some work of their own" in outcome.assessment.competencies[0].comment  # the rubric's words for 3
    # Alternatives are asked for by the score calls only, not by the verdicts or the choice of answer.
    assert completer.top_logprobs == [SCORE_ALTERNATIVES, SCORE_ALTERNATIVES, 0, 0, SCORE_ALTERNATIVES]


async def test_without_questions_the_problem_answer_is_scored_alone_as_before():
    clarity = json.dumps({"1": "specific", "2": "vague", "3": "specific"})
    completer = ScriptedCompleter([answer(1, 5), answer(1, 2), clarity, json.dumps({"quote": 3}), answer(1, 3)])
    await assess(inputs(), completer, timeout=10)
    assert "question" not in completer.prompts[4].casefold()
    assert f"The candidate's passages about problem solving:\n[1] {SAID[2]}" in completer.prompts[4]


async def test_a_candidate_who_said_nothing_is_rejected_without_a_call():
    completer = ScriptedCompleter()
    outcome = await assess(inputs(said=("", "  ")), completer, timeout=10)
    assert outcome.source == "fallback" and outcome.assessment.recommendation == "reject"
    assert completer.prompts == []


async def test_an_unreadable_answer_falls_back_to_quotes_and_hold():
    completer = ScriptedCompleter([answer(1, 5), "{\"quote\": 9, \"score\": 5}"])
    outcome = await assess(inputs(), completer, timeout=10)
    assert outcome.source == "fallback" and outcome.assessment.recommendation == "hold"
    assert "passage 1..1" in outcome.problem
    assert all(c.score is None for c in outcome.assessment.competencies)


async def test_the_timeout_bounds_the_whole_assessment():
    outcome = await assess(inputs(), ScriptedCompleter([answer(1, 5), 1.0]), timeout=0.3)
    assert outcome.source == "fallback" and outcome.problem == "timed out"
