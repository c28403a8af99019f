"""The faster bootstrap (shared resamples, windowed percentiles) against the old definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hrlab.lab import evals, stats
from hrlab.lab.cells import Bootstraps, metric_cells
from hrlab.lab.stats import Groups, draw_counts
from hrlab.lab.suite import Suite
from tests.lab.stats_reference import ReferenceBootstraps

STATS = ("mean", "min", "max", "p5", "p50", "p95", "p99")


@pytest.mark.parametrize("window_se", [stats.WINDOW_SE, 0.5, 0.0])  # 0: nearly every replicate falls back
def test_fast_statistics_equal_the_definition_on_the_same_resample(monkeypatch, window_se):
    monkeypatch.setattr(stats, "WINDOW_SE", window_se)
    rng = np.random.default_rng(8)
    for _ in range(15):
        runs = int(rng.integers(1, 80))  # rounded values: plenty of ties across runs
        data = Groups([np.round(rng.gamma(2.0, 1.0, int(rng.integers(1, 7))), 1) for _ in range(runs)])
        counts = draw_counts(rng, data.count, 200)
        fast = data.replicate_block(counts, counts @ data.projections(STATS), STATS)
        for stat in STATS:
            if stat == "mean":  # the same sums, taken in a different order by BLAS
                np.testing.assert_allclose(fast[stat], data.weighted(counts, stat), rtol=1e-12)
            else:
                np.testing.assert_array_equal(fast[stat], data.weighted(counts, stat), err_msg=stat)


def test_drawn_counts_are_the_multinomial_resample():
    counts = draw_counts(np.random.default_rng(3), 50, 4000)
    assert counts.shape == (4000, 50) and (counts.sum(axis=1) == 50).all()
    # Multinomial(50, 1/50): each count has mean 1, variance 1 - 1/50, and is 0 with probability (49/50)^50.
    assert counts.mean() == pytest.approx(1.0)
    assert counts.var() == pytest.approx(1 - 1 / 50, rel=0.03)
    assert (counts == 0).mean() == pytest.approx((49 / 50) ** 50, abs=0.01)
    assert abs(np.corrcoef(counts[:, 0], counts[:, 1])[0, 1] + 1 / 49) < 0.05  # not a row's copy of another


def _values(rng) -> pd.DataFrame:
    rows = []
    for variant, shift in (("base", 0.0), ("fast", -0.15)):
        for run in range(400):
            run_id = f"{variant}-{run:03d}"
            for _ in range(int(rng.integers(1, 5))):
                rows.append((run_id, variant, "s1", "latency_s", float(rng.lognormal(0.1 + shift, 0.3))))
            rows.append((run_id, variant, "s1", "resume_grounding", float(rng.uniform(0.3, 0.9))))
            rows.append((run_id, variant, "s1", "ended_properly", float(rng.random() < 0.9)))
            rows.append((run_id, variant, "s1", "stt_wer", 0.1))
    return pd.DataFrame(rows, columns=["run_id", "variant", "scenario", "name", "value"])


def test_eval_report_matches_the_old_definition_within_monte_carlo_tolerance(monkeypatch):
    values = _values(np.random.default_rng(21))
    runs = values[["run_id", "variant"]].drop_duplicates().assign(status="ok")
    suite = Suite(name="eq", file="", scenarios=("s1",), variants=("base", "fast"), bootstrap=3000, seed=5)
    new = evals.build_report(suite, runs, values)
    monkeypatch.setattr(evals, "Bootstraps", ReferenceBootstraps)
    old = evals.build_report(suite, runs, values)

    def check(new_row, old_row, value, low, high):
        assert new_row[value] == pytest.approx(old_row[value], rel=1e-12, abs=1e-15)
        # A bound's Monte Carlo sd is ~0.06 of the bootstrap sd at 3,000 replicates (width ~3.9 sd); allow 0.1
        # of the width (~6 sd of the two bounds' difference). A shifted or mis-scaled interval fails.
        tolerance = 0.1 * (old_row[high] - old_row[low]) + 1e-12
        assert abs(new_row[low] - old_row[low]) <= tolerance, (value, new_row[low], old_row[low])
        assert abs(new_row[high] - old_row[high]) <= tolerance, (value, new_row[high], old_row[high])

    for (_, n), (_, o) in zip(new.summary.iterrows(), old.summary.iterrows()):
        for stat in evals.SUMMARY_STATS:
            check(n, o, stat, f"{stat}_low", f"{stat}_high")
    for (_, n), (_, o) in zip(new.comparisons.iterrows(), old.comparisons.iterrows()):
        check(n, o, "difference", "low", "high")
    assert list(new.comparisons["better"]) == list(old.comparisons["better"]) == ["fast", "", "", ""]


def test_the_same_runs_get_the_same_resample_whatever_is_asked_and_when():
    values = _values(np.random.default_rng(4))
    cells = metric_cells(values)
    latency, grounding = cells[("latency_s", "fast")], cells[("resume_grounding", "fast")]
    first = Bootstraps(n_boot=500, seed=1, confidence=0.95)
    first.prepare([latency, grounding], ("mean", "p95"))
    later = first.replicates(latency, "p90")  # a gate's statistic, asked after the tables
    at_once = Bootstraps(n_boot=500, seed=1, confidence=0.95)
    at_once.prepare([latency], ("p90", "p95"))
    np.testing.assert_array_equal(later, at_once.replicates(latency, "p90"))
    np.testing.assert_array_equal(first.replicates(latency, "p95"), at_once.replicates(latency, "p95"))
    other = Bootstraps(n_boot=500, seed=2, confidence=0.95)  # and the suite's seed still matters
    assert not np.array_equal(other.replicates(latency, "p95"), at_once.replicates(latency, "p95"))


def test_point_estimates_are_the_definition_with_every_run_drawn_once():
    rng = np.random.default_rng(12)
    for size in (1, 2, 3, 7, 20, 101, 400):
        data = Groups([np.round(rng.normal(0, 1, int(rng.integers(1, 4))), 1) for _ in range(size)])
        for stat in STATS:
            assert data.estimate(stat) == data.weighted(np.ones((1, data.count)), stat)[0], (size, stat)
