"""The views' data over real stores: filters, reviews, empty and old stores, compare = `hrlab eval`."""

from __future__ import annotations

import duckdb
import pytest

from hrlab.dashboard import interviews_data as data
from hrlab.dashboard.compare_data import compare
from hrlab.dashboard.runs_data import RunFilters, RunStore
from hrlab.dashboard.stores import database_problem, runlog_problem
from hrlab.errors import InvalidInput
from hrlab.lab.evals import evaluate
from hrlab.lab.schema import MIGRATIONS
from hrlab.lab.store import migrate
from hrlab.lab.suite import Suite
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade
from tests.dashboard.seed import SUITE, VARIANTS, seed_database, seed_runlog


@pytest.fixture
def database(database_url):
    """Seeded interviews on SQLite and on PostgreSQL (tests/conftest.py's database_url)."""
    seed_database(database_url)
    db = Database(database_url)
    yield db
    db.dispose()


def test_interviews_list_shows_who_needs_a_decision_and_filters(database):
    listed = data.list_interviews(database)
    assert list(listed["human decision"]) == ["NEEDS DECISION"] * 3
    assert list(data.list_interviews(database, data.InterviewFilters(resume="grace"))["candidate"]) == ["Grace Hopper"]
    holds = data.list_interviews(database, data.InterviewFilters(recommendation="hold"))
    assert list(holds["AI recommendation"]) == ["hold"]
    data.save_review(database, 1, decision="advance", reviewer="hr", notes="good")
    assert list(data.list_interviews(database, data.InterviewFilters(reviewed="decided"))["session"]) == [1]
    assert len(data.list_interviews(database, data.InterviewFilters(reviewed="needs decision"))) == 2


def test_the_newest_review_stands_and_bad_input_stores_nothing(database):
    data.save_review(database, 2, decision="hold", reviewer="anna", notes="")
    data.save_review(database, 2, decision="reject", reviewer="boris", notes="no tests")
    with pytest.raises(InvalidInput, match="decision must be one of"):
        data.save_review(database, 2, decision="maybe", reviewer="anna", notes="")
    with pytest.raises(InvalidInput, match="reviewer"):
        data.save_review(database, 2, decision="hold", reviewer="  ", notes="")
    detail = data.interview_detail(database, 2)
    assert list(detail.reviews["decision"]) == ["hold", "reject"]
    row = data.list_interviews(database, data.InterviewFilters(resume="2"))
    assert list(row["human decision"]) == ["reject"] and list(row["reviewer"]) == ["boris"]
    assert detail.assessment["competencies"][0]["evidence"] == ["I built data pipelines in Python"]
    assert list(detail.turns["speaker"])[:2] == ["ai", "candidate"]


def test_empty_and_old_databases_say_what_to_run(tmp_path):
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    assert "hrlab db upgrade" in database_problem(empty)
    upgrade(empty.url, "0002")
    assert "revision 0002" in database_problem(empty) and "hrlab db upgrade" in database_problem(empty)
    upgrade(empty.url)
    assert "No interviews yet" in database_problem(empty)
    empty.dispose()


def test_missing_empty_and_old_run_logs_say_what_to_run(tmp_path):
    assert "hrlab run" in runlog_problem(RunStore(tmp_path / "none.duckdb"))
    old = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(old))
    migrate(conn, target=MIGRATIONS[0][0])
    conn.close()
    message = runlog_problem(RunStore(old))
    assert "older hrlab" in message and "hrlab run --out" in message
    seed_runlog(tmp_path / "fresh.duckdb", repeats=0, error_runs=0, recording=False)
    assert "no runs yet" in runlog_problem(RunStore(tmp_path / "fresh.duckdb"))


def test_runs_filter_and_detail(tmp_path):
    ids = seed_runlog(tmp_path / "runs.duckdb", repeats=2)
    store = RunStore(tmp_path / "runs.duckdb")
    assert set(store.list_runs(RunFilters(variant=VARIANTS[1]))["variant"]) == {VARIANTS[1]}
    assert list(store.list_runs(RunFilters(status="error"))["run_id"]) == [ids[-1]]
    detail = store.run_detail(ids[0])
    answered = detail.turns[detail.turns["who"] == "candidate"]
    assert answered["latency_s"].notna().all() and answered["reference"].notna().all()
    assert detail.audio_path.endswith("seed.wav") and detail.assessment["recommendation"] == "advance"
    assert store.run_detail("nope") is None


def test_compare_gives_what_hrlab_eval_gives(tmp_path):
    seed_runlog(tmp_path / "runs.duckdb", repeats=3)
    shown = compare(RunStore(tmp_path / "runs.duckdb"), SUITE, list(VARIANTS))
    suite = Suite(name=SUITE, file="", scenarios=("*",), variants=VARIANTS, baseline=VARIANTS[0],
                  bootstrap=shown.report.suite.bootstrap, seed=shown.report.suite.seed,
                  confidence=shown.report.suite.confidence, metrics=shown.report.suite.metrics)
    direct = evaluate(tmp_path / "runs.duckdb", suite)
    assert shown.report.comparisons.equals(direct.comparisons)
    table = shown.metrics_table()
    winner = table[(table["metric"] == "latency_s") & (table["better"] != "")]
    assert list(winner["variant"]) == [VARIANTS[1]]  # seeded faster
    names = {p.name for p in shown.export_csv(tmp_path / "csv")}
    assert f"{SUITE}_per_scenario.csv" in names and f"{SUITE}_summary.csv" in names
    with pytest.raises(ValueError, match="two or more"):
        compare(RunStore(tmp_path / "runs.duckdb"), SUITE, [VARIANTS[0]])
