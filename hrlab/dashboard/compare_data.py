"""The Compare view's numbers: `hrlab eval`'s own statistics (lab/evals.py) on the chosen runs."""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hrlab.errors import HrlabError
from hrlab.lab.evals import EvalReport, build_report, format_ci, metric_rows
from hrlab.lab.suite import Suite, load_suite, suite_path
from hrlab.dashboard.runs_data import RunStore

LATENCY = "latency_s"


@dataclass(frozen=True)
class Comparison:
    report: EvalReport
    values: pd.DataFrame  # evals.metric_rows: run_id, variant, scenario, name, value
    per_scenario: pd.DataFrame

    def metrics_table(self) -> pd.DataFrame:
        """Each metric per variant with its CI, and which variant `hrlab eval` calls better."""
        summary = self.report.summary
        if summary.empty or "mean" not in summary:
            return pd.DataFrame(columns=["metric", "variant", "runs", "mean [CI]", "p50 [CI]", "p95 [CI]", "better"])
        better = self.report.comparisons
        verdicts = {}
        for row in better.itertuples():  # the verdict belongs to the metric, shown on the winner's row
            if row.better:
                verdicts.setdefault(row.metric, set()).add(row.better)
        table = summary[["metric", "variant", "runs"]].copy()
        for stat in ("mean", "p50", "p95"):
            table[f"{stat} [CI]"] = [format_ci(v, lo, hi) for v, lo, hi in
                                     zip(summary[stat], summary[f"{stat}_low"], summary[f"{stat}_high"])]
        table["better"] = ["★ better" if v in verdicts.get(m, ()) else "" for m, v in zip(table["metric"],
                                                                                      table["variant"])]
        return table

    def export_csv(self, folder: str | Path | None = None) -> list[Path]:
        """The eval tables and the per-scenario differences as CSV files."""
        folder = Path(folder or tempfile.mkdtemp(prefix="hrlab-compare-"))
        written = self.report.to_csv(folder)
        path = folder / f"{self.report.suite.name}_per_scenario.csv"
        self.per_scenario.to_csv(path, index=False)
        return [*written, path]


def comparison_suite(name: str, variants: list[str], scenarios: list[str]) -> Suite:
    """The suite file's statistics settings (bootstrap, seed, confidence, metrics) with the chosen variants;
    a suite with no file (runs logged by `hrlab run` without --suite) gets the defaults. The first variant
    is the baseline; gates are the suite's business, not the dashboard's."""
    try:
        base = load_suite(suite_path(name), check_refs=False) if suite_path(name).is_file() else None
    except HrlabError:
        base = None
    base = base or Suite(name=name, file="", scenarios=tuple(scenarios), variants=tuple(variants))
    return dataclasses.replace(base, variants=tuple(variants), baseline=variants[0], gates=(),
                               scenarios=tuple(scenarios) or base.scenarios)


def compare(store: RunStore, suite: str, variants: list[str], scenarios: list[str] | None = None) -> Comparison:
    """Compare two or more variants of a suite (optionally on some scenarios only)."""
    if len(variants) < 2:
        raise ValueError("choose two or more variants to compare")
    frames = store.compare_frames(suite, variants, scenarios or [])
    values = metric_rows(frames["runs"], frames["metrics"], frames["turns"])
    report = build_report(comparison_suite(suite, variants, scenarios or []), frames["runs"], values)
    return Comparison(report=report, values=values, per_scenario=per_scenario(values, variants))


def per_scenario(values: pd.DataFrame, variants: list[str]) -> pd.DataFrame:
    """Mean of each metric per scenario and variant, and each variant's difference from the baseline."""
    if values.empty:
        return pd.DataFrame(columns=["scenario", "metric"])
    means = values.groupby(["scenario", "name", "variant"])["value"].mean().unstack("variant")
    means = means.reindex(columns=[v for v in variants if v in means.columns])
    base = variants[0]
    for variant in means.columns:
        if variant != base and base in means.columns:
            means[f"{variant} - {base}"] = means[variant] - means[base]
    return means.reset_index().rename(columns={"name": "metric"}).round(4)


def latency_figure(comparison: Comparison):
    """Latency distribution per variant (histograms) with p50 and p95 marked as `hrlab eval` computes them."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    values = comparison.values[comparison.values["name"] == LATENCY]
    summary = comparison.report.summary
    figure = Figure(figsize=(8, 3.5))
    axes = figure.subplots()
    if values.empty:
        axes.text(0.5, 0.5, "no latency_s values in these runs", ha="center", va="center")
        axes.set_axis_off()
        return figure
    colors = ["#4a8ab5", "#d9822b", "#5aa469", "#a05195", "#666666"]
    for i, (variant, group) in enumerate(values.groupby("variant", sort=False)):
        color = colors[i % len(colors)]
        axes.hist(group["value"], bins=30, alpha=0.45, color=color, label=variant)
        row = summary[(summary["metric"] == LATENCY) & (summary["variant"] == variant)]
        for stat, style in (("p50", "-"), ("p95", "--")):
            if not row.empty and stat in row and pd.notna(row.iloc[0][stat]):
                axes.axvline(row.iloc[0][stat], color=color, linestyle=style,
                             label=f"{variant} {stat} {row.iloc[0][stat]:.2f} s")
    axes.set_xlabel("voice-to-voice latency, s")
    axes.set_ylabel("turns")
    axes.legend(fontsize=8)
    figure.tight_layout()
    return figure
