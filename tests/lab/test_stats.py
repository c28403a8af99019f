from __future__ import annotations

import numpy as np
import pytest

from hrlab.lab.stats import Groups, bootstrap, bootstrap_difference, check_stat


def runs(rng, mean, *, n_runs=15, per_run=4, sd=0.25):
    return [rng.normal(mean, sd, per_run).tolist() for _ in range(n_runs)]


def test_clear_difference_is_detected():
    rng = np.random.default_rng(11)
    a, b = runs(rng, 1.0), runs(rng, 1.4)
    diff = bootstrap_difference(a, b, "mean", seed=3)
    assert diff.excludes_zero() and diff.low > 0.2 and diff.value == pytest.approx(0.4, abs=0.1)
    assert bootstrap_difference(a, b, "p95", seed=3).excludes_zero()


def test_identical_samples_are_not_called_different():
    rng = np.random.default_rng(5)
    a = runs(rng, 1.0)
    for stat in ("mean", "p50", "p95"):
        diff = bootstrap_difference(a, [list(g) for g in a], stat, seed=9)
        assert diff.value == 0.0 and not diff.excludes_zero()


def test_same_distribution_usually_not_called_different():
    called = 0
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        called += bootstrap_difference(runs(rng, 1.0), runs(rng, 1.0), "mean", seed=seed, n_boot=500).excludes_zero()
    assert called <= 3  # 95% intervals: about one false call in twenty expected


def test_seeded_results_repeat_and_intervals_contain_the_estimate():
    rng = np.random.default_rng(2)
    data = runs(rng, 2.0)
    first, again = bootstrap(data, "p95", seed=4, label="x"), bootstrap(data, "p95", seed=4, label="x")
    assert first == again
    for stat in ("mean", "p50", "p95", "min", "max"):
        est = bootstrap(data, stat, seed=4)
        assert est.low <= est.value <= est.high


def test_point_estimates_match_numpy():
    data = [[3.0, 1.0], [2.0], [5.0, 4.0, 6.0]]
    flat = np.concatenate(data)
    groups = Groups(data)
    assert groups.estimate("mean") == pytest.approx(flat.mean())
    assert groups.estimate("p50") == np.percentile(flat, 50, method="inverted_cdf")
    assert groups.estimate("p95") == np.percentile(flat, 95, method="inverted_cdf")
    assert (groups.estimate("min"), groups.estimate("max")) == (1.0, 6.0)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="no values"):
        bootstrap([[], []])
    with pytest.raises(ValueError, match="unknown statistic"):
        check_stat("p100")
