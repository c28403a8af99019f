"""The bootstrap as `hrlab eval` computed it before the shared, windowed resampler (commit ba4725a): one
rng.multinomial draw per cell and statistic, each statistic by `Groups.weighted` over every value.
Kept as the yardstick for tests/lab/test_stats_equivalence.py and the "before" row of bench/dashboard_views.py."""

from __future__ import annotations

import numpy as np

from hrlab.lab.cells import Cell
from hrlab.lab.stats import Estimate, Groups, check_stat, interval, rng_for


def old_replicates(data: Groups, stat: str, *, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    counts = rng.multinomial(data.count, np.full(data.count, 1.0 / data.count), size=n_boot)
    return data.weighted(counts, check_stat(stat))


class ReferenceBootstraps:
    """The same questions as cells.Bootstraps, answered the old way (each cell and statistic on its own stream)."""

    def __init__(self, *, n_boot: int, seed: int, confidence: float):
        self.n_boot, self.seed, self.confidence = n_boot, seed, confidence

    def prepare(self, cells, stats) -> None:  # the old path computed everything when asked
        pass

    def _reps(self, cell: Cell, stat: str, side: str) -> np.ndarray:
        rng = rng_for(self.seed, cell.metric, stat, side, *cell.runs[:1])
        return old_replicates(cell.data, stat, rng=rng, n_boot=self.n_boot)

    def estimate(self, cell: Cell, stat: str) -> Estimate:
        return Estimate(cell.data.estimate(stat), *interval(self._reps(cell, stat, ""), self.confidence))

    def difference(self, baseline: Cell, other: Cell, stat: str) -> Estimate:
        reps = self._reps(other, stat, "other") - self._reps(baseline, stat, "baseline")
        return Estimate(other.data.estimate(stat) - baseline.data.estimate(stat), *interval(reps, self.confidence))
