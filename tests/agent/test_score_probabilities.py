"""Reading a 1-5 score from the model's probabilities at the score's token."""

from __future__ import annotations

import math

import pytest

from hrlab.agent.score_probabilities import expected_score, round_half_up, score_distribution
from hrlab.providers.completion import TokenChoice


def choice(token: str, **probabilities: float) -> TokenChoice:
    """A generated token and its alternatives: `p1=0.5` is the token "1" at probability 0.5."""
    return TokenChoice(token, tuple((name.removeprefix("p").replace("_", " "), math.log(p))
                                    for name, p in probabilities.items()))


def answer(score_choice: TokenChoice, quote_choice: TokenChoice | None = None) -> list[TokenChoice]:
    """The tokens of {"quote": 1, "score": N} as llama.cpp's Qwen writes them under the compact grammar."""
    quote_choice = quote_choice or choice("1", p1=0.9, p2=0.1)
    return [choice('{"'), choice("quote"), choice('":'), choice(" "), quote_choice, choice(","), choice(' "'),
            choice("score"), choice('":'), choice(" "), score_choice, choice("}")]


def test_the_distribution_is_read_at_the_score_not_at_the_quote():
    tokens = answer(choice("1", p1=0.35, p2=0.27, p3=0.17, p4=0.10, p5=0.11),
                    quote_choice=choice("1", p1=0.99, p5=0.01))
    distribution = score_distribution(tokens)
    assert distribution == pytest.approx({1: 0.35, 2: 0.27, 3: 0.17, 4: 0.10, 5: 0.11})
    assert expected_score(distribution) == pytest.approx(2.35)


def test_other_tokens_are_left_out_and_the_scores_renormalised():
    # The alternatives are the model's own, before the grammar: "0", a quote mark, a space before a digit.
    tokens = answer(choice("4", p4=0.4, p0=0.3, p5=0.1, p_5=0.1, **{'p"': 0.1}))
    assert score_distribution(tokens) == pytest.approx({1: 0.0, 2: 0.0, 3: 0.0, 4: 0.6666667, 5: 0.3333333})


def test_no_alternatives_or_no_score_gives_none():
    assert score_distribution(answer(choice("3"))) is None  # the provider gave no alternatives
    assert score_distribution(answer(choice("3", pa=0.6, pb=0.4))) is None  # none of them a score
    assert score_distribution([choice('{"quote": 2}', p1=1.0)]) is None
    assert score_distribution(()) is None


def test_the_key_is_matched_whole():
    tokens = [choice('{"subscore": '), choice("5", p5=1.0), choice(', "score": '), choice("2", p2=0.5, p3=0.5)]
    assert expected_score(score_distribution(tokens)) == pytest.approx(2.5)


@pytest.mark.parametrize(("value", "score"), [(2.5, 3), (2.49, 2), (3.5, 4), (1.0, 1), (4.999, 5), (1.5, 2)])
def test_halves_round_up(value, score):
    assert round_half_up(value) == score
