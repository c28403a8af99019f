"""Compare variants from the run log: statistics with bootstrap CIs, a verdict per metric, gates.

`evaluate(runlog_path, suite)` is what `hrlab eval` calls; its EvalReport prints with `.table()`,
exports with `.to_csv(folder)` / `.to_parquet(folder)`, and `.gates_passed` decides the exit code.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from hrlab.lab.agreement import human_agreement
from hrlab.lab.cells import Bootstraps, Cell, metric_cells
from hrlab.lab.gates import CompareGate, Gate, ThresholdGate
from hrlab.lab.metrics.registry import METRICS, metric_info
from hrlab.lab.stats import Estimate
from hrlab.lab.store import RunLog
from hrlab.lab.suite import Suite, load_suite, suite_path

STAGE_COLUMNS = ("stt_s", "llm_s", "tts_s")  # the framework's own per-turn figures, beside our latency
SUMMARY_STATS = ("mean", "p50", "p95")


@dataclass(frozen=True)
class GateResult:
    gate: str
    passed: bool
    detail: str


@dataclass
class EvalReport:
    """Per metric per variant statistics, baseline comparisons and gate verdicts for one suite."""

    suite: Suite
    summary: pd.DataFrame
    comparisons: pd.DataFrame
    gates: list[GateResult]
    run_counts: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)  # HR ratings vs the AI (lab/agreement.py)

    @property
    def gates_passed(self) -> bool:
        return all(result.passed for result in self.gates)

    def table(self) -> str:
        """The report as plain text for a terminal."""
        parts = [f"suite {self.suite.name}: baseline {self.suite.baseline_variant}, "
                 f"{int(self.suite.confidence * 100)}% bootstrap CIs over runs",
                 "runs:\n" + _text(self.run_counts), "metrics:\n" + _text(_summary_view(self.summary))]
        if not self.comparisons.empty:
            parts.append("comparisons (difference = variant - baseline):\n" + _text(_comparison_view(self.comparisons)))
        if self.gates:
            parts.append("gates:\n" + "\n".join(
                f"  {'PASS' if g.passed else 'FAIL'}  {g.gate}  ({g.detail})" for g in self.gates))
        if not self.agreement.empty:
            parts.append("human ratings (assessment_agreement = share of rated assessments HR rated >= 4 of 5):\n"
                         + _text(self.agreement.round(3)))
        parts += [f"note: {note}" for note in self.notes]
        return "\n\n".join(parts)

    def frames(self) -> dict[str, pd.DataFrame]:
        gates = pd.DataFrame([vars(g) for g in self.gates], columns=["gate", "passed", "detail"])
        frames = {"summary": self.summary, "comparisons": self.comparisons, "gates": gates, "runs": self.run_counts}
        if not self.agreement.empty:
            frames["agreement"] = self.agreement
        return frames

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write summary/comparisons/gates/runs as CSV files into `folder`."""
        return self._export(folder, "csv")

    def to_parquet(self, folder: str | Path) -> list[Path]:
        """Write summary/comparisons/gates/runs as Parquet files into `folder` (via DuckDB, no pyarrow)."""
        return self._export(folder, "parquet")

    def _export(self, folder: str | Path, kind: str) -> list[Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in self.frames().items():
            path = folder / f"{self.suite.name}_{name}.{kind}"
            if kind == "csv":
                frame.to_csv(path, index=False)
            else:
                con = duckdb.connect()
                con.register("frame", frame)
                con.execute(f"COPY frame TO '{path.as_posix()}' (FORMAT parquet)")
                con.close()
            written.append(path)
        return written


def evaluate(runlog_path: str | Path | RunLog, suite: Suite | str | Path) -> EvalReport:
    """Read the suite's runs from the log (a path, or a RunLog this process has open) and compare its variants."""
    if not isinstance(suite, Suite):
        suite = load_suite(suite_path(suite), check_refs=False)
    tables = ("runs", "metrics", "turns", "annotations")
    if isinstance(runlog_path, RunLog):
        runs, metrics, turns, annotations = (runlog_path.frame(t) for t in tables)
    else:
        with RunLog(runlog_path, read_only=True) as runlog:
            runs, metrics, turns, annotations = (runlog.frame(t) for t in tables)
    runs = runs[runs["suite"] == suite.name]
    values = metric_rows(runs, metrics, turns)
    report = build_report(suite, runs, values)
    report.agreement = human_agreement(runs, annotations[annotations["run_id"].isin(runs["run_id"])], metrics)
    return report


def run_eval(runlog_path: str | Path, suite: str | Path, *, export_dir: str | Path | None = None,
             export_format: str = "csv", echo=print) -> int:
    """What `hrlab eval` does: print the report, optionally export it; exit code 0 only if every gate passed."""
    report = evaluate(runlog_path, suite)
    echo(report.table())
    if export_dir is not None:
        if export_format not in ("csv", "parquet"):
            raise ValueError(f"export format must be csv or parquet, got {export_format!r}")
        written = report.to_csv(export_dir) if export_format == "csv" else report.to_parquet(export_dir)
        echo("wrote " + ", ".join(str(p) for p in written))
    return 0 if report.gates_passed else 1


def metric_rows(runs: pd.DataFrame, metrics: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """Long table (run_id, variant, scenario, name, value): metrics of ok runs, stage figures, run_error."""
    keys = ["run_id", "variant", "scenario"]
    ok = runs[runs["status"] == "ok"][keys]
    rows = [metrics.merge(ok, on="run_id")[[*keys, "name", "value"]]]
    stages = turns.merge(ok, on="run_id")
    for column in STAGE_COLUMNS:
        present = stages[stages[column].notna()]
        rows.append(present[keys].assign(name=column, value=present[column].astype(float)))
    done = runs[runs["status"].isin(["ok", "error"])]
    rows.append(done[keys].assign(name="run_error", value=(done["status"] == "error").astype(float)))
    rows = [r for r in rows if not r.empty]
    if not rows:
        return pd.DataFrame(columns=[*keys, "name", "value"])
    table = pd.concat(rows, ignore_index=True)
    return table[table["value"].notna()]


def build_report(suite: Suite, runs: pd.DataFrame, values: pd.DataFrame) -> EvalReport:
    """Statistics, comparisons and gates from the long metric table."""
    names = _metric_names(suite, values)
    cells = metric_cells(values)
    boot = Bootstraps(n_boot=suite.bootstrap, seed=suite.seed, confidence=suite.confidence)
    boot.prepare([cell for (name, _), cell in cells.items() if name in names], SUMMARY_STATS)
    summary = pd.DataFrame([_summary_row(boot, name, variant, cells.get((name, variant)))
                            for name in names for variant in suite.variants])
    comparisons = pd.DataFrame([row for name in names for row in _comparison_rows(suite, boot, name, cells)])
    notes = [f"variant {v!r} has no runs in the log" for v in suite.variants if v not in set(runs["variant"].unique())]
    gates = [_check_gate(suite, boot, gate, _scoped_cells(values, gate, cells)) for gate in suite.gates]
    return EvalReport(suite=suite, summary=summary, comparisons=comparisons, gates=gates,
                      run_counts=_run_counts(suite, runs), notes=notes)


def _scoped_cells(values: pd.DataFrame, gate: Gate, cells: dict) -> dict:
    """The cells a gate judges: only its scenarios' runs when it names scenarios (globs allowed)."""
    patterns = getattr(gate, "scenarios", ())
    if not patterns:
        return cells
    names = values["scenario"].astype(str)
    keep = names.apply(lambda name: any(fnmatch.fnmatchcase(name, p) for p in patterns))
    return metric_cells(values[keep])


def _metric_names(suite: Suite, values: pd.DataFrame) -> list[str]:
    if suite.metrics:
        return list(suite.metrics)
    present = set(values["name"].unique())
    known = [name for name in METRICS if name in present]
    return known + sorted(present - set(known))


def _summary_row(boot: Bootstraps, name: str, variant: str, cell: Cell | None) -> dict:
    row = {"metric": name, "variant": variant, "runs": 0, "n": 0}
    if cell is None:
        return row
    row.update(runs=cell.data.count, n=cell.n)
    for stat in SUMMARY_STATS:
        est = boot.estimate(cell, stat)
        row.update({stat: est.value, f"{stat}_low": est.low, f"{stat}_high": est.high})
    return row


MIN_RUNS_FOR_VERDICT = 2  # runs per variant before a comparison may name a better one


def _comparison_rows(suite: Suite, boot: Bootstraps, name: str, cells: dict) -> list[dict]:
    base = suite.baseline_variant
    rows = []
    for variant in suite.variants:
        if variant == base or (name, base) not in cells or (name, variant) not in cells:
            continue
        diff = boot.difference(cells[(name, base)], cells[(name, variant)], "mean")
        # Resampling whole runs says nothing with one run a side: its CI has no width at all.
        enough = min(cells[(name, base)].data.count, cells[(name, variant)].data.count) >= MIN_RUNS_FOR_VERDICT
        rows.append({"metric": name, "baseline": base, "variant": variant, "stat": "mean",
                     "difference": diff.value, "low": diff.low, "high": diff.high,
                     "better": better_variant(name, diff, baseline=base, variant=variant) if enough else ""})
    return rows


def better_variant(metric: str, diff: Estimate, *, baseline: str, variant: str) -> str:
    """The better variant's name when the CI of (variant - baseline) excludes 0, else ""."""
    info = metric_info(metric)
    if info is None or info.better is None or not diff.excludes_zero():
        return ""
    variant_higher = diff.low > 0
    return variant if variant_higher == (info.better == "higher") else baseline


def _check_gate(suite: Suite, boot: Bootstraps, gate: Gate, cells: dict) -> GateResult:
    if isinstance(gate, ThresholdGate):
        return _check_threshold(suite, boot, gate, cells)
    return _check_compare(boot, gate, cells)


def _check_threshold(suite: Suite, boot: Bootstraps, gate: ThresholdGate, cells: dict) -> GateResult:
    failures, observed = [], []
    for variant in gate.variants or suite.variants:
        cell = cells.get((gate.ref.metric, variant))
        if cell is None:
            failures.append(f"{variant}: no values for {gate.ref.metric}")
            continue
        est = boot.estimate(cell, gate.ref.stat)
        observed.append(f"{variant}={est.value:.4g} [{est.low:.4g}, {est.high:.4g}]")
        if not gate.holds(est.value):
            failures.append(f"{variant}={est.value:.4g}")
    detail = "; ".join(observed + [f"failed: {', '.join(failures)}"] if failures else observed)
    return GateResult(gate=str(gate), passed=not failures, detail=detail)


def _check_compare(boot: Bootstraps, gate: CompareGate, cells: dict) -> GateResult:
    base, other = cells.get((gate.ref.metric, gate.baseline)), cells.get((gate.ref.metric, gate.candidate))
    info = metric_info(gate.ref.metric)
    if base is None or other is None:
        return GateResult(str(gate), False, f"no values for {gate.ref.metric} in one of the variants")
    if info is None or info.better is None:
        return GateResult(str(gate), False, f"{gate.ref.metric} has no better direction; cannot judge 'worse'")
    diff = boot.difference(base, other, gate.ref.stat)
    worse_by = diff.value if info.better == "lower" else -diff.value
    detail = f"worse by {worse_by:.4g} (difference {diff.value:.4g} [{diff.low:.4g}, {diff.high:.4g}])"
    return GateResult(str(gate), worse_by <= gate.max_worse, detail)


def _run_counts(suite: Suite, runs: pd.DataFrame) -> pd.DataFrame:
    counts = runs.groupby(["variant", "status"]).size().unstack(fill_value=0) if not runs.empty else pd.DataFrame()
    counts = counts.reindex(index=list(suite.variants), fill_value=0)
    for status in ("ok", "error", "interrupted", "running"):
        if status not in counts.columns:
            counts[status] = 0
    return counts[["ok", "error", "interrupted", "running"]].reset_index().rename(columns={"index": "variant"})


def _summary_view(summary: pd.DataFrame) -> pd.DataFrame:
    if summary.empty:
        return summary
    view = summary[["metric", "variant", "runs", "n"]].copy()
    for stat in SUMMARY_STATS:
        if stat in summary:
            view[stat] = [format_ci(v, lo, hi) for v, lo, hi in zip(summary[stat], summary[f"{stat}_low"],
                                                                summary[f"{stat}_high"])]
    return view


def _comparison_view(comparisons: pd.DataFrame) -> pd.DataFrame:
    view = comparisons[["metric", "variant", "baseline"]].copy()
    view["difference"] = [format_ci(v, lo, hi) for v, lo, hi in zip(comparisons["difference"], comparisons["low"],
                                                               comparisons["high"])]
    view["better"] = comparisons["better"].replace("", "-")
    return view


def format_ci(value: float, low: float, high: float) -> str:
    """`value [low, high]` with 3 significant digits, `-` for a missing value."""
    if pd.isna(value):
        return "-"
    return f"{value:.3g} [{low:.3g}, {high:.3g}]"


def _text(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False) if not frame.empty else "  (none)"
