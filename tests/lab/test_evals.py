from __future__ import annotations

import duckdb
import numpy as np
import pytest

from hrlab.lab.evals import evaluate, run_eval
from hrlab.lab.store import RunLog

VARIANT = 'stt = "whisper/base"\nllm = "llamacpp/gemma3-270m"\ntts = "piper/en_US-joe"\n'


@pytest.fixture
def suite_file(write):
    for name in ("s1", "s2"):
        write(f"scenarios/{name}.toml", 'language = "en"\nresume = "hrlab/samples/resume_en.md"\n[[turns]]\ntext = "hi"\n')
    write("variants/fast.toml", VARIANT)
    write("variants/slow.toml", VARIANT)

    def make(gates: str) -> str:
        return str(write("suite.toml", f"""
            name = "cmp"
            scenarios = ["s*"]
            variants = ["slow", "fast"]
            repeats = 12
            baseline = "slow"
            bootstrap = 500
            seed = 2
            gates = [{gates}]
        """))

    return make


@pytest.fixture
def runlog_path(tmp_path):
    """12 runs per variant: 'fast' answers ~0.5 s sooner; both ask similar numbers of questions."""
    rng = np.random.default_rng(1)
    path = tmp_path / "runs.duckdb"
    with RunLog(path) as runlog:
        for variant, latency in (("slow", 1.5), ("fast", 1.0)):
            for repeat in range(12):
                with runlog.start_run(suite="cmp", scenario="s1", variant=variant, repeat=repeat) as run:
                    for seq in (1, 3, 5):
                        run.add_metric("latency_s", latency + rng.normal(0, 0.1), seq=seq)
                        run.add_turn(seq=seq + 1, who="ai", text="Next?", stt_s=0.3, llm_s=0.2, tts_s=0.25)
                    run.add_metric("questions_asked", float(rng.integers(4, 7)))
                    run.add_metric("ended_properly", 1.0)
        runlog.record_failed_run(error="devserver refused", suite="cmp", scenario="s1", variant="fast", repeat=12)
        runlog.start_run(suite="other", scenario="s1", variant="fast", repeat=0).finish_ok()
    return path


def test_report_names_the_better_variant_only_where_the_ci_excludes_zero(runlog_path, suite_file):
    report = evaluate(runlog_path, suite_file(""))
    by_metric = report.comparisons.set_index("metric")
    assert by_metric.loc["latency_s", "better"] == "fast"
    assert by_metric.loc["latency_s", "high"] < 0
    assert by_metric.loc["questions_asked", "better"] == ""  # no direction, and no clear difference
    assert by_metric.loc["ended_properly", "better"] == ""
    summary = report.summary.set_index(["metric", "variant"])
    assert summary.loc[("latency_s", "fast"), "runs"] == 12 and summary.loc[("latency_s", "fast"), "n"] == 36
    assert summary.loc[("latency_s", "slow"), "mean"] == pytest.approx(1.5, abs=0.1)
    assert summary.loc[("stt_s", "fast"), "mean"] == pytest.approx(0.3)
    assert summary.loc[("run_error", "fast"), "mean"] == pytest.approx(1 / 13)
    counts = report.run_counts.set_index("variant")
    assert (counts.loc["fast", "ok"], counts.loc["fast", "error"]) == (12, 1)
    text = report.table()
    assert "latency_s" in text and "fast" in text and "gates" not in text


def test_gates_pass_and_fail(runlog_path, suite_file):
    passing = evaluate(runlog_path, suite_file(
        '"latency_p95_s <= 2.0", { check = "ended_properly_rate >= 1", variants = ["slow"] },'
        '{ metric = "latency_p50_s", candidate = "fast", baseline = "slow", max_worse = 0 }'))
    assert passing.gates_passed, passing.table()
    failing = evaluate(runlog_path, suite_file(
        '"latency_p95_s <= 1.2", "run_error_rate <= 0", "no_such_metric <= 1",'
        '{ metric = "latency_p50_s", candidate = "slow", baseline = "fast", max_worse = 0.2 }'))
    assert not failing.gates_passed
    assert [g.passed for g in failing.gates] == [False, False, False, False]
    assert "failed: slow=" in failing.gates[0].detail and "fast=" not in failing.gates[0].detail.split("failed:")[1]
    assert "no values for no_such_metric" in failing.gates[2].detail
    assert "FAIL" in failing.table()


def test_export_csv_and_parquet(runlog_path, suite_file, tmp_path):
    report = evaluate(runlog_path, suite_file('"latency_p95_s <= 2.0"'))
    csvs = report.to_csv(tmp_path / "out")
    parquets = report.to_parquet(tmp_path / "out")
    assert {p.name for p in csvs} == {"cmp_summary.csv", "cmp_comparisons.csv", "cmp_gates.csv", "cmp_runs.csv"}
    rows = duckdb.sql(f"SELECT count(*) FROM '{parquets[0]}'").fetchall()[0][0]
    assert rows == len(report.summary)
    assert "latency_s" in (tmp_path / "out" / "cmp_summary.csv").read_text()


def test_a_suite_with_no_runs_reports_it_and_fails_its_gates(tmp_path, suite_file):
    RunLog(tmp_path / "empty.duckdb").close()
    report = evaluate(tmp_path / "empty.duckdb", suite_file('"latency_p95_s <= 2.0"'))
    assert not report.gates_passed
    assert "variant 'slow' has no runs in the log" in report.table()


def test_evaluate_reads_a_log_this_process_has_open(runlog_path, suite_file):
    with RunLog(runlog_path) as runlog:
        report = evaluate(runlog, suite_file(""))
    assert report.summary.set_index(["metric", "variant"]).loc[("latency_s", "fast"), "runs"] == 12


def test_run_eval_exit_code_and_export(runlog_path, suite_file, tmp_path):
    lines = []
    assert run_eval(runlog_path, suite_file('"latency_p95_s <= 2.0"'), echo=lines.append) == 0
    assert run_eval(runlog_path, suite_file('"latency_p95_s <= 0.1"'), export_dir=tmp_path / "x",
                    export_format="parquet", echo=lines.append) == 1
    assert "FAIL" in lines[1] and lines[2].startswith("wrote ") and (tmp_path / "x" / "cmp_gates.parquet").is_file()


def test_a_gate_scoped_to_scenarios_judges_only_their_runs(runlog_path, suite_file):
    with RunLog(runlog_path) as runlog:
        for repeat in range(3):
            with runlog.start_run(suite="cmp", scenario="s2", variant="fast", repeat=repeat) as run:
                run.add_metric("latency_s", 9.0, seq=1)
    report = evaluate(runlog_path, suite_file(
        '{ check = "latency_p95_s <= 2.0", scenarios = ["s1"] }, { check = "latency_max_s >= 9", scenarios = ["s?"],'
        ' variants = ["fast"] }, "latency_p95_s <= 2.0"'))
    assert [g.passed for g in report.gates] == [True, True, False]
    assert "on s1" in report.gates[0].gate


def test_one_run_a_side_names_no_winner(tmp_path, suite_file):
    """A clear difference in a single run each is still no evidence: its bootstrap CI has no width."""
    path = tmp_path / "one.duckdb"
    with RunLog(path) as runlog:
        for variant, latency in (("slow", 1.5), ("fast", 1.0)):
            with runlog.start_run(suite="cmp", scenario="s1", variant=variant, repeat=0) as run:
                run.add_metric("latency_s", latency, seq=1)
    by_metric = evaluate(path, suite_file("")).comparisons.set_index("metric")
    assert by_metric.loc["latency_s", "difference"] == pytest.approx(-0.5)
    assert by_metric.loc["latency_s", "better"] == ""


def test_gates_and_tables_quote_the_same_intervals(runlog_path, suite_file):
    """A variant's runs are resampled once (seeded by the runs): a gate asked later gets the summary's CI, and a
    comparison's difference is built from the summary's own mean replicates."""
    report = evaluate(runlog_path, suite_file(
        '"latency_p95_s <= 2.0", { metric = "latency_s", candidate = "fast", baseline = "slow", max_worse = 0 }'))
    row = report.summary.set_index(["metric", "variant"]).loc[("latency_s", "fast")]
    assert f"fast={row['p95']:.4g} [{row['p95_low']:.4g}, {row['p95_high']:.4g}]" in report.gates[0].detail
    diff = report.comparisons.set_index("metric").loc["latency_s"]
    assert f"[{diff['low']:.4g}, {diff['high']:.4g}]" in report.gates[1].detail
