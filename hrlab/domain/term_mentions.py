"""Which resume terms a text names: «в Kafka-кластере» names Kafka, «инженером данных» names «Инженер данных».

A Latin term may carry a Russian ending («Airflowе») or head a hyphenated compound («Kafka-кластере»); a
Cyrillic term's words match by dictionary form. Case never matters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hrlab.domain.russian_forms import lemma

WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LATIN = re.compile(r"[a-z0-9]+")
_RUSSIAN_ENDING = re.compile(r"[а-яё]{1,4}")  # «Airflowе», «Djangoм»: a Latin word declined in Russian


def words_of(text: str) -> list[str]:
    """The text's words, lower case (hyphens and punctuation split them)."""
    return [w.lower() for w in WORD.findall(text)]


def word_matches(spoken: str, term_word: str) -> bool:
    """True when the spoken word (lower case) is the term's word, or a Russian form of it."""
    if spoken == term_word:
        return True
    if _LATIN.fullmatch(term_word):
        return spoken.startswith(term_word) and bool(_RUSSIAN_ENDING.fullmatch(spoken[len(term_word):]))
    return not _LATIN.fullmatch(spoken) and lemma(spoken) == lemma(term_word)


def names_term(text: str, term: str) -> bool:
    """True when `text` names `term` (its words in a row, each allowing a Russian form)."""
    spoken, wanted = words_of(text), words_of(term)
    if not wanted:
        return False
    return any(all(word_matches(spoken[start + i], w) for i, w in enumerate(wanted))
               for start in range(len(spoken) - len(wanted) + 1))


def terms_named(text: str, terms: Sequence[str]) -> set[str]:
    """The terms that `text` names."""
    return {term for term in terms if names_term(text, term)}
