"""The cells `hrlab eval` judges (one metric over one variant's runs) and their bootstrap replicates.

Cells over the same runs (every metric a variant's runs all report) share one resample of those runs,
seeded by the run ids: it is drawn once for all of them, and a statistic asked for later (a gate's)
draws the same resample again. Each CI is still the plain cluster bootstrap of its own cell.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from hrlab.lab.stats import Estimate, Groups, interval, replicates, rng_for


@dataclass(frozen=True)
class Cell:
    """One metric's values over some runs (run_id order), grouped by run."""

    metric: str
    runs: tuple[str, ...]
    data: Groups

    @property
    def n(self) -> int:
        return len(self.data.values)

    @cached_property
    def runs_digest(self) -> str:
        """Names the set of runs (hashing 10,000 ids at every lookup of a tuple key cost tens of ms)."""
        return hashlib.blake2b("\n".join(self.runs).encode("utf-8"), digest_size=16).hexdigest()


def metric_cells(values: pd.DataFrame) -> dict[tuple[str, str], Cell]:
    """(metric, variant) → its Cell, from evals.metric_rows' long table."""
    if values.empty:
        return {}
    # Integer codes and one lexsort, slicing where the (metric, variant) pair changes: pandas groupby over
    # 10,000 runs' rows was most of a second.
    codes = [pd.factorize(values[k], sort=True) for k in ("name", "variant", "run_id")]
    (names, metrics), (variants, variant_names), (run_codes, run_ids) = codes
    run_ids = np.asarray(run_ids, dtype=object)  # plain strings: tuples of a pandas Index build element by element
    order = np.lexsort((run_codes, variants, names))
    names, variants, run_codes = names[order], variants[order], run_codes[order]
    numbers = values["value"].to_numpy(dtype=float)[order]
    changed = np.flatnonzero((names[1:] != names[:-1]) | (variants[1:] != variants[:-1])) + 1
    cells = {}
    for start, end in zip(np.r_[0, changed], np.r_[changed, len(numbers)]):
        runs = run_codes[start:end]
        owner = np.r_[0, np.cumsum(runs[1:] != runs[:-1])]  # 0..k-1 in run_id order
        metric = str(metrics[names[start]])
        cells[(metric, str(variant_names[variants[start]]))] = Cell(
            metric, tuple(run_ids[np.unique(runs)]), Groups.from_arrays(numbers[start:end], owner, int(owner[-1]) + 1))
    return cells


class Bootstraps:
    """Replicates per (cell, statistic), computed once per set of runs and kept for the report."""

    def __init__(self, *, n_boot: int, seed: int, confidence: float):
        self.n_boot, self.seed, self.confidence = n_boot, seed, confidence
        self._done: dict[tuple[str, str, str], np.ndarray] = {}  # (metric, runs_digest, stat)

    def prepare(self, cells: Iterable[Cell], stats: Sequence[str]) -> None:
        """Compute `stats` for every cell, one resample per set of runs."""
        by_runs: dict[str, dict[str, Cell]] = {}
        for cell in cells:
            if any((cell.metric, cell.runs_digest, stat) not in self._done for stat in stats):
                by_runs.setdefault(cell.runs_digest, {})[cell.metric] = cell
        for digest, chosen in by_runs.items():
            # Seeded by the runs themselves: the same runs always get the same resample, whatever else is asked.
            found = replicates([c.data for c in chosen.values()], stats, n_boot=self.n_boot,
                               rng=rng_for(self.seed, "runs", digest))
            for cell, reps in zip(chosen.values(), found):
                for stat in stats:
                    self._done[(cell.metric, digest, stat)] = reps[stat]

    def replicates(self, cell: Cell, stat: str) -> np.ndarray:
        key = (cell.metric, cell.runs_digest, stat)
        if key not in self._done:
            self.prepare([cell], [stat])
        return self._done[key]

    def estimate(self, cell: Cell, stat: str) -> Estimate:
        """The statistic over the cell's values, with its CI."""
        return Estimate(cell.data.estimate(stat), *interval(self.replicates(cell, stat), self.confidence))

    def difference(self, baseline: Cell, other: Cell, stat: str) -> Estimate:
        """`other` minus `baseline`, with a CI from their (independent) resamples."""
        reps = self.replicates(other, stat) - self.replicates(baseline, stat)
        return Estimate(other.data.estimate(stat) - baseline.data.estimate(stat), *interval(reps, self.confidence))
