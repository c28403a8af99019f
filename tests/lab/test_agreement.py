"""HR ratings in the run log: stored with their 1..5 rating, and reported by `hrlab eval` as agreement."""

from __future__ import annotations

import pytest

from hrlab.lab.evals import evaluate
from hrlab.lab.store import RunLog
from hrlab.lab.suite import Suite
from tests.dashboard.seed import SUITE, VARIANTS, seed_runlog


def _suite() -> Suite:
    return Suite(name=SUITE, file="", scenarios=("*",), variants=VARIANTS, bootstrap=200)


def test_agreement_per_variant_from_latest_ratings(tmp_path):
    path = tmp_path / "runs.duckdb"
    ids = seed_runlog(path, repeats=1, error_runs=0, recording=False)  # order: en default, en tight, ru default, ...
    with RunLog(path) as runlog:
        runlog.annotate(ids[0], author="hr", label="assessment", rating=2)
        runlog.annotate(ids[0], author="hr", label="assessment", rating=5)  # changed their mind: this one stands
        runlog.annotate(ids[2], author="hr", label="assessment", rating=3)
        runlog.annotate(ids[1], author="hr", label="assessment", rating=4)
        runlog.annotate(ids[1], author="hr", label="question", seq=1, rating=2)
        runlog.annotate(ids[1], author="hr", label="question", seq=3, rating=4)
    report = evaluate(path, _suite())
    rows = report.agreement.set_index("variant")
    assert rows.loc["default", "assessments_rated"] == 2
    assert rows.loc["default", "assessment_agreement"] == pytest.approx(0.5)  # 5 agrees, 3 does not
    assert rows.loc["tight_endpointing", "assessment_agreement"] == 1.0
    assert rows.loc["tight_endpointing", "question_rating_mean"] == pytest.approx(3.0)
    assert "human ratings" in report.table()


def test_no_ratings_no_agreement_section(tmp_path):
    path = tmp_path / "runs.duckdb"
    seed_runlog(path, repeats=1, error_runs=0, recording=False)
    report = evaluate(path, _suite())
    assert report.agreement.empty and "human ratings" not in report.table()


@pytest.mark.parametrize("rating", [0, 6, 2.5, True])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_stored(tmp_path, rating):
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        with pytest.raises(ValueError, match="1 to 5"):
            runlog.annotate("r1", author="hr", label="assessment", rating=rating)
        assert runlog.execute("SELECT count(*) FROM annotations")[0][0] == 0
