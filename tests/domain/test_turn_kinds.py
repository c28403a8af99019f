"""Every line the machine says carries a label saying what it was; labels read back the same."""

from __future__ import annotations

import pytest

from hrlab.domain.plan import Say
from hrlab.domain.turn_kinds import TurnKind

from .conftest import build_machine
from .test_reactions import TURNS, opened, said


def test_a_label_reads_back_into_its_parts():
    kind = TurnKind.parse("question:llm:follow_up")
    assert kind == TurnKind("question", "llm", "follow_up") and kind.label == "question:llm:follow_up"
    assert kind.is_question and kind.is_follow_up and not kind.is_reprompt("redirect")
    assert TurnKind.parse("opening:script") == TurnKind("opening", "script", None)
    assert TurnKind.parse(None) is None and TurnKind.parse("") is None
    assert TurnKind.parse("closing:script:candidate_ended").ends_on_request
    assert not TurnKind.parse("closing:script:question_limit").ends_on_request


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_opening_and_each_reprompt_say_which_reaction_they_are(language):
    assert build_machine(language=language).start(now=0.0).label == "opening:script"
    expected = {"repeat": "reprompt:script:repeat", "non_answer": "reprompt:script:reask",
                "off_topic": "reprompt:script:redirect", "question": "reprompt:script:defer"}
    for turn, label in expected.items():
        machine = opened(language)
        step = said(machine, TURNS[turn][language == "ru"])
        assert isinstance(step, Say) and step.label == label, (turn, step)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_questions_say_where_their_words_came_from_and_which_move_they_are(language):
    machine = opened(language)
    said(machine, TURNS["dont_know"][language == "ru"])
    moved_on = machine.propose(None, now=25.0)  # no LLM answer: a fallback, moving on after "I don't know"
    assert isinstance(moved_on, Say) and moved_on.label == "question:fallback:move_on"
    machine.finished_speaking(now=30.0)
    answer = ("I built the payments API in Go and cut p99 latency by forty percent with a Redis cache in front."
              if language == "en" else
              "Я написал платёжный API на Go и снизил задержку p99 на сорок процентов с помощью кэша в Redis.")
    said(machine, answer, now=40.0)
    follow_up = machine.propose("FOLLOW_UP: How did you choose what to keep in the Redis cache?"
                                if language == "en" else
                                "FOLLOW_UP: Как вы выбирали, что хранить в кэше Redis?", now=45.0)
    assert isinstance(follow_up, Say) and TurnKind.parse(follow_up.label).is_follow_up, follow_up


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_spoken_request_to_end_closes_with_its_reason_in_the_label(language):
    machine = opened(language)
    text = {"en": "Sorry, I have to go now, let's finish.", "ru": "Извините, мне нужно уйти, давайте закончим."}[language]
    step = said(machine, text)
    assert isinstance(step, Say) and step.label == "closing:script:candidate_ended"
    assert TurnKind.parse(step.label).ends_on_request


def test_a_weakness_probe_is_a_follow_up_from_the_probe_line():
    machine = opened("en")
    step = said(machine, "I mostly build APIs, but my weakest area is machine learning, I have barely touched it.")
    assert isinstance(step, Say) and step.label == "question:probe:follow_up"


@pytest.mark.parametrize(("language", "weakness"), [
    ("en", "Honestly, my weakest area is Kubernetes; I have only deployed a few services with it."),
    ("ru", "Честно говоря, моё слабое место — Kubernetes, я почти не работал с кластерами."),
])
def test_an_admitted_weakness_is_probed_after_the_topics_follow_up_was_used(language, weakness):
    machine = opened(language)
    first = said(machine, {"en": "I built the billing service in Python and Django and ran it for four years.",
                           "ru": "Я писал сервис биллинга на Python и Django и поддерживал его четыре года."}[language])
    assert machine.propose("", now=30.0).reaction == "follow_up"  # the topic's one follow-up (a template)
    machine.finished_speaking(now=35.0)
    step = said(machine, weakness)
    assert isinstance(step, Say) and step.label == "question:probe:follow_up", first
    assert "Kubernetes" in step.text
