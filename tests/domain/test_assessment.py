"""Reading the LLM's assessment: evidence must be real quotes, no emotion inference, strict shape."""

from __future__ import annotations

import json

import jsonschema
import pytest

from hrlab.domain.assessment import (
    AssessmentError,
    assessment_schema,
    competencies_for,
    evidence_only_assessment,
    evidence_options,
    parse_assessment,
    quotable_sentences,
)
from hrlab.domain.topics import InterviewFacts

SAID = [
    "I built the order service with Django and kept the API under fifty milliseconds.",
    "When we disagreed about the database, I wrote a short comparison and we chose PostgreSQL.",
]
COMPETENCIES = ["Django", "PostgreSQL", "communication"]


def answer(**overrides) -> str:
    body = {
        "competencies": [
            {"name": "Django", "score": 4, "evidence": ["I built the order service with Django"],
             "comment": "Built a real service. He seemed nervous at first."},
            {"name": "postgresql", "score": 5, "evidence": ["I designed a sharded cluster"], "comment": "Claims."},
            {"name": "communication", "score": 4.0,
             "evidence": ["I wrote a short comparison and we chose PostgreSQL", "we chose"], "comment": ""},
            {"name": "leadership", "score": 5, "evidence": ["kept the API"], "comment": "not asked"},
        ],
        "recommendation": "advance",
        "summary": "Solid backend experience. The candidate was anxious. Clear explanations.",
    }
    body.update(overrides)
    return "Here is the JSON:\n" + json.dumps(body) + "\nDone."


def test_guards_keep_only_verified_evidence_and_drop_emotion_sentences():
    result = parse_assessment(answer(), competencies=COMPETENCIES, candidate_texts=SAID)
    django, postgres, communication = result.competencies
    assert django.score == 4 and django.evidence == ("I built the order service with Django",)
    assert django.comment == "Built a real service."
    assert postgres.score is None and postgres.evidence == ()  # its only quote was invented
    assert communication.score == 4 and len(communication.evidence) == 1  # "we chose" is too short
    assert "I designed a sharded cluster" in result.dropped_quotes
    assert result.summary == "Solid backend experience. Clear explanations."
    assert result.removed_sentences == ("He seemed nervous at first.", "The candidate was anxious.")
    assert [c.name for c in result.competencies] == COMPETENCIES  # "leadership" was not asked for
    assert json.loads(json.dumps(result.to_json()))["recommendation"] == "advance"


def test_quotes_may_not_span_two_answers():
    quote = "under fifty milliseconds. When we disagreed"
    raw = answer(competencies=[{"name": "Django", "score": 3, "evidence": [quote]}])
    assert parse_assessment(raw, competencies=COMPETENCIES, candidate_texts=SAID).competencies[0].score is None


def test_missing_competencies_are_listed_without_a_score():
    raw = answer(competencies=[])
    result = parse_assessment(raw, competencies=COMPETENCIES, candidate_texts=SAID)
    assert [(c.name, c.score) for c in result.competencies] == [(name, None) for name in COMPETENCIES]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("no json here", "no JSON object"),
        ("{not: json}", "not valid JSON"),
        (answer(recommendation="hire"), "recommendation must be one of advance, hold, reject, got 'hire'"),
        (answer(competencies="all good"), "needs a 'competencies' list"),
        (answer(competencies=[{"name": "Django", "score": 7, "evidence": ["I built the order service with Django"]}]),
         "score of 'Django' must be 1..5, got 7"),
        (answer(competencies=[{"name": "Django", "score": "high", "evidence": [SAID[0]]}]),
         "must be an integer 1..5 or null"),
    ],
)
def test_unreadable_assessments_raise_precise_errors(raw, words):
    with pytest.raises(AssessmentError, match=words):
        parse_assessment(raw, competencies=COMPETENCIES, candidate_texts=SAID)


def test_competencies_come_from_resume_skills_in_the_interview_language():
    facts = InterviewFacts(language="ru", skills=("Python", "SQL", "Go", "Docker", "Kafka"))
    assert competencies_for(facts) == ["Python", "SQL", "Go", "Docker", "коммуникация", "решение задач"]


def test_evidence_only_fallback_quotes_without_scoring():
    result = evidence_only_assessment(COMPETENCIES, candidate_texts=SAID, language="en")
    assert result.recommendation == "hold" and "No automatic scores" in result.summary
    django, postgres, communication = result.competencies
    assert django.evidence == (SAID[0],) and django.score is None
    assert postgres.evidence == (SAID[1],)
    assert communication.evidence == () and communication.score is None


def test_the_decoding_schema_admits_only_the_candidates_own_sentences_and_every_competency_once():
    assert quotable_sentences(SAID + ["Yes.", SAID[0]]) == SAID  # short answers are no evidence; repeats once
    options = evidence_options(COMPETENCIES, SAID + ["Yes."])
    # A skill's quotes name the skill; communication may be shown by any sentence.
    assert options == {"Django": [SAID[0]], "PostgreSQL": [SAID[1]], "communication": SAID}
    validator = jsonschema.Draft202012Validator(assessment_schema(options))
    good = {"competencies": [{"name": name, "evidence": [options[name][0]], "score": 4, "comment": "ok"}
                             for name in COMPETENCIES],
            "recommendation": "advance", "summary": "Solid."}
    assert not list(validator.iter_errors(good))
    parsed = parse_assessment(json.dumps(good), competencies=COMPETENCIES, candidate_texts=SAID)
    assert [c.score for c in parsed.competencies] == [4, 4, 4] and not parsed.dropped_quotes
    invented = json.loads(json.dumps(good))
    invented["competencies"][0]["evidence"] = ["I designed a sharded cluster"]
    unrelated = json.loads(json.dumps(good))
    unrelated["competencies"][0]["evidence"] = [SAID[1]]  # real words, but not about Django
    missing = {**good, "competencies": good["competencies"][:2]}
    renamed = json.loads(json.dumps(good))
    renamed["competencies"][2]["name"] = "leadership"
    for bad in (invented, unrelated, missing, renamed, {**good, "recommendation": "maybe"}):
        assert list(validator.iter_errors(bad)), bad


def test_a_quote_that_does_not_name_the_skill_is_no_evidence_for_it():
    body = {"competencies": [{"name": "Django", "score": 5, "evidence": [SAID[1]], "comment": ""}],
            "recommendation": "advance", "summary": ""}
    parsed = parse_assessment(json.dumps(body), competencies=["Django"], candidate_texts=SAID)
    assert parsed.competencies[0].score is None and parsed.dropped_quotes == (SAID[1],)


def test_with_nothing_quotable_the_schema_allows_no_evidence():
    schema = assessment_schema({"Python": []})
    assert schema["properties"]["competencies"]["prefixItems"][0]["properties"]["evidence"]["maxItems"] == 0


def test_skills_named_the_way_russian_speakers_say_them_are_evidence():
    said = ["Основная база данных у нас постгрес, иногда редис.", "Деплой шёл через дженкинс каждую ночь.",
            "Мы работали в команде из пяти человек."]
    options = evidence_options(["PostgreSQL", "Jenkins", "Django"], said)
    assert options == {"PostgreSQL": [said[0]], "Jenkins": [said[1]], "Django": []}
    fallback = evidence_only_assessment(["Redis"], candidate_texts=said, language="ru")
    assert fallback.competencies[0].evidence == (said[0],)
