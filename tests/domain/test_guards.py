"""Checks on LLM-proposed questions, completion clean-up, and resume-grounded fallbacks."""

from __future__ import annotations

import pytest

from hrlab.domain.fallback import fallback_question
from hrlab.domain.guards import (
    Move,
    check_question,
    clean_completion,
    is_echo,
    is_near_duplicate,
    is_repeat,
    looks_like_question,
    parse_move,
)
from hrlab.domain.topics import InterviewFacts, Topic, derive_topics


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" How did you test it?\nCandidate: with pytest", "How did you test it?"),
        ("Interviewer: How did you test it?", "How did you test it?"),
        ("Interviewer: Q: How did you test it?", "How did you test it?"),
        ("Интервьюер: Как вы это тестировали?<end_of_turn>", "Как вы это тестировали?"),
        ("How did you test it? Candidate: I used pytest", "How did you test it?"),
        ("Good. How did you test it? And what about load tests?", "Good. How did you test it?"),
        ('"How did you test it?"', "How did you test it?"),
        ("«Как вы это тестировали?»", "Как вы это тестировали?"),
        ("\n\n  Tell me about   your team.\n", "Tell me about your team."),
        ("Tell me about your team. Кандидат: ну", "Tell me about your team."),
        ("How did you test it?### Resume: Python", "How did you test it?"),
        ("", ""),
        ("\n\n", ""),
    ],
)
def test_clean_completion(raw, expected):
    assert clean_completion(raw) == expected


@pytest.mark.parametrize(
    ("raw", "kind", "text"),
    [
        ("[end] Thank you", "end", "Thank you"),
        ("[follow_up] Why?", "follow_up", "Why?"),
        ("[Next topic] What about Docker?", "next_topic", "What about Docker?"),
        ("[next-topic]What about Docker?", "next_topic", "What about Docker?"),
        ("What about Docker?", "follow_up", "What about Docker?"),
        ("[maybe] What about Docker?", "follow_up", "[maybe] What about Docker?"),
    ],
)
def test_parse_move(raw, kind, text):
    assert parse_move(raw, default="follow_up") == Move(kind, text)


def test_move_kind_is_checked():
    with pytest.raises(ValueError, match="move kind must be one of"):
        Move("skip")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("What did you do with Django?", "What did you do with Django at work?", True),
        ("How did you scale the payment service?", "How did you scale the payments service?", True),
        ("Could you give a concrete example?", "Can you give a concrete example of that?", True),
        ("Какую самую сложную задачу вы решили?", "Какую самую сложную задачу вы решали?", True),
        ("Как вы решали это?", "Как вы решили эту задачу?", True),
        ("HOW DID YOU TEST IT???", "how did you test it", True),
        ("Tell me about a project where you used Python.", "Tell me about a project where you used Django.", False),
        ("Какие ошибки вы допускали в работе с «Python»?", "Какие ошибки вы допускали в работе с «Django»?", False),
        ("What was the result?", "How did you test it?", False),
        ("Why are you interested in this position?", "What are you looking for in your next role?", False),
        ("", "", False),
    ],
)
def test_near_duplicates(first, second, same):
    assert is_near_duplicate(first, second) is same
    assert is_near_duplicate(second, first) is same


def test_is_repeat_checks_every_earlier_question():
    asked = ["Tell me about yourself.", "What did you build with Django?"]
    assert is_repeat("What have you built with Django?", asked)
    assert not is_repeat("How do you deploy Django apps?", asked)


def test_echo_of_an_answer_and_legitimate_reference():
    answer = "I was responsible for the payment gateway integration and the refunds flow in our shop"
    assert is_echo("I was responsible for the payment gateway integration and the refunds flow?", [answer])
    assert not is_echo("You mentioned refunds: how did you test that flow?", [answer])
    assert not is_echo("How did you test it?", [""])


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Tell me about your last project.", "en", True),
        ("That sounds great. Could you describe the architecture.", "en", True),
        ("Nice, thanks", "en", False),
        ("I think the answer is good.", "en", False),
        ("Расскажите о последнем проекте.", "ru", True),
        ("Хорошо. Какие тесты вы писали", "ru", True),
        ("Спасибо, понятно.", "ru", False),
    ],
)
def test_looks_like_question(text, language, expected):
    assert looks_like_question(text, language=language) is expected


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("", "en", "empty"),
        ("   ", "en", "empty"),
        ("Why?", "en", "too_short"),
        ("How " + "really " * 80 + "did you do it?", "en", "too_long"),
        ("Как вы тестировали этот сервис?", "en", "wrong_language"),
        ("How did you test this service?", "ru", "wrong_language"),
        ("I think that is a nice answer.", "en", "not_a_question"),
        ("Candidate: I used pytest. Interviewer: Why?", "en", "echo"),
    ],
)
def test_check_question_reasons(text, language, reason):
    verdict = check_question(text, language=language)
    assert not verdict.ok and reason in verdict.reasons


def test_check_question_accepts_a_good_one_and_normalises_spaces():
    verdict = check_question("  How did you   test the payment service?  ", language="en",
                             asked=["Tell me about yourself."], answer="I built the payment service.")
    assert verdict.ok and verdict.text == "How did you test the payment service?"


def test_check_question_flags_prompt_echo():
    prompt = "Resume: Role: QA engineer.\nInterviewer: Which tests have you automated with Selenium, and why?"
    verdict = check_question("Which tests have you automated with Selenium, and why?", language="en", prompt=prompt)
    assert "echo" in verdict.reasons


@pytest.mark.parametrize("language", ["en", "ru"])
def test_fallbacks_are_grounded_in_resume_skills_and_never_repeat(language):
    facts = InterviewFacts(language=language, skills=("Python", "Django", "Kafka"), roles=("Data engineer",),
                           projects=("Billing",))
    asked: list[str] = []
    for topic in derive_topics(facts):
        for follow_up in (False, True):
            question = fallback_question(topic, language=language, asked=asked, follow_up=follow_up)
            verdict = check_question(question, language=language, asked=asked)
            assert verdict.ok, (question, verdict.reasons)
            if topic.kind in ("skill", "project") and not follow_up:
                assert topic.subject in question
            asked.append(question)
    assert len(asked) == 2 * len(derive_topics(facts))


def test_fallback_is_deterministic():
    topic = Topic("skill", "Python")
    first = [fallback_question(topic, language="en", asked=["x"] * n) for n in range(5)]
    second = [fallback_question(topic, language="en", asked=["x"] * n) for n in range(5)]
    assert first == second


def test_fallback_varies_wording_across_skills():
    asked: list[str] = []
    for skill in ("Python", "Django", "Kafka", "Redis"):
        asked.append(fallback_question(Topic("skill", skill), language="en", asked=asked))
    openings = {" ".join(question.split()[:3]) for question in asked}
    assert len(openings) == 4


def test_fallback_when_every_template_was_used_still_avoids_repeats():
    topic = Topic("motivation")
    asked: list[str] = []
    for _ in range(6):
        asked.append(fallback_question(topic, language="en", asked=asked))
    assert len(set(asked)) == 6


@pytest.mark.parametrize(
    ("text", "subject", "follow_up", "answer", "off"),
    [
        ("What is the hardest problem you solved with Django?", "Django", False, "", False),
        ("Какие задачи вы решали на Django?", "Django", False, "", False),
        ("Как вы используете Python'е генераторы?", "Python", False, "", False),
        ("How do you do business analysis?", "Django", False, "", True),
        ("Как вы делаете бизнес-анализ?", "Django", False, "", True),
        ("How did you choose the cache expiry?", "Redis", True, "I added caching with a short expiry.", False),
        ("What is your favourite colour?", "Redis", True, "I added caching with a short expiry.", True),
        ("What motivates you at work?", None, False, "", False),
        ("What did you do as a backend engineer?", "Backend developer", False, "", False),
    ],
)
def test_questions_about_a_resume_fact_must_stay_on_it(text, subject, follow_up, answer, off):
    verdict = check_question(text, language=detect(text), subject=subject, follow_up=follow_up, answer=answer)
    assert ("off_topic" in verdict.reasons) is off


def detect(text: str) -> str:
    return "ru" if any("а" <= ch <= "я" for ch in text.lower()) else "en"


def test_own_earlier_lines_in_the_prompt_are_repeats_not_echoes():
    prompt = "Interviewer: What is the best thing you have done with Python?\nCandidate: A shop.\nInterviewer:"
    own = ["What is the best thing you have done with Python?"]
    swapped = check_question("What is the best thing you have done with Docker?", language="en", prompt=prompt,
                             own_lines=own, asked=own)
    assert swapped.ok
    same = check_question(own[0], language="en", prompt=prompt, own_lines=own, asked=own)
    assert same.reasons == ("repeat",)


def test_clean_completion_keeps_words_that_merely_start_like_labels():
    assert clean_completion("AI-driven projects: which have you built?") == "AI-driven projects: which have you built?"
    assert clean_completion("Answering quickly, how would you test it?") == "Answering quickly, how would you test it?"


# From a live run (behaviour suite, qwen2.5-1.5b questions): Whisper misheard "Greenplum, ClickHouse и
# пайплайны на Airflow", and the model read the mishearing back to the candidate.
MISHEARD_ANSWER = "Я инженер данных 6 лет опыта. Сейчас встраю хранилищи нацелы, скохауси и пыплойно-вайорфлев."


@pytest.mark.parametrize(("question", "refused"), [
    ("Какой результат вы достигли из использования данных в хранилищах нацелы, скохауси и пыплойно-вайорфлев?", True),
    ("Что вы делали на скохауси?", True),
    ("Какие данные вы храните в этих хранилищах и как вы их проверяете?", False),  # dictionary words
    ("Что вы построили на ClickHouse и почему выбрали его?", False),  # the term itself, in Latin
])
def test_a_russian_question_that_reads_back_a_misheard_word_is_refused(question, refused):
    verdict = check_question(question, language="ru", answer=MISHEARD_ANSWER, subject="Data Engineer",
                             follow_up=True)
    assert ("misheard" in verdict.reasons) is refused
