"""Whisper's hotword echo: a transcript of the resume's terms alone over long audio is dropped, a terse one kept."""

from __future__ import annotations

import pytest

from hrlab.providers.whisper_stt import echoes_hotwords

KEYTERMS = ["Java", "Spring", "Kafka", "Python", "Django", "Java-разработчик"]


@pytest.mark.parametrize(("text", "seconds", "echo"), [
    ("Java-разработчик", 15.0, True),  # what whisper/base wrote for 15 s of espeak/ru
    ("Python, Django.", 12.0, True),
    ("Kafka.", 1.2, False),  # a terse answer naming a resume term
    ("Java, Spring.", 4.0, False),
    ("Python and Go.", 8.0, False),  # "and" is no hotword
    ("Я пишу на Java.", 15.0, False),
    ("", 10.0, False),
])
def test_a_transcript_of_hotwords_alone_over_long_audio_is_an_echo(text, seconds, echo):
    assert echoes_hotwords(text, KEYTERMS, seconds=seconds) is echo


def test_without_keyterms_nothing_is_an_echo():
    assert not echoes_hotwords("Java", [], seconds=30.0)
