"""Which resume terms a text names, Russian forms allowed (what the STT terms bench counts)."""

from __future__ import annotations

import pytest

from hrlab.domain.term_mentions import names_term, terms_named


@pytest.mark.parametrize(("text", "term"), [
    ("Я настроила мониторинг в Kafka-кластере.", "Kafka"),  # a hyphenated compound
    ("Перевела задачи в Airflowе.", "Airflow"),  # a Latin word with a Russian ending
    ("Работала инженером данных пять лет.", "Инженер данных"),  # a Cyrillic term by dictionary form
    ("I used POSTGRESQL daily.", "PostgreSQL"),
    ("We deploy on Spring Boot.", "Spring Boot"),
])
def test_a_term_is_named_in_any_form(text, term):
    assert names_term(text, term)


@pytest.mark.parametrize(("text", "term"), [
    ("I wrote JavaScript for years.", "Java"),  # a longer Latin word is another word
    ("Я работала в кафе.", "Kafka"),
    ("Инженер по тестированию", "Инженер данных"),
    ("Pythonista", "Python"),
    ("", "Python"),
])
def test_other_words_do_not_name_the_term(text, term):
    assert not names_term(text, term)


def test_terms_named_lists_each_term_once():
    assert terms_named("Python, Python и Spark", ["Python", "Spark", "Kafka"]) == {"Python", "Spark"}
