"""How right an assessment model is on the labelled set: the figures bench/assessment_quality.py prints.

Pure functions over what one model returned per interview; a missing score (null, no evidence)
ranks below every score and counts as 0 in a fairness spread.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hrlab.domain.assessment import AssessmentError, normal_words, parse_assessment
from hrlab.errors import InvalidInput
from hrlab.lab.assessment_set import RankPair
from hrlab.lab.stats import Estimate, bootstrap_difference

Scores = Mapping[str, int | None]  # competency -> score


@dataclass(frozen=True)
class ModelAnswer:
    """One model's assessment of one interview: the raw text, what the assessor stored, and its time."""

    raw: str
    parsed: bool
    scores: dict[str, int | None] = field(default_factory=dict)
    recommendation: str | None = None
    seconds: float = 0.0
    unrounded: dict[str, float] = field(default_factory=dict)  # the scores before rounding (assessor.py)


@dataclass(frozen=True)
class Ratio:
    """`held` of `total`; `value` is None when nothing was counted."""

    held: int
    total: int

    @property
    def value(self) -> float | None:
        return self.held / self.total if self.total else None

    def __str__(self) -> str:
        return f"{self.held}/{self.total}" + (f" ({100 * self.value:.0f}%)" if self.total else "")


def parses(raw: str, *, competencies: Sequence[str], candidate_texts: Sequence[str]) -> bool:
    """Whether the raw answer reads as an assessment (the guards may still drop its scores)."""
    try:
        parse_assessment(raw, competencies=competencies, candidate_texts=candidate_texts)
    except AssessmentError:
        return False
    return True


def raw_quotes(raw: str) -> list[str]:
    """Every quote the raw answer cites, before any guard (none when it is not JSON)."""
    try:
        body = json.loads(raw[raw.find("{"):raw.rfind("}") + 1])
    except ValueError:
        return []
    items = body.get("competencies") if isinstance(body, dict) else None
    return [quote for item in items or [] if isinstance(item, dict)
            for quote in item.get("evidence") or [] if isinstance(quote, str)]


def quotes_verbatim(raw: str, candidate_texts: Sequence[str]) -> Ratio:
    """Quotes found word for word (case and punctuation aside) inside one of the candidate's answers."""
    said = [normal_words(text) for text in candidate_texts]
    quotes = raw_quotes(raw)
    return Ratio(sum(any(normal_words(q) in text for text in said) for q in quotes), len(quotes))


def _rank(score: int | None) -> int:
    return 0 if score is None else score


def rank_agreement(scores: Mapping[str, Scores], pairs: Sequence[RankPair]) -> Ratio:
    """Pairs whose stronger interview scored strictly above the weaker one on the pair's competency.

    `scores`: interview name -> its scores; a pair with an interview missing from it counts as not held.
    """
    held = 0
    for pair in pairs:
        strong, weak = scores.get(pair.stronger), scores.get(pair.weaker)
        if strong is not None and weak is not None:
            held += _rank(strong.get(pair.competency)) > _rank(weak.get(pair.competency))
    return Ratio(held, len(pairs))


def recommendation_agreement(labels: Mapping[str, str], predicted: Mapping[str, str | None]) -> Ratio:
    """Interviews whose recommendation equals the label."""
    return Ratio(sum(predicted.get(name) == label for name, label in labels.items()), len(labels))


def score_spread(first: Scores, second: Scores) -> dict[str, int]:
    """Per competency, how far apart two assessments of the same answers are (null counts as 0)."""
    return {name: abs(_rank(first.get(name)) - _rank(second.get(name))) for name in sorted(set(first) | set(second))}


@dataclass(frozen=True)
class Agreement:
    """How far apart two readings of the same interviews are (two voices, or one voice heard twice)."""

    max_spread: int | None  # the largest whole-score difference of a competency
    within_1: Ratio  # competencies whose whole scores are at most 1 apart
    scored: Ratio  # assessments with any score: two null assessments agree, but say nothing
    unrounded_max: float | None  # the largest difference of a competency scored in both, before rounding
    unrounded_under_1: Ratio  # under 1 before rounding: the whole scores cannot be 2 apart


def agreement(readings: Sequence[tuple[ModelAnswer, ModelAnswer]]) -> Agreement:
    """The spread figures over pairs of assessments of the same answers."""
    spreads = [d for first, second in readings for d in score_spread(first.scores, second.scores).values()]
    apart = [d for differences in unrounded_differences(readings) for d in differences]
    scored = sum(any(v is not None for v in answer.scores.values()) for pair in readings for answer in pair)
    return Agreement(max(spreads, default=None), Ratio(sum(d <= 1 for d in spreads), len(spreads)),
                     Ratio(scored, 2 * len(readings)), max(apart, default=None),
                     Ratio(sum(d < 1 for d in apart), len(apart)))


def unrounded_differences(readings: Sequence[tuple[ModelAnswer, ModelAnswer]]) -> list[list[float]]:
    """Per pair of readings (one interview), how far apart each competency scored in both is before rounding."""
    return [[abs(first.unrounded[name] - second.unrounded[name]) for name in sorted(first.unrounded.keys()
                                                                                     & second.unrounded)]
            for first, second in readings]


def voice_effect(readings: Sequence[tuple[ModelAnswer, ModelAnswer]],
                 retests: Sequence[tuple[ModelAnswer, ModelAnswer]]) -> Estimate | None:
    """How much further apart two voices put the scores than one voice heard twice: the mean difference before
    rounding of `readings` minus that of `retests`, with a 95% bootstrap interval that resamples whole
    interviews (None without a difference on either side). An interval around 0 finds no effect of the voice
    beyond the STT's run-to-run errors."""
    voices, retest = unrounded_differences(readings), unrounded_differences(retests)
    if not any(voices) or not any(retest):
        return None
    return bootstrap_difference(retest, voices, "mean", label="voice effect")


def saved_transcripts(path: Path, answer_counts: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """The fairness transcripts an earlier bench run wrote ("heard" in its --out JSON: 'interview|voice' -> each
    answer as the STT heard it) for the keys of `answer_counts` (how many answers each has); InvalidInput naming
    what is missing or malformed. The voices' audio differs a little from one synthesis to the next, and the STT
    with it, so only saved transcripts compare two versions of the assessor on the same words."""
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read saved transcripts from {path}: {exc}") from None
    heard = body.get("heard") if isinstance(body, dict) else None
    if not isinstance(heard, dict):
        raise InvalidInput(f"{path} has no \"heard\" object (write one with the bench's --out)")
    saved = {}
    for key, count in answer_counts.items():
        texts = heard.get(key)
        if texts is None:
            raise InvalidInput(f"{path} has no transcripts for {key!r}; it has {sorted(heard)[:6]}")
        if not (isinstance(texts, list) and len(texts) == count and all(isinstance(t, str) for t in texts)):
            raise InvalidInput(f"{path}: {key!r} needs {count} answers as text, got {str(texts)[:80]}")
        saved[key] = tuple(texts)
    return saved


def voice_pairs(defaults: Mapping[str, tuple[str, str]], overrides: Sequence[str]) -> dict[str, tuple[str, str]]:
    """`defaults` (language -> two voices) with each "language=voice,voice" of `overrides` put in its place."""
    pairs = dict(defaults)
    for override in overrides:
        language, _, named = override.partition("=")
        chosen = tuple(voice.strip() for voice in named.split(",") if voice.strip())
        if language not in defaults or len(chosen) != 2 or chosen[0] == chosen[1]:
            raise InvalidInput(f"voices {override!r}: expected LANGUAGE=VOICE,VOICE with two different voices "
                               f"and LANGUAGE one of {', '.join(defaults)}")
        pairs[language] = chosen
    return pairs
