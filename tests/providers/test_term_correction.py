"""Respelling what Whisper wrote for a resume term: real mishearings fixed, ordinary words left alone."""

from __future__ import annotations

import pytest

from hrlab.domain.term_mentions import names_term
from hrlab.providers.term_correction import correct_terms

DATA = ["Python", "ClickHouse", "Airflow", "Spark", "Инженер данных"]
JAVA = ["Java", "Spring", "Kafka", "Kubernetes", "Java-разработчик"]
QA = ["Selenium", "Postman", "Jenkins", "Pytest", "Инженер по тестированию"]
BACKEND = ["Python", "Django", "PostgreSQL", "Docker", "Backend Developer"]


# What whisper/base wrote (bench/stt_terms.py) for festival/ru reading the terms in Russian answers.
@pytest.mark.parametrize(("heard", "terms", "fixed"), [
    ("На Пейтхан пишу небольшие загрузчики", DATA, "На Python пишу небольшие загрузчики"),
    ("Напыт Ханпишу небольшие загрузчики", DATA, "На Python пишу небольшие загрузчики"),
    ("Пыть Хан был, но я мало что помню.", DATA, "Python был, но я мало что помню."),
    ("В Цлыхаусе я перенесла сурые события", DATA, "В ClickHouse я перенесла сурые события"),
    ("Я спроектировала хранилища нацлыхаусе, таблить", DATA, "Я спроектировала хранилища на ClickHouse, таблить"),
    ("В аэрфулаф у нас около остадаш.", DATA, "В Airflow у нас около остадаш."),
    ("Спарк я не трогал", DATA, "Spark я не трогал"),
    ("Носилинаем, я построил тесто", QA, "Но Selenium, я построил тесто"),  # «На Selenium» in the slower voice
    ("запустил их в Селинаевом жрать", QA, "запустил их в Selenium жрать"),  # a case ending found past «-в»
    ("Неджава, а я пишу мало", JAVA, "Не Java, а я пишу мало"),
    ("задачи зацерун двайер фулов серитраями", DATA, "задачи зацерун дв Airflow серитраями"),  # «из cron в Airflow»
])
def test_russian_mishearings_of_a_term_are_respelled(heard, terms, fixed):
    assert correct_terms(heard, terms, language="ru") == fixed


# How Russian developers say the terms (bench/providers_latency.py RU_TERM_SENTENCES), written as heard.
@pytest.mark.parametrize(("heard", "terms", "fixed"), [
    ("Для очередей использовали кафку.", JAVA, "Для очередей использовали Kafka."),
    ("Пайплайны данных я строил на эйрфлоу.", DATA, "Пайплайны данных я строил на Airflow."),
    ("Я пять лет пишу на пайтоне и джанго.", BACKEND, "Я пять лет пишу на Python и Django."),
    ("Деплой через дженкинс.", QA, "Деплой через Jenkins."),
])
def test_russian_spoken_forms_of_a_term_are_respelled(heard, terms, fixed):
    assert correct_terms(heard, terms, language="ru") == fixed


# Ordinary Russian words that look or sound like a term: a candidate who never said it must not be quoted.
@pytest.mark.parametrize(("said", "terms"), [
    ("Я работала в кафе у дома.", JAVA),  # кафе ~ Kafka
    ("Весной я занималась спортом и спортивным питанием.", DATA),  # спорт ~ Spark
    ("Я пишу тесты и тестирую вручную.", QA),  # тесты ~ Pytest
    ("Почта приходила с опозданием, я писала на почтамт.", QA),  # почтамт ~ Postman
    ("Мы пили джин в пятницу.", QA),  # джин ~ Jenkins
    ("Я читала Кафку в университете.", DATA),  # Kafka is not this resume's term
    ("Доктор посоветовал отдохнуть.", BACKEND),  # доктор ~ Docker
    ("Весна была дождливой, пошла на пляж.", JAVA),  # весна: Spring by meaning, not by sound
    ("Кода обычно делают другие.", BACKEND),
    ("Я перенесла задачи из крона с ретраями.", DATA),
    ("Я работаю инженером по тестированию пять лет.", QA),  # по тест- ~ Pytest
    ("Потом я написала пайплайн для отчётов.", DATA),  # пайплайн ~ Python
])
def test_ordinary_russian_words_are_left_alone(said, terms):
    assert correct_terms(said, terms, language="ru") == said


@pytest.mark.parametrize(("said", "terms"), [
    ("The doctor told me to rest.", BACKEND),  # doctor ~ Docker
    ("I like the spark of a new project.", DATA),  # already the term's word: nothing to respell
    ("We used Jenkins and Selenium every day.", QA),
    ("I tested the python script by hand.", DATA),
    ("We had a sprint review on Friday.", JAVA),  # sprint ~ Spring
    ("The pie test went well.", ["Pie"]),  # a term under four letters is never a target
])
def test_english_speech_is_left_alone(said, terms):
    assert correct_terms(said, terms, language="en") == said


def test_an_english_term_cut_in_two_is_joined():
    assert correct_terms("I scheduled the jobs in Air Flow.", DATA, language="en") == "I scheduled the jobs in Airflow."


def test_latin_words_in_russian_speech_are_kept_as_written():
    assert correct_terms("Я смотрела Skyhouse и Excel.", DATA, language="ru") == "Я смотрела Skyhouse и Excel."


def test_short_and_cyrillic_terms_are_never_targets():
    assert correct_terms("Я писала на Гоу и на Ар.", ["Go", "R", "Инженер данных"], language="ru") \
        == "Я писала на Гоу и на Ар."


def test_a_glued_case_ending_is_dropped_and_the_term_is_named():
    fixed = correct_terms("Мониторинг на кафкее настроил я", JAVA, language="ru")
    assert fixed == "Мониторинг на Kafka настроил я"
    assert names_term(fixed, "Kafka")


class _FakeWhisper:
    """faster-whisper's model, answering every clip with one fixed segment."""

    def __init__(self, text):
        import threading

        self.text = text
        self.frame_limit = threading.local()

    def transcribe(self, samples, **options):
        from types import SimpleNamespace

        return iter([SimpleNamespace(text=self.text, avg_logprob=-0.2)]), None


def _engine_hearing(text):
    from hrlab.providers.whisper_stt import WhisperEngine

    engine = WhisperEngine.__new__(WhisperEngine)  # the model's weights are not needed to test what follows it
    engine.name, engine.english_only, engine.beam_size, engine.encoder_window = "base", False, 5, "full"
    engine._model = _FakeWhisper(text)
    return engine


def test_the_whisper_engine_respells_the_resume_terms_it_is_given():
    import numpy as np

    samples = np.zeros(16000 * 3, dtype=np.float32)
    engine = _engine_hearing("На Пейтхан пишу небольшие загрузчики")
    assert engine.transcribe(samples, language="ru", keyterms=DATA).text == "На Python пишу небольшие загрузчики"
    assert engine.transcribe(samples, language="ru", keyterms=DATA, correct=False).text \
        == "На Пейтхан пишу небольшие загрузчики"
    assert engine.transcribe(samples, language="ru").text == "На Пейтхан пишу небольшие загрузчики"


def test_a_respelled_transcript_of_terms_alone_over_long_audio_is_still_dropped_as_an_echo():
    import numpy as np

    engine = _engine_hearing("Пейтхан.")
    assert engine.transcribe(np.zeros(16000 * 15, dtype=np.float32), language="ru", keyterms=DATA).text == ""
    assert engine.transcribe(np.zeros(16000, dtype=np.float32), language="ru", keyterms=DATA).text == "Python."
