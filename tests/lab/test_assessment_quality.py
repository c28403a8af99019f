"""The labelled-set metrics on tiny hand-made answers, so each can fail."""

from __future__ import annotations

import json

import pytest

from hrlab.errors import InvalidInput
from hrlab.lab.assessment_quality import (
    ModelAnswer,
    Ratio,
    agreement,
    parses,
    quotes_verbatim,
    rank_agreement,
    raw_quotes,
    recommendation_agreement,
    saved_transcripts,
    score_spread,
    unrounded_differences,
    voice_effect,
    voice_pairs,
)
from hrlab.lab.assessment_set import RankPair

SAID = ["I built the billing service in Python, with typed adapters.", "Django I only opened once."]


def _raw(*quotes: str, score=4, recommendation="advance") -> str:
    return json.dumps({"competencies": [{"name": "Python", "evidence": list(quotes), "score": score, "comment": ""}],
                       "recommendation": recommendation, "summary": ""})


def test_parses_only_a_readable_assessment():
    assert parses(_raw("I built the billing service in Python"), competencies=["Python"], candidate_texts=SAID)
    assert not parses('{"competencies": [], "recommendation": "maybe"}', competencies=["Python"], candidate_texts=SAID)
    assert not parses("Score: <1-5>", competencies=["Python"], candidate_texts=SAID)


def test_quotes_verbatim_counts_each_quote_against_the_answers():
    raw = _raw("i built the BILLING service in Python", "I built the billing service in Java")
    assert raw_quotes(raw) == ["i built the BILLING service in Python", "I built the billing service in Java"]
    assert quotes_verbatim(raw, SAID) == Ratio(1, 2)
    assert quotes_verbatim("not json", SAID) == Ratio(0, 0)
    # Words across two answers are not one quote.
    assert quotes_verbatim(_raw("typed adapters. Django I only"), SAID) == Ratio(0, 1)


def test_rank_agreement_needs_the_stronger_strictly_above_and_null_below_every_score():
    pairs = [RankPair("Python", "a", "b"), RankPair("Django", "a", "b"), RankPair("SQL", "a", "b")]
    scores = {"a": {"Python": 4, "Django": 3, "SQL": 1}, "b": {"Python": 2, "Django": 3, "SQL": None}}
    assert rank_agreement(scores, pairs) == Ratio(2, 3)  # Django tied: not held; SQL 1 over null: held
    assert rank_agreement({"a": scores["a"]}, pairs) == Ratio(0, 3)  # an interview with no answer holds nothing
    assert rank_agreement({"a": {"Python": None}, "b": {"Python": None}}, pairs[:1]) == Ratio(0, 1)


def test_recommendation_agreement_and_ratio_text():
    got = recommendation_agreement({"a": "advance", "b": "reject", "c": "hold"}, {"a": "advance", "b": "hold"})
    assert got == Ratio(1, 3)
    assert str(got) == "1/3 (33%)"
    assert Ratio(0, 0).value is None


def test_score_spread_per_competency_with_null_as_zero():
    assert score_spread({"Python": 4, "Django": None, "SQL": 2}, {"Python": 3, "Django": 2, "SQL": 2}) == {
        "Django": 2, "Python": 1, "SQL": 0}


def _read(scores: dict, unrounded: dict) -> ModelAnswer:
    return ModelAnswer(raw="", parsed=True, scores=scores, unrounded=unrounded)


def test_agreement_of_two_readings_counts_spreads_before_and_after_rounding():
    readings = [
        (_read({"Python": 4, "SQL": 2}, {"Python": 4.4, "SQL": 1.6}),
         _read({"Python": 2, "SQL": 2}, {"Python": 2.3, "SQL": 2.1})),
        (_read({"Python": None, "SQL": 3}, {"SQL": 3.0}), _read({"Python": None, "SQL": None}, {})),
    ]
    figures = agreement(readings)
    assert figures.max_spread == 3  # SQL 3 against null, which counts as 0
    assert figures.within_1 == Ratio(2, 4)  # Python 2 apart, SQL 0, Python null twice 0, SQL 3
    assert figures.scored == Ratio(3, 4)  # the last reading has no score at all
    assert figures.unrounded_max == pytest.approx(2.1)  # only competencies scored in both readings
    assert figures.unrounded_under_1 == Ratio(1, 2)
    assert agreement([]).max_spread is None and agreement([]).within_1 == Ratio(0, 0)


def test_voice_effect_is_the_spread_between_voices_beyond_one_voice_heard_twice():
    def pair(first: float, second: float) -> tuple[ModelAnswer, ModelAnswer]:
        return _read({"Python": 3}, {"Python": first}), _read({"Python": 3}, {"Python": second})

    retests = [pair(3.0, 3.2), pair(2.0, 2.1), pair(4.0, 3.9), pair(1.0, 1.2)]
    assert unrounded_differences(retests) == [[pytest.approx(0.2)], [pytest.approx(0.1)], [pytest.approx(0.1)],
                                              [pytest.approx(0.2)]]
    alike = voice_effect([pair(3.0, 3.1), pair(2.0, 2.2), pair(4.0, 4.2), pair(1.0, 1.1)], retests)
    assert alike.value == pytest.approx(0.0) and alike.low <= 0 <= alike.high
    apart = voice_effect([pair(3.0, 4.5), pair(2.0, 3.4), pair(4.0, 2.6), pair(1.0, 2.5)], retests)
    assert apart.value == pytest.approx(1.3) and apart.excludes_zero()
    unscored = _read({"Python": None}, {})
    assert voice_effect([(unscored, unscored)], retests) is None  # no competency scored in both readings


def test_saved_transcripts_are_read_back_for_the_interviews_asked(tmp_path):
    out = tmp_path / "run.json"
    out.write_text(json.dumps({"heard": {"en_a|piper/en_US-joe": ["Data was wrong once.", ""],
                                         "en_a|espeak/en-us": ["Baby was wrong words.", ""],
                                         "en_b|piper/en_US-joe": ["other"]}, "results": []}))
    assert saved_transcripts(out, {"en_a|piper/en_US-joe": 2, "en_a|espeak/en-us": 2}) == {
        "en_a|piper/en_US-joe": ("Data was wrong once.", ""), "en_a|espeak/en-us": ("Baby was wrong words.", "")}


@pytest.mark.parametrize(("body", "needs", "message"), [
    ({"results": []}, {"en_a|piper/en_US-joe": 1}, 'no "heard" object'),
    ({"heard": {}}, {"en_a|piper/en_US-joe": 1}, "no transcripts for 'en_a|piper/en_US-joe'"),
    ({"heard": {"en_a|piper/en_US-joe": ["one"]}}, {"en_a|piper/en_US-joe": 2}, "needs 2 answers as text"),
    ({"heard": {"en_a|piper/en_US-joe": [1]}}, {"en_a|piper/en_US-joe": 1}, "needs 1 answers as text"),
    ([1, 2], {"en_a|piper/en_US-joe": 1}, 'no "heard" object'),
    ({"heard": ["one"]}, {"en_a|piper/en_US-joe": 1}, 'no "heard" object'),
])
def test_saved_transcripts_refuse_what_does_not_match_the_interviews(tmp_path, body, needs, message):
    out = tmp_path / "run.json"
    out.write_text(json.dumps(body))
    with pytest.raises(InvalidInput, match=message):
        saved_transcripts(out, needs)


def test_saved_transcripts_refuse_a_missing_or_unreadable_file(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    for path in (tmp_path / "absent.json", tmp_path / "bad.json"):
        with pytest.raises(InvalidInput, match="cannot read saved transcripts"):
            saved_transcripts(path, {"en_a|piper/en_US-joe": 1})


PAIRS = {"en": ("piper/en_US-joe", "festival/en"), "ru": ("festival/ru", "festival/ru@0.88")}


def test_voice_pairs_replace_only_the_language_named():
    assert voice_pairs(PAIRS, []) == PAIRS
    assert voice_pairs(PAIRS, ["en=piper/en_US-joe, espeak/en-us"]) == {
        "en": ("piper/en_US-joe", "espeak/en-us"), "ru": PAIRS["ru"]}


@pytest.mark.parametrize("override", ["de=piper/en_US-joe,espeak/en-us", "en=espeak/en-us",
                                      "en=espeak/en-us,espeak/en-us", "en=a,b,c", "piper/en_US-joe,espeak/en-us"])
def test_voice_pairs_refuse_anything_but_two_different_voices_for_a_known_language(override):
    with pytest.raises(InvalidInput, match="expected LANGUAGE=VOICE,VOICE"):
        voice_pairs(PAIRS, [override])
