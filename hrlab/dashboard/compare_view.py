"""The Compare tab: two or more variants of a suite, judged as `hrlab eval` judges them."""

from __future__ import annotations

import gradio as gr

from hrlab.dashboard.compare_data import compare, latency_figure
from hrlab.dashboard.runs_data import RunStore
from hrlab.dashboard.stores import runlog_problem


def build(store: RunStore, *, app: gr.Blocks) -> None:
    """Lay out the tab and wire it."""
    notice = gr.Markdown(elem_id="cmp-notice")
    with gr.Row():
        suite = gr.Dropdown([], label="suite", elem_id="cmp-suite")
        variants = gr.CheckboxGroup([], label="variants (the first chosen is the baseline)", elem_id="cmp-variants")
        scenarios = gr.CheckboxGroup([], label="scenarios (none: all)", elem_id="cmp-scenarios")
    run = gr.Button("Compare", variant="primary", elem_id="cmp-run")
    metrics = gr.Dataframe(interactive=False, elem_id="cmp-metrics", label="metrics, 95% bootstrap CIs over runs")
    plot = gr.Plot(label="latency distributions (p50 solid, p95 dashed)", elem_id="cmp-latency")
    per_scenario = gr.Dataframe(interactive=False, elem_id="cmp-scenario", label="per-scenario means and differences")
    files = gr.File(label="CSV export", file_count="multiple", elem_id="cmp-csv")
    notes = gr.Markdown(elem_id="cmp-notes")
    # The bootstrap over thousands of runs takes seconds; the same question on an unchanged log is answered once.
    cached: dict[tuple, object] = {}

    def on_load():
        problem = runlog_problem(store)
        if problem:
            return gr.update(choices=[]), problem
        suites = store.choices()["suite"][1:]
        return gr.update(choices=suites, value=suites[0] if suites else None), ""

    def suite_changed(name):
        if not name:
            return gr.update(choices=[], value=[]), gr.update(choices=[], value=[])
        found = store.suite_choices(name)
        return (gr.update(choices=found["variant"], value=found["variant"][:2]),
                gr.update(choices=found["scenario"], value=[]))

    def run_compare(name, chosen, picked):
        if not name:
            raise gr.Error("choose a suite")
        key = (store.state(), name, tuple(chosen or []), tuple(picked or []))
        try:
            result = cached.get(key) or compare(store, name, list(chosen or []), list(picked or []))
        except ValueError as error:
            raise gr.Error(str(error)) from None
        cached.clear()  # keep one: a long session must not pile up reports
        cached[key] = result
        report = result.report
        text = [f"Baseline **{report.suite.baseline_variant}**; ★ marks the variant `hrlab eval` calls better "
                "(its CI of the difference excludes 0, with 2+ runs a side)."] + [f"note: {n}" for n in report.notes]
        return (result.metrics_table(), latency_figure(result), result.per_scenario,
                [str(p) for p in result.export_csv()], "\n\n".join(text))

    app.load(on_load, None, [suite, notice])
    suite.change(suite_changed, suite, [variants, scenarios])
    run.click(run_compare, [suite, variants, scenarios], [metrics, plot, per_scenario, files, notes])
