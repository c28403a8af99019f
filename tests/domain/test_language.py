"""The ru/en detector on plain, technical and mixed samples."""

from __future__ import annotations

import pytest

from hrlab.domain.language import check_language, detect_language, language_scores


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Расскажите о своем опыте в разработке", "ru"),
        ("Tell me about your experience in development.", "en"),
        ("Как вы использовали Python, Django, FastAPI, PostgreSQL и Redis?", "ru"),
        ("Я писал микросервисы на Go и Kubernetes", "ru"),
        ("What did you build with 1С-Битрикс?", "en"),
        ("Kubernetes, Terraform, AWS", "en"),
        ("Расскажите о проекте. Tell me about your team and what you did there.", "en"),
        ("Tell me about your опыт", "en"),
        ("ну я в общем делал backend на python", "ru"),
        ("Ёлки, это было сложно!", "ru"),
    ],
)
def test_detects_the_dominant_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12345 ?!", "--- ...", "😀 👍"])
def test_no_words_means_no_language(text):
    assert detect_language(text) is None
    assert language_scores(text) == {"ru": 0.0, "en": 0.0}


def test_english_function_words_outweigh_latin_tech_names():
    scores = language_scores("Python Django PostgreSQL")
    assert scores["ru"] == 0 and 0 < scores["en"] < 3


def test_check_language():
    assert check_language("ru") == "ru"
    with pytest.raises(ValueError, match="language must be one of ru, en, got 'RU'"):
        check_language("RU")
