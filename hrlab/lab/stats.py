"""Statistics with cluster-bootstrap confidence intervals (numpy, seeded).

Values come in groups, one per run: a run's turns are not independent, so the bootstrap resamples
whole runs. Percentiles use the inverted-CDF definition everywhere, so a point estimate and its
bootstrap replicates are computed the same way.

A resample of runs is drawn once and shared by every statistic (and, through `replicates`, every
metric) computed on the same runs: each CI is still the plain cluster bootstrap of its statistic.
`Groups.weighted` is the definition of a statistic on a resample; `Groups.replicate_block` gives the
same numbers faster (see there).
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_PERCENTILE = re.compile(r"p(\d{1,2})")
STATS = ("mean", "min", "max")
BLOCK_CELLS = 1 << 21  # replicates x runs drawn at once: bounds memory (~16 MB a block) at any log size
# A replicate's percentile is searched first among the sorted values within this many standard errors
# (0.5/sqrt(runs) for equal-sized runs) of the point estimate's position; replicates that land outside,
# rare, are computed over all values. It only changes speed, never a result.
WINDOW_SE = 6.0


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


def draw_counts(rng: np.random.Generator, runs: int, rows: int) -> np.ndarray:
    """How often each run is drawn in each of `rows` replicates (rows x runs, float): the cluster bootstrap's
    multinomial(runs, 1/runs), drawn as `runs` uniform picks a replicate and counted, which is ~10x faster
    than rng.multinomial at thousands of runs (that draws one binomial per run per replicate)."""
    picks = rng.integers(0, runs, size=(rows, runs))
    counts = np.empty((rows, runs))
    for row, drawn in enumerate(picks):  # row by row: no offsets to add and no int-to-float pass (~1.5x faster)
        counts[row] = np.bincount(drawn, minlength=runs)
    return counts


class Groups:
    """Per-run value arrays, flattened and sorted once for weighted statistics."""

    def __init__(self, groups: Sequence[Sequence[float]]):
        arrays = [np.asarray(g, dtype=float) for g in groups if len(g)]
        if not arrays:
            raise ValueError("no values")
        owner = np.concatenate([np.full(len(a), i) for i, a in enumerate(arrays)])
        self._set(np.concatenate(arrays), owner, len(arrays))

    @classmethod
    def from_arrays(cls, values: np.ndarray, owner: np.ndarray, count: int) -> "Groups":
        """From flat values and the run (0..count-1, each present) each came from."""
        if not len(values):
            raise ValueError("no values")
        groups = cls.__new__(cls)
        groups._set(np.asarray(values, dtype=float), np.asarray(owner), count)
        return groups

    def _set(self, values: np.ndarray, owner: np.ndarray, count: int) -> None:
        self.count = count
        order = np.argsort(values, kind="stable")
        self.values, self.owner = values[order], owner[order]
        # Per-run sums and sizes: a replicate's mean needs only these (runs x replicates, not values x replicates).
        self.run_sums = np.bincount(owner, weights=values, minlength=count)
        self.run_sizes = np.bincount(owner, minlength=count).astype(float)

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

    @property
    def constant(self) -> bool:
        """All values equal (a rate nobody missed, a fixed score): common, and needs no resampling arithmetic."""
        return bool(self.values[0] == self.values[-1])

    def estimate(self, stat: str) -> float:
        """The statistic over all values: `weighted` with every run drawn once, in closed form for percentiles
        (the cumulative weights are 1..n, so the first position reaching q x n is ceil(q x n) - 1)."""
        if _PERCENTILE.fullmatch(stat):
            q = int(stat[1:]) / 100.0
            return float(self.values[max(0, math.ceil(q * len(self.values) - 1e-9) - 1)])
        return float(self.weighted(np.ones((1, self.count)), stat)[0])

    def projections(self, stats: Sequence[str]) -> np.ndarray:
        """Per-run columns whose products with a block of counts `replicate_block` needs (runs x k)."""
        if self.constant:
            return np.empty((self.count, 0))
        columns = [self.run_sums, self.run_sizes]
        for stat in stats:
            if _PERCENTILE.fullmatch(stat):
                lo, hi = self._window(stat)
                columns += [np.bincount(self.owner[:lo], minlength=self.count),
                            np.bincount(self.owner[lo:hi], minlength=self.count)]
        return np.column_stack(columns).astype(float)

    def replicate_block(self, counts: np.ndarray, projected: np.ndarray, stats: Sequence[str]) -> dict:
        """What `weighted(counts, stat)` gives for each stat, given `projected = counts @ projections(stats)`."""
        if self.constant:  # every statistic of every resample is that one value
            return {stat: np.full(len(counts), self.values[0]) for stat in stats}
        out, column = {}, 2
        for stat in stats:
            if stat == "mean":
                out[stat] = projected[:, 0] / projected[:, 1]
            elif _PERCENTILE.fullmatch(stat):
                out[stat] = self._percentile(counts, projected[:, 1], projected[:, column:column + 2], stat)
                column += 2
            else:
                out[stat] = self.weighted(counts, stat)
        return out

    def _window(self, stat: str) -> tuple[int, int]:
        """Sorted positions around the point estimate's where a replicate's percentile almost always lies."""
        n = len(self.values)
        q = int(stat[1:]) / 100.0
        centre = max(0, math.ceil(q * n - 1e-9) - 1)
        half = math.ceil(n * WINDOW_SE * 0.5 / math.sqrt(self.count)) + 1
        return max(0, centre - half), min(n, centre + half + 1)

    def _percentile(self, counts: np.ndarray, totals: np.ndarray, window: np.ndarray, stat: str) -> np.ndarray:
        """The inverted-CDF percentile of each replicate: the first sorted position whose cumulative weight
        reaches q x total. The weight below the window and inside it come from `window` (two products with
        counts), so only the window's columns are cumulated, not every value's."""
        lo, hi = self._window(stat)
        q = int(stat[1:]) / 100.0
        needed = np.ceil(q * totals - 1e-9)  # the weights are whole numbers: cumulative >= q*total - 1e-9
        below, inside = window[:, 0], window[:, 1]
        found = (below < needed) & (needed <= below + inside)
        out = np.empty(len(counts))
        if found.any():
            if self.values[lo] == self.values[hi - 1]:
                out[found] = self.values[lo]
            else:
                inside_counts = counts[:, self.owner[lo:hi]]  # the window's columns first: a far smaller copy
                cumulative = np.cumsum(inside_counts if found.all() else inside_counts[found], axis=1)
                short = (needed - below)[found, None]
                out[found] = self.values[lo + np.sum(cumulative < short, axis=1)]
        if not found.all():
            out[~found] = self.weighted(counts[~found], stat)
        return out


def replicates(cells: Sequence[Groups], stats: Sequence[str], *, n_boot: int,
               rng: np.random.Generator) -> list[dict[str, np.ndarray]]:
    """Bootstrap replicates of each statistic for cells over the same runs (same count, same order): each
    replicate resamples the runs once for all of them. Returns, per cell, {stat: array (n_boot,)}."""
    runs = cells[0].count
    if any(cell.count != runs for cell in cells):
        raise ValueError("cells sharing a resample must cover the same runs")
    stats = [check_stat(stat) for stat in stats]
    projections = [cell.projections(stats) for cell in cells]
    edges = np.cumsum([0] + [p.shape[1] for p in projections])
    joined = np.ascontiguousarray(np.hstack(projections).T)  # k x runs: einsum's fast layout
    blocks: list[list[dict]] = [[] for _ in cells]
    rows = max(1, BLOCK_CELLS // runs)
    for start in range(0, n_boot, rows):
        counts = draw_counts(rng, runs, min(rows, n_boot - start))
        # One pass over the block for every cell's sums, sizes and windows. einsum, not `@`: OpenBLAS's threads
        # spin between calls and, on a busy 2-core machine, took as long again from the rest of the work.
        projected = np.einsum("ij,kj->ik", counts, joined)
        for i, cell in enumerate(cells):
            blocks[i].append(cell.replicate_block(counts, projected[:, edges[i]:edges[i + 1]], stats))
    return [{stat: np.concatenate([b[stat] for b in cell_blocks]) for stat in stats} for cell_blocks in blocks]


def interval(reps: np.ndarray, confidence: float) -> tuple[float, float]:
    """The percentile bootstrap interval of replicates."""
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(reps, [tail, 1.0 - tail])
    return float(low), float(high)


def bootstrap(groups: Sequence[Sequence[float]], stat: str = "mean", *, n_boot: int = 2000, seed: int = 0,
              confidence: float = 0.95, label: str = "") -> Estimate:
    """The statistic over all values, with a percentile cluster-bootstrap CI."""
    data = Groups(groups)
    reps = replicates([data], [stat], n_boot=n_boot, rng=rng_for(seed, label))[0][stat]
    return Estimate(data.estimate(stat), *interval(reps, confidence))


def bootstrap_difference(baseline: Sequence[Sequence[float]], other: Sequence[Sequence[float]],
                         stat: str = "mean", *, n_boot: int = 2000, seed: int = 0, confidence: float = 0.95,
                         label: str = "") -> Estimate:
    """`other` minus `baseline` on the statistic, with a CI from independent bootstraps of each side."""
    a, b = Groups(baseline), Groups(other)
    reps_a = replicates([a], [stat], n_boot=n_boot, rng=rng_for(seed, label, "baseline"))[0][stat]
    reps_b = replicates([b], [stat], n_boot=n_boot, rng=rng_for(seed, label, "other"))[0][stat]
    return Estimate(b.estimate(stat) - a.estimate(stat), *interval(reps_b - reps_a, confidence))
