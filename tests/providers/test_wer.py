"""hrlab.textnorm and hrlab.wer: the text normalisation and word error rate every STT check uses."""

from __future__ import annotations

import pytest

from hrlab.textnorm import normalize_transcript
from hrlab.wer import corpus_wer, wer, word_errors


def test_markers_punctuation_and_case_are_dropped():
    assert normalize_transcript("[laughter] Montreal, <hes-X> FORCED... aligner!") == "montreal forced aligner"


def test_fillers_and_spelling_variants_are_unified():
    assert normalize_transcript("Um, Mr. Smith is gonna, uh, call") == "mister smith is going to call"
    assert normalize_transcript("Um", drop_fillers=False) == "um"


def test_russian_yo_and_apostrophes():
    assert normalize_transcript("Ёлка — «это» хорошо") == "елка это хорошо"
    assert normalize_transcript("don\u2019t 'quote'") == "don't quote"


def test_counts_each_kind_of_error():
    shifted = word_errors("a b c d", "x a b d")
    assert (shifted.substitutions, shifted.deletions, shifted.insertions) == (0, 1, 1)
    swapped = word_errors("the cat sat", "the bat sat")
    assert (swapped.substitutions, swapped.deletions, swapped.insertions) == (1, 0, 0)
    assert word_errors("the cat sat on the mat", "the bat sat on mat today").rate == pytest.approx(3 / 6)


def test_perfect_empty_and_reordered():
    assert wer("Hello, world.", "hello world") == 0.0
    assert wer("", "") == 0.0
    assert wer("", "noise") == 1.0
    assert wer("a b", "b a") == 1.0


def test_corpus_wer_pools_words_not_clip_rates():
    assert corpus_wer([("a b c d", "a b c d"), ("e", "x")]) == pytest.approx(1 / 5)
