"""Reading the LLM's assessment: evidence must be real quotes, no emotion inference, strict shape."""

from __future__ import annotations

import json

import jsonschema
import pytest

from hrlab.domain.assessment import (
    AssessmentError,
    answered_questions,
    communication_score,
    competencies_for,
    competency_schema,
    evidence_only_assessment,
    names,
    numbered_transcript,
    parse_assessment,
    passage_questions,
    passages,
    pick_schema,
    quotable_sentences,
    recommend,
    rule_summary,
    verdicts_schema,
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


def test_passages_are_verbatim_and_a_skills_runs_on_from_the_sentence_naming_it():
    assert quotable_sentences(SAID + ["Yes.", SAID[0]]) == SAID  # short answers are no evidence; repeats once
    said = ["I came from operations. PostgreSQL is my strongest area. I set up streaming replication.", "Yes.",
            "Django I only opened once."]
    # What was done is often in the sentence after the one naming the skill: the passage runs on.
    assert passages("PostgreSQL", said) == ["PostgreSQL is my strongest area. I set up streaming replication."]
    assert passages("Django", said) == ["Django I only opened once."]
    assert passages("Docker", said) == []
    assert passages("communication", said) == [said[0], said[2]]  # whole answers; "Yes." is too short
    long = ["Python " + " ".join(f"w{i}" for i in range(100))]
    (cut,) = passages("Python", long, max_words=10)
    assert cut.split() == long[0].split()[:10]
    body = {"competencies": [{"name": "PostgreSQL", "score": 5, "evidence": passages("PostgreSQL", said)}],
            "recommendation": "hold", "summary": ""}
    parsed = parse_assessment(json.dumps(body), competencies=["PostgreSQL"], candidate_texts=said)
    assert parsed.competencies[0].score == 5 and not parsed.dropped_quotes  # the guards take it as verbatim


def test_each_passage_keeps_the_question_its_answer_answered():
    said = ["Yes.", "The import was slow. I profiled it and cached the lookups.", "I told my boss.",
            "The import was slow. I profiled it and cached the lookups."]
    asked = ["Ready?", "Tell me about a hard problem.", "How did you solve it?", "Anything else?"]
    # "Yes." is too short to be a passage, and the repeat is one passage: the numbers shift, the questions follow.
    assert passage_questions("problem solving", said, questions=asked) == {
        said[1]: "Tell me about a hard problem.", said[2]: "How did you solve it?"}
    assert list(passage_questions("problem solving", said, questions=asked)) == passages("problem solving", said)
    cut = passage_questions("problem solving", said, questions=asked, max_words=3)
    assert cut == {"The import was": "Tell me about a hard problem.", "I told my": "How did you solve it?"}
    assert passage_questions("problem solving", said) == {said[1]: "", said[2]: ""}  # not known
    with pytest.raises(ValueError):
        passage_questions("problem solving", said, questions=asked[:2])


def test_one_competencys_answer_must_name_an_offered_passage_and_a_score():
    validator = jsonschema.Draft202012Validator(competency_schema(2))
    assert not list(validator.iter_errors({"quote": 2, "score": 1}))
    for bad in ({"quote": 3, "score": 4}, {"quote": 1, "score": 0}, {"quote": 1, "score": None}, {"score": 4},
                {"quote": 1, "score": 4, "comment": "extra"}):
        assert list(validator.iter_errors(bad)), bad


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"Python": 5, "Django": 4, "communication": 2}, "advance"),  # the rule reads the resume skills
        ({"Python": 5, "Django": None, "communication": 5}, "hold"),  # a skill without evidence is not shown
        ({"Python": 5, "Django": 1}, "hold"),
        ({"Python": 3, "Django": 3}, "hold"),
        ({"Python": 2, "Django": 1, "communication": 5}, "reject"),
        ({"Python": None, "Django": None}, "reject"),  # nothing said: not advance, not even hold
    ],
)
def test_the_recommendation_follows_from_the_skill_scores(scores, expected):
    assert recommend(scores, ["Python", "Django"]) == expected
    assert expected in rule_summary(scores, expected, "en")


@pytest.mark.parametrize(
    ("verdicts", "score"),
    [(["specific"] * 6, 5), (["specific"] * 4 + ["vague"] * 2, 4), (["specific"] * 3 + ["vague"] * 3, 3),
     (["specific"] * 2 + ["vague"] * 4, 3), (["specific"] + ["vague"] * 5, 2), (["vague"] * 6, 1), ([], 1)],
)
def test_communication_is_the_share_of_answers_judged_specific(verdicts, score):
    assert communication_score(verdicts) == score


def test_verdict_and_pick_schemas_take_one_answer_per_number():
    verdicts = jsonschema.Draft202012Validator(verdicts_schema(2, ("specific", "vague")))
    assert not list(verdicts.iter_errors({"1": "specific", "2": "vague"}))
    for bad in ({"1": "specific"}, {"1": "specific", "2": "clear"}, {"1": "vague", "2": "vague", "3": "vague"}):
        assert list(verdicts.iter_errors(bad)), bad
    pick = jsonschema.Draft202012Validator(pick_schema(3))
    assert not list(pick.iter_errors({"quote": 3})) and list(pick.iter_errors({"quote": 4}))


def test_the_numbered_transcript_marks_each_answer_and_drops_the_clock():
    transcript = ("[00:00] Interviewer: Tell me about Django.\n[00:20] Candidate: I built the order service.\n"
                  "[00:40] Interviewer: A hard problem?\n[01:00] Candidate: The disk filled up one night.")
    assert numbered_transcript(transcript, ["I built the order service.", "The disk filled up one night."]) == (
        "Interviewer: Tell me about Django.\nCandidate: [1] I built the order service.\n"
        "Interviewer: A hard problem?\nCandidate: [2] The disk filled up one night.")
    assert numbered_transcript(transcript, ["The disk filled up one night.", "I built the order service."]) is None


def test_evidence_only_fallback_may_carry_the_rules_reject():
    result = evidence_only_assessment(COMPETENCIES, candidate_texts=[], language="en", recommendation="reject")
    assert result.recommendation == "reject" and all(c.score is None for c in result.competencies)


def test_the_season_spring_is_no_evidence_for_the_spring_skill():
    assert not names("In spring we moved the team to a new office.", "Spring")
    assert names("I wrote the REST layer in Spring Boot.", "Spring")
    assert names("На спринге я писал контроллеры.", "Spring")
    assert passages("Spring", ["Last spring I was on holiday, so nothing new there.",
                               "With Spring I built the billing API."]) == ["With Spring I built the billing API."]
    assert names("python scripts mostly", "Python")  # other skills still match in any case


def test_a_quote_that_does_not_name_the_skill_is_no_evidence_for_it():
    body = {"competencies": [{"name": "Django", "score": 5, "evidence": [SAID[1]], "comment": ""}],
            "recommendation": "advance", "summary": ""}
    parsed = parse_assessment(json.dumps(body), competencies=["Django"], candidate_texts=SAID)
    assert parsed.competencies[0].score is None and parsed.dropped_quotes == (SAID[1],)


def test_skills_named_the_way_russian_speakers_say_them_are_evidence():
    said = ["Основная база данных у нас постгрес, иногда редис.", "Деплой шёл через дженкинс каждую ночь.",
            "Мы работали в команде из пяти человек.", "Я перенёс наши сервисы в кубер и написал чарты."]
    options = {name: passages(name, said) for name in ["PostgreSQL", "Jenkins", "Django", "Kubernetes"]}
    assert options == {"PostgreSQL": [said[0]], "Jenkins": [said[1]], "Django": [], "Kubernetes": [said[3]]}
    fallback = evidence_only_assessment(["Redis"], candidate_texts=said, language="ru")
    assert fallback.competencies[0].evidence == (said[0],)


def test_an_answer_to_a_question_naming_the_skill_is_its_evidence_without_naming_it():
    # Asked about a skill, people tell what they built; the STT may garble the name when they do say it.
    said = ["На поисхану я напестала библиотеку загрузчиков для двадцати источников.",
            "Мы работали в команде из пяти человек, релизы раз в неделю."]
    asked = ["Расскажите о своей работе с Python.", "Как устроена ваша команда?"]
    assert passages("Python", said, questions=asked) == [said[0]]
    assert passages("Python", said) == []  # without the questions, only a named skill counts
    assert passages("Spark", said, questions=asked) == []
    en = ["I wrote the loaders for twenty sources and cut onboarding to two hours.", "Last spring I moved teams."]
    assert passages("Python", en, questions=["Tell me about your work with Python.", "Anything else?"]) == [en[0]]
    # A skill whose name is an ordinary word is named by a question only as the vocabulary spells it.
    assert passages("Spring", en, questions=["What did you do last spring?", "And then?"]) == []
    with pytest.raises(ValueError, match="1 questions for 2 answers"):
        passages("Python", en, questions=["Tell me about Python."])


def test_the_guards_keep_a_quote_from_an_answer_to_the_skills_question_and_drop_others():
    said = ["I wrote the loaders for twenty sources and cut onboarding to two hours.",
            "We were five people and released every week."]
    asked = ["Tell me about your work with Python.", "How was your team organised?"]
    body = {"competencies": [{"name": "Python", "score": 5, "evidence": [said[0]], "comment": ""},
                             {"name": "Docker", "score": 4, "evidence": [said[1]], "comment": ""}],
            "recommendation": "hold", "summary": ""}
    parsed = parse_assessment(json.dumps(body), competencies=["Python", "Docker"], candidate_texts=said,
                              questions=asked)
    python, docker = parsed.competencies
    assert python.score == 5 and python.evidence == (said[0],)
    assert docker.score is None and parsed.dropped_quotes == (said[1],)
    unasked = parse_assessment(json.dumps(body), competencies=["Python"], candidate_texts=said)
    assert unasked.competencies[0].score is None  # the same quote, its question unknown


def test_each_candidate_line_is_paired_with_the_question_it_answered():
    lines = [("ai", "Hello! Tell me about yourself.", "opening:script"),
             ("candidate", "I build data pipelines.", None),
             ("ai", "Tell me about your work with Python.", "question:llm:next_topic"),
             ("candidate", "Sorry?", None),
             ("ai", "Let me say it again.", "reprompt:script:repeat"),
             ("candidate", "I wrote the loaders.", None),
             ("candidate", "And their tests.", None),
             ("ai", "What about Spark?", None)]  # a line stored before labels existed counts as a question
    said, asked = answered_questions(lines)
    assert said == ("I build data pipelines.", "Sorry?", "I wrote the loaders.", "And their tests.")
    assert asked == ("Hello! Tell me about yourself.",) + ("Tell me about your work with Python.",) * 3
    assert answered_questions([("candidate", "Hi.", None)]) == (("Hi.",), ("",))
