"""The interviewer reacts to what was said, in both languages: repeat, re-ask, redirect, defer, move on, probe."""

from __future__ import annotations

import pytest

from hrlab.domain.plan import BREAK_SECONDS, Budget, Ignored, InterviewMachine, NeedQuestion, Say

from .conftest import build_machine

QUESTION = {"en": "To start, please tell me briefly about your experience as Backend developer.",
            "ru": "Для начала расскажите, пожалуйста, коротко о своём опыте на позиции «Backend developer»."}
TURNS = {  # kind -> (en, ru), as a candidate would say it
    "repeat": ("Sorry, could you repeat the question?", "Простите, можете повторить вопрос?"),
    "non_answer": ("Hi, yes, I'm ready.", "Здравствуйте, да, я готов."),
    "off_topic": ("Yesterday I watched a great film about space, the actors and the music were amazing, "
                  "and the ending made me cry in the cinema.",
                  "Вчера я посмотрел отличный фильм про космос, там потрясающие актёры и музыка, а концовка "
                  "просто великолепная, весь зал плакал."),
    "question": ("What is the salary range for this position?", "А какая зарплата на этой позиции?"),
    "dont_know": ("I don't know, honestly.", "Честно говоря, не знаю."),
}


def opened(language: str) -> InterviewMachine:
    machine = build_machine(language=language, roles=["Backend developer"])
    say = machine.start(now=0.0)
    assert say.question == QUESTION[language]
    machine.finished_speaking(now=5.0)
    return machine


def said(machine: InterviewMachine, text: str, now: float = 20.0):
    step = machine.candidate_answered(text, now=now)
    machine.finished_speaking(now=now + 3)
    return step


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_request_to_repeat_gets_the_same_question_again_and_costs_no_question(language):
    machine = opened(language)
    step = said(machine, TURNS["repeat"][language == "ru"])
    assert isinstance(step, Say) and step.kind == "reprompt" and step.text.endswith(QUESTION[language])
    assert machine.question_count == 1 and machine.state == "listening"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_non_answer_is_asked_again_once_then_taken_as_the_answer(language):
    machine = opened(language)
    first = said(machine, TURNS["non_answer"][language == "ru"])
    assert isinstance(first, Say) and first.kind == "reprompt" and first.text.endswith(QUESTION[language])
    again = said(machine, TURNS["non_answer"][language == "ru"], now=30.0)
    assert isinstance(again, NeedQuestion)  # no loop: the interview goes on


@pytest.mark.parametrize("language", ["en", "ru"])
def test_off_topic_talk_gets_a_redirect_that_names_the_topic(language):
    machine = opened(language)
    step = said(machine, TURNS["off_topic"][language == "ru"])
    topic = "background and experience" if language == "en" else "опыт и биография"  # the first question's topic
    assert isinstance(step, Say) and step.kind == "reprompt" and topic in step.text, step
    assert step.text.endswith(QUESTION[language])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_question_to_the_interviewer_is_deferred_to_the_hiring_team(language):
    machine = opened(language)
    step = said(machine, TURNS["question"][language == "ru"])
    assert isinstance(step, Say) and step.kind == "reprompt"
    assert ("hiring team" if language == "en" else "команды по найму") in step.text
    assert step.text.endswith(QUESTION[language])


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Can we take a five minute break? I'll be right back."),
    ("ru", "Можно сделать паузу на минутку? Воды налью."),
])
def test_a_request_for_a_short_break_is_granted_not_deferred_to_the_hiring_team(language, text):
    machine = opened(language)
    step = said(machine, text)
    assert isinstance(step, Say) and (step.kind, step.reaction) == ("reprompt", "pause")
    assert ("take a minute" if language == "en" else "сделайте небольшую паузу") in step.text
    assert "hiring team" not in step.text and "команды по найму" not in step.text
    assert step.text.endswith(QUESTION[language]) and machine.question_count == 1


def test_silence_during_a_granted_break_is_not_re_prompted_until_the_break_is_long():
    machine = opened("en")
    said(machine, "Can we take a five minute break? I'll be right back.", now=20.0)
    assert isinstance(machine.candidate_silent(now=35.0), Ignored)
    assert isinstance(machine.candidate_silent(now=250.0), Ignored)
    late = machine.candidate_silent(now=20.0 + BREAK_SECONDS + 1)
    assert isinstance(late, Say) and late.kind == "reprompt" and late.reaction == "silence"


def test_a_break_does_not_hold_off_the_time_limit():
    machine = build_machine(budget=Budget(max_minutes=1), roles=["Backend developer"])
    machine.start(now=0.0)
    machine.finished_speaking(now=5.0)
    said(machine, "Can we take a five minute break? I'll be right back.", now=20.0)
    step = machine.candidate_silent(now=70.0)
    assert isinstance(step, Say) and step.kind == "closing" and step.end_reason == "time_limit"


def test_after_the_break_silence_counts_again():
    machine = opened("en")
    said(machine, "Can we take a five minute break? I'll be right back.", now=20.0)
    step = said(machine, "I'm back. I have built payment services in Python for five years.", now=60.0)
    assert isinstance(step, NeedQuestion)
    machine.propose(None, now=61.0)
    machine.finished_speaking(now=65.0)
    step = machine.candidate_silent(now=80.0)
    assert isinstance(step, Say) and step.reaction == "silence"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_i_dont_know_is_acknowledged_and_the_interview_moves_on(language):
    machine = opened(language)
    request = said(machine, TURNS["dont_know"][language == "ru"])
    assert isinstance(request, NeedQuestion) and request.move_on and request.default_move == "next_topic"
    say = machine.propose(None, now=25.0)
    lead = "That's all right, let's move on." if language == "en" else "Ничего страшного, давайте перейдём дальше."
    assert say.text.startswith(lead) and say.question and say.question not in QUESTION[language]


@pytest.mark.parametrize(("language", "answer", "probe"), [
    ("en", "I'm good with Python, but my weakest area is machine learning.",
     'You said: "my weakest area is machine learning". What are you doing to get better at it?'),
    ("ru", "С Python у меня всё хорошо, а вот с Kubernetes я почти не работал.",
     "Вы сказали: «с Kubernetes я почти не работал». Что вы делаете, чтобы это восполнить?"),
    ("ru", "Я хорошо знаю SQL, но я не силён в машинном обучении.",
     "Вы сказали: «я не силён в машинном обучении». Что вы делаете, чтобы это восполнить?"),
])
def test_an_admitted_weakness_is_probed(language, answer, probe):
    machine = opened(language)
    say = said(machine, answer)  # asked at once: no LLM proposal about another subject can replace it
    assert isinstance(say, Say) and say.kind == "question" and say.source == "probe"
    assert say.question == probe and say.question_message().question_number == 2


def test_a_russian_terse_answer_is_probed_by_the_tools_it_named():
    machine = opened("ru")
    request = said(machine, "Django и Celery.")
    assert request.probe == "Вы упомянули: Django, Celery. Расскажите, пожалуйста, подробнее, на конкретном примере."


@pytest.mark.parametrize("language, answer, probe", [
    ("ru", "Ну, без хэн!",  # STT's version of «ну, без понятия»: never read back
     "Давайте чуть конкретнее. Тема: опыт и биография. Что именно вы делали? Приведите, пожалуйста, один пример."),
    ("en", "Mostly backend stuff.",
     "Could you be more specific? On background and experience: what exactly did you do, in one concrete example?"),
])
def test_a_terse_answer_without_a_recognised_name_is_probed_on_the_topic(language, answer, probe):
    machine = opened(language)
    request = said(machine, answer)
    assert isinstance(request, NeedQuestion) and request.default_move == "follow_up"
    assert request.probe == probe
    say = machine.propose(None, now=25.0)  # no usable LLM proposal: the probe is asked, not a template
    assert isinstance(say, Say) and say.source == "probe" and say.question == probe
