"""A 1-5 score read from the model's probabilities at the score's token, not only from the token it sampled.

A 1.5B model unsure of a level puts its probability on several scores; the one it samples then turns on a
word the STT changed: "In Snowflake I write the loading SQL and some views, ..." got 1, and the same answer
heard in piper's voice got 2 in one run ("and Snowflake ...") and 5 in another. The mean over 1..5 moves a
little instead (2.35 and 2.80 for the first two, BENCHMARKS.md). This is G-Eval's probability-weighted
score (Liu et al., 2023).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from hrlab.providers.completion import TokenChoice

SCORES = ("1", "2", "3", "4", "5")


def score_distribution(tokens: Sequence[TokenChoice], key: str = "score") -> dict[int, float] | None:
    """The probability of each score 1..5 where the JSON answer in `tokens` gives the value of `key`, renormalised
    over 1..5 (the alternatives are the model's own, before any grammar, so they may hold other tokens). None when
    the completion has no alternatives there, or none of them is a score."""
    said = ""
    for choice in tokens:
        # the value's own token: a space token between the colon and the digit has other alternatives
        if choice.token.strip() and re.search(rf'"{re.escape(key)}"\s*:\s*$', said):
            weights = dict.fromkeys(range(1, 6), 0.0)
            for token, logprob in choice.top:
                if token.strip() in SCORES:  # " 3" and "3" are the same score
                    weights[int(token.strip())] += math.exp(logprob)
            total = sum(weights.values())
            return {score: weight / total for score, weight in weights.items()} if total > 0 else None
        said += choice.token
    return None


def expected_score(distribution: dict[int, float]) -> float:
    """The mean score under `distribution`."""
    return sum(score * probability for score, probability in distribution.items())


def round_half_up(value: float) -> int:
    """`value` to the nearest whole score, halves up (Python's round() sends 2.5 to 2)."""
    return math.floor(value + 0.5)
