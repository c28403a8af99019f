"""Statistics with cluster-bootstrap confidence intervals (numpy, seeded).

Values come in groups, one per run: a run's turns are not independent, so the bootstrap resamples
whole runs. Percentiles use the inverted-CDF definition everywhere, so a point estimate and its
bootstrap replicates are computed the same way.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_PERCENTILE = re.compile(r"p(\d{1,2})")
STATS = ("mean", "min", "max")


@dataclass(frozen=True)
class Estimate:
    """A statistic with its confidence interval."""

    value: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def check_stat(stat: str) -> str:
    """Accept mean, min, max or pNN (1..99); raise ValueError otherwise."""
    match = _PERCENTILE.fullmatch(stat)
    if stat in STATS or (match and 0 < int(match.group(1)) < 100):
        return stat
    raise ValueError(f"unknown statistic {stat!r}; use mean, min, max or p1..p99")


def rng_for(seed: int, *labels: str) -> np.random.Generator:
    """A generator seeded by `seed` and stable labels, so a cell's result never depends on order."""
    return np.random.default_rng([seed, *(zlib.crc32(label.encode("utf-8")) for label in labels)])


class Groups:
    """Per-run value arrays, flattened and sorted once for weighted statistics."""

    def __init__(self, groups: Sequence[Sequence[float]]):
        arrays = [np.asarray(g, dtype=float) for g in groups if len(g)]
        if not arrays:
            raise ValueError("no values")
        self.count = len(arrays)
        values = np.concatenate(arrays)
        owner = np.concatenate([np.full(len(a), i) for i, a in enumerate(arrays)])
        order = np.argsort(values, kind="stable")
        self.values, self.owner = values[order], owner[order]
        # Per-run sums and sizes: a replicate's mean needs only these (runs x replicates, not values x replicates).
        self.run_sums = np.bincount(owner, weights=values, minlength=self.count)
        self.run_sizes = np.bincount(owner, minlength=self.count).astype(float)

    def weighted(self, counts: np.ndarray, stat: str) -> np.ndarray:
        """The statistic for each row of `counts` (how often each run is drawn); shape (replicates,)."""
        if stat == "mean":
            return (counts @ self.run_sums) / (counts @ self.run_sizes)
        weights = counts[:, self.owner].astype(float)
        present = weights > 0
        if stat == "min":
            return self.values[np.argmax(present, axis=1)]
        if stat == "max":
            return self.values[len(self.values) - 1 - np.argmax(present[:, ::-1], axis=1)]
        q = int(check_stat(stat)[1:]) / 100.0
        cumulative = np.cumsum(weights, axis=1)
        target = q * cumulative[:, -1:]
        return self.values[np.argmax(cumulative >= target - 1e-9, axis=1)]

    def estimate(self, stat: str) -> float:
        return float(self.weighted(np.ones((1, self.count)), stat)[0])

    def replicates(self, stat: str, *, rng: np.random.Generator, n_boot: int) -> np.ndarray:
        counts = rng.multinomial(self.count, np.full(self.count, 1.0 / self.count), size=n_boot)
        return self.weighted(counts, stat)


def bootstrap(groups: Sequence[Sequence[float]], stat: str = "mean", *, n_boot: int = 2000, seed: int = 0,
              confidence: float = 0.95, label: str = "") -> Estimate:
    """The statistic over all values, with a percentile cluster-bootstrap CI."""
    data = Groups(groups)
    reps = data.replicates(check_stat(stat), rng=rng_for(seed, label, stat), n_boot=n_boot)
    low, high = _interval(reps, confidence)
    return Estimate(data.estimate(stat), low, high)


def bootstrap_difference(baseline: Sequence[Sequence[float]], other: Sequence[Sequence[float]],
                         stat: str = "mean", *, n_boot: int = 2000, seed: int = 0, confidence: float = 0.95,
                         label: str = "") -> Estimate:
    """`other` minus `baseline` on the statistic, with a CI from independent bootstraps of each side."""
    a, b = Groups(baseline), Groups(other)
    check_stat(stat)
    reps_a = a.replicates(stat, rng=rng_for(seed, label, stat, "baseline"), n_boot=n_boot)
    reps_b = b.replicates(stat, rng=rng_for(seed, label, stat, "other"), n_boot=n_boot)
    low, high = _interval(reps_b - reps_a, confidence)
    return Estimate(b.estimate(stat) - a.estimate(stat), low, high)


def _interval(replicates: np.ndarray, confidence: float) -> tuple[float, float]:
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail])
    return float(low), float(high)
